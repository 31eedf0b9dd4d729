/**
 * Ignore rules: the lines of one `.gitignore` (or `.ignore`, `.rgignore`, exclude) file, and
 * ripgrep's `-g`/`--iglob` overrides, matched as ripgrep 13's `ignore` crate matches them.
 *
 * @module
 */

import { Glob, GlobSyntaxError } from "./glob.ts";

/**
 * What a set of rules says about a path: `ignore` it, `whitelist` it (a `!` rule re-includes
 * it), or `none` when no rule matches.
 */
export type IgnoreMatch = "ignore" | "whitelist" | "none";

/** One rule of an ignore file. */
export interface GitignoreRule {
  /** The line as written, after trailing spaces are trimmed. */
  readonly original: string;
  /** The glob that is matched: leading `!` and `/` removed, `**` and a slash added when unanchored. */
  readonly glob: string;
  /** A `!` rule, which re-includes what it matches. */
  readonly whitelist: boolean;
  /** A rule ending in `/`, which matches folders only. */
  readonly dirOnly: boolean;
  /** The line number in the file, from 1. */
  readonly line: number;
}

/** Options for {@linkcode Gitignore}. */
export interface GitignoreOptions {
  /** Match letters regardless of case (rg `--ignore-file-case-insensitive`). @default false */
  caseInsensitive?: boolean;
  /** Where the text came from, used in error messages. @default "" */
  source?: string;
}

/** The defaults of {@linkcode GitignoreOptions}. */
export const GITIGNORE_DEFAULTS = {
  caseInsensitive: false,
  source: "",
} satisfies GitignoreOptions;

/**
 * A line of an ignore file whose glob cannot be parsed. ripgrep reports such a line and
 * keeps the others, and so does {@linkcode Gitignore}.
 *
 * @example
 * ```ts
 * import { Gitignore, GitignoreSyntaxError } from "./ignore.ts";
 * import assert from "node:assert/strict";
 * const rules = new Gitignore("[abc\n*.log\n", { source: ".gitignore" });
 * assert.ok(rules.errors[0] instanceof GitignoreSyntaxError);
 * assert.equal(rules.errors[0].line, 1);
 * assert.equal(rules.matched("x.log", false), "ignore");
 * ```
 */
export class GitignoreSyntaxError extends SyntaxError {
  /** The class name, for `error.name` checks. */
  override name = "GitignoreSyntaxError";
  /** Where the line came from ("" when unknown). */
  readonly source: string;
  /** Its line number, from 1. */
  readonly line: number;
  /** The glob as written. */
  readonly glob: string;

  /**
   * Makes the error from the glob's parse error.
   *
   * @param source Where the line came from.
   * @param line Its line number.
   * @param error The parse error.
   */
  constructor(source: string, line: number, error: GlobSyntaxError) {
    const where = source ? `"${source}" line ${line}` : `line ${line}`;
    super(`Invalid glob "${error.glob}" in ${where}: ${error.reason}`, { cause: error });
    this.source = source;
    this.line = line;
    this.glob = error.glob;
  }
}

/** A line turned into what is matched, or undefined for a blank line or a comment. */
interface ParsedLine {
  original: string;
  glob: string;
  whitelist: boolean;
  dirOnly: boolean;
}

/** The line rules of `man gitignore`, as ripgrep 13's `GitignoreBuilder::add_line` applies them. */
function parseLine(line: string): ParsedLine | undefined {
  if (line.startsWith("#")) return undefined;
  // Trailing blanks go unless the last one is escaped. ripgrep trims every kind of blank
  // (git only spaces); rules end in tabs rarely enough that we follow ripgrep.
  if (!line.endsWith("\\ ")) line = line.trimEnd();
  if (line === "") return undefined;
  const original = line;
  let whitelist = false;
  let anchored = false;
  if (line.startsWith("\\!") || line.startsWith("\\#")) {
    line = line.slice(1);
  } else {
    if (line.startsWith("!")) {
      whitelist = true;
      line = line.slice(1);
    }
    if (line.startsWith("/")) {
      // A leading slash anchors the rule to the ignore file's folder; the glob itself is
      // matched against the path relative to that folder, so the slash is dropped.
      line = line.slice(1);
      anchored = true;
    }
  }
  let dirOnly = false;
  if (line.endsWith("/")) {
    dirOnly = true;
    line = line.slice(0, -1);
  }
  let glob = line;
  // A slash anywhere but at the end anchors too; otherwise the rule matches at any depth.
  if (!anchored && !line.includes("/") && !(glob.startsWith("**/") || glob === "**")) {
    glob = `**/${glob}`;
  }
  // `x/**` matches what is inside x, not x itself: globset's `x/**` would match x too.
  if (glob.endsWith("/**")) glob += "/*";
  return { original, glob, whitelist, dirOnly };
}

