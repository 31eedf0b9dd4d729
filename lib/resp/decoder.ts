/**
 * Decoding RESP2 and RESP3 values (replies, or anything a peer sends) from byte chunks.
 *
 * @module
 */

import { bulkRoom, ReadBuffer } from "./_buffer.ts";
import { parseInteger } from "./_scan.ts";
import { RespProtocolError } from "./errors.ts";
import { DEFAULT_LIMITS, type RespLimits } from "./limits.ts";
import type { RespPair, RespValue } from "./value.ts";

const CR = 13;
const decoder = new TextDecoder();

type AggregateKind = "array" | "map" | "set" | "push" | "attribute";

/** An aggregate whose header was read and whose elements are still arriving. */
interface Frame {
  kind: AggregateKind;
  items: RespValue[];
  remaining: number;
  /** An attribute read at this level, waiting for the value it belongs to. */
  attributes?: RespPair[];
  /** The attribute that preceded this aggregate itself. */
  own?: RespPair[];
}

/**
 * An incremental decoder of every RESP2 and RESP3 type: simple string, error, integer, bulk
 * string, array, null, boolean, double, big number, bulk error, verbatim string, map, set,
 * attribute and push. A value cut anywhere is a normal state: {@linkcode RespDecoder.next}
 * returns undefined and resumes from the same point when more bytes come, aggregates included
 * (a half-read array of a million elements is not parsed again).
 *
 * An attribute (`|`) is not returned by itself: it is attached as `attributes` to the value
 * that follows it. Every declared length is checked against {@linkcode RespLimits}.
 *
 * @example
 * ```ts
 * import { RespDecoder } from "./decoder.ts";
 * import assert from "node:assert/strict";
 * const decoder = new RespDecoder();
 * decoder.push(new TextEncoder().encode("%1\r\n+a\r\n:1\r\n#t\r\n,1.5\r\n"));
 * assert.deepEqual(decoder.next(), {
 *   type: "map",
 *   value: [[{ type: "simple", value: "a" }, { type: "integer", value: 1 }]],
 * });
 * assert.deepEqual(decoder.next(), { type: "boolean", value: true });
 * assert.deepEqual(decoder.next(), { type: "double", value: 1.5 });
 * assert.equal(decoder.next(), undefined);
 * ```
 */
export class RespDecoder {
  #in = new ReadBuffer();
  #stack: Frame[] = [];
  #topAttributes: RespPair[] | undefined;
  #limits: Required<RespLimits>;

