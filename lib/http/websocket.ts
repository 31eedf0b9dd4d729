/**
 * WebSocket (RFC 6455) on kit's server engine, with the shape of `Deno.upgradeWebSocket`, so one
 * code path serves both engines: the handshake check, and a server-side socket that frames,
 * unmasks, reassembles fragments, answers pings, enforces size limits and runs the close
 * handshake.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { BufferedConn } from "./buffered_conn.ts";
import {
  isEngineRequest,
  registerUpgrade,
  type UpgradedSocket,
  type UpgradeSession,
} from "./_upgrade.ts";
import {
  closePayload,
  encodeFrame,
  FrameDecoder,
  isValidCloseCode,
  Opcode,
  WebSocketProtocolError,
} from "./websocket_frame.ts";

export { isEngineRequest };

/** Options for {@linkcode upgradeWebSocket}. */
export interface UpgradeWebSocketOptions {
  /** The subprotocol to choose; must be one the client offered in Sec-WebSocket-Protocol. */
  protocol?: string;
  /**
   * Seconds without a frame from the client before a ping is sent; without an answer within as
   * long again the connection is closed (1001). 0 turns it off. @default 120
   */
  idleTimeout?: number;
  /** Largest message (all fragments together) or frame; over it the socket closes with 1009. @default 16777216 */
  maxMessageBytes?: number;
}

/** What {@linkcode upgradeWebSocket} returns. */
export interface WebSocketUpgrade {
  /** The server side of the connection; "open" fires once the handshake is written. */
  socket: WebSocket;
  /** The response the handler must return, as it is, to complete the handshake. */
  response: Response;
}

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const KEY_RE = /^[A-Za-z0-9+/]{22}==$/;
/** How long a close handshake may wait for the peer's close frame. */
const CLOSE_WAIT_MS = 5000;

function hasToken(value: string | null, token: string): boolean {
  return value !== null && value.split(",").some((t) => t.trim().toLowerCase() === token);
}

/**
 * The `Sec-WebSocket-Accept` value for a key (RFC 6455 §4.2.2).
 *
 * @example
 * ```ts
 * import { acceptKey } from "./websocket.ts";
 * import assert from "node:assert/strict";
 * assert.equal(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
 * ```
 *
 * @param key The client's Sec-WebSocket-Key.
 * @returns The accept value.
 */
export function acceptKey(key: string): string {
  return createHash("sha1").update(key + GUID).digest("base64");
}

/**
 * Upgrades a request that came through kit's engine ({@linkcode serve}) to a WebSocket, like
 * `Deno.upgradeWebSocket` does on `Deno.serve`. The returned response must be returned by the
 * handler unchanged (its headers may be added to; replacing it cancels the upgrade). Its status
 * reads 200 since a Response cannot hold 101; the engine writes the 101 itself.
 *
 * @example
 * ```ts
 * import { serve } from "./server.ts";
 * import { upgradeWebSocket } from "./websocket.ts";
 * import assert from "node:assert/strict";
 * const server = serve((req) => {
 *   const { socket, response } = upgradeWebSocket(req);
 *   socket.onmessage = (e) => socket.send(`echo ${e.data}`);
 *   return response;
 * }, { port: 0 });
 * const ws = new WebSocket(`ws://127.0.0.1:${server.addr.port}/`);
 * const reply = await new Promise((resolve) => {
 *   ws.onopen = () => ws.send("hi");
 *   ws.onmessage = (e) => resolve(e.data);
 * });
 * assert.equal(reply, "echo hi");
 * const closed = new Promise((resolve) => ws.onclose = resolve);
 * ws.close();
 * await closed;
 * await server.shutdown();
 * ```
 *
 * @param request The request, from kit's engine.
 * @param options Subprotocol, idle timeout, size limit.
 * @returns The socket and the response to return.
 * @throws {TypeError} When the request is not a valid WebSocket upgrade, or not from kit's engine.
 */
