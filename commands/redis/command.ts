/**
 * The shape every `kit redis` command has, and the context it runs in.
 *
 * @module
 */

import type { RespWriter } from "../../lib/resp/mod.ts";
import type { Database } from "./db.ts";
import type { ServerState } from "./server_state.ts";
import type { Session } from "./session.ts";

export type { ServerState } from "./server_state.ts";
export type { Session } from "./session.ts";

/** What a command handler sees: the selected database, the server, the connection and the output. */
export interface CommandContext {
  /** The session's selected database. */
  db: Database;
  /** Databases, clients, config, stats, pub/sub, watchers and blocked clients. */
  server: ServerState;
  /** The connection: protocol, name, id, database index, MULTI state. */
  session: Session;
  /** Where the reply goes. */
  out: RespWriter;
  /** Ms since the epoch, one value per command so a command sees one instant. */
  now: number;
  /**
   * The server clock (ms) when the last command of the current batch ended, so the next one
   * starts from it without a clock read; 0 outside a batch.
   */
  mark?: number;
  /**
   * Fast commands run in the current batch since the clock was last read: they are timed
   * together (see dispatch.ts's `call`).
   */
  untimed?: number;
  /**
   * Set by a command whose effect is not replayed by its own arguments (SPOP, a blocking pop):
   * the commands the AOF logs for it instead.
   */
  propagated?: (string | Uint8Array)[][];
}

/**
 * One entry of the command table.
 *
 * @example
 * ```ts
 * import type { Command } from "./command.ts";
 * const ping: Command = {
 *   name: "ping",
 *   arity: -1,
 *   flags: ["fast"],
 *   keys: [0, 0, 0],
 *   run(ctx) {
 *     ctx.out.simple("PONG");
 *   },
 * };
 * console.assert(ping.name === "ping");
 * ```
 */
export interface Command {
  /** Lower case. */
  name: string;
  /** Redis arity: N exactly, or -N at least N; the name counts. */
  arity: number;
  /** Redis's flags for COMMAND (write, readonly, denyoom, fast, ...). */
  flags: string[];
  /** First key, last key (negative from the end), step: as COMMAND INFO reports them. */
  keys: [number, number, number];
  /**
   * For a command that looks a member or field up in its key's set, hash or sorted set: the
   * argument that names it. The server fetches those of a pipelined batch into the cache
   * together (see NameTable.prefetch).
   */
  member?: number;
  /** Runs the command; `args[0]` is its name. Writes exactly one reply or throws a {@linkcode ReplyError}. */
  run(ctx: CommandContext, args: Uint8Array[]): void;
}

/**
 * An error reply: the server writes its message (`ERR ...`, `WRONGTYPE ...`) as `-message`.
 *
 * @example
 * ```ts
 * import { ReplyError } from "./command.ts";
 * const e = new ReplyError("ERR syntax error");
 * console.assert(e.message === "ERR syntax error" && e.name === "ReplyError");
 * ```
 */
export class ReplyError extends Error {
  /** @param message The full error text, its code first. */
  constructor(message: string) {
    super(message);
    this.name = "ReplyError";
  }
}

/** Redis's reply to a command on a key of another type. */
export const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
