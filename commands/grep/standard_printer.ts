/**
 * ripgrep's standard output: `path:line:column:text`, headings, context, `-o`, `--replace`,
 * `--vimgrep` and colours, byte for byte.
 *
 * @module
 */

import { isUtf8 } from "node:buffer";
import { byteColumn, byteIndex, type Chunk, sliceBytes, utf8Length } from "./chunk.ts";
import type { GrepColors } from "./color_spec.ts";
import { lineMatches } from "./line_matches.ts";
import type { OutputBuffer } from "./output_buffer.ts";
import type { Replacer } from "./replacement.ts";
import type { SearchSink } from "./searcher.ts";

/** Options for {@linkcode StandardPrinter}. */
export interface StandardPrinterOptions {
  /** Global RegExp used to find the matches within a selected line. */
  regex: RegExp;
  /** Show the path (`-H`). @default false */
  withFilename?: boolean;
  /** Path on a line of its own above the file's lines (`--heading`). @default false */
  heading?: boolean;
  /** @default false */
  lineNumber?: boolean;
  /** @default false */
  column?: boolean;
  /** @default false */
  byteOffset?: boolean;
  /** @default false */
  onlyMatching?: boolean;
  /** `--replace`. */
  replace?: Replacer;
  /** @default false */
  vimgrep?: boolean;
  /** A NUL after the path instead of the separator (`-0`). @default false */
  nullSeparator?: boolean;
  /** @default false */
  trim?: boolean;
  /** Omit lines longer than this many bytes (`-M`). */
  maxColumns?: number;
  /** @default false */
  maxColumnsPreview?: boolean;
  /** @default ":" */
  matchSeparator?: string;
  /** @default "-" */
  contextFieldSeparator?: string;
  /** `--context-separator`; null for none. @default "--" */
  contextSeparator?: string | null;
  /** Colours; undefined for none. */
  colors?: GrepColors;
  /** Count individual matches even when nothing else needs them (`--stats`). @default false */
  countMatches?: boolean;
  /**
   * Matches may span lines (`-U`): a line's newline is searched with it, so `e\n` is found in
   * `one`. A selection of several lines is read as multiline whatever this says.
   * @default false
   */
  multiline?: boolean;
  /**
   * The search is inverted (`-v`): context lines are the ones with matches to colour and
   * replace.
   * @default false
   */
  invert?: boolean;
}

const WHITESPACE = /[^ \t\v\f\r]/g;

/** A match within the text of a chunk: `[a, b)` in chars. */
interface Span {
  a: number;
  b: number;
  m: RegExpExecArray;
}

// Made on first use: building a segmenter loads ICU data, about 10 ms of every start.
let graphemes: Intl.Segmenter | undefined;
const utf8 = new TextDecoder();

/** Prints the lines of one file at a time into an {@linkcode OutputBuffer}. */
export class StandardPrinter implements SearchSink {
  /** Individual matches printed in the current file (counted when spans are needed). */
  matches = 0;
  readonly #o: Required<
    Omit<StandardPrinterOptions, "replace" | "colors" | "maxColumns" | "multiline" | "invert">
  >;
  readonly #multiline: boolean;
  readonly #invert: boolean;
  /** Matches are coloured: colours are on and the match colour is not `match:none`. */
  readonly #paintMatches: boolean;
  readonly #replace?: Replacer;
  readonly #colors?: GrepColors;
  readonly #maxColumns?: number;
  readonly #needSpans: boolean;
  #out!: OutputBuffer;
  #path = "";
  #pathPrefix = "";
  #started = false;