export function upgradeWebSocket(
  request: Request,
  options: UpgradeWebSocketOptions = {},
): WebSocketUpgrade {
  const h = request.headers;
  if (request.method !== "GET") throw new TypeError("WebSocket upgrade needs a GET request");
  if (!hasToken(h.get("upgrade"), "websocket")) {
    throw new TypeError("Invalid Header: 'upgrade' header must contain 'websocket'");
  }
  if (!hasToken(h.get("connection"), "upgrade")) {
    throw new TypeError("Invalid Header: 'connection' header must contain 'Upgrade'");
  }
  if (h.get("sec-websocket-version") !== "13") {
    throw new TypeError("Invalid Header: 'sec-websocket-version' must be '13'");
  }
  const key = h.get("sec-websocket-key") ?? "";
  if (!KEY_RE.test(key)) throw new TypeError("Invalid Header: 'sec-websocket-key' is not valid");
  if (!isEngineRequest(request)) {
    throw new TypeError(
      "request did not come through kit's server engine: use Deno.upgradeWebSocket on Deno.serve",
    );
  }
  const offered = (h.get("sec-websocket-protocol") ?? "").split(",").map((s) => s.trim());
  if (options.protocol !== undefined && !offered.includes(options.protocol)) {
    throw new TypeError(`the client did not offer subprotocol "${options.protocol}"`);
  }
  const socket = new EngineWebSocket(request.url, options);
  const headers: [string, string][] = [
    ["upgrade", "websocket"],
    ["connection", "Upgrade"],
    ["sec-websocket-accept", acceptKey(key)],
  ];
  if (options.protocol) headers.push(["sec-websocket-protocol", options.protocol]);
  const response = new Response(null, { status: 200 });
  registerUpgrade(response, {
    headers,
    accept: (s) => socket.attach(s),
    fail: () => socket.abandon(),
  });
  return { socket: socket as unknown as WebSocket, response };
}

type Listener = ((this: WebSocket, ev: Event) => unknown) | null;

