/**
 * `kit grep`: a ripgrep-compatible recursive search, as a library.
 *
 * Layout: `grep.ts` (walk + search as an async iterator), `matcher.ts` and `rust_regex.ts`
 * (patterns in ripgrep's syntax compiled to one RegExp), `searcher.ts` (selected and context
 * lines of a chunk), `chunk.ts` (bytes decoded for the regex engine), `standard_printer.ts`
 * and `json_printer.ts` (rg's output formats), `file_search.ts` (one file from bytes to
 * output), `literal_prefilter.ts` (the byte scan for a required literal before any decoding),
 * `search_pool.ts` with `search_worker.ts` (files spread over threads), `split_search.ts` (one
 * large file cut into ranges for several threads), `file_types.ts`,
 * `decompress.ts`, `transcode.ts`, `rewrite.ts` (`--replace --write`) and `flags.ts` (the
 * command line). The walker with ignore rules is in `kit/fs`.
 *
 * Two ways in: {@linkcode grep} yields matching lines as data; {@linkcode SearchPool}
 * yields each file's output formatted as ripgrep prints it, searched on all cores, and is
 * what `kit grep` itself runs.
 *
 * @module
 */
export * from "./grep.ts";
export { type FileOutcome, FileSearch, type OutputMode, type SearchConfig } from "./file_search.ts";
export { type PoolTarget, SearchPool, type SearchPoolOptions } from "./search_pool.ts";
export { buildMatcher, type Matcher, type MatcherOptions } from "./matcher.ts";
export { PatternError, translateRegex } from "./rust_regex.ts";
export { FileTypes } from "./file_types.ts";
export { rewriteText, unifiedDiff } from "./rewrite.ts";
