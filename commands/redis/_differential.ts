/**
 * Runs the same command script on a real redis-server and on kit's commands, and reports
 * every reply that differs.
 *
 * @module
 */

import type { Command } from "./command.ts";
import { harness } from "./_test_util.ts";
import { startRedisPeer } from "./_redis_peer.ts";

/** One differing reply. */
export interface Mismatch {
  /** The command. */
  command: string[];
  /** redis-server's reply. */
  redis: string;
  /** kit's reply. */
  kit: string;
}

/**
 * Runs `script` (one command per entry) on both sides from empty databases, in RESP2 or RESP3.
 *
 * @returns The mismatches.
 * @throws {Error} When redis-server is not installed (guard the test with HAS_REDIS_SERVER).
 */
export async function differential(
  tables: Command[][],
  script: string[][],
  protocol: 2 | 3 = 2,
): Promise<Mismatch[]> {
  await using peer = await startRedisPeer();
  if (!peer) throw new Error("redis-server is not installed");
  const h = harness(...tables);
  if (protocol === 3) {
    await peer.run("HELLO", "3");
    h.session.protocol = 3;
  }
  const mismatches: Mismatch[] = [];
  for (const command of script) {
    const redis = await peer.run(...command);
    h.clock.now = Date.now();
    const kit = h.run(...command);
    if (redis !== kit) mismatches.push({ command, redis, kit });
  }
  return mismatches;
}
