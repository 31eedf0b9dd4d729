/**
 * A harness for server-level unit tests: a real ServerState and command table with a fake
 * clock, and clients whose commands go through the real dispatch, replies as RESP text.
 *
 * @module
 */

import { RespWriter } from "../../lib/resp/mod.ts";
import { latin1 } from "./bytes.ts";
import type { CommandContext } from "./command.ts";
import { commandTable } from "./command_table.ts";
import { execute } from "./dispatch.ts";
import { ServerState, type ServerStateOptions } from "./server_state.ts";
import { Session } from "./session.ts";

/** One client of the harness. */
export interface TestClient {
  /** Its session. */
  session: Session;
  /** Runs a command: the reply text (one char per byte). */
  run(...args: string[]): string;
  /** Messages sent to it outside replies (pub/sub, blocked replies), oldest first. */
  pushed: string[];
}

/** A server without sockets. */
export interface TestServer {
  /** The fake clock. */
  clock: { now: number };
  /** The state. */
  state: ServerState;
  /** Connects a client. */
  connect(): TestClient;
}

const enc = new TextEncoder();

/** Builds a server without sockets. */
export function testServer(options: ServerStateOptions = {}): TestServer {
  const clock = { now: 1_700_000_000_000 };
  const state = new ServerState({ clock: () => clock.now, ...options });
  state.commands = commandTable();
  let nextId = 1;
  return {
    clock,
    state,
    connect() {
      const session = new Session(nextId++, `127.0.0.1:${40000 + nextId}`, clock.now);
      session.authenticated = (state.config.get("requirepass") ?? "") === "";
      state.clients.set(session.id, session);
      const out = new RespWriter();
      const pushed: string[] = [];
      let running = false;
      session.send = (bytes) => {
        if (running) out.raw(bytes);
        else pushed.push(latin1(bytes));
      };
      const ctx: CommandContext = { db: state.dbs[0], server: state, session, out, now: 0 };
      return {
        session,
        pushed,
        run(...args) {
          out.reset();
          running = true;
          try {
            execute(ctx, args.map((a) => enc.encode(a)));
          } finally {
            running = false;
          }
          return latin1(out.bytes());
        },
      };
    },
  };
}
