/**
 * ripgrep's `--json` output: JSON lines of type begin, match, context, end and summary, with
 * the same fields in the same order, so tools that read `rg --json` read kit's.
 *
 * @module
 */

import { byteColumn, byteIndex, type Chunk, sliceBytes } from "./chunk.ts";
import { lineMatches } from "./line_matches.ts";
import type { OutputBuffer } from "./output_buffer.ts";
import type { SearchSink } from "./searcher.ts";

/** Counters ripgrep reports per file and in the summary. */
export interface SearchStats {
  /** Nanoseconds spent searching. */
  elapsedNs: number;
  searches: number;
  searchesWithMatch: number;
  bytesSearched: number;
  bytesPrinted: number;
  matchedLines: number;
  matches: number;
}

/** Empty counters. */
export function emptyStats(): SearchStats {
  return {
    elapsedNs: 0,
    searches: 0,
    searchesWithMatch: 0,
    bytesSearched: 0,
    bytesPrinted: 0,
    matchedLines: 0,
    matches: 0,
  };
}

/** Adds `b` into `a`. */
export function addStats(a: SearchStats, b: SearchStats): void {
  a.elapsedNs += b.elapsedNs;
  a.searches += b.searches;
  a.searchesWithMatch += b.searchesWithMatch;
  a.bytesSearched += b.bytesSearched;
  a.bytesPrinted += b.bytesPrinted;
  a.matchedLines += b.matchedLines;
  a.matches += b.matches;
}

const encoder = new TextEncoder();

function elapsed(ns: number, sorted: boolean): string {
  const secs = Math.floor(ns / 1e9);
  const nanos = Math.round(ns % 1e9);
  const human = `${(ns / 1e9).toFixed(6)}s`;
  return sorted
    ? `{"human":${JSON.stringify(human)},"nanos":${nanos},"secs":${secs}}`
    : `{"secs":${secs},"nanos":${nanos},"human":${JSON.stringify(human)}}`;
}

/**
 * The final summary line.
 *
 * @example
 * ```ts
 * import { emptyStats, jsonSummary } from "./json_printer.ts";
 * import assert from "node:assert/strict";
 * const line = JSON.parse(jsonSummary(emptyStats(), 1000));
 * assert.equal(line.type, "summary");
 * assert.equal(line.data.stats.matches, 0);
 * ```
 *
 * @param stats Totals.
 * @param totalNs Wall time of the run.
 * @returns One JSON line with its newline.
 */
