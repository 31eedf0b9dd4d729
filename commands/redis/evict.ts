/**
 * maxmemory: the used-memory figure, Redis's approximated LRU/LFU/TTL eviction with a pool of
 * the best candidates seen across samples, random eviction, and the check `processCommand`
 * makes before a command that may grow memory (`denyoom`).
 *
 * @module
 */

import type { Command, CommandContext, ServerState } from "./command.ts";
import { lowerWord } from "./bytes.ts";

/** Redis's reply when memory is full and nothing can be evicted. */
export const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

/**
 * What kit counts besides the keys: the server's own structures, fixed, so that a small
 * maxmemory behaves the same on every run (Redis's empty server reports about 0.9 MB).
 */
export const STARTUP_MEMORY = 1024 * 1024;

/** Redis's EVPOOL_SIZE: the candidates kept between eviction rounds. */
const POOL_SIZE = 16;

/** One eviction candidate. */
interface Candidate {
  db: number;
  key: string;
  /** Higher evicts first: idle ms, 255 - LFU counter, or how soon the TTL ends. */
  score: number;
}

/** Per-server eviction state: the pool, the round-robin database for random policies. */
interface EvictionState {
  pool: Candidate[];
  nextDb: number;
  policy: string;
}

const STATES = new WeakMap<ServerState, EvictionState>();

function stateOf(server: ServerState): EvictionState {
  let s = STATES.get(server);
  if (s === undefined) {
    s = { pool: [], nextDb: 0, policy: "" };
    STATES.set(server, s);
  }
  return s;
}

/**
 * Used memory as INFO reports it and maxmemory compares: a fixed startup figure plus every
 * database's running estimate (see memory.ts).
 *
 * @example
 * ```ts
 * import { ServerState } from "./server_state.ts";
 * import { STARTUP_MEMORY, usedMemory } from "./evict.ts";
 * import assert from "node:assert/strict";
 * const server = new ServerState();
 * assert.equal(usedMemory(server), STARTUP_MEMORY);
 * server.dbs[0].set("k", { type: "string", value: new Uint8Array(3) });
 * assert.ok(usedMemory(server) > STARTUP_MEMORY);
 * ```
 *
 * @param server The server.
 * @returns Bytes.
 */
export function usedMemory(server: ServerState): number {
  let n = STARTUP_MEMORY;
  for (const db of server.dbs) n += db.memory();
  return n;
}

/**
 * Points every database's access clock at the policy: an LFU counter for the LFU policies,
 * the last access time otherwise. Cheap when nothing changed, so it runs on every command.
 *
 * @param server The server.
 * @returns The policy.
 */
export function syncPolicy(server: ServerState): string {
  const policy = server.config.get("maxmemory-policy")!;
  const lfu = policy.endsWith("-lfu");
  if (server.dbs[0].lfu !== lfu) { for (const db of server.dbs) db.lfu = lfu; }
  synced = server.config;
  syncedVersion = server.config.version;
  return policy;
}

/** The config (and its version) whose policy the databases were last brought in step with. */
let synced: ServerState["config"] | undefined;
let syncedVersion = -1;

/**
 * Redis's performEvictions: while used memory is over maxmemory, evicts the best key the
 * policy finds, telling WATCH through the database's onTouch and counting `evicted_keys`.
 *
 * @example
 * ```ts
 * import { ServerState } from "./server_state.ts";
 * import { performEvictions } from "./evict.ts";
 * import assert from "node:assert/strict";
 * const server = new ServerState();
 * for (let i = 0; i < 100; i++) {
 *   server.dbs[0].set(`k${i}`, { type: "string", value: new Uint8Array(10_000) });
 * }
 * server.config.set("maxmemory", "1500000");
 * server.config.set("maxmemory-policy", "allkeys-random");
 * assert.equal(performEvictions(server), true);
 * assert.ok(server.dbs[0].size() < 100);
 * server.config.set("maxmemory-policy", "noeviction");
 * server.config.set("maxmemory", "1");
 * assert.equal(performEvictions(server), false);
 * ```
 *
 * @param server The server.
 * @returns False when memory is still over the limit and nothing more can be evicted.
 */
