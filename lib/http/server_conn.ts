/**
 * One server connection: reads request heads with the shared codec, streams bodies to the
 * handler, writes responses in order, and keeps the connection alive between requests.
 *
 * The loop is strictly sequential, which is what makes pipelining correct: the next head is
 * not parsed before the previous response is written, and bytes that arrived early wait in the
 * {@linkcode BufferedConn}'s push-back.
 *
 * @module
 */
import { concat } from "../bytes/mod.ts";
import { BufferedConn } from "./buffered_conn.ts";
import {
  type BodyFraming,
  bodyStream,
  expectsContinue,
  keepAlive,
  requestFraming,
} from "./body.ts";
import { HeadParser, type ParsedHead, type RequestHead } from "./head_parser.ts";
import { HttpError } from "./errors.ts";
import type { ServerLimits, ServerTimeouts } from "./server.ts";
import { STATUS_TEXT } from "./_status_text.ts";
import { EngineConnInfo, EngineRequest, LazyAbort } from "./_engine_request.ts";
import { takeUpgrade, type UpgradeHook, type UpgradeSession } from "./_upgrade.ts";
import { parseRequestHeadFast } from "./_fast_head.ts";
import { IncomingRequest } from "./incoming_request.ts";
import { requestMethod, requestUrl } from "./_request_target.ts";
import { staticBodyOf } from "./static_body.ts";

/** What every connection of one server shares. */
export interface ServerConnectionConfig {
  /** The request handler; it builds the web `Request` from the incoming one when it needs it. */
  handler: (incoming: IncomingRequest) => Response | Promise<Response>;
  /** Size limits, filled in. */
  limits: Required<ServerLimits>;
  /** Time limits, filled in. */
  timeouts: Required<ServerTimeouts>;
  /** Whether the listener speaks TLS. */
  secure: boolean;
  /** Error hook; may return the response to send for a failed handler. */
  onError?: (error: unknown, request?: Request) => Response | void | Promise<Response | void>;
  /** Add a Date header. */
  date: boolean;
  /** The listener's address (the Host fallback for HTTP/1.0 requests without one). */
  localAddr: Deno.NetAddr;
  /**
   * A clock the server's sweep advances: deadlines only need the sweep's resolution, and
   * reading the real clock several times per request is measurable on the hot path.
   */
  clock: { now: number };
}

const enum Phase {
  /** Waiting for the first byte of a request. */
  Idle,
  /** Reading a request head. */
  Head,
  /** The handler runs (a body read may be under way). */
  Handler,
  /** Writing the response. */
  Write,
  /** Handed over (WebSocket) or closed. */
  Done,
}

const encoder = new TextEncoder();
const CONTINUE = encoder.encode("HTTP/1.1 100 Continue\r\n\r\n");
const LAST_CHUNK = encoder.encode("0\r\n\r\n");
const CRLF = encoder.encode("\r\n");
/** Heads and bodies up to this size go out in one write. */
const SCRATCH = 16384;
/** How much of an unread request body is read and dropped to keep a connection alive. */
const DRAIN_LIMIT = 256 * 1024;
/** How long a refused request's connection reads and drops before it closes. */
const LINGER_MS = 1000;
// Host: reg-name or IP literal and an optional port; no "@", "/" or "\" that would move the
// authority when the URL is put together.
const HOST_RE = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::\d{1,5})?$/;
// Response headers the engine writes itself.
const SKIP = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);

let dateText = "";
let dateLine = "";
let dateAt = 0;
/** The Date header value, computed at most once per second (the field has one-second resolution). */
function httpDate(): string {
  const now = Date.now();
  if (now - dateAt >= 1000 || dateText === "") {
    dateAt = now - (now % 1000);
    dateText = new Date(dateAt).toUTCString();
    dateLine = `date: ${dateText}\r\n`;
  }
  return dateText;
}

/** The whole Date header line, CRLF included. */
function httpDateLine(): string {
  httpDate();
  return dateLine;
}

