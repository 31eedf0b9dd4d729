/**
 * Helpers for the `kit redis` integration tests: the real `kit redis` as a subprocess (the
 * Redis peers are in _redis_peer.ts).
 *
 * @module
 */

import { type KitServer, startKitServer } from "./_util.ts";

/** A running `kit redis`. */
export type RedisServer = KitServer;

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
  const server = await startKitServer([
    "redis",
    ...args,
    ...(dir === undefined ? [] : ["--dir", dir]),
    "--port",
    "0",
  ]);
  if (dir === undefined) return server;
  const removeDir = async <T>(result: T) => {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    return result;
  };
  return {
    port: server.port,
    exited: () => server.exited().then(removeDir),
    stop: (signal) => server.stop(signal).then(removeDir),
  };
}
