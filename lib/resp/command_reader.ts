/**
 * Reading client commands off a byte stream: RESP multibulk (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`)
 * or inline (`GET k\r\n`, as telnet and `redis-cli` in a pipe send), exactly as Redis reads them.
 *
 * @module
 */

import { bulkRoom, ReadBuffer } from "./_buffer.ts";
import { parseInteger } from "./_scan.ts";
import { RespProtocolError } from "./errors.ts";
import { DEFAULT_LIMITS, type RespLimits } from "./limits.ts";
import { splitArgs } from "./split_args.ts";

const CR = 13;
const LF = 10;
/** Command names a reader keeps (see CommandReader's #names). */
const NAMES = 8;
/** The longest argument shared with the command before (see CommandReader's #previous). */
const SHARED_BYTES = 32;
/** No arguments to share. */
const NONE: Uint8Array[] = [];

/**
 * An incremental reader of client commands. Feed it bytes as they arrive with
 * {@linkcode CommandReader.push} (or read straight into {@linkcode CommandReader.reserve}), then
 * call {@linkcode CommandReader.next} until it returns undefined: a pipelined buffer is parsed
 * in one pass, and a command cut anywhere resumes where it stopped without re-scanning.
 *
 * Arguments are views into the reader's buffers, which are never overwritten, so they stay
 * valid; copy one (`slice()`) only to keep it without keeping its 64 KB buffer alive. Treat
 * them as read-only: commands with the same name, read close together, may share their first
 * argument, and a command shares a short argument with the command before it when it has the
 * same bytes at the same position (a pipeline's repeated key or value costs no new view).
 *
 * On a protocol violation `next()` throws a {@linkcode RespProtocolError} whose message is
 * Redis's; the server answers `-ERR <message>` and closes the connection. Commands before the
 * bad bytes are returned first.
 *
 * @example
 * ```ts
 * import { CommandReader } from "./command_reader.ts";
 * import assert from "node:assert/strict";
 * const reader = new CommandReader();
 * const text = (s: string) => new TextEncoder().encode(s);
 * reader.push(text("*2\r\n$3\r\nGET\r\n$1\r"));
 * assert.equal(reader.next(), undefined);
 * reader.push(text("\nk\r\nPING\r\n"));
 * const words = (args: Uint8Array[] | undefined) => args?.map((a) => new TextDecoder().decode(a));
 * assert.deepEqual(words(reader.next()), ["GET", "k"]);
 * assert.deepEqual(words(reader.next()), ["PING"]);
 * assert.equal(reader.next(), undefined);
 * ```
 */
export class CommandReader {
  #in = new ReadBuffer();
  #maxBulk: number;
  #maxCount: number;
  #maxInline: number;
  #maxQuery: number;
  /** Arguments of the multibulk command being read, or undefined between commands. */
  #args: Uint8Array[] | undefined;
  /** Arguments still to come of `#args`. */
  #remaining = 0;
  /** Length of the bulk whose header was read and whose data has not fully arrived, else -1. */
  #bulk = -1;
  /** Bytes held by `#args`, against `maxQueryLength`. */
  #held = 0;
  /**
   * The names of recent commands {@linkcode #wholeCommand} read, each in an array of its own:
   * a command with one of these names (a pipeline repeats a few) gets that array as its first
   * argument instead of a view of its own.
   */
  #names: Uint8Array[] = [];
  /** Where the next new name goes once there are NAMES. */
  #nextName = 0;
  /**
   * The arguments of the last command {@linkcode #wholeCommand} read: an argument with the same
   * bytes at the same position as there (a pipeline's key, value or option repeated), of up to
   * SHARED_BYTES and in the same buffer, gets that view instead of a new one.
   */
  #previous: Uint8Array[] = [];
  /** The buffer `#previous` views. */
  #previousOf: Uint8Array | undefined;

  /** @param limits Bounds on what a client may declare; Redis's defaults. */
  constructor(limits: RespLimits = {}) {
    this.#maxBulk = limits.maxBulkLength ?? DEFAULT_LIMITS.maxBulkLength;
    this.#maxCount = limits.maxAggregateLength ?? DEFAULT_LIMITS.maxAggregateLength;
    this.#maxInline = limits.maxInlineLength ?? DEFAULT_LIMITS.maxInlineLength;
    this.#maxQuery = limits.maxQueryLength ?? DEFAULT_LIMITS.maxQueryLength;
  }

  /** Bytes received and not yet parsed. */
  get buffered(): number {
    return this.#in.length;
  }

  /**
   * A region to read into directly (saves a copy); call {@linkcode commit} with the count read.
   *
   * @param min The least room wanted.
   * @returns The writable region, at least `min` bytes.
   */
  reserve(min = 16 * 1024): Uint8Array {
    return this.#in.reserve(min);
  }

