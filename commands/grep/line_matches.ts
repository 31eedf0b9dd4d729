/**
 * Every match within a selected line, for colour, `-o`, `--replace`, `--vimgrep`, columns
 * and match counts.
 *
 * @module
 */

/** Options for {@linkcode lineMatches}. */
export interface LineMatchesOptions {
  /**
   * Keep an empty match at the very end of `text`. rg reports one there when the line has a
   * newline after it (the match sits before the newline) and drops it on a last line without
   * one; `--replace` always keeps it.
   * @default true
   */
  atEnd?: boolean;
}

/**
 * The matches of `regex` (which must have the `g` flag) in `text`, in order, iterated as
 * Rust's regex crate does for ripgrep: empty matches count, except one that starts where the
 * previous match ended (`x*` finds `xx` in `axx` and an empty match at 0, not one at 3). The
 * line is searched on its own, as ripgrep searches a line.
 *
 * @example
 * ```ts
 * import { lineMatches } from "./line_matches.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(lineMatches(/l+/g, "hello world").map((m) => m.index), [2, 9]);
 * assert.deepEqual(lineMatches(new RegExp("x*", "gu"), "axx").map((m) => [m.index, m[0]]), [[0, ""], [1, "xx"]]);
 * ```
 *
 * @param regex A global RegExp.
 * @param text One line (or the lines of one multiline match).
 * @param options Whether an empty match at the end of `text` counts.
 * @returns The matches; `index` is relative to `text`.
 */
export function lineMatches(
  regex: RegExp,
  text: string,
  options: LineMatchesOptions = {},
): RegExpExecArray[] {
  const atEnd = options.atEnd ?? true;
  const out: RegExpExecArray[] = [];
  // Where the last match (empty or not) ended; an empty match there is skipped.
  let lastEnd = -1;
  regex.lastIndex = 0;
  while (regex.lastIndex <= text.length) {
    const m = regex.exec(text);
    if (m === null) break;
    const end = m.index + m[0].length;
    if (m[0] === "") {
      // Step over one code point, never half of a surrogate pair.
      const c = text.charCodeAt(end);
      regex.lastIndex = end + (c >= 0xd800 && c <= 0xdbff && end + 1 < text.length ? 2 : 1);
      if (end === lastEnd || (end === text.length && !atEnd)) continue;
    }
    lastEnd = end;
    out.push(m);
  }
  return out;
}
