/**
 * One Redis database: keys to typed values, with TTLs that expire on access and by an active
 * sampling cycle, a hook that sees every write (WATCH, blocking pops), an access clock per key
 * (LRU time or LFU counter) and a running estimate of its memory.
 *
 * @module
 */

import { Hash } from "./types/hash.ts";
import { List } from "./types/list.ts";
import type { RSet } from "./types/set.ts";
import { ZSet } from "./types/zset.ts";
import { entrySize, KEY_OVERHEAD, type StoredValue, stringSize } from "./memory.ts";
import { latin1, latin1Range } from "./bytes.ts";
import { compactString, HashesAhead, hashOf } from "./types/held.ts";
import { place } from "./types/name_table.ts";
import { noteBulkWork } from "./types/bulk_work.ts";

export { compactString, type HeldBytes, RAW_STRINGS } from "./types/held.ts";

export type { StoredValue } from "./memory.ts";

/** Options for a {@linkcode Database}. */
export interface DatabaseOptions {
  /**
   * Slots past which the index drops its hash tags (see TAGS); lower only to test that.
   * @default 2^24 - 1
   */
  taggedSlots?: number;
}

/** A value of the keyspace, tagged with its Redis type. */
export type RedisValue =
  | { type: "string"; value: Uint8Array }
  | { type: "list"; value: List }
  | { type: "hash"; value: Hash }
  | { type: "set"; value: RSet }
  | { type: "zset"; value: ZSet };

/** The Redis type names. */
export type RedisType = RedisValue["type"];

/** Keys Redis samples per round of the active expire cycle. */
const SAMPLE = 20;
/** Keys longer than this are not looked up from their bytes (see `Database.key`). */
const SHORT_STRING = 64;
/**
 * The bits of a key's hash its index entry keeps above slot + 1, so that a probe passes over
 * other keys' entries without reading their key strings (each a cache miss) but for one in
 * 128. They leave 24 bits for the slot: a database that needs more slots drops the tags.
 */
const TAGS = 0x7f000000;
/** Slots a database may have with tagged index entries (see TAGS). */
const TAGGED_SLOTS = 0xffffff;
/** Redis's LFU constants: a new key's counter, lfu-log-factor and lfu-decay-time (minutes). */
const LFU_INIT = 5;
const LFU_LOG_FACTOR = 10;
const LFU_DECAY_MINUTES = 1;

/*
 * A slot's record: 16 bytes, a quarter of a cache line, so that a lookup finds the access
 * clock and a short value in one line:
 *   bytes 0-3   the access clock (ms mod 2^32, or LFU minutes << 8 | counter)
 *   byte  4     the length of the value held in the record (0-11), or HELD
 *   bytes 5-15  the value, when held in the record
 *   bytes 8-11  with HELD: the bytes the key is accounted at (see memory.ts; at most 4 GiB)
 */
/** Bytes per record. */
const RECORD = 16;
/** Where a record keeps its value's length or HELD. */
const LENGTH = 4;
/** The longest value a record holds itself. */
const SHORT_VALUE = RECORD - LENGTH - 1;
/** The value is in the slot's entry of the value array, not in the record. */
const HELD = 255;

/**
 * The Redis type of a stored value.
 *
 * @example
 * ```ts
 * import { typeOf } from "./db.ts";
 * import { List } from "./types/list.ts";
 * import assert from "node:assert/strict";
 * assert.equal(typeOf("abc"), "string");
 * assert.equal(typeOf(new List()), "list");
 * ```
 *
 * @param v The value as the keyspace holds it.
 * @returns Its type name.
 */
export function typeOf(v: StoredValue): RedisType {
  if (typeof v === "string" || v instanceof Uint8Array) return "string";
  if (v instanceof List) return "list";
  if (v instanceof ZSet) return "zset";
  return v instanceof Hash ? "hash" : "set";
}

/** The stored form of a tagged value. */
function toStored(v: RedisValue): StoredValue {
  return v.type === "string" ? compactString(v.value) : v.value;
}

