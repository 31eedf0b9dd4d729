/**
 * A harness for the data-type command tests: a server state with a fake clock, one session,
 * and commands run straight into a RespWriter, replies compared as exact RESP text.
 *
 * @module
 */

import { RespWriter } from "../../lib/resp/mod.ts";
import { latin1 } from "./bytes.ts";
import { type Command, type CommandContext, ReplyError } from "./command.ts";
import { ServerState } from "./server_state.ts";
import { Session } from "./session.ts";

/** A server state, a session and the commands under test. */
export interface Harness {
  /** The fake clock, ms since the epoch; move it to expire keys. */
  clock: { now: number };
  /** The state (databases). */
  server: ServerState;
  /** The connection. */
  session: Session;
  /** Runs a command and returns its raw reply, one char per byte. */
  run(...args: (string | Uint8Array)[]): string;
}

const enc = new TextEncoder();

/** Builds a harness over the given command tables. */
export function harness(...tables: Command[][]): Harness {
  const clock = { now: 1_700_000_000_000 };
  const server = new ServerState({ clock: () => clock.now });
  const session = new Session(1, "127.0.0.1:1", clock.now);
  const table = new Map<string, Command>();
  for (const t of tables) for (const c of t) table.set(c.name, c);
  const out = new RespWriter();
  function run(...parts: (string | Uint8Array)[]): string {
    const args = parts.map((p) => typeof p === "string" ? enc.encode(p) : p);
    const name = latin1(args[0]).toLowerCase();
    const cmd = table.get(name);
    if (!cmd) throw new Error(`no command ${name}`);
    out.reset();
    out.protocol = session.protocol;
    if (cmd.arity > 0 ? args.length !== cmd.arity : args.length < -cmd.arity) {
      return `-ERR wrong number of arguments for '${name}' command\r\n`;
    }
    const ctx: CommandContext = {
      db: server.dbs[session.dbIndex],
      server,
      session,
      out,
      now: clock.now,
    };
    try {
      cmd.run(ctx, args);
    } catch (e) {
      if (!(e instanceof ReplyError)) throw e;
      out.reset();
      out.error(e.message);
    }
    return latin1(out.bytes());
  }
  return { clock, server, session, run };
}

/** RESP text of a bulk string. */
export function bulk(s: string): string {
  return `$${s.length}\r\n${s}\r\n`;
}

/** RESP text of an array of bulk strings (null entries become `$-1`). */
export function bulks(...items: (string | null)[]): string {
  return `*${items.length}\r\n` + items.map((s) => s === null ? "$-1\r\n" : bulk(s)).join("");
}

/** RESP text of an integer. */
export function int(n: number): string {
  return `:${n}\r\n`;
}

/** RESP text of an error. */
export function err(text: string): string {
  return `-${text}\r\n`;
}

/** `+OK`. */
export const OK = "+OK\r\n";
/** A RESP2 null bulk string. */
export const NIL = "$-1\r\n";
/** WRONGTYPE's reply. */
export const WRONG = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
