/**
 * A piece of a file, decoded for the regex engine, that remembers where its text came from.
 *
 * @module
 */

import { Buffer, isAscii, isUtf8 } from "node:buffer";

/** How a chunk's bytes became text. */
export type TextKind =
  /** All bytes < 0x80: one char per byte, offsets equal byte offsets. */
  | "ascii"
  /** Valid UTF-8 with other characters: offsets need converting to bytes. */
  | "utf8"
  /** One char per byte (Latin-1): not UTF-8, or byte-safe patterns; output copies raw bytes. */
  | "bytes"
  /**
   * Not valid UTF-8, decoded leniently (each invalid sequence is one U+FFFD), so the valid
   * parts still match Unicode classes as they do in rg; output copies the raw bytes.
   */
  | "lossy";

/** A decoded piece of a file: whole lines, the last one maybe without its newline. */
export interface Chunk {
  /** The text searched. */
  text: string;
  /** The bytes it was decoded from. */
  bytes: Uint8Array;
  /** How the text relates to the bytes. */
  kind: TextKind;
  /** Byte offset of `bytes[0]` in the file. */
  byteBase: number;
  /** Line number of the first line (1-based). */
  lineBase: number;
  /** Text before this index was searched in the previous chunk; it is there as context. */
  from: number;
  /** Whether this is the last chunk of the file. */
  last: boolean;
}

const utf8 = new TextDecoder();

/** Options for {@linkcode decodeChunk}. */
export interface DecodeOptions {
  /** Byte offset of the chunk in the file. @default 0 */
  byteBase?: number;
  /** Line number of its first line. @default 1 */
  lineBase?: number;
  /** Chars before this index are context carried from the previous chunk. @default 0 */
  from?: number;
  /** The last chunk of the file. @default true */
  last?: boolean;
  /**
   * The patterns match the same on raw bytes as on decoded text (ASCII only, no `.`, no
   * Unicode classes), so non-ASCII text may be read one char per byte. @default false
   */
  byteSafe?: boolean;
}

/**
 * Decodes bytes for searching. ASCII, and any text when the patterns are byte-safe, is read
 * one char per byte (Latin-1: a copy into a V8 one-byte string, ~2 GB/s); other valid UTF-8
 * is decoded properly (~0.3 GB/s) so Unicode classes and case folding work; invalid UTF-8 is
 * read one char per byte and printed from the raw bytes.
 *
 * @example
 * ```ts
 * import { decodeChunk } from "./chunk.ts";
 * import assert from "node:assert/strict";
 * const enc = (s: string) => new TextEncoder().encode(s);
 * assert.equal(decodeChunk(enc("hello\n")).kind, "ascii");
 * assert.equal(decodeChunk(enc("héllo\n")).kind, "utf8");
 * assert.equal(decodeChunk(enc("héllo\n"), { byteSafe: true }).kind, "bytes");
 * assert.equal(decodeChunk(new Uint8Array([0x66, 0xff, 0x0a])).kind, "lossy");
 * ```
 *
 * @param bytes The bytes (whole lines).
 * @param at Where they sit in the file, and whether the patterns are byte-safe.
 * @returns The chunk.
 */
export function decodeChunk(bytes: Uint8Array, at: DecodeOptions = {}): Chunk {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let kind: TextKind;
  let text: string;
  if (isAscii(bytes)) [kind, text] = ["ascii", buffer.toString("latin1")];
  else if (at.byteSafe) [kind, text] = ["bytes", buffer.toString("latin1")];
  else [kind, text] = [isUtf8(bytes) ? "utf8" : "lossy", utf8.decode(bytes)];
  return {
    text,
    bytes,
    kind,
    byteBase: at.byteBase ?? 0,
    lineBase: at.lineBase ?? 1,
    from: at.from ?? 0,
    last: at.last ?? true,
  };
}

/**
 * The number of UTF-8 bytes of `text.slice(start, end)`.
 *
 * @example
 * ```ts
 * import { utf8Length } from "./chunk.ts";
 * import assert from "node:assert/strict";
 * assert.equal(utf8Length("aé😀", 0, 4), 7);
 * ```
 *
 * @param text The text.
 * @param start First char.
 * @param end After the last char.
 * @returns Byte count.
 */