/** The tagged form of a stored value; short strings become new bytes. */
function toValue(v: StoredValue): RedisValue {
  if (typeof v === "string") {
    const bytes = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i++) bytes[i] = v.charCodeAt(i);
    return { type: "string", value: bytes };
  }
  return { type: typeOf(v), value: v } as RedisValue;
}

/**
 * A database of the keyspace.
 *
 * Keys live in slots: parallel arrays of keys, values and 16-byte records (the access clock
 * and a short string value itself, see RECORD), with an open-addressing index (an Int32Array of
 * slot numbers, linear probing) to find a key's slot. That is the lean layout for millions of
 * small keys: no object per key besides the key string (and the value when it is not short),
 * where a Map of slot objects costs about four times as much.
 * Freed slots are reused; SCAN's cursor is a slot number, so a key present for the whole scan
 * never moves and is always returned while others come and go. Random slots give RANDOMKEY and
 * the eviction samples.
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
 * assert.equal(db.lookup("k"), "1");
 * now = 1500;
 * assert.equal(db.get("k"), undefined);
 * ```
 */
export class Database {
  /** The database number (SELECT). */
  readonly index: number;
  /**
   * The running command's time (ms since the epoch), set by the server before each command;
   * 0 when none is set. Access times are stamped with it.
   */
  commandTime = 0;
  /** Called with the key on every write to it: set, delete, expiry, flush, {@linkcode touch}. */
  onTouch: ((key: string) => void) | null = null;
  /**
   * Whether accesses keep Redis's LFU counter (an LFU maxmemory-policy) instead of the last
   * access time. Switching leaves old clocks to be read the other way until keys are touched,
   * as in Redis.
   */
  lfu = false;
  #clock: () => number;
  /**
   * Per position, slot number + 1 with the key's hash bits under `#tags` (see TAGS); 0 empty,
   * -1 a deleted entry (probe chains go on).
   */
  #table = new Int32Array(16);
  /** TAGS, or 0 once the slots outgrow `#taggedSlots`. */
  #tags = TAGS;
  #taggedSlots: number;
  /** Positions of the table not empty (live and deleted). */
  #filled = 0;
  #keys: (string | undefined)[] = [];
  #vals: (StoredValue | undefined)[] = [];
  /**
   * One record per slot (see RECORD): the access clock, and the value itself when it is a
   * short ASCII string, as Redis embeds short strings in their object. A GET or SET of one
   * then touches no value object: no cache miss for it, and no garbage.
   */
  #records = new Uint8Array(16 * RECORD);
  /** The same memory as words: a slot's clock is word 4 * slot, its accounted size 4 * slot + 2. */
  #meta = new Uint32Array(this.#records.buffer);
  /** Per slot, the key's hash: growing the index reads these instead of every key. */
  #hashes = new Int32Array(16);
  /** The last key string {@linkcode key} built for an absent key, and its hash. */
  #newKey: string | undefined;
  #newHash = 0;
  #free: number[] = [];
  /** What {@linkcode prefetch} read (see there). */
  #warm = 0;
  /** The hashes of the keys {@linkcode prefetch} fetched last, and their index entries. */
  #ahead = new HashesAhead();
  #aheadEntries = new Int32Array(HashesAhead.SIZE);
  /** The slot {@linkcode #find} returned last (its key may since have gone). */
  #lastSlot = 0;
  #count = 0;
  /** The estimated bytes of every key, see memory.ts. */
  #bytes = 0;
  #expires = new Map<string, number>();
  #sweep: Iterator<[string, number]> | null = null;
  #volatile: Iterator<string> | null = null;

  /**
   * @param index The database number.
   * @param clock Milliseconds since the epoch.
   * @param options How the index is laid out (tests).
   */
  constructor(index: number, clock: () => number, options: DatabaseOptions = {}) {
    this.index = index;
    this.#clock = clock;
    this.#taggedSlots = options.taggedSlots ?? TAGGED_SLOTS;
  }

