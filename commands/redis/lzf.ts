/**
 * LZF decompression, the format Redis uses for compressed strings in RDB files
 * (`rdbcompression yes`, strings over 20 bytes).
 *
 * @module
 */

/** A compressed block that does not decode to the expected length. */
export class LzfError extends Error {
  /** @param message What is wrong. */
  constructor(message: string) {
    super(message);
    this.name = "LzfError";
  }
}

/**
 * Decompresses an LZF block whose decompressed length is known (the RDB stores it).
 *
 * A control byte below 32 starts a run of that many plus one literal bytes; otherwise its top
 * three bits are a length (7 means "add the next byte") and the rest, with the next byte, an
 * offset back into the output to copy from.
 *
 * @example
 * ```ts
 * import { lzfDecompress } from "./lzf.ts";
 * import assert from "node:assert/strict";
 * // "abcabcabc": 3 literals, then copy 6 bytes from 3 back.
 * const block = new Uint8Array([2, 97, 98, 99, (4 << 5) | 0, 2]);
 * assert.equal(new TextDecoder().decode(lzfDecompress(block, 9)), "abcabcabc");
 * ```
 *
 * @param input The compressed bytes.
 * @param length The decompressed length.
 * @returns The decompressed bytes.
 * @throws {LzfError} When the block is corrupt.
 */
export function lzfDecompress(input: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    const ctrl = input[ip++];
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (op + run > length || ip + run > input.length) throw new LzfError("literal run overflows");
      out.set(input.subarray(ip, ip + run), op);
      ip += run;
      op += run;
      continue;
    }
    let len = ctrl >> 5;
    if (len === 7) {
      if (ip >= input.length) throw new LzfError("truncated length");
      len += input[ip++];
    }
    if (ip >= input.length) throw new LzfError("truncated back reference");
    const ref = op - ((ctrl & 0x1f) << 8) - input[ip++] - 1;
    len += 2;
    if (ref < 0) throw new LzfError("back reference before the start");
    if (op + len > length) throw new LzfError("back reference overflows");
    // Byte by byte: the source may overlap what is being written (a repeated run).
    for (let i = 0; i < len; i++) out[op++] = out[ref + i];
  }
  if (op !== length) throw new LzfError(`decoded ${op} bytes, expected ${length}`);
  return out;
}
