/**
 * CRC-64 with the Jones polynomial, as Redis's `crc64.c` computes it for the RDB trailer and
 * DUMP payloads: reflected input and output, polynomial 0xad93d23594c935a9, initial value 0.
 *
 * @module
 */

/**
 * The table for the reflected algorithm, as two 32-bit halves: BigInt per byte would make
 * checksumming a large dump many times slower than writing it.
 */
const [LO, HI] = (() => {
  const lo = new Uint32Array(256);
  const hi = new Uint32Array(256);
  // The reflected form of 0xad93d23594c935a9.
  let poly = 0n;
  for (let i = 0n, p = 0xad93d23594c935a9n; i < 64n; i++) poly |= ((p >> i) & 1n) << (63n - i);
  const pl = Number(poly & 0xffffffffn) >>> 0;
  const ph = Number(poly >> 32n) >>> 0;
  for (let n = 0; n < 256; n++) {
    let l = n;
    let h = 0;
    for (let k = 0; k < 8; k++) {
      const bit = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (bit) {
        l = (l ^ pl) >>> 0;
        h = (h ^ ph) >>> 0;
      }
    }
    lo[n] = l;
    hi[n] = h;
  }
  return [lo, hi];
})();

/**
 * A running CRC-64 (Jones), fed in pieces.
 *
 * @example
 * ```ts
 * import { Crc64 } from "./crc64.ts";
 * import assert from "node:assert/strict";
 * const crc = new Crc64();
 * crc.update(new TextEncoder().encode("1234"));
 * crc.update(new TextEncoder().encode("56789"));
 * assert.equal(crc.value(), 0xe9c6d914c4b8d9can);
 * ```
 */
export class Crc64 {
  #lo = 0;
  #hi = 0;

  /**
   * Adds bytes.
   *
   * @param bytes The next piece.
   */
  update(bytes: Uint8Array): void {
    let lo = this.#lo;
    let hi = this.#hi;
    for (let i = 0; i < bytes.length; i++) {
      const t = (lo ^ bytes[i]) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ LO[t]) >>> 0;
      hi = ((hi >>> 8) ^ HI[t]) >>> 0;
    }
    this.#lo = lo;
    this.#hi = hi;
  }

  /**
   * The checksum so far.
   *
   * @returns The 64-bit value.
   */
  value(): bigint {
    return (BigInt(this.#hi) << 32n) | BigInt(this.#lo);
  }

  /**
   * The checksum so far as Redis stores it: 8 bytes, little-endian.
   *
   * @returns The bytes.
   */
  bytes(): Uint8Array {
    const out = new Uint8Array(8);
    const view = new DataView(out.buffer);
    view.setUint32(0, this.#lo, true);
    view.setUint32(4, this.#hi, true);
    return out;
  }
}

/**
 * CRC-64 (Jones) of some bytes, as Redis's `crc64(0, bytes, len)`.
 *
 * @example
 * ```ts
 * import { crc64 } from "./crc64.ts";
 * import assert from "node:assert/strict";
 * assert.equal(crc64(new TextEncoder().encode("123456789")), 0xe9c6d914c4b8d9can);
 * ```
 *
 * @param bytes The data.
 * @returns The checksum.
 */
export function crc64(bytes: Uint8Array): bigint {
  const crc = new Crc64();
  crc.update(bytes);
  return crc.value();
}