  /**
   * The key a client names, as a string: the stored string itself when the key is present
   * (found from the bytes, so no string is built and the lookup that follows finds its slot
   * at once), else a new one. Any database's answer is a valid key for every database.
   *
   * @param bytes The key as sent.
   * @returns The key (latin1).
   */
  key(bytes: Uint8Array): string {
    if (bytes.length > SHORT_STRING) return latin1(bytes);
    const hash = this.#ahead.hashOf(bytes);
    const slot = this.#slotOfBytes(bytes, hash);
    if (slot < 0) return this.#created(latin1(bytes), hash);
    this.#lastSlot = slot;
    return this.#keys[slot]!;
  }

  /**
   * The value of a key given as bytes, as stored, when the key is there: expired or not, and
   * without counting as an access, so that looking does nothing a command could notice (the
   * server fetches what a batch's commands will read with it). Keys longer than 64 bytes are
   * not looked for.
   *
   * @param bytes The key as sent.
   * @returns The value, or undefined.
   */
  peekBytes(bytes: Uint8Array): StoredValue | undefined {
    if (bytes.length > SHORT_STRING) return undefined;
    const slot = this.#slotOfBytes(bytes, this.#ahead.hashOf(bytes));
    return slot < 0 ? undefined : this.#value(slot);
  }

