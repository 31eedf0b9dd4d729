/**
 * A byte-level filter for substring search: which notes' bodies can hold the query at all.
 *
 * A search decodes only the bodies this filter passes. Most notes of a large folder do not
 * hold the query, and decoding 20 MB of bodies cost more than the search itself; scanning
 * the bytes for the query (lib/text/find_bytes.ts, SIMD) costs far less.
 *
 * Case-insensitive search with the `iu` flags folds `k` to the Kelvin sign and `s` to the long
 * s, and non-ASCII letters fold in ways bytes cannot follow, so the filter then looks for the
 * longest run of the query free of those letters: every match of the query contains that run,
 * in some ASCII case.
 *
 * @module
 */

import { BytesFinder } from "../../lib/text/find_bytes.ts";
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
 * assert.ok(filter(bytes, 0, 19));
 * assert.ok(!filter(bytes, 20, bytes.length));
 * ```
 *
 * @param query The search text.
 * @param caseSensitive Whether case must match.
 * @returns The filter; undefined when no part of the query can be looked for as bytes.
 */
export function substringFilter(query: string, caseSensitive: boolean): BodyFilter | undefined {
  const needle = caseSensitive ? new TextEncoder().encode(query) : foldableRun(query);
  if (needle.length === 0) return undefined;
  const finder = new BytesFinder(needle, { caseless: !caseSensitive });
  const n = needle.length;
  // The first match at or after `from` starts at `found` (-1: none): the bodies come in file
  // order, so one scan of the file answers for every body it passes.
  let from = -1;
  let found = -1;
  return (bytes, start, end) => {
    if (from === -1 || start < from || (found !== -1 && found < start)) {
      from = start;
      found = finder.find(bytes, start);
    }
    // A match that starts in this body but runs past its end is not in it, and no later
    // start in it can end sooner.
    return found !== -1 && found + n <= end;
  };
}

/** The longest run of ASCII characters other than k and s, lower-cased, as bytes. */
function foldableRun(query: string): Uint8Array {
  let best = "";
  for (const run of query.split(/[^\x20-\x7e]|[ksKS]/)) if (run.length > best.length) best = run;
  return new TextEncoder().encode(best.toLowerCase());
}
