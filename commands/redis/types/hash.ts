/**
 * The hash type: fields to values, in insertion order.
 *
 * @module
 */

import { type HeldBytes, heldCopy, heldEquals } from "./held.ts";
import { NameTable } from "./name_table.ts";

/** A hash value as held: a short ASCII value is a JS string, others are bytes (see held.ts). */
export type HashValue = HeldBytes;

/**
 * A Redis hash from field (latin1) to value, in insertion order, and whether it ever outgrew
 * the small (listpack) encoding, which Redis never converts back.
 *
 * The fields are the slots of its {@linkcode NameTable}, each value in the cell after its
 * field; a removed field leaves a hole until holes outnumber the fields, when the slots are
 * packed again. A field is found by its string or by a client's bytes,
 * so HSET of a field already there and HGET build no string.
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
export class Hash extends NameTable {
  /** Set once the hash outgrew the listpack limits (128 entries, 64-byte items). */
  big = false;
  /** The value of the field in each slot. */

  constructor() {
    super(2);
  }

  /** Field count. */
  get size(): number {
    return this.live;
  }

  /**
   * A field's value.
   *
   * @param field The field.
   * @returns The value, or undefined.
   */
  get(field: string): HashValue | undefined {
    const slot = this.findName(field);
    return slot < 0 ? undefined : this.cells[2 * slot + 1] as HashValue;
  }

  /**
   * The value of a field given as bytes (latin1).
   *
   * @param field The field.
   * @returns The value, or undefined.
   */
  getBytes(field: Uint8Array): HashValue | undefined {
    const slot = this.findNameBytes(field);
    return slot < 0 ? undefined : this.cells[2 * slot + 1] as HashValue;
  }

  /**
   * Whether a field is there.
   *
   * @param field The field.
   * @returns The answer.
   */
  has(field: string): boolean {
    return this.findName(field) >= 0;
  }

  /**
   * Whether a field given as bytes (latin1) is there.
   *
   * @param field The field.
   * @returns The answer.
   */
  hasBytes(field: Uint8Array): boolean {
    return this.findNameBytes(field) >= 0;
  }

  /**
   * Adds or replaces a field.
   *
   * @param field The field.
   * @param value The value, held as it is.
   * @returns This hash.
   */
  set(field: string, value: HashValue): this {
    const slot = this.findName(field);
    if (slot >= 0) this.cells[2 * slot + 1] = value;
    else this.#put(this.addName(field), value);
    if (!this.big && (field.length > 64 || value.length > 64 || this.live > 128)) this.big = true;
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
    const slot = this.findNameBytes(field);
    if (slot >= 0) {
      const cells = this.cells;
      if (!heldEquals(cells[2 * slot + 1] as HashValue, value)) {
        cells[2 * slot + 1] = heldCopy(value);
      }
    } else this.#put(this.addNameBytes(field), heldCopy(value));
    if (!this.big && (field.length > 64 || value.length > 64 || this.live > 128)) this.big = true;
    return slot < 0;
  }

  /**
   * Removes a field.
   *
   * @param field The field.
   * @returns Whether it was there.
   */
  delete(field: string): boolean {
    const slot = this.findName(field);
    if (slot < 0) return false;
    this.removeName(slot);
    return true;
  }

  /**
   * The fields and values, in order. Fields added or removed meanwhile may or may not be seen.
   *
   * @yields `[field, value]` pairs.
   */
  *entries(): IterableIterator<[string, HashValue]> {
    // The slots as they are now: past the used ones they hold nothing, and once the table
    // grows or packs into new arrays, the walk goes on over the old ones.
    const cells = this.cells;
    for (let i = 0; i < cells.length; i += 2) {
      const field = cells[i] as string | undefined;
      if (field !== undefined) yield [field, cells[i + 1] as HashValue];
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

  /** Stores the value of a field just given a slot. */
  #put(slot: number, value: HashValue): void {
    this.cells[2 * slot + 1] = value;
  }
}
