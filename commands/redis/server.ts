/**
 * `kit redis`: the accept loop and one task per connection.
 *
 * @module
 */

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
import type { CommandContext } from "./command.ts";
import type { Database } from "./db.ts";
import { commandTable } from "./command_table.ts";
import { execute, lookupCommand } from "./dispatch.ts";
import { heldEquals } from "./types/held.ts";
import { NameTable } from "./types/name_table.ts";
import { ZSet } from "./types/zset.ts";
import type { ServerState } from "./server_state.ts";
import { Session } from "./session.ts";

/** Options for {@linkcode serve}. */
export interface ServeOptions {
  /** Aborting it stops accepting, lets every connection finish what it has read, and ends `serve`. */
  signal?: AbortSignal;
  /** Where log lines go (no newline). @default nowhere */
  log?: (line: string) => void;
}

/** Reply bytes gathered before they are written even though the read is not all answered. */
const MAX_PENDING_OUTPUT = 1024 * 1024;

/**
 * Serves RESP on `listener` until `signal` aborts or a client sends SHUTDOWN: one task per
 * connection; each read is parsed in one pass, its commands run in order, and their replies
 * go out in one write. Bad bytes from a client get Redis's `-ERR Protocol error: ...` and
 * close that connection only. A timer runs the active expiry cycle and the idle timeout.
 *
 * @example
 * ```ts ignore
 * const state = new ServerState();
 * const controller = new AbortController();
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const done = serve(listener, state, { signal: controller.signal });
 * // ... clients talk to listener.addr.port ...
 * controller.abort();
 * await done;
 * ```
 *
 * @param listener A bound TCP listener; `serve` closes it.
 * @param state The server's state (databases, config); its command table is filled in here.
 * @param options Shutdown signal and logging.
 * @returns Resolves once the listener is closed and every connection has ended.
 */
export async function serve(
  listener: Deno.Listener,
  state: ServerState,
  options: ServeOptions = {},
): Promise<void> {
  const log = options.log ?? (() => {});
  state.commands = commandTable();
  state.port = (listener.addr as Deno.NetAddr).port ?? 0;
  const hz = Math.min(500, Math.max(1, state.config.number("hz")));
  const cron = setInterval(() => tick(state), 1000 / hz);
  const loop: AcceptLoop = acceptConnections(
    listener,
    (entry) => handle(entry, state, () => loop.stopping(), log),
    {
      signal: options.signal,
      log,
      onAccept: () => state.stats.connections++,
      admit: () => {
        if (state.clients.size < state.config.number("maxclients")) return true;
        state.stats.rejected++;
        return false;
      },
      // Blocked clients stop waiting, so their connections finish and close.
      onStop: () => {
        clearInterval(cron);
        state.blocking.clear();
      },
    },
  );
  state.shutdown = loop.stop;
  await loop.done;
}

/** The periodic work: active expiry, and closing clients idle past `timeout`. */
function tick(state: ServerState): void {
  const hz = Math.max(1, state.config.number("hz"));
  // Redis's slow cycle may use a quarter of each period.
  state.expireCycle(1000 / hz / 4);
  state.persistence.cron();
  state.idleGc.tick(performance.now(), state.stats.commands);
  const timeout = state.config.number("timeout") * 1000;
  if (timeout <= 0) return;
  const now = state.clock();
  for (const s of state.clients.values()) {
    // Subscribers and blocked clients wait by design, as in Redis.
    if (s.subscriptionCount > 0 || s.blocked) continue;
    if (now - s.lastInteraction > timeout) s.kill();
  }
}

function limitsOf(state: ServerState): RespLimits {
  return {
    maxBulkLength: state.config.number("proto-max-bulk-len"),
    maxQueryLength: state.config.number("client-query-buffer-limit"),
  };
}

