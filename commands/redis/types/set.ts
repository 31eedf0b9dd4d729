/**
 * The set type: members with O(1) add, remove and random pick.
 *
 * @module
 */

import { latin1 } from "../../../lib/resp/args.ts";
import { hashOf, hashOfBytes, heldEquals } from "./held.ts";

const INTEGER = /^(?:0|-?[1-9]\d{0,18})$/;

/** Up to this many members a set has no index: a lookup compares them one by one. */
const SMALL = 16;

/**
 * A Redis set of latin1 members: a dense array for random picks (SPOP, SRANDMEMBER) and, past
 * 16 members, an open-addressing index from member to its slot (an Int32Array, linear
 * probing, with each member's hash kept beside it); removal swaps the last member into the
 * hole. A member can be looked up from a client's bytes, so SADD of a member already there
 * and SISMEMBER build no string.
 *
 * @example
 * ```ts
 * import { RSet } from "./set.ts";
 * import assert from "node:assert/strict";
 * const s = new RSet();
 * assert.ok(s.add("1"));
 * assert.ok(!s.add("1"));
 * assert.equal(s.encoding(), "intset");
 * s.add("a");
 * assert.equal(s.encoding(), "listpack");
 * assert.ok(!s.addBytes(new Uint8Array([97])));
 * assert.ok(s.delete("1"));
 * assert.deepEqual([...s], ["a"]);
 * ```
 */
export class RSet {
  #items: string[] = [];
  /** Per slot, its member's hash; null while the set is small. */
  #hashes: Int32Array | null = null;
  /** Slot + 1 per position; 0 empty, -1 a removed entry (probe chains go on). */
  #table: Int32Array | null = null;
  /** Positions of the table not empty. */
  #filled = 0;
  #enc: "intset" | "listpack" | "hashtable" = "intset";

  /** Member count. */
  get size(): number {
    return this.#items.length;
  }

  /**
   * Adds a member.
   *
   * @param m The member.
   * @returns Whether it was new.
   */
  add(m: string): boolean {
    const hash = hashOf(m);
    if (this.#slot(m, hash) >= 0) return false;
    this.#append(m, hash);
    return true;
  }

  /**
   * Adds a member given as bytes (latin1), building its string only when it is new.
   *
   * @param bytes The member.
   * @returns Whether it was new.
   */
  addBytes(bytes: Uint8Array): boolean {
    const hash = hashOfBytes(bytes);
    if (this.#slotOfBytes(bytes, hash) >= 0) return false;
    this.#append(latin1(bytes), hash);
    return true;
  }

  /**
   * Whether `m` is a member.
   *
   * @param m The member.
   * @returns Membership.
   */
  has(m: string): boolean {
    return this.#slot(m, hashOf(m)) >= 0;
  }

  /**
   * Whether the member given as bytes (latin1) is there.
   *
   * @param bytes The member.
   * @returns Membership.
   */
  hasBytes(bytes: Uint8Array): boolean {
    return this.#slotOfBytes(bytes, hashOfBytes(bytes)) >= 0;
  }

  /**
   * Removes a member.
   *
   * @param m The member.
   * @returns Whether it was there.
   */
  delete(m: string): boolean {
    const items = this.#items;
    const table = this.#table;
    if (table === null) {
      const at = items.indexOf(m);
      if (at < 0) return false;
      const last = items.pop()!;
      if (at < items.length) items[at] = last;
      return true;
    }
    const hashes = this.#hashes!;
    const position = this.#position(m, hashOf(m));
    if (position < 0) return false;
    const at = table[position] - 1;
    table[position] = -1;
    const lastSlot = items.length - 1;
    const last = items.pop()!;
    if (at < lastSlot) {
      // The last member fills the hole: its index entry follows it.
      items[at] = last;
      hashes[at] = hashes[lastSlot];
      const mask = table.length - 1;
      let i = hashes[at] & mask;
      while (table[i] !== lastSlot + 1) i = (i + 1) & mask;
      table[i] = at + 1;
    }
    return true;
  }

  /**
   * A member picked uniformly at random.
   *
   * @returns It, or undefined when empty.
   */
  random(): string | undefined {
    return this.#items[Math.floor(Math.random() * this.#items.length)];
  }

  /**
   * The name OBJECT ENCODING reports; like Redis, a set never converts back to a smaller one.
   *
   * @returns `intset`, `listpack` or `hashtable`.
   */
  encoding(): string {
    return this.#enc;
  }

  /**
   * A copy.
   *
   * @returns A new set with the same members.
   */
  clone(): RSet {
    const s = new RSet();
    for (const m of this.#items) s.add(m);
    s.#enc = this.#enc;
    return s;
  }

  /**
   * The members.
   *
   * @returns An iterator.
   */
  [Symbol.iterator](): IterableIterator<string> {
    return this.#items[Symbol.iterator]();
  }

  /** The slot of a member, or -1. */
  #slot(m: string, hash: number): number {
    const table = this.#table;
    if (table === null) return this.#items.indexOf(m);
    const position = this.#position(m, hash);
    return position < 0 ? -1 : table[position] - 1;
  }

  /** The table position of a member, or -1 (the set has a table). */
  #position(m: string, hash: number): number {
    const table = this.#table!;
    const hashes = this.#hashes!;
    const items = this.#items;
    const mask = table.length - 1;
    for (let i = hash & mask;; i = (i + 1) & mask) {
      const e = table[i];
      if (e === 0) return -1;
      if (e > 0 && hashes[e - 1] === hash && items[e - 1] === m) return i;
    }
  }

  /** The slot of a member given as bytes, or -1. */
  #slotOfBytes(bytes: Uint8Array, hash: number): number {
    const items = this.#items;
    const table = this.#table;
    if (table === null) {
      for (let slot = 0; slot < items.length; slot++) {
        if (heldEquals(items[slot], bytes)) return slot;
      }
      return -1;
    }
    const hashes = this.#hashes!;
    const mask = table.length - 1;
    for (let i = hash & mask;; i = (i + 1) & mask) {
      const e = table[i];
      if (e === 0) return -1;
      if (e > 0 && hashes[e - 1] === hash && heldEquals(items[e - 1], bytes)) return e - 1;
    }
  }

