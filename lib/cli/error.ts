/**
 * Exit codes and the typed error every tool throws to end with one.
 *
 * @module
 */

/** The exit codes every kit tool uses. */
export const ExitCode = {
  /** Success. */
  Ok: 0,
  /** Nothing found, or the remote said no. */
  NotFound: 1,
  /** Usage or input error. */
  Usage: 2,
  /** Interrupted by Ctrl-C. */
  Interrupted: 130,
} as const;

/** Options for {@linkcode CliError}. */
export interface CliErrorOptions {
  /** A second line that tells the user what to do. */
  hint?: string;
  /** The exit code. @default 2 */
  exitCode?: number;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * An error a CLI reports as one line, `kit <tool>: error: <message>`, then exits with `exitCode`.
 *
 * @example
 * ```ts
 * import { CliError } from "./error.ts";
 * import assert from "node:assert/strict";
 * const error = new CliError("No note matches \"x\"", { exitCode: 1 });
 * assert.equal(error.exitCode, 1);
 * ```
 */
export class CliError extends Error {
  override name = "CliError";
  /** A second line that tells the user what to do. */
  readonly hint?: string;
  /** The exit code. */
  readonly exitCode: number;

  /**
   * @param message What went wrong, one line.
   * @param options Hint, exit code and cause.
   */
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.Usage;
  }
}

/**
 * Formats an error for stderr: one line, a hint line when there is one, the stack only when `debug`.
 *
 * @example
 * ```ts
 * import { CliError, formatError } from "./error.ts";
 * import assert from "node:assert/strict";
 * const text = formatError("notes", new CliError("bad", { hint: "try --help" }), false);
 * assert.equal(text, "kit notes: error: bad\nhint: try --help\n");
 * ```
 *
 * @param tool The tool name, or "" for kit itself.
 * @param error What was thrown.
 * @param debug Include the stack trace.
 * @returns The text to write to stderr.
 */
export function formatError(tool: string, error: unknown, debug: boolean): string {
  const prefix = tool ? `kit ${tool}` : "kit";
  const message = error instanceof Error ? describeOsError(error.message) : String(error);
  let text = `${prefix}: error: ${message.split("\n")[0]}\n`;
  if (error instanceof CliError && error.hint) text += `hint: ${error.hint}\n`;
  if (debug && error instanceof Error && error.stack) text += `${error.stack}\n`;
  return text;
}

/**
 * The exit code for an error: its own for a {@linkcode CliError}, 2 for anything else.
 *
 * @param error What was thrown.
 * @returns The exit code.
 */
export function exitCodeOf(error: unknown): number {
  return error instanceof CliError ? error.exitCode : ExitCode.Usage;
}

const OS_ERROR = /^(.+?) \(os error \d+\)(?:: (\w+) '(.*)')?$/;

const VERBS: Record<string, string> = {
  open: "open",
  mkdir: "create the folder",
  readdir: "list the folder",
  stat: "read",
  lstat: "read",
  rename: "rename",
  remove: "remove",
  link: "create",
  realpath: "find",
  chmod: "change the mode of",
  utime: "set the time of",
  copy: "copy",
};

/**
 * Rewrites Deno's file-system error text (`Permission denied (os error 13): open '/x'`) as a
 * sentence in kit's style (`Cannot open "/x": permission denied`); other text is unchanged.
 *
 * @example
 * ```ts
 * import { describeOsError } from "./error.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   describeOsError("No such file or directory (os error 2): mkdir '/proc/x'"),
 *   'Cannot create the folder "/proc/x": no such file or directory',
 * );
 * ```
 *
 * @param message An error message.
 * @returns The message in kit's style.
 */
export function describeOsError(message: string): string {
  const match = OS_ERROR.exec(message.split("\n")[0]);
  if (!match) return message;
  const [, reason, op, path] = match;
  const lower = reason.charAt(0).toLowerCase() + reason.slice(1);
  if (!op) return lower.charAt(0).toUpperCase() + lower.slice(1);
  return `Cannot ${VERBS[op] ?? op} "${path}": ${lower}`;
}
