/**
 * `kit web todo`: serves the sample todo app ({@linkcode todoApp}) on kit's own engine or on
 * Deno.serve, with its todos in a kv store (or in memory with `--memory`).
 *
 * @module
 */

import { parseArgs } from "../../lib/cli/args.ts";
import { CliError, ExitCode } from "../../lib/cli/error.ts";
import type { Io } from "../../lib/cli/io.ts";
import { dataDir } from "../../lib/fs/dirs.ts";
import { join, resolve } from "node:path";
import { todoApp } from "./todo_app.ts";
import { KvTodoStore, MemoryTodoStore, type TodoStore } from "./todo_store.ts";
import { TODO_SPEC } from "./todo_spec.ts";

/**
 * Runs `kit web todo`: serves until SIGINT or SIGTERM, then drains and closes the store.
 *
 * @param args Arguments after `kit web todo`.
 * @param io Streams and environment.
 * @returns The exit code.
 */
export async function runTodo(args: string[], io: Io): Promise<number> {
  const parsed = parseArgs(TODO_SPEC, args);
  const options = parsed.options;
  const token = (options.token as string | undefined) ?? io.env("KIT_WEB_TODO_TOKEN") ??
    crypto.randomUUID().replaceAll("-", "");
  let store: TodoStore;
  let close = () => Promise.resolve();
  let where = "memory";
  if (options.memory) {
    store = new MemoryTodoStore(io.now);
  } else {
    const dir = options.dataDir
      ? resolve(io.cwd, options.dataDir as string)
      : io.env("KIT_WEB_TODO_DIR") || join(dataDir("web", { env: io.env }), "todo");
    const { openKv } = await import("../../lib/kv/mod.ts");
    try {
      await Deno.mkdir(dir, { recursive: true });
      const kv = await openKv(dir, { fsync: "always" });
      store = new KvTodoStore(kv, io.now);
      close = () => kv.close();
      where = dir;
    } catch (error) {
      throw new CliError(`Cannot open the todo store in "${dir}": ${(error as Error).message}`, {
        hint: "use --data-dir for another folder, or --memory",
      });
    }
  }
  const app = todoApp({
    store,
    token,
    log: (line) => {
      io.stderr.write(`${line}\n`).catch(() => {});
    },
  });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  let server;
  try {
    server = await app.listen({
      engine: options.engine as "kit" | "deno",
      hostname: options.host as string,
      port: options.port as number,
      signal: stop.signal,
    });
  } catch (error) {
    await close();
    if (error instanceof Deno.errors.AddrInUse) {
      throw new CliError(`Cannot listen on ${options.host}:${options.port}: address in use`, {
        hint: "pick another port with --port",
      });
    }
    throw error;
  }
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  const { hostname, port: bound } = server.addr;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  await io.stderr.write(
    `kit web todo: http://${host}:${bound}/ on the ${options.engine} engine, todos in ${where}\n` +
      `kit web todo: API token: ${token}\n`,
  );
  try {
    await server.finished;
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
    await close();
  }
  await io.stderr.write("kit web todo: stopped\n");
  return ExitCode.Ok;
}
