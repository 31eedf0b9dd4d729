/**
 * Writing RESP: a growable output buffer with one method per reply type, in RESP2 or RESP3.
 *
 * @module
 */

import type { RespPair, RespProtocol, RespValue } from "./value.ts";

const encoder = new TextEncoder();
const CRLF_NULL2 = encoder.encode("$-1\r\n");
const CRLF_NULL_ARRAY2 = encoder.encode("*-1\r\n");
const NULL3 = encoder.encode("_\r\n");
const OK = encoder.encode("+OK\r\n");

/**
 * Serializes replies into one buffer, so a server answers a whole pipelined read with a single
 * write. The same calls produce RESP2 or RESP3 after {@linkcode RespWriter.protocol} is set:
 * a map is a flat array in RESP2, a null is `$-1`, a boolean `:1`, a double a bulk string.
 *
 * @example
 * ```ts
 * import { RespWriter } from "./writer.ts";
 * import assert from "node:assert/strict";
 * const out = new RespWriter();
 * out.mapHeader(1);
 * out.simple("proto");
 * out.integer(2);
 * out.null();
 * assert.equal(new TextDecoder().decode(out.bytes()), "*2\r\n+proto\r\n:2\r\n$-1\r\n");
 * out.reset();
 * out.protocol = 3;
 * out.mapHeader(0);
 * out.null();
 * assert.equal(new TextDecoder().decode(out.bytes()), "%0\r\n_\r\n");
 * ```
 */
export class RespWriter {
  /** The protocol replies are written in. @default 2 */
  protocol: RespProtocol = 2;
  #buf: Uint8Array;
  #len = 0;

  /** @param capacity Initial buffer size. */
  constructor(capacity = 16 * 1024) {
    this.#buf = new Uint8Array(capacity);
  }

  /** Bytes written since the last {@linkcode reset}. */
  get length(): number {
    return this.#len;
  }

  /**
   * What was written, as a view valid until the next write or reset.
   *
   * @returns The bytes.
   */
  bytes(): Uint8Array {
    return this.#buf.subarray(0, this.#len);
  }

