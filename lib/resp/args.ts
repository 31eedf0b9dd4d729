/**
 * Redis's rules for reading command arguments, shared by `kit kv serve` and `kit redis`:
 * bytes held as latin1 strings (one char per byte, so binary keys are Map keys), option words
 * folded to lower case, integers as `string2ll` reads them, and glob patterns as
 * `stringmatchlen` matches them (KEYS, SCAN MATCH, PSUBSCRIBE).
 *
 * @module
 */

const CHUNK = 8192;
const SCRATCH: number[] = [];

/**
 * Bytes as a latin1 string, one char per byte: a binary-safe Map key.
 *
 * @example
 * ```ts
 * import { latin1 } from "./args.ts";
 * import assert from "node:assert/strict";
 * assert.equal(latin1(new Uint8Array([104, 105, 255])), "hi\xff");
 * ```
 *
 * @param bytes The bytes.
 * @returns One char per byte.
 */
export function latin1(bytes: Uint8Array): string {
  return latin1Range(bytes, 0, bytes.length);
}

/**
 * {@linkcode latin1} of a range of a buffer, with no view made of it.
 *
 * @example
 * ```ts
 * import { latin1Range } from "./args.ts";
 * import assert from "node:assert/strict";
 * assert.equal(latin1Range(new Uint8Array([104, 105, 255]), 1, 3), "i\xff");
 * ```
 *
 * @param bytes The buffer.
 * @param start First byte.
 * @param end One past the last byte.
 * @returns One char per byte.
 */
export function latin1Range(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n < 13) {
    // V8 copies concatenations this short into a flat string.
    let s = "";
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
    return s;
  }
  if (n <= CHUNK) {
    // Longer concatenations would be cons-string trees that every hash or compare of the
    // key flattens again; one call builds a flat string. A plain array of small integers
    // is the argument list V8 spreads fastest.
    const codes = SCRATCH;
    codes.length = n;
    for (let i = 0; i < n; i++) codes[i] = bytes[start + i];
    return String.fromCharCode.apply(null, codes);
  }
  let s = "";
  // Chunks keep the argument list of fromCharCode under the engine's limit.
  for (let i = start; i < end; i += CHUNK) {
    const part = bytes.subarray(i, Math.min(end, i + CHUNK));
    s += String.fromCharCode.apply(null, part as unknown as number[]);
  }
  return s;
}

/**
 * The bytes of a latin1 string (the inverse of {@linkcode latin1}).
 *
 * @example
 * ```ts
 * import { bytesOf } from "./args.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(bytesOf("hi\xff"), new Uint8Array([104, 105, 255]));
 * ```
 *
 * @param s One char per byte.
 * @returns The bytes.
 */
export function bytesOf(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Lower-case ASCII of a word (an option such as `WITHSCORES`).
 *
 * @example
 * ```ts
 * import { lowerWord } from "./args.ts";
 * import assert from "node:assert/strict";
 * assert.equal(lowerWord(new TextEncoder().encode("WithScores")), "withscores");
 * ```
 *
 * @param bytes The word.
 * @returns Lower case.
 */
export function lowerWord(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    s += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
  }
  return s;
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * Parses a signed 64-bit integer with Redis's `string2ll` rules (no spaces, no `+`, no leading
 * zeros) as a bigint.
 *
 * @example
 * ```ts
 * import { parseBigInt } from "./args.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseBigInt(new TextEncoder().encode("-9223372036854775808")), -9223372036854775808n);
 * assert.equal(parseBigInt(new TextEncoder().encode("007")), undefined);
 * ```
 *
 * @param bytes The text.
 * @returns The value, or undefined when it is not one.
 */
export function parseBigInt(bytes: Uint8Array): bigint | undefined {
  if (!isIntegerText(bytes)) return undefined;
  const v = BigInt(latin1(bytes));
  return v > INT64_MAX || v < INT64_MIN ? undefined : v;
}

function isIntegerText(bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  if (bytes[0] === 45) {
    if (n === 1) return false;
    i = 1;
  }
  if (bytes[i] === 48) return n === 1;
  for (; i < n; i++) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) return false;
  }
  return true;
}

/**
 * Parses a signed 64-bit integer with Redis's `string2ll` rules as a number (exact up to 2^53,
 * which covers counts, indexes and times).
 *
 * @example
 * ```ts
 * import { parseInteger } from "./args.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseInteger(new TextEncoder().encode("-12")), -12);
 * assert.equal(parseInteger(new TextEncoder().encode("1.5")), undefined);
 * ```
 *
 * @param bytes The text.
 * @param start Where the text starts in `bytes`.
 * @param end Where it ends.
 * @returns The value, or undefined when it is not one.
 */
