/**
 * A Transport over a node:net or node:tls socket, private to lib/http. Deno's own TLS has no
 * per-connection switch to skip certificate checks, but node:tls has `rejectUnauthorized`, so
 * insecure connections go through it.
 */
import type { Socket } from "node:net";
import type { Transport } from "./buffered_conn.ts";

// Past this many buffered bytes the socket is paused until the reader catches up.
const HIGH_WATER = 1 << 20;

/** Reads a node socket's "data" events into a queue, with pause/resume for backpressure. */
export class NodeSocketTransport implements Transport {
  readonly socket: Socket;
  #queue: Uint8Array[] = [];
  #queued = 0;
  #ended = false;
  #error: unknown = null;
  #wake: (() => void) | null = null;
  readonly #onData = (b: Uint8Array) => {
    this.#queue.push(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    this.#queued += b.byteLength;
    if (this.#queued > HIGH_WATER) this.socket.pause();
    this.#notify();
  };
  readonly #onEnd = () => {
    this.#ended = true;
    this.#notify();
  };
  readonly #onError = (e: unknown) => {
    this.#error = e;
    this.#notify();
  };

  /** @param socket A connected socket. */
  constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", this.#onData);
    socket.on("end", this.#onEnd);
    socket.on("close", this.#onEnd);
    socket.on("error", this.#onError);
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  async read(p: Uint8Array): Promise<number | null> {
    while (this.#queue.length === 0) {
      if (this.#error) throw this.#error;
      if (this.#ended) return null;
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
    const head = this.#queue[0];
    const n = Math.min(head.length, p.length);
    p.set(head.subarray(0, n));
    if (n === head.length) this.#queue.shift();
    else this.#queue[0] = head.subarray(n);
    this.#queued -= n;
    if (this.#queued <= HIGH_WATER && this.socket.isPaused()) this.socket.resume();
    return n;
  }

  write(p: Uint8Array): Promise<number> {
    return new Promise((resolve, reject) => {
      this.socket.write(p, (error) => error ? reject(error) : resolve(p.length));
    });
  }

  /** Stops listening so the socket can be handed to node:tls; returns unread bytes. */
  detach(): Uint8Array[] {
    this.socket.off("data", this.#onData);
    this.socket.off("end", this.#onEnd);
    this.socket.off("close", this.#onEnd);
    this.socket.off("error", this.#onError);
    const rest = this.#queue;
    this.#queue = [];
    return rest;
  }

  close(): void {
    this.socket.destroy();
  }
}
