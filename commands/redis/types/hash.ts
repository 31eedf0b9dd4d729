/**
 * The hash type: fields to values, in insertion order.
 *
 * @module
 */

import type { HeldBytes } from "./held.ts";

/** A hash value as held: a short ASCII value is a JS string, others are bytes (see held.ts). */
export type HashValue = HeldBytes;

/**
 * A Redis hash: a Map from field (latin1) to value, and whether it ever outgrew the small
 * (listpack) encoding, which Redis never converts back.
 *
 * @example
 * ```ts
 * import { Hash } from "./hash.ts";
 * import assert from "node:assert/strict";
 * const h = new Hash();
 * h.set("f", new Uint8Array([1]));
 * assert.equal(h.size, 1);
 * assert.equal(h.encoding(), "listpack");
 * ```
 */
export class Hash extends Map<string, HashValue> {
  /** Set once the hash outgrew the listpack limits (128 entries, 64-byte items). */
  big = false;

  /**
   * Adds or replaces a field.
   *
   * @param field The field.
   * @param value The value.
   * @returns This hash.
   */
  override set(field: string, value: HashValue): this {
    super.set(field, value);
    if (!this.big && (field.length > 64 || value.length > 64 || this.size > 128)) this.big = true;
    return this;
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
}
