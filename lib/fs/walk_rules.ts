/**
 * The ignore rules of one walk root, shared by the sequential walker ({@linkcode walkSync}
 * in `walk.ts`) and the parallel one (`walk_parallel.ts`): which ignore files are in scope
 * for a folder's entries, and whether an entry is skipped. Both walkers decide every entry
 * through these functions, so the parallel walk cannot drift from the sequential one, which
 * stays the reference it is tested against.
 *
 * @module
 */

import { describeOsError } from "../cli/error.ts";
import { Gitignore, globalExcludesFile, type IgnoreMatch, type Overrides } from "./ignore.ts";
import type { DirEntry } from "./read_dir.ts";
// A cycle with walk.ts, safe: WalkError is used only once a walk runs, after both loaded.
import { WalkError, type WalkOptions } from "./walk.ts";

/**
 * One ignore file in scope for a folder's entries. `start` is where, in an entry's path,
 * the part relative to the ignore file's folder begins; -1 when that part is not inside the
 * path (a parent folder of a relative root) and is `prefix` plus the root-relative part.
 */
interface Scoped {
  rules: Gitignore;
  start: number;
  prefix: string;
}

/**
 * The ignore files in scope for the entries of one folder, nearest folder first, by kind.
 * ripgrep asks each kind in turn (custom names, `.ignore`, `.gitignore`, exclude) and
 * within a kind takes the nearest folder whose file has a matching rule.
 */
export interface Scope {
  custom: Scoped[];
  dot: Scoped[];
  git: Scoped[];
  exclude: Scoped[];
  /** Whether this folder or one above it has `.git` (always true without requireGit). */
  anyGit: boolean;
  /** Whether any rule can apply, so entries of a tree without ignore files skip the lookup. */
  active: boolean;
}

/** How a folder holds `.git`: not at all, as a folder, or as a file (a linked worktree). */
export type GitKind = "none" | "dir" | "file";

/**
 * What a folder's listing said about its ignore files: the names present and its `.git`.
 * This is all another thread needs to rebuild the folder's rules without listing it again.
 */
export interface FolderIgnores {
  /** The folder's path with a trailing `/`. */
  prefix: string;
  /** The ignore file names present (`.gitignore`, `.ignore`, custom names). */
  names: string[];
  /** Its `.git`. */
  git: GitKind;
}

/** The ignore files found in one folder. */
interface FolderRules {
  custom: Gitignore[];
  dot: Gitignore | undefined;
  git: Gitignore | undefined;
  exclude: Gitignore | undefined;
  hasGit: boolean;
}

function scoped(rules: Gitignore[], start: number, prefix: string): Scoped[] {
  return rules.filter((r) => !r.isEmpty).map((r) => ({ rules: r, start, prefix }));
}

/** The scope for a folder's entries, sharing its parent's lists when it adds nothing. */
function childScope(
  parent: Scope,
  own: FolderRules,
  start: number,
  prefix: string,
  hasGlobal: boolean,
): Scope {
  const custom = scoped(own.custom.toReversed(), start, prefix);
  const dot = scoped(own.dot ? [own.dot] : [], start, prefix);
  const git = scoped(own.git ? [own.git] : [], start, prefix);
  const exclude = scoped(own.exclude ? [own.exclude] : [], start, prefix);
  if (
    custom.length === 0 && dot.length === 0 && git.length === 0 && exclude.length === 0 &&
    !own.hasGit
  ) return parent;
  // A repository's root cuts off the .gitignore and exclude files of the folders above it.
  const scope = {
    custom: custom.length === 0 ? parent.custom : [...custom, ...parent.custom],
    dot: dot.length === 0 ? parent.dot : [...dot, ...parent.dot],
    git: own.hasGit ? git : git.length === 0 ? parent.git : [...git, ...parent.git],
    exclude: own.hasGit
      ? exclude
      : exclude.length === 0
      ? parent.exclude
      : [...exclude, ...parent.exclude],
    anyGit: parent.anyGit || own.hasGit,
    active: parent.active,
  };
  scope.active ||= scope.custom.length + scope.dot.length > 0 ||
    (scope.anyGit && (hasGlobal || scope.git.length + scope.exclude.length > 0));
  return scope;
}

