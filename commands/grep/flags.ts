/**
 * Stage one of `kit grep`'s arguments: argv in, plain values out, no I/O.
 *
 * The flags are ripgrep's, with its names, its short letters and its rule that a later flag
 * overrides an earlier one (`-n … -N` ends with no line numbers). They are declared once in
 * {@linkcode FLAGS}; help, completions and parsing all read that table. kit's generic parser
 * keeps one value per key and so cannot express "last of -n/-N wins" or `-uuu`, which is why
 * grep has its own table.
 *
 * @module
 */

import { CliError, ExitCode } from "../../lib/cli/error.ts";
import { nearest } from "../../lib/cli/args.ts";

/** What the command line asked for, before any file is touched. */
export interface GrepArgs {
  /** Patterns from the first positional argument or `-e`. */
  patterns: string[];
  /** Files of patterns (`-f`), one per line. */
  patternFiles: string[];
  /** Paths to search; empty means the current folder (or stdin when it is not a TTY). */
  paths: string[];
  /** What is printed. */
  mode:
    | "lines"
    | "count"
    | "count-matches"
    | "files-with-matches"
    | "files-without-match"
    | "files"
    | "type-list";
  fixedStrings: boolean;
  caseMode: "sensitive" | "insensitive" | "smart";
  wordRegexp: boolean;
  lineRegexp: boolean;
  invertMatch: boolean;
  multiline: boolean;
  multilineDotall: boolean;
  /** Undefined: the default (on for a TTY). */
  lineNumber?: boolean;
  column: boolean;
  byteOffset: boolean;
  /** Undefined: the default (on unless one file is searched). */
  withFilename?: boolean;
  /** Undefined: the default (on for a TTY). */
  heading?: boolean;
  onlyMatching: boolean;
  replace?: string;
  quiet: boolean;
  maxCount?: number;
  afterContext?: number;
  beforeContext?: number;
  context?: number;
  contextSeparator: string | null;
  fieldMatchSeparator: string;
  fieldContextSeparator: string;
  passthru: boolean;
  color: "auto" | "always" | "never" | "ansi";
  colors: string[];
  json: boolean;
  stats: boolean;
  vimgrep: boolean;
  nullSeparator: boolean;
  trim: boolean;
  maxColumns?: number;
  maxColumnsPreview: boolean;
  includeZero: boolean;
  hidden: boolean;
  noIgnoreVcs: boolean;
  noIgnoreDot: boolean;
  noIgnoreParent: boolean;
  noIgnoreExclude: boolean;
  noIgnoreGlobal: boolean;
  noIgnoreFiles: boolean;
  noRequireGit: boolean;
  ignoreFiles: string[];
  globs: { glob: string; caseInsensitive: boolean }[];
  globCaseInsensitive: boolean;
  types: string[];
  typesNot: string[];
  typeAdd: string[];
  typeClear: string[];
  maxDepth?: number;
  follow: boolean;
  maxFilesize?: number;
  sort?: { by: "path" | "modified" | "accessed" | "created"; reverse: boolean };
  binary: boolean;
  text: boolean;
  searchZip: boolean;
  threads?: number;
  write: boolean;
  dryRun: boolean;
  noMessages: boolean;
  help: boolean;
  version: boolean;
}

/** A fresh {@linkcode GrepArgs} with ripgrep's defaults. */
export function defaultArgs(): GrepArgs {
  return {
    patterns: [],
    patternFiles: [],
    paths: [],
    mode: "lines",
    fixedStrings: false,
    caseMode: "sensitive",
    wordRegexp: false,
    lineRegexp: false,
    invertMatch: false,
    multiline: false,
    multilineDotall: false,
    column: false,
    byteOffset: false,
    onlyMatching: false,
    quiet: false,
    contextSeparator: "--",
    fieldMatchSeparator: ":",
    fieldContextSeparator: "-",
    passthru: false,
    color: "auto",
    colors: [],
    json: false,
    stats: false,
    vimgrep: false,
    nullSeparator: false,
    trim: false,
    maxColumnsPreview: false,
    includeZero: false,
    hidden: false,
    noIgnoreVcs: false,
    noIgnoreDot: false,
    noIgnoreParent: false,
    noIgnoreExclude: false,
    noIgnoreGlobal: false,
    noIgnoreFiles: false,
    noRequireGit: false,
    ignoreFiles: [],
    globs: [],
    globCaseInsensitive: false,
    types: [],
    typesNot: [],
    typeAdd: [],
    typeClear: [],
    follow: false,
    binary: false,
    text: false,
    searchZip: false,
    write: false,
    dryRun: false,
    noMessages: false,
    help: false,
    version: false,
  };
}

