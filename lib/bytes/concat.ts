/**
 * Joining byte arrays.
 *
 * @module
 */

/**
 * Joins byte arrays into a new one, in order.
 *
 * @example
 * ```ts
 * import { concat } from "./concat.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(concat([new Uint8Array([1]), new Uint8Array([2, 3])]), new Uint8Array([1, 2, 3]));
 * ```
 *
 * @param parts The arrays.
 * @returns A new array holding them all (a copy even of a single part).
 */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