export function utf8Length(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * How many bytes at `at` the lenient UTF-8 decoder turned into one U+FFFD: the maximal
 * subpart of an ill-formed sequence (WHATWG), or 3 for a real U+FFFD.
 */
function replacedLength(bytes: Uint8Array, at: number): number {
  const lead = bytes[at];
  const cont = (i: number, lo = 0x80, hi = 0xbf) =>
    at + i < bytes.length && bytes[at + i] >= lo && bytes[at + i] <= hi;
  if (lead === 0xef && cont(1, 0xbf, 0xbf) && cont(2, 0xbd, 0xbd)) return 3;
  if (lead >= 0xc2 && lead <= 0xdf) return 1;
  if (lead >= 0xe0 && lead <= 0xef) {
    const [lo, hi] = lead === 0xe0 ? [0xa0, 0xbf] : lead === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, lo, hi) ? 2 : 1;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const [lo, hi] = lead === 0xf0 ? [0x90, 0xbf] : lead === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    if (!cont(1, lo, hi)) return 1;
    return cont(2) ? 3 : 2;
  }
  return 1;
}

/** Bytes of `text[start, end)` in a lossy chunk whose char `start` is at byte `byte`. */
function lossyLength(chunk: Chunk, start: number, end: number, byte: number): number {
  const text = chunk.text;
  let b = byte;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      b += 4;
      i++;
    } else if (c === 0xfffd) b += replacedLength(chunk.bytes, b);
    else b += 3;
  }
  return b - byte;
}

// Offsets are asked for in increasing order, so a cursor keeps the conversion linear.
let cursorChunk: Chunk | undefined;
let cursorChar = 0;
let cursorByte = 0;

/** Byte offset, within the chunk, of char index `i`. */
export function byteIndex(chunk: Chunk, i: number): number {
  if (chunk.kind === "ascii" || chunk.kind === "bytes") return i;
  if (cursorChunk !== chunk || i < cursorChar) {
    [cursorChunk, cursorChar, cursorByte] = [chunk, 0, 0];
  }
  if (chunk.kind === "utf8") cursorByte += utf8Length(chunk.text, cursorChar, i);
  else {
    // Newlines are the same in the text and the bytes (the decoder never swallows ASCII), so
    // jump line by line with indexOf on both, and walk chars only within the last line.
    const text = chunk.text;
    for (
      let nl = text.indexOf("\n", cursorChar);
      nl >= 0 && nl < i;
      nl = text.indexOf("\n", nl + 1)
    ) {
      cursorByte = chunk.bytes.indexOf(10, cursorByte) + 1;
      cursorChar = nl + 1;
    }
    if (i === text.length || text.charCodeAt(i) === 10) {
      // The end of a line: its newline in the bytes, without walking the chars.
      const nl = chunk.bytes.indexOf(10, cursorByte);
      cursorByte = nl < 0 ? chunk.bytes.length : nl;
    } else cursorByte += lossyLength(chunk, cursorChar, i, cursorByte);
  }
  cursorChar = i;
  return cursorByte;
}

/** Byte offset within a line of char index `i` of that line, which starts at `lineStart`. */
export function byteColumn(chunk: Chunk, lineStart: number, i: number): number {
  if (chunk.kind === "utf8") return utf8Length(chunk.text, lineStart, i);
  if (chunk.kind === "lossy") {
    // The line start first: byteIndex walks forward from where it was last asked.
    const from = byteIndex(chunk, lineStart);
    return byteIndex(chunk, i) - from;
  }
  return i - lineStart;
}

/** The raw bytes of `[start, end)` (char indices). */
export function sliceBytes(chunk: Chunk, start: number, end: number): Uint8Array {
  if (chunk.kind === "ascii" || chunk.kind === "bytes") return chunk.bytes.subarray(start, end);
  const from = byteIndex(chunk, start);
  return chunk.bytes.subarray(from, byteIndex(chunk, end));
}