/** One flag: its names, help and what it does to {@linkcode GrepArgs}. */
export interface FlagDef {
  /** Long name without dashes. */
  long: string;
  /** Short letter. */
  short?: string;
  /** Name of the value it takes, e.g. `NUM`; absent for a switch. */
  value?: string;
  /** Help section. */
  section: "input" | "search" | "filter" | "output" | "other";
  /** One line of help. */
  help: string;
  /** Allowed values, for help and completions. */
  choices?: readonly string[];
  /** Sets the value. */
  apply(args: GrepArgs, value: string): void;
}

function usage(message: string, hint = "see 'kit grep --help'"): CliError {
  return new CliError(message, { hint, exitCode: ExitCode.Usage });
}

function count(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw usage(`--${flag} expects a whole number, not "${value}"`);
    return Number(value);
  };
}

/** `10`, `10K`, `2M`, `1G` → bytes, as ripgrep's NUM+SUFFIX. */
export function parseSize(value: string, flag = "max-filesize"): number {
  const match = /^(\d+)([KMG])?$/i.exec(value.trim());
  if (!match) throw usage(`--${flag} expects a number with an optional K, M or G, not "${value}"`);
  const scale = { K: 1 << 10, M: 1 << 20, G: 1 << 30 }[match[2]?.toUpperCase() ?? ""] ?? 1;
  return Number(match[1]) * scale;
}

function unescapeSeparator(value: string): string {
  return value.replace(/\\(x[0-9a-fA-F]{2}|[nt0\\])/g, (_, c: string) => {
    if (c[0] === "x") return String.fromCharCode(parseInt(c.slice(1), 16));
    return ({ n: "\n", t: "\t", "0": "\0", "\\": "\\" } as Record<string, string>)[c];
  });
}

const switchFlag = (
  long: string,
  short: string | undefined,
  section: FlagDef["section"],
  help: string,
  apply: (a: GrepArgs) => void,
): FlagDef => ({ long, short, section, help, apply: (a) => apply(a) });

const valueFlag = (
  long: string,
  short: string | undefined,
  value: string,
  section: FlagDef["section"],
  help: string,
  apply: (a: GrepArgs, v: string) => void,
  choices?: readonly string[],
): FlagDef => ({ long, short, value, section, help, apply, choices });

const SORT_KEYS = ["none", "path", "modified", "accessed", "created"] as const;

/** How many `-u` each parse has seen. */
const unrestricted = new WeakMap<GrepArgs, number>();

function sortBy(reverse: boolean) {
  return (a: GrepArgs, v: string) => {
    if (!(SORT_KEYS as readonly string[]).includes(v)) {
      throw usage(`--sort takes ${SORT_KEYS.join(", ")}, not "${v}"`);
    }
    a.sort = v === "none" ? undefined : { by: v as "path", reverse };
  };
}

