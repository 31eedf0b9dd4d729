/**
 * The chunked transfer coding (RFC 9112 §7.1) both ways: an incremental decoder that passes chunk
 * data through as views of the input, with extensions and trailers, and an encoder.
 *
 * @module
 */
import { HttpError, protocolError } from "./errors.ts";
import { assertHeader, isToken } from "./headers.ts";
import { concat, utf8Bytes } from "./_bytes.ts";

/** Bounds on what a peer may make the decoder buffer. */
export interface ChunkedLimits {
  /** Longest chunk-size line (size and extensions) in bytes. @default 4096 */
  maxLineLength?: number;
  /** Largest trailer section in bytes. @default 16384 */
  maxTrailerSize?: number;
  /** Most trailer lines. @default 100 */
  maxTrailers?: number;
  /** Accept a bare LF where CRLF is due (responses from lax servers). @default false */
  lenient?: boolean;
}

/** The limits a {@linkcode ChunkedDecoder} uses unless told otherwise. */
export const CHUNKED_LIMITS = {
  maxLineLength: 4096,
  maxTrailerSize: 16384,
  maxTrailers: 100,
  lenient: false,
} as const satisfies ChunkedLimits;

/** What {@linkcode ChunkedDecoder.push} returns. */
export interface ChunkedOutput {
  /** Chunk data found in the pushed bytes, as views of them. */
  data: Uint8Array[];
  /** True once the last chunk and the trailers have been read. */
  done: boolean;
  /** When done: the pushed bytes after the message (the next message on the connection). */
  rest: Uint8Array;
}

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = new Uint8Array(0);
// 13 hex digits stay below 2^52, so the size is an exact number; larger is refused, not wrapped.
const MAX_SIZE_DIGITS = 13;

const enum State {
  Size,
  Data,
  DataEnd,
  Trailer,
  Done,
}

/**
 * Decodes a chunked body from chunks as they arrive.
 *
 * @example
 * ```ts
 * import { ChunkedDecoder } from "./chunked.ts";
 * import assert from "node:assert/strict";
 * const d = new ChunkedDecoder();
 * const enc = new TextEncoder();
 * const out = d.push(enc.encode("3;ext=1\r\nabc\r\n0\r\nX-Sum: 9\r\n\r\nNEXT"));
 * assert.equal(new TextDecoder().decode(out.data[0]), "abc");
 * assert.ok(out.done);
 * assert.equal(d.trailers[0][1], "9");
 * assert.deepEqual(d.extensions, ["ext=1"]);
 * assert.equal(new TextDecoder().decode(out.rest), "NEXT");
 * ```
 */
export class ChunkedDecoder {
  readonly #limits: Required<ChunkedLimits>;
  #state = State.Size;
  #remaining = 0;
  #line: Uint8Array[] = [];
  #lineLength = 0;
  #trailerSize = 0;
  /** The trailer fields, in order, once done. */
  readonly trailers: [string, string][] = [];
  /** The chunk extensions seen (the text after the first ";" of each size line that had one). */
  readonly extensions: string[] = [];

  /**
   * Makes a decoder for one body.
   *
   * @param limits Bounds on line lengths and trailers.
   */
  constructor(limits: ChunkedLimits = {}) {
    this.#limits = { ...CHUNKED_LIMITS, ...limits };
  }

  /** True once the last chunk and the trailers have been read. */
  get done(): boolean {
    return this.#state === State.Done;
  }

