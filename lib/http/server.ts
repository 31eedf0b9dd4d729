/**
 * kit's HTTP/1.1 server engine: an accept loop over `Deno.listen` (or `Deno.listenTls`) that
 * runs one {@linkcode ServerConnection} task per connection and calls a web-standard handler.
 *
 * `serve` calls a web-standard `(Request, ConnInfo) => Response` handler; `serveIncoming` calls
 * one that gets the engine's {@linkcode IncomingRequest} (method, URL, headers as parsed) and
 * builds the web `Request` only if it asks, which is most of a small request's cost saved for a
 * router that answers from method and path (kit web's `App.fetchIncoming`).
 *
 * Timeouts are enforced by one sweep timer per server rather than a timer per request: each
 * connection keeps a deadline for its current phase, and the sweep expires the late ones. That
 * keeps the hot path free of setTimeout/clearTimeout pairs.
 *
 * @module
 */
import { ServerConnection, type ServerConnectionConfig } from "./server_conn.ts";
import type { IncomingRequest } from "./incoming_request.ts";

export { IncomingRequest } from "./incoming_request.ts";

/** What the handler learns about the connection a request came on. */
export interface ConnInfo {
  /** The client's address. */
  remoteAddr: Deno.NetAddr;
  /** The server's address the client connected to. */
  localAddr: Deno.NetAddr;
  /** Whether the request came over TLS. */
  secure: boolean;
  /** Aborted when the client goes away or the handler runs out of time (also `request.signal`). */
  signal: AbortSignal;
}

/** A request handler: the web-standard shape, plus connection info. */
export type Handler = (request: Request, info: ConnInfo) => Response | Promise<Response>;

/**
 * A handler that gets the engine's {@linkcode IncomingRequest}: method, URL and headers as
 * parsed, and the web `Request` built only if it asks for one.
 */
export type IncomingHandler = (incoming: IncomingRequest) => Response | Promise<Response>;

/** Bounds on what a client may make the server buffer. */
export interface ServerLimits {
  /** Longest line of a request head (request line or header line), CRLF included; over it: 431. @default 8192 */
  maxLineBytes?: number;
  /** Largest request head, blank line included; over it: 431. @default 16384 */
  maxHeadBytes?: number;
  /** Most header lines; over it: 431. @default 100 */
  maxHeaderCount?: number;
  /** Largest request body; over it: 413. @default 10485760 */
  maxBodyBytes?: number;
  /** Most open connections; a connection beyond it is closed at once. @default 10000 */
  maxConnections?: number;
}

/** The limits used unless told otherwise. */
export const SERVER_LIMITS = {
  maxLineBytes: 8192,
  maxHeadBytes: 16384,
  maxHeaderCount: 100,
  maxBodyBytes: 10 * 1024 * 1024,
  maxConnections: 10000,
} as const satisfies ServerLimits;

/** Time limits, in milliseconds (0 turns one off). */
export interface ServerTimeouts {
  /** From the first byte of a request head to its end (slowloris); then 408 and close. @default 10000 */
  headers?: number;
  /** Keep-alive idle time between requests, and before the first; then a quiet close. @default 5000 */
  idle?: number;
  /** Until the handler returns its Response; then 503, the request signal aborts, and close. @default 30000 */
  handler?: number;
  /** Longest wait for request body bytes the handler asked for; then close. @default 30000 */
  body?: number;
  /** Longest wait for one write of the response to the client (a client that stops reading); then close. @default 30000 */
  write?: number;
}

/** The timeouts used unless told otherwise. */
export const SERVER_TIMEOUTS = {
  headers: 10000,
  idle: 5000,
  handler: 30000,
  body: 30000,
  write: 30000,
} as const satisfies ServerTimeouts;

/** Options for {@linkcode serve}. */
export interface ServeOptions {
  /** The address to bind. @default "127.0.0.1" */
  hostname?: string;
  /** The port; 0 picks a free one (read it from `server.addr`). @default 8000 */
  port?: number;
  /** Serve HTTPS with this PEM certificate chain and key. */
  tls?: { cert: string; key: string };
  /** Serve on this listener instead of binding one (hostname, port and tls are then ignored). */
  listener?: Deno.Listener;
  /** Whether `listener` speaks TLS (for `ConnInfo.secure` and the request URL). @default false */
  secure?: boolean;
  /** Request size limits. */
  limits?: ServerLimits;
  /** Time limits. */
  timeouts?: ServerTimeouts;
  /** Aborting it shuts the server down gracefully, with {@linkcode ServeOptions.shutdownDeadline}. */
  signal?: AbortSignal;
  /** How long a shutdown triggered by `signal` lets in-flight requests run. @default 10000 */
  shutdownDeadline?: number;
  /** Called once the server listens. */
  onListen?: (addr: Deno.NetAddr) => void;
  /**
   * Called when the handler throws (with the request) or a connection fails (without). A
   * Response it returns is sent instead of the default 500.
   */
  onError?: (error: unknown, request?: Request) => Response | void | Promise<Response | void>;
  /** Add a Date header to responses that lack one. @default true */
  date?: boolean;
}

/** A running server. */
export interface HttpServer extends AsyncDisposable {
  /** The bound address (the real port when port 0 was asked for). */
  readonly addr: Deno.NetAddr;
  /** Resolves once the server has stopped and every connection is closed. */
  readonly finished: Promise<void>;
  /**
   * Stops accepting, closes idle connections, lets in-flight requests finish (their responses
   * carry `Connection: close`), and after `deadlineMs` closes what is left. Idempotent.
   *
   * @param deadlineMs How long in-flight requests may still run. @default 10000
   * @returns Resolves with `finished`.
   */
  shutdown(deadlineMs?: number): Promise<void>;
}

