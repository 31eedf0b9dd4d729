/**
 * Searching one file (or stdin's bytes) from start to printed output: read, detect binary
 * data, decode, select lines, print. The same code runs on the main thread and in workers,
 * driven by a {@linkcode SearchConfig}, which is plain data so it can cross to a worker.
 *
 * @module
 */

import { describeOsError } from "../../lib/cli/error.ts";
import { readInto } from "../../lib/fs/read_into.ts";
import { type Chunk, decodeChunk } from "./chunk.ts";
import type { GrepColors } from "./color_spec.ts";
import { emptyStats, JsonPrinter, type SearchStats } from "./json_printer.ts";
import { lineMatches } from "./line_matches.ts";
import { LiteralPrefilter } from "./literal_prefilter.ts";
import { buildMatcher, type Matcher, type MatcherOptions } from "./matcher.ts";
import { OutputBuffer } from "./output_buffer.ts";
import { scanBuffer } from "../../lib/text/find_bytes.ts";
import { compileReplacement } from "./replacement.ts";
import { Searcher, type SearchSink } from "./searcher.ts";
import { StandardPrinter } from "./standard_printer.ts";
import { transcodeBom } from "./transcode.ts";

/** What is printed per file. */
export type OutputMode =
  | "lines"
  | "json"
  | "count"
  | "count-matches"
  | "files-with-matches"
  | "files-without-match"
  | "quiet";

/** Everything a search of one file needs; plain data, so it can be posted to a worker. */
export interface SearchConfig {
  patterns: string[];
  matcher: MatcherOptions;
  mode: OutputMode;
  invert: boolean;
  maxCount?: number;
  before: number;
  after: number;
  passthru: boolean;
  /** Binary files: skip walked ones (`auto`), search and report (`binary`), or as text. */
  binary: "auto" | "binary" | "text";
  searchZip: boolean;
  /**
   * Scan raw bytes for a required literal before decoding (the literal prefilter); off only
   * to measure it (`KIT_GREP_PREFILTER=off`). @default true
   */
  prefilter?: boolean;
  /** Count individual matches even when the output does not need them (`--stats`). */
  countMatches: boolean;
  includeZero: boolean;
  withFilename: boolean;
  heading: boolean;
  lineNumber: boolean;
  column: boolean;
  byteOffset: boolean;
  onlyMatching: boolean;
  replace?: string;
  vimgrep: boolean;
  nullSeparator: boolean;
  trim: boolean;
  maxColumns?: number;
  maxColumnsPreview: boolean;
  contextSeparator: string | null;
  matchSeparator: string;
  contextFieldSeparator: string;
  colors?: GrepColors;
}

/** The result of searching one file. */
export interface FileOutcome {
  /** What to print for it (already formatted). */
  output: Uint8Array;
  /** Its counters. */
  stats: SearchStats;
  /** Whether it counts as a match for the exit code. */
  matched: boolean;
  /** A problem with it (unreadable, corrupt archive), as one line. */
  error?: string;
}

/** Bytes rg reads at once; binary detection looks at this much before deciding. */
const FIRST_BLOCK = 64 * 1024;
/**
 * Files larger than this are searched in chunks of about this size, keeping memory bounded.
 * Small chunks cost nothing in speed (1 GB took the same time with 256 KiB as with 4 MiB) and
 * keep V8's heap small: decoded text under half a MiB is young garbage, swept at once, while
 * larger strings wait for a full collection. Peak RSS for `-c return` over 1 GB, two threads:
 * 16 MiB chunks 280 MB, 1 MiB 180 MB, 256 KiB 125 MB.
 */
export const CHUNK_SIZE = 256 * 1024;

class CountSink implements SearchSink {
  matches = 0;
  constructor(readonly regex: RegExp | undefined, readonly multiline = false) {}
  matched(chunk: Chunk, start: number, end: number): void {
    if (!this.regex) return;
    // Counted as the printers count (see StandardPrinter): with -U the newline belongs to the
    // match's text; on one line an empty match before the newline counts.
    const text = chunk.text;
    const hasNewline = end < text.length;
    const multi = this.multiline || text.lastIndexOf("\n", end - 1) >= start;
    this.matches +=
      lineMatches(this.regex, text.slice(start, multi && hasNewline ? end + 1 : end), {
        atEnd: !multi && hasNewline,
      }).length;
  }
  context(): void {}
  separator(): void {}
}

