/**
 * Helpers for the kv integration tests: `kit kv serve` as a real subprocess, and redis-cli.
 *
 * @module
 */

import { join } from "node:path";
import { ROOT } from "./_util.ts";

// ioredis is the Redis client library the server is tested with; imported here only.
export { Redis } from "ioredis";

/** A running `kit kv serve`. */
export interface KvServer {
  /** The port it bound (it was started with --port 0). */
  port: number;
  /** Sends a signal and waits for the exit: the code and everything it logged. */
  stop(signal?: Deno.Signal): Promise<{ code: number; stderr: string }>;
}

/**
 * Starts `kit kv serve --port 0` on a store and waits for its "listening on" line, so the
 * test starts only once the server answers, without sleeping.
 *
 * @param dir The store folder.
 * @param args More arguments (e.g. `--fsync always`).
 * @returns The server.
 */
export async function startKvServer(dir: string, args: string[] = []): Promise<KvServer> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--quiet",
      join(ROOT, "main.ts"),
      "kv",
      "--dir",
      dir,
      "serve",
      "--port",
      "0",
      ...args,
    ],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const lines = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  let port = 0;
  while (port === 0) {
    const { value, done } = await lines.read();
    if (done) {
      await child.status;
      throw new Error(`kit kv serve exited before listening:\n${log}`);
    }
    log += value;
    const match = /listening on [^\s]+:(\d+)/.exec(log);
    if (match) port = Number(match[1]);
  }
  const rest = (async () => {
    while (true) {
      const { value, done } = await lines.read();
      if (done) break;
      log += value;
    }
  })();
  return {
    port,
    async stop(signal: Deno.Signal = "SIGTERM") {
      child.kill(signal);
      const status = await child.status;
      await rest;
      return { code: status.code, stderr: log };
    },
  };
}

/**
 * Runs redis-cli against a port.
 *
 * @param port The port.
 * @param args redis-cli arguments after `-p PORT`.
 * @param stdin Text for its standard input.
 * @returns Exit code and output.
 */
export async function redisCli(
  port: number,
  args: string[],
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command("redis-cli", {
    args: ["-p", String(port), ...args],
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/**
 * Starts a real redis-server (no persistence) on a free port, to compare replies with, and
 * waits for its "Ready to accept connections" line.
 *
 * @returns The server.
 */
export async function startRedisServer(): Promise<KvServer> {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const child = new Deno.Command("redis-server", {
    args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  while (!log.includes("Ready to accept connections")) {
    const { value, done } = await lines.read();
    if (done) {
      await child.status;
      throw new Error(`redis-server exited:\n${log}`);
    }
    log += value;
  }
  const rest = (async () => {
    while (!(await lines.read()).done) { /* drain */ }
  })();
  const stderr = child.stderr.text();
  return {
    port,
    async stop(signal: Deno.Signal = "SIGTERM") {
      child.kill(signal);
      const status = await child.status;
      await rest;
      return { code: status.code, stderr: log + await stderr };
    },
  };
}
