/**
 * The hash type: fields to values, in insertion order.
 *
 * @module
 */

import { type HeldBytes, heldCopy, heldEquals } from "./held.ts";
import { PairTable } from "./name_table.ts";

/** A hash value as held: a short ASCII value is a JS string, others are bytes (see held.ts). */
export type HashValue = HeldBytes;

/**
 * A Redis hash from field (latin1) to value, in insertion order, and whether it ever outgrew
 * the small (listpack) encoding, which Redis never converts back.
 *
 * The fields and values are the pairs of a {@linkcode PairTable}: a field is found by its
 * string or by a client's bytes, so HSET of a field already there and HGET build no string.
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
export class Hash extends PairTable<HashValue> {
  /** Set once the hash outgrew the listpack limits (128 entries, 64-byte items). */
  big = false;

  /**
   * Adds or replaces a field.
   *
   * @param field The field.
   * @param value The value, held as it is.
   * @returns This hash.
   */
  override set(field: string, value: HashValue): this {
    super.set(field, value);
    this.#grew(field.length, value.length);
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
    if (slot < 0) {
      // Adding may move the cells to a bigger array: take the slot first.
      const added = this.addNameBytes(field);
      this.cells[2 * added + 1] = heldCopy(value);
    } else if (!heldEquals(this.cells[2 * slot + 1] as HashValue, value)) {
      this.cells[2 * slot + 1] = heldCopy(value);
    }
    this.#grew(field.length, value.length);
    return slot < 0;
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

  #grew(field: number, value: number): void {
    if (!this.big && (field > 64 || value > 64 || this.size > 128)) this.big = true;
  }
}