/** Status lines by status, for responses without a reason phrase of their own. */
const STATUS_LINES: string[] = [];
function statusLine(status: number, reason: string): string {
  if (reason !== "") return `HTTP/1.1 ${status} ${reason}\r\n`;
  return STATUS_LINES[status] ??= `HTTP/1.1 ${status} ${STATUS_TEXT[status] || ""}\r\n`;
}

/** Thrown through a request body stream when the client sends more than the limit. */
class BodyTooLarge extends HttpError {
  constructor(limit: number) {
    super("body", `request body larger than ${limit} bytes`);
  }
}

/** Why a request was refused before the handler ran. */
class Refusal {
  constructor(readonly status: number, readonly reason: string) {}
}

/**
 * Serves requests on one accepted connection until it closes.
 *
 * @example
 * ```ts ignore
 * const sc = new ServerConnection(await listener.accept(), config);
 * await sc.run();
 * ```
 */
export class ServerConnection {
  readonly #conn: Deno.Conn;
  readonly #bc: BufferedConn;
  readonly #config: ServerConnectionConfig;
  readonly #remoteAddr: Deno.NetAddr;
  #phase = Phase.Idle;
  /** When the current phase runs out (on the server's coarse clock), checked by the server's sweep. */
  #deadline = Infinity;
  /** When the body read under way runs out. */
  #bodyDeadline = Infinity;
  #closing = false;
  #closed = false;
  #scratch: Uint8Array | null = null;
  #onHandlerTimeout: (() => void) | null = null;
  /** The request under way's abort: client gone, handler timeout, forced shutdown. */
  #abort = new LazyAbort();
  #readAhead: Promise<Uint8Array | null> | null = null;
  #served = 0;
  /** The last Host value that passed the check. */
  #checkedHost = "";
  /** Whether the last head came from the fast parser (else the reference parser). */
  #fastHead = false;
  readonly #headLimits: { maxLineLength: number; maxHeadSize: number; maxHeaders: number };
  #session: UpgradeSession | null = null;
  #closedResolve!: () => void;
  /** Resolves once the connection is closed or handed over. */
  readonly closed: Promise<void>;

  /**
   * @param conn The accepted connection.
   * @param config What the server's connections share.
   */
  constructor(conn: Deno.Conn, config: ServerConnectionConfig) {
    this.#conn = conn;
    this.#config = config;
    this.#remoteAddr = conn.remoteAddr as Deno.NetAddr;
    this.#headLimits = {
      maxLineLength: config.limits.maxLineBytes,
      maxHeadSize: config.limits.maxHeadBytes,
      maxHeaders: config.limits.maxHeaderCount,
    };
    this.#bc = new BufferedConn(conn, { initialBufferSize: 16384, minFree: 2048 });
    this.closed = new Promise((resolve) => this.#closedResolve = resolve);
    try {
      // Each response goes out in as few writes as possible; Nagle would only delay them.
      (conn as Deno.TcpConn).setNoDelay?.(true);
    } catch { /* TLS or a closed socket */ }
  }

  /** Serves requests until the client leaves, a request forbids keep-alive, or shutdown. */
  async run(): Promise<void> {
    try {
      this.#setPhase(Phase.Idle, this.#config.timeouts.headers);
      while (!this.#closing) {
        const keep = await this.#serveOne();
        if (!keep) break;
      }
    } catch (error) {
      if (!isDisconnect(error)) await this.#report(error);
    } finally {
      this.#close();
      this.#closedResolve();
    }
  }

  /** Called by the server's sweep: expires the current phase when its deadline has passed. */
  tick(now: number): void {
    if (now >= this.#bodyDeadline) {
      this.#bodyDeadline = Infinity;
      this.#close();
      return;
    }
    if (now < this.#deadline) return;
    this.#deadline = Infinity;
    switch (this.#phase) {
      case Phase.Idle:
        this.#close();
        break;
      case Phase.Head:
        // Best effort: a client that sends nothing may not read either.
        this.#conn.write(errorHead(408, "request head timeout")).catch(() => {}).finally(() =>
          this.#close()
        );
        break;
      case Phase.Handler:
        this.#onHandlerTimeout?.();
        break;
      case Phase.Write:
        this.#close();
        break;
    }
  }