function readText(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    // ripgrep drops I/O errors on ignore files: a vanished or unreadable one means no rules.
    return undefined;
  }
}

/**
 * The git folder holding `info/exclude` for a folder with a `.git`: `.git` itself, or for a
 * linked worktree (a `.git` file saying `gitdir: X`) the common folder named in X/commondir.
 */
function gitCommonDir(dir: string, dotGitIsFile: boolean): string | undefined {
  const dotGit = `${dir}/.git`;
  if (!dotGitIsFile) return dotGit;
  const first = readText(dotGit)?.split("\n")[0];
  if (first === undefined || !first.startsWith("gitdir: ")) return undefined;
  const gitDir = first.slice("gitdir: ".length);
  const common = readText(`${gitDir}/commondir`)?.split("\n")[0];
  if (common === undefined) return undefined;
  return common.startsWith(".") ? `${gitDir}/${common}` : common;
}

/** Turns a failed system call into a {@linkcode WalkError} in kit's wording. */
export function ioError(error: unknown, path: string): WalkError {
  const message = error instanceof Error ? describeOsError(error.message) : String(error);
  return new WalkError(message, path, { cause: error });
}

/** A listed entry once a link is followed: a folder, a file, and the stat when one was made. */
export interface ResolvedEntry {
  /** A folder (a followed link to one included). */
  isDir: boolean;
  /** A file (a followed link to one included). */
  isFile: boolean;
  /** The followed link's stat. */
  info?: Deno.FileInfo;
}

/**
 * What a listed entry is for the walk. A link is followed only with `followLinks`, as ripgrep's
 * `-L` does (unfollowed links are neither files nor folders: never searched); a followed link to
 * a folder that is already being walked is a loop, reported and skipped.
 *
 * @param entry The listing's entry.
 * @param path Its path.
 * @param followLinks Whether links are followed.
 * @param walkedAs The path of a folder being walked with that device and inode, if any.
 * @param onError Where a failed stat or a loop is reported.
 * @returns The entry, or undefined when it is skipped.
 */
export function resolveEntry(
  entry: DirEntry,
  path: string,
  followLinks: boolean,
  walkedAs: (dev: number, ino: number) => string | undefined,
  onError: (error: WalkError) => void,
): ResolvedEntry | undefined {
  if (!entry.isSymlink) return { isDir: entry.isDirectory, isFile: entry.isFile };
  if (!followLinks) return undefined;
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (error) {
    onError(ioError(error, path));
    return undefined;
  }
  if (info.isDirectory) {
    const ancestor = walkedAs(info.dev, info.ino ?? 0);
    if (ancestor !== undefined) {
      onError(loopError(path, ancestor));
      return undefined;
    }
  }
  return { isDir: info.isDirectory, isFile: info.isFile, info };
}

/**
 * Whether a file is over `--max-filesize`. As ripgrep: a file it cannot stat is not skipped for
 * its size.
 *
 * @param path The file.
 * @param info Its stat, when one was made.
 * @param maxFilesize The limit in bytes (Infinity: none).
 * @returns The answer.
 */
export function overMaxFilesize(
  path: string,
  info: Deno.FileInfo | undefined,
  maxFilesize: number,
): boolean {
  if (maxFilesize === Infinity) return false;
  try {
    return (info ?? Deno.statSync(path)).size > maxFilesize;
  } catch {
    return false;
  }
}

/** The error for a followed link that leads back to a folder being walked. */
export function loopError(path: string, ancestor: string): WalkError {
  return new WalkError(
    `Cannot follow "${path}": it points to its ancestor "${ancestor}"`,
    path,
    { kind: "loop" },
  );
}

