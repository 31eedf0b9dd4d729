/**
 * An incremental parser of HTTP/1.1 message heads (request or status line, then header lines)
 * over byte chunks, independent of sockets so the client and a server share it.
 *
 * @module
 */
import { protocolError } from "./errors.ts";
import { HttpHeaders, isToken, isValidTarget } from "./headers.ts";
import { concat } from "./_bytes.ts";

/** Bounds on what a peer may make the parser buffer. */
export interface HeadLimits {
  /** Longest start or header line in bytes, line ending included. @default 16384 */
  maxLineLength?: number;
  /** Most header lines. @default 200 */
  maxHeaders?: number;
  /** Largest whole head in bytes. @default 65536 */
  maxHeadSize?: number;
}

/** The limits a {@linkcode HeadParser} uses unless told otherwise. */
export const HEAD_LIMITS = {
  maxLineLength: 16384,
  maxHeaders: 200,
  maxHeadSize: 65536,
} as const satisfies HeadLimits;

/** A parsed response head. */
export interface ResponseHead {
  /** "HTTP/1.1" or "HTTP/1.0". */
  version: string;
  /** The status code, 100 to 999. */
  status: number;
  /** The reason phrase, possibly empty. */
  reason: string;
  /** The header lines in order. */
  headers: HttpHeaders;
  /** The head's bytes as received, the blank line included. */
  raw: Uint8Array;
}

/** A parsed request head. */
export interface RequestHead {
  /** The method, a token. */
  method: string;
  /** The request-target as sent (origin-form, absolute-form, authority-form or "*"). */
  target: string;
  /** "HTTP/1.1" or "HTTP/1.0". */
  version: string;
  /** The header lines in order. */
  headers: HttpHeaders;
  /** The head's bytes as received, the blank line included. */
  raw: Uint8Array;
}

/** What {@linkcode HeadParser.push} returns once the head is complete. */
export interface ParsedHead<T> {
  /** The head. */
  head: T;
  /** The bytes of the pushed chunk after the head (a view, not a copy). */
  rest: Uint8Array;
}

const LF = 0x0a;
const CR = 0x0d;
const PREFIX = [0x48, 0x54, 0x54, 0x50, 0x2f]; // "HTTP/"
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes a header line: ASCII fast, UTF-8 when valid, else byte-per-char (latin1). */
function decodeLine(bytes: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  try {
    return utf8.decode(bytes);
  } catch {
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return s;
  }
}

/**
 * Parses a head from chunks as they arrive. `push` returns undefined while the head is
 * incomplete and throws HttpError("protocol") with the offending bytes on a malformed or
 * oversized head. Requests must end lines with CRLF; responses may end them with a bare LF,
 * which some servers still send. Folded header lines (obs-fold) are refused in both.
 *
 * @example
 * ```ts
 * import { HeadParser } from "./head_parser.ts";
 * import assert from "node:assert/strict";
 * const p = HeadParser.response();
 * const enc = new TextEncoder();
 * assert.equal(p.push(enc.encode("HTTP/1.1 200 OK\r\nContent-")), undefined);
 * const done = p.push(enc.encode("Length: 2\r\n\r\nhi"))!;
 * assert.equal(done.head.status, 200);
 * assert.equal(done.head.headers.get("content-length"), "2");
 * assert.equal(new TextDecoder().decode(done.rest), "hi");
 * ```
 */
export class HeadParser<T extends RequestHead | ResponseHead> {
  readonly #kind: "request" | "response";
  readonly #limits: Required<HeadLimits>;
  #lines: Uint8Array[] = [];
  #partial: Uint8Array[] = [];
  #partialLength = 0;
  #size = 0;
  #start: string[] | null = null;
  #headers: [string, string][] = [];
  #done = false;

  /**
   * Makes a parser for one head.
   *
   * @param kind Parse a request head or a response head.
   * @param limits Bounds on line length, header count and head size.
   */
  constructor(kind: "request" | "response", limits: HeadLimits = {}) {
    this.#kind = kind;
    this.#limits = { ...HEAD_LIMITS, ...limits };
  }

  /**
   * A parser for a response head.
   *
   * @param limits Bounds on line length, header count and head size.
   * @returns The parser.
   */
  static response(limits?: HeadLimits): HeadParser<ResponseHead> {
    return new HeadParser<ResponseHead>("response", limits);
  }

  /**
   * A parser for a request head.
   *
   * @param limits Bounds on line length, header count and head size.
   * @returns The parser.
   */
  static request(limits?: HeadLimits): HeadParser<RequestHead> {
    return new HeadParser<RequestHead>("request", limits);
  }

  /** How many bytes the parser holds so far. */
  get size(): number {
    return this.#size;
  }

  /** Whether no byte has been pushed yet (a peer that closes now closed cleanly). */
  get empty(): boolean {
    return this.#size === 0;
  }