  /**
   * Drops what was written after the first `length` bytes (a reply begun and then withdrawn).
   *
   * @param length The length to keep.
   */
  truncate(length: number): void {
    if (length < this.#len) this.#len = Math.max(0, length);
  }

  /** Empties the buffer, keeping its memory. */
  reset(): void {
    this.#len = 0;
  }

  /** `+OK`. */
  ok(): void {
    this.raw(OK);
  }

  /**
   * A simple string; CR and LF become spaces, since they would end it.
   *
   * @param text The text.
   */
  simple(text: string): void {
    this.#byte(43);
    this.#line(text);
  }

  /**
   * An error reply (`-ERR ...`); CR and LF become spaces, as Redis does.
   *
   * @param text The whole message, code first: `ERR syntax error`.
   */
  error(text: string): void {
    this.#byte(45);
    this.#line(text);
  }

  /**
   * An integer.
   *
   * @param n The value.
   */
  integer(n: number | bigint): void {
    if (typeof n === "number" && (n | 0) === n && n >= 0) {
      // Counters and lengths (up to 2^31): digits written straight into the buffer, last
      // first, in int32 arithmetic (a division by 10 becomes a multiply), no string.
      this.#ensure(13);
      const buf = this.#buf;
      let at = this.#len;
      buf[at++] = 58;
      let end = at + 1;
      for (let m = n; m >= 10; m = (m / 10) | 0) end++;
      for (let i = end - 1, v = n; i >= at; i--) {
        const q = (v / 10) | 0;
        buf[i] = 48 + v - q * 10;
        v = q;
      }
      buf[end] = 13;
      buf[end + 1] = 10;
      this.#len = end + 2;
      return;
    }
    this.#byte(58);
    this.#ascii(String(n));
    this.#crlf();
  }

  /**
   * A bulk string.
   *
   * @param data Bytes, or text written as UTF-8.
   */
  bulk(data: Uint8Array | string): void {
    if (typeof data === "string") {
      // At most 3 bytes per UTF-16 unit; write the text first and the header in front of it
      // only when the exact length is known, without encoding twice.
      if (isAscii(data)) {
        this.#header(36, data.length);
        this.#ascii(data);
        this.#crlf();
        return;
      }
      data = encoder.encode(data);
    }
    this.#header(36, data.length);
    this.raw(data);
    this.#crlf();
  }

  /**
   * A bulk string held one char per byte (a latin1 string, as keys and short values are kept):
   * each char code is written as its byte, with no encoding and no check.
   *
   * @param text Chars 0-255 only.
   */
  bulkLatin1(text: string): void {
    const n = text.length;
    this.#header(36, n);
    this.#ensure(n + 2);
    const buf = this.#buf;
    let at = this.#len;
    for (let i = 0; i < n; i++) buf[at++] = text.charCodeAt(i);
    buf[at++] = 13;
    buf[at++] = 10;
    this.#len = at;
  }

  /**
   * A bulk string of bytes `start` to `end` of `data`, copied one by one: for short values
   * that live inside a larger buffer, with no view made of them.
   *
   * @param data The buffer.
   * @param start First byte.
   * @param end One past the last byte.
   */
  bulkRange(data: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.#header(36, n);
    this.#ensure(n + 2);
    const buf = this.#buf;
    let at = this.#len;
    for (let i = start; i < end; i++) buf[at++] = data[i];
    buf[at++] = 13;
    buf[at++] = 10;
    this.#len = at;
  }

  /** A null: `_` in RESP3, `$-1` in RESP2. */
  null(): void {
    this.raw(this.protocol === 3 ? NULL3 : CRLF_NULL2);
  }

  /** A null array: `_` in RESP3, `*-1` in RESP2 (EXEC after a failed WATCH, BLPOP timeout). */
  nullArray(): void {
    this.raw(this.protocol === 3 ? NULL3 : CRLF_NULL_ARRAY2);
  }

  /**
   * The header of an array of `n` elements; write the elements next.
   *
   * @param n Element count.
   */
  arrayHeader(n: number): void {
    this.#header(42, n);
  }

  /**
   * The header of a map of `n` pairs (RESP2: an array of `2n`); write key, value, key, ...
   *
   * @param n Pair count.
   */
  mapHeader(n: number): void {
    if (this.protocol === 3) this.#header(37, n);
    else this.#header(42, n * 2);
  }

  /**
   * The header of a set of `n` elements (RESP2: an array).
   *
   * @param n Element count.
   */
  setHeader(n: number): void {
    this.#header(this.protocol === 3 ? 126 : 42, n);
  }

  /**
   * The header of a push message of `n` elements (RESP2: an array).
   *
   * @param n Element count.
   */
  pushHeader(n: number): void {
    this.#header(this.protocol === 3 ? 62 : 42, n);
  }

  /**
   * A boolean (RESP2: `:1` or `:0`).
   *
   * @param b The value.
   */
  boolean(b: boolean): void {
    if (this.protocol === 3) this.#ascii(b ? "#t\r\n" : "#f\r\n");
    else this.#ascii(b ? ":1\r\n" : ":0\r\n");
  }

  /**
   * A double (RESP2: a bulk string, as Redis sends scores).
   *
   * @param n The value.
   */
  double(n: number): void {
    const text = n === Infinity
      ? "inf"
      : n === -Infinity
      ? "-inf"
      : Number.isNaN(n)
      ? "nan"
      : String(n);
    if (this.protocol === 3) {
      this.#byte(44);
      this.#ascii(text);
      this.#crlf();
    } else this.bulk(text);
  }

  /**
   * A big number (RESP2: a bulk string).
   *
   * @param n The value.
   */
  bignum(n: bigint): void {
    if (this.protocol === 3) {
      this.#byte(40);
      this.#ascii(String(n));
      this.#crlf();
    } else this.bulk(String(n));
  }

  /**
   * A bulk error (RESP2: a simple error).
   *
   * @param text The message, code first.
   */
  bulkError(text: string): void {
    if (this.protocol !== 3) return this.error(text);
    const data = encoder.encode(text);
    this.#header(33, data.length);
    this.raw(data);
    this.#crlf();
  }

  /**
   * A verbatim string (RESP2: a bulk string of the text).
   *
   * @param text The text.
   * @param format Three characters: `txt` or `mkd`.
   */
  verbatim(text: string, format = "txt"): void {
    if (this.protocol !== 3) return this.bulk(text);
    const data = encoder.encode(`${format.padEnd(3).slice(0, 3)}:${text}`);
    this.#header(61, data.length);
    this.raw(data);
    this.#crlf();
  }

  /**
   * An attribute of `n` pairs written before a reply (RESP2: nothing; skip the pairs too).
   *
   * @param pairs The pairs.
   */
  attributes(pairs: RespPair[]): void {
    if (this.protocol !== 3) return;
    this.#header(124, pairs.length);
    for (const [k, v] of pairs) {
      this.value(k);
      this.value(v);
    }
  }

  /**
   * Any {@linkcode RespValue}, in the writer's protocol.
   *
   * @param v The value.
   */
  value(v: RespValue): void {
    if (v.attributes) this.attributes(v.attributes);
    switch (v.type) {
      case "simple":
        return this.simple(v.value);
      case "error":
        return this.error(v.value);
      case "integer":
        return this.integer(v.value);
      case "bulk":
        return this.bulk(v.value);
      case "null":
        return v.array ? this.nullArray() : this.null();
      case "boolean":
        return this.boolean(v.value);
      case "double":
        return this.double(v.value);
      case "bignum":
        return this.bignum(v.value);
      case "bulkError":
        return this.bulkError(v.value);
      case "verbatim":
        return this.verbatim(v.value, v.format);
      case "array":
      case "set":
      case "push":
        if (v.type === "array") this.arrayHeader(v.value.length);
        else if (v.type === "set") this.setHeader(v.value.length);
        else this.pushHeader(v.value.length);
        for (const item of v.value) this.value(item);
        return;
      case "map":
        this.mapHeader(v.value.length);
        for (const [k, val] of v.value) {
          this.value(k);
          this.value(val);
        }
        return;
    }
  }

  /**
   * Bytes as they are, already RESP.
   *
   * @param data The bytes.
   */
  raw(data: Uint8Array): void {
    this.#ensure(data.length);
    this.#buf.set(data, this.#len);
    this.#len += data.length;
  }

  #header(type: number, n: number): void {
    this.#ensure(24);
    const buf = this.#buf;
    buf[this.#len++] = type;
    if (n >= 0 && n < 10) buf[this.#len++] = 48 + n;
    else this.#ascii(String(n));
    buf[this.#len++] = 13;
    buf[this.#len++] = 10;
  }

  #line(text: string): void {
    if (text.includes("\r") || text.includes("\n")) text = text.replace(/[\r\n]/g, " ");
    if (isAscii(text)) this.#ascii(text);
    else this.raw(encoder.encode(text));
    this.#crlf();
  }

  #byte(b: number): void {
    this.#ensure(1);
    this.#buf[this.#len++] = b;
  }

  #crlf(): void {
    this.#ensure(2);
    this.#buf[this.#len++] = 13;
    this.#buf[this.#len++] = 10;
  }

  /** Writes text known to be ASCII, one byte per unit: cheaper than TextEncoder for short text. */
  #ascii(text: string): void {
    const n = text.length;
    this.#ensure(n);
    const buf = this.#buf;
    let at = this.#len;
    if (n > 64) {
      at += encoder.encodeInto(text, buf.subarray(at)).written;
    } else {
      for (let i = 0; i < n; i++) buf[at++] = text.charCodeAt(i);
    }
    this.#len = at;
  }

  #ensure(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + n));
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }
}

function isAscii(text: string): boolean {
  // deno-lint-ignore no-control-regex
  return !/[^\x00-\x7f]/.test(text);
}

/**
 * Serializes one value as RESP2 or RESP3.
 *
 * @example
 * ```ts
 * import { encode } from "./writer.ts";
 * import type { RespValue } from "./value.ts";
 * import assert from "node:assert/strict";
 * const reply: RespValue = {
 *   type: "map",
 *   value: [[{ type: "simple", value: "a" }, { type: "boolean", value: true }]],
 * };
 * assert.equal(new TextDecoder().decode(encode(reply, 3)), "%1\r\n+a\r\n#t\r\n");
 * assert.equal(new TextDecoder().decode(encode(reply, 2)), "*2\r\n+a\r\n:1\r\n");
 * ```
 *
 * @param value The value.
 * @param protocol 2 or 3.
 * @returns A new byte array.
 */
export function encode(value: RespValue, protocol: RespProtocol = 2): Uint8Array {
  const out = new RespWriter(256);
  out.protocol = protocol;
  out.value(value);
  return out.bytes().slice();
}