export function performEvictions(server: ServerState): boolean {
  const max = server.config.number("maxmemory");
  if (max <= 0) return true;
  const policy = syncPolicy(server);
  let used = usedMemory(server);
  if (used <= max) return true;
  if (policy === "noeviction") return false;
  const state = stateOf(server);
  if (state.policy !== policy) {
    // Scores in the pool were measured under the old policy.
    state.pool = [];
    state.policy = policy;
  }
  const samples = Math.max(1, server.config.number("maxmemory-samples") || 5);
  while (used > max) {
    const victim = policy.endsWith("-random")
      ? randomVictim(server, state, policy === "volatile-random")
      : pooledVictim(server, state, policy, samples);
    if (victim === undefined) return false;
    const db = server.dbs[victim.db];
    const before = db.memory();
    // As any write: a snapshot in progress keeps the key as it was, and the AOF logs a DEL so
    // that a replay does not bring the key back.
    const persistence = server.persistence;
    if (persistence.snapshotting) persistence.beforeWrite(victim.db, [victim.key]);
    db.delete(victim.key);
    if (persistence.logging) persistence.propagate(victim.db, [["DEL", victim.key]], false);
    used -= before - db.memory();
    server.stats.evicted = (server.stats.evicted ?? 0) + 1;
  }
  return true;
}

function randomVictim(
  server: ServerState,
  state: EvictionState,
  volatile: boolean,
): Candidate | undefined {
  // Databases in turn, as Redis's static next_db, so no database is always first to lose.
  for (let i = 0; i < server.dbs.length; i++) {
    const index = state.nextDb++ % server.dbs.length;
    const db = server.dbs[index];
    if (db.size() === 0) continue;
    const key = volatile ? db.sampleKeys(1, true)[0] : db.randomKey();
    if (key !== undefined && db.has(key)) return { db: index, key, score: 0 };
  }
  return undefined;
}

/**
 * Redis's evictionPoolPopulate then the pick: sample each database, merge the samples into the
 * pool ordered by score, and take the best candidate that still exists.
 */
function pooledVictim(
  server: ServerState,
  state: EvictionState,
  policy: string,
  samples: number,
): Candidate | undefined {
  const volatile = policy.startsWith("volatile-");
  const pool = state.pool;
  for (let tries = 0; tries < 3; tries++) {
    let any = false;
    for (const db of server.dbs) {
      if ((volatile ? db.expiresCount() : db.size()) === 0) continue;
      any = true;
      for (const key of db.sampleKeys(samples, volatile)) {
        let score: number | undefined;
        if (policy.endsWith("-lru")) score = db.idleTime(key);
        else if (policy.endsWith("-lfu")) {
          const f = db.frequency(key);
          score = f === undefined ? undefined : 255 - f;
        } else {
          const at = db.expireAt(key);
          score = at === undefined || !db.has(key) ? undefined : Number.MAX_SAFE_INTEGER - at;
        }
        if (score !== undefined) insert(pool, { db: db.index, key, score });
      }
    }
    if (!any) return undefined;
    // Best last, as in Redis's pool: walk from the end past keys gone since they were pooled.
    while (pool.length > 0) {
      const c = pool.pop()!;
      const db = server.dbs[c.db];
      if (db.has(c.key) && (!volatile || db.expireAt(c.key) !== undefined)) return c;
    }
  }
  return undefined;
}

/** Inserts a candidate in score order (ascending), keeping the best POOL_SIZE. */
function insert(pool: Candidate[], c: Candidate): void {
  for (const p of pool) if (p.db === c.db && p.key === c.key) return;
  if (pool.length >= POOL_SIZE && c.score <= pool[0].score) return;
  let i = pool.length;
  while (i > 0 && pool[i - 1].score > c.score) i--;
  pool.splice(i, 0, c);
  if (pool.length > POOL_SIZE) pool.shift();
}

/**
 * The maxmemory check of Redis's processCommand, run before a command executes or is queued:
 * evicts what the policy allows, and tells whether the command must be refused with
 * {@linkcode OOM}: memory is still over the limit and the command may grow it (`denyoom`, or
 * EXEC of a transaction that queued such a command). Also keeps the LRU/LFU mode in step with
 * the policy.
 *
 * @example
 * ```ts ignore
 * if (outOfMemory(ctx, cmd)) rejection = OOM;
 * ```
 *
 * @param ctx The context.
 * @param cmd The command about to run.
 * @returns Whether to refuse it.
 */
export function outOfMemory(ctx: CommandContext, cmd: Command): boolean {
  const { server } = ctx;
  if (server.config.maxmemory <= 0) {
    // The policy only changes with the config: checked again once it has.
    if (synced !== server.config || syncedVersion !== server.config.version) syncPolicy(server);
    return false;
  }
  if (performEvictions(server)) return false;
  if (cmd.flags.includes("denyoom")) return true;
  if (cmd.name !== "exec" || !ctx.session.inMulti) return false;
  for (const args of ctx.session.queue ?? []) {
    if (server.commands.get(lowerWord(args[0]))?.flags.includes("denyoom")) return true;
  }
  return false;
}
