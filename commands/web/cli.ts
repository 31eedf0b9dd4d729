/**
 * `kit web`: a static file server on kit's own HTTP/1.1 engine, and a sample app of the web
 * framework.
 *
 * @module
 */
import { type CommandSpec, parseArgs } from "../../lib/cli/args.ts";
import { answerHelp, guard } from "../../lib/cli/command.ts";
import { CliError, ExitCode } from "../../lib/cli/error.ts";
import type { Io } from "../../lib/cli/io.ts";
import { resolve } from "node:path";
import { startStaticServer } from "./static_server.ts";
import { parsePort, TODO_SPEC } from "./todo_spec.ts";

const TOOL = "web";

/** The command tree, for help and shell completions. */
export const spec: CommandSpec = {
  name: TOOL,
  aliases: ["rapid"],
  description: "web server and framework on kit's own HTTP/1.1 engine",
  footer: `
Examples:
  kit web serve                     serve the current folder on http://127.0.0.1:8000/
  kit web serve public --port 3000  serve ./public on port 3000`,
  commands: [
    {
      name: "serve",
      description: "serve a folder's files, with folder listings (Ctrl-C stops it)",
      arguments: [{ name: "dir", description: "the folder to serve (default: the current one)" }],
      options: [
        {
          flags: "-p, --port <port>",
          description: "port to listen on (0: any free one)",
          default: 8000,
          parse: parsePort("serve"),
        },
        { flags: "--host <host>", description: "address to bind", default: "127.0.0.1" },
        { flags: "--no-listing", description: "answer 404 for folders without index.html" },
        { flags: "--dotfiles", description: "serve files whose names start with '.'" },
        {
          flags: "--cert <file>",
          description: "serve HTTPS with this PEM certificate (needs --key)",
        },
        { flags: "--key <file>", description: "the PEM private key for --cert" },
      ],
    },
    // `kit web todo` runs commands/web/todo.ts, loaded with a literal import() only when run.
    TODO_SPEC,
  ],
};

/**
 * Runs `kit web`.
 *
 * @param args Arguments after `kit web`.
 * @param io Streams and environment.
 * @returns The exit code.
 */
export async function main(args: string[], io: Io): Promise<number> {
  return await guard(TOOL, io, async () => {
    const parsed = parseArgs(spec, args);
    const helped = await answerHelp(io, spec, parsed);
    if (helped !== null) return helped;
    if (parsed.path[0] === "todo") {
      // The sample app belongs to the framework; the spec above only declares its flags.
      const { runTodo } = await import("./todo.ts");
      return await runTodo(args.slice(args.indexOf("todo") + 1), io);
    }
    return await serveCommand(parsed.options, parsed.args[0] as string | undefined, io);
  });
}

async function serveCommand(
  options: Record<string, unknown>,
  dir: string | undefined,
  io: Io,
): Promise<number> {
  const root = resolve(io.cwd, dir ?? ".");
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(root);
  } catch {
    throw new CliError(`Cannot serve "${root}": no such folder`);
  }
  if (!info.isDirectory) throw new CliError(`Cannot serve "${root}": not a folder`);
  let tls: { cert: string; key: string } | undefined;
  if (options.cert || options.key) {
    if (!options.cert || !options.key) {
      throw new CliError("--cert and --key go together", { hint: "see 'kit web serve --help'" });
    }
    tls = {
      cert: await Deno.readTextFile(resolve(io.cwd, options.cert as string)),
      key: await Deno.readTextFile(resolve(io.cwd, options.key as string)),
    };
  }
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  let server;
  try {
    server = startStaticServer({
      root,
      hostname: options.host as string,
      port: options.port as number,
      listing: !options.noListing,
      dotfiles: Boolean(options.dotfiles),
      tls,
      signal: stop.signal,
      onLog: (line) => {
        io.stderr.write(`${line}\n`).catch(() => {});
      },
    });
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new CliError(`Cannot listen on ${options.host}:${options.port}: address in use`, {
        hint: "pick another port with --port",
      });
    }
    throw error;
  }
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  const { hostname, port } = server.addr;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  await io.stderr.write(
    `kit web: serving ${root} on ${tls ? "https" : "http"}://${host}:${port}/ (Ctrl-C to stop)\n`,
  );
  try {
    await server.finished;
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
  }
  await io.stderr.write("kit web: stopped\n");
  return ExitCode.Ok;
}