/** The server side of a WebSocket on kit's engine, shaped like the DOM WebSocket. */
class EngineWebSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readonly url: string;
  readonly extensions = "";
  protocol: string;
  binaryType: BinaryType = "blob";
  readyState = 0;
  bufferedAmount = 0;
  onopen: Listener = null;
  onmessage: Listener = null;
  onerror: Listener = null;
  onclose: Listener = null;

  readonly #idleMs: number;
  readonly #maxMessage: number;
  #bc: BufferedConn | null = null;
  #conn: Deno.Conn | null = null;
  #writing: Promise<void> = Promise.resolve();
  #sentClose = false;
  #closeCode = 1005;
  #closeReason = "";
  #wasClean = false;
  #lastSeen = 0;
  #pinged = false;
  #idleTimer: ReturnType<typeof setInterval> | undefined;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;
  #done!: () => void;
  readonly #donePromise: Promise<void>;

  constructor(url: string, options: UpgradeWebSocketOptions) {
    super();
    this.url = url.replace(/^http/, "ws");
    this.protocol = options.protocol ?? "";
    this.#idleMs = (options.idleTimeout ?? 120) * 1000;
    this.#maxMessage = options.maxMessageBytes ?? 16 * 1024 * 1024;
    this.#donePromise = new Promise((resolve) => this.#done = resolve);
  }

  override dispatchEvent(event: Event): boolean {
    const handler = (this as unknown as Record<string, Listener>)[`on${event.type}`];
    const result = super.dispatchEvent(event);
    if (typeof handler === "function") {
      try {
        handler.call(this as unknown as WebSocket, event);
      } catch (error) {
        reportError(error);
      }
    }
    return result;
  }

  /** The engine hands over the socket once the 101 is written. */
  attach(s: UpgradedSocket): UpgradeSession {
    this.#bc = s.bc;
    this.#conn = s.conn;
    this.readyState = 1;
    this.#lastSeen = Date.now();
    if (this.#idleMs > 0) {
      this.#idleTimer = setInterval(() => this.#checkIdle(), Math.max(50, this.#idleMs / 2));
    }
    queueMicrotask(() => {
      this.dispatchEvent(new Event("open"));
      this.#readLoop();
    });
    return {
      done: this.#donePromise,
      shutdown: () => this.#startClose(1001, "server shutting down"),
      forceClose: () => this.#finish(1006, "", false),
    };
  }

  /** The 101 was never written: the socket ends without opening. */
  abandon(): void {
    this.readyState = 3;
    this.dispatchEvent(new Event("error"));
    this.dispatchEvent(new CloseEvent("close", { code: 1006, reason: "", wasClean: false }));
    this.#done();
  }

  send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    if (this.readyState === 0) {
      throw new DOMException("'readyState' not OPEN", "InvalidStateError");
    }
    if (this.readyState !== 1) return;
    if (typeof data === "string") {
      this.#send(Opcode.Text, new TextEncoder().encode(data));
    } else if (data instanceof Blob) {
      const bytes = data.arrayBuffer();
      this.bufferedAmount += data.size;
      this.#enqueue(async () => {
        const payload = new Uint8Array(await bytes);
        this.bufferedAmount -= data.size;
        await this.#bc!.writeAll(encodeFrame(Opcode.Binary, payload));
      });
    } else if (ArrayBuffer.isView(data)) {
      this.#send(
        Opcode.Binary,
        new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice(),
      );
    } else {
      this.#send(Opcode.Binary, new Uint8Array(data as ArrayBuffer).slice());
    }
  }

  close(code?: number, reason = ""): void {
    if (code !== undefined && code !== 1000 && !(code >= 3000 && code <= 4999)) {
      throw new DOMException(`invalid close code ${code}`, "InvalidAccessError");
    }
    if (new TextEncoder().encode(reason).length > 123) {
      throw new DOMException("close reason longer than 123 bytes", "SyntaxError");
    }
    this.#startClose(code ?? 1000, reason);
  }

  /** Sends our close frame and waits (bounded) for the peer's. */
  #startClose(code: number, reason: string): void {
    if (this.readyState >= 2) return;
    if (this.readyState === 0) {
      this.readyState = 3;
      return;
    }
    this.readyState = 2;
    this.#sentClose = true;
    this.#closeCode = code;
    this.#closeReason = reason;
    this.#enqueue(() => this.#bc!.writeAll(encodeFrame(Opcode.Close, closePayload(code, reason))));
    this.#closeTimer = setTimeout(() => this.#finish(1006, "", false), CLOSE_WAIT_MS);
  }

  #send(opcode: number, payload: Uint8Array): void {
    const frame = encodeFrame(opcode, payload);
    this.bufferedAmount += payload.length;
    this.#enqueue(async () => {
      await this.#bc!.writeAll(frame);
      this.bufferedAmount -= payload.length;
    });
  }

  /** Writes one after another, in order; a failed write ends the connection. */
  #enqueue(write: () => Promise<void>): void {
    this.#writing = this.#writing.then(write).catch(() => this.#finish(1006, "", false));
  }

  #checkIdle(): void {
    if (this.readyState !== 1) return;
    const quiet = Date.now() - this.#lastSeen;
    if (this.#pinged && quiet >= this.#idleMs) {
      // No pong in time: the peer is gone without a word.
      this.dispatchEvent(new Event("error"));
      this.#startClose(1001, "idle timeout");
      return;
    }
    if (!this.#pinged && quiet >= this.#idleMs / 2) {
      this.#pinged = true;
      this.#enqueue(() => this.#bc!.writeAll(encodeFrame(Opcode.Ping, new Uint8Array(0))));
    }
  }

  async #readLoop(): Promise<void> {
    const decoder = new FrameDecoder({ maxFrameBytes: this.#maxMessage });
    const utf8 = new TextDecoder("utf-8", { fatal: true });
    let fragments: Uint8Array[] = [];
    let messageOpcode = 0;
    let messageSize = 0;
    try {
      while (true) {
        const chunk = await this.#bc!.read();
        if (chunk === null) break;
        this.#lastSeen = Date.now();
        this.#pinged = false;
        decoder.push(chunk);
        let frame;
        while ((frame = decoder.next()) !== undefined) {
          const { opcode, payload, fin } = frame;
          if (opcode === Opcode.Ping) {
            if (this.readyState === 1) {
              this.#enqueue(() => this.#bc!.writeAll(encodeFrame(Opcode.Pong, payload)));
            }
            continue;
          }
          if (opcode === Opcode.Pong) continue;
          if (opcode === Opcode.Close) {
            this.#onClose(payload, utf8);
            return;
          }
          if (opcode === Opcode.Continuation) {
            if (messageOpcode === 0) {
              throw new WebSocketProtocolError(1002, "continuation frame without a message");
            }
          } else {
            if (messageOpcode !== 0) {
              throw new WebSocketProtocolError(1002, "new message inside a fragmented one");
            }
            messageOpcode = opcode;
          }
          messageSize += payload.length;
          if (messageSize > this.#maxMessage) {
            throw new WebSocketProtocolError(1009, `message larger than ${this.#maxMessage} bytes`);
          }
          fragments.push(payload);
          if (!fin) continue;
          const data = fragments.length === 1 ? fragments[0] : joined(fragments, messageSize);
          const kind = messageOpcode;
          fragments = [];
          messageOpcode = 0;
          messageSize = 0;
          if (this.readyState !== 1) continue;
          this.#deliver(kind, data, utf8);
        }
      }
      // The TCP connection ended without a close frame.
      this.#finish(1006, "", false);
    } catch (error) {
      if (error instanceof WebSocketProtocolError) {
        this.#fail(error.code, error.message);
      } else {
        this.#finish(1006, "", false);
      }
    }
  }

  #deliver(opcode: number, data: Uint8Array, utf8: TextDecoder): void {
    if (opcode === Opcode.Text) {
      let text: string;
      try {
        text = utf8.decode(data);
      } catch {
        throw new WebSocketProtocolError(1007, "text message is not valid UTF-8");
      }
      this.dispatchEvent(new MessageEvent("message", { data: text, origin: this.#origin() }));
      return;
    }
    const buffer = data.buffer.byteLength === data.byteLength && data.byteOffset === 0
      ? data.buffer as ArrayBuffer
      : data.slice().buffer as ArrayBuffer;
    const value = this.binaryType === "arraybuffer" ? buffer : new Blob([buffer]);
    this.dispatchEvent(new MessageEvent("message", { data: value, origin: this.#origin() }));
  }

  #origin(): string {
    return new URL(this.url).origin;
  }

  /** The peer's close frame: answer it (unless we started), then close the TCP connection. */
  #onClose(payload: Uint8Array, utf8: TextDecoder): void {
    let code = 1005;
    let reason = "";
    if (payload.length === 1) throw new WebSocketProtocolError(1002, "close frame of one byte");
    if (payload.length >= 2) {
      code = (payload[0] << 8) | payload[1];
      if (!isValidCloseCode(code)) {
        throw new WebSocketProtocolError(1002, `invalid close code ${code}`);
      }
      try {
        reason = utf8.decode(payload.subarray(2));
      } catch {
        throw new WebSocketProtocolError(1007, "close reason is not valid UTF-8");
      }
    }
    if (!this.#sentClose) {
      this.#sentClose = true;
      this.readyState = 2;
      const echo = code === 1005 ? new Uint8Array(0) : closePayload(code, "");
      this.#enqueue(() => this.#bc!.writeAll(encodeFrame(Opcode.Close, echo)));
    }
    this.#writing.then(() => this.#finish(code, reason, true));
  }

  /** A protocol violation: close with its code, then drop the connection. */
  #fail(code: number, reason: string): void {
    if (!this.#sentClose && this.readyState === 1) {
      this.#sentClose = true;
      this.readyState = 2;
      const frame = encodeFrame(Opcode.Close, closePayload(code, reason.slice(0, 120)));
      this.#enqueue(() => this.#bc!.writeAll(frame));
    }
    this.dispatchEvent(new Event("error"));
    this.#writing.then(() => this.#finish(code, reason, false));
  }

  #finish(code: number, reason: string, clean: boolean): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    clearInterval(this.#idleTimer);
    clearTimeout(this.#closeTimer);
    this.#wasClean = clean;
    if (this.#sentClose && clean && this.#closeCode !== 1005 && code === 1005) {
      code = this.#closeCode;
      reason = this.#closeReason;
    }
    try {
      this.#bc?.close();
    } catch { /* already closed */ }
    this.dispatchEvent(new CloseEvent("close", { code, reason, wasClean: this.#wasClean }));
    this.#done();
  }
}

function joined(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
