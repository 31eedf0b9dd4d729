/**
 * CRC-32C (Castagnoli), the checksum of every record and hint file.
 *
 * Slicing-by-8: eight 256-entry tables let the loop consume eight bytes per step, which is
 * about four times the byte-at-a-time loop on the short records the engine checksums on every get.
 *
 * @module
 */

const POLY = 0x82f63b78; // reflected Castagnoli polynomial

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

const TABLES: Uint32Array[] = (() => {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    tables[0][n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[0][n];
    for (let t = 1; t < 8; t++) {
      c = tables[0][c & 0xff] ^ (c >>> 8);
      tables[t][n] = c >>> 0;
    }
  }
  return tables;
})();

/**
 * The CRC-32C of `bytes[start, end)`, continuing from `crc` when checksumming in pieces.
 *
 * @example
 * ```ts
 * import { crc32c } from "./crc32c.ts";
 * import assert from "node:assert/strict";
 * assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
 * ```
 *
 * @param bytes The data.
 * @param start First byte. @default 0
 * @param end One past the last byte. @default bytes.length
 * @param crc A previous result to continue from. @default 0
 * @returns The checksum as an unsigned 32-bit number.
 */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length, crc = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES;
  let c = ~crc;
  let i = start;
  if (LITTLE_ENDIAN && end - start >= 256) {
    // Long inputs (hint files, merge copies) read two aligned words per step instead of eight bytes.
    for (; ((bytes.byteOffset + i) & 3) !== 0; i++) c = t0[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    const words = (end - i) >>> 3 << 1;
    const w = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
    for (let j = 0; j < words; j += 2) {
      const a = c ^ w[j];
      const b = w[j + 1];
      c = t7[a & 0xff] ^ t6[(a >>> 8) & 0xff] ^ t5[(a >>> 16) & 0xff] ^ t4[a >>> 24] ^
        t3[b & 0xff] ^ t2[(b >>> 8) & 0xff] ^ t1[(b >>> 16) & 0xff] ^ t0[b >>> 24];
    }
    i += words * 4;
  }
  for (; i + 8 <= end; i += 8) {
    const a = c ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    c = t7[a & 0xff] ^ t6[(a >>> 8) & 0xff] ^ t5[(a >>> 16) & 0xff] ^ t4[a >>> 24] ^
      t3[bytes[i + 4]] ^ t2[bytes[i + 5]] ^ t1[bytes[i + 6]] ^ t0[bytes[i + 7]];
  }
  for (; i < end; i++) c = t0[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
