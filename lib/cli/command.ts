/**
 * The contract every tool's CLI implements, and the one place where what a tool throws
 * becomes kit's error line and exit code.
 *
 * @module
 */

import { BrokenPipeError, type Io } from "./io.ts";
import { ExitCode, exitCodeOf, formatError } from "./error.ts";
import { type CommandSpec, formatHelp, type ParsedArgs } from "./args.ts";

/** What `commands/<tool>/cli.ts` exports. */
export interface ToolCli {
  /** Runs the tool: parse `args`, call the library, write through `io`, return the exit code. */
  main(args: string[], io: Io): Promise<number>;
  /** The tool's command tree, for help and shell completions. */
  spec: CommandSpec;
}

/** Thrown to end a CLI early with an exit code and no message. */
export class ExitSignal extends Error {
  override name = "ExitSignal";
  /** The exit code. */
  readonly code: number;

  /** @param code The exit code. */
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

/**
 * Runs a tool's work and turns what it throws into kit's one-line error and exit code.
 * A closed stdout (EPIPE) ends quietly with 0.
 *
 * @param tool The tool name for the error prefix.
 * @param io Streams.
 * @param work The tool's work; resolves to an exit code.
 * @returns The exit code.
 */
export async function guard(tool: string, io: Io, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ExitSignal) return error.code;
    if (error instanceof BrokenPipeError) return ExitCode.Ok;
    try {
      await io.stderr.write(formatError(tool, error, io.env("KIT_DEBUG") === "1"));
    } catch { /* stderr gone too */ }
    return exitCodeOf(error);
  }
}

/**
 * Prints the help a command line asked for (`--help`: to stdout, exit 0) or needs (a tool
 * given no subcommand: to stderr, exit 2), the same way in every tool.
 *
 * @example
 * ```ts
 * import { answerHelp } from "./command.ts";
 * import { parseArgs, type CommandSpec } from "./args.ts";
 * import { processIo } from "./io.ts";
 * import assert from "node:assert/strict";
 * const spec: CommandSpec = { name: "demo", description: "a demo", commands: [{ name: "run", description: "runs" }] };
 * assert.equal(await answerHelp(processIo(), spec, parseArgs(spec, ["run"])), null);
 * ```
 *
 * @param io Where the help goes.
 * @param spec The tool's command tree.
 * @param parsed The parsed command line.
 * @returns The exit code when help was printed, else null (go on with the command).
 */
export async function answerHelp(
  io: Io,
  spec: CommandSpec,
  parsed: ParsedArgs,
): Promise<number | null> {
  if (!parsed.help && parsed.path.length > 0) return null;
  await (parsed.help ? io.stdout : io.stderr).write(formatHelp(spec, parsed.path));
  return parsed.help ? ExitCode.Ok : ExitCode.Usage;
}
