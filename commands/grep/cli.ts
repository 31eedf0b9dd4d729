/**
 * `kit grep`: ripgrep's interface over kit's walker and searcher.
 *
 * Stage one ({@linkcode parseGrepArgs}) turns argv into plain values; stage two
 * ({@linkcode buildRun}) reads pattern files, looks at the terminal and the paths, and
 * compiles the matcher, globs and types. Then files are walked and searched, in parallel on
 * workers unless the output must be sorted or the job is small: the main thread walks and
 * hands files to search workers (`search_pool.ts`), or, from three threads (`-j 3`) or with
 * `KIT_GREP_WALK=parallel`, the workers walk too (`walk_search.ts`).
 *
 * @module
 */

import type { CommandSpec, OptionSpec } from "../../lib/cli/args.ts";
import { guard } from "../../lib/cli/command.ts";
import { CliError, describeOsError, ExitCode } from "../../lib/cli/error.ts";
import type { Io } from "../../lib/cli/io.ts";
import { useColor } from "../../lib/cli/color.ts";
import { Overrides } from "../../lib/fs/ignore.ts";
import { type WalkOptions, walkSync } from "../../lib/fs/walk.ts";
import type { OverridesInit, WalkSpec } from "../../lib/fs/walk_parallel.ts";
import { grepColors } from "./color_spec.ts";
import { FileSearch, type OutputMode, type SearchConfig, SearchPool } from "./mod.ts";
import { FileTypes } from "./file_types.ts";
import { FLAGS, type GrepArgs, grepHelp, parseGrepArgs } from "./flags.ts";
import { addStats, emptyStats, jsonSummary, type SearchStats } from "./json_printer.ts";
import { PatternError } from "./rust_regex.ts";
import { canSplit, searchSplit, SPLIT_MIN } from "./split_search.ts";
import { rewriteFiles } from "./rewrite.ts";
import { concat } from "../../lib/bytes/mod.ts";
import { type ShownRoot, type TypesSpec, useParallelWalk, walkSearch } from "./walk_search.ts";

const TOOL = "grep";

/** The command tree, for `kit help grep` and shell completions. */
export const spec: CommandSpec = {
  name: TOOL,
  aliases: ["rgrep"],
  description: "Search files recursively for a regex, honouring .gitignore (ripgrep's flags)",
  options: FLAGS.filter((f) => f.long !== "help").map((f): OptionSpec => ({
    flags: `${f.short && /\w/.test(f.short) ? `-${f.short}, ` : ""}--${f.long}${
      f.value ? ` <${f.value.toLowerCase()}>` : ""
    }`,
    description: f.help,
    choices: f.choices,
  })),
  arguments: [
    { name: "pattern", description: "a regular expression" },
    { name: "path", description: "files or folders to search", variadic: true },
  ],
};

/** One thing to search: a walked or named file, or stdin. */
interface Target {
  path: string;
  shown: string;
  explicit: boolean;
}

/** Stage two: what to search, how, and how to print it. */
export interface GrepRun {
  args: GrepArgs;
  config: SearchConfig;
  /** Paths named on the command line (none: the current folder or stdin). */
  roots: string[];
  /** Search stdin. */
  stdin: boolean;
  /** Print paths relative to the current folder without `./`. */
  stripDot: boolean;
  walk: WalkOptions;
  /** The walk's options as data for worker threads (globs and types rebuilt there). */
  walkSpec: WalkSpec;
  /** `-t`, `-T`, `--type-add`, `--type-clear`, for worker threads. */
  types: TypesSpec;
  /** Text written between two files' output (a blank line under headings, `--` with context). */
  between: string;
  /** A named file this large is searched by several threads (`KIT_GREP_SPLIT_MIN` bytes). */
  splitMin: number;
}

/**
 * Stage two of the arguments: reads `-f` files, decides defaults from the terminal and the
 * paths, and compiles what can be compiled before any file is searched.
 *
 * @param args Stage one's values.
 * @param io Terminal state and environment.
 * @returns The run.
 * @throws {CliError} For a bad pattern, glob or type.
 */
