/**
 * Interactive questions, asked only when a person can answer them.
 *
 * Each prompt returns `undefined` at once when stdin or stderr is not a terminal, so scripts and
 * CI never hang waiting for input; the caller then falls back to its flag or default. The prompt
 * package is loaded with a dynamic import on first use, so starting a tool never pays for it.
 *
 * @module
 */

import { CliError, ExitCode } from "./error.ts";
import type { Io } from "./io.ts";

/** Options for {@linkcode promptText}. */
export interface PromptTextOptions {
  /** The answer taken when the user just presses Enter. @default undefined */
  default?: string;
}

/** Options for {@linkcode promptConfirm}. */
export interface PromptConfirmOptions {
  /** The answer taken when the user just presses Enter. @default undefined */
  default?: boolean;
}

function interactive(io: Io): boolean {
  return io.isTerminal.stdin && io.isTerminal.stderr;
}

/**
 * Runs a prompt with its output on stderr (stdout stays data only) and turns Ctrl-C into a
 * {@linkcode CliError} with exit code 130.
 */
async function ask<T>(
  run: (context: { output: NodeJS.WritableStream }) => Promise<T>,
): Promise<T> {
  const { default: process } = await import("node:process");
  try {
    return await run({ output: process.stderr });
  } catch (error) {
    if (error instanceof Error && error.name === "ExitPromptError") {
      throw new CliError("Cancelled", { exitCode: ExitCode.Interrupted, cause: error });
    }
    throw error;
  }
}

/**
 * Asks for a line of text.
 *
 * @example
 * ```ts
 * import { promptText } from "./prompt.ts";
 * import { memoryIo } from "./io.ts";
 * import assert from "node:assert/strict";
 * // Not a terminal: no question is asked.
 * assert.equal(await promptText(memoryIo(), "Title?", { default: "Untitled" }), undefined);
 * ```
 *
 * @param io Decides whether asking is possible; the question is drawn on stderr.
 * @param message The question.
 * @param options The default answer.
 * @returns The answer, or `undefined` when stdin or stderr is not a terminal.
 * @throws {CliError} With exit code 130 when the user presses Ctrl-C.
 */
export async function promptText(
  io: Io,
  message: string,
  options: PromptTextOptions = {},
): Promise<string | undefined> {
  if (!interactive(io)) return undefined;
  const { input } = await import("../deps/inquirer.ts");
  return await ask((context) => input({ message, default: options.default }, context));
}

/**
 * Asks a yes/no question.
 *
 * @example
 * ```ts
 * import { promptConfirm } from "./prompt.ts";
 * import { memoryIo } from "./io.ts";
 * import assert from "node:assert/strict";
 * // Not a terminal: no question is asked.
 * assert.equal(await promptConfirm(memoryIo(), "Delete 3 notes?"), undefined);
 * ```
 *
 * @param io Decides whether asking is possible; the question is drawn on stderr.
 * @param message The question.
 * @param options The default answer.
 * @returns The answer, or `undefined` when stdin or stderr is not a terminal.
 * @throws {CliError} With exit code 130 when the user presses Ctrl-C.
 */
export async function promptConfirm(
  io: Io,
  message: string,
  options: PromptConfirmOptions = {},
): Promise<boolean | undefined> {
  if (!interactive(io)) return undefined;
  const { confirm } = await import("../deps/inquirer.ts");
  return await ask((context) => confirm({ message, default: options.default }, context));
}
