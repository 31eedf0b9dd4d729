/**
 * The record format of a segment file.
 *
 * ```
 *  0  u32  crc32c of bytes 4..end
 *  4  u64  timestamp, ms since epoch
 * 12  u64  expiry, ms since epoch, 0 = none
 * 20  u32  key length
 * 24  u32  value length (0 for a tombstone)
 * 28  u8   flags: 1 tombstone, 2 batch begin, 4 batch commit, 8 batch member
 * 29       key, then value
 * ```
 * All integers little-endian. Times are whole milliseconds below 2^53, stored as two u32 halves.
 *
 * @module
 */

import { crc32c } from "./crc32c.ts";

/** Bytes before the key. */
export const HEADER_SIZE = 29;
/** The record deletes its key. */
export const FLAG_TOMBSTONE = 1;
/** The first record of a batch. */
export const FLAG_BATCH_BEGIN = 2;
/** The last record of a batch: the batch counts only once this is read back intact. */
export const FLAG_BATCH_COMMIT = 4;
/** Every record of a batch of two or more carries this, so one whose begin record was damaged
 * is still recognised and dropped rather than applied piecemeal. */
export const FLAG_BATCH = 8;
const KNOWN_FLAGS = FLAG_TOMBSTONE | FLAG_BATCH_BEGIN | FLAG_BATCH_COMMIT | FLAG_BATCH;

/** A record read back from bytes. */
export interface DecodedRecord {
  /** ms since epoch when written. */
  timestamp: number;
  /** ms since epoch, 0 = none. */
  expiry: number;
  /** Flag bits. */
  flags: number;
  /** The key (a view into the input). */
  key: Uint8Array;
  /** The value (a view into the input). */
  value: Uint8Array;
  /** Bytes the whole record takes. */
  size: number;
}

/** Bytes a record with this key and value takes. */
export function recordSize(keyLength: number, valueLength: number): number {
  return HEADER_SIZE + keyLength + valueLength;
}

function putU64(b: Uint8Array, at: number, n: number): void {
  const lo = n >>> 0;
  const hi = Math.floor(n / 0x1_0000_0000) >>> 0;
  b[at] = lo;
  b[at + 1] = lo >>> 8;
  b[at + 2] = lo >>> 16;
  b[at + 3] = lo >>> 24;
  b[at + 4] = hi;
  b[at + 5] = hi >>> 8;
  b[at + 6] = hi >>> 16;
  b[at + 7] = hi >>> 24;
}

function putU32(b: Uint8Array, at: number, n: number): void {
  b[at] = n;
  b[at + 1] = n >>> 8;
  b[at + 2] = n >>> 16;
  b[at + 3] = n >>> 24;
}

/** A little-endian u32 at `at`. */
export function getU32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

/** A little-endian u64 at `at`, as a number. */
export function getU64(b: Uint8Array, at: number): number {
  return getU32(b, at) + getU32(b, at + 4) * 0x1_0000_0000;
}

export { putU32, putU64 };

/**
 * Writes one record into `out` at `at` and returns the bytes written.
 * `out` must have room for {@linkcode recordSize}.
 *
 * @example
 * ```ts
 * import { decodeRecord, encodeRecord, recordSize } from "./format.ts";
 * import assert from "node:assert/strict";
 * const key = new TextEncoder().encode("k");
 * const value = new TextEncoder().encode("v");
 * const out = new Uint8Array(recordSize(1, 1));
 * encodeRecord(out, 0, key, value, 1000, 0, 0);
 * assert.deepEqual(decodeRecord(out, 0)?.value, value);
 * ```
 */
export function encodeRecord(
  out: Uint8Array,
  at: number,
  key: Uint8Array,
  value: Uint8Array,
  timestamp: number,
  expiry: number,
  flags: number,
): number {
  putU64(out, at + 4, timestamp);
  putU64(out, at + 12, expiry);
  putU32(out, at + 20, key.length);
  putU32(out, at + 24, value.length);
  out[at + 28] = flags;
  out.set(key, at + HEADER_SIZE);
  out.set(value, at + HEADER_SIZE + key.length);
  const end = at + HEADER_SIZE + key.length + value.length;
  putU32(out, at, crc32c(out, at + 4, end));
  return end - at;
}

