/**
 * One Redis database: keys to typed values, with TTLs that expire on access and by an active
 * sampling cycle, and a hook that sees every write (WATCH, blocking pops).
 *
 * @module
 */

import type { Hash } from "./types/hash.ts";
import type { List } from "./types/list.ts";
import type { RSet } from "./types/set.ts";
import type { ZSet } from "./types/zset.ts";

/** A value of the keyspace, tagged with its Redis type. */
export type RedisValue =
  | { type: "string"; value: Uint8Array }
  | { type: "list"; value: List }
  | { type: "hash"; value: Hash }
  | { type: "set"; value: RSet }
  | { type: "zset"; value: ZSet };

/** Where a key sits: its value and its place in the scan order. */
interface Slot {
  v: RedisValue;
  seq: number;
}

/** Keys Redis samples per round of the active expire cycle. */
const SAMPLE = 20;

/**
 * A database of the keyspace.
 *
 * Besides the Map of keys, keys sit in an array in insertion order, each with a growing
 * sequence number: SCAN's cursor is the next sequence number to visit, found again by binary
 * search, so a key present for the whole scan is always returned even while others come and
 * go; deletions leave holes that are compacted away without changing the order. The same array
 * gives RANDOMKEY in O(1).
 *
 * @example
 * ```ts
 * import { Database } from "./db.ts";
 * import assert from "node:assert/strict";
 * let now = 1000;
 * const db = new Database(0, () => now);
 * db.set("k", { type: "string", value: new Uint8Array([49]) });
 * db.setExpire("k", 1500);
 * assert.equal(db.get("k")?.type, "string");
 * now = 1500;
 * assert.equal(db.get("k"), undefined);
 * ```
 */
export class Database {
  /** The database number (SELECT). */
  readonly index: number;
  /** Called with the key on every write to it: set, delete, expiry, flush, {@linkcode touch}. */
  onTouch: ((key: string) => void) | null = null;
  #clock: () => number;
  #data = new Map<string, Slot>();
  #expires = new Map<string, number>();
  #order: (string | null)[] = [];
  #seqs: number[] = [];
  #holes = 0;
  #nextSeq = 1;
  #sweep: Iterator<[string, number]> | null = null;

  /**
   * @param index The database number.
   * @param clock Milliseconds since the epoch.
   */
  constructor(index: number, clock: () => number) {
    this.index = index;
    this.#clock = clock;
  }

