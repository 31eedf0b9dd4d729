/**
 * Finding a byte string in bytes at SIMD speed: a small WebAssembly module (find_bytes.wat)
 * compares 16 positions at a time on two of the needle's rarest bytes, then checks the
 * candidates. `Uint8Array.prototype.indexOf` scans about 2.5 GB/s; this about 10 times that,
 * which is what a literal prefilter over a gigabyte needs.
 *
 * The module works on its own memory. Bytes already in it (see {@linkcode scanBuffer}) are
 * searched where they are; other bytes are copied through a window first, which still costs
 * less than scanning them from JavaScript. Where WebAssembly SIMD is missing, or with
 * `KIT_SIMD=off`, the same answers come from a JavaScript loop.
 *
 * @module
 */

import { BYTE_RANK } from "./byte_rank.ts";
import { FIND_BYTES_WASM } from "./_find_bytes_wasm.ts";

/** Where needles (and their case masks) go: each at most half of it. */
const NEEDLE_AREA = 64 * 1024;
/** The window other bytes are copied through. */
const WINDOW = 1024 * 1024;
/** The first window copied is small: a match is often near. */
const FIRST_WINDOW = 4096;
/** Memory handed out by {@linkcode scanBuffer}. */
const POOL = 8 * 1024 * 1024;
const WINDOW_AT = NEEDLE_AREA;
const POOL_AT = WINDOW_AT + WINDOW;

interface Scanner {
  memory: Uint8Array;
  find(from: number, to: number, needle: number, n: number, i1: number, i2: number): number;
  /** The finder whose needle is in the needle area. */
  loaded: BytesFinder | null;
  /** The next free byte of the pool. */
  poolUsed: number;
}

let scanner: Scanner | null | undefined;

function loadScanner(): Scanner | null {
  if (scanner !== undefined) return scanner;
  scanner = null;
  try {
    if (Deno.env.get("KIT_SIMD") === "off") return scanner;
  } catch { /* no env permission: the default holds */ }
  try {
    const bytes = Uint8Array.from(atob(FIND_BYTES_WASM), (c) => c.charCodeAt(0));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const exports = instance.exports as {
      memory: WebAssembly.Memory;
      find: Scanner["find"];
    };
    // Grown once, before any view of it exists: growing later would detach the views.
    exports.memory.grow(Math.ceil((POOL_AT + POOL) / 65536) - 1);
    scanner = {
      memory: new Uint8Array(exports.memory.buffer),
      find: exports.find,
      loaded: null,
      poolUsed: 0,
    };
  } catch {
    // No WebAssembly SIMD here: the JavaScript loop answers.
  }
  return scanner;
}

/**
 * A buffer of `size` bytes that {@linkcode BytesFinder.find} searches without copying: inside
 * the scanner's memory while its pool lasts, else an ordinary one. Meant for the few
 * long-lived buffers a search reads files into.
 *
 * @example
 * ```ts
 * import { scanBuffer } from "./find_bytes.ts";
 * console.assert(scanBuffer(1024).length === 1024);
 * ```
 *
 * @param size Bytes.
 * @returns The buffer, zeroed.
 */
export function scanBuffer(size: number): Uint8Array {
  const s = loadScanner();
  if (s === null || s.poolUsed + size > POOL) return new Uint8Array(size);
  const at = POOL_AT + s.poolUsed;
  // 16-byte alignment keeps vector loads within one cache line more often.
  s.poolUsed += (size + 15) & ~15;
  return s.memory.subarray(at, at + size);
}

/** Options for {@linkcode BytesFinder}. */
export interface BytesFinderOptions {
  /** ASCII letters match in either case. @default false */
  caseless?: boolean;
  /** Use the WebAssembly scanner when there is one (false: the JavaScript loop). @default true */
  simd?: boolean;
}

/**
 * A needle prepared for searching.
 *
 * @example
 * ```ts
 * import { BytesFinder } from "./find_bytes.ts";
 * import assert from "node:assert/strict";
 * const bytes = new TextEncoder().encode("one SIGCHLD, two sigchld");
 * assert.equal(new BytesFinder(new TextEncoder().encode("SIGCHLD")).find(bytes), 4);
 * const caseless = new BytesFinder(new TextEncoder().encode("sigchld"), { caseless: true });
 * assert.equal(caseless.find(bytes, 5), 17);
 * ```
 */