/** The rules of one walk root, from {@linkcode walkRules}. */
export interface WalkRules {
  /** The scope of the root folder's own entries before the root's ignore files are read. */
  rootScope: Scope;
  /** The root as written with a trailing `/`. */
  rootPrefix: string;
  /**
   * What a folder's listing says about its ignore files, or undefined when it holds none
   * (and no `.git`), so its entries share the parent's scope.
   */
  ignoresOf(prefix: string, entries: DirEntry[]): FolderIgnores | undefined;
  /**
   * The scope of a folder's entries: the parent's plus the folder's own ignore files.
   * `quiet` leaves bad rules unreported, for a thread rebuilding a folder another listed.
   */
  scopeOf(parent: Scope, own: FolderIgnores, quiet?: boolean): Scope;
  /** ripgrep's `Ignore::matched`: overrides, ignore files, file types, then hidden. */
  skip(path: string, name: string, isDir: boolean, scope: Scope): boolean;
}

/** {@linkcode WalkOptions} with every default filled in. */
export interface ResolvedWalkOptions {
  hidden: boolean;
  gitIgnore: boolean;
  gitExclude: boolean;
  gitGlobal: boolean;
  gitGlobalFile: string | undefined;
  dotIgnore: boolean;
  customNames: string[];
  ignoreFiles: string[];
  parents: boolean;
  requireGit: boolean;
  maxDepth: number;
  followLinks: boolean;
  maxFilesize: number;
  sort: boolean;
  overrides: Overrides | undefined;
  filter: WalkOptions["filter"];
  onError: (error: WalkError) => void;
}

/** Fills in the defaults of {@linkcode WalkOptions}. */
export function resolveWalkOptions(options: WalkOptions): ResolvedWalkOptions {
  const dotIgnore = options.dotIgnore ?? true;
  return {
    hidden: options.hidden ?? false,
    gitIgnore: options.gitIgnore ?? true,
    gitExclude: options.gitExclude ?? true,
    gitGlobal: options.gitGlobal ?? true,
    gitGlobalFile: options.gitGlobalFile,
    dotIgnore,
    customNames: (options.customIgnore ?? dotIgnore) ? options.ignoreFileNames ?? [] : [],
    ignoreFiles: options.ignoreFiles ?? [],
    parents: options.parents ?? true,
    requireGit: options.requireGit ?? true,
    maxDepth: options.maxDepth ?? Infinity,
    followLinks: options.followLinks ?? false,
    maxFilesize: options.maxFilesize ?? Infinity,
    sort: options.sort ?? false,
    overrides: options.overrides?.isEmpty === false ? options.overrides : undefined,
    filter: options.filter,
    onError: options.onError ?? (() => {}),
  };
}

/**
 * Reads what applies to a whole walk of `root` (git's global excludes file, `ignoreFiles`,
 * the ignore files of the root's parent folders) and returns the functions that decide each
 * entry. `quietSetup` leaves the problems of that setup unreported, for every thread of a
 * parallel walk but the one that reports them.
 *
 * @param root The folder walked, as written.
 * @param o The walk's options with defaults filled in.
 * @param quietSetup Report no errors while reading the walk-wide files.
 * @returns The rules.
 */