/**
 * Reads the record at `at`. Returns `undefined` when the bytes run out before the record ends
 * (a torn tail) and `null` when the header is impossible or the checksum fails.
 *
 * @example
 * ```ts
 * import { decodeRecord, encodeRecord, recordSize } from "./format.ts";
 * import assert from "node:assert/strict";
 * const out = new Uint8Array(recordSize(1, 0));
 * encodeRecord(out, 0, new Uint8Array([65]), new Uint8Array(0), 1, 0, 1);
 * assert.equal(decodeRecord(out, 0)?.flags, 1);
 * assert.equal(decodeRecord(out.subarray(0, 10), 0), undefined);
 * out[29] ^= 1;
 * assert.equal(decodeRecord(out, 0), null);
 * ```
 */
export function decodeRecord(
  bytes: Uint8Array,
  at: number,
  end = bytes.length,
): DecodedRecord | null | undefined {
  if (end - at < HEADER_SIZE) return undefined;
  const flags = bytes[at + 28];
  const keyLength = getU32(bytes, at + 20);
  const valueLength = getU32(bytes, at + 24);
  if ((flags & ~KNOWN_FLAGS) !== 0 || keyLength === 0) return null;
  if ((flags & FLAG_TOMBSTONE) !== 0 && valueLength !== 0) return null;
  const size = HEADER_SIZE + keyLength + valueLength;
  if (end - at < size) return undefined;
  if (crc32c(bytes, at + 4, at + size) !== getU32(bytes, at)) return null;
  const keyStart = at + HEADER_SIZE;
  return {
    timestamp: getU64(bytes, at + 4),
    expiry: getU64(bytes, at + 12),
    flags,
    key: bytes.subarray(keyStart, keyStart + keyLength),
    value: bytes.subarray(keyStart + keyLength, at + size),
    size,
  };
}

/**
 * Whether `bytes` holds exactly one intact record: the check on every get, which needs no
 * decoded fields and so makes no objects.
 *
 * @example
 * ```ts
 * import { encodeRecord, isIntactRecord, recordSize } from "./format.ts";
 * import assert from "node:assert/strict";
 * const out = new Uint8Array(recordSize(1, 1));
 * encodeRecord(out, 0, new Uint8Array([1]), new Uint8Array([2]), 1, 0, 0);
 * assert.equal(isIntactRecord(out), true);
 * out[30] ^= 1;
 * assert.equal(isIntactRecord(out), false);
 * ```
 */
export function isIntactRecord(bytes: Uint8Array): boolean {
  if (bytes.length < HEADER_SIZE) return false;
  const size = HEADER_SIZE + getU32(bytes, 20) + getU32(bytes, 24);
  return size === bytes.length && (bytes[28] & ~KNOWN_FLAGS) === 0 &&
    crc32c(bytes, 4, size) === getU32(bytes, 0);
}

/**
 * The key as a string of one char per byte (latin1), the keydir's Map key: comparing two such
 * strings orders them as memcmp orders the bytes.
 *
 * @example
 * ```ts
 * import { keyFromString, keyToString } from "./format.ts";
 * import assert from "node:assert/strict";
 * const k = new Uint8Array([0, 200, 65]);
 * assert.deepEqual(keyFromString(keyToString(k)), k);
 * ```
 */
export function keyToString(key: Uint8Array, start = 0, end = key.length): string {
  const n = end - start;
  if (n <= 64) {
    let s = "";
    for (let i = start; i < end; i++) s += String.fromCharCode(key[i]);
    return s;
  }
  let s = "";
  for (let i = start; i < end; i += 8192) {
    s += String.fromCharCode.apply(
      null,
      key.subarray(i, Math.min(end, i + 8192)) as unknown as number[],
    );
  }
  return s;
}

/** The bytes of a string made by {@linkcode keyToString}. */
export function keyFromString(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