/**
 * Searches files one at a time with one configuration, giving each file's output formatted as
 * ripgrep prints it.
 *
 * @example
 * ```ts
 * import { FileSearch } from "./file_search.ts";
 * import assert from "node:assert/strict";
 * const search = new FileSearch({
 *   patterns: ["ne+dle"], matcher: {}, mode: "count", invert: false, before: 0, after: 0,
 *   passthru: false, binary: "auto", searchZip: false, countMatches: false,
 *   includeZero: false, withFilename: true, heading: false, lineNumber: false, column: false,
 *   byteOffset: false, onlyMatching: false, vimgrep: false, nullSeparator: false,
 *   trim: false, maxColumnsPreview: false, contextSeparator: "--", matchSeparator: ":",
 *   contextFieldSeparator: "-",
 * });
 * const r = search.searchBytes(new TextEncoder().encode("needle\nhay\nneedle\n"), "x", true);
 * assert.equal(new TextDecoder().decode(r.output), "x:2\n");
 * assert.equal(r.matched, true);
 * ```
 */
export class FileSearch {
  readonly config: SearchConfig;
  readonly matcher: Matcher;
  readonly #searcher: Searcher;
  readonly #standard?: StandardPrinter;
  readonly #json?: JsonPrinter;
  readonly #count?: CountSink;
  readonly #prefilter?: LiteralPrefilter;
  readonly #needLines: boolean;
  readonly #flush?: (bytes: Uint8Array) => void;
  /** Output of the current file already handed to {@linkcode #flush}. */
  #flushed = 0;
  /** Read non-ASCII files one char per byte (no UTF-8 decoding); see Matcher.byteSafe. */
  readonly #byteSafe: boolean;

