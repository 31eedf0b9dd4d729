/**
 * The names of a collection (set members, hash fields, sorted-set members) in numbered slots,
 * found by name or by a client's bytes.
 *
 * @module
 */

import { latin1 } from "../../../lib/resp/args.ts";
import { HashesAhead, hashOf, heldEquals } from "./held.ts";
import { noteBulkWork } from "./bulk_work.ts";

/** What {@linkcode NameTable.prefetch} read (see there). */
let warmth = 0;
/** The hashes of the names the last {@linkcode NameTable.prefetch} fetched, for any table. */
const ahead = new HashesAhead();
/** Their index entries, reused. */
const aheadEntries = new Int32Array(HashesAhead.SIZE);

/** Up to this many slots there is no index: a lookup compares the names one by one. */
const SMALL = 16;

/**
 * Enters a slot into an open-addressing index (slot + 1 per position, 0 empty, -1 removed,
 * linear probing) at the first position free for its hash.
 *
 * @example
 * ```ts
 * import { place } from "./name_table.ts";
 * import assert from "node:assert/strict";
 * const table = new Int32Array(4);
 * assert.ok(place(table, 1, 7));
 * assert.ok(place(table, 1, 8));
 * assert.deepEqual([...table], [0, 8, 9, 0]);
 * ```
 *
 * @param table The index; its length a power of two, with a free position.
 * @param hash The slot's hash.
 * @param slot The slot.
 * @param tags The bits of the hash the entry keeps beside slot + 1 (see TAGS in db.ts); none
 *   by default.
 * @returns Whether the position was empty (not a removed entry's).
 */
export function place(table: Int32Array, hash: number, slot: number, tags = 0): boolean {
  const mask = table.length - 1;
  let i = hash & mask;
  while (table[i] > 0) i = (i + 1) & mask;
  const empty = table[i] === 0;
  table[i] = (hash & tags) | (slot + 1);
  return empty;
}

/**
 * Latin1 names in slots numbered from 0 in the order they were taken. Each slot is `stride`
 * cells of one array: the name, then what the collection keeps with it (a hash's value), so
 * that a small collection is one object and one array, as small as the Map it replaced. A
 * removed name leaves a hole until the owner packs the slots or moves another name into it.
 *
 * Past 16 slots an open-addressing index (an Int32Array of slot + 1, linear probing, each
 * name's hash kept beside it) finds a name's slot; below, the names are compared one by one,
 * which is as fast for so few and costs no memory. Names can be looked up from a client's
 * bytes, so a command that finds its member or field there builds no string.
 *
 * Sets and hashes extend it rather than hold one, for the same reason.
 *
 * @example
 * ```ts
 * import { NameTable } from "./name_table.ts";
 * import assert from "node:assert/strict";
 * const t = new NameTable();
 * assert.equal(t.addName("a"), 0);
 * assert.equal(t.addName("b"), 1);
 * assert.equal(t.findName("b"), 1);
 * assert.equal(t.findNameBytes(new Uint8Array([97])), 0);
 * t.removeName(0);
 * assert.equal(t.findName("a"), -1);
 * assert.equal(t.nameAt(1), "b");
 * ```
 */
export class NameTable {
  /** Cells per slot: the name and what goes with it. */
  readonly stride: number;
  /**
   * Slot s's name at `s * stride` and its owner's cells after it; undefined in a hole and
   * past {@linkcode used}. A new array once the slots grow or are cleared.
   */
  cells: unknown[];
  /** Slots taken, holes included. */
  used = 0;
  /** Names there are (slots taken less holes). */
  live = 0;
  /** Per slot, its name's hash; null while there is no index. */
  #hashes: Int32Array | null = null;
  /** Slot + 1 per position; 0 empty, -1 a removed entry (probe chains go on). */
  #table: Int32Array | null = null;
  /** Positions of the table not empty. */
  #filled = 0;
  /** The slot found or added last: commands look a name up and then write it. */
  #last = 0;

  /** @param stride Cells per slot. */
  constructor(stride = 1) {
    this.stride = stride;
    this.cells = new Array(4 * stride);
  }