  /** @param limits Bounds on what a peer may declare; Redis's defaults. */
  constructor(limits: RespLimits = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Bytes received and not yet decoded. */
  get buffered(): number {
    return this.#in.length;
  }

  /** Whether a value has begun and not ended (a peer closing now cut it). */
  get partial(): boolean {
    return this.#stack.length > 0 || this.#in.length > 0 || this.#topAttributes !== undefined;
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
   * The next complete value.
   *
   * @returns The value, or undefined when more bytes are needed.
   * @throws {RespProtocolError} On bytes that are not RESP or break a limit.
   */
  next(): RespValue | undefined {
    const stack = this.#stack;
    while (true) {
      const input = this.#in;
      if (input.pos >= input.end) return undefined;
      const start = input.pos;
      const type = input.buf[start];
      const cr = input.buf.indexOf(CR, start);
      if (cr < 0 || cr >= input.end - 1) {
        if (input.length > this.#limits.maxInlineLength) {
          throw this.#error("Protocol error: too big line", start);
        }
        return undefined;
      }
      if (input.buf[cr + 1] !== 10) throw this.#error("Protocol error: expected LF after CR", cr);
      let value: RespValue;
      switch (type) {
        case 43: // +
          value = { type: "simple", value: decoder.decode(input.buf.subarray(start + 1, cr)) };
          break;
        case 45: // -
          value = { type: "error", value: decoder.decode(input.buf.subarray(start + 1, cr)) };
          break;
        case 58: // :
          value = { type: "integer", value: this.#integer(start + 1, cr) };
          break;
        case 95: // _
          if (cr !== start + 1) throw this.#error("Protocol error: invalid null", start);
          value = { type: "null" };
          break;
        case 35: { // #
          const c = input.buf[start + 1];
          if (cr !== start + 2 || (c !== 116 && c !== 102)) {
            throw this.#error("Protocol error: invalid boolean", start);
          }
          value = { type: "boolean", value: c === 116 };
          break;
        }
        case 44: // ,
          value = { type: "double", value: this.#double(start + 1, cr) };
          break;
        case 40: { // (
          const text = decoder.decode(input.buf.subarray(start + 1, cr));
          if (!/^[-+]?\d+$/.test(text)) {
            throw this.#error("Protocol error: invalid big number", start);
          }
          value = { type: "bignum", value: BigInt(text) };
          break;
        }
        case 36: // $
        case 33: // !
        case 61: { // =
          const length = parseInteger(input.buf, start + 1, cr);
          if (type === 36 && length === -1) {
            value = { type: "null" };
            break;
          }
          if (Number.isNaN(length) || length < 0 || length > this.#limits.maxBulkLength) {
            throw this.#error("Protocol error: invalid bulk length", start);
          }
          const dataStart = cr + 2;
          if (input.end - dataStart < length + 2) {
            input.ensureCapacity(bulkRoom(cr + 2 - start + length + 2, input.length));
            return undefined;
          }
          const dataEnd = dataStart + length;
          if (input.buf[dataEnd] !== CR || input.buf[dataEnd + 1] !== 10) {
            throw this.#error("Protocol error: bulk string not followed by CRLF", dataEnd);
          }
          const data = input.buf.subarray(dataStart, dataEnd);
          if (type === 36) value = { type: "bulk", value: data };
          else if (type === 33) value = { type: "bulkError", value: decoder.decode(data) };
          else {
            if (length < 4 || data[3] !== 58) {
              throw this.#error("Protocol error: invalid verbatim string", start);
            }
            value = {
              type: "verbatim",
              format: decoder.decode(data.subarray(0, 3)),
              value: decoder.decode(data.subarray(4)),
            };
          }
          input.pos = dataEnd + 2;
          const done = this.#complete(value);
          if (done !== undefined) return done;
          continue;
        }
        case 42: // *
        case 37: // %
        case 126: // ~
        case 62: // >
        case 124: { // |
          const count = parseInteger(input.buf, start + 1, cr);
          if (type === 42 && count === -1) {
            value = { type: "null", array: true };
            break;
          }
          if (Number.isNaN(count) || count < 0 || count > this.#limits.maxAggregateLength) {
            throw this.#error("Protocol error: invalid multibulk length", start);
          }
          if (stack.length + 1 > this.#limits.maxDepth) {
            throw this.#error("Protocol error: nesting too deep", start);
          }
          const kind: AggregateKind = type === 42
            ? "array"
            : type === 37
            ? "map"
            : type === 126
            ? "set"
            : type === 62
            ? "push"
            : "attribute";
          input.pos = cr + 2;
          const paired = kind === "map" || kind === "attribute";
          const frame: Frame = { kind, items: [], remaining: paired ? count * 2 : count };
          if (kind !== "attribute") frame.own = this.#takeAttributes();
          stack.push(frame);
          if (frame.remaining === 0) {
            const done = this.#finishFrames();
            if (done !== undefined) return done;
          }
          continue;
        }
        default:
          throw this.#error(
            `Protocol error: unexpected byte '${String.fromCharCode(type)}'`,
            start,
          );
      }
      input.pos = cr + 2;
      const done = this.#complete(value);
      if (done !== undefined) return done;
    }
  }

  /** Attaches a pending attribute, adds `value` to its parent, closes finished parents. */
  #complete(value: RespValue): RespValue | undefined {
    const attributes = this.#takeAttributes();
    if (attributes) value.attributes = attributes;
    const stack = this.#stack;
    if (stack.length === 0) return value;
    const top = stack[stack.length - 1];
    top.items.push(value);
    top.remaining--;
    return top.remaining === 0 ? this.#finishFrames() : undefined;
  }

  #takeAttributes(): RespPair[] | undefined {
    const stack = this.#stack;
    if (stack.length === 0) {
      const a = this.#topAttributes;
      this.#topAttributes = undefined;
      return a;
    }
    const top = stack[stack.length - 1];
    const a = top.attributes;
    top.attributes = undefined;
    return a;
  }

  /** Pops every finished frame; returns a top-level value when one ends. */
  #finishFrames(): RespValue | undefined {
    const stack = this.#stack;
    while (stack.length > 0 && stack[stack.length - 1].remaining === 0) {
      const frame = stack.pop()!;
      if (frame.kind === "attribute") {
        const pairs = toPairs(frame.items);
        if (stack.length === 0) this.#topAttributes = pairs;
        else stack[stack.length - 1].attributes = pairs;
        return undefined;
      }
      let value: RespValue;
      if (frame.kind === "map") value = { type: "map", value: toPairs(frame.items) };
      else value = { type: frame.kind, value: frame.items };
      if (frame.own) value.attributes = frame.own;
      if (stack.length === 0) return value;
      const parent = stack[stack.length - 1];
      parent.items.push(value);
      parent.remaining--;
    }
    return undefined;
  }

