/**
 * Searching notes: substring (the default, smart case), regular expression, or fuzzy.
 *
 * Substring and regex search run one regular expression over each whole body and split
 * lines only around a hit, because almost every note in a large folder does not match and
 * splitting 20 MB into lines first costs more than the search. Fuzzy search scores each line
 * and the title, fzf-style, and ranks notes by their best score.
 *
 * @module
 */

import { fuzzyMatch } from "./fuzzy.ts";
import type { Note } from "./note.ts";

/** How a query is read. */
export type SearchMode = "substring" | "regex" | "fuzzy";

/** Options for {@linkcode searchNotes}. */
export interface SearchOptions {
  /** How the query is read. @default "substring" */
  mode?: SearchMode;
  /** Case sensitivity; undefined means smart case (sensitive when the query has upper case). @default undefined */
  caseSensitive?: boolean;
  /** Only notes that carry every one of these tags. @default [] */
  tags?: string[];
  /** Lines of context around each matching line (substring and regex). @default 0 */
  context?: number;
  /** Most matching lines reported per note in fuzzy mode. @default 3 */
  fuzzyLines?: number;
}

/** Defaults for {@linkcode SearchOptions}. */
export const DEFAULTS = {
  mode: "substring",
  caseSensitive: undefined,
  tags: [],
  context: 0,
  fuzzyLines: 3,
} satisfies SearchOptions;

/** A line of a note, with the ranges that matched (none on a context line). */
export interface LineHit {
  /** 1-based line number in the note's file. */
  line: number;
  /** The line's text. */
  text: string;
  /** [start, end) UTF-16 ranges in `text` that matched. */
  ranges: [number, number][];
  /** True for a line shown only as context. */
  context?: boolean;
}

/** A note that matched. */
export interface NoteHit {
  /** The note. */
  note: Note;
  /** Higher is better (fuzzy); the number of matching lines otherwise. */
  score: number;
  /** Ranges of the title that matched. */
  titleRanges: [number, number][];
  /** Matching lines (and context lines), in file order. */
  lines: LineHit[];
}

/** The query is not a valid regular expression. */
export class QueryError extends SyntaxError {
  override name = "QueryError";
}

/**
 * Whether a search is case-sensitive: as asked, else smart case (sensitive when the query has
 * an upper-case letter).
 *
 * @example
 * ```ts
 * import { isCaseSensitive } from "./search.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isCaseSensitive("Dune", undefined), true);
 * assert.equal(isCaseSensitive("dune", undefined), false);
 * assert.equal(isCaseSensitive("Dune", false), false);
 * ```
 *
 * @param query The query.
 * @param asked The caller's choice, or undefined for smart case.
 * @returns Whether case must match.
 */
export function isCaseSensitive(query: string, asked: boolean | undefined): boolean {
  return asked ?? query !== query.toLowerCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function hasTags(note: Note, tags: string[]): boolean {
  return tags.every((t) => note.tags.some((n) => n.toLowerCase() === t.toLowerCase()));
}

function toRanges(positions: number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const p of positions) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === p) last[1] = p + 1;
    else ranges.push([p, p + 1]);
  }
  return ranges;
}

function regexRanges(re: RegExp, text: string): [number, number][] {
  const ranges: [number, number][] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      // Step over a whole code point: with the `u` flag, a lastIndex inside a surrogate pair
      // is moved back to its start, which would match the same empty string forever.
      re.lastIndex = m.index + ((text.codePointAt(m.index) ?? 0) > 0xffff ? 2 : 1);
      continue;
    }
    ranges.push([m.index, m.index + m[0].length]);
  }
  return ranges;
}

/** The lines of a text; a final newline ends the last line rather than starting an empty one. */
function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function lineSearch(note: Note, re: RegExp, context: number): LineHit[] {
  const body = note.body;
  const lines = splitLines(body);
  const first = note.bodyLine ?? 1;
  const hits: LineHit[] = [];
  const shown = new Set<number>();
  const matching: [number, [number, number][]][] = [];
  for (let i = 0; i < lines.length; i++) {
    const ranges = regexRanges(re, lines[i]);
    if (ranges.length > 0) matching.push([i, ranges]);
  }
  const byIndex = new Map(matching);
  for (const [i] of matching) {
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) {
      shown.add(j);
    }
  }
  for (const j of [...shown].sort((a, b) => a - b)) {
    const ranges = byIndex.get(j);
    hits.push({
      line: first + j,
      text: lines[j].replace(/\r$/, ""),
      ranges: ranges ?? [],
      ...(ranges ? {} : { context: true }),
    });
  }
  return hits;
}