export function walkRules(root: string, o: ResolvedWalkOptions, quietSetup = false): WalkRules {
  const { customNames, overrides, filter, hidden, dotIgnore, gitIgnore, gitExclude } = o;
  const onError = o.onError;
  const rootPrefix = root.endsWith("/") ? root : `${root}/`;

  function rulesOf(
    text: string | undefined,
    source: string,
    quiet: boolean,
  ): Gitignore | undefined {
    if (text === undefined) return undefined;
    const rules = new Gitignore(text, { source });
    for (const error of quiet ? [] : rules.errors) {
      onError(new WalkError(error.message, source, { kind: "ignore", cause: error }));
    }
    return rules.isEmpty ? undefined : rules;
  }

  // The global excludes file and --ignore-file rules apply to every entry.
  const global = o.gitGlobal
    ? (() => {
      const path = o.gitGlobalFile ?? globalExcludesFile();
      // ripgrep logs the global file's bad lines at debug level only; so stay quiet.
      return path === undefined ? undefined : rulesOf(readText(path), path, true);
    })()
    : undefined;
  const explicit: Gitignore[] = [];
  for (const path of o.ignoreFiles) {
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch (error) {
      if (!quietSetup) onError(ioError(error, path));
      continue;
    }
    const rules = rulesOf(text, path, quietSetup);
    if (rules) explicit.unshift(rules);
  }

  /** Reads the ignore files of a folder, given which of them exist. */
  function folderRules(
    dir: string,
    has: (name: string) => boolean,
    git: GitKind,
    quiet: boolean,
  ): FolderRules {
    const own: FolderRules = {
      custom: [],
      dot: undefined,
      git: undefined,
      exclude: undefined,
      hasGit: git !== "none",
    };
    for (const name of customNames) {
      if (!has(name)) continue;
      const rules = rulesOf(readText(`${dir}/${name}`), `${dir}/${name}`, quiet);
      if (rules) own.custom.push(rules);
    }
    if (dotIgnore && has(".ignore")) {
      own.dot = rulesOf(readText(`${dir}/.ignore`), `${dir}/.ignore`, quiet);
    }
    if (gitIgnore && has(".gitignore")) {
      own.git = rulesOf(readText(`${dir}/.gitignore`), `${dir}/.gitignore`, quiet);
    }
    if (gitExclude && git !== "none") {
      const common = gitCommonDir(dir, git === "file");
      if (common !== undefined) {
        const path = `${common}/info/exclude`;
        own.exclude = rulesOf(readText(path), path, quiet);
      }
    }
    return own;
  }

  // The global excludes file and --ignore-file rules make every scope active.
  let rootScope: Scope = {
    custom: [],
    dot: [],
    git: [],
    exclude: [],
    anyGit: !o.requireGit,
    active: explicit.length > 0 || (global !== undefined && !o.requireGit),
  };

  // The parent folders of the root: their ignore files (with `parents`), and whether one of
  // them is a repository, which decides whether git's rules apply at all.
  if (o.parents || gitIgnore || gitExclude || o.gitGlobal) {
    let canonical: string | undefined;
    try {
      canonical = Deno.realPathSync(root);
    } catch { /* as ripgrep: without a canonical path, no parent rules */ }
    if (canonical !== undefined && canonical !== "/") {
      const chain: string[] = [];
      for (let at = canonical.lastIndexOf("/"); at >= 0; at = canonical.lastIndexOf("/", at - 1)) {
        chain.unshift(at === 0 ? "/" : canonical.slice(0, at));
        if (at === 0) break;
      }
      for (const dir of chain) {
        const below = canonical.slice(dir === "/" ? 1 : dir.length + 1) + "/";
        // Matching from inside the entry's own path avoids a string per entry; that works
        // when the root as written ends with the same components.
        const start = rootPrefix.endsWith(`/${below}`)
          ? rootPrefix.length - below.length
          : rootPrefix === below
          ? 0
          : -1;
        let git: GitKind = "none";
        try {
          const info = Deno.statSync(`${dir === "/" ? "" : dir}/.git`);
          git = info.isFile ? "file" : "dir";
        } catch { /* not a repository */ }
        const base = dir === "/" ? "" : dir;
        // Without a listing, every ignore file is simply tried: a missing one reads as none.
        const own = o.parents ? folderRules(base, () => true, git, quietSetup) : {
          custom: [],
          dot: undefined,
          git: undefined,
          exclude: undefined,
          hasGit: git !== "none",
        };
        rootScope = childScope(rootScope, own, start, below, global !== undefined);
      }
    }
  }

  // ripgrep 13 matches the global and --ignore-file rules against the path as written, less
  // a leading `./` or `/`: relative to the current folder for a relative root, to `/` for
  // an absolute one.
  const globalStart = rootPrefix.startsWith("./") ? 2 : rootPrefix.startsWith("/") ? 1 : 0;
  const overrideStart = overrides?.offset(rootPrefix) ?? 0;
  const relStart = rootPrefix.length;

  function chain(list: Scoped[], path: string, name: string, isDir: boolean): IgnoreMatch {
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      const m = s.start >= 0
        ? s.rules.matchEntry(path, s.start, name, isDir)
        : s.rules.matchEntry(s.prefix + path.slice(relStart), 0, name, isDir);
      if (m !== "none") return m;
    }
    return "none";
  }

  /** ripgrep's `Ignore::matched_ignore`: the first kind that has a say decides. */
  function ignoreRules(path: string, name: string, isDir: boolean, scope: Scope): IgnoreMatch {
    let m = chain(scope.custom, path, name, isDir);
    if (m !== "none") return m;
    m = chain(scope.dot, path, name, isDir);
    if (m !== "none") return m;
    if (scope.anyGit) {
      m = chain(scope.git, path, name, isDir);
      if (m !== "none") return m;
      m = chain(scope.exclude, path, name, isDir);
      if (m !== "none") return m;
      if (global !== undefined) {
        m = global.matchEntry(path, globalStart, name, isDir);
        if (m !== "none") return m;
      }
    }
    for (let i = 0; i < explicit.length; i++) {
      m = explicit[i].matchEntry(path, globalStart, name, isDir);
      if (m !== "none") return m;
    }
    return "none";
  }

  function skip(path: string, name: string, isDir: boolean, scope: Scope): boolean {
    if (overrides !== undefined) {
      const m = overrides.matchEntry(path, overrideStart, name, isDir);
      if (m === "ignore") return true;
      if (m === "whitelist") return false;
    }
    let whitelisted = false;
    if (scope.active) {
      const m = ignoreRules(path, name, isDir, scope);
      if (m === "ignore") return true;
      whitelisted = m === "whitelist";
    }
    if (!isDir && filter !== undefined) {
      const f = filter(path, name);
      if (f === "exclude") return true;
      if (f === "include") whitelisted = true;
    }
    return !whitelisted && !hidden && name.charCodeAt(0) === 46;
  }

  function ignoresOf(prefix: string, entries: DirEntry[]): FolderIgnores | undefined {
    // The listing says which ignore files exist, so none is looked for in vain.
    let git: GitKind = "none";
    let names: string[] | undefined;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const name = entry.name;
      if (name.charCodeAt(0) !== 46) continue;
      if (name === ".git") {
        git = entry.isFile ? "file" : "dir";
        if (entry.isSymlink) {
          try {
            git = Deno.statSync(`${prefix}.git`).isFile ? "file" : "dir";
          } catch {
            git = "none";
          }
        }
      } else if (name === ".gitignore" || name === ".ignore" || customNames.includes(name)) {
        (names ??= []).push(name);
      }
    }
    if (names === undefined && git === "none") return undefined;
    return { prefix, names: names ?? [], git };
  }

  function scopeOf(parent: Scope, own: FolderIgnores, quiet = false): Scope {
    const rules = folderRules(
      own.prefix.slice(0, -1),
      (n) => own.names.includes(n),
      own.git,
      quiet,
    );
    return childScope(parent, rules, own.prefix.length, "", global !== undefined);
  }

  return { rootScope, rootPrefix, ignoresOf, scopeOf, skip };
}

