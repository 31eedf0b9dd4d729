/**
 * Turning a file with a Unicode byte-order mark into the UTF-8 that the searcher reads.
 *
 * @module
 */

const encoder = new TextEncoder();
// Not fatal: an unpaired surrogate or an odd last byte becomes U+FFFD, as in ripgrep, whose
// encoding_rs follows the same WHATWG decoder these implement.
const utf16le = new TextDecoder("utf-16le");
const utf16be = new TextDecoder("utf-16be");

/**
 * Does what ripgrep 13 does (by default, without `-E`) with a file's byte-order mark: a
 * UTF-16LE (`FF FE`) or UTF-16BE (`FE FF`) file is transcoded to UTF-8 without its mark, and
 * a UTF-8 mark (`EF BB BF`) is dropped, so `^` matches at the first character and the mark is
 * never printed. Anything else comes back as the same object, uncopied: the common case costs
 * three byte comparisons.
 *
 * @example
 * ```ts
 * import { transcodeBom } from "./transcode.ts";
 * import assert from "node:assert/strict";
 * const utf16 = new Uint8Array([0xff, 0xfe, 0x68, 0x00, 0xe9, 0x00, 0x0a, 0x00]);
 * assert.equal(new TextDecoder().decode(transcodeBom(utf16)), "hé\n");
 * const plain = new TextEncoder().encode("hello\n");
 * assert.equal(transcodeBom(plain), plain);
 * ```
 *
 * @param bytes A file's content.
 * @returns UTF-8 bytes: new ones for UTF-16, a view past the mark for UTF-8 with a mark, else
 *   `bytes` itself.
 */
export function transcodeBom(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 2) return bytes;
  const [first, second] = bytes;
  // TextDecoder drops the mark itself.
  if (first === 0xff && second === 0xfe) return encoder.encode(utf16le.decode(bytes));
  if (first === 0xfe && second === 0xff) return encoder.encode(utf16be.decode(bytes));
  if (first === 0xef && second === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3);
  return bytes;
}