/**
 * Searches notes for a query.
 *
 * @example
 * ```ts
 * import { searchNotes } from "./search.ts";
 * import assert from "node:assert/strict";
 * const note = { id: "a", title: "Fruit", slug: "fruit", path: "/n/fruit.md", body: "apple\nBanana split\n", created: "", updated: "", tags: [], aliases: [], extra: {} };
 * const [hit] = searchNotes([note], "banana");
 * assert.equal(hit.lines[0].line, 2);
 * assert.deepEqual(hit.lines[0].ranges, [[0, 6]]);
 * ```
 *
 * @param notes The notes to search.
 * @param query The query.
 * @param options Mode, case, tags and context.
 * @returns The matching notes: in the given order for substring and regex, best first for fuzzy.
 * @throws {QueryError} When a regex query does not compile.
 */
export function searchNotes(notes: Note[], query: string, options: SearchOptions = {}): NoteHit[] {
  const mode = options.mode ?? DEFAULTS.mode;
  const tags = options.tags ?? DEFAULTS.tags;
  const caseSensitive = isCaseSensitive(query, options.caseSensitive);
  const candidates = tags.length > 0 ? notes.filter((n) => hasTags(n, tags)) : notes;
  if (mode === "fuzzy") {
    return fuzzySearch(candidates, query, caseSensitive, options.fuzzyLines ?? DEFAULTS.fuzzyLines);
  }
  let re: RegExp;
  try {
    re = new RegExp(
      mode === "regex" ? query : escapeRegExp(query),
      caseSensitive ? "gmu" : "gimu",
    );
  } catch (error) {
    throw new QueryError(`Invalid regular expression "${query}": ${(error as Error).message}`);
  }
  const context = options.context ?? DEFAULTS.context;
  const hits: NoteHit[] = [];
  for (const note of candidates) {
    const titleRanges = regexRanges(re, note.title);
    re.lastIndex = 0;
    const inBody = re.test(note.body);
    if (!inBody && titleRanges.length === 0) continue;
    const lines = inBody ? lineSearch(note, re, context) : [];
    hits.push({ note, score: lines.filter((l) => !l.context).length, titleRanges, lines });
  }
  return hits;
}

function fuzzySearch(
  notes: Note[],
  query: string,
  caseSensitive: boolean,
  maxLines: number,
): NoteHit[] {
  const hits: NoteHit[] = [];
  const options = { caseSensitive };
  const terms = foldTerms(query.split(" ").filter((t) => t !== ""), caseSensitive);
  for (const note of notes) {
    const title = fuzzyMatch(query, note.title, options);
    // A note whose whole body cannot hold the pattern has no line that can.
    const lines: (LineHit & { score: number })[] = [];
    if (mayContain(note.body, terms, caseSensitive)) {
      const first = note.bodyLine ?? 1;
      const texts = splitLines(note.body);
      for (let i = 0; i < texts.length; i++) {
        const match = fuzzyMatch(query, texts[i], options);
        if (match) {
          lines.push({
            line: first + i,
            text: texts[i],
            ranges: toRanges(match.positions),
            score: match.score,
          });
        }
      }
    }
    if (!title && lines.length === 0) continue;
    lines.sort((a, b) => b.score - a.score);
    const best = lines.slice(0, maxLines).sort((a, b) => a.line - b.line);
    // A title match is worth more than the same match in a line of text.
    const score = Math.max(title ? title.score * 2 : 0, lines[0]?.score ?? 0);
    hits.push({
      note,
      score,
      titleRanges: title ? toRanges(title.positions) : [],
      lines: best.map(({ score: _, ...line }) => line),
    });
  }
  return hits.sort((a, b) => b.score - a.score || a.note.slug.localeCompare(b.note.slug));
}

/**
 * Whether each term's characters occur in order somewhere in `text`: the cheap test that
 * rejects most notes before any line is scored. It uses `indexOf`, which the engine runs
 * far faster than a loop over characters; for case-insensitive search a character is
 * looked for in both cases.
 */
function mayContain(text: string, terms: Folded[][], caseSensitive: boolean): boolean {
  for (const term of terms) {
    let at = 0;
    for (const { lower, upper, length } of term) {
      let next: number;
      if (caseSensitive || upper === lower) {
        next = text.indexOf(lower, at);
      } else {
        const a = text.indexOf(lower, at);
        const b = text.indexOf(upper, at);
        next = a === -1 ? b : b === -1 ? a : Math.min(a, b);
      }
      if (next === -1) return false;
      at = next + length;
    }
  }
  return true;
}

/** A pattern character in both cases, worked out once per query rather than once per note. */
interface Folded {
  lower: string;
  upper: string;
  length: number;
}

function foldTerms(terms: string[], caseSensitive: boolean): Folded[][] {
  return terms.map((term) =>
    [...term].map((ch) =>
      caseSensitive
        ? { lower: ch, upper: ch, length: ch.length }
        : { lower: ch.toLowerCase(), upper: ch.toUpperCase(), length: ch.length }
    )
  );
}