  /** @param options What to print. */
  constructor(options: StandardPrinterOptions) {
    this.#o = {
      regex: options.regex,
      withFilename: options.withFilename ?? false,
      heading: options.heading ?? false,
      lineNumber: options.lineNumber ?? false,
      column: options.column ?? false,
      byteOffset: options.byteOffset ?? false,
      onlyMatching: options.onlyMatching ?? false,
      vimgrep: options.vimgrep ?? false,
      nullSeparator: options.nullSeparator ?? false,
      trim: options.trim ?? false,
      maxColumnsPreview: options.maxColumnsPreview ?? false,
      matchSeparator: options.matchSeparator ?? ":",
      contextFieldSeparator: options.contextFieldSeparator ?? "-",
      contextSeparator: options.contextSeparator === undefined ? "--" : options.contextSeparator,
      countMatches: options.countMatches ?? false,
    };
    this.#replace = options.replace;
    this.#colors = options.colors;
    this.#maxColumns = options.maxColumns;
    this.#multiline = options.multiline ?? false;
    this.#invert = options.invert ?? false;
    this.#paintMatches = Boolean(options.colors?.match);
    // As rg's `needs_match_granularity`: only then are matches located within a line.
    this.#needSpans = Boolean(
      options.colors?.match || options.onlyMatching || options.replace || options.vimgrep ||
        options.column || options.countMatches,
    );
  }

  /**
   * Starts a file.
   *
   * @param path The path as shown.
   * @param out Where its output goes.
   */
  begin(path: string, out: OutputBuffer): void {
    this.#out = out;
    this.#path = path;
    this.#started = false;
    this.matches = 0;
    const o = this.#o;
    this.#pathPrefix = o.withFilename && !o.heading
      ? this.#paint("path", path) + (o.nullSeparator ? "\0" : "")
      : "";
  }

  /** Reports a binary file that matched, instead of its lines. */
  binaryMatches(offset: number): void {
    const where = this.#o.withFilename ? `${this.#paint("path", this.#path)}: ` : "";
    this.#out.text(`${where}binary file matches (found "\\0" byte around offset ${offset})\n`);
  }

  /** Reports that a binary file's search stopped after printing matches. */
  binaryStopped(offset: number): void {
    const where = this.#o.withFilename ? `${this.#paint("path", this.#path)}: ` : "";
    this.#out.text(
      `${where}WARNING: stopped searching binary file after match (found "\\0" byte around offset ${offset})\n`,
    );
  }

  matched(chunk: Chunk, start: number, end: number, line: number): void {
    const text = chunk.text;
    const multi = this.#multiline || text.lastIndexOf("\n", end - 1) >= start;
    const spans = this.#needSpans ? this.#spans(chunk, start, end, multi) : [];
    const o = this.#o;
    if (!multi) {
      if (spans.length === 0) {
        // rg's fast path (also every line of -v): the line as it is, no column.
        this.#prefix(true, line, undefined, this.#offset(chunk, start));
        this.#text(chunk, start, end, [], undefined, true, 0);
      } else if (o.onlyMatching || o.vimgrep) {
        // With --replace, rg gives each match's column and offset in the replaced line.
        let shift = 0;
        spans.forEach((s, k) => {
          const column = byteColumn(chunk, start, s.a) + 1 + shift;
          this.#prefix(true, line, column, o.byteOffset ? this.#offset(chunk, s.a) + shift : 0);
          if (o.onlyMatching) this.#onlyMatch(chunk, s);
          else this.#text(chunk, start, end, spans, k, true, spans.length);
          if (this.#replace) {
            const rep = this.#replace(s.m);
            shift += utf8Length(rep, 0, rep.length) - utf8Bytes(chunk, s.a, s.b);
          }
        });
      } else {
        const column = byteColumn(chunk, start, spans[0].a) + 1;
        this.#prefix(true, line, column, this.#offset(chunk, start));
        this.#text(chunk, start, end, spans, undefined, true, spans.length);
      }
      return;
    }
    // A multiline selection: each of its lines is printed as a matching line.
    const base = this.#offset(chunk, start);
    const lines: [number, number][] = [];
    for (let ls = start; ls <= end;) {
      const le = Math.min(lineEndAt(text, ls), end);
      lines.push([ls, le]);
      ls = le + 1;
    }
    if (spans.length === 0) {
      lines.forEach(([ls, le], n) => {
        this.#prefix(true, line + n, undefined, base + utf8Bytes(chunk, start, ls));
        this.#text(chunk, ls, le, [], undefined, true, 0);
      });
    } else if (o.onlyMatching) {
      // Each line's piece of each match; rg gives them all the match's column and offset.
      lines.forEach(([ls, le], n) => {
        for (const s of spans) {
          const a = Math.max(s.a, ls);
          const b = Math.min(s.b, le);
          if (b <= a) continue;
          const column = byteColumn(chunk, start, s.a) + 1;
          this.#prefix(true, line + n, column, base + utf8Bytes(chunk, start, s.a));
          this.#onlyMatch(chunk, { a, b, m: s.m });
        }
      });
    } else if (o.vimgrep) {
      // One line per match, the one it starts on (ripgrep#1866).
      spans.forEach((s, k) => {
        const n = lines.findIndex(([, le]) => s.a <= le);
        const [ls, le] = lines[n];
        const column = byteColumn(chunk, ls, s.a) + 1;
        this.#prefix(true, line + n, column, base + utf8Bytes(chunk, start, ls));
        this.#text(chunk, ls, le, spans, k, true, spans.length);
      });
    } else {
      const column = byteColumn(chunk, start, spans[0].a) + 1;
      lines.forEach(([ls, le], n) => {
        this.#prefix(true, line + n, column, base + utf8Bytes(chunk, start, ls));
        this.#text(chunk, ls, le, spans, undefined, true, spans.length);
      });
    }
  }

  context(chunk: Chunk, start: number, end: number, line: number): void {
    // With -v, context lines are the matching ones; rg colours and replaces their matches.
    const spans = this.#invert && (this.#paintMatches || this.#replace)
      ? this.#spans(chunk, start, end, false)
      : [];
    this.#prefix(false, line, undefined, this.#offset(chunk, start));
    this.#text(chunk, start, end, spans, undefined, false, 0);
  }

  separator(): void {
    if (this.#o.contextSeparator !== null) this.#out.text(this.#o.contextSeparator + "\n");
  }

  /** The matches in `[start, end)`, counted into {@linkcode matches}. */
  #spans(chunk: Chunk, start: number, end: number, multi: boolean): Span[] {
    const text = chunk.text;
    const hasNewline = end < text.length;
    // In multiline mode the newline is part of what a match may cover; an empty match after
    // it belongs to the next line. On one line, rg keeps an empty match before the newline
    // but not at the end of a last line without one (--replace keeps that one too).
    const found = lineMatches(
      this.#o.regex,
      text.slice(start, multi && hasNewline ? end + 1 : end),
      {
        atEnd: !multi && (hasNewline || this.#replace !== undefined),
      },
    );
    let counted = found.length;
    const last = found[found.length - 1];
    if (!multi && !hasNewline && last?.[0] === "" && last.index === end - start) counted--;
    this.matches += counted;
    return found.map((m) => ({ a: start + m.index, b: start + m.index + m[0].length, m }));
  }

  #offset(chunk: Chunk, i: number): number {
    return this.#o.byteOffset ? chunk.byteBase + byteIndex(chunk, i) : 0;
  }

  #paint(part: keyof GrepColors, text: string): string {
    return this.#colors ? `\x1b[0m${this.#colors[part]}${text}\x1b[0m` : text;
  }

  #piece(chunk: Chunk, a: number, b: number): void {
    // Text that is not (only) UTF-8 is printed from its raw bytes, as rg prints them.
    if (chunk.kind === "bytes" || chunk.kind === "lossy") this.#out.bytes(sliceBytes(chunk, a, b));
    else this.#out.text(chunk.text.slice(a, b));
  }

  #prefix(matched: boolean, line: number, column: number | undefined, offset: number): void {
    const o = this.#o;
    const sep = matched ? o.matchSeparator : o.contextFieldSeparator;
    if (!this.#started) {
      this.#started = true;
      if (o.heading && o.withFilename) {
        this.#out.text(this.#paint("path", this.#path) + (o.nullSeparator ? "\0" : "\n"));
      }
    }
    let prefix = "";
    if (this.#pathPrefix) prefix = this.#pathPrefix + (o.nullSeparator ? "" : sep);
    if (o.lineNumber) prefix += this.#paint("line", String(line)) + sep;
    if (o.column && matched && column !== undefined) {
      prefix += this.#paint("column", String(column)) + sep;
    }
    // rg paints byte offsets in the column's colour.
    if (o.byteOffset) prefix += this.#paint("column", String(offset)) + sep;
    if (prefix) this.#out.text(prefix);
  }

  /** `-o`: one match (or its replacement) on a line of its own. */
  #onlyMatch(chunk: Chunk, s: Span): void {
    const max = this.#maxColumns;
    if (this.#replace) {
      const text = this.#replace(s.m);
      if (max !== undefined && utf8Length(text, 0, text.length) > max) {
        this.#out.text("[Omitted long matching line]\n");
      } else {this.#out.text(
          (this.#paintMatches && text ? this.#paint("match", text) : text) + "\n",
        );}
      return;
    }
    if (max !== undefined && utf8Bytes(chunk, s.a, s.b) > max) {
      this.#exceeded(chunk, s.a, s.b, [s], undefined, true, 1);
    } else this.#coloured(chunk, s.a, s.b, [s], undefined);
    this.#out.text("\n");
  }

  /**
   * A line's text `[ls, le)` and its newline, trimmed, cut to `-M`, with its matches coloured
   * or replaced. `only` colours just that match (`--vimgrep`); `count` is the line's matches,
   * for rg's "[Omitted long line with N matches]".
   */
  #text(
    chunk: Chunk,
    ls: number,
    le: number,
    spans: Span[],
    only: number | undefined,
    matched: boolean,
    count: number,
  ): void {
    const text = chunk.text;
    let start = ls;
    if (this.#o.trim) {
      WHITESPACE.lastIndex = ls;
      const m = WHITESPACE.exec(text);
      start = m && m.index < le ? m.index : le;
    }
    const max = this.#maxColumns;
    if (max !== undefined) {
      // rg measures the line with its newline, or the replaced line without one.
      let bytes = utf8Bytes(chunk, start, le);
      if (this.#replace && spans.length > 0) {
        for (const s of spans) {
          if (s.a < start || s.a > le) continue;
          const rep = this.#replace(s.m);
          bytes += utf8Length(rep, 0, rep.length) - utf8Bytes(chunk, s.a, Math.min(s.b, le));
        }
      } else if (le < text.length) bytes++;
      if (bytes > max) {
        this.#exceeded(chunk, start, le, spans, only, matched, count);
        this.#out.text("\n");
        return;
      }
    }
    this.#coloured(chunk, start, le, spans, only);
    this.#out.text("\n");
  }

  /** rg's message for a line longer than `-M`, or with `--max-columns-preview` its start. */
  #exceeded(
    chunk: Chunk,
    start: number,
    end: number,
    spans: Span[],
    only: number | undefined,
    matched: boolean,
    count: number,
  ): void {
    const max = this.#maxColumns!;
    if (this.#o.maxColumnsPreview) {
      // The first `max` graphemes (rg's unit for the preview), not bytes.
      let cut = Math.min(end, start + max);
      const raw = chunk.kind === "bytes" ? chunk.bytes.subarray(start, end) : undefined;
      if (chunk.kind === "utf8" || chunk.kind === "lossy" || (raw && isUtf8(raw))) {
        // Text read one char per byte (see Matcher.byteSafe) is cut by its UTF-8 graphemes too.
        const text = raw ? utf8.decode(raw) : chunk.text.slice(start, end);
        let chars = 0;
        let n = 0;
        graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
        for (const g of graphemes.segment(text)) {
          if (n++ === max) break;
          chars += g.segment.length;
        }
        cut = start + (raw ? utf8Length(text, 0, chars) : chars);
      }
      const shown = spans.filter((s) => s.a < cut);
      this.#coloured(
        chunk,
        start,
        cut,
        shown,
        only === undefined ? undefined : shown.indexOf(spans[only]),
      );
      if (spans.length === 0) this.#out.text(" [... omitted end of long line]");
      else {
        const rest = spans.filter((s) => s.a >= cut && s.a < end).length;
        this.#out.text(` [... ${rest} more ${rest === 1 ? "match" : "matches"}]`);
      }
    } else if (count === 0 || this.#o.onlyMatching) {
      this.#out.text(`[Omitted long ${matched ? "matching" : "context"} line]`);
    } else this.#out.text(`[Omitted long line with ${count} matches]`);
  }

  /**
   * `[from, to)` with matches coloured (adjacent ones in one run, as rg does; empty ones not
   * at all) or replaced; with `only`, just that match is coloured.
   */
  #coloured(chunk: Chunk, from: number, to: number, spans: Span[], only: number | undefined): void {
    const paint = this.#paintMatches;
    let at = from;
    let open = false;
    const colour = (on: boolean) => {
      if (on && !open) this.#out.text(`\x1b[0m${this.#colors!.match}`);
      else if (!on && open) this.#out.text("\x1b[0m");
      open = on;
    };
    spans.forEach((s, k) => {
      const lit = paint && (only === undefined || only === k);
      if (this.#replace) {
        // A replacement is written where its match starts.
        if (s.a < at || s.a > to) return;
        if (s.a > at) {
          colour(false);
          this.#piece(chunk, at, s.a);
        }
        const rep = this.#replace(s.m);
        colour(lit && rep !== "");
        this.#out.text(rep);
        at = Math.min(Math.max(s.b, at), to);
        return;
      }
      const a = Math.max(s.a, at);
      const b = Math.min(s.b, to);
      if (b <= a || !lit) return;
      if (a > at) {
        colour(false);
        this.#piece(chunk, at, a);
      }
      colour(true);
      this.#piece(chunk, a, b);
      at = b;
    });
    colour(false);
    if (at < to) this.#piece(chunk, at, to);
  }
}

/** Index of the newline ending the line that holds index `i`, or the text's length. */
function lineEndAt(text: string, i: number): number {
  const end = text.indexOf("\n", i);
  return end < 0 ? text.length : end;
}

/** Bytes of `[a, b)` of a chunk's text in the file. */
function utf8Bytes(chunk: Chunk, a: number, b: number): number {
  if (chunk.kind === "utf8") return utf8Length(chunk.text, a, b);
  if (chunk.kind === "lossy") {
    // The earlier offset first: byteIndex walks forward from where it was last asked.
    const from = byteIndex(chunk, a);
    return byteIndex(chunk, b) - from;
  }
  return b - a;
}