/** Every flag of `kit grep`, in help order within each section. */
export const FLAGS: readonly FlagDef[] = [
  // Patterns and how they match.
  valueFlag("regexp", "e", "PATTERN", "input", "a pattern to search for (repeatable)", (a, v) => {
    a.patterns.push(v);
  }),
  valueFlag(
    "file",
    "f",
    "PATTERNFILE",
    "input",
    "read patterns from a file, one per line",
    (a, v) => {
      a.patternFiles.push(v);
    },
  ),
  switchFlag("fixed-strings", "F", "search", "treat patterns as literal strings", (a) => {
    a.fixedStrings = true;
  }),
  switchFlag("no-fixed-strings", undefined, "search", "treat patterns as regexes", (a) => {
    a.fixedStrings = false;
  }),
  switchFlag("ignore-case", "i", "search", "case-insensitive search", (a) => {
    a.caseMode = "insensitive";
  }),
  switchFlag(
    "smart-case",
    "S",
    "search",
    "case-insensitive unless a pattern has uppercase",
    (a) => {
      a.caseMode = "smart";
    },
  ),
  switchFlag("case-sensitive", "s", "search", "case-sensitive search (default)", (a) => {
    a.caseMode = "sensitive";
  }),
  switchFlag("word-regexp", "w", "search", "only matches surrounded by word boundaries", (a) => {
    a.wordRegexp = true;
    a.lineRegexp = false;
  }),
  switchFlag("line-regexp", "x", "search", "only matches that are whole lines", (a) => {
    a.lineRegexp = true;
    a.wordRegexp = false;
  }),
  switchFlag("invert-match", "v", "search", "select lines that do not match", (a) => {
    a.invertMatch = true;
  }),
  switchFlag("multiline", "U", "search", "let matches span lines", (a) => {
    a.multiline = true;
  }),
  switchFlag("multiline-dotall", undefined, "search", "'.' matches newlines with -U", (a) => {
    a.multilineDotall = true;
  }),
  valueFlag("max-count", "m", "NUM", "search", "stop after NUM matching lines per file", (a, v) => {
    a.maxCount = count("max-count")(v);
  }),
  switchFlag("text", "a", "search", "search binary files as text", (a) => {
    a.text = true;
  }),
  switchFlag("binary", undefined, "search", "search binary files, but do not print their lines", (
    a,
  ) => {
    a.binary = true;
  }),
  switchFlag("search-zip", "z", "search", "search in .gz, .bz2, .xz, .lz4, .zst files", (a) => {
    a.searchZip = true;
  }),
  valueFlag(
    "threads",
    "j",
    "NUM",
    "search",
    "number of threads (0: one per core); from 3 the folders are walked on them too",
    (a, v) => {
      a.threads = count("threads")(v);
    },
  ),
  // Which files.
  switchFlag("hidden", ".", "filter", "search hidden files and folders", (a) => {
    a.hidden = true;
  }),
  switchFlag("no-hidden", undefined, "filter", "skip hidden files and folders", (a) => {
    a.hidden = false;
  }),
  switchFlag("no-ignore", undefined, "filter", "do not honour ignore files", (a) => {
    a.noIgnoreVcs =
      a.noIgnoreDot =
      a.noIgnoreParent =
      a.noIgnoreExclude =
      a.noIgnoreGlobal =
      a.noIgnoreFiles =
        true;
  }),
  switchFlag("no-ignore-vcs", undefined, "filter", "do not honour .gitignore files", (a) => {
    a.noIgnoreVcs = true;
  }),
  switchFlag("no-ignore-dot", undefined, "filter", "do not honour .ignore and .rgignore", (a) => {
    a.noIgnoreDot = true;
  }),
  switchFlag("no-ignore-parent", undefined, "filter", "ignore files of parent folders", (a) => {
    a.noIgnoreParent = true;
  }),
  switchFlag("no-ignore-exclude", undefined, "filter", "do not honour .git/info/exclude", (a) => {
    a.noIgnoreExclude = true;
  }),
  switchFlag("no-ignore-global", undefined, "filter", "do not honour core.excludesFile", (a) => {
    a.noIgnoreGlobal = true;
  }),
  switchFlag("no-ignore-files", undefined, "filter", "do not honour --ignore-file", (a) => {
    a.noIgnoreFiles = true;
  }),
  switchFlag("no-require-git", undefined, "filter", "honour .gitignore outside git repos", (a) => {
    a.noRequireGit = true;
  }),
  valueFlag("ignore-file", undefined, "PATH", "filter", "an extra ignore file", (a, v) => {
    a.ignoreFiles.push(v);
  }),
  switchFlag(
    "unrestricted",
    "u",
    "filter",
    "-u: no ignore files; -uu: and hidden; -uuu: and binary",
    (a) => {
      // Counted as rg counts them, whatever other flags already set.
      const n = (unrestricted.get(a) ?? 0) + 1;
      unrestricted.set(a, n);
      if (n === 1) FLAGS.find((f) => f.long === "no-ignore")!.apply(a, "");
      else if (n === 2) a.hidden = true;
      else a.binary = true;
    },
  ),
  valueFlag(
    "glob",
    "g",
    "GLOB",
    "filter",
    "include files matching GLOB; !GLOB excludes",
    (a, v) => {
      a.globs.push({ glob: v, caseInsensitive: false });
    },
  ),
  valueFlag("iglob", undefined, "GLOB", "filter", "--glob, ignoring case", (a, v) => {
    a.globs.push({ glob: v, caseInsensitive: true });
  }),
  switchFlag("glob-case-insensitive", undefined, "filter", "all globs ignore case", (a) => {
    a.globCaseInsensitive = true;
  }),
  valueFlag("type", "t", "TYPE", "filter", "only files of TYPE (see --type-list)", (a, v) => {
    a.types.push(v);
  }),
  valueFlag("type-not", "T", "TYPE", "filter", "no files of TYPE", (a, v) => {
    a.typesNot.push(v);
  }),
  valueFlag("type-add", undefined, "TYPE_SPEC", "filter", "add a type: 'name:*.ext'", (a, v) => {
    a.typeAdd.push(v);
  }),
  valueFlag("type-clear", undefined, "TYPE", "filter", "clear a type's globs", (a, v) => {
    a.typeClear.push(v);
  }),
  valueFlag("max-depth", "d", "NUM", "filter", "descend at most NUM folders", (a, v) => {
    a.maxDepth = count("max-depth")(v);
  }),
  switchFlag("follow", "L", "filter", "follow symbolic links", (a) => {
    a.follow = true;
  }),
  valueFlag("max-filesize", undefined, "NUM+SUFFIX", "filter", "skip larger files", (a, v) => {
    a.maxFilesize = parseSize(v);
  }),
  // What is printed.
  switchFlag("files", undefined, "output", "print the files that would be searched", (a) => {
    a.mode = "files";
  }),
  switchFlag("type-list", undefined, "output", "print the file types", (a) => {
    a.mode = "type-list";
  }),
  switchFlag("count", "c", "output", "print the number of matching lines per file", (a) => {
    a.mode = "count";
  }),
  switchFlag("count-matches", undefined, "output", "print the number of matches per file", (a) => {
    a.mode = "count-matches";
  }),
  switchFlag("files-with-matches", "l", "output", "print the paths with a match", (a) => {
    a.mode = "files-with-matches";
  }),
  switchFlag("files-without-match", undefined, "output", "print the paths without a match", (a) => {
    a.mode = "files-without-match";
  }),
  switchFlag("quiet", "q", "output", "print nothing; exit 0 on the first match", (a) => {
    a.quiet = true;
  }),
  switchFlag("line-number", "n", "output", "show line numbers", (a) => {
    a.lineNumber = true;
  }),
  switchFlag("no-line-number", "N", "output", "hide line numbers", (a) => {
    a.lineNumber = false;
  }),
  switchFlag("column", undefined, "output", "show column numbers (1-based bytes)", (a) => {
    a.column = true;
  }),
  switchFlag("no-column", undefined, "output", "hide column numbers", (a) => {
    a.column = false;
  }),
  switchFlag("byte-offset", "b", "output", "show the byte offset of each line", (a) => {
    a.byteOffset = true;
  }),
  switchFlag("with-filename", "H", "output", "always show the file path", (a) => {
    a.withFilename = true;
  }),
  switchFlag("no-filename", "I", "output", "never show the file path", (a) => {
    a.withFilename = false;
  }),
  switchFlag("heading", undefined, "output", "group matches under each file's path", (a) => {
    a.heading = true;
  }),
  switchFlag("no-heading", undefined, "output", "print the path on every line", (a) => {
    a.heading = false;
  }),
  switchFlag("only-matching", "o", "output", "print only the matched parts", (a) => {
    a.onlyMatching = true;
  }),
  valueFlag("replace", "r", "TEXT", "output", "replace matches with TEXT ($1, ${name})", (a, v) => {
    a.replace = v;
  }),
  switchFlag("write", undefined, "output", "with --replace: rewrite the files in place", (a) => {
    a.write = true;
  }),
  switchFlag("dry-run", undefined, "output", "with --write: print a diff, change nothing", (a) => {
    a.dryRun = true;
  }),
  valueFlag("after-context", "A", "NUM", "output", "show NUM lines after each match", (a, v) => {
    a.afterContext = count("after-context")(v);
  }),
  valueFlag("before-context", "B", "NUM", "output", "show NUM lines before each match", (a, v) => {
    a.beforeContext = count("before-context")(v);
  }),
  valueFlag("context", "C", "NUM", "output", "show NUM lines around each match", (a, v) => {
    a.context = count("context")(v);
  }),
  valueFlag("context-separator", undefined, "SEP", "output", "between context groups", (a, v) => {
    a.contextSeparator = unescapeSeparator(v);
  }),
  switchFlag("no-context-separator", undefined, "output", "no separator", (a) => {
    a.contextSeparator = null;
  }),
  valueFlag("field-match-separator", undefined, "SEP", "output", "after path/number", (a, v) => {
    a.fieldMatchSeparator = unescapeSeparator(v);
  }),
  valueFlag("field-context-separator", undefined, "SEP", "output", "same, context", (a, v) => {
    a.fieldContextSeparator = unescapeSeparator(v);
  }),
  switchFlag("passthru", undefined, "output", "print every line, highlighting matches", (a) => {
    a.passthru = true;
  }),
  valueFlag(
    "color",
    undefined,
    "WHEN",
    "output",
    "colour: auto, always, never or ansi",
    (a, v) => {
      if (!["auto", "always", "never", "ansi"].includes(v)) {
        throw usage(`--color takes auto, always, never or ansi, not "${v}"`);
      }
      a.color = v as GrepArgs["color"];
    },
    ["auto", "always", "never", "ansi"],
  ),
  valueFlag("colors", undefined, "SPEC", "output", "e.g. 'match:fg:blue' (repeatable)", (a, v) => {
    a.colors.push(v);
  }),
  switchFlag("pretty", "p", "output", "--color=always --heading --line-number", (a) => {
    a.color = "always";
    a.heading = true;
    a.lineNumber = true;
  }),
  switchFlag("json", undefined, "output", "ripgrep's JSON lines", (a) => {
    a.json = true;
  }),
  switchFlag("stats", undefined, "output", "print statistics at the end", (a) => {
    a.stats = true;
  }),
  switchFlag("vimgrep", undefined, "output", "path:line:column:text for every match", (a) => {
    a.vimgrep = true;
  }),
  switchFlag("null", "0", "output", "a NUL byte after each path", (a) => {
    a.nullSeparator = true;
  }),
  switchFlag("trim", undefined, "output", "strip leading whitespace from lines", (a) => {
    a.trim = true;
  }),
  valueFlag("max-columns", "M", "NUM", "output", "omit lines longer than NUM bytes", (a, v) => {
    a.maxColumns = count("max-columns")(v) || undefined;
  }),
  switchFlag("max-columns-preview", undefined, "output", "show a preview of long lines", (a) => {
    a.maxColumnsPreview = true;
  }),
  switchFlag("include-zero", undefined, "output", "-c prints files with zero matches", (a) => {
    a.includeZero = true;
  }),
  valueFlag(
    "sort",
    undefined,
    "SORTBY",
    "output",
    "sort by path, modified, accessed, created (single-threaded)",
    sortBy(false),
    SORT_KEYS,
  ),
  valueFlag("sortr", undefined, "SORTBY", "output", "--sort in reverse", sortBy(true), SORT_KEYS),
  switchFlag("no-messages", undefined, "other", "hide file errors", (a) => {
    a.noMessages = true;
  }),
  switchFlag("help", "h", "other", "print help", (a) => {
    a.help = true;
  }),
  switchFlag("version", "V", "other", "print the version", (a) => {
    a.version = true;
  }),
];

