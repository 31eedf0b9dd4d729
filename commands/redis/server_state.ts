/**
 * Everything the commands share: databases, clients, config, statistics, pub/sub, watched
 * keys, blocked clients and the slow log.
 *
 * @module
 */

import type { Command } from "./command.ts";
import { Blocking } from "./blocking.ts";
import { CollectionScans } from "./collection_scan.ts";
import { Config } from "./config.ts";
import { IdleCollector } from "./idle_gc.ts";
import { Database } from "./db.ts";
import { PubSub } from "./pubsub.ts";
import type { Session } from "./session.ts";

/** The version reported by INFO and HELLO: the Redis release whose behaviour is followed. */
export const REDIS_VERSION = "7.0.15";

/** Counters for INFO stats. */
export interface Stats {
  /** Connections accepted. */
  connections: number;
  /** Connections refused by maxclients. */
  rejected: number;
  /** Commands processed. */
  commands: number;
  /** Keys removed by the active expiry cycle. */
  expired: number;
  /** Keys evicted by maxmemory (absent until the first; CONFIG RESETSTAT drops it). */
  evicted?: number;
  /** Pub/sub messages delivered. */
  pubsubMessages: number;
}

/** One SLOWLOG entry. */
export interface SlowlogEntry {
  /** Increasing id. */
  id: number;
  /** Unix time in seconds. */
  time: number;
  /** Microseconds the command took. */
  micros: number;
  /** The arguments (at most 32, each at most 128 bytes, as Redis trims them). */
  args: Uint8Array[];
  /** Client address. */
  addr: string;
  /** Client name. */
  name: string;
}

/**
 * What the dispatcher and the connections ask of persistence (persistence.ts implements it);
 * the default does nothing, so a server without a data folder (unit tests) runs as before.
 */
export interface PersistenceHooks {
  /** A point-in-time snapshot is being written: call {@linkcode beforeWrite} before writes. */
  readonly snapshotting: boolean;
  /** Write commands are being logged (the AOF is on). */
  readonly logging: boolean;
  /** Why write commands are refused now (a failed save or AOF write), or null. */
  readonly refuseWrites: string | null;
  /** A write to these keys of a database (or to "all") is about to run. */
  beforeWrite(db: number, keys: string[] | "all"): void;
  /** A command changed the dataset: log these commands for it. */
  propagate(db: number, commands: (string | Uint8Array)[][], inExec: boolean): void;
  /** An EXEC ended: close the MULTI that its logged commands opened. */
  execEnd(): void;
  /** Replies are about to go to a socket: make what they acknowledge durable first. */
  beforeReply(): boolean;
  /** Periodic work: save points, the AOF's fsync every second. */
  cron(): void;
  /** FLUSHALL emptied every database: with save points, write the empty dataset now. */
  flushedAll(): void;
  /** CONFIG SET appendonly changed the setting: start or stop the AOF. */
  appendonlyChanged(on: boolean): void;
}

const NO_PERSISTENCE: PersistenceHooks = {
  snapshotting: false,
  logging: false,
  refuseWrites: null,
  beforeWrite() {},
  propagate() {},
  execEnd() {},
  beforeReply: () => true,
  cron() {},
  flushedAll() {},
  appendonlyChanged() {},
};

/** Options for {@linkcode ServerState}. */
export interface ServerStateOptions {
  /** The configuration. @default defaults */
  config?: Config;
  /** The clock, ms since the epoch. @default Date.now */
  clock?: () => number;
  /** kit's version. @default "0.0.0" */
  version?: string;
}

/**
 * The shared state of one server.
 *
 * @example
 * ```ts
 * import { ServerState } from "./server_state.ts";
 * import assert from "node:assert/strict";
 * const state = new ServerState();
 * assert.equal(state.dbs.length, 16);
 * assert.equal(state.dbs[3].index, 3);
 * ```
 */