export async function buildRun(args: GrepArgs, io: Io): Promise<GrepRun> {
  const patterns = [...args.patterns];
  for (const file of args.patternFiles) {
    let text: string;
    try {
      text = file === "-"
        ? new TextDecoder().decode(await readStream(io.stdin))
        : await Deno.readTextFile(resolveFrom(io.cwd, file));
    } catch (error) {
      throw new CliError(describeOsError((error as Error).message), { exitCode: ExitCode.Usage });
    }
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    patterns.push(...lines.map((l) => l.replace(/\r$/, "")));
  }
  if (args.json && args.mode !== "lines" && args.mode !== "files" && args.mode !== "type-list") {
    const flag = {
      count: "--count",
      "count-matches": "--count-matches",
      "files-with-matches": "--files-with-matches",
      "files-without-match": "--files-without-match",
    }[args.mode];
    throw new CliError(`${flag} cannot be used with --json`, { exitCode: ExitCode.Usage });
  }
  const tty = io.isTerminal.stdout;
  const stdin = args.paths.length === 0 && args.mode !== "files" && stdinIsReadable(io);
  const roots = args.paths.length ? args.paths : stdin ? [] : ["."];
  let singleFile = stdin;
  if (args.paths.length === 1) {
    try {
      singleFile = !Deno.statSync(resolveFrom(io.cwd, args.paths[0])).isDirectory;
    } catch {
      singleFile = true;
    }
  }
  const withFilename = args.withFilename ?? (args.vimgrep || !singleFile);
  const color = args.color === "always" || args.color === "ansi" ||
    (args.color === "auto" && !args.json && useColor({
      mode: "auto",
      isTerminal: tty,
      env: io.env,
    }));
  let mode: OutputMode = args.json ? "json" : args.quiet ? "quiet" : args.mode === "count" &&
      args.onlyMatching
    ? "count-matches"
    : (args.mode as OutputMode);
  if (args.mode === "files" || args.mode === "type-list") mode = "lines";
  const before = args.beforeContext ?? args.context ?? 0;
  const after = args.afterContext ?? args.context ?? 0;
  const heading = args.heading ?? (tty && !args.vimgrep);
  const lineNumber = args.lineNumber ?? (tty || args.column || args.vimgrep || args.json);
  const config: SearchConfig = {
    patterns,
    matcher: {
      fixedStrings: args.fixedStrings,
      caseMode: args.caseMode,
      wordRegexp: args.wordRegexp,
      lineRegexp: args.lineRegexp,
      multiline: args.multiline,
      multilineDotall: args.multilineDotall,
    },
    mode,
    invert: args.invertMatch,
    maxCount: args.maxCount,
    before,
    after,
    passthru: args.passthru,
    binary: args.text ? "text" : args.binary ? "binary" : "auto",
    searchZip: args.searchZip,
    prefilter: io.env("KIT_GREP_PREFILTER") !== "off",
    countMatches: args.stats,
    includeZero: args.includeZero,
    withFilename,
    heading: heading && withFilename,
    lineNumber,
    column: args.column || args.vimgrep,
    byteOffset: args.byteOffset,
    onlyMatching: args.onlyMatching,
    replace: args.write ? undefined : args.replace,
    vimgrep: args.vimgrep,
    nullSeparator: args.nullSeparator,
    trim: args.trim,
    maxColumns: args.maxColumns,
    maxColumnsPreview: args.maxColumnsPreview,
    contextSeparator: args.contextSeparator,
    matchSeparator: args.fieldMatchSeparator,
    contextFieldSeparator: args.fieldContextSeparator,
    colors: color ? grepColors(args.colors) : undefined,
  };
  // Compile once here so a bad pattern is an error before any file is opened.
  if (args.mode !== "files" && args.mode !== "type-list") new FileSearch(config);
  const types = FileTypes.defaults();
  try {
    for (const name of args.typeClear) types.clear(name);
    for (const def of args.typeAdd) types.add(def);
  } catch (error) {
    throw new CliError((error as Error).message, { exitCode: ExitCode.Usage });
  }
  let filter: WalkOptions["filter"];
  let overrides: Overrides | undefined;
  const globs: OverridesInit | undefined = args.globs.length
    ? { globs: args.globs, options: { root: io.cwd, caseInsensitive: args.globCaseInsensitive } }
    : undefined;
  try {
    const byName = types.matcher(args.types, args.typesNot);
    filter = byName && ((_path: string, name: string) => byName(name));
    overrides = globs && new Overrides(globs.globs, globs.options);
  } catch (error) {
    throw new CliError((error as Error).message, { exitCode: ExitCode.Usage });
  }
  const walk: WalkOptions = {
    hidden: args.hidden,
    gitIgnore: !args.noIgnoreVcs,
    gitExclude: !args.noIgnoreVcs && !args.noIgnoreExclude,
    gitGlobal: !args.noIgnoreVcs && !args.noIgnoreGlobal,
    dotIgnore: !args.noIgnoreDot,
    ignoreFileNames: [".rgignore"],
    // rg reads .rgignore under --no-ignore-dot; only --no-ignore (all of them) stops it.
    customIgnore: !(args.noIgnoreDot && args.noIgnoreVcs && args.noIgnoreParent &&
      args.noIgnoreExclude && args.noIgnoreGlobal),
    ignoreFiles: args.noIgnoreFiles ? [] : args.ignoreFiles,
    parents: !args.noIgnoreParent,
    requireGit: !args.noRequireGit,
    maxDepth: args.maxDepth,
    followLinks: args.follow,
    maxFilesize: args.maxFilesize,
    overrides,
    filter,
    sort: args.sort?.by === "path",
  };
  const { overrides: _o, filter: _f, sort: _s, ...plainWalk } = walk;
  const context = before > 0 || after > 0;
  const between = mode !== "lines" || args.passthru
    ? ""
    : config.heading
    ? "\n"
    : context && args.contextSeparator !== null
    ? args.contextSeparator + "\n"
    : "";
  return {
    args,
    config,
    roots,
    stdin,
    stripDot: args.paths.length === 0,
    walk,
    walkSpec: { ...plainWalk, overrides: globs },
    types: { select: args.types, negate: args.typesNot, add: args.typeAdd, clear: args.typeClear },
    between,
    splitMin: Number(io.env("KIT_GREP_SPLIT_MIN") ?? SPLIT_MIN) || SPLIT_MIN,
  };
}