  /**
   * The value of a live key; an expired key is deleted here and reads as missing.
   *
   * @param key The key (latin1).
   * @returns The value, or undefined.
   */
  get(key: string): RedisValue | undefined {
    const slot = this.#data.get(key);
    if (slot === undefined) return undefined;
    if (this.#expires.size > 0 && this.#expired(key)) return undefined;
    return slot.v;
  }

  /**
   * Stores a value, clearing the TTL unless `keepTtl`.
   *
   * @param key The key.
   * @param value The value.
   * @param options `keepTtl` keeps an existing TTL (SET KEEPTTL).
   */
  set(key: string, value: RedisValue, options?: { keepTtl?: boolean }): void {
    const slot = this.#data.get(key);
    if (slot !== undefined) {
      slot.v = value;
      // A TTL that has already passed belongs to the old value even under keepTtl.
      if (this.#expires.size > 0 && (!options?.keepTtl || this.#isPast(key))) {
        this.#expires.delete(key);
      }
    } else {
      const seq = this.#nextSeq++;
      this.#data.set(key, { v: value, seq });
      this.#order.push(key);
      this.#seqs.push(seq);
    }
    this.onTouch?.(key);
  }

  /**
   * Tells the watchers that a value changed in place (LPUSH onto an existing list, ...).
   *
   * @param key The key.
   */
  touch(key: string): void {
    this.onTouch?.(key);
  }

  /**
   * Deletes a key.
   *
   * @param key The key.
   * @returns Whether a live key was there.
   */
  delete(key: string): boolean {
    const slot = this.#data.get(key);
    if (slot === undefined) return false;
    const live = !(this.#expires.size > 0 && this.#isPast(key));
    this.#remove(key, slot);
    this.onTouch?.(key);
    return live;
  }

  /**
   * Whether a live key exists.
   *
   * @param key The key.
   * @returns The answer.
   */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * When a key expires.
   *
   * @param key The key.
   * @returns Ms since the epoch, or undefined without a TTL.
   */
  expireAt(key: string): number | undefined {
    return this.#expires.get(key);
  }

  /**
   * Sets or clears (null) the expiry time of a live key. A time already past deletes the key,
   * as Redis does for EXPIRE with a negative TTL.
   *
   * @param key The key.
   * @param at Ms since the epoch, or null to persist.
   * @returns False when the key does not exist.
   */
  setExpire(key: string, at: number | null): boolean {
    if (this.get(key) === undefined) return false;
    if (at === null) this.#expires.delete(key);
    else if (at <= this.#clock()) this.delete(key);
    else this.#expires.set(key, at);
    this.onTouch?.(key);
    return true;
  }

  /**
   * Keys held, counting expired ones not yet swept (as DBSIZE does).
   *
   * @returns The count.
   */
  size(): number {
    return this.#data.size;
  }

  /**
   * Keys with a TTL, for INFO's keyspace line.
   *
   * @returns The count.
   */
  expiresCount(): number {
    return this.#expires.size;
  }

  /**
   * The live keys.
   *
   * @yields Keys.
   */
  *keys(): IterableIterator<string> {
    const now = this.#clock();
    for (const key of [...this.#data.keys()]) {
      const at = this.#expires.get(key);
      if (at !== undefined && at <= now) {
        this.#expired(key);
        continue;
      }
      yield key;
    }
  }

  /**
   * One step of SCAN: up to `count` keys from a cursor.
   *
   * @param cursor 0 to start, then what the last step returned.
   * @param count How many slots to visit.
   * @returns The keys and the next cursor (0 when done).
   */
  scan(cursor: number, count: number): { keys: string[]; cursor: number } {
    const seqs = this.#seqs;
    let lo = 0;
    let hi = seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seqs[mid] < cursor) lo = mid + 1;
      else hi = mid;
    }
    const keys: string[] = [];
    let i = lo;
    // Expired keys are skipped, not deleted: a deletion could compact the array under the walk.
    for (; i < seqs.length && keys.length < count; i++) {
      const key = this.#order[i];
      if (key !== null && !(this.#expires.size > 0 && this.#isPast(key))) keys.push(key);
    }
    return { keys, cursor: i < seqs.length ? seqs[i] : 0 };
  }

  /**
   * A live key picked at random.
   *
   * @returns The key, or undefined when there is none.
   */
  randomKey(): string | undefined {
    for (let tries = 0; tries < 100 && this.#data.size > 0; tries++) {
      const key = this.#order[Math.floor(Math.random() * this.#order.length)];
      if (key !== null && key !== undefined && this.get(key) !== undefined) return key;
    }
    for (const key of this.keys()) return key;
    return undefined;
  }

  /** Deletes every key, telling the watchers of each. */
  flush(): void {
    const keys = this.onTouch ? [...this.#data.keys()] : [];
    this.#data.clear();
    this.#expires.clear();
    this.#order = [];
    this.#seqs = [];
    this.#holes = 0;
    this.#sweep = null;
    for (const key of keys) this.onTouch?.(key);
  }

  /**
   * Swaps contents with another database (SWAPDB), telling the watchers of both.
   *
   * @param other The other database.
   */
  swap(other: Database): void {
    const touched = new Set([...this.#data.keys(), ...other.#data.keys()]);
    [this.#data, other.#data] = [other.#data, this.#data];
    [this.#expires, other.#expires] = [other.#expires, this.#expires];
    [this.#order, other.#order] = [other.#order, this.#order];
    [this.#seqs, other.#seqs] = [other.#seqs, this.#seqs];
    [this.#holes, other.#holes] = [other.#holes, this.#holes];
    [this.#nextSeq, other.#nextSeq] = [other.#nextSeq, this.#nextSeq];
    this.#sweep = null;
    other.#sweep = null;
    for (const key of touched) {
      this.onTouch?.(key);
      other.onTouch?.(key);
    }
  }

  /**
   * Redis's active expiry: sample 20 keys with a TTL, delete the expired ones, and go again
   * while more than a quarter of a sample had expired and the budget lasts.
   *
   * @param budgetMs Time allowed.
   * @returns Keys removed.
   */
  activeExpireCycle(budgetMs: number): number {
    const start = performance.now();
    let removed = 0;
    while (this.#expires.size > 0) {
      const now = this.#clock();
      let sampled = 0;
      let expired = 0;
      while (sampled < SAMPLE && sampled < this.#expires.size) {
        // One iterator that lives across calls walks the TTL keys round-robin; Map iterators
        // stay valid while entries are deleted.
        this.#sweep ??= this.#expires.entries();
        const step = this.#sweep.next();
        if (step.done) {
          this.#sweep = null;
          if (sampled === 0) break;
          continue;
        }
        sampled++;
        const [key, at] = step.value;
        if (at <= now && this.#expires.get(key) === at) {
          this.#expired(key);
          expired++;
        }
      }
      removed += expired;
      if (expired * 4 <= sampled || performance.now() - start >= budgetMs) break;
    }
    return removed;
  }

  /** Whether the key's TTL has passed. */
  #isPast(key: string): boolean {
    const at = this.#expires.get(key);
    return at !== undefined && at <= this.#clock();
  }

  /** Deletes the key if its TTL has passed. */
  #expired(key: string): boolean {
    if (!this.#isPast(key)) return false;
    const slot = this.#data.get(key);
    if (slot) this.#remove(key, slot);
    this.onTouch?.(key);
    return true;
  }

  #remove(key: string, slot: Slot): void {
    this.#data.delete(key);
    if (this.#expires.size > 0) this.#expires.delete(key);
    const seqs = this.#seqs;
    let lo = 0;
    let hi = seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seqs[mid] < slot.seq) lo = mid + 1;
      else hi = mid;
    }
    this.#order[lo] = null;
    this.#holes++;
    if (this.#holes > 64 && this.#holes * 2 > this.#order.length) this.#compact();
  }

  #compact(): void {
    const order: string[] = [];
    const seqs: number[] = [];
    for (let i = 0; i < this.#order.length; i++) {
      const key = this.#order[i];
      if (key !== null) {
        order.push(key);
        seqs.push(this.#seqs[i]);
      }
    }
    this.#order = order;
    this.#seqs = seqs;
    this.#holes = 0;
  }
}
