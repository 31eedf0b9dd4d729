/**
 * What the server knows about one connection.
 *
 * @module
 */

import type { RespProtocol } from "../../lib/resp/mod.ts";

/** A key watched by WATCH: its database, and its expiry when watched (to detect expiry since). */
export interface WatchedKey {
  /** Database index. */
  db: number;
  /** The key. */
  key: string;
  /** Its expiry time when WATCH ran, if it had one. */
  expireAt: number | undefined;
}

/**
 * A client connection's state: id, name, protocol, selected database, MULTI queue, watched
 * keys, subscriptions, and how to reach it outside the request/reply cycle (pub/sub messages,
 * a blocked command's late reply, MONITOR lines).
 *
 * @example
 * ```ts
 * import { Session } from "./session.ts";
 * import assert from "node:assert/strict";
 * const session = new Session(7, "127.0.0.1:5000", 0);
 * assert.equal(session.id, 7);
 * assert.equal(session.inMulti, false);
 * assert.equal(session.subscriptionCount, 0);
 * ```
 */
export class Session {
  /** Unique per server run, from 1 (CLIENT ID). */
  readonly id: number;
  /** The peer, `host:port`. */
  readonly addr: string;
  /** The local address, `host:port`. */
  laddr = "";
  /** When it connected, ms since the epoch. */
  readonly createdAt: number;
  /** When it last sent a command, for CLIENT LIST idle and the idle timeout. */
  lastInteraction: number;
  /** CLIENT SETNAME / HELLO SETNAME. */
  name: string | null = null;
  /** CLIENT SETINFO LIB-NAME. */
  libName = "";
  /** CLIENT SETINFO LIB-VER. */
  libVer = "";
  /** RESP version replies are written in. */
  protocol: RespProtocol = 2;
  /** The selected database (SELECT). */
  dbIndex = 0;
  /** AUTH passed, or no password is required. */
  authenticated = true;
  /** Commands queued since MULTI, or undefined outside a transaction. */
  queue: Uint8Array[][] | undefined;
  /** A command was rejected while queueing, so EXEC must abort with EXECABORT. */
  dirty = false;
  /** Keys under WATCH. */
  watched: WatchedKey[] = [];
  /** A watched key was written: EXEC must fail. */
  watchBroken = false;
  /** Channels subscribed to. */
  readonly channels: Set<string> = new Set();
  /** Patterns subscribed to. */
  readonly patterns: Set<string> = new Set();
  /** Receives every command (MONITOR). */
  monitor = false;
  /** The connection must close once its replies are written (QUIT, CLIENT KILL, protocol error). */
  closing = false;
  /** Running EXEC's queue: blocking commands must not block. */
  inExec = false;
  /** Set while a blocking command waits; the server reads no further command until it settles. */
  blocked: Promise<void> | null = null;
  /** The last command's name, for CLIENT LIST. */
  lastCommand = "NULL";
  /**
   * Sends bytes to the client in order after every reply already sent; set by the server.
   * Pub/sub messages, blocked replies and MONITOR lines go through it.
   */
  send: (bytes: Uint8Array) => void = () => {};
  /** Closes the connection (CLIENT KILL); set by the server. */
  kill: () => void = () => {};

  /**
   * @param id The client id.
   * @param addr The peer address.
   * @param now Connection time, ms since the epoch.
   */
  constructor(id: number, addr: string, now: number) {
    this.id = id;
    this.addr = addr;
    this.createdAt = now;
    this.lastInteraction = now;
  }

  /** Whether MULTI is open. */
  get inMulti(): boolean {
    return this.queue !== undefined;
  }

  /** Channels plus patterns: nonzero means RESP2 subscribed mode. */
  get subscriptionCount(): number {
    return this.channels.size + this.patterns.size;
  }
}