function resolveFrom(cwd: string, path: string): string {
  return path.startsWith("/") ? path : `${cwd}/${path}`;
}

function stdinIsReadable(io: Io): boolean {
  if (io.isTerminal.stdin) return false;
  try {
    // Like rg: a pipe, a file or a socket is read; /dev/null and other devices are not.
    const info = Deno.statSync("/dev/stdin");
    return info.isFile || info.isFifo === true || info.isSocket === true;
  } catch {
    return false;
  }
}

async function readStream(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return concat(parts);
}

/** Buffers stdout writes into blocks: one write per file would be a syscall per file. */
class BlockWriter {
  #parts: Uint8Array[] = [];
  #size = 0;
  constructor(readonly io: Io) {}
  async add(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    this.#parts.push(bytes);
    this.#size += bytes.length;
    if (this.#size >= 64 * 1024) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.#size === 0) return;
    const out = this.#parts.length === 1 ? this.#parts[0] : concat(this.#parts);
    this.#parts = [];
    this.#size = 0;
    await this.io.stdout.write(out);
  }
}

const encoder = new TextEncoder();

/** Yields what to search, in walk order, reporting walk errors. */
function* targets(run: GrepRun, io: Io, onError: (message: string) => void): Generator<Target> {
  // Walk the roots as written, so paths print as rg prints them and globs with a slash
  // match from where the user stands; only a library caller with another cwd needs them
  // resolved.
  const here = io.cwd === Deno.cwd();
  for (const root of run.roots) {
    if (root === "-") {
      yield { path: "-", shown: "<stdin>", explicit: true };
      continue;
    }
    const walkRoot = here ? root : resolveFrom(io.cwd, root);
    const info = statRoot(root, walkRoot, onError);
    if (info === undefined) continue;
    if (!info.isDirectory) {
      yield { path: walkRoot, shown: root, explicit: true };
      continue;
    }
    const strip = run.stripDot && root === "." ? 2 : 0;
    for (const entry of walkSync(walkRoot, { ...run.walk, onError: (e) => onError(e.message) })) {
      const shown = here ? entry.path : root + entry.path.slice(walkRoot.length);
      yield { path: entry.path, shown: strip ? shown.slice(strip) : shown, explicit: false };
    }
  }
}

/** Stats a path named on the command line; a failure is reported in rg's words. */
function statRoot(
  root: string,
  walkRoot: string,
  onError: (message: string) => void,
): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(walkRoot);
  } catch (error) {
    const why = describeOsError((error as Error).message).replace(/^Cannot \w+ "[^"]*": /, "");
    onError(`${root}: ${why}`);
    return undefined;
  }
}