  /**
   * Marks bytes read into {@linkcode reserve}'s region as received.
   *
   * @param n How many.
   */
  commit(n: number): void {
    this.#in.commit(n);
  }

  /**
   * Appends received bytes (copied; the caller may reuse `chunk`).
   *
   * @param chunk The bytes.
   */
  push(chunk: Uint8Array): void {
    this.#in.push(chunk);
  }

  /**
   * The next complete command.
   *
   * @returns Its arguments (never empty), or undefined when more bytes are needed.
   * @throws {RespProtocolError} On bytes Redis would reject; the stream cannot go on after it.
   */
  next(): Uint8Array[] | undefined {
    const input = this.#in;
    while (true) {
      if (this.#args !== undefined) {
        const done = this.#readBulks(input);
        if (done === undefined) return undefined;
        return done;
      }
      if (input.pos >= input.end) return undefined;
      const whole = this.#wholeCommand(input);
      if (whole !== undefined) return whole;
      if (input.buf[input.pos] === 42) { // '*'
        const cr = input.buf.indexOf(CR, input.pos);
        if (cr < 0 || cr >= input.end - 1) {
          if (input.length > this.#maxInline) {
            throw this.#error("Protocol error: too big mbulk count string", input.pos);
          }
          return undefined;
        }
        const count = parseInteger(input.buf, input.pos + 1, cr);
        if (Number.isNaN(count) || count > this.#maxCount) {
          throw this.#error("Protocol error: invalid multibulk length", input.pos);
        }
        input.pos = cr + 2;
        if (count <= 0) continue; // `*0` and `*-1` are empty commands Redis skips
        this.#args = [];
        this.#remaining = count;
        this.#held = 0;
      } else {
        const args = this.#readInline(input);
        if (args === undefined) return undefined;
        if (args.length > 0) return args;
      }
    }
  }