/**
 * The compiled globs of one rule list, answering "which is the last rule that matches?".
 *
 * Most rules are a bare name or `*.ext`; those are found by one Map lookup of the entry's
 * name or extension instead of running one expression per rule (globset's
 * BasenameLiteral and Extension strategies). The rest are tried from the last rule down,
 * stopping at the first match or once below the best index found so far.
 */
class RuleSet {
  readonly globs: Glob[] = [];
  readonly dirOnly: boolean[] = [];
  #built = true;
  #fileNames = new Map<string, number>();
  #dirNames = new Map<string, number>();
  #fileExts = new Map<string, number>();
  #dirExts = new Map<string, number>();
  #fileOthers: number[] = [];
  #dirOthers: number[] = [];

  get size(): number {
    return this.globs.length;
  }

  add(glob: Glob, dirOnly: boolean): void {
    this.globs.push(glob);
    this.dirOnly.push(dirOnly);
    this.#built = false;
  }

  #build(): void {
    this.#fileNames.clear();
    this.#dirNames.clear();
    this.#fileExts.clear();
    this.#dirExts.clear();
    this.#fileOthers = [];
    this.#dirOthers = [];
    // Later rules overwrite earlier ones in the maps, leaving the highest index.
    for (let i = 0; i < this.globs.length; i++) {
      const glob = this.globs[i];
      const forFiles = !this.dirOnly[i];
      if (glob.basename !== undefined) {
        this.#dirNames.set(glob.basename, i);
        if (forFiles) this.#fileNames.set(glob.basename, i);
      } else if (glob.extension !== undefined) {
        this.#dirExts.set(glob.extension, i);
        if (forFiles) this.#fileExts.set(glob.extension, i);
      } else {
        this.#dirOthers.unshift(i);
        if (forFiles) this.#fileOthers.unshift(i);
      }
    }
    this.#built = true;
  }

  /** The index of the last rule matching `path.slice(start)` whose last component is `name`, or -1. */
  match(path: string, start: number, name: string, isDir: boolean): number {
    if (!this.#built) this.#build();
    let best = -1;
    const names = isDir ? this.#dirNames : this.#fileNames;
    if (names.size !== 0) best = names.get(name) ?? -1;
    const exts = isDir ? this.#dirExts : this.#fileExts;
    if (exts.size !== 0) {
      const dot = name.lastIndexOf(".");
      if (dot !== -1) {
        const i = exts.get(dot === 0 ? name : name.slice(dot)) ?? -1;
        if (i > best) best = i;
      }
    }
    const others = isDir ? this.#dirOthers : this.#fileOthers;
    const nameStart = path.length - name.length;
    for (let k = 0; k < others.length; k++) {
      const i = others[k];
      if (i <= best) break;
      if (this.globs[i].testEntry(path, start, nameStart)) return i;
    }
    return best;
  }
}

function splitLines(text: string): string[] {
  // Git skips a UTF-8 byte order mark at the start of the file.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  // Rust's lines() drops the "\r" of a "\r\n" ending, so CRLF files read like LF ones.
  return lines.map((line) => line.endsWith("\r") ? line.slice(0, -1) : line);
}