/**
 * The roots for a walk on workers: the files named on the command line, searched as they
 * are, and the folders the workers walk, with how their paths are shown.
 */
function splitRoots(
  run: GrepRun,
  io: Io,
  onError: (message: string) => void,
): { files: Target[]; folders: ShownRoot[] } {
  const here = io.cwd === Deno.cwd();
  const files: Target[] = [];
  const folders: ShownRoot[] = [];
  for (const root of run.roots) {
    const walkRoot = here ? root : resolveFrom(io.cwd, root);
    const info = statRoot(root, walkRoot, onError);
    if (info === undefined) continue;
    if (!info.isDirectory) files.push({ path: walkRoot, shown: root, explicit: true });
    else {
      const strip = run.stripDot && root === "." ? 2 : 0;
      folders.push({ walk: walkRoot, display: here ? walkRoot : root, strip });
    }
  }
  return { files, folders };
}

/**
 * Runs `kit grep`.
 *
 * @param argv The words after `kit grep`.
 * @param io Streams and environment.
 * @returns 0 when something matched, 1 when nothing did, 2 on an error.
 */
export function main(argv: string[], io: Io): Promise<number> {
  return guard(TOOL, io, async () => {
    const args = parseGrepArgs(argv);
    if (args.help) {
      await io.stdout.write(grepHelp());
      return ExitCode.Ok;
    }
    if (args.version) {
      await io.stdout.write("kit grep (ripgrep-compatible)\n");
      return ExitCode.Ok;
    }
    if (args.mode === "type-list") {
      const types = FileTypes.defaults();
      for (const name of args.typeClear) types.clear(name);
      for (const def of args.typeAdd) types.add(def);
      await io.stdout.write(types.list().map((l) => l + "\n").join(""));
      return ExitCode.Ok;
    }
    let run: GrepRun;
    try {
      run = await buildRun(args, io);
    } catch (error) {
      if (error instanceof PatternError) {
        throw new CliError(error.message, { exitCode: ExitCode.Usage });
      }
      throw error;
    }
    return await execute(run, io);
  });
}