  /** Adds a member known to be absent. */
  #append(m: string, hash: number): void {
    const items = this.#items;
    const slot = items.length;
    items.push(m);
    this.#grow(m);
    if (this.#table === null) {
      if (items.length > SMALL) this.#rebuild();
      return;
    }
    if (slot >= this.#hashes!.length) {
      const hashes = new Int32Array(this.#hashes!.length * 2);
      hashes.set(this.#hashes!);
      this.#hashes = hashes;
    }
    this.#hashes![slot] = hash;
    // Grow (or clear out removed entries) at three quarters full, to half full.
    if ((this.#filled + 1) * 4 > this.#table.length * 3) return this.#rebuild();
    const table = this.#table;
    const mask = table.length - 1;
    let i = hash & mask;
    while (table[i] > 0) i = (i + 1) & mask;
    if (table[i] === 0) this.#filled++;
    table[i] = slot + 1;
  }

  /** Builds the index afresh for the members there are. */
  #rebuild(): void {
    const items = this.#items;
    const n = items.length;
    let size = 32;
    while (size < n * 2) size *= 2;
    let hashes = this.#hashes;
    if (hashes === null) {
      hashes = new Int32Array(size / 2);
      for (let slot = 0; slot < n; slot++) hashes[slot] = hashOf(items[slot]);
      this.#hashes = hashes;
    }
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let slot = 0; slot < n; slot++) {
      let i = hashes[slot] & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = slot + 1;
    }
    this.#table = table;
    this.#filled = n;
  }

  #grow(m: string): void {
    const n = this.#items.length;
    if (this.#enc === "intset") {
      if (INTEGER.test(m) && n <= 512) return;
      this.#enc = n <= 128 && this.#allShort() ? "listpack" : "hashtable";
    } else if (this.#enc === "listpack" && (n > 128 || m.length > 64)) {
      this.#enc = "hashtable";
    }
  }

  #allShort(): boolean {
    for (const m of this.#items) if (m.length > 64) return false;
    return true;
  }
}