  /** The slot of a key given as bytes and their hash, or -1. */
  #slotOfBytes(bytes: Uint8Array, hash: number): number {
    const n = bytes.length;
    const table = this.#table;
    const mask = table.length - 1;
    const keys = this.#keys;
    const tags = this.#tags;
    const tag = hash & tags;
    for (let i = hash & mask;; i = (i + 1) & mask) {
      const e = table[i];
      if (e === 0) return -1;
      if (e < 0 || (e & tags) !== tag) continue;
      const slot = (e & ~tags) - 1;
      const key = keys[slot]!;
      if (key.length !== n) continue;
      let j = 0;
      while (j < n && key.charCodeAt(j) === bytes[j]) j++;
      if (j === n) return slot;
    }
  }

  /**
   * Starts bringing what the lookups of several keys read into the cache: their index
   * entries, stored keys and records, in three passes (hashes, then index entries, then keys
   * and records) so that the cache misses of one pass overlap instead of coming one key after
   * another. The server calls it for the first argument of the commands of a pipelined batch
   * before running them, MSET and MGET for their keys (MSET of 10 keys out of 100k: 7.0 ->
   * 5.1 µs). The hashes of the last {@linkcode HashesAhead.SIZE} are kept: {@linkcode key}
   * takes them for the same views, in order.
   *
   * @param keys Keys as sent.
   * @param count How many of `keys` to fetch.
   */
  prefetch(keys: readonly Uint8Array[], count: number = keys.length): void {
    for (let start = 0; start < count; start += HashesAhead.SIZE) {
      this.#prefetch(keys, start, Math.min(HashesAhead.SIZE, count - start));
    }
  }

  /** {@linkcode prefetch} of `n` keys (at most HashesAhead.SIZE) from `start`. */
  #prefetch(keys: readonly Uint8Array[], start: number, n: number): void {
    const hashes = this.#ahead.fill(keys, start, n);
    const table = this.#table;
    const mask = table.length - 1;
    const entries = this.#aheadEntries;
    for (let i = 0; i < n; i++) entries[i] = table[hashes[i] & mask];
    const stored = this.#keys;
    const records = this.#records;
    const slots = ~this.#tags;
    // Sums of what was read, kept so that the reads are not optimised away.
    let warm = 0;
    for (let i = 0; i < n; i++) {
      const e = entries[i];
      if (e <= 0) continue;
      const slot = (e & slots) - 1;
      // The key's last character too: a string can straddle two cache lines.
      const key = stored[slot]!;
      warm ^= key.charCodeAt(key.length - 1) ^ records[slot * RECORD + LENGTH];
    }
    this.#warm ^= warm;
  }

  /**
   * The value of a live key; an expired key is deleted here and reads as missing. Counts as
   * an access for LRU/LFU. Short strings come back as new bytes: use {@linkcode lookup} on
   * hot paths.
   *
   * @param key The key (latin1).
   * @returns The value, or undefined.
   */
  get(key: string): RedisValue | undefined {
    const v = this.lookup(key);
    return v === undefined ? undefined : toValue(v);
  }

  /**
   * The value of a live key as stored (a short ASCII string is a JS string), counting as an
   * access.
   *
   * @param key The key.
   * @returns The value, or undefined.
   */
  lookup(key: string): StoredValue | undefined {
    const slot = this.#live(key);
    if (slot < 0) return undefined;
    this.#access(slot);
    return this.#value(slot);
  }

  /**
   * Where a live key's value is when its record holds it (a string of at most 11 ASCII
   * bytes): the offset in {@linkcode records} of its length, the bytes following. Counts as
   * an access. The hot path of GET, which copies the bytes into its reply from there.
   *
   * @param key The key.
   * @returns The offset; -1 when the key is missing, -2 when the value is held elsewhere
   * ({@linkcode lookup} reads it).
   */
  shortValue(key: string): number {
    const slot = this.#live(key);
    if (slot < 0) return -1;
    this.#access(slot);
    const at = slot * RECORD + LENGTH;
    return this.#records[at] === HELD ? -2 : at;
  }

  /**
   * The records {@linkcode shortValue} points into. Valid until the next write to the
   * database.
   *
   * @returns The bytes.
   */
  get records(): Uint8Array {
    return this.#records;
  }

  /**
   * The value of a live key as stored, without counting as an access (OBJECT, MEMORY USAGE).
   *
   * @param key The key.
   * @returns The value, or undefined.
   */
  peek(key: string): StoredValue | undefined {
    const slot = this.#live(key);
    return slot < 0 ? undefined : this.#value(slot);
  }

  /**
   * The tagged value of a live key without counting as an access: what a snapshot reads, so
   * that saving leaves every key's idle time as it was.
   *
   * @param key The key.
   * @returns The value, or undefined.
   */
  peekValue(key: string): RedisValue | undefined {
    const v = this.peek(key);
    return v === undefined ? undefined : toValue(v);
  }

  /**
   * Stores a value, clearing the TTL unless `keepTtl`.
   *
   * @param key The key.
   * @param value The value.
   * @param options `keepTtl` keeps an existing TTL (SET KEEPTTL).
   */
  set(key: string, value: RedisValue, options?: { keepTtl?: boolean }): void {
    this.put(key, toStored(value), options);
  }

  /**
   * Stores a value in its stored form ({@linkcode compactString} for strings).
   *
   * @param key The key.
   * @param value The value; bytes are kept, not copied.
   * @param options `keepTtl` keeps an existing TTL.
   */
  put(key: string, value: StoredValue, options?: { keepTtl?: boolean }): void {
    const slot = this.#writable(key, options?.keepTtl === true);
    if (typeof value !== "string" || !this.#embed(slot, value)) {
      this.#vals[slot] = value;
      this.#records[slot * RECORD + LENGTH] = HELD;
    }
    this.#account(slot);
    this.onTouch?.(key);
  }

  /**
   * Stores a string value given as bytes, which may view a buffer that will change (a
   * client's argument): a short one is copied into the key's record, others are stored as
   * {@linkcode put} would store a copy.
   *
   * @param key The key.
   * @param bytes The value.
   * @param keepTtl Keep an existing TTL.
   */
  putBytes(key: string, bytes: Uint8Array, keepTtl = false): void {
    const n = bytes.length;
    let ascii = n <= SHORT_VALUE;
    for (let i = 0; ascii && i < n; i++) ascii = bytes[i] < 128;
    if (!ascii) {
      const value = compactString(bytes);
      return this.put(key, value === bytes ? bytes.slice() : value, { keepTtl });
    }
    const slot = this.#writable(key, keepTtl);
    const records = this.#records;
    let at = slot * RECORD + LENGTH;
    if (records[at] === HELD) this.#vals[slot] = undefined;
    records[at++] = n;
    for (let i = 0; i < n; i++) records[at++] = bytes[i];
    this.#account(slot);
    this.onTouch?.(key);
  }

  /**
   * Tells the watchers that a value changed in place (LPUSH onto an existing list, ...), and
   * accounts its new size.
   *
   * @param key The key.
   */
  touch(key: string): void {
    const slot = this.#find(key);
    if (slot >= 0) {
      this.#bytes -= this.#accounted(slot);
      this.#account(slot);
    }
    this.onTouch?.(key);
  }

  /**
   * Deletes a key.
   *
   * @param key The key.
   * @returns Whether a live key was there.
   */
  delete(key: string): boolean {
    const slot = this.#find(key);
    if (slot < 0) return false;
    const live = !(this.#expires.size > 0 && this.#isPast(key));
    this.#remove(slot);
    this.onTouch?.(key);
    return live;
  }

  /**
   * Whether a live key exists (not an access).
   *
   * @param key The key.
   * @returns The answer.
   */
  has(key: string): boolean {
    return this.#live(key) >= 0;
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
    const slot = this.#live(key);
    if (slot < 0) return false;
    if (at === null) this.#expires.delete(key);
    else if (at <= this.#clock()) this.delete(key);
    // The stored key, not the caller's copy, goes into the map: one string per key.
    else this.#expires.set(this.#keys[slot]!, at);
    this.onTouch?.(key);
    return true;
  }

  /**
   * Keys held, counting expired ones not yet swept (as DBSIZE does).
   *
   * @returns The count.
   */
  size(): number {
    return this.#count;
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
   * The estimated memory of every key and value (see memory.ts), kept up to date on each
   * write.
   *
   * @returns Bytes.
   */
  memory(): number {
    return this.#bytes;
  }

  /**
   * Milliseconds since a key was last read or written (OBJECT IDLETIME, LRU eviction), without
   * counting as an access. Meaningless while {@linkcode lfu} is set.
   *
   * @param key The key.
   * @returns Ms, or undefined for a missing key.
   */
  idleTime(key: string): number | undefined {
    const slot = this.#live(key);
    if (slot < 0) return undefined;
    return ((this.#clock() >>> 0) - this.#meta[slot * 4]) >>> 0;
  }

  /**
   * Redis's LFU counter of a key after its decay (OBJECT FREQ, LFU eviction): logarithmic in
   * the access rate, 0 to 255. Meaningful while {@linkcode lfu} is set.
   *
   * @param key The key.
   * @returns The counter, or undefined for a missing key.
   */
  frequency(key: string): number | undefined {
    const slot = this.#live(key);
    if (slot < 0) return undefined;
    return lfuDecayed(this.#meta[slot * 4], this.#clock());
  }

  /**
   * Up to `n` distinct keys for the eviction pool: a run of slots from a random one, or the
   * next keys with a TTL (a round-robin walk: the TTL keys sit in a Map, which has no random
   * access). They may have expired.
   *
   * @param n How many.
   * @param volatile Only keys with a TTL.
   * @returns Keys.
   */
  sampleKeys(n: number, volatile: boolean): string[] {
    const out: string[] = [];
    if (volatile) {
      const size = this.#expires.size;
      for (let i = 0; i < n && i < size; i++) {
        this.#volatile ??= this.#expires.keys();
        let step = this.#volatile.next();
        if (step.done) {
          this.#volatile = this.#expires.keys();
          step = this.#volatile.next();
          if (step.done) break;
        }
        out.push(step.value);
      }
      return out;
    }
    // Redis's dictGetSomeKeys: consecutive slots from a random one, so the keys are distinct
    // and asking for as many as there are returns them all.
    const keys = this.#keys;
    const len = keys.length;
    if (this.#count === 0) return out;
    const start = Math.floor(Math.random() * len);
    for (let i = 0; i < len && out.length < n; i++) {
      const key = keys[(start + i) % len];
      if (key !== undefined) out.push(key);
    }
    return out;
  }

  /**
   * The live keys.
   *
   * @yields Keys.
   */
  *keys(): IterableIterator<string> {
    const now = this.#clock();
    // A copy, so that deletions while the caller iterates cannot shift what comes next.
    for (const key of this.#keys.slice()) {
      if (key === undefined) continue;
      const at = this.#expires.get(key);
      if (at !== undefined && at <= now) {
        this.#expired(key);
        continue;
      }
      yield key;
    }
  }

  /**
   * One step of SCAN: up to `count` keys from a cursor (a slot number).
   *
   * @param cursor 0 to start, then what the last step returned.
   * @param count How many keys to return (at most ten times as many slots are visited).
   * @returns The keys and the next cursor (0 when done).
   */
  scan(cursor: number, count: number): { keys: string[]; cursor: number } {
    const all = this.#keys;
    const keys: string[] = [];
    let i = cursor;
    const limit = cursor + count * 10;
    // Expired keys are skipped, not deleted: the walk only reads.
    for (; i < all.length && keys.length < count && i < limit; i++) {
      const key = all[i];
      if (key !== undefined && !(this.#expires.size > 0 && this.#isPast(key))) keys.push(key);
    }
    return { keys, cursor: i < all.length ? i : 0 };
  }

  /**
   * A live key picked at random.
   *
   * @returns The key, or undefined when there is none.
   */
  randomKey(): string | undefined {
    const keys = this.#keys;
    for (let tries = 0; tries < 100 && this.#count > 0; tries++) {
      const key = keys[Math.floor(Math.random() * keys.length)];
      if (key !== undefined && this.#live(key) >= 0) return key;
    }
    for (const key of this.keys()) return key;
    return undefined;
  }

  /** Deletes every key, telling the watchers of each. */
  flush(): void {
    const keys = this.onTouch ? this.#keys.filter((k) => k !== undefined) : [];
    this.#reset();
    for (const key of keys) this.onTouch?.(key);
  }

  /**
   * Swaps contents with another database (SWAPDB), telling the watchers of both.
   *
   * @param other The other database.
   */
  swap(other: Database): void {
    const touched = new Set<string>();
    for (const k of this.#keys) if (k !== undefined) touched.add(k);
    for (const k of other.#keys) if (k !== undefined) touched.add(k);
    [this.#table, other.#table] = [other.#table, this.#table];
    [this.#tags, other.#tags] = [other.#tags, this.#tags];
    [this.#filled, other.#filled] = [other.#filled, this.#filled];
    [this.#keys, other.#keys] = [other.#keys, this.#keys];
    [this.#vals, other.#vals] = [other.#vals, this.#vals];
    [this.#records, other.#records] = [other.#records, this.#records];
    [this.#meta, other.#meta] = [other.#meta, this.#meta];
    [this.#hashes, other.#hashes] = [other.#hashes, this.#hashes];
    [this.#free, other.#free] = [other.#free, this.#free];
    [this.#count, other.#count] = [other.#count, this.#count];
    [this.#bytes, other.#bytes] = [other.#bytes, this.#bytes];
    [this.#expires, other.#expires] = [other.#expires, this.#expires];
    this.#sweep = other.#sweep = null;
    this.#volatile = other.#volatile = null;
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

  /**
   * The time an access is stamped with: the running command's time when the server has set
   * {@linkcode commandTime}, so that a command reads the clock once however many keys it
   * touches (Redis's LRU clock is as coarse), else the clock.
   */
  #accessTime(): number {
    return this.commandTime > 0 ? this.commandTime : this.#clock();
  }

  /**
   * The slot a write of a key goes to, its old size no longer counted: the key's own, its TTL
   * cleared unless kept and its LRU time now, or a new one.
   */
  #writable(key: string, keepTtl: boolean): number {
    let slot = this.#find(key);
    if (slot >= 0) {
      this.#bytes -= this.#accounted(slot);
      // A TTL that has already passed belongs to the old value even under keepTtl.
      if (this.#expires.size > 0 && (!keepTtl || this.#isPast(key))) this.#expires.delete(key);
      // Redis keeps the LFU counter of an overwritten key; an LRU time is now.
      if (!this.lfu) this.#meta[slot * 4] = this.#accessTime() >>> 0;
    } else {
      slot = this.#insert(key);
      const now = this.#accessTime();
      this.#meta[slot * 4] = this.lfu ? (minutes(now) << 8) | LFU_INIT : now >>> 0;
    }
    return slot;
  }

  /** Puts a short ASCII string into a slot's record; false when it is not one. */
  #embed(slot: number, value: string): boolean {
    const n = value.length;
    if (n > SHORT_VALUE) return false;
    for (let i = 0; i < n; i++) if (value.charCodeAt(i) > 127) return false;
    const records = this.#records;
    let at = slot * RECORD + LENGTH;
    if (records[at] === HELD) this.#vals[slot] = undefined;
    records[at++] = n;
    for (let i = 0; i < n; i++) records[at++] = value.charCodeAt(i);
    return true;
  }

  /** A slot's value as stored, a string built from its record when the record holds it. */
  #value(slot: number): StoredValue {
    const records = this.#records;
    const at = slot * RECORD + LENGTH;
    const n = records[at];
    return n === HELD ? this.#vals[slot]! : latin1Range(records, at + 1, at + 1 + n);
  }

  /** The slot of a live key (deleting it if expired), or -1. */
  #live(key: string): number {
    const slot = this.#find(key);
    if (slot < 0) return -1;
    if (this.#expires.size > 0 && this.#expired(key)) return -1;
    return slot;
  }

  /** Redis's updateLFU or the LRU clock, on every read and write. */
  #access(slot: number): void {
    const now = this.#accessTime();
    if (!this.lfu) {
      this.#meta[slot * 4] = now >>> 0;
      return;
    }
    let counter = lfuDecayed(this.#meta[slot * 4], now);
    if (counter < 255) {
      const base = Math.max(0, counter - LFU_INIT);
      if (Math.random() < 1 / (base * LFU_LOG_FACTOR + 1)) counter++;
    }
    this.#meta[slot * 4] = (minutes(now) << 8) | counter;
  }

  /** What a slot's key is accounted at now. */
  #accounted(slot: number): number {
    const n = this.#records[slot * RECORD + LENGTH];
    // A value in the record is counted as the string it reads back as (see memory.ts).
    if (n !== HELD) return KEY_OVERHEAD + stringSize(this.#keys[slot]!.length) + stringSize(n);
    return this.#meta[slot * 4 + 2];
  }

  /** Adds a slot's current size to the total. */
  #account(slot: number): void {
    if (this.#records[slot * RECORD + LENGTH] === HELD) {
      this.#meta[slot * 4 + 2] = Math.min(
        entrySize(this.#keys[slot]!, this.#vals[slot]!),
        0xffffffff,
      );
    }
    this.#bytes += this.#accounted(slot);
  }

  /** Remembers the hash of a key string {@linkcode key} built, for the insert that follows. */
  #created(key: string, hash: number): string {
    this.#newKey = key;
    this.#newHash = hash;
    return key;
  }

  /** A key's hash, computed once when the key came through {@linkcode key}. */
  #hash(key: string): number {
    return key === this.#newKey ? this.#newHash : hashOf(key);
  }

  /** The table position holding a key, or -1. */
  #position(key: string): number {
    const table = this.#table;
    const mask = table.length - 1;
    const keys = this.#keys;
    const hash = this.#hash(key);
    const tags = this.#tags;
    const tag = hash & tags;
    for (let i = hash & mask;; i = (i + 1) & mask) {
      const e = table[i];
      if (e === 0) return -1;
      if (e > 0 && (e & tags) === tag && keys[(e & ~tags) - 1] === key) return i;
    }
  }

  /** The slot of a key, live or expired, or -1. */
  #find(key: string): number {
    // Commands mostly look a key up and then write it (INCR, LPUSH, HSET's touch): the slot
    // found last is checked first, which saves a probe of the index and its cache misses.
    const last = this.#lastSlot;
    if (this.#keys[last] === key) return last;
    const at = this.#position(key);
    if (at < 0) return -1;
    return this.#lastSlot = (this.#table[at] & ~this.#tags) - 1;
  }

  /** Gives a new key a slot (the key is known to be absent). */
  #insert(key: string): number {
    // Grow (or clean out deleted entries) at three quarters full, to half full.
    if ((this.#filled + 1) * 4 > this.#table.length * 3) this.#rebuild();
    const slot = this.#free.length > 0 ? this.#free.pop()! : this.#keys.length;
    if (slot >= this.#taggedSlots && this.#tags !== 0) {
      // Too many slots for tagged entries: every entry is written again without its tag.
      this.#tags = 0;
      this.#rebuild();
    }
    if (slot === this.#keys.length) {
      this.#keys.push(key);
      this.#vals.push(undefined);
      if (slot >= this.#hashes.length) {
        noteBulkWork(slot);
        const records = new Uint8Array(this.#records.length * 2);
        records.set(this.#records);
        this.#records = records;
        this.#meta = new Uint32Array(records.buffer);
        const hashes = new Int32Array(this.#hashes.length * 2);
        hashes.set(this.#hashes);
        this.#hashes = hashes;
      }
    } else this.#keys[slot] = key;
    const hash = this.#hash(key);
    this.#hashes[slot] = hash;
    if (place(this.#table, hash, slot, this.#tags)) this.#filled++;
    this.#count++;
    return slot;
  }

  #rebuild(): void {
    noteBulkWork(this.#keys.length);
    let size = 16;
    while (size < (this.#count + 1) * 2) size *= 2;
    const table = new Int32Array(size);
    const keys = this.#keys;
    const hashes = this.#hashes;
    for (let slot = 0; slot < keys.length; slot++) {
      if (keys[slot] !== undefined) place(table, hashes[slot], slot, this.#tags);
    }
    this.#table = table;
    this.#filled = this.#count;
  }

  /** Whether the key's TTL has passed. */
  #isPast(key: string): boolean {
    const at = this.#expires.get(key);
    return at !== undefined && at <= this.#clock();
  }

  /** Deletes the key if its TTL has passed. */
  #expired(key: string): boolean {
    if (!this.#isPast(key)) return false;
    const slot = this.#find(key);
    if (slot >= 0) this.#remove(slot);
    this.onTouch?.(key);
    return true;
  }

  #remove(slot: number): void {
    const key = this.#keys[slot]!;
    this.#bytes -= this.#accounted(slot);
    if (this.#expires.size > 0) this.#expires.delete(key);
    this.#table[this.#position(key)] = -1;
    this.#keys[slot] = undefined;
    this.#vals[slot] = undefined;
    this.#count--;
    if (this.#count === 0) this.#reset();
    else this.#free.push(slot);
  }

  #reset(): void {
    this.#table = new Int32Array(16);
    this.#tags = TAGS;
    this.#filled = 0;
    this.#keys = [];
    this.#vals = [];
    this.#records = new Uint8Array(16 * RECORD);
    this.#meta = new Uint32Array(this.#records.buffer);
    this.#hashes = new Int32Array(16);
    this.#free = [];
    this.#count = 0;
    this.#bytes = 0;
    this.#expires.clear();
    this.#sweep = null;
    this.#volatile = null;
  }
}

/** Redis's LFU clock: minutes, 16 bits. */
function minutes(ms: number): number {
  return Math.floor(ms / 60000) & 0xffff;
}

/** Redis's LFUDecrAndReturn: the counter less one per lfu-decay-time minutes since it moved. */
function lfuDecayed(clock: number, now: number): number {
  const then = clock >>> 8;
  const counter = clock & 0xff;
  const current = minutes(now);
  const elapsed = current >= then ? current - then : 65535 - then + current;
  const periods = Math.floor(elapsed / LFU_DECAY_MINUTES);
  return periods > counter ? 0 : counter - periods;
}