export function parseInteger(bytes: Uint8Array, start = 0, end = bytes.length): number | undefined {
  const n = end - start;
  if (n <= 0 || n > 20) return undefined;
  if (n > 15) {
    const big = parseBigInt(bytes.subarray(start, end));
    return big === undefined ? undefined : Number(big);
  }
  let i = start;
  let negative = false;
  if (bytes[i] === 45) {
    if (n === 1) return undefined;
    negative = true;
    i++;
  }
  if (bytes[i] === 48) return n === 1 ? 0 : undefined;
  let v = 0;
  for (; i < end; i++) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
  }
  return negative ? -v : v;
}

/**
 * Whether `subject` matches the glob `pattern` as Redis's `stringmatchlen` decides (KEYS,
 * SCAN MATCH, PSUBSCRIBE): `*`, `?`, `[abc]`, `[^a]`, `[a-z]`, `\` quoting. Both are latin1.
 *
 * @example
 * ```ts
 * import { globMatch } from "./args.ts";
 * import assert from "node:assert/strict";
 * assert.ok(globMatch("user:*", "user:42"));
 * assert.ok(globMatch("h[^e]llo", "hallo"));
 * assert.ok(!globMatch("h?llo", "hllo"));
 * ```
 *
 * @param pattern The glob.
 * @param subject The text.
 * @returns Whether it matches.
 */
export function globMatch(pattern: string, subject: string): boolean {
  // Backtracking only to the last `*` is exact (a later star absorbs whatever an earlier one
  // would have) and stays O(pattern × subject) where recursion goes exponential.
  const p = pattern;
  const s = subject;
  let pi = 0;
  let si = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    if (pi < p.length) {
      const c = p.charCodeAt(pi);
      if (c === 42) {
        while (pi < p.length && p.charCodeAt(pi) === 42) pi++;
        if (pi === p.length) return true;
        starP = pi;
        starS = si;
        continue;
      }
      const step = matchOne(p, pi, s.charCodeAt(si));
      if (step > 0) {
        pi += step;
        si++;
        continue;
      }
    }
    if (starP < 0) return false;
    pi = starP;
    si = ++starS;
  }
  while (pi < p.length && p.charCodeAt(pi) === 42) pi++;
  return pi === p.length;
}

/** Matches one pattern element at `pi` against char `ch`: its length, or 0 on no match. */
function matchOne(p: string, pi: number, ch: number): number {
  const c = p.charCodeAt(pi);
  if (c === 63) return 1;
  if (c === 92 && pi + 1 < p.length) return p.charCodeAt(pi + 1) === ch ? 2 : 0;
  if (c !== 91) return c === ch ? 1 : 0;
  let i = pi + 1;
  const negate = p.charCodeAt(i) === 94;
  if (negate) i++;
  let matched = false;
  while (i < p.length && p.charCodeAt(i) !== 93) {
    let a = p.charCodeAt(i);
    if (a === 92 && i + 1 < p.length) {
      i++;
      a = p.charCodeAt(i);
      if (a === ch) matched = true;
      i++;
    } else if (i + 2 < p.length && p.charCodeAt(i + 1) === 45 && p.charCodeAt(i + 2) !== 93) {
      let lo = a;
      let hi = p.charCodeAt(i + 2);
      if (lo > hi) [lo, hi] = [hi, lo];
      if (ch >= lo && ch <= hi) matched = true;
      i += 3;
    } else {
      if (a === ch) matched = true;
      i++;
    }
  }
  // An unterminated class ends at the pattern's end, as Redis treats it.
  const len = (i < p.length ? i + 1 : i) - pi;
  return matched !== negate ? len : 0;
}

/**
 * The literal text a glob starts with, so a scan can seek to it instead of reading every key.
 *
 * @example
 * ```ts
 * import { globPrefix } from "./args.ts";
 * import assert from "node:assert/strict";
 * assert.equal(globPrefix("user:*"), "user:");
 * assert.equal(globPrefix("a\\*b?"), "a*b");
 * ```
 *
 * @param pattern The glob (latin1).
 * @returns The prefix every match has (maybe empty).
 */
export function globPrefix(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 42 || c === 63 || c === 91) break;
    if (c === 92) {
      if (i + 1 >= pattern.length) break;
      out += pattern[++i];
    } else out += pattern[i];
  }
  return out;
}