/** Compares names by UTF-16 units, which is UTF-8 byte order for most names. */
function compareUnits(a: DirEntry, b: DirEntry): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Compares names by UTF-8 bytes, which is code point order, not UTF-16 unit order. */
function compareNames(a: DirEntry, b: DirEntry): number {
  const x = a.name;
  const y = b.name;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    let p = x.charCodeAt(i);
    let q = y.charCodeAt(i);
    if (p === q) continue;
    // Surrogates (astral characters) sort after every other BMP unit in code point order.
    if (p >= 0xd800 && q >= 0xd800) {
      p = p >= 0xe000 ? p - 0x800 : p + 0x2000;
      q = q >= 0xe000 ? q - 0x800 : q + 0x2000;
    }
    return p - q;
  }
  return x.length - y.length;
}

const WIDE = /[\ud800-\uffff]/;

/** Sorts a listing by name in UTF-8 byte order, as `rg --sort path` visits it. */
export function sortEntries(entries: DirEntry[]): void {
  // UTF-16 order differs from byte order only between an astral character (a surrogate
  // pair) and one from U+E000 up; the native comparison is much faster, so it is used
  // unless a name holds such characters.
  const wide = entries.some((entry) => WIDE.test(entry.name));
  entries.sort(wide ? compareNames : compareUnits);
}
