/**
 * Finding the selected lines of a file, with their context, chunk by chunk.
 *
 * The regex runs over a whole chunk rather than line by line: lines that cannot match are
 * never split out or looked at, which is most of them. Only around a hit are the line's
 * bounds found.
 *
 * @module
 */

import { byteIndex, type Chunk, utf8Length } from "./chunk.ts";
import { WORD_CHARS } from "./rust_regex.ts";
import type { Matcher } from "./matcher.ts";

/** Receives what a {@linkcode Searcher} selects, in file order. */
export interface SearchSink {
  /** A selected line `[start, end)` (char indices, without the newline); a multiline match may span several. */
  matched(chunk: Chunk, start: number, end: number, line: number): void;
  /** A context line. */
  context(chunk: Chunk, start: number, end: number, line: number): void;
  /** A gap between context groups (`--`). */
  separator(): void;
}

/** Options for {@linkcode Searcher}. */
export interface SearcherOptions {
  /** Select lines that do not match (`-v`). @default false */
  invert?: boolean;
  /** Stop after this many selected lines (`-m`). */
  maxCount?: number;
  /** Lines of context before (`-B`). @default 0 */
  before?: number;
  /** Lines of context after (`-A`). @default 0 */
  after?: number;
  /** Print every line (`--passthru`). @default false */
  passthru?: boolean;
  /** Matches may span lines (`-U`); the file must come as one chunk. @default false */
  multiline?: boolean;
  /** Stop at the first selected line (`-l`, `-q`). @default false */
  stopAtFirst?: boolean;
  /** Count lines to report line numbers; without it every line number is 0. @default true */
  lineNumbers?: boolean;
}

/** Selects lines of one file at a time; {@linkcode reset} before the next file. */
export class Searcher {
  /** Lines selected so far in this file (with `-U`, matches: rg counts those). */
  selected = 0;
  /**
   * Lines reported as matching so far, every line of a multiline match included: rg's
   * "matched lines" statistic.
   */
  selectedLines = 0;
  /** True once nothing more will be selected (max count or stop at first). */
  done = false;
  readonly #regex: RegExp;
  readonly #lineRegex: RegExp;
  readonly #literal?: string;
  readonly #invert: boolean;
  readonly #maxCount: number;
  readonly #before: number;
  readonly #after: number;
  readonly #multiline: boolean;
  readonly #stopAtFirst: boolean;
  readonly #separators: boolean;
  readonly #never: boolean;
  /** The literal must stand between non-word chars (`-w`). */
  readonly #word: boolean;
  /** The raw bytes of a chunk read one char per byte, whose neighbours -w decodes itself. */
  #raw?: Uint8Array;
  readonly #numbers: boolean;
  #end = 0;
  /** Char index just after the last emitted line; negative when it was in an earlier chunk. */
  #lastEnd = -1;
  /** {@linkcode #lastEnd} as an absolute byte offset, which survives chunk changes. */
  #lastEndByte = 0;
  #emitted = false;
  #afterLeft = 0;
  #lineChunk?: Chunk;
  #linePos = 0;
  #lineNo = 1;

  /**
   * @param matcher The compiled patterns.
   * @param options Invert, counts and context.
   */
  constructor(matcher: Matcher, options: SearcherOptions = {}) {
    this.#regex = matcher.clone();
    this.#lineRegex = matcher.clone();
    this.#literal = matcher.literal;
    this.#never = matcher.strategy === "never";
    this.#word = matcher.strategy === "word-literal";
    this.#invert = options.invert ?? false;
    this.#maxCount = options.maxCount ?? Infinity;
    const passthru = options.passthru ?? false;
    this.#before = passthru ? Infinity : options.before ?? 0;
    this.#after = passthru ? Infinity : options.after ?? 0;
    this.#separators = !passthru;
    this.#multiline = options.multiline ?? false;
    this.#stopAtFirst = options.stopAtFirst ?? false;
    this.#numbers = options.lineNumbers ?? true;
  }

  /** Gets ready for another file. */
  reset(): void {
    this.selected = 0;
    this.selectedLines = 0;
    this.done = this.#maxCount === 0;
    this.#lastEnd = -1;
    this.#lastEndByte = 0;
    this.#emitted = false;
    this.#afterLeft = 0;
    this.#lineChunk = undefined;
  }

