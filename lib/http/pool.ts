/**
 * Keep-alive connections per origin: reuse of idle connections (newest first), an idle timeout,
 * and a cap on connections per origin with callers queued for a free one.
 *
 * @module
 */
import type { HttpConnection } from "./connection.ts";

/** Options for {@linkcode ConnectionPool}. */
export interface PoolOptions {
  /** Most connections (busy plus idle) per origin. @default 6 */
  maxPerHost?: number;
  /** Milliseconds an idle connection is kept. @default 30000 */
  idleTimeout?: number;
  /** The clock, for tests. @default performance.now */
  now?: () => number;
}

/** The pool's defaults. */
export const POOL_DEFAULTS = { maxPerHost: 6, idleTimeout: 30000 } as const satisfies PoolOptions;

interface HostEntry {
  idle: HttpConnection[];
  open: number;
  waiters: (() => void)[];
}

/** A connection taken from the pool: reused or to be opened by the caller. */
export type Lease =
  | { reused: true; connection: HttpConnection }
  | { reused: false; connection: null };

/**
 * Hands out idle connections per key, or a permit to open a new one while under the cap.
 * Every permit or connection taken must be given back with `release` or `discard`.
 *
 * @example
 * ```ts
 * import { ConnectionPool } from "./pool.ts";
 * import assert from "node:assert/strict";
 * const pool = new ConnectionPool({ maxPerHost: 1 });
 * const lease = await pool.acquire("http://a:80");
 * assert.equal(lease.reused, false);
 * pool.discard("http://a:80");
 * pool.close();
 * ```
 */
export class ConnectionPool {
  readonly #max: number;
  readonly #idleTimeout: number;
  readonly #now: () => number;
  readonly #hosts = new Map<string, HostEntry>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  /** How many connections were put back for reuse, for tests and statistics. */
  released = 0;

  /**
   * Makes an empty pool.
   *
   * @param options Cap per host, idle timeout and clock.
   */
  constructor(options: PoolOptions = {}) {
    this.#max = Math.max(1, options.maxPerHost ?? POOL_DEFAULTS.maxPerHost);
    this.#idleTimeout = options.idleTimeout ?? POOL_DEFAULTS.idleTimeout;
    this.#now = options.now ?? (() => performance.now());
  }

  #entry(key: string): HostEntry {
    let entry = this.#hosts.get(key);
    if (!entry) {
      entry = { idle: [], open: 0, waiters: [] };
      this.#hosts.set(key, entry);
    }
    return entry;
  }

  /**
   * An idle connection for `key`, or a permit to open one; waits while the cap is reached.
   *
   * @param key The pool key.
   * @param signal Stops waiting.
   * @returns The lease.
   */
  async acquire(key: string, signal?: AbortSignal): Promise<Lease> {
    const entry = this.#entry(key);
    while (true) {
      this.#evict(entry);
      const connection = entry.idle.pop();
      if (connection) return { reused: true, connection };
      if (entry.open < this.#max) {
        entry.open++;
        return { reused: false, connection: null };
      }
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          entry.waiters = entry.waiters.filter((w) => w !== wake);
          reject(signal!.reason);
        };
        const wake = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        if (signal?.aborted) return reject(signal.reason);
        signal?.addEventListener("abort", onAbort, { once: true });
        entry.waiters.push(wake);
      });
    }
  }

  /**
   * Puts a connection back for reuse. While it is idle a read is kept pending, so a close by the
   * server drops it at once instead of failing the next request.
   *
   * @param connection The connection, its last response read to the end.
   */
  release(connection: HttpConnection): void {
    const entry = this.#entry(connection.key);
    if (this.#closed || connection.io.closed || connection.io.hasPending) {
      connection.close();
      this.discard(connection.key);
      return;
    }
    this.released++;
    connection.idleSince = this.#now();
    entry.idle.push(connection);
    connection.io.readAhead().then(
      () => this.#drop(entry, connection),
      () => this.#drop(entry, connection),
    );
    this.#wakeOne(entry);
    this.#schedule();
  }

  /**
   * Gives back the permit of a connection that was closed or never opened.
   *
   * @param key The pool key.
   */
  discard(key: string): void {
    const entry = this.#entry(key);
    entry.open = Math.max(0, entry.open - 1);
    this.#wakeOne(entry);
  }

  /** Closes an idle connection that received bytes or an end of stream while idle. */
  #drop(entry: HostEntry, connection: HttpConnection): void {
    const at = entry.idle.indexOf(connection);
    if (at === -1) return; // taken by a request, which reads what arrived
    entry.idle.splice(at, 1);
    connection.close();
    this.discard(connection.key);
  }

  #wakeOne(entry: HostEntry): void {
    entry.waiters.shift()?.();
  }

  #evict(entry: HostEntry): void {
    const limit = this.#now() - this.#idleTimeout;
    while (entry.idle.length > 0 && entry.idle[0].idleSince <= limit) {
      const old = entry.idle.shift()!;
      old.close();
      entry.open = Math.max(0, entry.open - 1);
    }
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      let any = false;
      for (const entry of this.#hosts.values()) {
        this.#evict(entry);
        if (entry.idle.length > 0) any = true;
      }
      if (any) this.#schedule();
    }, this.#idleTimeout);
    // An idle connection must not keep a program from ending.
    Deno.unrefTimer(this.#timer as unknown as number);
  }

  /** Idle connections per key, for tests. */
  idleCount(key?: string): number {
    if (key !== undefined) return this.#hosts.get(key)?.idle.length ?? 0;
    let n = 0;
    for (const entry of this.#hosts.values()) n += entry.idle.length;
    return n;
  }

  /** Closes every idle connection; connections in use close when their response ends. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const entry of this.#hosts.values()) {
      for (const c of entry.idle) c.close();
      entry.open -= entry.idle.length;
      entry.idle = [];
    }
  }
}