export class BytesFinder {
  /** The needle's length in bytes. */
  readonly length: number;
  /** The needle (letters lower-cased when caseless) followed by its case mask. */
  readonly #pattern: Uint8Array;
  readonly #i1: number;
  readonly #i2: number;
  readonly #simd: boolean;

  /**
   * @param needle The bytes to find; the empty needle is found at once.
   * @param options Case.
   */
  constructor(needle: Uint8Array, options: BytesFinderOptions = {}) {
    const n = needle.length;
    this.length = n;
    const pattern = new Uint8Array(n * 2);
    for (let i = 0; i < n; i++) {
      const b = needle[i];
      const letter = options.caseless && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
      pattern[i] = letter ? b | 0x20 : b;
      pattern[n + i] = letter ? 0x20 : 0;
    }
    this.#pattern = pattern;
    this.#simd = options.simd ?? true;
    // The two rarest positions: a candidate needs both, so few reach the full comparison.
    const rank = (i: number) =>
      pattern[n + i]
        ? Math.min(BYTE_RANK[pattern[i]], BYTE_RANK[pattern[i] & ~0x20])
        : BYTE_RANK[pattern[i]];
    let i1 = 0;
    for (let i = 1; i < n; i++) if (rank(i) > rank(i1)) i1 = i;
    let i2 = i1 === 0 ? Math.min(1, n - 1) : 0;
    for (let i = 0; i < n; i++) if (i !== i1 && rank(i) > rank(i2)) i2 = i;
    this.#i1 = i1;
    this.#i2 = n === 0 ? 0 : i2;
  }

  /**
   * Where the needle first occurs in `haystack` at or after `from`.
   *
   * @param haystack The bytes.
   * @param from The first start looked at.
   * @returns The start, or -1.
   */
  find(haystack: Uint8Array, from = 0): number {
    const n = this.length;
    if (n === 0) return from <= haystack.length ? from : -1;
    const s = this.#simd ? loadScanner() : null;
    if (s === null || n * 2 > NEEDLE_AREA) return this.#findJs(haystack, from);
    if (s.loaded !== this) {
      s.memory.set(this.#pattern, 0);
      s.loaded = this;
    }
    if (haystack.buffer === s.memory.buffer) {
      const base = haystack.byteOffset;
      const at = s.find(base + from, base + haystack.length, 0, n, this.#i1, this.#i2);
      return at === -1 ? -1 : at - base;
    }
    // Through the window: each piece overlaps the last by n - 1 bytes, so a match across
    // two pieces is whole in the second.
    let size = FIRST_WINDOW;
    for (let start = from; start + n <= haystack.length;) {
      const end = Math.min(haystack.length, start + size);
      s.memory.set(haystack.subarray(start, end), WINDOW_AT);
      const at = s.find(WINDOW_AT, WINDOW_AT + end - start, 0, n, this.#i1, this.#i2);
      if (at !== -1) return start + at - WINDOW_AT;
      if (end === haystack.length) break;
      start = end - n + 1;
      size = Math.min(WINDOW, size * 4);
    }
    return -1;
  }

  #findJs(haystack: Uint8Array, from: number): number {
    const n = this.length;
    const pattern = this.#pattern;
    const i1 = this.#i1;
    const b1 = pattern[i1];
    const folded = pattern[n + i1] !== 0;
    const last = haystack.length - n;
    for (let p = Math.max(0, from); p <= last;) {
      // The rare byte by indexOf, in both cases when it is a letter.
      let i = haystack.indexOf(b1, p + i1);
      if (folded) {
        const upper = haystack.indexOf(b1 & ~0x20, p + i1);
        if (upper !== -1 && (i === -1 || upper < i)) i = upper;
      }
      if (i === -1 || i - i1 > last) return -1;
      const start = i - i1;
      let j = 0;
      while (j < n && (haystack[start + j] | pattern[n + j]) === pattern[j]) j++;
      if (j === n) return start;
      p = start + 1;
    }
    return -1;
  }
}
