/**
 * `kit kv serve`: the RESP server over the Bitcask engine.
 *
 * @module
 */

import type { Kv } from "../../lib/kv/mod.ts";
import {
  acceptConnections,
  type AcceptLoop,
  addressText,
  closeQuietly,
  CommandReader,
  type LiveConnection,
  type RespLimits,
  RespProtocolError,
  RespWriter,
} from "../../lib/resp/mod.ts";
import { execute, type ServerState } from "./commands.ts";
import { Keyspace } from "./keyspace.ts";
import { Session } from "./session.ts";

/** Options for {@linkcode serve}. */
export interface ServeOptions {
  /** The engine the commands run against; the caller opens and closes it. */
  kv: Kv;
  /** Aborting it stops accepting, lets every connection finish the commands it has read, and ends `serve`. */
  signal?: AbortSignal;
  /** Where log lines go (no newline). @default nowhere */
  log?: (line: string) => void;
  /** Bounds on what a client may send. @default Redis's */
  limits?: RespLimits;
  /** Most connections at once; more are told so and closed (Redis's `maxclients`). @default 10000 */
  maxConnections?: number;
  /** The fsync mode, for INFO. @default "interval" */
  fsync?: string;
  /** The store folder, for INFO. @default "" */
  dir?: string;
  /** kit's version, for INFO. @default "0.0.0" */
  version?: string;
  /** The clock, ms since the epoch. @default Date.now */
  now?: () => number;
}

const DEFAULTS = {
  maxConnections: 10_000,
  fsync: "interval",
  dir: "",
  version: "0.0.0",
} satisfies Partial<ServeOptions>;

/** Reply bytes gathered before they are written even though the read is not all answered. */
const MAX_PENDING_OUTPUT = 1024 * 1024;

/** A write's acknowledgement and where its reply sits in the output, to replace on failure. */
interface Ack {
  start: number;
  end: number;
  done: Promise<unknown>;
}

/**
 * Serves RESP on `listener` until `signal` aborts: one task per connection; each read is
 * parsed in one pass, its commands run in order, and their replies go out in one write once
 * the engine has acknowledged every write among them under its fsync mode. Bad bytes from a
 * client get Redis's `-ERR Protocol error: ...` and close that connection only.
 *
 * @example
 * ```ts ignore
 * const kv = await openKv(dir);
 * const controller = new AbortController();
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const done = serve(listener, { kv, signal: controller.signal });
 * // ... clients talk to listener.addr.port ...
 * controller.abort();
 * await done;
 * await kv.close();
 * ```
 *
 * @param listener A bound TCP listener; `serve` closes it.
 * @param options The engine, shutdown signal, logging and limits.
 * @returns Resolves once the listener is closed and every connection has ended.
 */
export async function serve(listener: Deno.Listener, options: ServeOptions): Promise<void> {
  const log = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  const maxConnections = options.maxConnections ?? DEFAULTS.maxConnections;
  const addr = listener.addr as Deno.NetAddr;
  const state: ServerState = {
    kv: options.kv,
    clients: new Map(),
    cursors: new Map(),
    nextCursor: 1,
    stats: { connections: 0, commands: 0 },
    startedAt: now(),
    port: addr.port ?? 0,
    fsync: options.fsync ?? DEFAULTS.fsync,
    dir: options.dir ?? DEFAULTS.dir,
    version: options.version ?? DEFAULTS.version,
    now,
  };
  const loop: AcceptLoop = acceptConnections(
    listener,
    (entry) => handle(entry, state, () => loop.stopping(), log, options.limits),
    {
      signal: options.signal,
      log,
      onAccept: () => state.stats.connections++,
      admit: (open) => open < maxConnections,
    },
  );
  await loop.done;
}

async function handle(
  entry: LiveConnection,
  state: ServerState,
  stopping: () => boolean,
  log: (line: string) => void,
  limits: RespLimits | undefined,
): Promise<void> {
  const { conn, id } = entry;
  const session = new Session(id, addressText(conn.remoteAddr), state.now());
  const reader = new CommandReader(limits);
  const out = new RespWriter();
  const ctx = { ks: new Keyspace(state.kv, state.now), session, server: state, out };
  state.clients.set(id, session);
  try {
    // Replies to one read go out in one write; Nagle would only hold that write back.
    (conn as Deno.TcpConn).setNoDelay(true);
  } catch { /* not TCP */ }
  try {
    while (!session.closing && !stopping()) {
      const region = reader.reserve(4096);
      let n: number | null;
      entry.idle = true;
      try {
        n = await conn.read(region);
      } catch {
        break; // reset by the peer, or closed by shutdown
      }
      entry.idle = false;
      if (n === null) break;
      reader.commit(n);
      let acks: Ack[] | undefined;
      const flush = async (): Promise<boolean> => {
        const bytes = acks === undefined ? out.bytes() : await acknowledged(acks, out);
        acks = undefined;
        const written = bytes.length === 0 || await writeAll(conn, bytes);
        out.reset();
        return written;
      };
      try {
        for (let args = reader.next(); args !== undefined; args = reader.next()) {
          const start = out.length;
          const done = execute(ctx, args);
          if (done !== undefined) (acks ??= []).push({ start, end: out.length, done });
          if (session.closing) break;
          // Big replies (MGET of large values) go out before the rest of the read is answered,
          // so one read cannot make the server hold an unbounded output buffer.
          if (out.length > MAX_PENDING_OUTPUT && !(await flush())) return;
        }
      } catch (error) {
        if (!(error instanceof RespProtocolError)) throw error;
        // As Redis: answer what came before, then the error, then close.
        log(`${session.addr}: ${error.message} (byte ${error.offset})`);
        out.error(`ERR ${error.message}`);
        session.closing = true;
      }
      if (!(await flush())) break;
    }
  } finally {
    state.clients.delete(id);
    closeQuietly(conn);
  }
}

/**
 * Waits for the engine to acknowledge every write behind these replies. A write it refused
 * has its reply replaced by the error, so no client is told OK for data that is not stored.
 */
async function acknowledged(acks: Ack[], out: RespWriter): Promise<Uint8Array> {
  try {
    if (acks.length === 1) await acks[0].done;
    else await Promise.all(acks.map((a) => a.done));
    return out.bytes();
  } catch {
    const results = await Promise.allSettled(acks.map((a) => a.done));
    const all = out.bytes();
    const fixed = new RespWriter(all.length + 256);
    fixed.protocol = out.protocol;
    let at = 0;
    results.forEach((result, i) => {
      if (result.status === "fulfilled") return;
      fixed.raw(all.subarray(at, acks[i].start));
      const reason = result.reason;
      fixed.error(`ERR ${reason instanceof Error ? reason.message : String(reason)}`);
      at = acks[i].end;
    });
    fixed.raw(all.subarray(at));
    return fixed.bytes();
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<boolean> {
  try {
    while (bytes.length > 0) bytes = bytes.subarray(await conn.write(bytes));
    return true;
  } catch {
    return false; // the client went away; its replies have nowhere to go
  }
}