async function execute(run: GrepRun, io: Io): Promise<number> {
  const started = performance.now();
  const args = run.args;
  let errors = 0;
  const onError = (message: string) => {
    errors++;
    if (!args.noMessages) {
      io.stderr.write(`kit grep: ${message}\n`).catch(() => {});
    }
  };
  const out = new BlockWriter(io);
  const threads = args.threads || navigator.hardwareConcurrency || 2;
  // The walk runs on workers only where the order is free and no early stop is wanted.
  const walkOnWorkers = !args.sort && !args.write && !args.quiet && !run.stdin &&
    !run.roots.includes("-") &&
    useParallelWalk(threads, io.env("KIT_GREP_WALK"));
  if (io.env("KIT_DEBUG") === "1") {
    const how = walkOnWorkers ? `on ${threads} workers` : "on the main thread";
    await io.stderr.write(`kit grep: debug: walk ${how}\n`);
  }

  if (args.mode === "files" && walkOnWorkers) {
    const end = args.nullSeparator ? "\0" : "\n";
    const { files, folders } = splitRoots(run, io, onError);
    let any = files.length > 0;
    await out.add(encoder.encode(files.map((t) => t.shown + end).join("")));
    if (folders.length > 0) {
      const setup = { roots: folders, types: run.types, listEnd: end };
      for await (const m of walkSearch(run.config, setup, run.walkSpec, { threads, onError })) {
        if (m.type !== "paths" || m.text.length === 0) continue;
        any = true;
        await out.add(encoder.encode(m.text));
      }
    }
    await out.flush();
    return errors ? ExitCode.Usage : any ? ExitCode.Ok : ExitCode.NotFound;
  }

  if (args.mode === "files") {
    let any = false;
    const end = args.nullSeparator ? "\0" : "\n";
    let list: Iterable<Target> = targets(run, io, onError);
    if (args.sort && args.sort.by !== "path") list = sortTargets([...list], args.sort);
    else if (args.sort?.reverse) list = [...list].reverse();
    // Paths are joined as text and encoded a block at a time: one encoding per path costs
    // more than the walk's own matching.
    let block = "";
    for (const target of list) {
      any = true;
      block += target.shown + end;
      if (block.length >= 64 * 1024) {
        await out.add(encoder.encode(block));
        block = "";
      }
    }
    await out.add(encoder.encode(block));
    await out.flush();
    return errors ? ExitCode.Usage : any ? ExitCode.Ok : ExitCode.NotFound;
  }

  if (args.write) {
    const result = await rewriteFiles(targets(run, io, onError), run, io, onError);
    return errors ? ExitCode.Usage : result;
  }

  const totals = emptyStats();
  let matched = false;
  let printedAny = false;
  // Set while a large file's output is being written in pieces (see FileSearch's flush).
  let midFile = false;
  let writeFailure: unknown;
  const betweenBytes = encoder.encode(run.between);
  const quiet = run.config.mode === "quiet";
  const emit = async (output: Uint8Array, stats: SearchStats, hit: boolean, error?: string) => {
    if (error) onError(error);
    // rg's JSON summary counts only the files that printed something.
    if (run.config.mode !== "json" || output.length > 0) addStats(totals, stats);
    if (hit) matched = true;
    if (midFile) {
      midFile = false;
      await out.add(output);
      return;
    }
    if (output.length === 0) return;
    if (printedAny && betweenBytes.length) {
      await out.add(betweenBytes);
      totals.bytesPrinted += betweenBytes.length;
    }
    printedAny = true;
    await out.add(output);
  };

  const flush = (bytes: Uint8Array) => {
    if (!midFile && printedAny && betweenBytes.length) out.add(betweenBytes).catch(fail);
    printedAny = midFile = true;
    out.add(bytes).catch(fail);
  };
  const fail = (error: unknown) => writeFailure ??= error;
  if (run.stdin) {
    const search = new FileSearch(run.config, flush);
    const bytes = await readStream(io.stdin);
    const r = search.searchBytes(bytes, "<stdin>", true);
    await emit(r.output, r.stats, r.matched);
  } else {
    const parallel = !args.sort && args.threads !== 1 && !quiet && !run.roots.includes("-");
    const big = threads > 1 && run.roots.length === 1 && canSplit(run.config)
      ? bigFile(io, run.roots[0], run.splitMin, run.config.binary !== "text")
      : undefined;
    if (big) {
      const r = await searchSplit(run.config, big.target, big.size, threads);
      await emit(r.output, r.stats, r.matched, r.error);
    } else if (walkOnWorkers) {
      const { files, folders } = splitRoots(run, io, onError);
      const search = new FileSearch(run.config, flush);
      for (const t of files) {
        const r = run.config.searchZip
          ? await search.searchPath(t.path, t.shown, t.explicit)
          : search.searchPathSync(t.path, t.shown, t.explicit);
        await emit(r.output, r.stats, r.matched, r.error);
      }
      const setup = { roots: folders, types: run.types };
      const messages = folders.length
        ? walkSearch(run.config, setup, run.walkSpec, { threads, onError })
        : [];
      for await (const m of messages) {
        if (m.type !== "results") continue;
        // The files that printed nothing: rg's JSON summary leaves them out.
        if (run.config.mode !== "json") addStats(totals, m.stats);
        for (const r of m.results) await emit(r.output, r.stats, r.matched, r.error);
      }
    } else if (parallel) {
      const pool = new SearchPool(run.config, { threads, flush });
      for await (const r of pool.results(targets(run, io, onError))) {
        await emit(r.output, r.stats, r.matched, r.error);
      }
    } else {
      const search = new FileSearch(run.config, flush);
      let list: Iterable<Target> = targets(run, io, onError);
      if (args.sort && args.sort.by !== "path") list = sortTargets([...list], args.sort);
      // Reversing a depth-first listing of files is the walk with each folder reversed.
      else if (args.sort?.reverse) list = [...list].reverse();
      for (const target of list) {
        const r = target.path === "-"
          ? search.searchBytes(await readStream(io.stdin), target.shown, true)
          : run.config.searchZip
          ? await search.searchPath(target.path, target.shown, target.explicit)
          : search.searchPathSync(target.path, target.shown, target.explicit);
        await emit(r.output, r.stats, r.matched, r.error);
        if (quiet && matched) break;
      }
    }
  }
  if (run.config.mode === "json") {
    await out.add(encoder.encode(jsonSummary(totals, (performance.now() - started) * 1e6)));
  } else if (args.stats) {
    await out.add(encoder.encode(statsText(totals, performance.now() - started)));
  }
  await out.flush();
  if (writeFailure) throw writeFailure;
  // As rg: an error makes the exit status 2, unless -q found what it was asked about.
  if (errors && !(quiet && matched)) return ExitCode.Usage;
  return matched ? ExitCode.Ok : ExitCode.NotFound;
}

