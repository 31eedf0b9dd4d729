/**
 * Hint files: a segment's keys and record positions without its values, so opening reads a
 * few bytes per key instead of every value.
 *
 * ```
 * "KVH1"
 * per record, in segment order (tombstones included):
 *   u64 timestamp, u64 expiry, u32 offset, u32 record size, u16 key length, u8 flags, key
 * trailer: u64 data file size, u32 entry count, u32 crc32c of every byte before it
 * ```
 *
 * @module
 */

import { crc32c } from "./crc32c.ts";
import { getU32, getU64, putU32, putU64 } from "./format.ts";

const MAGIC = [0x4b, 0x56, 0x48, 0x31]; // "KVH1"
const ENTRY_HEADER = 27;
const TRAILER = 16;

/**
 * Collects hint entries as records are appended and renders the file.
 *
 * @example
 * ```ts
 * import { HintWriter, readHint } from "./hint.ts";
 * import assert from "node:assert/strict";
 * const w = new HintWriter();
 * w.add(new Uint8Array([107]), 1, 0, 0, 31, 0);
 * const entries: number[] = [];
 * readHint(w.finish(31), 31, (_b, _s, _l, _t, _e, off) => entries.push(off));
 * assert.deepEqual(entries, [0]);
 * ```
 */
export class HintWriter {
  #buf = new Uint8Array(4096);
  #len = 4;
  #count = 0;

  constructor() {
    this.#buf.set(MAGIC);
  }

  /** Entries so far. */
  get count(): number {
    return this.#count;
  }

  /** Notes one record. */
  add(
    key: Uint8Array,
    timestamp: number,
    expiry: number,
    offset: number,
    size: number,
    flags: number,
  ): void {
    this.#reserve(ENTRY_HEADER + key.length);
    const b = this.#buf;
    const at = this.#len;
    putU64(b, at, timestamp);
    putU64(b, at + 8, expiry);
    putU32(b, at + 16, offset);
    putU32(b, at + 20, size);
    b[at + 24] = key.length;
    b[at + 25] = key.length >>> 8;
    b[at + 26] = flags;
    b.set(key, at + ENTRY_HEADER);
    this.#len = at + ENTRY_HEADER + key.length;
    this.#count++;
  }

  /** The whole file, for a data file of `dataSize` bytes. */
  finish(dataSize: number): Uint8Array {
    this.#reserve(TRAILER);
    const b = this.#buf;
    const at = this.#len;
    putU64(b, at, dataSize);
    putU32(b, at + 8, this.#count);
    putU32(b, at + 12, crc32c(b, 0, at + 12));
    return b.subarray(0, at + TRAILER);
  }

  #reserve(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + n));
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }
}

/**
 * Receives one hint entry. The key is `bytes[keyStart, keyStart + keyLength)`: positions rather
 * than a subarray, because making a million small views costs more than loading the keys.
 */
export type HintVisitor = (
  bytes: Uint8Array,
  keyStart: number,
  keyLength: number,
  timestamp: number,
  expiry: number,
  offset: number,
  size: number,
  flags: number,
) => void;

/** The entry count a hint file's trailer claims (unchecked: for sizing tables before a load). */
export function hintCount(bytes: Uint8Array): number {
  if (bytes.length < 4 + TRAILER) return 0;
  // Capped by what could fit, so a damaged trailer cannot ask for a giant table.
  const fit = Math.floor((bytes.length - 4 - TRAILER) / (ENTRY_HEADER + 1));
  return Math.min(getU32(bytes, bytes.length - TRAILER + 8), fit);
}

/**
 * Checks a hint file against its trailer and the data file's size, then visits every entry.
 * Returns false (visiting nothing) when the file is damaged or describes another data size.
 *
 * @example
 * ```ts
 * import { HintWriter, readHint } from "./hint.ts";
 * import assert from "node:assert/strict";
 * const bytes = new HintWriter().finish(0);
 * assert.equal(readHint(bytes, 0, () => {}), true);
 * assert.equal(readHint(bytes, 5, () => {}), false);
 * ```
 */
export function readHint(bytes: Uint8Array, dataSize: number, visit: HintVisitor): boolean {
  if (bytes.length < 4 + TRAILER) return false;
  for (let i = 0; i < 4; i++) if (bytes[i] !== MAGIC[i]) return false;
  const t = bytes.length - TRAILER;
  if (getU64(bytes, t) !== dataSize) return false;
  if (crc32c(bytes, 0, t + 12) !== getU32(bytes, t + 12)) return false;
  const count = getU32(bytes, t + 8);
  // Walk once to check the entries fit exactly before calling back, so a bad file visits nothing.
  let at = 4;
  for (let n = 0; n < count; n++) {
    if (at + ENTRY_HEADER > t) return false;
    at += ENTRY_HEADER + (bytes[at + 24] | (bytes[at + 25] << 8));
  }
  if (at !== t) return false;
  at = 4;
  for (let n = 0; n < count; n++) {
    const keyLength = bytes[at + 24] | (bytes[at + 25] << 8);
    const keyStart = at + ENTRY_HEADER;
    visit(
      bytes,
      keyStart,
      keyLength,
      getU64(bytes, at),
      getU64(bytes, at + 8),
      getU32(bytes, at + 16),
      getU32(bytes, at + 20),
      bytes[at + 26],
    );
    at = keyStart + keyLength;
  }
  return true;
}
