/**
 * The hash type: fields to values, in insertion order.
 *
 * @module
 */

import { latin1 } from "../../../lib/resp/args.ts";
import { hashOf, hashOfBytes, type HeldBytes, heldCopy, heldEquals } from "./held.ts";

/** A hash value as held: a short ASCII value is a JS string, others are bytes (see held.ts). */
export type HashValue = HeldBytes;

/** Up to this many slots a hash has no index: a lookup compares the fields one by one. */
const SMALL = 16;

/**
 * A Redis hash from field (latin1) to value, in insertion order, and whether it ever outgrew
 * the small (listpack) encoding, which Redis never converts back.
 *
 * Fields and values sit side by side in one array, slot by slot in the order they came (one
 * array of the size needed, where a Map or two arrays would cost twice as much for the small
 * hashes most are); a removed field leaves a hole until holes outnumber the fields, when the
 * array is packed again. Past 16
 * slots an open-addressing index (an Int32Array, linear probing, each field's hash kept
 * beside it) finds a field's slot, from its string or from a client's bytes, so HSET of a
 * field already there and HGET build no string.
 *
 * @example
 * ```ts
 * import { Hash } from "./hash.ts";
 * import assert from "node:assert/strict";
 * const h = new Hash();
 * h.set("f", new Uint8Array([1]));
 * assert.equal(h.size, 1);
 * assert.equal(h.encoding(), "listpack");
 * assert.equal(h.setBytes(new Uint8Array([102]), new Uint8Array([120])), false);
 * assert.equal(h.get("f"), "x");
 * ```
 */
export class Hash {
  /** Set once the hash outgrew the listpack limits (128 entries, 64-byte items). */
  big = false;
  /** Field of slot i at 2i, its value at 2i + 1; undefined in a hole and past #used. */
  #slots: (HashValue | undefined)[] = new Array(4);
  /** Slots taken, holes included. */
  #used = 0;
  /** Per slot, its field's hash; null while the hash has no index. */
  #hashes: Int32Array | null = null;
  /** Slot + 1 per position; 0 empty, -1 a removed entry (probe chains go on). */
  #table: Int32Array | null = null;
  /** Positions of the table not empty. */
  #filled = 0;
  #size = 0;

  /** Field count. */
  get size(): number {
    return this.#size;
  }

  /**
   * A field's value.
   *
   * @param field The field.
   * @returns The value, or undefined.
   */
  get(field: string): HashValue | undefined {
    const slot = this.#slot(field, hashOf(field));
    return slot < 0 ? undefined : this.#slots[2 * slot + 1];
  }

  /**
   * The value of a field given as bytes (latin1).
   *
   * @param field The field.
   * @returns The value, or undefined.
   */
  getBytes(field: Uint8Array): HashValue | undefined {
    const slot = this.#slotOfBytes(field, hashOfBytes(field));
    return slot < 0 ? undefined : this.#slots[2 * slot + 1];
  }

  /**
   * Whether a field is there.
   *
   * @param field The field.
   * @returns The answer.
   */
  has(field: string): boolean {
    return this.#slot(field, hashOf(field)) >= 0;
  }

  /**
   * Whether a field given as bytes (latin1) is there.
   *
   * @param field The field.
   * @returns The answer.
   */
  hasBytes(field: Uint8Array): boolean {
    return this.#slotOfBytes(field, hashOfBytes(field)) >= 0;
  }

