/**
 * A reader over a connection that hands out views of large read buffers (no copy per chunk),
 * with a push-back for bytes that belong to the next message.
 *
 * @module
 */
import type { ByteSource } from "./body.ts";

/** What a {@linkcode BufferedConn} reads from and writes to: a Deno.Conn or an adapter. */
export interface Transport {
  /** Reads into `p`; the number of bytes, or null at end of stream. */
  read(p: Uint8Array): Promise<number | null>;
  /** Writes some of `p`; the number of bytes written. */
  write(p: Uint8Array): Promise<number>;
  /** Closes the connection. */
  close(): void;
}

/** Options for {@linkcode BufferedConn}. */
export interface BufferedConnOptions {
  /** Largest read buffer; buffers start small and double while reads fill them. @default 1048576 */
  bufferSize?: number;
  /** First read buffer size. @default 65536 */
  initialBufferSize?: number;
  /** A new buffer is taken when less than this is free in the current one. @default 16384 */
  minFree?: number;
}

/**
 * Reads a transport into slabs: each read fills the free tail of the current slab and returns a
 * view of it, so chunks can be kept by the reader while later reads go to fresh memory. Memory
 * stays bounded because a slab is dropped once every view into it is gone.
 *
 * @example
 * ```ts
 * import { BufferedConn } from "./buffered_conn.ts";
 * import assert from "node:assert/strict";
 * const data = [new TextEncoder().encode("abc")];
 * const conn = new BufferedConn({
 *   read: (p) => { const d = data.shift(); if (!d) return Promise.resolve(null); p.set(d); return Promise.resolve(d.length); },
 *   write: (p) => Promise.resolve(p.length),
 *   close: () => {},
 * });
 * const first = await conn.read();
 * conn.unread(first!.subarray(1));
 * assert.equal(new TextDecoder().decode((await conn.read())!), "bc");
 * assert.equal(await conn.read(), null);
 * ```
 */
export class BufferedConn implements ByteSource {
  /** The connection read from and written to. */
  readonly transport: Transport;
  readonly #bufferSize: number;
  #nextSize: number;
  readonly #minFree: number;
  #slab: Uint8Array;
  #used = 0;
  #pending: Uint8Array[] = [];
  #scratch: Uint8Array | null = null;
  #inflight: Promise<Uint8Array | null> | null = null;
  #closed = false;
  #eof = false;
  /** Bytes read from the transport so far. */
  bytesRead = 0;

  /**
   * Wraps a connection.
   *
   * @param transport The connection.
   * @param options Buffer sizes.
   */
  constructor(transport: Transport, options: BufferedConnOptions = {}) {
    this.transport = transport;
    this.#bufferSize = options.bufferSize ?? 1048576;
    this.#nextSize = Math.min(options.initialBufferSize ?? 65536, this.#bufferSize);
    this.#minFree = options.minFree ?? 16384;
    this.#slab = new Uint8Array(0);
  }

  /** Whether close() was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether bytes were pushed back and wait to be read. */
  get hasPending(): boolean {
    return this.#pending.length > 0;
  }

  /**
   * The next bytes: pushed-back bytes first, then a read from the transport.
   *
   * @returns A view the caller may keep, or null at end of stream.
   */
  read(): Promise<Uint8Array | null> {
    if (this.#pending.length > 0) return Promise.resolve(this.#pending.shift()!);
    const inflight = this.#inflight;
    if (inflight !== null) {
      this.#inflight = null;
      return inflight;
    }
    return this.#readTransport();
  }

  /**
   * Starts the next read without taking its result: the following read() returns it. Lets a
   * caller wait for "anything arrived" (a 100 Continue, or a pooled connection's close) and
   * time that wait out without losing bytes.
   *
   * @returns The read in flight.
   */
  readAhead(): Promise<Uint8Array | null> {
    if (this.#pending.length > 0) return Promise.resolve(this.#pending[0]);
    if (this.#inflight === null) {
      this.#inflight = this.#readTransport();
      // Whoever awaits it sees a failure; this keeps an unawaited one from being unhandled.
      this.#inflight.catch(() => {});
    }
    return this.#inflight;
  }

  /**
   * Like read(), but reads the transport into one buffer used again on every call, so a long
   * body allocates nothing: the view is valid only until the next readScratch(). Bytes to keep
   * must be copied (unread() copies what it is given from here).
   *
   * @returns A view of the reused buffer, or null at end of stream.
   */
  async readScratch(): Promise<Uint8Array | null> {
    if (this.#pending.length > 0 || this.#inflight !== null) return this.read();
    if (this.#eof) return null;
    this.#scratch ??= new Uint8Array(this.#bufferSize);
    const n = await this.transport.read(this.#scratch);
    if (n === null) {
      this.#eof = true;
      return null;
    }
    this.bytesRead += n;
    return this.#scratch.subarray(0, n);
  }

  async #readTransport(): Promise<Uint8Array | null> {
    if (this.#eof) return null;
    if (this.#slab.length - this.#used < this.#minFree) {
      this.#slab = new Uint8Array(this.#nextSize);
      this.#used = 0;
    }
    const view = this.#slab.subarray(this.#used);
    const n = await this.transport.read(view);
    if (n === null) {
      this.#eof = true;
      return null;
    }
    // A read that fills the buffer means more is waiting: larger buffers mean fewer reads on a
    // big download, while a connection that only sees small responses keeps small buffers.
    if (n === view.length && this.#nextSize < this.#bufferSize) {
      this.#nextSize = Math.min(this.#nextSize * 2, this.#bufferSize);
    }
    this.#used += n;
    this.bytesRead += n;
    return view.subarray(0, n);
  }

  /**
   * Puts bytes back in front of what the next read returns.
   *
   * @param bytes The bytes to return first.
   */
  unread(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    // A view of the scratch buffer would be overwritten by the next readScratch(): keep a copy.
    this.#pending.unshift(bytes.buffer === this.#scratch?.buffer ? bytes.slice() : bytes);
  }

  /**
   * Writes all of `bytes`.
   *
   * @param bytes What to send.
   */
  async writeAll(bytes: Uint8Array): Promise<void> {
    let at = 0;
    while (at < bytes.length) {
      at += await this.transport.write(at === 0 ? bytes : bytes.subarray(at));
    }
  }

  /** Closes the transport once; later calls do nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.transport.close();
    } catch {
      // Already closed by the peer or by a failed read: nothing left to release.
    }
  }
}
