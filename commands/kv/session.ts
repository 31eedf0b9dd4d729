/**
 * What the server knows about one connection.
 *
 * @module
 */

import type { RespProtocol } from "../../lib/resp/mod.ts";

/**
 * A client connection's state: its id, name, protocol and an open MULTI's queue.
 *
 * @example
 * ```ts
 * import { Session } from "./session.ts";
 * import assert from "node:assert/strict";
 * const session = new Session(7, "127.0.0.1:5000");
 * assert.equal(session.id, 7);
 * assert.equal(session.inMulti, false);
 * ```
 */
export class Session {
  /** Unique per server run, from 1 (CLIENT ID). */
  readonly id: number;
  /** The peer, `host:port`. */
  readonly addr: string;
  /** When it connected, ms since the epoch. */
  readonly createdAt: number;
  /** CLIENT SETNAME / HELLO SETNAME. */
  name: string | null = null;
  /** CLIENT SETINFO LIB-NAME. */
  libName = "";
  /** CLIENT SETINFO LIB-VER. */
  libVer = "";
  /** RESP version replies are written in. */
  protocol: RespProtocol = 2;
  /** Commands queued since MULTI, or undefined outside a transaction. */
  queue: Uint8Array[][] | undefined;
  /** A command was rejected while queueing, so EXEC must abort. */
  dirty = false;
  /** QUIT was received: close after the replies are written. */
  closing = false;
  /** The last command's name, for CLIENT LIST. */
  lastCommand = "NULL";

  /**
   * @param id The client id.
   * @param addr The peer address.
   * @param now Connection time. @default Date.now()
   */
  constructor(id: number, addr: string, now = Date.now()) {
    this.id = id;
    this.addr = addr;
    this.createdAt = now;
  }

  /** Whether MULTI is open. */
  get inMulti(): boolean {
    return this.queue !== undefined;
  }
}
