/**
 * Helpers for the kv integration tests: `kit kv serve` as a real subprocess (the Redis peers
 * are in _redis_peer.ts).
 *
 * @module
 */

import { type KitServer, startKitServer } from "./_util.ts";

/** A running `kit kv serve`. */
export type KvServer = KitServer;

/**
 * Starts `kit kv serve --port 0` on a store and waits for its "listening on" line, so the
 * test starts only once the server answers, without sleeping.
 *
 * @param dir The store folder.
 * @param args More arguments (e.g. `--fsync always`).
 * @returns The server.
 */
export function startKvServer(dir: string, args: string[] = []): Promise<KvServer> {
  return startKitServer(["kv", "--dir", dir, "serve", "--port", "0", ...args]);
}
