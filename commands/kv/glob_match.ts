/**
 * Redis's glob patterns (`KEYS`, `SCAN MATCH`) over bytes.
 *
 * @module
 */

/**
 * Whether `subject` matches the glob `pattern` the way Redis's `stringmatchlen` decides:
 * `*` any run, `?` one byte, `[abc]`, `[^a]`, `[a-z]`, and `\` quoting the next byte.
 *
 * @example
 * ```ts
 * import { globMatch } from "./glob_match.ts";
 * import assert from "node:assert/strict";
 * const b = (s: string) => new TextEncoder().encode(s);
 * assert.ok(globMatch(b("user:*"), b("user:42")));
 * assert.ok(globMatch(b("h[^e]llo"), b("hallo")));
 * assert.ok(!globMatch(b("h?llo"), b("hllo")));
 * ```
 *
 * @param pattern The glob.
 * @param subject The key.
 * @returns Whether it matches.
 */
export function globMatch(pattern: Uint8Array, subject: Uint8Array): boolean {
  // Iterative, backtracking only to the last `*`: a later star can absorb whatever an earlier
  // one would have, so this is exact, and O(pattern × subject) where recursion is exponential
  // on patterns like `a*a*a*…b`.
  const p = pattern;
  const s = subject;
  let pi = 0;
  let si = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    if (pi < p.length && p[pi] === 42) {
      while (pi < p.length && p[pi] === 42) pi++;
      if (pi === p.length) return true;
      starP = pi;
      starS = si;
      continue;
    }
    const next = pi < p.length ? step(p, pi, s[si]) : -1;
    if (next >= 0) {
      pi = next;
      si++;
    } else if (starP >= 0) {
      pi = starP;
      si = ++starS;
    } else return false;
  }
  while (pi < p.length && p[pi] === 42) pi++;
  return pi === p.length;
}

/** Matches one pattern element at `pi` against byte `c`: the next element's index, or -1. */
function step(p: Uint8Array, pi: number, c: number): number {
  const x = p[pi];
  if (x === 63) return pi + 1; // ?
  if (x === 91) { // [
    pi++;
    const not = p[pi] === 94;
    if (not) pi++;
    let matched = false;
    while (pi < p.length && p[pi] !== 93) {
      if (p[pi] === 92 && pi + 1 < p.length) {
        pi++;
        if (p[pi] === c) matched = true;
      } else if (pi + 2 < p.length && p[pi + 1] === 45) {
        let lo = p[pi];
        let hi = p[pi + 2];
        if (lo > hi) [lo, hi] = [hi, lo];
        if (c >= lo && c <= hi) matched = true;
        pi += 2;
      } else if (p[pi] === c) matched = true;
      pi++;
    }
    if (not) matched = !matched;
    return matched ? Math.min(pi + 1, p.length) : -1;
  }
  if (x === 92 && pi + 1 < p.length) return p[pi + 1] === c ? pi + 2 : -1;
  return x === c ? pi + 1 : -1;
}

/**
 * The literal bytes a glob starts with, so a scan can seek to them instead of reading every key.
 *
 * @example
 * ```ts
 * import { globPrefix } from "./glob_match.ts";
 * import assert from "node:assert/strict";
 * const b = (s: string) => new TextEncoder().encode(s);
 * assert.deepEqual(globPrefix(b("user:*")), b("user:"));
 * assert.deepEqual(globPrefix(b("a\\*b?")), b("a*b"));
 * ```
 *
 * @param pattern The glob.
 * @returns The prefix every match has (maybe empty).
 */
export function globPrefix(pattern: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === 42 || c === 63 || c === 91) break;
    if (c === 92) {
      if (i + 1 >= pattern.length) break;
      out.push(pattern[++i]);
    } else out.push(c);
  }
  return Uint8Array.from(out);
}