  /**
   * The name in a slot.
   *
   * @param slot The slot.
   * @returns The name, or undefined in a hole or past the slots taken.
   */
  nameAt(slot: number): string | undefined {
    return this.cells[slot * this.stride] as string | undefined;
  }

  /** Names there are. */
  get size(): number {
    return this.live;
  }

  /**
   * Whether a name is there.
   *
   * @param name The name.
   * @returns The answer.
   */
  has(name: string): boolean {
    return this.findName(name) >= 0;
  }

  /**
   * Whether a name given as bytes (latin1) is there.
   *
   * @param bytes The name.
   * @returns The answer.
   */
  hasBytes(bytes: Uint8Array): boolean {
    return this.findNameBytes(bytes) >= 0;
  }

  /**
   * The slot of a name.
   *
   * @param name The name.
   * @returns The slot, or -1.
   */
  findName(name: string): number {
    const cells = this.cells;
    const stride = this.stride;
    if (cells[this.#last * stride] === name) return this.#last;
    const table = this.#table;
    if (table === null) {
      for (let slot = 0; slot < this.used; slot++) if (cells[slot * stride] === name) return slot;
      return -1;
    }
    const hash = hashOf(name);
    const hashes = this.#hashes!;
    const mask = table.length - 1;
    for (let i = hash & mask;; i = (i + 1) & mask) {
      const e = table[i];
      if (e === 0) return -1;
      if (e > 0 && hashes[e - 1] === hash && cells[(e - 1) * stride] === name) {
        return this.#last = e - 1;
      }
    }
  }

  /**
   * The slot of a name given as bytes (latin1).
   *
   * @param bytes The name.
   * @returns The slot, or -1.
   */
  findNameBytes(bytes: Uint8Array): number {
    const cells = this.cells;
    const stride = this.stride;
    const table = this.#table;
    if (table === null) {
      for (let slot = 0; slot < this.used; slot++) {
        const name = cells[slot * stride] as string | undefined;
        if (name !== undefined && heldEquals(name, bytes)) return slot;
      }
      return -1;
    }
    const hash = ahead.hashOf(bytes);
    const hashes = this.#hashes!;
    const mask = table.length - 1;
    for (let i = hash & mask;; i = (i + 1) & mask) {
      const e = table[i];
      if (e === 0) return -1;
      if (e > 0 && hashes[e - 1] === hash && heldEquals(cells[(e - 1) * stride] as string, bytes)) {
        return this.#last = e - 1;
      }
    }
  }

  /**
   * Starts bringing what the lookups of several names given as bytes read into the cache:
   * their index entries, hashes and stored names, in passes so that the cache misses overlap
   * (see Database.prefetch). The server calls it for the members or fields the commands of a
   * pipelined batch name in one set, hash or sorted set. The hashes are kept for
   * {@linkcode findNameBytes} and {@linkcode addNameBytes} of the same views.
   *
   * @param names Names as sent; up to the first {@linkcode HashesAhead.SIZE} are fetched.
   * @param count How many of `names` to fetch.
   */
  prefetch(names: readonly Uint8Array[], count: number = names.length): void {
    const table = this.#table;
    // A small table is read whole by any lookup, and soon in the cache.
    if (table === null) return;
    const n = Math.min(count, HashesAhead.SIZE);
    const hashes = ahead.fill(names, 0, n);
    const mask = table.length - 1;
    for (let i = 0; i < n; i++) aheadEntries[i] = table[hashes[i] & mask];
    const slotHashes = this.#hashes!;
    const cells = this.cells;
    const stride = this.stride;
    // Sums of what was read, kept so that the reads are not optimised away.
    let warm = 0;
    for (let i = 0; i < n; i++) {
      const e = aheadEntries[i];
      if (e <= 0) continue;
      const at = (e - 1) * stride;
      // The name's last character: a string can straddle two cache lines.
      const name = cells[at] as string;
      warm ^= slotHashes[e - 1] ^ name.charCodeAt(name.length - 1);
      // A hash's value too, which HSET compares with the new one.
      if (stride > 1) warm ^= typeof cells[at + 1] === "string" ? 1 : 0;
    }
    warmth ^= warm;
  }

  /**
   * Puts a name known to be absent into the next slot.
   *
   * @param name The name.
   * @returns Its slot ({@linkcode used} before the call).
   */
  addName(name: string): number {
    return this.#add(name, this.#table === null ? 0 : hashOf(name));
  }

  /**
   * {@linkcode addName} for a name given as bytes (absent).
   *
   * @param bytes The name.
   * @returns Its slot.
   */
  addNameBytes(bytes: Uint8Array): number {
    return this.#add(latin1(bytes), this.#table === null ? 0 : ahead.hashOf(bytes));
  }

  /**
   * Empties a slot, all its cells. By default it leaves a hole, so the other slots keep their
   * order, and packs the slots (renumbering them) once holes outnumber the names; `dense`
   * moves the last slot into it instead (sets, which pick random members by slot).
   *
   * @param slot A taken slot.
   * @param dense Keep the slots without holes.
   */
  removeName(slot: number, dense = false): void {
    const table = this.#table;
    const cells = this.cells;
    const stride = this.stride;
    if (table !== null) table[this.#position(slot)] = -1;
    for (let i = slot * stride; i < (slot + 1) * stride; i++) cells[i] = undefined;
    this.live--;
    if (this.live === 0) return this.#clear();
    if (dense) {
      const last = --this.used;
      if (slot === last) return;
      if (table !== null) {
        table[this.#position(last)] = slot + 1;
        this.#hashes![slot] = this.#hashes![last];
      }
      for (let i = 0; i < stride; i++) {
        cells[slot * stride + i] = cells[last * stride + i];
        cells[last * stride + i] = undefined;
      }
      return;
    }
    const holes = this.used - this.live;
    if (holes > SMALL && holes > this.live) this.#pack();
  }

  /** The table position of a taken slot (there is an index). */
  #position(slot: number): number {
    const table = this.#table!;
    const mask = table.length - 1;
    let i = this.#hashes![slot] & mask;
    while (table[i] !== slot + 1) i = (i + 1) & mask;
    return i;
  }

  #add(name: string, hash: number): number {
    const slot = this.used++;
    this.live++;
    const stride = this.stride;
    if (slot * stride === this.cells.length) {
      noteBulkWork(slot);
      const grown: unknown[] = new Array(2 * slot * stride);
      for (let i = 0; i < slot * stride; i++) grown[i] = this.cells[i];
      this.cells = grown;
    }
    this.cells[slot * stride] = name;
    this.#last = slot;
    if (this.#table === null) {
      if (this.used > SMALL) this.#index();
      return slot;
    }
    if (slot >= this.#hashes!.length) {
      const hashes = new Int32Array(this.#hashes!.length * 2);
      hashes.set(this.#hashes!);
      this.#hashes = hashes;
    }
    this.#hashes![slot] = hash;
    // Grow (or clear out removed entries) at three quarters full, to half full.
    if ((this.#filled + 1) * 4 > this.#table.length * 3) {
      this.#index();
      return slot;
    }
    if (place(this.#table, hash, slot)) this.#filled++;
    return slot;
  }

  /** Empties every slot and drops the index. */
  #clear(): void {
    this.cells = new Array(4 * this.stride);
    this.used = 0;
    this.live = 0;
    this.#hashes = null;
    this.#table = null;
    this.#filled = 0;
    this.#last = 0;
  }

  /** Closes the holes, keeping the order of the slots (which get new numbers). */
  #pack(): void {
    noteBulkWork(this.used);
    const cells = this.cells;
    const stride = this.stride;
    const packed: unknown[] = new Array(Math.max(4, this.live) * stride);
    let n = 0;
    for (let slot = 0; slot < this.used; slot++) {
      if (cells[slot * stride] === undefined) continue;
      for (let i = 0; i < stride; i++) packed[n * stride + i] = cells[slot * stride + i];
      n++;
    }
    this.cells = packed;
    this.used = n;
    this.#last = 0;
    this.#hashes = null;
    this.#table = null;
    this.#filled = 0;
    if (n > SMALL) this.#index();
  }

  /** Builds the index afresh for the names there are. */
  #index(): void {
    noteBulkWork(this.used);
    const cells = this.cells;
    const stride = this.stride;
    const n = this.used;
    let size = 32;
    while (size < n * 2) size *= 2;
    let hashes = this.#hashes;
    if (hashes === null) {
      hashes = new Int32Array(size / 2);
      for (let slot = 0; slot < n; slot++) {
        const name = cells[slot * stride] as string | undefined;
        if (name !== undefined) hashes[slot] = hashOf(name);
      }
      this.#hashes = hashes;
    }
    const table = new Int32Array(size);
    let filled = 0;
    for (let slot = 0; slot < n; slot++) {
      if (cells[slot * stride] !== undefined && place(table, hashes[slot], slot)) filled++;
    }
    this.#table = table;
    this.#filled = filled;
  }
}

/**
 * A {@linkcode NameTable} with a value in the cell after each name: what a Map from name to
 * value offers (hash fields to values, sorted-set members to scores), in the order names came.
 *
 * @example
 * ```ts
 * import { PairTable } from "./name_table.ts";
 * import assert from "node:assert/strict";
 * const t = new PairTable<number>();
 * t.set("a", 1.5).set("b", 2);
 * assert.equal(t.get("a"), 1.5);
 * assert.equal(t.nameOfBytes(new Uint8Array([98])), "b");
 * assert.ok(t.delete("a"));
 * assert.deepEqual([...t], [["b", 2]]);
 * ```
 */
export class PairTable<V> extends NameTable {
  constructor() {
    super(2);
  }

  /**
   * A name's value.
   *
   * @param name The name.
   * @returns The value, or undefined.
   */
  get(name: string): V | undefined {
    const slot = this.findName(name);
    return slot < 0 ? undefined : this.cells[2 * slot + 1] as V;
  }

  /**
   * The value of a name given as bytes (latin1).
   *
   * @param bytes The name.
   * @returns The value, or undefined.
   */
  getBytes(bytes: Uint8Array): V | undefined {
    const slot = this.findNameBytes(bytes);
    return slot < 0 ? undefined : this.cells[2 * slot + 1] as V;
  }

  /**
   * The stored string of a name given as bytes (latin1), found without building one.
   *
   * @param bytes The name.
   * @returns The name, or undefined when absent.
   */
  nameOfBytes(bytes: Uint8Array): string | undefined {
    const slot = this.findNameBytes(bytes);
    return slot < 0 ? undefined : this.nameAt(slot);
  }

  /**
   * Sets a name's value, adding the name after the others when new.
   *
   * @param name The name.
   * @param value The value.
   * @returns This table.
   */
  set(name: string, value: V): this {
    let slot = this.findName(name);
    if (slot < 0) slot = this.addName(name);
    this.cells[2 * slot + 1] = value;
    return this;
  }

  /**
   * Removes a name.
   *
   * @param name The name.
   * @returns Whether it was there.
   */
  delete(name: string): boolean {
    const slot = this.findName(name);
    if (slot < 0) return false;
    this.removeName(slot);
    return true;
  }

  /**
   * Names and values in the order names came. Names added or removed meanwhile may or may
   * not be seen.
   *
   * @yields `[name, value]` pairs.
   */
  *entries(): IterableIterator<[string, V]> {
    // The cells as they are now: past the used slots they hold nothing, and once the table
    // grows or packs into a new array, the walk goes on over the old one.
    const cells = this.cells;
    for (let i = 0; i < cells.length; i += 2) {
      const name = cells[i] as string | undefined;
      if (name !== undefined) yield [name, cells[i + 1] as V];
    }
  }

  /**
   * Names and values in the order names came.
   *
   * @returns `[name, value]` pairs.
   */
  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  /**
   * The names, in order.
   *
   * @yields Names.
   */
  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  /**
   * The values, in the order of their names.
   *
   * @yields Values.
   */
  *values(): IterableIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }
}
