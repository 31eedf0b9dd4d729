/**
 * Command-line parsing from one declarative command tree, which also gives help text and
 * shell completions.
 *
 * Stage one of kit's two-stage arguments: argv in, plain values out, no I/O. Kept small and
 * here rather than in a package because loading a general-purpose parser and the Node
 * built-ins it pulls in costs ~25 ms at every start, a sixth of what `kit notes list` may take.
 *
 * @module
 */

import { CliError, ExitCode } from "./error.ts";

/** A flag. */
export interface OptionSpec {
  /** `"-t, --tag <tag>"`, `"--json"`, `"-n, --limit <n>"`; `<x>` means it takes a value. */
  flags: string;
  /** One line for help. */
  description: string;
  /** Collect every use into an array. @default false */
  repeat?: boolean;
  /** The value when the flag is absent. */
  default?: unknown;
  /** Turns the text into a value; throws a {@linkcode CliError} for bad input. */
  parse?: (value: string) => unknown;
  /** The values allowed. */
  choices?: readonly string[];
}

/** A positional argument. */
export interface ArgumentSpec {
  /** Name shown in help. */
  name: string;
  /** One line for help. */
  description: string;
  /** Must be given. @default false */
  required?: boolean;
  /** Takes the rest of the words (last argument only). @default false */
  variadic?: boolean;
}

/** A command with its flags, arguments and subcommands. */
export interface CommandSpec {
  /** Name as typed. */
  name: string;
  /** Other names. */
  aliases?: string[];
  /** One line for help. */
  description: string;
  /** Flags; those of a parent apply to its subcommands too. */
  options?: OptionSpec[];
  /** Positional arguments. */
  arguments?: ArgumentSpec[];
  /** Subcommands. */
  commands?: CommandSpec[];
  /** Text after the help, such as examples. */
  footer?: string;
}

/** What {@linkcode parseArgs} found. */
export interface ParsedArgs {
  /** The subcommand names chosen, e.g. `["list"]`; aliases are given as the main name. */
  path: string[];
  /** Flag values by camel-cased long name (`--dry-run` → `dryRun`). */
  options: Record<string, unknown>;
  /** Positional values in order; a variadic one is a `string[]`. */
  args: (string | string[] | undefined)[];
  /** `--help` or `-h` was given. */
  help: boolean;
}

interface Flag {
  spec: OptionSpec;
  long?: string;
  short?: string;
  key: string;
  takesValue: boolean;
  valueName: string;
}

function compileFlag(spec: OptionSpec): Flag {
  const match = /^(?:-(\w),\s*)?(?:--([\w-]+))?\s*(?:<([^>]+)>)?$/.exec(spec.flags.trim());
  if (!match || (!match[1] && !match[2])) throw new TypeError(`Bad flag spec "${spec.flags}"`);
  const [, short, long, value] = match;
  return {
    spec,
    short,
    long,
    key: (long ?? short!).replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
    takesValue: value !== undefined,
    valueName: value ?? "",
  };
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

/**
 * The candidate nearest to `word` by edit distance, when it is near enough to be a typo.
 *
 * @example
 * ```ts
 * import { nearest } from "./args.ts";
 * import assert from "node:assert/strict";
 * assert.equal(nearest("lst", ["list", "show"]), "list");
 * assert.equal(nearest("zzzz", ["list", "show"]), undefined);
 * ```
 *
 * @param word What was typed.
 * @param candidates The valid words.
 * @returns The nearest candidate, or undefined.
 */
export function nearest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(1, Math.min(3, Math.floor(word.length / 3) + 1))
    ? best
    : undefined;
}

function usageError(message: string, hint: string): CliError {
  return new CliError(message, { hint, exitCode: ExitCode.Usage });
}

