/**
 * Keys in byte order beside the keydir's hash, for `scan` and `prefix`.
 *
 * A two-level B+tree in its simplest form: sorted leaf arrays of at most {@linkcode LEAF_MAX} keys
 * and, above them, the array of each leaf's first key. Finding a key is two binary searches;
 * inserting splices into one leaf of a few hundred entries and splits it when full. Keys are the
 * keydir's latin1 strings, whose `<` order is the bytes' memcmp order.
 *
 * @module
 */

/** Leaf capacity: splicing a leaf this size is cheaper than walking a deeper tree. */
export const LEAF_MAX = 512;

/**
 * A sorted set of strings with ordered iteration from any position.
 *
 * @example
 * ```ts
 * import { OrderedIndex } from "./ordered_index.ts";
 * import assert from "node:assert/strict";
 * const ix = new OrderedIndex();
 * for (const k of ["b", "a", "c"]) ix.insert(k);
 * ix.delete("b");
 * assert.deepEqual([...ix.range("a", null)], ["a", "c"]);
 * ```
 */
export class OrderedIndex {
  #leaves: string[][] = [[]];
  #firsts: string[] = [""];
  #size = 0;

  /** Builds from keys in any order. */
  static from(keys: string[]): OrderedIndex {
    keys.sort();
    const ix = new OrderedIndex();
    if (keys.length === 0) return ix;
    const half = LEAF_MAX >> 1;
    ix.#leaves = [];
    ix.#firsts = [];
    for (let i = 0; i < keys.length; i += half) {
      const leaf = keys.slice(i, i + half);
      ix.#leaves.push(leaf);
      ix.#firsts.push(leaf[0]);
    }
    ix.#size = keys.length;
    return ix;
  }

  /** Number of keys. */
  get size(): number {
    return this.#size;
  }

  // The last leaf whose first key is <= key (leaf 0 when key sorts before everything).
  #leafFor(key: string): number {
    const f = this.#firsts;
    let lo = 0;
    let hi = f.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (f[mid] <= key) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Adds `key`; false when it was there. */
  insert(key: string): boolean {
    const li = this.#leafFor(key);
    const leaf = this.#leaves[li];
    const i = lowerBound(leaf, key);
    if (leaf[i] === key) return false;
    leaf.splice(i, 0, key);
    if (i === 0) this.#firsts[li] = key;
    this.#size++;
    if (leaf.length > LEAF_MAX) {
      const right = leaf.splice(LEAF_MAX >> 1);
      this.#leaves.splice(li + 1, 0, right);
      this.#firsts.splice(li + 1, 0, right[0]);
    }
    return true;
  }

  /** Removes `key`; false when it was not there. */
  delete(key: string): boolean {
    const li = this.#leafFor(key);
    const leaf = this.#leaves[li];
    const i = lowerBound(leaf, key);
    if (leaf[i] !== key) return false;
    leaf.splice(i, 1);
    this.#size--;
    if (leaf.length === 0 && this.#leaves.length > 1) {
      this.#leaves.splice(li, 1);
      this.#firsts.splice(li, 1);
    } else if (i === 0 && leaf.length > 0) {
      this.#firsts[li] = leaf[0];
    }
    return true;
  }

  /**
   * Keys in `[start, end)` in order (null = unbounded); `exclusive` skips `start` itself.
   * The walk re-finds its place from the last key after each leaf, so inserts and deletes
   * between steps do not derail it.
   */
  *range(start: string | null, end: string | null, exclusive = false): Generator<string> {
    let from = start ?? "";
    let skipFrom = exclusive && start !== null;
    while (true) {
      let li = this.#leafFor(from);
      let leaf = this.#leaves[li];
      let i = lowerBound(leaf, from);
      if (skipFrom && leaf[i] === from) i++;
      while (i >= leaf.length) {
        if (++li >= this.#leaves.length) return;
        leaf = this.#leaves[li];
        i = 0;
      }
      const batch = leaf.slice(i);
      for (const k of batch) {
        if (end !== null && k >= end) return;
        yield k;
      }
      from = batch[batch.length - 1];
      skipFrom = true;
    }
  }

  /** Keys in `[start, end)` from the highest down (null = unbounded). */
  *rangeReverse(start: string | null, end: string | null): Generator<string> {
    const all: string[] = [];
    for (const k of this.range(start, end)) all.push(k);
    for (let i = all.length - 1; i >= 0; i--) yield all[i];
  }
}

function lowerBound(a: string[], key: string): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