  /** Graceful shutdown: close now when idle, else after the response under way. */
  shutdown(): void {
    this.#closing = true;
    this.#session?.shutdown();
    if (this.#phase === Phase.Idle) this.#close();
  }

  /** Closes the connection whatever it is doing, aborting the request under way. */
  forceClose(): void {
    this.#session?.forceClose();
    this.#abort.abort(new DOMException("server shut down", "AbortError"));
    this.#close();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#phase = Phase.Done;
    this.#deadline = Infinity;
    this.#abort.abort(new DOMException("connection closed", "AbortError"));
    this.#bc.close();
  }

  #setPhase(phase: Phase, timeout: number): void {
    this.#phase = phase;
    this.#deadline = timeout > 0 ? this.#config.clock.now + timeout : Infinity;
  }

  async #report(error: unknown, request?: Request): Promise<Response | void> {
    try {
      return await this.#config.onError?.(error, request);
    } catch {
      // An error hook that throws has nothing more to say.
    }
  }

  /** Reads one request and answers it; true when the connection may carry another. */
  async #serveOne(): Promise<boolean> {
    // A read-ahead started while the handler ran is the read this returns.
    this.#readAhead = null;
    const chunk = await this.#bc.read();
    if (chunk === null) return false;
    const first = this.#firstChunk(chunk);
    const head = first instanceof HeadParser ? await this.#restOfHead(first) : first;
    if (head === null) return false;
    if (head instanceof Refusal) {
      await this.#refuse(head);
      return false;
    }
    const { limits, timeouts } = this.#config;

    // Framing first: a message whose length is in doubt can only be refused (RFC 9112 §6.3).
    let incoming: IncomingRequest;
    let bodyState: BodyState | null = null;
    let alive = keepAlive(head.version, head.headers);
    let isHead = false;
    try {
      const method = requestMethod(head.method);
      isHead = method === "HEAD";
      const framing = requestFraming(head);
      if (framing.kind === "length" && framing.length > limits.maxBodyBytes) {
        await this.#refuse(
          new Refusal(413, `request body larger than ${limits.maxBodyBytes} bytes`),
        );
        return false;
      }
      const url = this.#url(head, method);
      if (this.#served++ > 0) this.#abort = new LazyAbort();
      if (framing.kind !== "none") {
        bodyState = {
          framing,
          stream: null,
          started: false,
          done: false,
          failed: null,
          expectContinue: head.version === "HTTP/1.1" && expectsContinue(head.headers),
        };
      }
      const abort = this.#abort;
      const state = bodyState;
      const info = new EngineConnInfo(
        this.#remoteAddr,
        this.#config.localAddr,
        this.#config.secure,
        abort,
      );
      incoming = new IncomingRequest(
        method,
        url,
        head.headers,
        info,
        () => this.#request(url, method, head, state, abort),
      );
      // The fast parser's heads hold printable ASCII only, which the URL and method checks
      // above cover; a head from the reference parser may hold bytes only the Request
      // constructor refuses, so it is built now, where a failure is still a 400.
      if (!this.#fastHead) void incoming.request;
    } catch (error) {
      const reason = error instanceof HttpError || error instanceof TypeError
        ? error.message
        : "bad request";
      await this.#refuse(new Refusal(400, reason));
      return false;
    }
    // Noticing a client that hangs up only matters to a handler that looks at the signal.
    if (!bodyState) {
      const abort = this.#abort;
      abort.onDemand = () => {
        // Asked late, once the connection has moved on, there is nothing left to watch.
        if (
          this.#abort === abort && (this.#phase === Phase.Handler || this.#phase === Phase.Write)
        ) {
          this.#watchClose();
        }
      };
    }

    // The handler, with its deadline.
    this.#setPhase(Phase.Handler, timeouts.handler);
    let response: Response;
    let timedOut = false;
    try {
      const out = this.#config.handler(incoming);
      if (out instanceof Response) {
        response = out;
      } else {
        const settled = await this.#race(Promise.resolve(out));
        if (settled === TIMEOUT) {
          timedOut = true;
          this.#abort.abort(new DOMException("handler timed out", "TimeoutError"));
          response = textResponse(503, "handler timed out");
        } else {
          response = settled;
        }
      }
      if (!(response instanceof Response)) {
        throw new TypeError(`handler returned ${typeof response}, not a Response`);
      }
    } catch (error) {
      response = await this.#failure(error, incoming, bodyState);
    }
    this.#onHandlerTimeout = null;

    const upgrade = takeUpgrade(response);
    if (upgrade) {
      if (response.status !== 200 && response.status !== 101) {
        upgrade.fail(new TypeError("upgrade response replaced"));
      } else return await this.#upgrade(upgrade, incoming);
    }

    if (timedOut || bodyState?.failed || this.#closing) alive = false;
    // A client waiting for 100 Continue may never send the body: nothing to drain, so close.
    if (bodyState?.expectContinue) alive = false;
    alive = await this.#writeResponse(response, head, isHead, alive);
    if (!alive) return false;
    if (bodyState && !bodyState.done) return await this.#drain(bodyState);
    return true;
  }

  /** Waits for the handler's promise, or the handler deadline. */
  #race(out: Promise<Response>): Promise<Response | typeof TIMEOUT> {
    if (this.#config.timeouts.handler <= 0) return out;
    return new Promise((resolve, reject) => {
      this.#onHandlerTimeout = () => resolve(TIMEOUT);
      out.then(resolve, reject);
    });
  }

  /** The response for a handler that threw: the error hook's, 413/400 for a bad body, else 500. */
  async #failure(
    error: unknown,
    incoming: IncomingRequest,
    body: BodyState | null,
  ): Promise<Response> {
    if (body?.failed instanceof BodyTooLarge) {
      return textResponse(413, body.failed.message);
    }
    if (body?.failed) return textResponse(400, "malformed request body");
    const custom = await this.#report(error, requestOf(incoming));
    if (custom instanceof Response) return custom;
    return textResponse(500, "internal server error");
  }

  /**
   * Reads the rest of a request head the first read left incomplete. Null when the client
   * closed; a {@linkcode Refusal} when the head is malformed (400) or too large (431).
   */
  async #restOfHead(parser: HeadParser<RequestHead>): Promise<RequestHead | Refusal | null> {
    while (true) {
      const chunk = await this.#bc.read();
      if (chunk === null) return null;
      let parsed;
      try {
        parsed = parser.push(chunk);
      } catch (error) {
        return refusalFor(error);
      }
      if (parsed) return this.#headRead(parsed);
    }
  }

  /**
   * The first read of a request head, parsed: the head, a {@linkcode Refusal}, or the
   * reference parser holding what came so far. Synchronous, so the usual request (a whole
   * head in one read) costs no promise of its own.
   */
  #firstChunk(chunk: Uint8Array): RequestHead | Refusal | HeadParser<RequestHead> {
    if (this.#phase === Phase.Idle) this.#setPhase(Phase.Head, this.#config.timeouts.headers);
    try {
      // The usual case, a whole plain head in one read, skips the incremental parser.
      let parsed = parseRequestHeadFast(chunk, this.#headLimits);
      this.#fastHead = parsed !== undefined;
      if (parsed === undefined) {
        const parser = HeadParser.request(this.#headLimits);
        parsed = parser.push(chunk);
        if (parsed === undefined) return parser;
      }
      return this.#headRead(parsed);
    } catch (error) {
      return refusalFor(error);
    }
  }

  /** A complete head: pushes back what followed it and checks the Host rule. */
  #headRead(parsed: ParsedHead<RequestHead>): RequestHead | Refusal {
    this.#bc.unread(parsed.rest);
    const head = parsed.head;
    // HTTP/1.1 requires exactly one Host (RFC 9112 §3.2); two could route one request twice.
    const hosts = head.headers.getAll("host");
    if (hosts.length > 1 || (hosts.length === 0 && head.version === "HTTP/1.1")) {
      return new Refusal(400, hosts.length ? "more than one Host header" : "missing Host header");
    }
    return head;
  }

  /** The request's absolute URL, as `Request.url` would give it. */
  #url(head: RequestHead, method: string): string {
    const scheme = this.#config.secure ? "https" : "http";
    const target = head.target;
    if (target.charCodeAt(0) === 0x2f) { // "/"
      const host = head.headers.get("host") || hostOf(this.#config.localAddr);
      // A connection's requests nearly always name the same host: checked once.
      if (host !== this.#checkedHost) {
        if (!HOST_RE.test(host)) throw new HttpError("protocol", "invalid Host header");
        this.#checkedHost = host;
      }
      return requestUrl(scheme, host, target);
    }
    if (target === "*" && method === "OPTIONS") {
      return requestUrl(scheme, head.headers.get("host") || hostOf(this.#config.localAddr), "/*");
    }
    // absolute-form, which a server must accept (RFC 9112 §3.2.2).
    if (/^https?:\/\//i.test(target)) return new URL(target).href;
    throw new HttpError("protocol", "invalid request target");
  }

  /** Builds the web `Request` for an incoming request (when the handler first asks). */
  #request(
    url: string,
    method: string,
    head: RequestHead,
    state: BodyState | null,
    abort: LazyAbort,
  ): Request {
    // GET and HEAD may not carry a body in a Request; one sent anyway is read and dropped.
    const body = state && method !== "GET" && method !== "HEAD" ? this.#bodyStream(state) : null;
    const request = new EngineRequest(url, {
      method,
      body,
      // @ts-ignore: `duplex` is required for a stream body, and missing from older lib types.
      duplex: body ? "half" : undefined,
    }, abort);
    // Appended to the request's own headers: passing a Headers object to the constructor
    // would convert and copy it through WebIDL, a measurable share of a small request.
    const headers = request.headers;
    for (const [name, value] of head.headers.entries()) headers.append(name, value);
    return request;
  }

  /** Once the request is read, a pending read notices a client that hangs up mid-handler. */
  #watchClose(): void {
    if (this.#readAhead || this.#bc.hasPending) return;
    const abort = this.#abort;
    const ahead = this.#bc.readAhead();
    this.#readAhead = ahead;
    ahead.then((chunk) => {
      if (chunk === null) abort.abort(new DOMException("client closed", "AbortError"));
    }, () => abort.abort(new DOMException("client closed", "AbortError")));
  }

  /** The request body as a stream the handler pulls: 100 Continue on the first pull, size limit. */
  #bodyStream(state: BodyState): ReadableStream<Uint8Array> {
    const { limits, timeouts } = this.#config;
    let total = 0;
    let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (!reader) reader = this.#rawBody(state).getReader();
        if (state.expectContinue) {
          state.expectContinue = false;
          await this.#bc.writeAll(CONTINUE);
        }
        this.#bodyDeadline = timeouts.body > 0 ? this.#config.clock.now + timeouts.body : Infinity;
        let result;
        try {
          result = await reader.read();
        } catch (error) {
          state.failed = error;
          throw error;
        } finally {
          this.#bodyDeadline = Infinity;
        }
        if (result.done) {
          controller.close();
          return;
        }
        total += result.value.length;
        if (total > limits.maxBodyBytes) {
          const error = new BodyTooLarge(limits.maxBodyBytes);
          state.failed = error;
          reader.cancel(error).catch(() => {});
          throw error;
        }
        controller.enqueue(result.value);
      },
      cancel: (reason) => reader?.cancel(reason),
    }, { highWaterMark: 0 });
  }

  #rawBody(state: BodyState): ReadableStream<Uint8Array> {
    state.started = true;
    state.stream = bodyStream(this.#bc, state.framing, {
      onEnd: (complete) => {
        if (!complete) return;
        state.done = true;
        this.#watchClose();
      },
    });
    return state.stream;
  }

  /** Reads and drops what the handler left of the body, so the next request can be read. */
  async #drain(state: BodyState): Promise<boolean> {
    // The client waits for 100 Continue before sending: it may never send the body at all.
    if (state.expectContinue) return false;
    const reader = (state.stream ?? this.#rawBody(state)).getReader();
    let total = 0;
    this.#setPhase(Phase.Handler, this.#config.timeouts.body);
    try {
      while (true) {
        this.#bodyDeadline = this.#config.timeouts.body > 0
          ? this.#config.clock.now + this.#config.timeouts.body
          : Infinity;
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > DRAIN_LIMIT) return false;
      }
    } catch {
      return false;
    } finally {
      this.#bodyDeadline = Infinity;
    }
    this.#setPhase(Phase.Idle, this.#config.timeouts.idle);
    return true;
  }

  /** Writes an error response for a request refused before the handler, then the caller closes. */
  async #refuse(refusal: Refusal): Promise<void> {
    this.#setPhase(Phase.Write, this.#config.timeouts.write);
    try {
      await this.#bc.writeAll(errorHead(refusal.status, refusal.reason));
      // Lingering close: closing with unread request bytes makes the kernel send a reset,
      // which can destroy the error response before the client reads it. Read and drop a
      // bounded amount until the client closes, for at most a second.
      await this.#conn.closeWrite();
      this.#setPhase(Phase.Write, LINGER_MS);
      let dropped = 0;
      while (dropped < DRAIN_LIMIT) {
        const chunk = await this.#bc.read();
        if (chunk === null) break;
        dropped += chunk.length;
      }
    } catch { /* the client is gone */ }
  }

  #scratchFor(size: number): Uint8Array {
    if (size > SCRATCH) return new Uint8Array(size);
    return this.#scratch ??= new Uint8Array(SCRATCH);
  }

  #write(bytes: Uint8Array): Promise<void> {
    this.#deadline = this.#config.timeouts.write > 0
      ? this.#config.clock.now + this.#config.timeouts.write
      : Infinity;
    // One promise for the usual whole write; the buffered writer loops over a partial one.
    return this.#conn.write(bytes).then((n) =>
      n < bytes.length ? this.#bc.writeAll(bytes.subarray(n)) : undefined
    );
  }

  /**
   * Writes the response: Content-Length when the body's length is known (a header the handler
   * set, or a body that ends within its first chunk), else chunked to HTTP/1.1 clients and
   * close-delimited to HTTP/1.0 ones. Returns whether the connection may carry another request.
   */
  async #writeResponse(
    response: Response,
    head: RequestHead,
    isHead: boolean,
    alive: boolean,
  ): Promise<boolean> {
    this.#setPhase(Phase.Write, this.#config.timeouts.write);
    const status = response.status;
    const noBody = isHead || status === 204 || status === 304 || status < 200;
    let text = statusLine(status, response.statusText);
    let declared = null as number | null;
    let hasDate = false;
    // forEach rather than for-of: no iterator result object per header.
    response.headers.forEach((value, name) => {
      if (SKIP.has(name)) {
        if (name === "content-length" && /^\d{1,15}$/.test(value)) declared = Number(value);
        if (name === "connection" && /(^|,)\s*close\s*(,|$)/i.test(value)) alive = false;
        return;
      }
      if (name === "date") hasDate = true;
      text += `${name}: ${value}\r\n`;
    });
    if (!hasDate && this.#config.date) text += httpDateLine();

    const http10 = head.version === "HTTP/1.0";
    let first: Uint8Array | null = null;
    let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
    let known: number | null = declared;
    // A body the framework made from a string goes out with the head without its stream.
    let staticText: string | null = null;
    if (declared === null) {
      const mark = staticBodyOf(response);
      if (mark !== undefined) staticText = mark === true ? await response.text() : mark;
    }
    const stream = staticText === null ? response.body : null;
    if (staticText !== null) {
      // deno-lint-ignore no-control-regex
      if (/^[\x00-\x7f]*$/.test(staticText)) {
        known = staticText.length;
      } else {
        first = encoder.encode(staticText);
        known = first.length;
        staticText = null;
      }
    } else if (stream && (declared === null || !noBody)) {
      reader = stream.getReader();
      if (declared === null) {
        // Read ahead one step: an in-memory body (string, bytes, JSON) ends after one chunk,
        // so its length is known and it can go out with the head in one write.
        const a = await reader.read();
        if (a.done) {
          known = 0;
          reader = null;
        } else {
          first = a.value;
          const b = await reader.read();
          if (b.done) {
            known = first.length;
            reader = null;
          } else {
            first = concat([first, b.value]);
          }
        }
      }
    } else if (!stream && declared === null) {
      known = 0;
    }
    if (noBody) {
      if (reader) reader.cancel().catch(() => {});
      else if (stream) stream.cancel().catch(() => {});
      reader = null;
      first = null;
      staticText = null;
    }

    let chunked = false;
    if (status < 200 || status === 204) {
      // No body and no length (RFC 9110 §8.6).
    } else if (status === 304) {
      if (declared !== null) text += `content-length: ${declared}\r\n`;
    } else if (known !== null) {
      text += `content-length: ${known}\r\n`;
    } else if (noBody) {
      // HEAD of a body of unknown length: nothing to announce.
    } else if (http10) {
      alive = false; // close-delimited
    } else {
      text += "transfer-encoding: chunked\r\n";
      chunked = true;
    }
    if (http10 && alive) text += "connection: keep-alive\r\n";
    else if (!alive) text += "connection: close\r\n";
    text += "\r\n";

    try {
      if (staticText !== null) {
        // Head and body in one buffer, one write; one encode call when both are ASCII.
        const buf = this.#scratchFor(text.length * 3 + staticText.length);
        let n: number;
        // deno-lint-ignore no-control-regex
        if (!/[^\x00-\x7f]/.test(text)) {
          n = encoder.encodeInto(text + staticText, buf).written;
        } else {
          n = encodeHead(text, buf);
          n += encoder.encodeInto(staticText, buf.subarray(n)).written;
        }
        // The write deadline was set with the phase above; a partial write is finished by the
        // buffered writer.
        const out = buf.subarray(0, n);
        const written = await this.#conn.write(out);
        if (written < n) await this.#bc.writeAll(out.subarray(written));
        if (!alive) return false;
        this.#setPhase(Phase.Idle, this.#config.timeouts.idle);
        return true;
      }
      // Head and a small body in one write.
      const bodyFirst = first && !noBody ? first : null;
      const prefix = chunked && bodyFirst ? `${bodyFirst.length.toString(16)}\r\n` : "";
      const maxLen = text.length * 3 + prefix.length +
        (bodyFirst ? bodyFirst.length + (chunked ? 2 : 0) : 0);
      const buf = this.#scratchFor(maxLen);
      let n = encodeHead(text, buf);
      if (bodyFirst && n + prefix.length + bodyFirst.length + 2 <= buf.length) {
        n += encoder.encodeInto(prefix, buf.subarray(n)).written;
        buf.set(bodyFirst, n);
        n += bodyFirst.length;
        if (chunked) {
          buf.set(CRLF, n);
          n += 2;
        }
        await this.#write(buf.subarray(0, n));
      } else {
        await this.#write(buf.subarray(0, n));
        if (bodyFirst) await this.#writeBody(bodyFirst, chunked);
      }
      let sent = bodyFirst ? bodyFirst.length : 0;
      if (reader) {
        while (true) {
          const { done, value } = await reader.read();
          if (done) break;
          if (value.length === 0) continue;
          if (known !== null && sent + value.length > known) {
            // The handler declared less than it sends: the framing would break; stop here.
            await this.#write(value.subarray(0, known - sent));
            reader.cancel().catch(() => {});
            return false;
          }
          sent += value.length;
          await this.#writeBody(value, chunked);
        }
        if (chunked) await this.#write(LAST_CHUNK);
        if (known !== null && sent < known) return false;
      } else if (chunked && first) {
        await this.#write(LAST_CHUNK);
      }
    } catch (error) {
      reader?.cancel().catch(() => {});
      if (!isDisconnect(error)) await this.#report(error);
      return false;
    }
    if (!alive) return false;
    this.#setPhase(Phase.Idle, this.#config.timeouts.idle);
    return true;
  }

  async #writeBody(data: Uint8Array, chunked: boolean): Promise<void> {
    if (!chunked) return await this.#write(data);
    const size = encoder.encode(`${data.length.toString(16)}\r\n`);
    if (data.length <= SCRATCH - size.length - 2) {
      const buf = this.#scratchFor(SCRATCH);
      buf.set(size, 0);
      buf.set(data, size.length);
      buf.set(CRLF, size.length + data.length);
      return await this.#write(buf.subarray(0, size.length + data.length + 2));
    }
    await this.#write(size);
    await this.#write(data);
    await this.#write(CRLF);
  }

  /** Writes the 101 and hands the socket, with any bytes read past the head, to the upgrade. */
  async #upgrade(upgrade: UpgradeHook, incoming: IncomingRequest): Promise<boolean> {
    this.#setPhase(Phase.Write, this.#config.timeouts.write);
    let text = "HTTP/1.1 101 Switching Protocols\r\n";
    for (const [name, value] of upgrade.headers) text += `${name}: ${value}\r\n`;
    try {
      await this.#bc.writeAll(encoder.encode(text + "\r\n"));
    } catch (error) {
      upgrade.fail(error);
      if (!isDisconnect(error)) await this.#report(error, requestOf(incoming));
      return false;
    }
    // From here the socket belongs to the upgraded protocol; the connection only waits for it
    // to end, and passes a server shutdown on to it.
    this.#phase = Phase.Done;
    this.#deadline = Infinity;
    this.#readAhead = null;
    const session = upgrade.accept({ conn: this.#conn, bc: this.#bc });
    this.#session = session;
    if (this.#closing) session.shutdown();
    await session.done;
    this.#close();
    return false;
  }
}

/** The state of a request body between the handler and the connection loop. */
interface BodyState {
  framing: BodyFraming;
  stream: ReadableStream<Uint8Array> | null;
  started: boolean;
  done: boolean;
  failed: unknown;
  expectContinue: boolean;
}

const TIMEOUT = Symbol("timeout");

/** The web Request for an error report; undefined if it cannot be built. */
function requestOf(incoming: IncomingRequest): Request | undefined {
  try {
    return incoming.request;
  } catch {
    return undefined;
  }
}

/** The refusal for a head the parser rejected: 431 for a limit, else 400. */
function refusalFor(error: unknown): Refusal {
  const message = error instanceof Error ? error.message : String(error);
  return new Refusal(isLimitError(message) ? 431 : 400, message);
}

function isLimitError(message: string): boolean {
  return /longer than|larger than|more than \d+ header/.test(message);
}

function hostOf(addr: Deno.NetAddr): string {
  return addr.hostname.includes(":")
    ? `[${addr.hostname}]:${addr.port}`
    : `${addr.hostname}:${addr.port}`;
}

function textResponse(status: number, text: string): Response {
  return new Response(text + "\n", {
    status,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

/** A complete error response that closes the connection. */
function errorHead(status: number, reason: string): Uint8Array {
  const body = `${STATUS_TEXT[status] ?? "Error"}: ${reason.replace(/[^\x20-\x7e]/g, "?")}\n`;
  return encoder.encode(
    `HTTP/1.1 ${status} ${
      STATUS_TEXT[status] ?? ""
    }\r\ncontent-type: text/plain; charset=utf-8\r\n` +
      `content-length: ${body.length}\r\nconnection: close\r\ndate: ${httpDate()}\r\n\r\n${body}`,
  );
}

/** Writes a head into `buf`: header values are byte strings, so chars 0x80-0xFF are one byte each. */
function encodeHead(text: string, buf: Uint8Array): number {
  // deno-lint-ignore no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return encoder.encodeInto(text, buf).written;
  for (let i = 0; i < text.length; i++) buf[i] = text.charCodeAt(i) & 0xff;
  return text.length;
}

/** Whether an error only means the client went away. */
function isDisconnect(error: unknown): boolean {
  return error instanceof Deno.errors.BrokenPipe ||
    error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.ConnectionAborted ||
    error instanceof Deno.errors.BadResource ||
    error instanceof Deno.errors.Interrupted ||
    error instanceof Deno.errors.UnexpectedEof ||
    (error instanceof Error && error.name === "InvalidData") ||
    (error instanceof HttpError && error.kind === "body");
}
