/**
 * `kit web todo`'s flags, apart from the app itself: `kit web --help` and the shell
 * completions read them without loading the framework and the kv store.
 *
 * @module
 */

import type { CommandSpec } from "../../lib/cli/args.ts";
import { CliError } from "../../lib/cli/error.ts";

/**
 * Reads a `--port` value.
 *
 * @example
 * ```ts
 * import { parsePort } from "./todo_spec.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parsePort("serve")("8080"), 8080);
 * assert.throws(() => parsePort("serve")("http"));
 * ```
 *
 * @param command The subcommand, for the hint.
 * @returns A parser for the option.
 */
export function parsePort(command: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n > 65535) {
      throw new CliError(`--port takes a number from 0 to 65535, not "${value}"`, {
        hint: `see 'kit web ${command} --help'`,
      });
    }
    return n;
  };
}

/** `kit web todo`'s command spec. */
export const TODO_SPEC: CommandSpec = {
  name: "todo",
  description: "a sample REST API with an HTML page, on the kit web framework",
  options: [
    {
      flags: "-p, --port <port>",
      description: "port to listen on",
      default: 8080,
      parse: parsePort("todo"),
    },
    { flags: "--host <host>", description: "address to bind", default: "127.0.0.1" },
    {
      flags: "--engine <engine>",
      description: "kit: kit's own HTTP/1.1 engine; deno: Deno.serve",
      default: "kit",
      choices: ["kit", "deno"],
    },
    {
      flags: "--data-dir <dir>",
      description: "where the todos are kept (env KIT_WEB_TODO_DIR)",
    },
    { flags: "--memory", description: "keep the todos in memory only" },
    {
      flags: "--token <token>",
      description: "the API token changes need (env KIT_WEB_TODO_TOKEN; default: a random one)",
    },
  ],
};
