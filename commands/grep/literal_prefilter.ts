/**
 * The literal prefilter: before a file is decoded and handed to the regex engine, its raw
 * bytes are scanned for a literal that every match must contain. Most files of a search
 * contain none, and for them the scan (SIMD, on two of the literal's rarest bytes: see
 * lib/text/find_bytes.ts) is all the work done.
 *
 * @module
 */

import { BytesFinder } from "../../lib/text/find_bytes.ts";

/** A literal some bytes must contain, prepared for fast scanning. */
export class LiteralPrefilter {
  readonly #finders: BytesFinder[];

  /**
   * @param literals Any one of these must be present (UTF-8 encoded); an empty string
   *   matches anything, so it disables the filter.
   * @param caseless ASCII letters match in either case.
   */
  constructor(literals: readonly string[], caseless = false) {
    const encoder = new TextEncoder();
    this.#finders = literals.map((literal) =>
      new BytesFinder(encoder.encode(literal), { caseless })
    );
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
    for (const finder of this.#finders) if (finder.find(haystack) !== -1) return true;
    return false;
  }
}