/**
 * Parses argv against a command tree. Flags may come before or after positional arguments;
 * `--` ends flags; `--flag=value`, `-n5` and bundled short flags (`-rl`) work.
 *
 * @example
 * ```ts
 * import { parseArgs } from "./args.ts";
 * import assert from "node:assert/strict";
 * const spec = {
 *   name: "notes", description: "",
 *   options: [{ flags: "--dir <dir>", description: "" }],
 *   commands: [{ name: "list", aliases: ["ls"], description: "", options: [{ flags: "-t, --tag <tag>", description: "", repeat: true }] }],
 * };
 * const parsed = parseArgs(spec, ["ls", "-t", "a", "--dir", "x", "--tag=b"]);
 * assert.deepEqual(parsed.path, ["list"]);
 * assert.deepEqual(parsed.options, { dir: "x", tag: ["a", "b"] });
 * ```
 *
 * @param spec The root command (a tool).
 * @param argv The words after the tool name.
 * @returns The chosen subcommand path, flag values and positional values.
 * @throws {CliError} With exit code 2 for an unknown command or flag, or a missing value.
 */
export function parseArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const path: string[] = [];
  let command = spec;
  let flags = (spec.options ?? []).map(compileFlag);
  const options: Record<string, unknown> = {};
  const words: string[] = [];
  let help = false;
  let onlyWords = false;
  const where = () => ["kit", spec.name, ...path].join(" ");

  const setFlag = (flag: Flag, value: string | undefined) => {
    let parsed: unknown = value ?? true;
    if (value !== undefined && flag.spec.choices && !flag.spec.choices.includes(value)) {
      throw usageError(
        `--${flag.long ?? flag.short} takes ${flag.spec.choices.join(", ")}, not "${value}"`,
        `see '${where()} --help'`,
      );
    }
    if (value !== undefined && flag.spec.parse) parsed = flag.spec.parse(value);
    if (flag.spec.repeat) {
      options[flag.key] = [...((options[flag.key] as unknown[] | undefined) ?? []), parsed];
    } else {
      options[flag.key] = parsed;
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (onlyWords || word === "-" || !word.startsWith("-")) {
      const sub = words.length === 0 && !onlyWords
        ? command.commands?.find((c) => c.name === word || c.aliases?.includes(word))
        : undefined;
      if (sub) {
        path.push(sub.name);
        command = sub;
        flags = [...flags, ...(sub.options ?? []).map(compileFlag)];
        continue;
      }
      if (words.length === 0 && command.commands?.length && !onlyWords) {
        const names = command.commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
        const guess = nearest(word, names);
        throw usageError(
          `unknown command '${word}'`,
          guess ? `did you mean '${guess}'?` : `see '${where()} --help'`,
        );
      }
      words.push(word);
      continue;
    }
    if (word === "--") {
      onlyWords = true;
      continue;
    }
    if (word === "--help" || word === "-h") {
      help = true;
      continue;
    }
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const name = word.slice(2, eq === -1 ? undefined : eq);
      const flag = flags.find((f) => f.long === name);
      if (!flag) {
        const guess = nearest(name, flags.filter((f) => f.long).map((f) => f.long!));
        throw usageError(
          `unknown option '--${name}'`,
          guess ? `did you mean '--${guess}'?` : `see '${where()} --help'`,
        );
      }
      if (!flag.takesValue) {
        if (eq !== -1) throw usageError(`--${name} takes no value`, `see '${where()} --help'`);
        setFlag(flag, undefined);
        continue;
      }
      const value = eq !== -1 ? word.slice(eq + 1) : argv[++i];
      if (value === undefined) {
        throw usageError(`--${name} needs a value <${flag.valueName}>`, `see '${where()} --help'`);
      }
      setFlag(flag, value);
      continue;
    }
    // Short flags, possibly bundled: -rl, -n5, -n 5.
    for (let k = 1; k < word.length; k++) {
      const ch = word[k];
      if (ch === "h") {
        help = true;
        continue;
      }
      const flag = flags.find((f) => f.short === ch);
      if (!flag) {
        throw usageError(`unknown option '-${ch}'`, `see '${where()} --help'`);
      }
      if (!flag.takesValue) {
        setFlag(flag, undefined);
        continue;
      }
      const rest = word.slice(k + 1);
      const value = rest !== "" ? rest : argv[++i];
      if (value === undefined) {
        throw usageError(`-${ch} needs a value <${flag.valueName}>`, `see '${where()} --help'`);
      }
      setFlag(flag, value);
      break;
    }
  }

  for (const flag of flags) {
    if (!(flag.key in options) && flag.spec.default !== undefined) {
      options[flag.key] = flag.spec.default;
    } else if (!(flag.key in options) && flag.spec.repeat) {
      options[flag.key] = [];
    }
  }
  const args: (string | string[] | undefined)[] = [];
  const specs = command.arguments ?? [];
  let at = 0;
  for (const arg of specs) {
    if (arg.variadic) {
      args.push(words.slice(at));
      if (arg.required && at >= words.length && !help) {
        throw usageError(`missing argument <${arg.name}>`, `see '${where()} --help'`);
      }
      at = words.length;
      continue;
    }
    if (at >= words.length && arg.required && !help) {
      throw usageError(`missing argument <${arg.name}>`, `see '${where()} --help'`);
    }
    args.push(words[at++]);
  }
  if (at < words.length && !help) {
    throw usageError(`unexpected argument '${words[at]}'`, `see '${where()} --help'`);
  }
  return { path, options, args, help };
}