/**
 * Starts an HTTP/1.1 server that answers every request with `handler`.
 *
 * @example
 * ```ts
 * import { serve } from "./server.ts";
 * import assert from "node:assert/strict";
 * const server = serve((req) => new Response(`hello ${new URL(req.url).pathname}`), { port: 0 });
 * const res = await fetch(`http://127.0.0.1:${server.addr.port}/kit`);
 * assert.equal(await res.text(), "hello /kit");
 * await server.shutdown();
 * ```
 *
 * @param handler Turns each request into a response.
 * @param options Address, TLS, limits, timeouts, shutdown signal.
 * @returns The running server.
 */
export function serve(handler: Handler, options: ServeOptions = {}): HttpServer {
  return new Server((incoming) => handler(incoming.request, incoming.info), options);
}

/**
 * Starts an HTTP/1.1 server like {@linkcode serve}, with a handler that takes the engine's
 * {@linkcode IncomingRequest}, so a request that needs no web `Request` (routing on method
 * and path, answering from memory) never pays for building one.
 *
 * @example
 * ```ts
 * import { serveIncoming } from "./server.ts";
 * import assert from "node:assert/strict";
 * const server = serveIncoming((incoming) => new Response(incoming.path), { port: 0 });
 * const res = await fetch(`http://127.0.0.1:${server.addr.port}/kit?x=1`);
 * assert.equal(await res.text(), "/kit");
 * await server.shutdown();
 * ```
 *
 * @param handler Turns each incoming request into a response.
 * @param options Address, TLS, limits, timeouts, shutdown signal.
 * @returns The running server.
 */
export function serveIncoming(handler: IncomingHandler, options: ServeOptions = {}): HttpServer {
  return new Server(handler, options);
}

class Server implements HttpServer {
  readonly addr: Deno.NetAddr;
  readonly finished: Promise<void>;
  readonly #listener: Deno.Listener;
  readonly #config: ServerConnectionConfig;
  readonly #conns = new Set<ServerConnection>();
  readonly #maxConnections: number;
  readonly #shutdownDeadline: number;
  readonly #signal?: AbortSignal;
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #stopping: Promise<void> | null = null;
  #accepting: Promise<void>;

  constructor(handler: IncomingHandler, options: ServeOptions) {
    const limits = { ...SERVER_LIMITS, ...options.limits };
    const timeouts = { ...SERVER_TIMEOUTS, ...options.timeouts };
    let secure = options.secure ?? false;
    if (options.listener) {
      this.#listener = options.listener;
    } else {
      const hostname = options.hostname ?? "127.0.0.1";
      const port = options.port ?? 8000;
      if (options.tls) {
        this.#listener = Deno.listenTls({
          hostname,
          port,
          cert: options.tls.cert,
          key: options.tls.key,
        });
        secure = true;
      } else {
        this.#listener = Deno.listen({ hostname, port });
      }
    }
    this.addr = this.#listener.addr as Deno.NetAddr;
    this.#maxConnections = limits.maxConnections;
    this.#shutdownDeadline = options.shutdownDeadline ?? 10000;
    this.#config = {
      handler,
      limits,
      timeouts,
      secure,
      onError: options.onError,
      date: options.date ?? true,
      localAddr: this.addr,
      clock: { now: performance.now() },
    };
    // Sweep often enough that a deadline is late by at most a quarter of the shortest timeout.
    const shortest = Math.min(
      ...Object.values(timeouts).filter((t) => t > 0),
      1000,
    );
    const tick = Math.max(10, Math.min(1000, Math.floor(shortest / 4)));
    this.#sweeper = setInterval(() => this.#sweep(), tick);
    this.#accepting = this.#acceptLoop();
    this.finished = this.#accepting.then(() => this.#drained());
    this.#signal = options.signal;
    if (this.#signal) {
      if (this.#signal.aborted) this.shutdown(this.#shutdownDeadline);
      else this.#signal.addEventListener("abort", this.#onAbort, { once: true });
    }
    options.onListen?.(this.addr);
  }

  #onAbort = () => {
    this.shutdown(this.#shutdownDeadline);
  };

  async #acceptLoop(): Promise<void> {
    while (true) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch (error) {
        // Closed by shutdown: the normal way out.
        if (this.#stopping) return;
        if (error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted) {
          return;
        }
        // A failed accept (EMFILE, a reset during accept) must not end the server.
        await this.#config.onError?.(error);
        continue;
      }
      if (this.#conns.size >= this.#maxConnections) {
        conn.close();
        continue;
      }
      const sc = new ServerConnection(conn, this.#config);
      this.#conns.add(sc);
      sc.run().finally(() => this.#conns.delete(sc));
    }
  }

  #sweep(): void {
    const now = performance.now();
    this.#config.clock.now = now;
    for (const conn of this.#conns) conn.tick(now);
  }

  async #drained(): Promise<void> {
    while (this.#conns.size > 0) {
      await Promise.all([...this.#conns].map((c) => c.closed));
    }
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }

  shutdown(deadlineMs = 10000): Promise<void> {
    if (this.#stopping) return this.#stopping;
    this.#signal?.removeEventListener("abort", this.#onAbort);
    this.#stopping = (async () => {
      try {
        this.#listener.close();
      } catch { /* already closed */ }
      await this.#accepting;
      for (const conn of this.#conns) conn.shutdown();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          for (const conn of this.#conns) conn.forceClose();
          resolve();
        }, deadlineMs);
      });
      await Promise.race([this.#drained(), late]);
      clearTimeout(timer);
      await this.finished;
    })();
    return this.#stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }
}