/** A named regular file large enough to be searched by several threads at once. */
function bigFile(
  io: Io,
  root: string,
  min: number,
  binary: boolean,
): { target: Target; size: number } | undefined {
  if (root === "-") return undefined;
  const path = io.cwd === Deno.cwd() ? root : resolveFrom(io.cwd, root);
  try {
    const info = Deno.statSync(path);
    if (!info.isFile || info.size < min) return undefined;
    if (binary) {
      // A binary file prints one notice, which only the first range could tell: not split.
      const file = Deno.openSync(path);
      try {
        const head = new Uint8Array(64 * 1024);
        const n = file.readSync(head) ?? 0;
        if (head.subarray(0, n).indexOf(0) >= 0) return undefined;
      } finally {
        file.close();
      }
    }
    return { target: { path, shown: root, explicit: true }, size: info.size };
  } catch {
    return undefined;
  }
}

function sortTargets(list: Target[], sort: NonNullable<GrepArgs["sort"]>): Target[] {
  const key = (t: Target) => {
    try {
      const info = Deno.statSync(t.path);
      const time = sort.by === "modified"
        ? info.mtime
        : sort.by === "accessed"
        ? info.atime
        : info.birthtime;
      return time?.getTime() ?? 0;
    } catch {
      return 0;
    }
  };
  const keyed = list.map((t) => [key(t), t] as const);
  keyed.sort((a, b) => a[0] - b[0]);
  if (sort.reverse) keyed.reverse();
  return keyed.map(([, t]) => t);
}

function statsText(s: SearchStats, ms: number): string {
  return `
${s.matches} matches
${s.matchedLines} matched lines
${s.searchesWithMatch} files contained matches
${s.searches} files searched
${s.bytesPrinted} bytes printed
${s.bytesSearched} bytes searched
${(s.elapsedNs / 1e9).toFixed(6)} seconds spent searching
${(ms / 1000).toFixed(6)} seconds
`;
}