const BY_LONG = new Map(FLAGS.map((f) => [f.long, f]));
const BY_SHORT = new Map(FLAGS.filter((f) => f.short).map((f) => [f.short!, f]));

/** Flags ripgrep has that kit accepts and ignores, because they tune ripgrep's own engine. */
const ACCEPTED_NO_OP = new Set([
  "mmap",
  "no-mmap",
  "line-buffered",
  "block-buffered",
  "no-config",
  "no-unicode",
  "unicode",
  "crlf",
  "no-crlf",
  "one-file-system",
  "no-ignore-messages",
  "ignore-file-case-insensitive",
  "debug",
  "trace",
]);
const ACCEPTED_NO_OP_VALUE = new Set(["dfa-size-limit", "regex-size-limit", "engine"]);

/**
 * Parses `kit grep` arguments. Flags may appear anywhere; `--` ends them. The first
 * positional word is the pattern unless `-e`/`-f` or a mode without patterns was given.
 *
 * @example
 * ```ts
 * import { parseGrepArgs } from "./flags.ts";
 * import assert from "node:assert/strict";
 * const args = parseGrepArgs(["-in", "-C2", "todo", "src", "-N"]);
 * assert.deepEqual(args.patterns, ["todo"]);
 * assert.deepEqual(args.paths, ["src"]);
 * assert.equal(args.caseMode, "insensitive");
 * assert.equal(args.lineNumber, false); // the later -N wins
 * assert.equal(args.context, 2);
 * ```
 *
 * @param argv The words after `kit grep`.
 * @returns The parsed values.
 * @throws {CliError} With exit code 2 for an unknown flag or a bad value.
 */
