/**
 * A byte-level filter for substring search: which notes' bodies can hold the query at all.
 *
 * A search decodes only the bodies this filter passes. Most notes of a large folder do not
 * hold the query, and decoding 20 MB of bodies cost more than the search itself; scanning
 * the bytes for the query's rarest byte with `indexOf` costs far less.
 *
 * Case-insensitive search with the `iu` flags folds `k` to the Kelvin sign and `s` to the long
 * s, and non-ASCII letters fold in ways bytes cannot follow, so the filter then looks for the
 * longest run of the query free of those letters: every match of the query contains that run,
 * in some ASCII case.
 *
 * @module
 */

import { BYTE_RANK } from "../../lib/text/byte_rank.ts";
import type { BodyFilter } from "./note_index.ts";

/**
 * A filter for bodies that can contain `query`, or undefined when bytes cannot tell.
 *
 * @example
 * ```ts
 * import { substringFilter } from "./body_filter.ts";
 * import assert from "node:assert/strict";
 * const bytes = new TextEncoder().encode("one ZYZZOGETON here|nothing");
 * const filter = substringFilter("zyzzogeton", false)!;
 * const ALL = 0x3ffffff; // every upper-case letter may be there
 * assert.ok(filter(bytes, 0, 19, ALL));
 * assert.ok(!filter(bytes, 20, bytes.length, ALL));
 * ```
 *
 * @param query The search text.
 * @param caseSensitive Whether case must match.
 * @returns The filter; undefined when no part of the query can be looked for as bytes.
 */
export function substringFilter(query: string, caseSensitive: boolean): BodyFilter | undefined {
  const needle = caseSensitive ? new TextEncoder().encode(query) : foldableRun(query);
  if (needle.length === 0) return undefined;
  const n = needle.length;
  const letter = needle.map((b) => (!caseSensitive && b >= 0x61 && b <= 0x7a ? 1 : 0));
  // The anchor is the byte whose commoner case is rarest: both cases are scanned for.
  let at = 0;
  const rarity = (i: number) =>
    letter[i] ? Math.min(BYTE_RANK[needle[i]], BYTE_RANK[needle[i] - 0x20]) : BYTE_RANK[needle[i]];
  for (let i = 1; i < n; i++) if (rarity(i) > rarity(at)) at = i;
  const anchors = letter[at] ? [needle[at], needle[at] - 0x20] : [needle[at]];
  // Per anchor: the bit of `upper` that says a body has it, or 0 for a byte always looked for.
  const upperBit = letter[at] ? [0, 1 << (needle[at] - 0x61)] : [0];
  // Per anchor byte: the first occurrence at or after `from` is `found` (-1: none).
  const memo = anchors.map(() => ({ from: -1, found: -1 }));

  function next(bytes: Uint8Array, k: number, from: number): number {
    const m = memo[k];
    if (m.from === -1 || from < m.from || (m.found !== -1 && m.found < from)) {
      m.from = from;
      m.found = bytes.indexOf(anchors[k], from);
    }
    return m.found;
  }

  return (bytes, start, end, upper) => {
    const last = end - n + at;
    let from = start + at;
    while (from <= last) {
      let i = -1;
      for (let k = 0; k < anchors.length; k++) {
        // A body without the upper-case anchor need not be scanned for it: most bodies lack a
        // rare capital, and skipping them halves the bytes a case-blind search reads.
        if (upperBit[k] !== 0 && (upper & upperBit[k]) === 0) continue;
        const found = next(bytes, k, from);
        if (found !== -1 && (i === -1 || found < i)) i = found;
      }
      if (i === -1 || i > last) return false;
      const base = i - at;
      let j = 0;
      while (j < n && (letter[j] ? bytes[base + j] | 0x20 : bytes[base + j]) === needle[j]) j++;
      if (j === n) return true;
      from = i + 1;
    }
    return false;
  };
}

/**
 * The upper-case ASCII letters of `text` as a bit set, bit 0 for A: what the notes cache
 * records per body for the filter's `upper` argument.
 *
 * @example
 * ```ts
 * import { upperLetters } from "./body_filter.ts";
 * import assert from "node:assert/strict";
 * assert.equal(upperLetters("A b C"), 0b101);
 * ```
 *
 * @param text A body.
 * @returns The bit set.
 */
export function upperLetters(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) {
    const letter = text.charCodeAt(i) - 65;
    if (letter >= 0 && letter < 26) mask |= 1 << letter;
  }
  return mask;
}

/** The longest run of ASCII characters other than k and s, lower-cased, as bytes. */
function foldableRun(query: string): Uint8Array {
  let best = "";
  for (const run of query.split(/[^\x20-\x7e]|[ksKS]/)) if (run.length > best.length) best = run;
  return new TextEncoder().encode(best.toLowerCase());
}