function lastComponent(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * The rules of one ignore file (gitignore syntax), matched against paths relative to the
 * folder holding it. The last matching rule wins; `!` rules re-include.
 *
 * A walker that skips an ignored folder never sees what is inside it, which is why git
 * cannot re-include a file whose folder is excluded; `matched` answers for one path only.
 *
 * @example
 * ```ts
 * import { Gitignore } from "./ignore.ts";
 * import assert from "node:assert/strict";
 * const rules = new Gitignore("*.log\n!keep.log\n/build/\n");
 * assert.equal(rules.matched("logs/a.log", false), "ignore");
 * assert.equal(rules.matched("logs/keep.log", false), "whitelist");
 * assert.equal(rules.matched("build", true), "ignore");
 * assert.equal(rules.matched("build", false), "none");
 * assert.equal(rules.matched("src/build", true), "none");
 * ```
 */
export class Gitignore {
  /** The rules in file order. */
  readonly rules: GitignoreRule[] = [];
  /** Lines whose glob could not be parsed; they match nothing. */
  readonly errors: GitignoreSyntaxError[] = [];
  readonly #set = new RuleSet();
  readonly #caseInsensitive: boolean;
  readonly #source: string;

  /**
   * Reads the rules of one file.
   *
   * @param text The file's text.
   * @param options Case handling and where the text came from.
   */
  constructor(text = "", options: GitignoreOptions = {}) {
    this.#caseInsensitive = options.caseInsensitive ?? GITIGNORE_DEFAULTS.caseInsensitive;
    this.#source = options.source ?? GITIGNORE_DEFAULTS.source;
    const lines = splitLines(text);
    for (let i = 0; i < lines.length; i++) this.addLine(lines[i], i + 1);
  }

  /**
   * Adds one line, as if it followed the lines already read.
   *
   * @param line The line, without its newline.
   * @param lineNumber Its number, for error messages. @default one past the last rule
   * @returns The rule, or undefined for a blank line, a comment or a line that does not parse
   *   (which is recorded in {@linkcode Gitignore.errors}).
   */
  addLine(line: string, lineNumber = this.rules.length + 1): GitignoreRule | undefined {
    const parsed = parseLine(line);
    if (parsed === undefined) return undefined;
    let glob: Glob;
    try {
      glob = new Glob(parsed.glob, {
        literalSeparator: true,
        caseInsensitive: this.#caseInsensitive,
      });
    } catch (error) {
      if (!(error instanceof GlobSyntaxError)) throw error;
      this.errors.push(new GitignoreSyntaxError(this.#source, lineNumber, error));
      return undefined;
    }
    const rule = { ...parsed, line: lineNumber };
    this.rules.push(rule);
    this.#set.add(glob, parsed.dirOnly);
    return rule;
  }

  /** True when there are no rules, so nothing can match. */
  get isEmpty(): boolean {
    return this.rules.length === 0;
  }

  /**
   * What the rules say about a path.
   *
   * @param relPath The path relative to the ignore file's folder, with `/` separators.
   * @param isDir Whether it is a folder (rules ending in `/` match folders only).
   * @returns `ignore`, `whitelist` or `none`.
   */
  matched(relPath: string, isDir: boolean): IgnoreMatch {
    if (this.rules.length === 0) return "none";
    return this.matchEntry(relPath, 0, lastComponent(relPath), isDir);
  }

  /**
   * {@linkcode Gitignore.matched} for a walker, which matches `path.slice(start)` without
   * making that string and already knows the entry's name.
   *
   * @example
   * ```ts
   * import { Gitignore } from "./ignore.ts";
   * import assert from "node:assert/strict";
   * const rules = new Gitignore("/src/*.o\n");
   * assert.equal(rules.matchEntry("./repo/src/a.o", "./repo/".length, "a.o", false), "ignore");
   * ```
   *
   * @param path A path whose part from `start` is relative to the ignore file's folder.
   * @param start Where that part begins.
   * @param name The last component of `path`.
   * @param isDir Whether it is a folder.
   * @returns `ignore`, `whitelist` or `none`.
   */
  matchEntry(path: string, start: number, name: string, isDir: boolean): IgnoreMatch {
    const i = this.#set.match(path, start, name, isDir);
    if (i === -1) return "none";
    return this.rules[i].whitelist ? "whitelist" : "ignore";
  }
}

/** A `-g` glob with its own case handling, as `--iglob` gives. */
export interface OverrideGlob {
  /** The glob; a leading `!` excludes what it matches. */
  glob: string;
  /** Match regardless of case (`--iglob`). @default false */
  caseInsensitive?: boolean;
}

/** Options for {@linkcode Overrides}. */
export interface OverridesOptions {
  /**
   * The folder that globs with a slash are relative to: an absolute path below it is matched
   * from there, any other path as written (less a leading `./`). ripgrep uses the current
   * folder. @default Deno.cwd()
   */
  root?: string;
  /** Make every glob case-insensitive (rg `--glob-case-insensitive`). @default false */
  caseInsensitive?: boolean;
}

/**
 * ripgrep's `-g`/`--glob` and `--iglob` overrides. Each glob is a gitignore line with `!`
 * turned around: a plain glob includes what it matches, `!glob` excludes it; the last
 * matching glob wins. When at least one plain glob exists, a file matching none is
 * excluded; a folder never is, so the walk still looks inside it. A glob without `/`
 * matches the name at any depth; one with `/` matches the path from
 * {@linkcode OverridesOptions.root}.
 *
 * @example
 * ```ts
 * import { Overrides } from "./ignore.ts";
 * import assert from "node:assert/strict";
 * const globs = new Overrides(["*.ts", "!*_test.ts", { glob: "*.MD", caseInsensitive: true }]);
 * assert.equal(globs.matched("src/walk.ts", false), "whitelist");
 * assert.equal(globs.matched("src/walk_test.ts", false), "ignore");
 * assert.equal(globs.matched("README.md", false), "whitelist");
 * assert.equal(globs.matched("deno.json", false), "ignore");
 * assert.equal(globs.matched("src", true), "none");
 * ```
 */
export class Overrides {
  readonly #set = new RuleSet();
  readonly #whitelist: boolean[] = [];
  readonly #caseInsensitive: boolean;
  #root: string | undefined;
  #includes = 0;

  /**
   * Compiles the globs.
   *
   * @param globs The globs in command-line order: `-g` ones, then `--iglob` ones.
   * @param options The folder globs are relative to, and case handling.
   * @throws {GlobSyntaxError} When a glob cannot be parsed.
   */
  constructor(globs: readonly (string | OverrideGlob)[] = [], options: OverridesOptions = {}) {
    this.#root = options.root;
    this.#caseInsensitive = options.caseInsensitive ?? false;
    for (const glob of globs) {
      if (typeof glob === "string") this.add(glob);
      else this.add(glob.glob, glob.caseInsensitive);
    }
  }

  /**
   * Adds a glob after the others.
   *
   * @param glob The glob; a leading `!` excludes.
   * @param caseInsensitive Match regardless of case. @default false
   * @returns This, to chain.
   * @throws {GlobSyntaxError} When the glob cannot be parsed.
   */
  add(glob: string, caseInsensitive = false): this {
    // The same line rules as an ignore file, so `#x` is a comment and `/x` is anchored.
    const parsed = parseLine(glob);
    if (parsed === undefined) return this;
    const compiled = new Glob(parsed.glob, {
      literalSeparator: true,
      caseInsensitive: caseInsensitive || this.#caseInsensitive,
    });
    this.#set.add(compiled, parsed.dirOnly);
    // A gitignore `!` line whitelists; here it excludes, and a plain glob includes.
    this.#whitelist.push(!parsed.whitelist);
    if (!parsed.whitelist) this.#includes++;
    return this;
  }

  /** True when there are no globs. */
  get isEmpty(): boolean {
    return this.#set.size === 0;
  }

  /** True when some glob includes, so files that match no glob are excluded. */
  get hasIncludes(): boolean {
    return this.#includes > 0;
  }

  /**
   * Where the part of `path` that globs are matched against begins: after a leading `./`,
   * and after the root folder when `path` is absolute and below it.
   *
   * @example
   * ```ts
   * import { Overrides } from "./ignore.ts";
   * import assert from "node:assert/strict";
   * const globs = new Overrides(["src/*.ts"], { root: "/work" });
   * assert.equal(globs.offset("./src/a.ts"), 2);
   * assert.equal(globs.offset("/work/src/a.ts"), "/work/".length);
   * assert.equal(globs.offset("/elsewhere/a.ts"), 0);
   * ```
   *
   * @param path A path as a walker builds it.
   * @returns The offset.
   */
  offset(path: string): number {
    let start = path.startsWith("./") ? 2 : 0;
    if (path.charCodeAt(start) === 47) {
      const root = this.#rootPrefix();
      if (root !== "" && path.startsWith(root, start)) start += root.length;
    }
    return start;
  }

  #rootPrefix(): string {
    if (this.#root === undefined) {
      try {
        this.#root = Deno.cwd();
      } catch {
        // Without read permission there is no current folder to strip.
        this.#root = "";
      }
    }
    const root = this.#root;
    return root === "" || root.endsWith("/") ? root : `${root}/`;
  }

  /**
   * What the globs say about a path.
   *
   * @param path The path as the walker gives it (`./src/a.ts`, `src/a.ts` or absolute).
   * @param isDir Whether it is a folder.
   * @returns `whitelist` (included), `ignore` (excluded) or `none`.
   */
  matched(path: string, isDir: boolean): IgnoreMatch {
    if (this.isEmpty) return "none";
    return this.matchEntry(path, this.offset(path), lastComponent(path), isDir);
  }

  /**
   * {@linkcode Overrides.matched} for a walker, which knows the offset and the name.
   *
   * @param path The path.
   * @param start Where the part to match begins (see {@linkcode Overrides.offset}).
   * @param name The last component of `path`.
   * @param isDir Whether it is a folder.
   * @returns `whitelist`, `ignore` or `none`.
   */
  matchEntry(path: string, start: number, name: string, isDir: boolean): IgnoreMatch {
    const i = this.#set.match(path, start, name, isDir);
    if (i !== -1) return this.#whitelist[i] ? "whitelist" : "ignore";
    return this.#includes > 0 && !isDir ? "ignore" : "none";
  }
}

function readText(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    // Without env permission, as if unset.
    return undefined;
  }
}

/** `core.excludesFile` from git config text, the way ripgrep reads it: one regex, no INI parser. */
function excludesFileFrom(config: string | undefined): string | undefined {
  if (config === undefined) return undefined;
  return /^\s*excludesfile\s*=\s*"?\s*(\S+?)\s*"?\s*$/im.exec(config)?.[1];
}

/** Options for {@linkcode globalExcludesFile}, which tests replace. */
export interface GlobalExcludesFileOptions {
  /** Reads an environment variable. @default Deno.env.get */
  env?: (name: string) => string | undefined;
  /** Reads a file's text, or undefined when it cannot. @default Deno.readTextFileSync */
  readTextFile?: (path: string) => string | undefined;
}

/**
 * The path of git's global excludes file, as ripgrep 13 finds it: `core.excludesFile` from
 * `~/.gitconfig`, else from `$XDG_CONFIG_HOME/git/config` (`~/.config/git/config`), else
 * `$XDG_CONFIG_HOME/git/ignore` (`~/.config/git/ignore`). A `~` in the setting is the home
 * folder.
 *
 * @example
 * ```ts
 * import { globalExcludesFile } from "./ignore.ts";
 * import assert from "node:assert/strict";
 * const vars: Record<string, string> = { HOME: "/home/a" };
 * const env = (name: string) => vars[name];
 * assert.equal(globalExcludesFile({ env, readTextFile: () => undefined }), "/home/a/.config/git/ignore");
 * const readTextFile = (path: string) =>
 *   path === "/home/a/.gitconfig" ? "[core]\n\texcludesFile = ~/.ign\n" : undefined;
 * assert.equal(globalExcludesFile({ env, readTextFile }), "/home/a/.ign");
 * ```
 *
 * @param options Where environment variables and files are read from.
 * @returns The file's path (it may not exist), or undefined without a home folder.
 */
export function globalExcludesFile(options: GlobalExcludesFileOptions = {}): string | undefined {
  const getEnv = options.env ?? env;
  const read = options.readTextFile ?? readText;
  const home = getEnv("HOME") || getEnv("USERPROFILE") || undefined;
  const xdg = getEnv("XDG_CONFIG_HOME") || (home === undefined ? undefined : `${home}/.config`);
  const fromConfig = (path: string) => {
    const found = excludesFileFrom(read(path));
    return found === undefined || home === undefined ? found : found.replaceAll("~", home);
  };
  // ~/.gitconfig wins over the XDG config, as in git.
  const path = home === undefined ? undefined : fromConfig(`${home}/.gitconfig`);
  if (path !== undefined) return path;
  if (xdg === undefined) return undefined;
  return fromConfig(`${xdg}/git/config`) ?? `${xdg}/git/ignore`;
}