export function jsonSummary(stats: SearchStats, totalNs: number): string {
  return `{"data":{"elapsed_total":${
    elapsed(totalNs, true)
  },"stats":{"bytes_printed":${stats.bytesPrinted},"bytes_searched":${stats.bytesSearched},"elapsed":${
    elapsed(stats.elapsedNs, true)
  },"matched_lines":${stats.matchedLines},"matches":${stats.matches},"searches":${stats.searches},"searches_with_match":${stats.searchesWithMatch}}},"type":"summary"}\n`;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Text as rg's JSON "arbitrary data": `{"text":…}` for UTF-8, `{"bytes":base64}` otherwise. */
function data(chunk: Chunk, start: number, end: number): string {
  if (chunk.kind === "bytes" || chunk.kind === "lossy") {
    const raw = sliceBytes(chunk, start, end);
    let text: string | undefined;
    try {
      text = strictUtf8.decode(raw);
    } catch { /* not UTF-8: base64 */ }
    if (text !== undefined) return `{"text":${JSON.stringify(text)}}`;
    {
      let binary = "";
      for (const b of raw) binary += String.fromCharCode(b);
      return `{"bytes":"${btoa(binary)}"}`;
    }
  }
  return `{"text":${JSON.stringify(chunk.text.slice(start, end))}}`;
}

/** Options for {@linkcode JsonPrinter}. */
export interface JsonPrinterOptions {
  /**
   * Matches may span lines (`-U`): a line's newline is searched with it, so `e\n` is a
   * submatch of `one\n`. A selection of several lines is read as multiline whatever this says.
   * @default false
   */
  multiline?: boolean;
}

/** Prints one file at a time as rg's JSON lines. */
export class JsonPrinter implements SearchSink {
  /** Individual matches in the current file. */
  matches = 0;
  /** Bytes printed for the current file, before its end line. */
  printed = 0;
  readonly #regex: RegExp;
  readonly #lineNumbers: boolean;
  readonly #multiline: boolean;
  #out!: OutputBuffer;
  #pathJson = "";
  #begun = false;

  /**
   * @param regex Global RegExp for the submatches.
   * @param lineNumbers Report line numbers (null otherwise, as `rg --json -N`).
   * @param options Whether matches may span lines.
   */
  constructor(regex: RegExp, lineNumbers = true, options: JsonPrinterOptions = {}) {
    this.#regex = regex;
    this.#lineNumbers = lineNumbers;
    this.#multiline = options.multiline ?? false;
  }

  /** Starts a file. */
  begin(path: string, out: OutputBuffer): void {
    this.#out = out;
    this.#pathJson = `{"text":${JSON.stringify(path)}}`;
    this.#begun = false;
    this.matches = 0;
    this.printed = 0;
  }

  #write(line: string): void {
    if (!this.#begun) {
      this.#begun = true;
      this.#write(`{"type":"begin","data":{"path":${this.#pathJson}}}\n`);
    }
    this.#out.text(line);
    this.printed += encoder.encode(line).length;
  }

  matched(chunk: Chunk, start: number, end: number, line: number): void {
    const text = chunk.text;
    const hasNewline = end < text.length;
    const multi = this.#multiline || text.lastIndexOf("\n", end - 1) >= start;
    // As in the standard printer: with -U the newline is part of what a match may cover; on
    // one line an empty match before the newline counts, one at the end of the file does not.
    const matches = lineMatches(
      this.#regex,
      text.slice(start, multi && hasNewline ? end + 1 : end),
      {
        atEnd: !multi && hasNewline,
      },
    );
    this.matches += matches.length;
    const subs = matches.map((m) => {
      const a = start + m.index;
      const b = a + m[0].length;
      return `{"match":${data(chunk, a, b)},"start":${byteColumn(chunk, start, a)},"end":${
        byteColumn(chunk, start, b)
      }}`;
    });
    this.#message("match", chunk, start, end, line, subs.join(","));
  }

  context(chunk: Chunk, start: number, end: number, line: number): void {
    this.#message("context", chunk, start, end, line, "");
  }

  separator(): void {}

  #message(type: string, chunk: Chunk, start: number, end: number, line: number, subs: string) {
    const withNewline = end < chunk.text.length ? end + 1 : end;
    const offset = chunk.byteBase + byteIndex(chunk, start);
    this.#write(
      `{"type":"${type}","data":{"path":${this.#pathJson},"lines":${
        data(chunk, start, withNewline)
      },"line_number":${
        this.#lineNumbers ? line : "null"
      },"absolute_offset":${offset},"submatches":[${subs}]}}\n`,
    );
  }

  /**
   * Ends the file: an end line with its stats, when anything was printed.
   *
   * @param stats This file's counters.
   * @param binaryOffset Where a NUL byte was found, if one was.
   */
  end(stats: SearchStats, binaryOffset?: number): void {
    if (!this.#begun) return;
    this.#out.text(
      `{"type":"end","data":{"path":${this.#pathJson},"binary_offset":${
        binaryOffset ?? "null"
      },"stats":{"elapsed":${
        elapsed(stats.elapsedNs, false)
      },"searches":1,"searches_with_match":${stats.searchesWithMatch},"bytes_searched":${stats.bytesSearched},"bytes_printed":${stats.bytesPrinted},"matched_lines":${stats.matchedLines},"matches":${stats.matches}}}}\n`,
    );
  }
}
