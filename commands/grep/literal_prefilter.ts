/**
 * The literal prefilter: before a file is decoded and handed to the regex engine, its raw
 * bytes are scanned for a literal that every match must contain. Most files of a search
 * contain none, and for them the scan (a `memchr`-speed `indexOf` on the rarest byte of the
 * literal) is all the work done.
 *
 * @module
 */

import { BYTE_RANK as RANK } from "../../lib/text/byte_rank.ts";

/** A literal some bytes must contain, prepared for fast scanning. */
export class LiteralPrefilter {
  readonly #needles: { bytes: Uint8Array; rare: number; at: number }[];

  /**
   * @param literals Any one of these must be present (UTF-8 encoded, case-sensitive); an
   *   empty string matches anything, so it disables the filter.
   */
  constructor(literals: readonly string[]) {
    const encoder = new TextEncoder();
    this.#needles = literals.map((literal) => {
      const bytes = encoder.encode(literal);
      let at = 0;
      for (let i = 1; i < bytes.length; i++) if (RANK[bytes[i]] > RANK[bytes[at]]) at = i;
      return { bytes, rare: bytes[at], at };
    });
  }

  /**
   * Whether `haystack` contains any of the literals.
   *
   * @example
   * ```ts
   * import { LiteralPrefilter } from "./literal_prefilter.ts";
   * import assert from "node:assert/strict";
   * const filter = new LiteralPrefilter(["PM_RESUME", "résumé"]);
   * const enc = (s: string) => new TextEncoder().encode(s);
   * assert.ok(filter.mayMatch(enc("x résumé y")));
   * assert.ok(!filter.mayMatch(enc("PM_RESUM PM_SUSPEND")));
   * ```
   *
   * @param haystack The bytes.
   * @returns False only when no match is possible.
   */
  mayMatch(haystack: Uint8Array): boolean {
    for (const needle of this.#needles) {
      const { bytes, rare, at } = needle;
      const n = bytes.length;
      if (n === 0) return true;
      const last = haystack.length - n + at;
      for (
        let i = haystack.indexOf(rare, at);
        i >= 0 && i <= last;
        i = haystack.indexOf(rare, i + 1)
      ) {
        const start = i - at;
        let j = 0;
        while (j < n && haystack[start + j] === bytes[j]) j++;
        if (j === n) return true;
      }
    }
    return false;
  }
}
