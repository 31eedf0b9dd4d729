/**
 * The WebSocket frame codec (RFC 6455 §5): an incremental decoder that checks every rule a
 * server must enforce, and an encoder. Socket-free, like the HTTP codec.
 *
 * @module
 */

/** Frame opcodes (RFC 6455 §5.2). */
export const Opcode = {
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const;

/** One decoded frame, payload unmasked. */
export interface WebSocketFrame {
  /** Last frame of a message. */
  fin: boolean;
  /** The opcode. */
  opcode: number;
  /** The payload, unmasked. */
  payload: Uint8Array;
}

/** A violation of RFC 6455: the close code to send and a one-line reason. */
export class WebSocketProtocolError extends Error {
  override name = "WebSocketProtocolError";
  /** The close code: 1002 protocol error, 1007 invalid data, 1009 too big. */
  readonly code: number;

  /**
   * @param code The close code to answer with.
   * @param message What was wrong.
   */
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/** Options for {@linkcode FrameDecoder}. */
export interface FrameDecoderOptions {
  /** Largest payload of one frame; over it: 1009. @default 16777216 */
  maxFrameBytes?: number;
  /** Frames must be masked (a server reading a client) or must not be (a client). @default true */
  requireMask?: boolean;
}

const EMPTY = new Uint8Array(0);

/**
 * Decodes frames from chunks as they arrive. `next()` returns undefined while the next frame is
 * incomplete and throws {@linkcode WebSocketProtocolError} on a frame no peer may send.
 *
 * @example
 * ```ts
 * import { encodeFrame, FrameDecoder, Opcode } from "./websocket_frame.ts";
 * import assert from "node:assert/strict";
 * const bytes = encodeFrame(Opcode.Text, new TextEncoder().encode("hi"), { mask: new Uint8Array([1, 2, 3, 4]) });
 * const d = new FrameDecoder();
 * d.push(bytes.subarray(0, 3));
 * assert.equal(d.next(), undefined);
 * d.push(bytes.subarray(3));
 * const frame = d.next()!;
 * assert.equal(new TextDecoder().decode(frame.payload), "hi");
 * ```
 */
export class FrameDecoder {
  readonly #maxFrame: number;
  readonly #requireMask: boolean;
  #buf: Uint8Array = EMPTY;

  /** @param options Frame size limit and masking rule. */
  constructor(options: FrameDecoderOptions = {}) {
    this.#maxFrame = options.maxFrameBytes ?? 16 * 1024 * 1024;
    this.#requireMask = options.requireMask ?? true;
  }

  /** How many bytes wait for a complete frame. */
  get buffered(): number {
    return this.#buf.length;
  }

  /**
   * Takes the next bytes read from the peer.
   *
   * @param chunk The bytes.
   */
  push(chunk: Uint8Array): void {
    if (this.#buf.length === 0) {
      this.#buf = chunk;
      return;
    }
    const out = new Uint8Array(this.#buf.length + chunk.length);
    out.set(this.#buf, 0);
    out.set(chunk, this.#buf.length);
    this.#buf = out;
  }

  /**
   * The next complete frame.
   *
   * @returns The frame, or undefined until more bytes arrive.
   * @throws {WebSocketProtocolError} On reserved bits, an unknown opcode, a bad control frame,
   *   a wrong masking, or a payload over the limit.
   */
  next(): WebSocketFrame | undefined {
    const b = this.#buf;
    if (b.length < 2) return undefined;
    const fin = (b[0] & 0x80) !== 0;
    // No extension is negotiated, so every reserved bit must be zero.
    if ((b[0] & 0x70) !== 0) throw new WebSocketProtocolError(1002, "reserved bits set");
    const opcode = b[0] & 0x0f;
    if (!(opcode <= 2 || (opcode >= 8 && opcode <= 10))) {
      throw new WebSocketProtocolError(1002, `unknown opcode ${opcode}`);
    }
    const masked = (b[1] & 0x80) !== 0;
    if (masked !== this.#requireMask) {
      throw new WebSocketProtocolError(1002, masked ? "masked frame" : "unmasked client frame");
    }
    let length = b[1] & 0x7f;
    let at = 2;
    if (length === 126) {
      if (b.length < 4) return undefined;
      length = (b[2] << 8) | b[3];
      at = 4;
    } else if (length === 127) {
      if (b.length < 10) return undefined;
      if (b[2] & 0x80) throw new WebSocketProtocolError(1002, "64-bit length with the top bit set");
      const high = ((b[2] << 24) >>> 0) + (b[3] << 16) + (b[4] << 8) + b[5];
      const low = ((b[6] << 24) >>> 0) + (b[7] << 16) + (b[8] << 8) + b[9];
      length = high * 2 ** 32 + low;
      at = 10;
    }
    if (opcode >= 8) {
      if (!fin) throw new WebSocketProtocolError(1002, "fragmented control frame");
      if (length > 125) throw new WebSocketProtocolError(1002, "control frame over 125 bytes");
    }
    if (length > this.#maxFrame) {
      throw new WebSocketProtocolError(1009, `frame larger than ${this.#maxFrame} bytes`);
    }
    const maskAt = at;
    if (masked) at += 4;
    if (b.length < at + length) return undefined;
    // A copy, so the frame does not pin the read buffer and unmasking has its own memory.
    const payload = b.slice(at, at + length);
    if (masked) unmask(payload, b.subarray(maskAt, maskAt + 4));
    this.#buf = b.length === at + length ? EMPTY : b.subarray(at + length);
    return { fin, opcode, payload };
  }
}

/** XORs `data` in place with the 4-byte `mask` (masking and unmasking are the same). */
export function unmask(data: Uint8Array, mask: Uint8Array): void {
  for (let i = 0; i < data.length; i++) data[i] ^= mask[i & 3];
}

/** Options for {@linkcode encodeFrame}. */
export interface EncodeFrameOptions {
  /** Last frame of its message. @default true */
  fin?: boolean;
  /** A 4-byte masking key (clients must mask; servers must not). */
  mask?: Uint8Array;
}

/**
 * One frame as bytes.
 *
 * @example
 * ```ts
 * import { encodeFrame, Opcode } from "./websocket_frame.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...encodeFrame(Opcode.Text, new TextEncoder().encode("ok"))], [0x81, 2, 0x6f, 0x6b]);
 * ```
 *
 * @param opcode The opcode.
 * @param payload The payload.
 * @param options FIN bit and masking key.
 * @returns The frame.
 */
export function encodeFrame(
  opcode: number,
  payload: Uint8Array,
  options: EncodeFrameOptions = {},
): Uint8Array {
  const fin = options.fin ?? true;
  const length = payload.length;
  const headLength = (length < 126 ? 2 : length < 65536 ? 4 : 10) + (options.mask ? 4 : 0);
  const out = new Uint8Array(headLength + length);
  out[0] = (fin ? 0x80 : 0) | opcode;
  const maskBit = options.mask ? 0x80 : 0;
  let at = 2;
  if (length < 126) {
    out[1] = maskBit | length;
  } else if (length < 65536) {
    out[1] = maskBit | 126;
    out[2] = length >> 8;
    out[3] = length & 0xff;
    at = 4;
  } else {
    out[1] = maskBit | 127;
    const high = Math.floor(length / 2 ** 32);
    const low = length >>> 0;
    out[2] = high >>> 24;
    out[3] = (high >>> 16) & 0xff;
    out[4] = (high >>> 8) & 0xff;
    out[5] = high & 0xff;
    out[6] = low >>> 24;
    out[7] = (low >>> 16) & 0xff;
    out[8] = (low >>> 8) & 0xff;
    out[9] = low & 0xff;
    at = 10;
  }
  if (options.mask) {
    out.set(options.mask, at);
    at += 4;
    out.set(payload, at);
    unmask(out.subarray(at), options.mask);
  } else {
    out.set(payload, at);
  }
  return out;
}

/**
 * The payload of a close frame: a 2-byte code and a UTF-8 reason.
 *
 * @example
 * ```ts
 * import { closePayload } from "./websocket_frame.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...closePayload(1000, "")], [0x03, 0xe8]);
 * ```
 *
 * @param code The close code.
 * @param reason The reason, at most 123 bytes of UTF-8.
 * @returns The payload.
 */
export function closePayload(code: number, reason: string): Uint8Array {
  const text = new TextEncoder().encode(reason);
  const out = new Uint8Array(2 + text.length);
  out[0] = code >> 8;
  out[1] = code & 0xff;
  out.set(text, 2);
  return out;
}

/**
 * Whether `code` may appear in a close frame on the wire (RFC 6455 §7.4): 1000-1003,
 * 1007-1011, 1012-1014, and the registered and private ranges 3000-4999.
 *
 * @example
 * ```ts
 * import { isValidCloseCode } from "./websocket_frame.ts";
 * import assert from "node:assert/strict";
 * assert.ok(isValidCloseCode(1000));
 * assert.ok(!isValidCloseCode(1005));
 * ```
 *
 * @param code The code.
 * @returns True when it may be sent.
 */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
    (code >= 3000 && code <= 4999);
}