async function handle(
  entry: LiveConnection,
  state: ServerState,
  stopping: () => boolean,
  log: (line: string) => void,
): Promise<void> {
  const { conn, id } = entry;
  const session = new Session(id, addressText(conn.remoteAddr), state.clock());
  session.laddr = addressText(conn.localAddr);
  session.authenticated = (state.config.get("requirepass") ?? "") === "";
  const reader = new CommandReader(limitsOf(state));
  const out = new RespWriter();
  const ctx: CommandContext = { db: state.dbs[0], server: state, session, out, now: 0 };
  state.clients.set(id, session);

  // Writes go out in order through one chain. While this connection runs its own commands,
  // messages for it (a PUBLISH to itself, MONITOR) join its replies instead, so they keep
  // their place among them.
  let processing = false;
  let chain: Promise<boolean> = Promise.resolve(true);
  const write = (bytes: Uint8Array) => {
    // What the replies acknowledge reaches the AOF (and the disk, with appendfsync always)
    // before they leave; if it cannot, the client gets no acknowledgement.
    if (!state.persistence.beforeReply()) {
      session.kill();
      return chain = Promise.resolve(false);
    }
    return chain = chain.then((ok) => ok && writeAll(conn, bytes));
  };
  session.send = (bytes) => {
    if (processing) out.raw(bytes);
    else write(bytes);
  };
  session.kill = () => {
    session.closing = true;
    closeQuietly(conn);
  };
  const flush = async (): Promise<boolean> => {
    if (out.length === 0) return await chain;
    const ok = await write(out.bytes());
    out.reset();
    return ok;
  };

  // A read that started while the client was blocked: it lands in its own buffer, because the
  // reader's buffer may move while buffered commands are processed.
  let pending: { buf: Uint8Array; read: Promise<number | null> } | undefined;
  const read = async (): Promise<boolean> => {
    let n: number | null;
    if (pending) {
      n = await pending.read;
      if (n !== null) reader.push(pending.buf.subarray(0, n));
      pending = undefined;
      return n !== null;
    }
    const region = reader.reserve(4096);
    try {
      n = await conn.read(region);
    } catch {
      return false; // reset by the peer, or closed by shutdown or CLIENT KILL
    }
    if (n === null) return false;
    reader.commit(n);
    return true;
  };
  /** Waits until the blocked command is answered; false if the client went away meanwhile. */
  const waitBlocked = async (): Promise<boolean> => {
    const served = session.blocked!.then(() => true);
    while (true) {
      if (!pending) {
        const buf = new Uint8Array(4096);
        pending = { buf, read: conn.read(buf).catch(() => null) };
      }
      const next = await Promise.race([served, pending.read.then(() => false)]);
      if (next) return true;
      const n = await pending.read;
      if (n === null) return false;
      reader.push(pending.buf.subarray(0, n));
      pending = undefined;
    }
  };

  try {
    (conn as Deno.TcpConn).setNoDelay(true);
  } catch { /* not TCP */ }
  try {
    while (!session.closing && !stopping()) {
      // Waiting for input, even inside MULTI: shutdown may close it, as nothing is in flight.
      entry.idle = true;
      if (!(await read())) break;
      entry.idle = false;
      session.lastInteraction = state.clock();
      processing = true;
      // The slow log times each command from the end of the one before (see `call`); every
      // await below starts the chain again.
      ctx.mark = session.lastInteraction;
      ctx.untimed = 0;
      let protocolError: RespProtocolError | undefined;
      /** The complete commands buffered; a protocol error ends them (and the connection). */
      const takeBatch = (): Uint8Array[][] => {
        const batch: Uint8Array[][] = [];
        try {
          for (let args = reader.next(); args !== undefined; args = reader.next()) batch.push(args);
        } catch (error) {
          if (!(error instanceof RespProtocolError)) throw error;
          protocolError = error;
        }
        return batch;
      };
      try {
        // Commands that arrive while one is blocked form the next batch.
        batches: for (let batch = takeBatch(); batch.length > 0; batch = takeBatch()) {
          for (let i = 0; i < batch.length; i++) {
            if (i % PREFETCH === 0) prefetch(state, state.dbs[session.dbIndex], batch, i);
            execute(ctx, batch[i]);
            if (session.closing) break batches;
            if (session.blocked) {
              processing = false;
              ctx.mark = 0;
              if (!(await flush())) return;
              const served = await waitBlocked();
              session.blocked = null;
              if (!served || stopping()) return;
              processing = true;
              ctx.mark = state.clock();
              ctx.untimed = 0;
            } else if (out.length > MAX_PENDING_OUTPUT) {
              // Big replies go out before the rest of the read is answered, so one read cannot
              // make the server hold an unbounded output buffer.
              processing = false;
              ctx.mark = 0;
              if (!(await flush())) return;
              processing = true;
              ctx.mark = state.clock();
              ctx.untimed = 0;
            }
          }
          if (protocolError) break;
        }
        if (protocolError && !session.closing) {
          // As Redis: answer what came before, then the error, then close.
          log(`${session.addr}: ${protocolError.message} (byte ${protocolError.offset})`);
          out.error(`ERR ${protocolError.message}`);
          session.closing = true;
        }
      } finally {
        processing = false;
        ctx.mark = 0;
      }
      if (!(await flush())) break;
    }
  } finally {
    state.disconnect(session);
    await chain;
    closeQuietly(conn);
    if (pending) await pending.read;
  }
}

/** Commands of a batch whose keys are prefetched together (see Database.prefetch). */
const PREFETCH = 32;
/** The keys or members of one prefetch, reused. */
const ahead: Uint8Array[] = [];

/**
 * Fetches into the cache what up to PREFETCH commands from `from` will read: the key each
 * names first, and when they name a member or field of the first one's set, hash or sorted
 * set (SADD, HSET, ZADD, ... to one key, as pipelines mostly do), those members too.
 */
function prefetch(state: ServerState, db: Database, batch: Uint8Array[][], from: number): void {
  const end = Math.min(batch.length, from + PREFETCH);
  // A single command has nothing to overlap with.
  if (end - from < 2) return;
  let n = 0;
  for (let i = from; i < end; i++) if (batch[i].length > 1) ahead[n++] = batch[i][1];
  db.prefetch(ahead, n);
  const [name, key] = batch[from];
  const at = lookupCommand(state.commands, name)?.member;
  if (at === undefined || batch[from].length <= at) return;
  const value = db.peekBytes(key);
  const table = value instanceof NameTable ? value : value instanceof ZSet ? value.dict : null;
  if (table === null) return;
  n = 0;
  for (let i = from; i < end; i++) {
    const args = batch[i];
    // The reader gives repeated names as one array: most compare by identity.
    const same = args[0] === name || heldEquals(name, args[0]);
    if (args.length > at && same && heldEquals(key, args[1])) {
      ahead[n++] = args[at];
    }
  }
  table.prefetch(ahead, n);
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<boolean> {
  try {
    while (bytes.length > 0) bytes = bytes.subarray(await conn.write(bytes));
    return true;
  } catch {
    return false; // the client went away; its replies have nowhere to go
  }
}