export function parseGrepArgs(argv: readonly string[]): GrepArgs {
  const args = defaultArgs();
  const words: string[] = [];
  let onlyWords = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (onlyWords || word === "-" || !word.startsWith("-") || word.length === 1) {
      words.push(word);
      continue;
    }
    if (word === "--") {
      onlyWords = true;
      continue;
    }
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const name = word.slice(2, eq < 0 ? undefined : eq);
      const flag = BY_LONG.get(name);
      if (!flag) {
        if (ACCEPTED_NO_OP.has(name)) continue;
        if (ACCEPTED_NO_OP_VALUE.has(name)) {
          if (eq < 0) i++;
          continue;
        }
        const guess = nearest(name, [...BY_LONG.keys()]);
        throw usage(`unknown flag --${name}`, guess ? `did you mean --${guess}?` : undefined);
      }
      if (flag.value === undefined) {
        if (eq >= 0) throw usage(`--${name} takes no value`);
        flag.apply(args, "");
        continue;
      }
      let value: string | undefined = eq >= 0 ? word.slice(eq + 1) : argv[++i];
      if (value === undefined) throw usage(`--${name} needs a value (${flag.value})`);
      value = String(value);
      flag.apply(args, value);
      continue;
    }
    // A bundle of short flags: -inH, -C3, -A 2, -uuu.
    for (let j = 1; j < word.length; j++) {
      const letter = word[j];
      const flag = BY_SHORT.get(letter);
      if (!flag) throw usage(`unknown flag -${letter}`);
      if (flag.value === undefined) {
        flag.apply(args, "");
        continue;
      }
      let value = word.slice(j + 1);
      if (value.startsWith("=")) value = value.slice(1);
      if (value === "") {
        if (i + 1 >= argv.length) throw usage(`-${letter} needs a value (${flag.value})`);
        value = argv[++i];
      }
      flag.apply(args, value);
      break;
    }
  }
  const needsPattern = args.mode !== "files" && args.mode !== "type-list" && !args.help &&
    !args.version;
  if (needsPattern && args.patterns.length === 0 && args.patternFiles.length === 0) {
    const pattern = words.shift();
    if (pattern === undefined) {
      throw usage("no pattern given", "usage: kit grep [OPTIONS] PATTERN [PATH...]");
    }
    args.patterns.push(pattern);
  }
  args.paths = words;
  // --dry-run implies --write, so it needs --replace just the same.
  if (args.dryRun) args.write = true;
  if (args.write && args.replace === undefined) {
    throw usage(`${args.dryRun ? "--dry-run" : "--write"} needs --replace TEXT`);
  }
  return args;
}

