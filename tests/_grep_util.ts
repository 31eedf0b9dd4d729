/**
 * Helpers for `tests/grep_test.ts`: run ripgrep and `kit grep` side by side on the same tree,
 * with the same arguments and the same sandboxed environment, and compare what they print.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "./_util.ts";

/** What one process produced; stdout is kept as bytes so binary output compares exactly. */
export interface RunResult {
  /** Exit code. */
  code: number;
  /** Standard output, raw. */
  bytes: Uint8Array;
  /** Standard output, decoded as UTF-8 (lossy). */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** One case run by both programs. */
export interface Pair {
  /** The arguments both got. */
  args: string[];
  /** ripgrep's result. */
  rg: RunResult;
  /** kit grep's result. */
  kit: RunResult;
}

/** Options for one run. */
export interface RunOptions {
  /** Working directory, relative to the world's tree folder or absolute. @default the tree */
  cwd?: string;
  /** Bytes for standard input. @default none (stdin is /dev/null, so a folder is searched) */
  stdin?: string | Uint8Array;
  /** Extra environment variables (a value of `undefined` removes one). */
  env?: Record<string, string | undefined>;
  /**
   * Run bound by permission bits even as root: `setpriv` drops CAP_DAC_OVERRIDE and
   * CAP_DAC_READ_SEARCH, so a chmod 000 file or folder is unreadable to the program as it is
   * to any user. Nothing changes for other users.
   */
  obeyPermissions?: boolean;
}

const IS_ROOT = Deno.uid() === 0;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

async function run(
  program: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  stdin: string | Uint8Array | undefined,
  obeyPermissions = false,
): Promise<RunResult> {
  if (obeyPermissions && IS_ROOT) {
    args = ["--bounding-set=-dac_override,-dac_read_search", program, ...args];
    program = "setpriv";
  }
  const child = new Deno.Command(program, {
    args,
    cwd,
    env,
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    try {
      await writer.write(typeof stdin === "string" ? encoder.encode(stdin) : stdin);
      await writer.close();
    } catch (error) {
      // A program that does not read its stdin (--files, an early exit) may close it first.
      if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    }
  }
  const out = await child.output();
  return {
    code: out.code,
    bytes: out.stdout,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}

/**
 * A temporary world: a sandboxed HOME (with XDG folders and its own git config) and a `tree`
 * folder beside it that holds the fixtures, so HOME's dotfiles never show up in a search.
 */
export class GrepWorld {
  /** The temporary root; HOME is `<root>/home`. */
  readonly root: string;
  /** The fixture folder, `<root>/tree`; runs start here unless told otherwise. */
  readonly tree: string;
  /** The environment both programs get (nothing else of this process leaks in). */
  readonly env: Record<string, string>;

  private constructor(root: string) {
    this.root = root;
    this.tree = join(root, "tree");
    const home = join(root, "home");
    this.env = {
      HOME: home,
      XDG_CONFIG_HOME: join(home, ".config"),
      XDG_DATA_HOME: join(home, ".local/share"),
      XDG_CACHE_HOME: join(home, ".cache"),
      TZ: "UTC",
      NO_COLOR: "1",
      LC_ALL: "C.UTF-8",
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      DENO_DIR: Deno.env.get("DENO_DIR") ?? denoDir(),
      // git must not read the real user's or the system's configuration either.
      GIT_CONFIG_NOSYSTEM: "1",
    };
  }

  /** Makes a world with empty `home` and `tree` folders. */
  static async create(): Promise<GrepWorld> {
    const root = await Deno.makeTempDir({ prefix: "kit-grep-test-" });
    await Deno.mkdir(join(root, "home/.config"), { recursive: true });
    await Deno.mkdir(join(root, "tree"), { recursive: true });
    return new GrepWorld(root);
  }

  /** An absolute path inside the tree. */
  path(rel: string): string {
    return rel.startsWith("/") ? rel : join(this.tree, rel);
  }

  /** Writes files relative to the tree (a leading `~/` means relative to HOME). */
  async write(files: Record<string, string | Uint8Array>): Promise<void> {
    for (const [rel, data] of Object.entries(files)) {
      const full = rel.startsWith("~/") ? join(this.env.HOME, rel.slice(2)) : this.path(rel);
      await Deno.mkdir(join(full, ".."), { recursive: true });
      if (typeof data === "string") await Deno.writeTextFile(full, data);
      else await Deno.writeFile(full, data);
    }
  }

  /** Runs a system tool (git, gzip, iconv…) in the tree and fails the test if it fails. */
  async sh(program: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    const r = await run(program, args, this.path(options.cwd ?? "."), this.env, options.stdin);
    assert.equal(r.code, 0, `${program} ${args.join(" ")} failed: ${r.stderr}`);
    return r;
  }

  /** `git init -q` in a folder of the tree (ripgrep honours .gitignore only inside a repo). */
  async gitInit(dir = "."): Promise<void> {
    await Deno.mkdir(this.path(dir), { recursive: true });
    await this.sh("git", ["init", "-q"], { cwd: dir });
  }

  #env(extra: RunOptions["env"]): Record<string, string> {
    const env = { ...this.env };
    for (const [k, v] of Object.entries(extra ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    return env;
  }

  /** Runs `rg args...`. */
  rg(args: string[], options: RunOptions = {}): Promise<RunResult> {
    return run(
      "rg",
      args,
      this.path(options.cwd ?? "."),
      this.#env(options.env),
      options.stdin,
      options.obeyPermissions,
    );
  }

  /** Runs `kit grep args...` (`deno run -A main.ts grep args...`). */
  kit(args: string[], options: RunOptions = {}): Promise<RunResult> {
    return run(
      Deno.execPath(),
      ["run", "--allow-all", "--quiet", join(ROOT, "main.ts"), "grep", ...args],
      this.path(options.cwd ?? "."),
      this.#env(options.env),
      options.stdin,
      options.obeyPermissions,
    );
  }

  /** Runs both with the same arguments, options and environment. */
  async both(args: string[], options: RunOptions = {}): Promise<Pair> {
    const [rg, kit] = await Promise.all([this.rg(args, options), this.kit(args, options)]);
    return { args, rg, kit };
  }

  /** Removes the world. */
  async cleanup(): Promise<void> {
    await Deno.chmod(this.root, 0o755).catch(() => {});
    await Deno.remove(this.root, { recursive: true });
  }
}

/**
 * Runs `fn` in a fresh {@linkcode GrepWorld}, removed afterwards.
 *
 * @param fn The test.
 */
export async function inWorld(fn: (w: GrepWorld) => Promise<void>): Promise<void> {
  const w = await GrepWorld.create();
  try {
    await fn(w);
  } finally {
    await w.cleanup();
  }
}

function denoDir(): string {
  const home = Deno.env.get("HOME") ?? "/root";
  return Deno.build.os === "darwin"
    ? join(home, "Library/Caches/deno")
    : join(Deno.env.get("XDG_CACHE_HOME") ?? join(home, ".cache"), "deno");
}

/** How {@linkcode assertSame} compares a pair. */
export interface CompareOptions {
  /**
   * What stderr must look like: "same-emptiness" (both empty or both not; the wording differs,
   * kit prints `kit grep: ...`), or "ignore".
   * @default "same-emptiness"
   */
  stderr?: "same-emptiness" | "ignore";
  /** Rewrites each stdout before comparing (e.g. drops timing lines). */
  normalize?: (stdout: string) => string;
  /** Sorts stdout's lines before comparing, for output whose order ripgrep leaves open. */
  sortLines?: boolean;
}

/** Shows two texts' first difference: the line number and both versions of that line. */
export function firstDifference(expected: string, actual: string): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      const show = (s: string | undefined) =>
        s === undefined ? "(no line)" : JSON.stringify(s.length > 300 ? s.slice(0, 300) + "…" : s);
      return `first difference at stdout line ${i + 1}:\n  rg:  ${show(a[i])}\n  kit: ${
        show(b[i])
      }`;
    }
  }
  return "texts are equal";
}

function clip(s: string, n = 2000): string {
  return s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Asserts that kit grep behaved as ripgrep did: same exit code, same stdout (byte for byte
 * unless normalized), and stderr empty for both or for neither.
 */
export function assertSame(pair: Pair, options: CompareOptions = {}): void {
  const { rg, kit } = pair;
  const where = `args: ${JSON.stringify(pair.args)}`;
  let same: boolean;
  let expected = rg.stdout;
  let actual = kit.stdout;
  if (options.normalize || options.sortLines) {
    if (options.normalize) {
      expected = options.normalize(expected);
      actual = options.normalize(actual);
    }
    if (options.sortLines) {
      expected = expected.split("\n").sort().join("\n");
      actual = actual.split("\n").sort().join("\n");
    }
    same = expected === actual;
  } else {
    same = sameBytes(rg.bytes, kit.bytes);
  }
  if (!same) {
    assert.fail(
      `stdout differs; ${where}\n${firstDifference(expected, actual)}\n--- rg stdout ---\n${
        clip(expected)
      }\n--- kit stdout ---\n${clip(actual)}\n--- rg stderr ---\n${clip(rg.stderr)}` +
        `\n--- kit stderr ---\n${clip(kit.stderr)}`,
    );
  }
  assert.equal(
    kit.code,
    rg.code,
    `exit codes differ; ${where}\nrg stderr: ${rg.stderr}\nkit stderr: ${kit.stderr}`,
  );
  if ((options.stderr ?? "same-emptiness") === "same-emptiness") {
    assert.equal(
      kit.stderr === "",
      rg.stderr === "",
      `one stderr is empty and the other is not; ${where}\nrg stderr: ${
        JSON.stringify(rg.stderr)
      }\nkit stderr: ${JSON.stringify(kit.stderr)}`,
    );
  }
}

/** Runs async jobs with at most `limit` at a time, keeping their order. */
export async function pooled<T>(jobs: (() => Promise<T>)[], limit = 3): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/** One row of a comparison table. */
export interface Case extends RunOptions, CompareOptions {
  /** The arguments after `rg` / `kit grep`. */
  args: string[];
  /** The step's name. @default the arguments */
  name?: string;
  /**
   * Set when rg 13's behaviour looks accidental (changed in later ripgrep, or an artefact of how
   * it streams). The case still runs, so the test stays honest; the note names it in the output.
   */
  quirk?: string;
}

/**
 * Runs a table of cases through both programs (a few processes at a time), then checks each
 * in its own `t.step`, so one divergence does not hide the others.
 */
export async function compareTable(
  t: Deno.TestContext,
  world: GrepWorld,
  cases: Case[],
): Promise<void> {
  const pairs = await pooled(cases.map((c) => () => world.both(c.args, c)));
  for (const [i, c] of cases.entries()) {
    const name = c.name ?? `rg ${c.args.map(quote).join(" ")}`;
    await t.step(
      c.quirk ? `${name} [rg 13 quirk: ${c.quirk}]` : name,
      () => assertSame(pairs[i], c),
    );
  }
}

/** Quotes an argument the way a shell user would type it, for step names. */
export function quote(arg: string): string {
  return /^[\w./=:,+@%-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** Drops the two timing lines of `--stats` ("… seconds spent searching", "… seconds"). */
export function withoutTimings(stdout: string): string {
  return stdout.split("\n").filter((l) => !/^\d+\.\d+ seconds( spent searching)?$/.test(l))
    .join("\n");
}

/**
 * Parses `--json` output and deletes `elapsed`/`elapsed_total` everywhere, returning one
 * JSON text per line so that a difference points at the right message.
 */
export function jsonWithoutElapsed(stdout: string): string {
  return jsonWithout(stdout, ["elapsed", "elapsed_total"]);
}

/**
 * {@linkcode jsonWithoutElapsed}, also without `bytes_searched`: rg 13 counts only the bytes
 * it had read when it stopped (at `-m`, at a NUL byte), kit the file's size.
 */
export function jsonWithoutBytesSearched(stdout: string): string {
  return jsonWithout(stdout, ["elapsed", "elapsed_total", "bytes_searched"]);
}

function jsonWithout(stdout: string, drop: string[]): string {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      // Keys sorted: objects are compared, not their key order.
      for (const k of Object.keys(v).sort()) {
        if (!drop.includes(k)) {
          out[k] = strip((v as Record<string, unknown>)[k]);
        }
      }
      return out;
    }
    return v;
  };
  return stdout.split("\n").filter((l) => l !== "").map((l) => {
    try {
      return JSON.stringify(strip(JSON.parse(l)));
    } catch {
      return `not JSON: ${l}`;
    }
  }).join("\n");
}
