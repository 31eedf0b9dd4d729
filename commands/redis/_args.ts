/**
 * Argument parsing and reply helpers the data-type commands share (folder-private).
 *
 * @module
 */

import type { RespWriter } from "../../lib/resp/mod.ts";
import { bytesOf, formatDouble, latin1, lowerWord, parseFloat64, parseInteger } from "./bytes.ts";
import { ReplyError, WRONGTYPE } from "./command.ts";
import { type Database, typeOf } from "./db.ts";
import { Hash } from "./types/hash.ts";
import { List } from "./types/list.ts";
import { RSet } from "./types/set.ts";
import { ZSet } from "./types/zset.ts";

/** `ERR syntax error`. */
export const SYNTAX = "ERR syntax error";
/** The reply to an argument that must be an integer. */
export const NOT_INTEGER = "ERR value is not an integer or out of range";
/** The reply to an argument that must be a float. */
export const NOT_FLOAT = "ERR value is not a valid float";

/** Throws WRONGTYPE. */
export function wrongType(): never {
  throw new ReplyError(WRONGTYPE);
}

/** An integer argument, or `ERR value is not an integer or out of range`. */
export function intArg(bytes: Uint8Array, message = NOT_INTEGER): number {
  const n = parseInteger(bytes);
  if (n === undefined) throw new ReplyError(message);
  return n;
}

/** A float argument, or `ERR value is not a valid float`. */
export function floatArg(bytes: Uint8Array, message = NOT_FLOAT): number {
  const n = parseFloat64(bytes);
  if (n === undefined) throw new ReplyError(message);
  return n;
}

/** A positive count (COUNT options), or Redis's range error. */
export function positiveArg(bytes: Uint8Array): number {
  const n = intArg(bytes);
  if (n < 0) throw new ReplyError("ERR value is out of range, must be positive");
  return n;
}

/** Key argument as latin1. */
export const keyOf: (bytes: Uint8Array) => string = latin1;

/** Option word, lower case. */
export const word: (bytes: Uint8Array) => string = lowerWord;

/** The value of a key when it has the wanted type; WRONGTYPE when it has another. */
export function typed<T extends keyof ValueTypes>(
  db: Database,
  key: string,
  type: T,
): ValueTypes[T] | undefined {
  const v = db.lookup(key);
  if (v === undefined) return undefined;
  // One instanceof for a collection, where typeOf tries each type in turn.
  if (type !== "string") {
    return v instanceof CLASSES[type as Exclude<T, "string">] ? v as ValueTypes[T] : wrongType();
  }
  if (typeOf(v) !== type) wrongType();
  return (typeof v === "string" ? bytesOf(v) : v) as ValueTypes[T];
}

/** The class of each collection type. */
const CLASSES = { list: List, hash: Hash, set: RSet, zset: ZSet };

/** The value class of each type name. */
export interface ValueTypes {
  /** Bytes. */
  string: Uint8Array;
  /** A list. */
  list: List;
  /** A hash. */
  hash: Hash;
  /** A set. */
  set: RSet;
  /** A sorted set. */
  zset: ZSet;
}

/** Writes a double: a bulk string in RESP2, a `,` double in RESP3, with Redis's `%.17g`. */
export function writeDouble(out: RespWriter, n: number): void {
  const text = formatDouble(n);
  if (out.protocol === 3) {
    const bytes = new Uint8Array(text.length + 3);
    bytes[0] = 44;
    for (let i = 0; i < text.length; i++) bytes[i + 1] = text.charCodeAt(i);
    bytes[text.length + 1] = 13;
    bytes[text.length + 2] = 10;
    out.raw(bytes);
  } else out.bulk(text);
}

/** Writes a latin1 string as a bulk string of its bytes. */
export function writeKey(out: RespWriter, s: string): void {
  out.bulkLatin1(s);
}

/** Writes a value as held (a latin1 string or bytes) as a bulk string, or a null. */
export function writeStored(out: RespWriter, v: string | Uint8Array | undefined): void {
  if (v === undefined) out.null();
  else if (typeof v === "string") out.bulkLatin1(v);
  else out.bulk(v);
}

/** Writes a list of latin1 strings as an array. */
export function writeKeys(out: RespWriter, items: string[]): void {
  out.arrayHeader(items.length);
  for (const s of items) writeKey(out, s);
}

/**
 * Normalizes a start/end pair of list-style indexes (negative from the end) to [start, end]
 * within [0, len), or undefined when the range is empty.
 */
export function clampRange(start: number, end: number, len: number): [number, number] | undefined {
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return undefined;
  if (end >= len) end = len - 1;
  return [start, end];
}

/** Parses SCAN-family options after the cursor: MATCH, COUNT, and TYPE when allowed. */
export function scanOptions(
  args: Uint8Array[],
  from: number,
  allowType: boolean,
): { match: string | null; count: number; type: string | null; novalues: boolean } {
  let match: string | null = null;
  let count = 10;
  let type: string | null = null;
  const novalues = false;
  for (let i = from; i < args.length; i++) {
    const opt = word(args[i]);
    const more = i + 1 < args.length;
    if (opt === "match" && more) match = latin1(args[++i]);
    else if (opt === "count" && more) {
      count = intArg(args[++i]);
      if (count < 1) throw new ReplyError(SYNTAX);
    } else if (opt === "type" && more && allowType) type = lowerWord(args[++i]);
    else throw new ReplyError(SYNTAX);
  }
  return { match, count, type, novalues };
}

/** Parses a SCAN cursor: an unsigned integer, or `ERR invalid cursor`. */
export function cursorArg(bytes: Uint8Array): number {
  const n = parseInteger(bytes);
  if (n === undefined || n < 0) throw new ReplyError("ERR invalid cursor");
  return n;
}