const SECTIONS: Record<FlagDef["section"], string> = {
  input: "Patterns",
  search: "Matching",
  filter: "Which files",
  output: "Output",
  other: "Other",
};

/**
 * The help text, generated from {@linkcode FLAGS}.
 *
 * @returns Help for `kit grep --help`.
 */
export function grepHelp(): string {
  const lines = [
    "kit grep: search files recursively for a regex, honouring .gitignore (ripgrep's flags)",
    "",
    "Usage: kit grep [OPTIONS] PATTERN [PATH...]",
    "       kit grep [OPTIONS] -e PATTERN... [PATH...]",
    "       kit grep [OPTIONS] --files [PATH...]",
    "       kit grep PATTERN --replace TEXT --write [--dry-run] [PATH...]",
  ];
  for (const [section, title] of Object.entries(SECTIONS)) {
    lines.push("", `${title}:`);
    for (const flag of FLAGS.filter((f) => f.section === section)) {
      const names = `${flag.short ? `-${flag.short}, ` : "    "}--${flag.long}${
        flag.value ? ` <${flag.value}>` : ""
      }`;
      lines.push(`  ${names.padEnd(34)} ${flag.help}`);
    }
  }
  lines.push(
    "",
    "Exit status: 0 a match was found, 1 no match, 2 an error (even when something matched).",
    "",
    "Examples:",
    "  kit grep -n 'fn \\w+' src",
    "  kit grep -t ts -w TODO",
    "  kit grep -g '!*.min.js' --json createServer",
    "  kit grep 'colou?r' -r color --write --dry-run docs",
  );
  return lines.join("\n") + "\n";
}