  /**
   * Adds or replaces a field.
   *
   * @param field The field.
   * @param value The value, held as it is.
   * @returns This hash.
   */
  set(field: string, value: HashValue): this {
    const hash = hashOf(field);
    const slot = this.#slot(field, hash);
    if (slot >= 0) this.#slots[2 * slot + 1] = value;
    else this.#append(field, value, hash);
    if (!this.big && (field.length > 64 || value.length > 64 || this.#size > 128)) this.big = true;
    return this;
  }

  /**
   * Adds or replaces a field, both given as a client's bytes (copied as held.ts holds them).
   * The same value again leaves the held one in place.
   *
   * @param field The field (latin1).
   * @param value The value.
   * @returns Whether the field is new.
   */
  setBytes(field: Uint8Array, value: Uint8Array): boolean {
    const hash = hashOfBytes(field);
    const slot = this.#slotOfBytes(field, hash);
    let added = false;
    if (slot < 0) {
      this.#append(latin1(field), heldCopy(value), hash);
      added = true;
    } else if (!heldEquals(this.#slots[2 * slot + 1]!, value)) {
      this.#slots[2 * slot + 1] = heldCopy(value);
    }
    if (!this.big && (field.length > 64 || value.length > 64 || this.#size > 128)) this.big = true;
    return added;
  }

  /**
   * Removes a field.
   *
   * @param field The field.
   * @returns Whether it was there.
   */
  delete(field: string): boolean {
    const hash = hashOf(field);
    const slot = this.#slot(field, hash);
    if (slot < 0) return false;
    const table = this.#table;
    if (table !== null) {
      const mask = table.length - 1;
      let i = hash & mask;
      while (table[i] !== slot + 1) i = (i + 1) & mask;
      table[i] = -1;
    }
    this.#slots[2 * slot] = undefined;
    this.#slots[2 * slot + 1] = undefined;
    this.#size--;
    const holes = this.#used - this.#size;
    if (this.#size === 0) this.#clear();
    else if (holes > SMALL && holes > this.#size) this.#pack();
    return true;
  }

  /**
   * The fields and values, in order. Fields added or removed meanwhile may or may not be seen.
   *
   * @yields `[field, value]` pairs.
   */
  *entries(): IterableIterator<[string, HashValue]> {
    // The array as it is now: past the used slots it holds nothing, and once the hash grows
    // or packs into a new one, the walk goes on over the old one.
    const slots = this.#slots;
    for (let i = 0; i < slots.length; i += 2) {
      const field = slots[i] as string | undefined;
      if (field !== undefined) yield [field, slots[i + 1]!];
    }
  }

  /**
   * The fields and values, in order.
   *
   * @returns `[field, value]` pairs.
   */
  [Symbol.iterator](): IterableIterator<[string, HashValue]> {
    return this.entries();
  }

  /**
   * The fields, in order.
   *
   * @yields Fields.
   */
  *keys(): IterableIterator<string> {
    for (const [field] of this.entries()) yield field;
  }

  /**
   * The values, in order.
   *
   * @yields Values.
   */
  *values(): IterableIterator<HashValue> {
    for (const [, value] of this.entries()) yield value;
  }

  /**
   * The name OBJECT ENCODING reports.
   *
   * @returns `listpack` or `hashtable`.
   */
  encoding(): string {
    return this.big ? "hashtable" : "listpack";
  }

  /**
   * A copy.
   *
   * @returns A new hash with the same fields.
   */
  clone(): Hash {
    const h = new Hash();
    for (const [k, v] of this) h.set(k, v);
    h.big = this.big;
    return h;
  }

  /** The slot of a field, or -1. */
  #slot(field: string, hash: number): number {
    const slots = this.#slots;
    const table = this.#table;
    if (table === null) {
      for (let slot = 0; slot < this.#used; slot++) if (slots[2 * slot] === field) return slot;
      return -1;
    }
    const hashes = this.#hashes!;
    const mask = table.length - 1;
    for (let i = hash & mask;; i = (i + 1) & mask) {
      const e = table[i];
      if (e === 0) return -1;
      if (e > 0 && hashes[e - 1] === hash && slots[2 * (e - 1)] === field) return e - 1;
    }
  }

  /** The slot of a field given as bytes, or -1. */
  #slotOfBytes(bytes: Uint8Array, hash: number): number {
    const slots = this.#slots;
    const table = this.#table;
    if (table === null) {
      for (let slot = 0; slot < this.#used; slot++) {
        const field = slots[2 * slot];
        if (field !== undefined && heldEquals(field, bytes)) return slot;
      }
      return -1;
    }
    const hashes = this.#hashes!;
    const mask = table.length - 1;
    for (let i = hash & mask;; i = (i + 1) & mask) {
      const e = table[i];
      if (e === 0) return -1;
      if (e > 0 && hashes[e - 1] === hash && heldEquals(slots[2 * (e - 1)]!, bytes)) return e - 1;
    }
  }

  /** Adds a field known to be absent, after the others. */
  #append(field: string, value: HashValue, hash: number): void {
    const slot = this.#used++;
    if (2 * slot === this.#slots.length) {
      const grown: (HashValue | undefined)[] = new Array(4 * slot);
      for (let i = 0; i < 2 * slot; i++) grown[i] = this.#slots[i];
      this.#slots = grown;
    }
    this.#slots[2 * slot] = field;
    this.#slots[2 * slot + 1] = value;
    this.#size++;
    if (this.#table === null) {
      if (this.#used > SMALL) this.#index();
      return;
    }
    if (slot >= this.#hashes!.length) {
      const hashes = new Int32Array(this.#hashes!.length * 2);
      hashes.set(this.#hashes!);
      this.#hashes = hashes;
    }
    this.#hashes![slot] = hash;
    // Grow (or clear out removed entries) at three quarters full, to half full.
    if ((this.#filled + 1) * 4 > this.#table.length * 3) return this.#index();
    const table = this.#table;
    const mask = table.length - 1;
    let i = hash & mask;
    while (table[i] > 0) i = (i + 1) & mask;
    if (table[i] === 0) this.#filled++;
    table[i] = slot + 1;
  }

  /** Builds the index afresh for the slots there are. */
  #index(): void {
    const slots = this.#slots;
    const n = this.#used;
    let size = 32;
    while (size < n * 2) size *= 2;
    let hashes = this.#hashes;
    if (hashes === null || hashes.length < n) {
      hashes = new Int32Array(size / 2);
      for (let slot = 0; slot < n; slot++) {
        const field = slots[2 * slot] as string | undefined;
        if (field !== undefined) hashes[slot] = hashOf(field);
      }
      this.#hashes = hashes;
    }
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let slot = 0; slot < n; slot++) {
      if (slots[2 * slot] === undefined) continue;
      let i = hashes[slot] & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = slot + 1;
    }
    this.#table = table;
    this.#filled = this.#size;
  }

  /** Closes the holes removed fields left, keeping the order. */
  #pack(): void {
    const slots: (HashValue | undefined)[] = new Array(Math.max(4, 2 * this.#size));
    let n = 0;
    for (const [field, value] of this) {
      slots[n++] = field;
      slots[n++] = value;
    }
    this.#slots = slots;
    this.#used = n / 2;
    this.#hashes = null;
    this.#table = null;
    if (this.#used > SMALL) this.#index();
  }

  #clear(): void {
    this.#slots = new Array(4);
    this.#used = 0;
    this.#hashes = null;
    this.#table = null;
    this.#filled = 0;
  }
}