  #integer(start: number, end: number): number | bigint {
    const buf = this.#in.buf;
    const n = parseInteger(buf, start, end);
    if (Number.isNaN(n)) {
      // parseInteger refuses `+5` and `007`, which RESP3 peers may send; be lenient here.
      const text = decoder.decode(buf.subarray(start, end));
      if (!/^[-+]?\d{1,19}$/.test(text)) {
        throw this.#error("Protocol error: invalid integer", start);
      }
      return normalize(BigInt(text));
    }
    if (Number.isSafeInteger(n)) return n;
    return normalize(BigInt(decoder.decode(buf.subarray(start, end))));
  }

  #double(start: number, end: number): number {
    const text = decoder.decode(this.#in.buf.subarray(start, end));
    switch (text.toLowerCase()) {
      case "inf":
      case "+inf":
        return Infinity;
      case "-inf":
        return -Infinity;
      case "nan":
        return NaN;
    }
    const n = Number(text);
    if (text === "" || Number.isNaN(n) || !/^[-+0-9.eE]+$/.test(text)) {
      throw this.#error("Protocol error: invalid double", start);
    }
    return n;
  }

  #error(message: string, at: number): RespProtocolError {
    return new RespProtocolError(message, this.#in.base + at);
  }
}

function toPairs(items: RespValue[]): RespPair[] {
  const pairs: RespPair[] = [];
  for (let i = 0; i < items.length; i += 2) pairs.push([items[i], items[i + 1]]);
  return pairs;
}

function normalize(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(n)
    : n;
}

/**
 * Decodes the first complete value in `bytes`, for one-shot use; an incomplete value is a normal
 * result, not an error.
 *
 * @example
 * ```ts
 * import { decodeFrame } from "./decoder.ts";
 * import assert from "node:assert/strict";
 * const bytes = new TextEncoder().encode("$5\r\nhello\r\n:1");
 * const frame = decodeFrame(bytes)!;
 * assert.equal(frame.length, 11);
 * assert.equal(new TextDecoder().decode((frame.value as { value: Uint8Array }).value), "hello");
 * assert.equal(decodeFrame(bytes.subarray(0, 6)), undefined);
 * ```
 *
 * @param bytes The bytes.
 * @param limits Bounds on declared lengths.
 * @returns The value and how many bytes it took, or undefined when it is incomplete.
 * @throws {RespProtocolError} On bytes that are not RESP.
 */
export function decodeFrame(
  bytes: Uint8Array,
  limits: RespLimits = {},
): { value: RespValue; length: number } | undefined {
  const decoder = new RespDecoder(limits);
  decoder.push(bytes);
  const value = decoder.next();
  if (value === undefined) return undefined;
  return { value, length: bytes.length - decoder.buffered };
}