  /**
   * Searches one chunk, reporting selected and context lines to `sink`.
   *
   * @example
   * ```ts
   * import { Searcher } from "./searcher.ts";
   * import { buildMatcher } from "./matcher.ts";
   * import { decodeChunk } from "./chunk.ts";
   * import assert from "node:assert/strict";
   * const chunk = decodeChunk(new TextEncoder().encode("a\nfoo\nb\nfoo bar\n"));
   * const lines: string[] = [];
   * const searcher = new Searcher(buildMatcher(["foo"]), { before: 1 });
   * searcher.reset();
   * searcher.search(chunk, {
   *   matched: (c, s, e, n) => lines.push(`${n}:${c.text.slice(s, e)}`),
   *   context: (c, s, e, n) => lines.push(`${n}-${c.text.slice(s, e)}`),
   *   separator: () => lines.push("--"),
   * });
   * assert.deepEqual(lines, ["1-a", "2:foo", "3-b", "4:foo bar"]);
   * ```
   *
   * @param chunk Whole lines of the file, in order.
   * @param sink Where lines go.
   */
  search(chunk: Chunk, sink: SearchSink): void {
    this.#raw = chunk.kind === "bytes" ? chunk.bytes : undefined;
    if (this.#lineChunk !== chunk) {
      // A new chunk (its first `from` chars repeat the previous chunk's tail as context):
      // find the last emitted line's end in its coordinates, from the absolute byte offset.
      if (this.#emitted) this.#lastEnd = charIndexOf(chunk, this.#lastEndByte - chunk.byteBase);
      this.#lineChunk = chunk;
      this.#linePos = 0;
      this.#lineNo = chunk.lineBase;
    }
    if (!this.done) {
      if (this.#invert) this.#searchInverted(chunk, sink);
      else this.#searchMatches(chunk, sink);
    }
    this.#flushAfter(chunk, chunk.text.length, sink);
    if (this.#lastEnd >= 0 && (this.#before > 0 || this.#after > 0)) {
      this.#lastEndByte = chunk.byteBase + byteIndex(chunk, this.#lastEnd);
    }
  }

  /** Whether lines after the last match are still owed as context (a chunk cannot be skipped). */
  get owesContext(): boolean {
    return this.#afterLeft > 0;
  }

  #searchMatches(chunk: Chunk, sink: SearchSink): void {
    const text = chunk.text;
    const len = text.length;
    let pos = chunk.from;
    while (!this.done && pos <= len) {
      const i = this.#find(text, pos);
      if (i < 0 || (i === len && (len === 0 || text.charCodeAt(len - 1) === 10))) break;
      const start = i === 0 ? 0 : Math.max(pos, text.lastIndexOf("\n", i - 1) + 1);
      let end = lineEnd(text, i);
      if (this.#end > end) {
        if (this.#multiline) end = lineEnd(text, this.#end - 1);
        else if (!this.#lineMatches(text, start, end)) {
          // The match ran over a newline, which only -U allows; the line on its own may still match.
          pos = end + 1;
          continue;
        }
      }
      let found = 1;
      if (this.#multiline) {
        // As rg does, search on from the end of the match (not of its line): a match that
        // starts on a line already taken joins this group, so no line is reported twice.
        let next = this.#end > i ? this.#end : i + 1;
        while (this.selected + found < this.#maxCount && next <= end) {
          const j = this.#find(text, next);
          if (j < 0 || j > end) break;
          found++;
          if (this.#end > end) end = lineEnd(text, this.#end - 1);
          next = this.#end > j ? this.#end : j + 1;
        }
      }
      this.#select(chunk, start, end, sink, found);
      pos = end + 1;
    }
  }

  #searchInverted(chunk: Chunk, sink: SearchSink): void {
    const text = chunk.text;
    const len = text.length;
    let pos = chunk.from;
    while (!this.done && pos < len) {
      let i = this.#find(text, pos);
      let matchStart = len;
      let matchEnd = len;
      while (i >= 0 && !(i === len && text.charCodeAt(len - 1) === 10)) {
        const start = i === 0 ? 0 : Math.max(pos, text.lastIndexOf("\n", i - 1) + 1);
        let end = text.indexOf("\n", i);
        if (end < 0) end = len;
        if (this.#end > end) {
          if (this.#multiline) {
            end = text.indexOf("\n", this.#end - 1);
            if (end < 0) end = len;
          } else if (!this.#lineMatches(text, start, end)) {
            i = end + 1 < len ? this.#find(text, end + 1) : -1;
            continue;
          }
        }
        [matchStart, matchEnd] = [start, end];
        break;
      }
      for (let p = pos; p < matchStart && !this.done;) {
        let end = text.indexOf("\n", p);
        if (end < 0 || end > matchStart) end = Math.min(len, matchStart);
        this.#select(chunk, p, end, sink);
        p = end + 1;
      }
      pos = matchEnd + 1;
    }
  }

  #find(text: string, from: number): number {
    if (this.#never) return -1;
    if (this.#literal !== undefined) {
      let i = text.indexOf(this.#literal, from);
      if (this.#word) {
        const raw = this.#raw;
        while (
          i >= 0 &&
          !(raw
            ? isWordBoundedBytes(raw, i, i + this.#literal.length)
            : isWordBounded(text, i, i + this.#literal.length))
        ) {
          i = text.indexOf(this.#literal, i + 1);
        }
      }
      this.#end = i + this.#literal.length;
      return i;
    }
    const re = this.#regex;
    re.lastIndex = from;
    const m = re.exec(text);
    if (m === null) return -1;
    this.#end = m.index + m[0].length;
    return m.index;
  }

  #lineMatches(text: string, start: number, end: number): boolean {
    this.#lineRegex.lastIndex = 0;
    return this.#lineRegex.test(text.slice(start, end));
  }

  /** Reports `[start, end)` as selected; in multiline mode it may hold `count` matches. */
  #select(chunk: Chunk, start: number, end: number, sink: SearchSink, count = 1): void {
    const text = chunk.text;
    if (this.#before > 0 || this.#after > 0) {
      this.#flushAfter(chunk, start, sink);
      const floor = Math.max(this.#lastEnd, 0);
      let b = start;
      for (let n = 0; n < this.#before && b > floor; n++) {
        b = b >= 2 ? text.lastIndexOf("\n", b - 2) + 1 : 0;
      }
      if (b < floor) b = floor;
      if (this.#emitted && b > this.#lastEnd && this.#separators) sink.separator();
      for (let p = b; p < start;) {
        const e = text.indexOf("\n", p);
        sink.context(chunk, p, e, this.#lineAt(chunk, p));
        p = e + 1;
      }
    }
    sink.matched(chunk, start, end, this.#lineAt(chunk, start));
    this.#emitted = true;
    this.#lastEnd = end + 1;
    this.#afterLeft = this.#after;
    this.selected += count;
    this.selectedLines += count === 1 && !this.#multiline ? 1 : countLines(text, start, end) + 1;
    if (this.#stopAtFirst || this.selected >= this.#maxCount) this.done = true;
  }

  #flushAfter(chunk: Chunk, limit: number, sink: SearchSink): void {
    const text = chunk.text;
    while (this.#afterLeft > 0 && this.#lastEnd >= 0 && this.#lastEnd < limit) {
      const p = this.#lastEnd;
      if (p >= text.length) break;
      let e = text.indexOf("\n", p);
      if (e < 0) e = text.length;
      sink.context(chunk, p, e, this.#lineAt(chunk, p));
      this.#lastEnd = e + 1;
      this.#afterLeft--;
    }
  }

  /** Line number at char index `pos` of `chunk`, counting forward from the last one asked. */
  #lineAt(chunk: Chunk, pos: number): number {
    if (!this.#numbers) return 0;
    if (pos < this.#linePos) {
      this.#lineNo -= countLines(chunk.text, pos, this.#linePos);
    } else this.#lineNo += countLines(chunk.text, this.#linePos, pos);
    this.#linePos = pos;
    return this.#lineNo;
  }
}

/** Char index of a byte offset within a chunk; -1 when the offset is before it. */
function charIndexOf(chunk: Chunk, byteOffset: number): number {
  if (byteOffset < 0) return -1;
  if (chunk.kind === "ascii" || chunk.kind === "bytes") return byteOffset;
  if (chunk.kind === "lossy") {
    let i = 0;
    while (i < chunk.text.length && byteIndex(chunk, i) < byteOffset) i++;
    return i;
  }
  let i = 0;
  for (let b = 0; b < byteOffset && i < chunk.text.length; i++) {
    const c = chunk.text.charCodeAt(i);
    b += utf8Length(chunk.text, i, c >= 0xd800 && c <= 0xdbff ? i + 2 : i + 1);
    if (c >= 0xd800 && c <= 0xdbff) i++;
  }
  return i;
}

/** Index of the newline ending the line that holds index `i`, or the text's length. */
function lineEnd(text: string, i: number): number {
  const end = text.indexOf("\n", i);
  return end < 0 ? text.length : end;
}

const WORD_CHAR = new RegExp(`[${WORD_CHARS}\uFFFD]`, "u");

/** Whether `text[start, end)` has no word char just before and just after it. */
function isWordBounded(text: string, start: number, end: number): boolean {
  if (start > 0) {
    const c = text.charCodeAt(start - 1);
    if (c < 0x80 ? isAsciiWord(c) : WORD_CHAR.test(charBefore(text, start))) return false;
  }
  if (end < text.length) {
    const c = text.charCodeAt(end);
    if (c < 0x80 ? isAsciiWord(c) : WORD_CHAR.test(String.fromCodePoint(text.codePointAt(end)!))) {
      return false;
    }
  }
  return true;
}

/**
 * {@linkcode isWordBounded} on raw UTF-8 bytes (a chunk read one char per byte): the
 * neighbours are decoded here; a byte that is not part of valid UTF-8 is no boundary, as in rg.
 */
function isWordBoundedBytes(bytes: Uint8Array, start: number, end: number): boolean {
  if (start > 0) {
    const b = bytes[start - 1];
    if (b < 0x80) {
      if (isAsciiWord(b)) return false;
    } else {
      let lead = start - 1;
      while (lead > 0 && lead > start - 4 && (bytes[lead] & 0xc0) === 0x80) lead--;
      const cp = codePointAt(bytes, lead);
      if (cp < 0 || lead + utf8Width(bytes[lead]) !== start) return false;
      if (WORD_CHAR.test(String.fromCodePoint(cp))) return false;
    }
  }
  if (end < bytes.length) {
    const b = bytes[end];
    if (b < 0x80) {
      if (isAsciiWord(b)) return false;
    } else {
      const cp = codePointAt(bytes, end);
      if (cp < 0 || WORD_CHAR.test(String.fromCodePoint(cp))) return false;
    }
  }
  return true;
}

function utf8Width(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

/** The code point of the well-formed UTF-8 sequence at `at`, or -1. */
function codePointAt(bytes: Uint8Array, at: number): number {
  const b0 = bytes[at];
  const cont = (i: number, lo = 0x80, hi = 0xbf) =>
    at + i < bytes.length && bytes[at + i] >= lo && bytes[at + i] <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf && cont(1)) return ((b0 & 0x1f) << 6) | (bytes[at + 1] & 0x3f);
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const [lo, hi] = b0 === 0xe0 ? [0xa0, 0xbf] : b0 === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    if (!cont(1, lo, hi) || !cont(2)) return -1;
    return ((b0 & 0x0f) << 12) | ((bytes[at + 1] & 0x3f) << 6) | (bytes[at + 2] & 0x3f);
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const [lo, hi] = b0 === 0xf0 ? [0x90, 0xbf] : b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    if (!cont(1, lo, hi) || !cont(2) || !cont(3)) return -1;
    return ((b0 & 0x07) << 18) | ((bytes[at + 1] & 0x3f) << 12) |
      ((bytes[at + 2] & 0x3f) << 6) | (bytes[at + 3] & 0x3f);
  }
  return -1;
}

function isAsciiWord(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
    c === 0x5f;
}

function charBefore(text: string, i: number): string {
  const c = text.charCodeAt(i - 1);
  return c >= 0xdc00 && c <= 0xdfff && i >= 2 ? text.slice(i - 2, i) : text[i - 1];
}

/** Newlines in `text[start, end)`. */
export function countLines(text: string, start: number, end: number): number {
  let n = 0;
  for (let p = text.indexOf("\n", start); p >= 0 && p < end; p = text.indexOf("\n", p + 1)) n++;
  return n;
}
