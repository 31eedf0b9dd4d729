/**
 * What a key costs in memory, estimated: `kit redis` cannot ask its allocator as Redis does
 * (V8 owns the heap), so the keyspace keeps a running total of these estimates instead. They
 * are calibrated against the V8 heap (bench/redis_memory.sh) for the common case of short
 * keys and values, and count collections at a fixed cost per element plus the sampled size
 * of their elements, the way MEMORY USAGE samples in Redis.
 *
 * @module
 */

import { Hash, type HashValue } from "./types/hash.ts";
import { List } from "./types/list.ts";
import type { RSet } from "./types/set.ts";
import { ZSet } from "./types/zset.ts";

/** A value as the keyspace holds it: short ASCII strings as JS strings, other strings as bytes. */
export type StoredValue = string | Uint8Array | List | Hash | RSet | ZSet;

/**
 * The fixed cost of one key in a database: its slot in the open-addressing index, the key and
 * value arrays and the LRU clock. Measured with bench/redis_memory.sh (about 30 bytes per key
 * in the index and arrays at their average fill).
 */
export const KEY_OVERHEAD = 32;
/** What a JS string costs besides its characters (V8's header, 8-byte aligned). */
const STRING_HEADER = 16;
/** What a Uint8Array costs besides its bytes: the view, its ArrayBuffer and backing store. */
const BYTES_HEADER = 200;
/** Per element of a collection: a Map entry or skip-list node, and the element's object. */
const ELEMENT_OVERHEAD = 48;
/** A collection's own objects. */
const COLLECTION_HEADER = 128;
/** How many elements MEMORY USAGE and the accounting sample, Redis's default. */
export const DEFAULT_SAMPLES = 5;

/**
 * The estimated size of a JS string holding `length` one-byte characters.
 *
 * @example
 * ```ts
 * import { stringSize } from "./memory.ts";
 * import assert from "node:assert/strict";
 * assert.equal(stringSize(3), 24);
 * assert.equal(stringSize(16), 32);
 * ```
 *
 * @param length Characters.
 * @returns Bytes.
 */
export function stringSize(length: number): number {
  return STRING_HEADER + ((length + 7) & ~7);
}

/**
 * The estimated size of a stored value (without its key). Strings are exact to the estimate;
 * a collection is its element count times a fixed cost plus the average size of up to
 * `samples` elements (0: every element), which keeps the cost O(samples).
 *
 * @example
 * ```ts
 * import { valueSize } from "./memory.ts";
 * import { List } from "./types/list.ts";
 * import assert from "node:assert/strict";
 * assert.equal(valueSize("abc"), 24);
 * const list = new List();
 * list.pushBack(new Uint8Array(10));
 * assert.ok(valueSize(list) > valueSize(new List()));
 * ```
 *
 * @param v The value.
 * @param samples Elements to sample.
 * @returns Bytes.
 */
export function valueSize(v: StoredValue, samples: number = DEFAULT_SAMPLES): number {
  if (typeof v === "string") return stringSize(v.length);
  if (v instanceof Uint8Array) return BYTES_HEADER + v.length;
  if (v instanceof List) {
    // The list keeps its byte total, so nothing needs sampling.
    return COLLECTION_HEADER + v.length * (ELEMENT_OVERHEAD + BYTES_HEADER) + v.bytes;
  }
  const n = v.size;
  if (n === 0) return COLLECTION_HEADER;
  let seen = 0;
  let bytes = 0;
  const limit = samples <= 0 ? Infinity : samples;
  // The slots are read directly: an iterator's objects per element would cost more than the
  // sums, and every write to a collection is accounted.
  const zset = v instanceof ZSet;
  const hash = v instanceof Hash;
  const table = zset ? v.dict : v;
  const cells = table.cells;
  const stride = table.stride;
  for (let slot = 0; slot < table.used && seen < limit; slot++) {
    const name = cells[slot * stride] as string | undefined;
    if (name === undefined) continue;
    bytes += stringSize(name.length);
    if (hash) {
      const value = cells[slot * stride + 1] as HashValue;
      bytes += typeof value === "string" ? stringSize(value.length) : BYTES_HEADER + value.length;
    } else if (zset) {
      // The order keeps a score (8 bytes) and a member pointer (8) besides the member.
      bytes += 16;
    }
    seen++;
  }
  return COLLECTION_HEADER + n * ELEMENT_OVERHEAD + Math.round((bytes / seen) * n);
}

/**
 * The estimated size of a key and its value, as the keyspace accounts it and MEMORY USAGE
 * reports it.
 *
 * @example
 * ```ts
 * import { entrySize, KEY_OVERHEAD } from "./memory.ts";
 * import assert from "node:assert/strict";
 * assert.equal(entrySize("key:000000000001", "xxx"), KEY_OVERHEAD + 32 + 24);
 * ```
 *
 * @param key The key.
 * @param v Its value.
 * @param samples Elements of a collection to sample (0: all).
 * @returns Bytes.
 */
export function entrySize(key: string, v: StoredValue, samples: number = DEFAULT_SAMPLES): number {
  return KEY_OVERHEAD + stringSize(key.length) + valueSize(v, samples);
}

/**
 * Formats bytes as Redis's INFO does for `*_human` fields (`1.50M`, `912.00K`, `12B`).
 *
 * @example
 * ```ts
 * import { humanBytes } from "./memory.ts";
 * import assert from "node:assert/strict";
 * assert.equal(humanBytes(1536), "1.50K");
 * assert.equal(humanBytes(12), "12B");
 * ```
 *
 * @param n Bytes.
 * @returns The text.
 */
export function humanBytes(n: number): string {
  const units = ["K", "M", "G", "T", "P"];
  if (n < 1024) return `${n}B`;
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)}${units[i]}`;
}
