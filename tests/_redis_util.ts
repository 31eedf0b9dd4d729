/**
 * Helpers for the `kit redis` integration tests: the real `kit redis` as a subprocess (the
 * Redis peers are in _redis_peer.ts).
 *
 * @module
 */

import { join } from "node:path";
import { ROOT } from "./_util.ts";

/** A running `kit redis`. */
export interface RedisServer {
  /** The port it bound (it was started with --port 0). */
  port: number;
  /** Sends a signal and waits for the exit: the code and everything it logged. */
  stop(signal?: Deno.Signal): Promise<{ code: number; stderr: string }>;
  /** Waits for the exit without signalling (after SHUTDOWN). */
  exited(): Promise<{ code: number; stderr: string }>;
}

/**
 * Starts `kit redis --port 0` and waits for its "listening on" line, so the test starts only
 * once the server answers, without sleeping.
 *
 * @param args More arguments (a config file, `--requirepass x`, ...).
 * @returns The server.
 */
export async function startRedis(args: string[] = []): Promise<RedisServer> {
  // Its own folder unless the test names one: a server stopped by SIGTERM saves dump.rdb
  // there, and the next test must not load it.
  const dir = args.includes("--dir") ? undefined : await Deno.makeTempDir({ prefix: "kit-redis-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--quiet",
      join(ROOT, "main.ts"),
      "redis",
      ...args,
      ...(dir === undefined ? [] : ["--dir", dir]),
      "--port",
      "0",
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
      throw new Error(`kit redis exited before listening:\n${log}`);
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
  const exited = async () => {
    const status = await child.status;
    await rest;
    if (dir !== undefined) await Deno.remove(dir, { recursive: true }).catch(() => {});
    return { code: status.code, stderr: log };
  };
  return {
    port,
    exited,
    stop(signal: Deno.Signal = "SIGTERM") {
      try {
        child.kill(signal);
      } catch { /* exited already */ }
      return exited();
    },
  };
}