/**
 * Finds the command at `path` in a tree.
 *
 * @param spec The root.
 * @param path Subcommand names.
 * @returns The command.
 */
export function commandAt(spec: CommandSpec, path: string[]): CommandSpec {
  let command = spec;
  for (const name of path) command = command.commands!.find((c) => c.name === name)!;
  return command;
}

function argUsage(arg: ArgumentSpec): string {
  const inner = `${arg.name}${arg.variadic ? "..." : ""}`;
  return arg.required ? `<${inner}>` : `[${inner}]`;
}

function table(rows: [string, string][]): string {
  const width = Math.min(28, Math.max(...rows.map(([a]) => a.length)));
  return rows.map(([a, b]) =>
    a.length > width ? `  ${a}\n  ${" ".repeat(width)}  ${b}` : `  ${a.padEnd(width)}  ${b}`
  ).join("\n");
}

/**
 * Help text for the command at `path`.
 *
 * @example
 * ```ts
 * import { formatHelp } from "./args.ts";
 * import assert from "node:assert/strict";
 * const help = formatHelp({ name: "notes", description: "Notes", commands: [{ name: "list", description: "list notes" }] }, []);
 * assert.match(help, /Usage: kit notes <command>/);
 * assert.match(help, /list {2}list notes/);
 * ```
 *
 * @param spec The root (a tool).
 * @param path Subcommand names.
 * @returns The help text, ending in a newline.
 */
export function formatHelp(spec: CommandSpec, path: string[]): string {
  const command = commandAt(spec, path);
  const name = ["kit", spec.name, ...path].join(" ");
  const parts: string[] = [];
  const usage = [name];
  if (command.options?.length || path.length > 0) usage.push("[options]");
  if (command.commands?.length) usage.push("<command>");
  for (const arg of command.arguments ?? []) usage.push(argUsage(arg));
  parts.push(`${command.description}\n\nUsage: ${usage.join(" ")}`);
  if (command.aliases?.length) parts.push(`Aliases: ${command.aliases.join(", ")}`);
  if (command.arguments?.length) {
    parts.push(`Arguments:\n${table(command.arguments.map((a) => [argUsage(a), a.description]))}`);
  }
  if (command.commands?.length) {
    parts.push(
      `Commands:\n${
        table(command.commands.map((c) => [
          [c.name, ...(c.arguments ?? []).map(argUsage)].join(" "),
          c.description,
        ]))
      }`,
    );
  }
  const own = (command.options ?? []).map((o): [string, string] => [o.flags, describe(o)]);
  own.push(["-h, --help", "show this help"]);
  parts.push(`Options:\n${table(own)}`);
  const inherited: [string, string][] = [];
  let parent = spec;
  for (const step of path) {
    for (const o of parent.options ?? []) inherited.push([o.flags, describe(o)]);
    parent = parent.commands!.find((c) => c.name === step)!;
  }
  if (inherited.length) parts.push(`Global options:\n${table(inherited)}`);
  if (command.commands?.length) {
    parts.push(`Run '${name} <command> --help' for a command's options.`);
  }
  if (command.footer) parts.push(command.footer.trim());
  return parts.join("\n\n") + "\n";
}

function describe(option: OptionSpec): string {
  const extra = option.default !== undefined && option.default !== false
    ? ` (default: ${JSON.stringify(option.default)})`
    : "";
  return option.description + extra;
}
