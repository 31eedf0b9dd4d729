/**
 * Helpers for the kv integration tests: `kit kv serve` as a real subprocess (the Redis peers
 * are in _redis_peer.ts).
 *
 * @module
 */

import { join } from "node:path";
import { ROOT } from "./_util.ts";

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