  #readBulks(input: ReadBuffer): Uint8Array[] | undefined {
    const args = this.#args!;
    while (this.#remaining > 0) {
      if (this.#bulk < 0) {
        // The common header, `$` and up to 9 digits without a leading zero, read in one pass.
        const length = this.#shortBulkHeader(input);
        if (length >= 0) this.#bulk = length;
      }
      if (this.#bulk < 0) {
        if (input.pos >= input.end) return undefined;
        const cr = input.buf.indexOf(CR, input.pos);
        if (cr < 0 || cr >= input.end - 1) {
          if (input.length > this.#maxInline) {
            throw this.#error("Protocol error: too big bulk count string", input.pos);
          }
          return undefined;
        }
        if (input.buf[input.pos] !== 36) { // '$'
          const got = String.fromCharCode(input.buf[input.pos]);
          throw this.#error(`Protocol error: expected '$', got '${got}'`, input.pos);
        }
        const length = parseInteger(input.buf, input.pos + 1, cr);
        if (Number.isNaN(length) || length < 0 || length > this.#maxBulk) {
          throw this.#error("Protocol error: invalid bulk length", input.pos);
        }
        this.#held += length;
        if (this.#held + input.length > this.#maxQuery) {
          throw this.#error("Protocol error: query buffer limit reached", input.pos);
        }
        input.pos = cr + 2;
        this.#bulk = length;
      }
      const length = this.#bulk;
      if (input.end - input.pos < length + 2) {
        input.ensureCapacity(bulkRoom(length + 2, input.length));
        return undefined;
      }
      const start = input.pos;
      // The buffer starts its own ArrayBuffer (see ReadBuffer), and a view made this way
      // costs about half of subarray's.
      args.push(new Uint8Array(input.buf.buffer, start, length));
      // Like Redis, the two bytes after the data are taken as CRLF without looking at them.
      input.pos = start + length + 2;
      this.#bulk = -1;
      this.#remaining--;
    }
    this.#args = undefined;
    return args;
  }

  /**
   * Reads a command that has fully arrived and is plainly formed (at most 99 arguments,
   * lengths without leading zeros and within every limit) in one pass over local variables,
   * the case of nearly every command; returns undefined without consuming anything for any
   * other bytes, which the general path then reads, waits for or rejects.
   */
  #wholeCommand(input: ReadBuffer): Uint8Array[] | undefined {
    const buf = input.buf;
    const end = input.end;
    let p = input.pos;
    if (end - p < 4 || buf[p] !== 42) return undefined;
    let count = buf[p + 1] - 48;
    if (count < 1 || count > 9) return undefined;
    p += 2;
    if (buf[p] !== CR) {
      const d = buf[p] - 48;
      if (d < 0 || d > 9) return undefined;
      count = count * 10 + d;
      p++;
      if (buf[p] !== CR) return undefined;
    }
    if (count > this.#maxCount) return undefined;
    p += 2;
    const args: Uint8Array[] = new Array(count);
    const maxBulk = this.#maxBulk;
    // Views of an older buffer would keep it alive: only those of this one are shared.
    const previous = this.#previousOf === buf ? this.#previous : NONE;
    for (let k = 0; k < count; k++) {
      if (end - p < 4 || buf[p] !== 36) return undefined;
      let length = buf[p + 1] - 48;
      if (length < 0 || length > 9) return undefined;
      p += 2;
      for (; p < end && buf[p] !== CR; p++) {
        const d = buf[p] - 48;
        // A leading zero, a sign, junk or a length past the limit: the general path decides.
        if (d < 0 || d > 9 || length === 0 || length > maxBulk) return undefined;
        length = length * 10 + d;
      }
      if (length > maxBulk) return undefined;
      // Like Redis, the two bytes after a length and after the data are taken as CRLF.
      p += 2;
      if (end - p < length + 2) return undefined;
      if (k === 0) args[k] = this.#nameAt(buf, p, length);
      else if (
        k < previous.length && length <= SHARED_BYTES && sameBytes(previous[k], buf, p, length)
      ) {
        args[k] = previous[k];
      } else args[k] = new Uint8Array(buf.buffer, p, length);
      p += length + 2;
    }
    if (2 * (p - input.pos) > this.#maxQuery) return undefined;
    input.pos = p;
    this.#previous = args;
    this.#previousOf = buf;
    return args;
  }

  /**
   * A command's name: one of {@linkcode #names} when it has the same bytes, else a view, and a
   * copy of a short one joins the names in place of the oldest.
   */
  #nameAt(buf: Uint8Array, at: number, length: number): Uint8Array {
    const names = this.#names;
    for (let n = 0; n < names.length; n++) {
      const name = names[n];
      if (name.length !== length) continue;
      let i = 0;
      while (i < length && buf[at + i] === name[i]) i++;
      if (i === length) return name;
    }
    if (length <= 32) {
      const copy = buf.slice(at, at + length);
      if (names.length < NAMES) names.push(copy);
      else names[this.#nextName++ % NAMES] = copy;
    }
    return new Uint8Array(buf.buffer, at, length);
  }

  /**
   * Reads a complete `$<n>\r\n` header of at most 9 digits, within every limit, and returns
   * n; returns -1 without consuming anything for any other bytes, which the general path
   * then reads or rejects.
   */
  #shortBulkHeader(input: ReadBuffer): number {
    const buf = input.buf;
    let p = input.pos;
    const stop = Math.min(input.end - 1, p + 11);
    if (p >= stop || buf[p] !== 36) return -1;
    let d = buf[++p] - 48;
    if (d < 1 || d > 9) return -1; // `$0`, a sign or junk: the general path decides
    let length = d;
    for (p++; p < stop; p++) {
      const c = buf[p];
      if (c === CR) break;
      d = c - 48;
      if (d < 0 || d > 9) return -1;
      length = length * 10 + d;
    }
    if (p >= stop) return -1; // no CR yet, or too many digits
    if (length > this.#maxBulk) return -1;
    const held = this.#held + length;
    if (held + input.end - input.pos > this.#maxQuery) return -1;
    this.#held = held;
    input.pos = p + 2;
    return length;
  }

  #readInline(input: ReadBuffer): Uint8Array[] | undefined {
    const lf = input.buf.indexOf(LF, input.pos);
    if (lf < 0 || lf >= input.end) {
      if (input.length > this.#maxInline) {
        throw this.#error("Protocol error: too big inline request", input.pos);
      }
      return undefined;
    }
    let lineEnd = lf;
    if (lineEnd > input.pos && input.buf[lineEnd - 1] === CR) lineEnd--;
    const line = input.buf.subarray(input.pos, lineEnd);
    const args = splitArgs(line);
    if (args === undefined) {
      throw this.#error("Protocol error: unbalanced quotes in request", input.pos);
    }
    input.pos = lf + 1;
    return args;
  }

  #error(message: string, at: number): RespProtocolError {
    return new RespProtocolError(message, this.#in.base + at);
  }
}

/**
 * Whether a view has the bytes of `buf` from `at`, `length` of them; compared from the end,
 * where keys drawn from a sequence differ.
 */
function sameBytes(view: Uint8Array, buf: Uint8Array, at: number, length: number): boolean {
  if (view.length !== length) return false;
  for (let i = length - 1; i >= 0; i--) if (view[i] !== buf[at + i]) return false;
  return true;
}
