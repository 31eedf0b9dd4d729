/**
 * Clients blocked on keys (BLPOP and friends): served in arrival order when a write makes a
 * key they wait on ready, or answered with a null once their timeout passes.
 *
 * @module
 */

import type { Session } from "./session.ts";

/** One blocked command. */
export interface Waiter {
  /** The blocked connection. */
  session: Session;
  /** Index of the database its keys are in (at the time it blocked). */
  db: number;
  /** The keys it waits on, in the command's order. */
  keys: string[];
  /**
   * Tries to serve it now; returns true when it sent its reply (then it stops waiting). Called
   * synchronously after the write that made one of its keys ready.
   */
  attempt(): boolean;
  /** Sends the timeout reply. */
  timeout(): void;
}

interface Entry {
  waiter: Waiter;
  timer: ReturnType<typeof setTimeout> | undefined;
  resolve: () => void;
  done: boolean;
}

/**
 * The registry of blocked clients.
 *
 * Writes only mark keys ready ({@linkcode Blocking.touched}); {@linkcode Blocking.serveReady}
 * runs after each command (as Redis's `handleClientsBlockedOnKeys`), so a push serves waiters
 * once the pushing command has finished, and the oldest waiter on a key goes first.
 *
 * @example
 * ```ts
 * import { Blocking } from "./blocking.ts";
 * import { Session } from "./session.ts";
 * import assert from "node:assert/strict";
 * const blocking = new Blocking();
 * let items = 0;
 * const session = new Session(1, "127.0.0.1:1", 0);
 * const done = blocking.block({
 *   session, db: 0, keys: ["q"],
 *   attempt: () => items > 0 && items-- > 0,
 *   timeout: () => {},
 * }, 0);
 * items = 1;
 * blocking.touched(0, "q");
 * blocking.serveReady();
 * await done;
 * assert.equal(items, 0);
 * ```
 */
export class Blocking {
  #byKey = new Map<string, Entry[]>();
  #bySession = new Map<Session, Entry>();
  #ready = new Set<string>();

  /** How many clients are blocked. */
  get size(): number {
    return this.#bySession.size;
  }

  /**
   * Blocks a client until it is served, times out, or is dropped.
   *
   * @param waiter The blocked command.
   * @param timeoutMs Ms to wait; 0 waits forever.
   * @returns Settles when the client may read its next command.
   */
  block(waiter: Waiter, timeoutMs: number): Promise<void> {
    const { promise, resolve } = Promise.withResolvers<void>();
    const entry: Entry = { waiter, timer: undefined, resolve, done: false };
    for (const key of new Set(waiter.keys)) {
      const id = slot(waiter.db, key);
      let list = this.#byKey.get(id);
      if (!list) this.#byKey.set(id, list = []);
      list.push(entry);
    }
    this.#bySession.set(waiter.session, entry);
    if (timeoutMs > 0) {
      entry.timer = setTimeout(() => {
        if (entry.done) return;
        this.#finish(entry);
        waiter.timeout();
      }, timeoutMs);
    }
    return promise;
  }

  /**
   * Notes a write to a key; waiters on it are tried at the next {@linkcode serveReady}.
   *
   * @param db The database index.
   * @param key The key.
   */
  touched(db: number, key: string): void {
    const id = slot(db, key);
    if (this.#byKey.has(id)) this.#ready.add(id);
  }

  /**
   * Marks every waited-on key of a database ready (after FLUSHDB or SWAPDB).
   *
   * @param db The database index.
   */
  touchedAll(db: number): void {
    const prefix = `${db}|`;
    for (const id of this.#byKey.keys()) if (id.startsWith(prefix)) this.#ready.add(id);
  }

  /** Serves waiters on ready keys, oldest first, until each key runs dry. */
  serveReady(): void {
    while (this.#ready.size > 0) {
      const ids = [...this.#ready];
      this.#ready.clear();
      for (const id of ids) {
        const list = this.#byKey.get(id);
        while (list && list.length > 0) {
          const entry = list[0];
          if (!entry.waiter.attempt()) break;
          this.#finish(entry);
        }
      }
    }
  }

  /**
   * Stops a client's wait without a reply (it disconnected, or the server shuts down).
   *
   * @param session The client.
   */
  drop(session: Session): void {
    const entry = this.#bySession.get(session);
    if (entry) this.#finish(entry);
  }

  /** Drops every waiter (shutdown): clears their timers. */
  clear(): void {
    for (const entry of [...this.#bySession.values()]) this.#finish(entry);
  }

  #finish(entry: Entry): void {
    if (entry.done) return;
    entry.done = true;
    clearTimeout(entry.timer);
    const { waiter } = entry;
    for (const key of new Set(waiter.keys)) {
      const id = slot(waiter.db, key);
      const list = this.#byKey.get(id);
      if (!list) continue;
      const i = list.indexOf(entry);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.#byKey.delete(id);
    }
    this.#bySession.delete(waiter.session);
    entry.resolve();
  }
}

function slot(db: number, key: string): string {
  return `${db}|${key}`;
}
