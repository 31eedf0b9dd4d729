/**
 * The library face of `kit grep`: walk and search as an async iterator of matching lines.
 *
 * @module
 */

import { type WalkOptions, walkSync } from "../../lib/fs/walk.ts";
import { byteColumn, byteIndex, decodeChunk } from "./chunk.ts";
import { decompressorFor, readDecompressed } from "./decompress.ts";
import { lineMatches } from "./line_matches.ts";
import { buildMatcher, type MatcherOptions } from "./matcher.ts";
import { Searcher } from "./searcher.ts";
import { transcodeBom } from "./transcode.ts";

/** One matching line. */
export interface GrepMatch {
  /** The file, as walked (root joined with the relative path). */
  path: string;
  /** 1-based line number. */
  lineNumber: number;
  /** The line without its newline. */
  line: string;
  /** Byte offset of the line in the file. */
  byteOffset: number;
  /** The matches in the line, with byte offsets relative to the line start. */
  submatches: { text: string; start: number; end: number }[];
}

/** Options for {@linkcode grep}. */
export interface GrepOptions extends MatcherOptions, WalkOptions {
  /** Select lines that do not match. @default false */
  invert?: boolean;
  /** At most this many lines per file. */
  maxCount?: number;
  /** Search files with NUL bytes too. @default false */
  binary?: boolean;
  /** Search inside compressed files. @default false */
  searchZip?: boolean;
}

/**
 * Searches files and folders (walked with ignore rules) for lines matching any pattern.
 *
 * @example
 * ```ts
 * import { grep } from "./grep.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "one\nTODO: two\n");
 * const found = await Array.fromAsync(grep(["todo"], [dir], { caseMode: "insensitive" }));
 * assert.deepEqual(found.map((m) => [m.lineNumber, m.line]), [[2, "TODO: two"]]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param patterns Patterns in ripgrep's syntax.
 * @param paths Files or folders.
 * @param options Matching, walking and limits.
 * @yields Each matching line, file by file.
 */
export async function* grep(
  patterns: string[],
  paths: string[],
  options: GrepOptions = {},
): AsyncGenerator<GrepMatch> {
  const matcher = buildMatcher(patterns, options);
  const searcher = new Searcher(matcher, {
    invert: options.invert,
    maxCount: options.maxCount,
    multiline: options.multiline,
  });
  const regex = matcher.clone();
  for (const root of paths) {
    const isDir = Deno.statSync(root).isDirectory;
    const files = isDir ? [...walkSync(root, options)].map((e) => e.path) : [root];
    for (const path of files) {
      const decompressor = options.searchZip ? decompressorFor(path) : undefined;
      const raw = decompressor ? await readDecompressed(path) : await Deno.readFile(path);
      const bytes = transcodeBom(raw);
      if (!options.binary && bytes.indexOf(0) >= 0) continue;
      const chunk = decodeChunk(bytes);
      const found: GrepMatch[] = [];
      searcher.reset();
      searcher.search(chunk, {
        matched(c, start, end, lineNumber) {
          const line = c.text.slice(start, end);
          found.push({
            path,
            lineNumber,
            line,
            byteOffset: byteIndex(c, start),
            submatches: options.invert ? [] : lineMatches(regex, line).map((m) => ({
              text: m[0],
              start: byteColumn(c, start, start + m.index),
              end: byteColumn(c, start, start + m.index + m[0].length),
            })),
          });
        },
        context() {},
        separator() {},
      });
      yield* found;
    }
  }
}