  /**
   * @param config What to search for and how to print it.
   * @param flush Receives the output of a large file as it grows, so it is never held whole;
   *   only for a caller that writes it at once (the main thread), as it interleaves otherwise.
   */
  constructor(config: SearchConfig, flush?: (bytes: Uint8Array) => void) {
    this.config = config;
    this.#flush = flush;
    this.matcher = buildMatcher(config.patterns, config.matcher);
    const mode = config.mode;
    const firstOnly = mode === "files-with-matches" || mode === "files-without-match" ||
      mode === "quiet";
    this.#needLines = (mode === "lines" && (config.lineNumber || config.vimgrep)) ||
      mode === "json";
    this.#searcher = new Searcher(this.matcher, {
      invert: config.invert,
      maxCount: config.maxCount,
      before: mode === "lines" || mode === "json" ? config.before : 0,
      after: mode === "lines" || mode === "json" ? config.after : 0,
      passthru: config.passthru && mode === "lines",
      multiline: config.matcher.multiline,
      stopAtFirst: firstOnly && !config.countMatches,
      lineNumbers: this.#needLines,
    });
    // -w over an ASCII literal finds hits in raw bytes and decodes their neighbours itself;
    // only the regex that marks matches inside a line (colour, -o, counts) needs decoded text.
    const spans = mode === "json" || mode === "count-matches" || config.countMatches ||
      (mode === "lines" && Boolean(
        config.colors?.match || config.onlyMatching || config.vimgrep || config.column ||
          config.replace !== undefined,
      ));
    const wordLiteral = this.matcher.strategy === "word-literal" &&
      !/[\u0080-\uffff]/.test(this.matcher.literal ?? "") && !spans;
    this.#byteSafe = (this.matcher.byteSafe || wordLiteral) && config.replace === undefined;
    const literals = this.matcher.requiredLiterals;
    if (literals && !config.invert && config.prefilter !== false) {
      this.#prefilter = new LiteralPrefilter(literals, this.matcher.literalsIgnoreCase);
    }
    const regex = this.matcher.clone();
    if (mode === "lines") {
      this.#standard = new StandardPrinter({
        regex,
        withFilename: config.withFilename,
        heading: config.heading,
        lineNumber: config.lineNumber || config.vimgrep,
        column: config.column || config.vimgrep,
        byteOffset: config.byteOffset,
        onlyMatching: config.onlyMatching,
        replace: config.replace === undefined ? undefined : compileReplacement(config.replace),
        vimgrep: config.vimgrep,
        nullSeparator: config.nullSeparator,
        trim: config.trim,
        maxColumns: config.maxColumns,
        maxColumnsPreview: config.maxColumnsPreview,
        contextSeparator: config.contextSeparator,
        matchSeparator: config.matchSeparator,
        contextFieldSeparator: config.contextFieldSeparator,
        colors: config.colors,
        countMatches: config.countMatches,
        multiline: config.matcher.multiline,
        invert: config.invert,
      });
    } else if (mode === "json") {
      this.#json = new JsonPrinter(regex, config.lineNumber, {
        multiline: config.matcher.multiline,
      });
    } else {
      const needMatches = (mode === "count-matches" || config.countMatches) && !config.invert;
      this.#count = new CountSink(needMatches ? regex : undefined, config.matcher.multiline);
    }
  }

  /**
   * Searches a file.
   *
   * @param path Where to read it.
   * @param shown The path as printed.
   * @param explicit Named on the command line (binary files are then searched, as rg does).
   * @returns Output and counters; an unreadable file gives an outcome with `error`.
   */
  async searchPath(path: string, shown: string, explicit: boolean): Promise<FileOutcome> {
    try {
      if (this.config.searchZip) {
        // Loaded only for -z: it brings node:zlib, which every worker would otherwise load.
        const zip = await import("./decompress.ts");
        if (zip.decompressorFor(path)) {
          try {
            return this.searchBytes(await zip.readDecompressed(path), shown, explicit);
          } catch (error) {
            // As rg: without the program the file is searched as it is; a corrupt archive
            // has what was decoded before the error searched, then the error reported.
            if (!(error instanceof zip.DecompressionError)) {
              if (!(error instanceof zip.DecompressorMissingError)) throw error;
            } else {
              const outcome = this.searchBytes(error.partial ?? new Uint8Array(0), shown, explicit);
              return { ...outcome, error: `${shown}: ${error.message.replaceAll(path, shown)}` };
            }
          }
        }
      }
      return this.searchPathSync(path, shown, explicit);
    } catch (error) {
      return failed(shown, error);
    }
  }

  /**
   * Searches a file without decompressing it, synchronously: a search of many small files
   * spends its time in system calls, and an await per file would add to each.
   *
   * @param path Where to read it.
   * @param shown The path as printed.
   * @param explicit Named on the command line.
   * @returns Output and counters; an unreadable file gives an outcome with `error`.
   */
  searchPathSync(path: string, shown: string, explicit: boolean): FileOutcome {
    if (!explicit) {
      // A walked file is a regular file, and most fit the shared buffer: the C library's
      // open/read/close, when there, cost less than Deno's file resources.
      const n = readInto(path, this.#buffer);
      if (n !== undefined) return this.searchBytes(this.#buffer.subarray(0, n), shown, false);
    }
    try {
      const file = Deno.openSync(path, { read: true });
      try {
        if (explicit && !file.statSync().isFile) {
          // A pipe or a device (`kit grep x <(cmd)`): short reads are not its end.
          return this.searchBytes(this.#readToEnd(file), shown, explicit);
        }
        // Most files fit the shared buffer: one read, and no stat to learn the size.
        const first = file.readSync(this.#buffer) ?? 0;
        if (first < this.#buffer.length) {
          return this.searchBytes(this.#buffer.subarray(0, first), shown, explicit);
        }
        const size = file.statSync().size;
        // -U needs the whole file; --passthru prints lines no chunk would carry forward.
        if (size <= CHUNK_SIZE || this.config.matcher.multiline || this.config.passthru) {
          return this.searchBytes(this.#readAll(file, size, first), shown, explicit);
        }
        file.seekSync(0, Deno.SeekMode.Start);
        return this.#searchStream(file, shown, explicit);
      } finally {
        file.close();
      }
    } catch (error) {
      return failed(shown, error);
    }
  }

  /**
   * Searches the lines in `[start, end)` of a file (both at line starts), as part of a search
   * of one large file by several threads (see split_search.ts). Byte offsets are the file's;
   * line numbers are not known and must not be printed.
   *
   * @param path The file.
   * @param shown The path as printed.
   * @param explicit Named on the command line.
   * @param start First byte, at a line start.
   * @param end Byte after the range, at a line start or the end of the file.
   * @returns Output and counters of the range.
   */
  searchRange(
    path: string,
    shown: string,
    explicit: boolean,
    start: number,
    end: number,
  ): FileOutcome {
    try {
      const file = Deno.openSync(path, { read: true });
      try {
        file.seekSync(start, Deno.SeekMode.Start);
        return this.#searchStream(file, shown, explicit, start, end);
      } finally {
        file.close();
      }
    } catch (error) {
      return failed(shown, error);
    }
  }

  /**
   * Searches bytes already in memory (stdin, a decompressed file).
   *
   * @param input The content.
   * @param shown The path as printed.
   * @param explicit Named on the command line.
   * @returns Output and counters.
   */
  searchBytes(input: Uint8Array, shown: string, explicit: boolean): FileOutcome {
    const started = this.#timed ? performance.now() : 0;
    const bytes = transcodeBom(input);
    let out = new OutputBuffer();
    this.#begin(shown, out);
    if (this.#prefilter && !this.#prefilter.mayMatch(bytes)) {
      return this.#finish(out, bytes.length, started);
    }
    // Binary detection only matters for a file that matches, and most do not: search first,
    // look for a NUL byte only after a hit.
    const lazyBinary = this.config.binary !== "text" && this.config.mode !== "files-without-match";
    if (lazyBinary) {
      this.#searcher.search(decodeChunk(bytes, { byteSafe: this.#byteSafe }), this.#sink());
      if (this.#searcher.selected === 0 || bytes.indexOf(0) < 0) {
        return this.#finish(out, bytes.length, started);
      }
      out = new OutputBuffer();
      this.#begin(shown, out);
    }
    const nul = this.config.binary === "text" ? -1 : bytes.indexOf(0);
    if (nul < 0) {
      this.#searcher.search(decodeChunk(bytes, { byteSafe: this.#byteSafe }), this.#sink());
      return this.#finish(out, bytes.length, started);
    }
    const mode = this.config.mode;
    // rg reads 64 KiB blocks and notices the NUL when it reads the block that holds it: the
    // lines that ended in earlier blocks have been searched and printed by then.
    const blockStart = Math.floor(nul / FIRST_BLOCK) * FIRST_BLOCK;
    const printable = blockStart === 0 ? 0 : bytes.lastIndexOf(10, blockStart - 1) + 1;
    if (!explicit && this.config.binary === "auto") {
      // rg's "quit" mode for walked files: a NUL in the first block skips the file; a later
      // one ends the search there. Counts would be wrong, so rg prints none.
      if (printable === 0 || mode === "count" || mode === "count-matches") {
        return this.#finish(out, bytes.length, started, undefined, true);
      }
      this.#searcher.search(
        decodeChunk(bytes.subarray(0, printable), { byteSafe: this.#byteSafe }),
        this.#sink(),
      );
      if (this.#searcher.selected > 0 && mode === "lines") this.#standard!.binaryStopped(nul);
      return this.#finish(out, bytes.length, started, nul);
    }
    // A named file is searched as it is; --binary also reads NUL bytes as line ends. Lines in
    // blocks before the NUL print as usual, and a match after that prints one notice instead.
    let haystack = bytes;
    if (this.config.binary === "binary") {
      haystack = bytes.slice();
      for (let i = haystack.indexOf(0); i >= 0; i = haystack.indexOf(0, i + 1)) haystack[i] = 10;
    }
    if (mode !== "lines") {
      this.#searcher.search(decodeChunk(haystack, { byteSafe: this.#byteSafe }), this.#sink());
      return this.#finish(out, bytes.length, started, nul);
    }
    if (printable > 0) {
      this.#searcher.search(
        decodeChunk(haystack.subarray(0, printable), { byteSafe: this.#byteSafe, last: false }),
        this.#sink(),
      );
    }
    const before = this.#searcher.selected;
    if (!this.#searcher.done) {
      this.#searcher.search(
        decodeChunk(haystack.subarray(printable), {
          byteSafe: this.#byteSafe,
          byteBase: printable,
        }),
        new CountSink(undefined),
      );
    }
    if (this.#searcher.selected > before) this.#standard!.binaryMatches(nul);
    return this.#finish(out, bytes.length, started, nul);
  }

  /**
   * Searches a file too big to hold at once, chunk by chunk through one reused buffer. Each
   * chunk ends at a line end; the next one starts with the last lines of it that `-B` may
   * still show. A chunk the literal prefilter rules out is never decoded.
   */
  #searchStream(
    file: Deno.FsFile,
    shown: string,
    explicit: boolean,
    start = 0,
    end = Infinity,
  ): FileOutcome {
    const started = this.#timed ? performance.now() : 0;
    const out = new OutputBuffer();
    this.#begin(shown, out);
    let buffer = this.#streamBuffer ??= scanBuffer(CHUNK_SIZE * 2);
    let carried = 0;
    let carriedChars = 0;
    let byteBase = start;
    let lineBase = 1;
    let total = 0;
    let binaryOffset: number | undefined;
    let quiet: CountSink | undefined;
    const keepLines = this.config.before;
    let first = true;
    while (!this.#searcher.done) {
      if (buffer.length - carried < CHUNK_SIZE) {
        const bigger = new Uint8Array(carried + CHUNK_SIZE * 2);
        bigger.set(buffer.subarray(0, carried));
        buffer = this.#streamBuffer = bigger;
      }
      let length = carried;
      // Within a range, read no further than its end.
      const want = Math.min(CHUNK_SIZE, end - start - total);
      while (length < carried + want) {
        const n = file.readSync(buffer.subarray(length, carried + want));
        if (n === null || n === 0) break;
        length += n;
      }
      const eof = length < carried + CHUNK_SIZE;
      total += length - carried;
      const data = buffer.subarray(0, length);
      if (first && start === 0 && this.config.binary !== "text") {
        const nul = data.indexOf(0);
        if (nul >= 0) {
          binaryOffset = nul;
          if (!explicit && this.config.binary === "auto" && nul < FIRST_BLOCK) {
            return this.#finish(out, total, started, undefined, true);
          }
          // A named binary file (or --binary): searched, but its lines are not printed; one
          // notice at the end says it matched, as in a file read whole.
          if (this.config.mode === "lines") quiet = new CountSink(undefined);
        }
      }
      first = false;
      const cut = eof ? length : data.lastIndexOf(10) + 1;
      if (cut === 0) {
        // One line longer than a chunk: read on until it ends.
        carried = length;
        continue;
      }
      const bytes = data.subarray(0, cut);
      const skip = this.#prefilter !== undefined && !this.#searcher.owesContext &&
        !this.#prefilter.mayMatch(bytes);
      let chunk: Chunk | undefined;
      if (!skip) {
        chunk = decodeChunk(bytes, {
          byteBase,
          lineBase,
          from: carriedChars,
          last: eof,
          byteSafe: this.#byteSafe,
        });
        this.#searcher.search(chunk, quiet ?? this.#sink());
        out.compact();
        if (this.#flush && out.size >= CHUNK_SIZE) {
          const bytes = out.take();
          this.#flushed += bytes.length;
          this.#flush(bytes);
        }
      }
      if (eof) break;
      // The next chunk starts with the last `keepLines` lines and the partial line after them.
      let keep = cut;
      for (let n = 0; n < keepLines && keep > 0; n++) keep = data.lastIndexOf(10, keep - 2) + 1;
      if (this.#needLines) lineBase += countNewlines(chunk, bytes, keep);
      carriedChars = keep === cut
        ? 0
        : chunk === undefined || chunk.kind === "utf8" || chunk.kind === "lossy"
        ? decodeChunk(bytes.subarray(keep)).text.length
        : cut - keep;
      buffer.copyWithin(0, keep, length);
      carried = length - keep;
      byteBase += keep;
    }
    if (quiet && this.#searcher.selected > 0) this.#standard!.binaryMatches(binaryOffset!);
    return this.#finish(out, total, started, binaryOffset);
  }

  #begin(shown: string, out: OutputBuffer): void {
    this.#searcher.reset();
    this.#flushed = 0;
    if (this.#standard) {
      this.#standard.begin(shown, out);
      this.#standard.matches = 0;
    } else if (this.#json) this.#json.begin(shown, out);
    else if (this.#count) this.#count.matches = 0;
    this.#shown = shown;
  }

  #shown = "";
  /** Only --json and --stats report the time spent per file: a clock read per file is not free. */
  get #timed(): boolean {
    return this.config.mode === "json" || this.config.countMatches;
  }
  /**
   * One read buffer for every file: a fresh one per file costs more in GC than the search.
   * It sits in the byte scanner's memory, so the prefilter scans it where it is.
   */
  #buffer = scanBuffer(256 * 1024);
  /** The buffer large files stream through, kept for the next one. */
  #streamBuffer?: Uint8Array;

  /** Reads until the end of a stream that may return short reads before it ends. */
  #readToEnd(file: Deno.FsFile): Uint8Array {
    return this.#readOn(file, 0, false);
  }

  /** Reads the rest of a file whose first `length` bytes are in the shared buffer. */
  #readAll(file: Deno.FsFile, size: number, length: number): Uint8Array {
    if (size + 1 > this.#buffer.length) {
      const bigger = new Uint8Array(Math.max(size + 1, this.#buffer.length * 2));
      bigger.set(this.#buffer.subarray(0, length));
      this.#buffer = bigger;
    }
    // A short read of a regular file is its end; asking again would cost a syscall per file.
    return this.#readOn(file, length, true);
  }

  /** Reads into the shared buffer after `length` bytes, growing it, until the end. */
  #readOn(file: Deno.FsFile, length: number, shortReadEnds: boolean): Uint8Array {
    while (true) {
      if (length === this.#buffer.length) {
        const bigger = new Uint8Array(this.#buffer.length * 2);
        bigger.set(this.#buffer);
        this.#buffer = bigger;
      }
      const n = file.readSync(this.#buffer.subarray(length));
      if (n === null || n === 0) break;
      length += n;
      if (shortReadEnds && length < this.#buffer.length) break;
    }
    return this.#buffer.subarray(0, length);
  }

  #sink(): SearchSink {
    return this.#standard ?? this.#json ?? this.#count!;
  }

  #finish(
    out: OutputBuffer,
    bytesSearched: number,
    started: number,
    binaryOffset?: number,
    skipped = false,
  ): FileOutcome {
    const c = this.config;
    const selected = skipped ? 0 : this.#searcher.selected;
    const selectedLines = skipped ? 0 : this.#searcher.selectedLines;
    const matches = this.#standard?.matches ?? this.#json?.matches ?? this.#count?.matches ?? 0;
    const stats: SearchStats = {
      elapsedNs: this.#timed ? Math.round((performance.now() - started) * 1e6) : 0,
      searches: 1,
      searchesWithMatch: selected > 0 ? 1 : 0,
      bytesSearched,
      bytesPrinted: 0,
      matchedLines: selectedLines,
      matches: c.invert ? 0 : matches,
    };
    let matched = selected > 0;
    switch (c.mode) {
      case "count":
      case "count-matches":
        out.text(summaryText(c, this.#shown, c.mode === "count" || c.invert ? selected : matches));
        break;
      case "files-with-matches":
        out.text(summaryText(c, this.#shown, matched));
        break;
      case "files-without-match":
        // A skipped binary file is not listed, yet counts for the exit status, as in rg.
        matched = !matched;
        out.text(summaryText(c, this.#shown, matched && !skipped));
        break;
      case "json":
        stats.bytesPrinted = this.#json!.printed;
        this.#json!.end(stats, binaryOffset);
        break;
    }
    const output = out.take();
    // rg counts the bytes of printed lines; the path and count lines of -c and -l are not.
    if (c.mode === "lines") stats.bytesPrinted = output.length + this.#flushed;
    return { output, stats, matched };
  }
}

/**
 * What `-c`/`--count-matches` (given a count) or `-l`/`--files-without-match` (given whether
 * the file is listed) prints for one file; "" for nothing.
 *
 * @param config The search (mode, colours, separators).
 * @param shown The path as printed.
 * @param result The count, or whether the path is listed.
 * @returns The line with its terminator, or "".
 */
export function summaryText(config: SearchConfig, shown: string, result: number | boolean): string {
  const path = config.colors ? `\x1b[0m${config.colors.path}${shown}\x1b[0m` : shown;
  if (typeof result === "boolean") return result ? path + (config.nullSeparator ? "\0" : "\n") : "";
  if (result === 0 && !config.includeZero) return "";
  return config.withFilename
    ? `${path}${config.nullSeparator ? "\0" : ":"}${result}\n`
    : `${result}\n`;
}

/** Newlines in the first `end` bytes of a chunk, counted on its text when it was decoded. */
function countNewlines(chunk: Chunk | undefined, bytes: Uint8Array, end: number): number {
  let n = 0;
  if (chunk && (chunk.kind === "ascii" || chunk.kind === "bytes")) {
    for (let p = chunk.text.indexOf("\n"); p >= 0 && p < end; p = chunk.text.indexOf("\n", p + 1)) {
      n++;
    }
    return n;
  }
  for (let p = bytes.indexOf(10); p >= 0 && p < end; p = bytes.indexOf(10, p + 1)) n++;
  return n;
}

/** An outcome for a file that could not be read; the message always names the file. */
function failed(shown: string, error: unknown): FileOutcome {
  let message = describeOsError(error instanceof Error ? error.message : String(error));
  // Deno names the path when opening fails but not when reading does (EIO, EISDIR).
  if (!message.includes(`"`)) message = `${shown}: ${message[0].toLowerCase()}${message.slice(1)}`;
  return { output: new Uint8Array(0), stats: emptyStats(), matched: false, error: message };
}
