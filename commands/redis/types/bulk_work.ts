/**
 * A count of the bulk operations the data structures run inside a command (an index rebuilt,
 * a ring or an array of slots grown): the dispatcher times fast commands together, and one
 * that ran such an operation on its own, so that the slow log still sees it.
 *
 * @module
 */

/** Elements an operation must move to count: fewer take well under a millisecond. */
const BULK = 4096;

let count = 0;

/**
 * Notes an operation over `elements` elements (counted when there are BULK or more).
 *
 * @example
 * ```ts
 * import { bulkWorkCount, noteBulkWork } from "./bulk_work.ts";
 * import assert from "node:assert/strict";
 * const before = bulkWorkCount();
 * noteBulkWork(10);
 * assert.equal(bulkWorkCount(), before);
 * noteBulkWork(1_000_000);
 * assert.equal(bulkWorkCount(), before + 1);
 * ```
 *
 * @param elements How many elements it moved or visited.
 */
export function noteBulkWork(elements: number): void {
  if (elements >= BULK) count++;
}

/**
 * How many bulk operations ran so far in this process.
 *
 * @returns The count.
 */
export function bulkWorkCount(): number {
  return count;
}
