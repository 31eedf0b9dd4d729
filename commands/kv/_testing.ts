/**
 * A harness for the command tests: a real store in a temporary folder, one session, and the
 * replies decoded back into values; time comes from a clock the test moves.
 *
 * @module
 */

import { type Kv, openKv } from "../../lib/kv/mod.ts";
import { RespDecoder, type RespValue, RespWriter } from "../../lib/resp/mod.ts";
import { execute, type ServerState } from "./commands.ts";
import { Keyspace } from "./keyspace.ts";
import { Session } from "./session.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A store and a connection to run commands on. */
export interface Harness extends AsyncDisposable {
  kv: Kv;
  session: Session;
  state: ServerState;
  /** The fake clock, ms since the epoch; move it to expire keys. */
  clock: { now: number };
  /** Runs one command and returns its decoded reply (awaiting the engine's acknowledgement). */
  run(...args: (string | Uint8Array)[]): Promise<RespValue>;
  /** Runs one command and returns the raw reply text. */
  raw(...args: (string | Uint8Array)[]): Promise<string>;
}

/** Opens a harness over a fresh store. */
export async function harness(): Promise<Harness> {
  const dir = await Deno.makeTempDir({ prefix: "kit-kv-cmd-" });
  const clock = { now: 1_700_000_000_000 };
  const now = () => clock.now;
  const kv = await openKv(dir, { fsync: "never", now, sweepIntervalMs: 0 });
  const state: ServerState = {
    kv,
    clients: new Map(),
    cursors: new Map(),
    nextCursor: 1,
    stats: { connections: 1, commands: 0 },
    startedAt: now(),
    port: 0,
    fsync: "never",
    dir,
    version: "test",
    now,
  };
  const session = new Session(1, "127.0.0.1:1", now());
  state.clients.set(1, session);
  const out = new RespWriter();
  const ctx = { ks: new Keyspace(kv, now), session, server: state, out };
  const bytes = async (...args: (string | Uint8Array)[]) => {
    out.reset();
    const done = execute(ctx, args.map((a) => typeof a === "string" ? enc.encode(a) : a));
    await done;
    return out.bytes().slice();
  };
  return {
    kv,
    session,
    state,
    clock,
    raw: async (...args) => dec.decode(await bytes(...args)),
    async run(...args) {
      const reply = await bytes(...args);
      const decoder = new RespDecoder();
      decoder.push(reply);
      const value = decoder.next();
      if (value === undefined || decoder.buffered !== 0) {
        throw new Error(`bad reply ${dec.decode(reply)}`);
      }
      return value;
    },
    async [Symbol.asyncDispose]() {
      await kv.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A bulk string reply of `text`. */
export function bulk(text: string): RespValue {
  return { type: "bulk", value: enc.encode(text) };
}
