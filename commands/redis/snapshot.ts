/**
 * A point-in-time RDB image of the databases, written a slice at a time while the server keeps
 * serving. Redis forks and lets the kernel copy pages on write; here the copy is per key: before
 * a write command touches a key the snapshot has not reached yet, the key is written to the
 * snapshot first, from its value before the write, and marked done so the walk skips it.
 *
 * @module
 */

import { latin1 } from "./bytes.ts";
import type { Command } from "./command.ts";
import type { Database } from "./db.ts";
import { RdbEncoder } from "./rdb.ts";

/** Commands whose written keys are not all named by the key spec: every argument may be one. */
const ALL_ARGS = new Set([
  "sort",
  "zunionstore",
  "zinterstore",
  "zdiffstore",
  "lmpop",
  "zmpop",
  "blmpop",
  "bzmpop",
  "bitop",
  "georadius",
  "georadiusbymember",
  "geosearchstore",
]);

/**
 * Commands that write beyond the current database's named keys (whole databases, or another
 * database): the snapshot is completed before they run.
 */
const WHOLE = new Set(["flushdb", "flushall", "swapdb", "move", "copy"]);

/**
 * The keys a write command may change, for the copy-on-write: the key spec's keys, every
 * argument for commands whose spec does not name all of them, or "all" when it changes more
 * than keys of its own database.
 *
 * @example
 * ```ts
 * import { writtenKeys } from "./snapshot.ts";
 * import assert from "node:assert/strict";
 * const b = (s: string) => new TextEncoder().encode(s);
 * const mset = { name: "mset", arity: -3, flags: ["write"], keys: [1, -1, 2], run() {} } as const;
 * assert.deepEqual(writtenKeys({ ...mset, flags: [...mset.flags], keys: [1, -1, 2] }, ["MSET", "a", "1", "b", "2"].map(b)), ["a", "b"]);
 * ```
 *
 * @param cmd The command.
 * @param args Its arguments.
 * @returns Key names (latin1), or "all".
 */
export function writtenKeys(cmd: Command, args: Uint8Array[]): string[] | "all" {
  if (WHOLE.has(cmd.name)) return "all";
  if (ALL_ARGS.has(cmd.name)) return args.slice(1).map(latin1);
  const [first, last, step] = cmd.keys;
  if (first === 0) return [];
  const end = last < 0 ? args.length + last : Math.min(last, args.length - 1);
  const keys: string[] = [];
  for (let i = first; i <= end; i += step || 1) keys.push(latin1(args[i]));
  return keys;
}

/** Keys serialised per check of the time budget. */
const BATCH = 256;

/**
 * An RDB image of some databases as they were when it was created.
 *
 * @example
 * ```ts
 * import { Snapshot } from "./snapshot.ts";
 * import { Database } from "./db.ts";
 * import { decodeRdb } from "./rdb.ts";
 * import assert from "node:assert/strict";
 * const db = new Database(0, Date.now);
 * const s = (v: string) => ({ type: "string" as const, value: new TextEncoder().encode(v) });
 * db.set("a", s("1"));
 * const snap = new Snapshot([db], {});
 * snap.beforeWrite(0, ["a"]);   // a write to "a" is coming: keep its old value
 * db.set("a", s("2"));
 * snap.beforeWrite(0, ["b"]);   // and one to "b", absent when the snapshot began
 * db.set("b", s("3"));
 * snap.run(Infinity);
 * const parts = [snap.take(), snap.finish()];
 * const file = new Uint8Array([...parts[0], ...parts[1]]);
 * const got: string[] = [];
 * decodeRdb(file, { onEntry: (_, k, v) => got.push(`${k}=${new TextDecoder().decode(v.value as Uint8Array)}`) });
 * assert.deepEqual(got, ["a=1"]);
 * ```
 */
export class Snapshot {
  #dbs: Database[];
  #enc = new RdbEncoder();
  #done: Set<string>[];
  #sizes: [number, number][];
  #selected: boolean[];
  #db = 0;
  #cursor = 0;
  #streamDb = -1;
  #complete = false;
  /** Keys written. */
  keys = 0;

  /**
   * Starts an image: records the database sizes and writes the header.
   *
   * @param dbs The databases, by index.
   * @param aux Aux fields for the header.
   */
  constructor(dbs: Database[], aux: Record<string, string | number>) {
    this.#dbs = dbs;
    this.#enc.header(aux);
    this.#sizes = dbs.map((db) => [db.size(), db.expiresCount()]);
    this.#done = dbs.map(() => new Set());
    this.#selected = dbs.map(() => false);
  }

  /** Every key is in the image (the bytes may not all be taken yet). */
  get complete(): boolean {
    return this.#complete;
  }

  /** Bytes encoded and not yet taken. */
  get pending(): number {
    return this.#enc.length;
  }

  /**
   * Before a write: puts the keys it may change into the image first, from their current
   * value (or notes that they were absent), unless the image holds them already.
   *
   * @param db The database index.
   * @param keys The keys, or "all" to complete the image now.
   */
  beforeWrite(db: number, keys: string[] | "all"): void {
    if (this.#complete) return;
    if (keys === "all") {
      this.run(Infinity);
      return;
    }
    const done = this.#done[db];
    for (const key of keys) {
      if (done.has(key)) continue;
      done.add(key);
      this.#write(db, key);
    }
  }

  /**
   * Walks on through the databases.
   *
   * @param budgetMs Time to spend; Infinity finishes the walk.
   * @returns Whether the walk is complete.
   */
  run(budgetMs: number): boolean {
    const start = performance.now();
    while (!this.#complete) {
      if (this.#db >= this.#dbs.length) {
        this.#complete = true;
        break;
      }
      if (this.#sizes[this.#db][0] === 0) {
        this.#db++;
        continue;
      }
      const db = this.#dbs[this.#db];
      const done = this.#done[this.#db];
      const { keys, cursor } = db.scan(this.#cursor, BATCH);
      for (const key of keys) {
        if (done.has(key)) continue;
        done.add(key);
        this.#write(this.#db, key);
      }
      this.#cursor = cursor;
      if (cursor === 0) {
        this.#db++;
        // The walk has passed this database for good: its done set is no longer needed.
        done.clear();
        this.#done[this.#db - 1] = new PassedSet();
      }
      if (performance.now() - start >= budgetMs) break;
    }
    return this.#complete;
  }

  /**
   * The bytes encoded so far.
   *
   * @returns Them.
   */
  take(): Uint8Array {
    return this.#enc.take();
  }

  /**
   * The last bytes: EOF and the checksum. Call once {@linkcode complete}.
   *
   * @returns Them.
   */
  finish(): Uint8Array {
    return this.#enc.finish();
  }

  #write(index: number, key: string): void {
    const db = this.#dbs[index];
    const value = db.peekValue(key);
    if (value === undefined) return;
    if (this.#streamDb !== index) {
      // A key of another database saved by copy-on-write mid-walk: SELECTDB may appear
      // any number of times in an RDB.
      const [size, expires] = this.#sizes[index];
      this.#enc.selectDb(index, this.#selected[index] ? -1 : size, expires);
      this.#selected[index] = true;
      this.#streamDb = index;
    }
    this.#enc.entry(key, value, db.expireAt(key));
    this.keys++;
  }
}

/** The done set of a database the walk has finished: it holds every key. */
class PassedSet extends Set<string> {
  override has(): boolean {
    return true;
  }
}