  /** The bytes taken so far, for an error that shows what arrived before a close. */
  received(): Uint8Array {
    return concat([...this.#lines, ...this.#partial]);
  }

  /**
   * Takes the next chunk.
   *
   * @param chunk Bytes read from the peer.
   * @returns The head and the chunk's remaining bytes once complete, else undefined.
   */
  push(chunk: Uint8Array): ParsedHead<T> | undefined {
    if (this.#done) throw new Error("HeadParser.push() after the head was complete");
    const limits = this.#limits;
    if (this.#kind === "response" && this.#start === null) this.#checkPrefix(chunk);
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(LF, pos);
      if (nl === -1) {
        const piece = chunk.subarray(pos);
        this.#partial.push(piece);
        this.#partialLength += piece.length;
        this.#size += piece.length;
        this.#checkSize(chunk);
        return undefined;
      }
      const piece = chunk.subarray(pos, nl + 1);
      this.#size += piece.length;
      pos = nl + 1;
      let line: Uint8Array;
      if (this.#partial.length === 0) line = piece;
      else {
        this.#partial.push(piece);
        line = concat(this.#partial);
        this.#partial = [];
      }
      this.#partialLength = 0;
      if (line.length > limits.maxLineLength) {
        throw protocolError(
          `header line longer than ${limits.maxLineLength} bytes`,
          line.subarray(0, 80),
        );
      }
      this.#checkSize(line);
      if (this.#line(line)) {
        this.#done = true;
        const raw = concat(this.#lines);
        return { head: this.#build(raw), rest: chunk.subarray(pos) };
      }
    }
    return undefined;
  }

  /** A response must start with "HTTP/": say so on the first wrong byte, not after a timeout. */
  #checkPrefix(chunk: Uint8Array): void {
    const seen = concat([...this.#partial, chunk]);
    let i = 0;
    while (i < seen.length && (seen[i] === CR || seen[i] === LF)) i++;
    const n = Math.min(seen.length - i, 5);
    for (let k = 0; k < n; k++) {
      if (seen[i + k] !== PREFIX[k]) {
        const nl = seen.indexOf(LF, i);
        throw protocolError("invalid status line", seen.subarray(0, nl === -1 ? 80 : nl + 1));
      }
    }
  }

  #checkSize(bytes: Uint8Array): void {
    if (this.#partialLength > this.#limits.maxLineLength) {
      throw protocolError(
        `header line longer than ${this.#limits.maxLineLength} bytes`,
        concat(this.#partial).subarray(0, 80),
      );
    }
    if (this.#size > this.#limits.maxHeadSize) {
      throw protocolError(
        `head larger than ${this.#limits.maxHeadSize} bytes`,
        bytes.subarray(0, 80),
      );
    }
  }

  /** Handles one line ending in LF; returns true on the blank line that ends the head. */
  #line(line: Uint8Array): boolean {
    let end = line.length - 1;
    if (end > 0 && line[end - 1] === CR) end--;
    else if (this.#kind === "request") throw protocolError("line not ended by CRLF", line);
    const body = line.subarray(0, end);
    if (body.includes(CR) || body.includes(0)) throw protocolError("CR or NUL inside a line", line);
    if (this.#start === null) {
      // A peer may send an empty line before the start line (RFC 9112 §2.2); skip a few.
      if (body.length === 0) {
        if (this.#lines.length >= 4) throw protocolError("empty lines before the start line", line);
        this.#size -= line.length;
        return false;
      }
      this.#lines.push(line);
      this.#start = this.#parseStart(decodeLine(body), line);
      return false;
    }
    this.#lines.push(line);
    if (body.length === 0) return true;
    if (body[0] === 0x20 || body[0] === 0x09) {
      throw protocolError("folded header line (obs-fold)", line);
    }
    if (this.#headers.length >= this.#limits.maxHeaders) {
      throw protocolError(`more than ${this.#limits.maxHeaders} header lines`, line);
    }
    const text = decodeLine(body);
    const colon = text.indexOf(":");
    if (colon <= 0) throw protocolError("invalid header line", line);
    let name = text.slice(0, colon);
    if (!isToken(name)) {
      // Whitespace before the colon: a request MUST be refused (RFC 9112 §5.1); a response
      // has the whitespace dropped, as a proxy would.
      const trimmed = name.trimEnd();
      if (this.#kind === "request" || !isToken(trimmed)) {
        throw protocolError("invalid header name", line);
      }
      name = trimmed;
    }
    this.#headers.push([name, text.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "")]);
    return false;
  }

  /** Checks the start line as soon as it is complete, so garbage fails before any timeout. */
  #parseStart(start: string, line: Uint8Array): string[] {
    if (this.#kind === "response") {
      const m = /^(HTTP\/1\.[01]) (\d{3})(?: (.*))?$/.exec(start) ??
        /^(HTTP\/1\.[01]) +(\d{3}) *(.*)$/.exec(start);
      if (!m || Number(m[2]) < 100) throw protocolError("invalid status line", line);
      return [m[1], m[2], m[3] ?? ""];
    }
    const m = /^([^ ]+) ([^ ]+) (HTTP\/1\.[01])$/.exec(start);
    if (!m || !isToken(m[1])) throw protocolError("invalid request line", line);
    if (!isValidTarget(m[2])) throw protocolError("invalid request target", line);
    return [m[1], m[2], m[3]];
  }

  #build(raw: Uint8Array): T {
    const [a, b, c] = this.#start!;
    const headers = new HttpHeaders(this.#headers);
    if (this.#kind === "response") {
      return { version: a, status: Number(b), reason: c, headers, raw } as ResponseHead as T;
    }
    return { method: a, target: b, version: c, headers, raw } as RequestHead as T;
  }
}