  /**
   * Takes the next bytes.
   *
   * @param chunk Bytes read from the peer.
   * @returns The data found, whether the body is complete, and the bytes after it.
   */
  push(chunk: Uint8Array): ChunkedOutput {
    const data: Uint8Array[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      switch (this.#state) {
        case State.Data: {
          const n = Math.min(this.#remaining, chunk.length - pos);
          data.push(chunk.subarray(pos, pos + n));
          pos += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#state = State.DataEnd;
          break;
        }
        case State.Done:
          return { data, done: true, rest: chunk.subarray(pos) };
        default: {
          const nl = chunk.indexOf(LF, pos);
          const end = nl === -1 ? chunk.length : nl + 1;
          const piece = chunk.subarray(pos, end);
          this.#lineLength += piece.length;
          this.#line.push(piece);
          pos = end;
          this.#checkLine();
          if (nl !== -1) {
            const line = concat(this.#line);
            this.#line = [];
            this.#lineLength = 0;
            this.#onLine(line);
          }
        }
      }
    }
    const done = this.#state === State.Done;
    return { data, done, rest: EMPTY };
  }

  #checkLine(): void {
    const limit = this.#state === State.Trailer
      ? this.#limits.maxTrailerSize - this.#trailerSize
      : this.#limits.maxLineLength;
    if (this.#lineLength > limit) {
      const what = this.#state === State.Trailer
        ? `chunked trailers larger than ${this.#limits.maxTrailerSize} bytes`
        : `chunk size line longer than ${this.#limits.maxLineLength} bytes`;
      throw protocolError(what, concat(this.#line).subarray(0, 80));
    }
  }

  /** The line without its ending; refuses a bare LF unless lenient. */
  #content(line: Uint8Array): Uint8Array {
    const n = line.length;
    if (n >= 2 && line[n - 2] === CR) return line.subarray(0, n - 2);
    if (!this.#limits.lenient) throw protocolError("chunked line not ended by CRLF", line);
    return line.subarray(0, n - 1);
  }

  #onLine(line: Uint8Array): void {
    const text = this.#content(line);
    if (this.#state === State.DataEnd) {
      if (text.length !== 0) throw protocolError("chunk data longer than its size", line);
      this.#state = State.Size;
      return;
    }
    if (this.#state === State.Size) {
      this.#size(text, line);
      return;
    }
    // Trailer section.
    this.#trailerSize += line.length;
    if (text.length === 0) {
      this.#state = State.Done;
      return;
    }
    if (this.trailers.length >= this.#limits.maxTrailers) {
      throw protocolError(`more than ${this.#limits.maxTrailers} chunked trailers`, line);
    }
    const s = String.fromCharCode.apply(null, text as unknown as number[]);
    const colon = s.indexOf(":");
    const name = colon > 0 ? s.slice(0, colon) : "";
    if (!isToken(name) || /[\r\0]/.test(s)) throw protocolError("invalid chunked trailer", line);
    this.trailers.push([name, s.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "")]);
  }

  #size(text: Uint8Array, line: Uint8Array): void {
    let i = 0;
    let size = 0;
    while (i < text.length) {
      const c = text[i];
      const d = c >= 0x30 && c <= 0x39
        ? c - 0x30
        : c >= 0x61 && c <= 0x66
        ? c - 0x57
        : c >= 0x41 && c <= 0x46
        ? c - 0x37
        : -1;
      if (d === -1) break;
      size = size * 16 + d;
      i++;
    }
    if (i === 0) throw protocolError("invalid chunk size", line);
    if (i > MAX_SIZE_DIGITS) throw protocolError("chunk size too large", line);
    let j = i;
    while (j < text.length && (text[j] === 0x20 || text[j] === 0x09)) j++;
    if (j < text.length) {
      if (text[j] !== 0x3b) throw protocolError("invalid chunk size", line);
      const ext = String.fromCharCode.apply(null, text.subarray(j + 1) as unknown as number[]);
      if (/[\0\r]/.test(ext)) throw protocolError("invalid chunk extension", line);
      this.extensions.push(ext.trim());
    }
    if (size === 0) {
      this.#state = State.Trailer;
    } else {
      this.#remaining = size;
      this.#state = State.Data;
    }
  }
}

const CRLF = utf8Bytes("\r\n");

/**
 * One chunk of the chunked coding: size line, data, CRLF, as one array (one write).
 *
 * @example
 * ```ts
 * import { encodeChunk } from "./chunked.ts";
 * import assert from "node:assert/strict";
 * const bytes = encodeChunk(new TextEncoder().encode("hello"), "a=1");
 * assert.equal(new TextDecoder().decode(bytes), "5;a=1\r\nhello\r\n");
 * ```
 *
 * @param data The chunk data; must not be empty (an empty chunk ends the body).
 * @param extension Optional chunk extension text, written after ";".
 * @returns The encoded chunk.
 */
export function encodeChunk(data: Uint8Array, extension?: string): Uint8Array {
  if (data.length === 0) {
    throw new RangeError("encodeChunk() needs data: an empty chunk ends the body");
  }
  if (extension !== undefined && /[\r\n\0]/.test(extension)) {
    throw new HttpError("invalid-request", `invalid chunk extension: ${JSON.stringify(extension)}`);
  }
  const head = utf8Bytes(data.length.toString(16) + (extension ? `;${extension}` : "") + "\r\n");
  const out = new Uint8Array(head.length + data.length + 2);
  out.set(head, 0);
  out.set(data, head.length);
  out.set(CRLF, head.length + data.length);
  return out;
}

/**
 * The last chunk with optional trailers: `0\r\n`, the trailer lines, `\r\n`.
 *
 * @example
 * ```ts
 * import { encodeLastChunk } from "./chunked.ts";
 * import assert from "node:assert/strict";
 * assert.equal(new TextDecoder().decode(encodeLastChunk([["X-Sum", "1"]])), "0\r\nX-Sum: 1\r\n\r\n");
 * ```
 *
 * @param trailers Trailer fields to send.
 * @returns The encoded end of the body.
 */
export function encodeLastChunk(trailers: Iterable<[string, string]> = []): Uint8Array {
  let text = "0\r\n";
  for (const [name, value] of trailers) {
    assertHeader(name, value);
    text += `${name}: ${value}\r\n`;
  }
  return utf8Bytes(text + "\r\n");
}

/**
 * A stream that chunk-encodes what flows through it and ends with the last chunk.
 *
 * @example
 * ```ts
 * import { chunkedEncoder } from "./chunked.ts";
 * import assert from "node:assert/strict";
 * const out = ReadableStream.from([new TextEncoder().encode("ab")]).pipeThrough(chunkedEncoder());
 * const text = await new Response(out).text();
 * assert.equal(text, "2\r\nab\r\n0\r\n\r\n");
 * ```
 *
 * @param trailers Trailer fields to send at the end.
 * @returns The transform stream.
 */
export function chunkedEncoder(
  trailers?: Iterable<[string, string]>,
): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform(chunk, controller) {
      if (chunk.length > 0) controller.enqueue(encodeChunk(chunk));
    },
    flush(controller) {
      controller.enqueue(encodeLastChunk(trailers));
    },
  });
}