export class ServerState {
  /** The configuration. */
  readonly config: Config;
  /** The databases (SELECT index). */
  readonly dbs: Database[];
  /** Open connections by id. */
  readonly clients: Map<number, Session> = new Map();
  /** Pub/sub registry. */
  readonly pubsub: PubSub = new PubSub();
  /** Blocked clients. */
  readonly blocking: Blocking = new Blocking();
  /** Sessions watching `db|key`. */
  readonly watchers: Map<string, Set<Session>> = new Map();
  /** Sessions in MONITOR mode. */
  readonly monitors: Set<Session> = new Set();
  /** Counters. */
  stats: Stats = { connections: 0, rejected: 0, commands: 0, expired: 0, pubsubMessages: 0 };
  /** SLOWLOG, newest first. */
  slowlog: SlowlogEntry[] = [];
  /** Next SLOWLOG id. */
  slowlogId = 0;
  /** The clock, ms since the epoch. */
  readonly clock: () => number;
  /** When the server started. */
  readonly startedAt: number;
  /** The port it listens on (set by the server). */
  port = 0;
  /** kit's version. */
  readonly version: string;
  /** A random run id, as Redis's INFO shows. */
  readonly runId: string;
  /** The command table, by lower-case name; set by the server. */
  commands: Map<string, Command> = new Map();
  /** Asks the server to shut down (SHUTDOWN); set by the server. */
  shutdown: () => void = () => {};
  /** The snapshots of HSCAN, SSCAN and ZSCAN in progress. */
  readonly scans: CollectionScans = new CollectionScans();
  /** Runs a full garbage collection once clients go quiet (see idle_gc.ts). */
  readonly idleGc: IdleCollector = new IdleCollector();
  /** Changes to the dataset since start (Redis's `server.dirty`): save points count them. */
  dirty = 0;
  /** RDB and AOF; set by the CLI (persistence.ts). */
  persistence: PersistenceHooks = NO_PERSISTENCE;

  /** @param options Config, clock, version. */
  constructor(options: ServerStateOptions = {}) {
    this.config = options.config ?? new Config();
    this.clock = options.clock ?? Date.now;
    this.version = options.version ?? "0.0.0";
    this.startedAt = this.clock();
    this.runId = [...crypto.getRandomValues(new Uint8Array(20))]
      .map((b) => b.toString(16).padStart(2, "0")).join("");
    const n = this.config.number("databases") || 16;
    this.dbs = Array.from({ length: n }, (_, i) => this.#open(i));
  }

  #open(index: number): Database {
    const db = new Database(index, this.clock);
    db.onTouch = (key) => this.touched(db, key);
    return db;
  }

  /**
   * Called on every write to a key: breaks WATCHes on it and readies clients blocked on it.
   *
   * @param db The database written to.
   * @param key The key.
   */
  touched(db: Database, key: string): void {
    this.dirty++;
    if (this.watchers.size === 0 && this.blocking.size === 0) return;
    const index = db.index;
    const watchers = this.watchers.get(`${index}|${key}`);
    if (watchers) { for (const s of watchers) s.watchBroken = true; }
    this.blocking.touched(index, key);
  }

  /**
   * A whole database changed (FLUSHDB, FLUSHALL, SWAPDB): breaks every WATCH on it and
   * readies its blocked clients.
   *
   * @param index The database slot.
   */
  touchedAll(index: number): void {
    this.dirty++;
    const prefix = `${index}|`;
    for (const [slot, sessions] of this.watchers) {
      if (slot.startsWith(prefix)) { for (const s of sessions) s.watchBroken = true; }
    }
    this.blocking.touchedAll(index);
  }

  /**
   * Ends a session's WATCH on every key.
   *
   * @param session The client.
   */
  unwatch(session: Session): void {
    for (const w of session.watched) {
      const slot = `${w.db}|${w.key}`;
      const set = this.watchers.get(slot);
      set?.delete(session);
      if (set?.size === 0) this.watchers.delete(slot);
    }
    session.watched = [];
    session.watchBroken = false;
  }

  /**
   * Runs one active expiry cycle over every database.
   *
   * @param budgetMs Time to spend per database.
   * @returns Keys removed.
   */
  expireCycle(budgetMs: number): number {
    let removed = 0;
    for (const db of this.dbs) removed += db.activeExpireCycle(budgetMs);
    this.stats.expired += removed;
    return removed;
  }

  /**
   * Forgets a closed connection: its subscriptions, watches, blocked wait and MONITOR.
   *
   * @param session The client.
   */
  disconnect(session: Session): void {
    this.clients.delete(session.id);
    this.pubsub.drop(session);
    this.unwatch(session);
    this.blocking.drop(session);
    this.monitors.delete(session);
  }
}
