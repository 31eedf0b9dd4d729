/**
 * The accept loop a RESP server runs: one task per connection, Redis's `maxclients` refusal,
 * and a shutdown that stops accepting, closes the connections waiting for a command and lets
 * the busy ones finish what they have read. `kit kv serve` and `kit redis` both run on it.
 *
 * @module
 */

/** One open connection, as the loop's shutdown sees it. */
export interface LiveConnection {
  /** The socket. */
  readonly conn: Deno.Conn;
  /** A number unique within the loop, from 1. */
  readonly id: number;
  /**
   * Waiting for a command with nothing in flight: shutdown closes it at once. The handler
   * clears it while it works on what it has read.
   */
  idle: boolean;
}

/** Options for {@linkcode acceptConnections}. */
export interface AcceptOptions {
  /** Aborting it stops the loop. */
  signal?: AbortSignal;
  /** Where log lines go (no newline). @default nowhere */
  log?: (line: string) => void;
  /**
   * Whether one more connection may be served, given how many are open; a refused one is
   * told Redis's `-ERR max number of clients reached` and closed. @default always
   */
  admit?: (open: number) => boolean;
  /** Called for every connection accepted, admitted or not (INFO's counter). */
  onAccept?: () => void;
  /** Called once when the loop stops, before the idle connections are closed. */
  onStop?: () => void;
}

/** A running accept loop. */
export interface AcceptLoop {
  /** Stops accepting and closes the idle connections (SHUTDOWN, a signal); idempotent. */
  stop(): void;
  /** Whether {@linkcode stop} has run: a busy handler checks it after each batch. */
  stopping(): boolean;
  /** Resolves once the listener is closed and every connection's task has ended. */
  done: Promise<void>;
}

/**
 * Accepts connections on `listener` and runs `handle` for each until stopped.
 *
 * @example
 * ```ts
 * import { acceptConnections } from "./accept.ts";
 * import assert from "node:assert/strict";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const loop = acceptConnections(listener, async (live) => {
 *   await live.conn.write(new TextEncoder().encode("+PONG\r\n"));
 *   live.conn.close();
 * });
 * const conn = await Deno.connect({ port: (listener.addr as Deno.NetAddr).port });
 * const buf = new Uint8Array(16);
 * const n = await conn.read(buf);
 * assert.equal(new TextDecoder().decode(buf.subarray(0, n!)), "+PONG\r\n");
 * conn.close();
 * loop.stop();
 * await loop.done;
 * ```
 *
 * @param listener A bound listener; the loop closes it.
 * @param handle Serves one connection; its errors are logged, never thrown.
 * @param options Shutdown signal, logging, admission and hooks.
 * @returns The loop.
 */
export function acceptConnections(
  listener: Deno.Listener,
  handle: (live: LiveConnection) => Promise<void>,
  options: AcceptOptions = {},
): AcceptLoop {
  const log = options.log ?? (() => {});
  const live = new Set<LiveConnection>();
  const tasks = new Set<Promise<void>>();
  let stopping = false;
  let nextId = 1;

  const stop = () => {
    if (stopping) return;
    stopping = true;
    try {
      listener.close();
    } catch { /* already closed */ }
    options.onStop?.();
    // Idle connections have nothing in flight: closing them ends their read. Busy ones see
    // `stopping` after writing the replies to what they have read, and close themselves.
    for (const c of live) if (c.idle) closeQuietly(c.conn);
  };
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener("abort", stop, { once: true });

  const run = async () => {
    try {
      while (!stopping) {
        let conn: Deno.Conn;
        try {
          conn = await listener.accept();
        } catch (error) {
          if (stopping || error instanceof Deno.errors.BadResource) break;
          log(`accept failed: ${error instanceof Error ? error.message : error}`);
          continue;
        }
        if (stopping) {
          closeQuietly(conn);
          break;
        }
        options.onAccept?.();
        if (options.admit && !options.admit(live.size)) {
          refuse(conn);
          continue;
        }
        const entry: LiveConnection = { conn, id: nextId++, idle: true };
        live.add(entry);
        const task = handle(entry)
          .catch((error) =>
            log(`connection failed: ${error instanceof Error ? error.message : error}`)
          )
          .finally(() => {
            live.delete(entry);
            tasks.delete(task);
          });
        tasks.add(task);
      }
    } finally {
      options.signal?.removeEventListener("abort", stop);
      stop();
      await Promise.all(tasks);
    }
  };
  return { stop, stopping: () => stopping, done: run() };
}

async function refuse(conn: Deno.Conn): Promise<void> {
  try {
    await conn.write(new TextEncoder().encode("-ERR max number of clients reached\r\n"));
  } catch { /* gone already */ }
  closeQuietly(conn);
}

/**
 * Closes a connection that may be closed already.
 *
 * @param conn The connection.
 */
export function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}

/**
 * `host:port` of an address, as CLIENT LIST and MONITOR show it.
 *
 * @example
 * ```ts
 * import { addressText } from "./accept.ts";
 * console.assert(addressText({ transport: "tcp", hostname: "127.0.0.1", port: 6379 }) === "127.0.0.1:6379");
 * ```
 *
 * @param addr The address.
 * @returns The text.
 */
export function addressText(addr: Deno.Addr): string {
  const a = addr as Deno.NetAddr;
  return `${a.hostname}:${a.port}`;
}
