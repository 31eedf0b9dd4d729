/**
 * Redis's RDB file format: an encoder that writes what Redis 7.0 writes (RDB version 10) in
 * pieces, so a snapshot can be written a slice at a time, and a decoder that loads every type
 * Redis 7.0 writes plus the older compact encodings.
 *
 * The encoder writes the plain encodings (strings with integer encoding where it applies,
 * RDB_TYPE_LIST, SET, ZSET_2, HASH): every Redis version loads them, and they need no
 * listpack writer.
 *
 * @module
 */

import { bytesOf, latin1 } from "./bytes.ts";
import { Crc64 } from "./crc64.ts";
import { compactString, type RedisValue } from "./db.ts";
import { lzfDecompress } from "./lzf.ts";
import { Hash } from "./types/hash.ts";
import { List } from "./types/list.ts";
import { RSet } from "./types/set.ts";
import { ZSet } from "./types/zset.ts";

/** The RDB version written: Redis 7.0's. */
export const RDB_VERSION = 10;
/** The newest RDB version read (Redis 7.2 writes 11; its only new type, set listpack, is read). */
export const RDB_MAX_VERSION = 11;

const OP_FUNCTION_PRE_GA = 246;
const OP_FUNCTION2 = 245;
const OP_MODULE_AUX = 247;
const OP_IDLE = 248;
const OP_FREQ = 249;
const OP_AUX = 250;
const OP_RESIZEDB = 251;
const OP_EXPIRETIME_MS = 252;
const OP_EXPIRETIME = 253;
const OP_SELECTDB = 254;
const OP_EOF = 255;

const T_STRING = 0;
const T_LIST = 1;
const T_SET = 2;
const T_ZSET = 3;
const T_HASH = 4;
const T_ZSET_2 = 5;
const T_MODULE = 6;
const T_MODULE_2 = 7;
const T_HASH_ZIPMAP = 9;
const T_LIST_ZIPLIST = 10;
const T_SET_INTSET = 11;
const T_ZSET_ZIPLIST = 12;
const T_HASH_ZIPLIST = 13;
const T_LIST_QUICKLIST = 14;
const T_STREAM_LISTPACKS = 15;
const T_HASH_LISTPACK = 16;
const T_ZSET_LISTPACK = 17;
const T_LIST_QUICKLIST_2 = 18;
const T_STREAM_LISTPACKS_2 = 19;
const T_SET_LISTPACK = 20;
const T_STREAM_LISTPACKS_3 = 21;

const ENC_INT8 = 0;
const ENC_INT16 = 1;
const ENC_INT32 = 2;
const ENC_LZF = 3;

const QUICKLIST_NODE_PLAIN = 1;
const QUICKLIST_NODE_PACKED = 2;

/**
 * Builds an RDB file in pieces: {@linkcode RdbEncoder.take} hands over what was encoded so far
 * (feeding the running checksum), {@linkcode RdbEncoder.finish} adds EOF and the CRC-64.
 *
 * @example
 * ```ts
 * import { RdbEncoder, decodeRdb } from "./rdb.ts";
 * import assert from "node:assert/strict";
 * const enc = new RdbEncoder();
 * enc.header({ "redis-ver": "7.0.15", "redis-bits": 64 });
 * enc.selectDb(0, 1, 0);
 * enc.entry("greeting", { type: "string", value: new TextEncoder().encode("hello") });
 * const file = enc.finish();
 * const seen: string[] = [];
 * decodeRdb(file, { onEntry: (db, key) => seen.push(`${db}:${key}`) });
 * assert.deepEqual(seen, ["0:greeting"]);
 * ```
 */
export class RdbEncoder {
  #buf = new Uint8Array(64 * 1024);
  #view = new DataView(this.#buf.buffer);
  #len = 0;
  #crc = new Crc64();

  /** Bytes encoded and not yet taken. */
  get length(): number {
    return this.#len;
  }

  /**
   * The magic, version and aux fields (strings; numbers are written as Redis's
   * `rdbSaveAuxFieldStrInt` does, as integer-encoded strings).
   *
   * @param aux Aux fields in order.
   */
  header(aux: Record<string, string | number>): void {
    this.#ascii(`REDIS${String(RDB_VERSION).padStart(4, "0")}`);
    for (const [k, v] of Object.entries(aux)) {
      this.#byte(OP_AUX);
      this.#string(k);
      this.#string(String(v));
    }
  }

  /**
   * SELECTDB, then RESIZEDB with the sizes when given (they only presize the loader's tables).
   *
   * @param index The database.
   * @param size Keys in it, or -1 to write no RESIZEDB.
   * @param expires Keys with a TTL in it.
   */
  selectDb(index: number, size = -1, expires = 0): void {
    this.#byte(OP_SELECTDB);
    this.#length(index);
    if (size < 0) return;
    this.#byte(OP_RESIZEDB);
    this.#length(size);
    this.#length(expires);
  }

  /**
   * One key: EXPIRETIME_MS when it has a TTL, its type, name and value.
   *
   * @param key The key (latin1).
   * @param value The value.
   * @param expireAt Ms since the epoch, if it has a TTL.
   */
  entry(key: string, value: RedisValue, expireAt?: number): void {
    if (expireAt !== undefined) {
      this.#byte(OP_EXPIRETIME_MS);
      this.#reserve(8);
      this.#view.setBigInt64(this.#len, BigInt(expireAt), true);
      this.#len += 8;
    }
    switch (value.type) {
      case "string":
        this.#byte(T_STRING);
        this.#string(key);
        this.#bytes(value.value);
        break;
      case "list": {
        const list = value.value;
        this.#byte(T_LIST);
        this.#string(key);
        this.#length(list.length);
        for (let i = 0; i < list.length; i++) {
          const v = list.at(i)!;
          if (typeof v === "string") this.#string(v);
          else this.#bytes(v);
        }
        break;
      }
      case "set":
        this.#byte(T_SET);
        this.#string(key);
        this.#length(value.value.size);
        for (const m of value.value) this.#string(m);
        break;
      case "zset":
        this.#byte(T_ZSET_2);
        this.#string(key);
        this.#length(value.value.size);
        for (const node of value.value) {
          this.#string(node.member);
          this.#reserve(8);
          this.#view.setFloat64(this.#len, node.score, true);
          this.#len += 8;
        }
        break;
      case "hash":
        this.#byte(T_HASH);
        this.#string(key);
        this.#length(value.value.size);
        for (const [f, v] of value.value) {
          this.#string(f);
          if (typeof v === "string") this.#string(v);
          else this.#bytes(v);
        }
        break;
    }
  }

  /**
   * Hands over the bytes encoded so far and adds them to the checksum.
   *
   * @returns A copy of the pending bytes.
   */
  take(): Uint8Array {
    const out = this.#buf.slice(0, this.#len);
    this.#crc.update(out);
    this.#len = 0;
    return out;
  }

  /**
   * EOF and the checksum.
   *
   * @returns The remaining bytes, ending the file.
   */
  finish(): Uint8Array {
    this.#byte(OP_EOF);
    const rest = this.take();
    const out = new Uint8Array(rest.length + 8);
    out.set(rest);
    out.set(this.#crc.bytes(), rest.length);
    return out;
  }

  #reserve(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  #byte(b: number): void {
    this.#reserve(1);
    this.#buf[this.#len++] = b;
  }

  #ascii(s: string): void {
    this.#reserve(s.length);
    for (let i = 0; i < s.length; i++) this.#buf[this.#len++] = s.charCodeAt(i);
  }

  #length(n: number): void {
    this.#reserve(9);
    const b = this.#buf;
    if (n < 64) b[this.#len++] = n;
    else if (n < 16384) {
      b[this.#len++] = 0x40 | (n >> 8);
      b[this.#len++] = n & 0xff;
    } else if (n <= 0xffffffff) {
      b[this.#len++] = 0x80;
      this.#view.setUint32(this.#len, n, false);
      this.#len += 4;
    } else {
      b[this.#len++] = 0x81;
      this.#view.setBigUint64(this.#len, BigInt(n), false);
      this.#len += 8;
    }
  }

  /** A string as Redis's `rdbSaveRawString` writes it: as an integer when it is one. */
  #string(s: string): void {
    if (this.#int(s)) return;
    this.#length(s.length);
    this.#ascii(s);
  }

  #bytes(v: Uint8Array): void {
    if (v.length <= 11 && v.length > 0 && this.#int(latin1(v))) return;
    this.#length(v.length);
    this.#reserve(v.length);
    this.#buf.set(v, this.#len);
    this.#len += v.length;
  }

  /** Integer encoding, only where it reads back as the same text (no "+1", "01", "-0"). */
  #int(s: string): boolean {
    if (s.length === 0 || s.length > 11 || !/^(?:0|-?[1-9]\d*)$/.test(s)) return false;
    const n = Number(s);
    this.#reserve(5);
    const b = this.#buf;
    if (n >= -128 && n <= 127) {
      b[this.#len++] = 0xc0 | ENC_INT8;
      this.#view.setInt8(this.#len++, n);
    } else if (n >= -32768 && n <= 32767) {
      b[this.#len++] = 0xc0 | ENC_INT16;
      this.#view.setInt16(this.#len, n, true);
      this.#len += 2;
    } else if (n >= -2147483648 && n <= 2147483647) {
      b[this.#len++] = 0xc0 | ENC_INT32;
      this.#view.setInt32(this.#len, n, true);
      this.#len += 4;
    } else return false;
    return true;
  }
}

/** An RDB file that cannot be loaded: corrupt, truncated, or holding what kit cannot hold. */
export class RdbError extends SyntaxError {
  /** Byte offset where the problem was found. */
  readonly offset: number;
  /**
   * @param message What is wrong.
   * @param offset Where.
   */
  constructor(message: string, offset: number) {
    super(`${message} (at byte ${offset})`);
    this.name = "RdbError";
    this.offset = offset;
  }
}

/** What {@linkcode decodeRdb} calls as it reads. */
export interface RdbVisitor {
  /** Each key that has not expired, in file order. */
  onEntry(db: number, key: string, value: RedisValue, expireAt: number | undefined): void;
  /** Each aux field. @default ignored */
  onAux?(key: string, value: string): void;
}

/** Options for {@linkcode decodeRdb}. */
export interface DecodeRdbOptions {
  /** Keys whose expiry time is at or before this are dropped, as a master loading does. @default Date.now() */
  now?: number;
  /** Databases the server has; a SELECTDB beyond them is an error. @default 16 */
  databases?: number;
}

/** What {@linkcode decodeRdb} found. */
export interface RdbSummary {
  /** The file's RDB version. */
  version: number;
  /** Keys loaded. */
  keys: number;
  /** Keys dropped because they had expired. */
  expired: number;
  /** Bytes the RDB took (a file may go on past it: an AOF base with a tail). */
  length: number;
}

/**
 * Decodes an RDB file, calling `visitor.onEntry` for each live key.
 *
 * @example
 * ```ts
 * import { RdbEncoder, decodeRdb } from "./rdb.ts";
 * import { List } from "./types/list.ts";
 * import assert from "node:assert/strict";
 * const list = new List();
 * list.pushBack(new TextEncoder().encode("a"));
 * const enc = new RdbEncoder();
 * enc.header({});
 * enc.selectDb(2);
 * enc.entry("l", { type: "list", value: list }, Date.now() + 60_000);
 * enc.entry("gone", { type: "string", value: new Uint8Array() }, 1);
 * const got: string[] = [];
 * const summary = decodeRdb(enc.finish(), { onEntry: (db, k, v) => got.push(`${db}:${k}:${v.type}`) });
 * assert.deepEqual(got, ["2:l:list"]);
 * assert.equal(summary.expired, 1);
 * ```
 *
 * @param bytes The whole file.
 * @param visitor Receives the keys and aux fields.
 * @param options The clock and the database count.
 * @returns Version, counts and length.
 * @throws {RdbError} For anything that is not a valid RDB kit can hold.
 */
export function decodeRdb(
  bytes: Uint8Array,
  visitor: RdbVisitor,
  options: DecodeRdbOptions = {},
): RdbSummary {
  const r = new Reader(bytes);
  const now = options.now ?? Date.now();
  const databases = options.databases ?? 16;
  if (bytes.length < 9 || latin1(bytes.subarray(0, 5)) !== "REDIS") {
    throw new RdbError("Wrong signature, not an RDB file", 0);
  }
  const versionText = latin1(bytes.subarray(5, 9));
  const version = /^\d{4}$/.test(versionText) ? Number(versionText) : -1;
  if (version < 1 || version > RDB_MAX_VERSION) {
    throw new RdbError(`Can't handle RDB format version ${versionText}`, 5);
  }
  r.pos = 9;
  let db = 0;
  let expireAt: number | undefined;
  let keys = 0;
  let expired = 0;
  while (true) {
    const at = r.pos;
    const type = r.byte();
    switch (type) {
      case OP_EOF: {
        const end = r.pos;
        if (version >= 5) {
          const stored = r.take(8);
          if (stored.some((b) => b !== 0)) {
            // A zero checksum means the writer had rdbchecksum off.
            const crc = new Crc64();
            crc.update(bytes.subarray(0, end));
            const want = crc.bytes();
            if (want.some((b, i) => b !== stored[i])) {
              throw new RdbError("Wrong RDB checksum", end);
            }
          }
        }
        return { version, keys, expired, length: r.pos };
      }
      case OP_SELECTDB:
        db = r.length();
        if (db >= databases) {
          throw new RdbError(
            `FATAL: Data file was created with a Redis server configured to handle more than ${databases} databases`,
            at,
          );
        }
        continue;
      case OP_RESIZEDB:
        r.length();
        r.length();
        continue;
      case OP_AUX: {
        const k = latin1(r.string());
        const v = latin1(r.string());
        visitor.onAux?.(k, v);
        continue;
      }
      case OP_EXPIRETIME:
        expireAt = r.view.getInt32(r.need(4), true) * 1000;
        continue;
      case OP_EXPIRETIME_MS:
        expireAt = Number(r.view.getBigInt64(r.need(8), true));
        continue;
      case OP_IDLE:
        r.length();
        continue;
      case OP_FREQ:
        r.byte();
        continue;
      case OP_MODULE_AUX:
        throw new RdbError("The RDB holds module data, which kit redis cannot load", at);
      case OP_FUNCTION2:
      case OP_FUNCTION_PRE_GA:
        throw new RdbError(
          "The RDB holds Redis functions (FUNCTION LOAD), which kit redis does not support",
          at,
        );
    }
    const key = latin1(r.string());
    const value = readValue(r, type, at);
    if (expireAt !== undefined && expireAt <= now) expired++;
    else {
      visitor.onEntry(db, key, value, expireAt);
      keys++;
    }
    expireAt = undefined;
  }
}

class Reader {
  pos = 0;
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Checks that n bytes are there and moves past them, returning where they start. */
  need(n: number): number {
    if (this.pos + n > this.bytes.length) {
      throw new RdbError("Unexpected EOF reading RDB file", this.bytes.length);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  byte(): number {
    return this.bytes[this.need(1)];
  }

  take(n: number): Uint8Array {
    const at = this.need(n);
    return this.bytes.subarray(at, at + n);
  }

  /** A length, or with `encoded` set the special string encoding (-1 - type). */
  length(allowEncoded = false): number {
    const at = this.pos;
    const first = this.byte();
    switch (first >> 6) {
      case 0:
        return first & 0x3f;
      case 1:
        return ((first & 0x3f) << 8) | this.byte();
      case 2:
        if (first === 0x80) return this.view.getUint32(this.need(4), false);
        if (first === 0x81) {
          const n = this.view.getBigUint64(this.need(8), false);
          if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new RdbError("Length out of range", at);
          return Number(n);
        }
        throw new RdbError(`Unknown length encoding ${first}`, at);
      default:
        if (!allowEncoded) throw new RdbError("Unexpected encoded string", at);
        return -1 - (first & 0x3f);
    }
  }

  string(): Uint8Array {
    const at = this.pos;
    const len = this.length(true);
    if (len >= 0) return this.take(len);
    switch (-1 - len) {
      case ENC_INT8:
        return bytesOf(String(this.view.getInt8(this.need(1))));
      case ENC_INT16:
        return bytesOf(String(this.view.getInt16(this.need(2), true)));
      case ENC_INT32:
        return bytesOf(String(this.view.getInt32(this.need(4), true)));
      case ENC_LZF: {
        const clen = this.length();
        const ulen = this.length();
        const data = this.take(clen);
        try {
          return lzfDecompress(data, ulen);
        } catch (error) {
          throw new RdbError(`Invalid LZF compressed string: ${(error as Error).message}`, at);
        }
      }
      default:
        throw new RdbError(`Unknown RDB string encoding type ${-1 - len}`, at);
    }
  }

  /** A score written as text (RDB_TYPE_ZSET): a length byte, or 253 NaN, 254 +inf, 255 -inf. */
  textDouble(): number {
    const n = this.byte();
    if (n === 253) return NaN;
    if (n === 254) return Infinity;
    if (n === 255) return -Infinity;
    return scoreOf(latin1(this.take(n)));
  }
}

function readValue(r: Reader, type: number, at: number): RedisValue {
  switch (type) {
    case T_STRING:
      return { type: "string", value: r.string() };
    case T_LIST: {
      const list = new List();
      for (let n = r.length(); n > 0; n--) list.pushBack(compactString(r.string()));
      return { type: "list", value: list };
    }
    case T_SET: {
      const set = new RSet();
      for (let n = r.length(); n > 0; n--) set.add(latin1(r.string()));
      return { type: "set", value: set };
    }
    case T_ZSET:
    case T_ZSET_2: {
      const z = new ZSet();
      for (let n = r.length(); n > 0; n--) {
        const member = latin1(r.string());
        const score = type === T_ZSET ? r.textDouble() : r.view.getFloat64(r.need(8), true);
        if (Number.isNaN(score)) throw new RdbError("Zset with NAN score detected", at);
        z.add(member, score);
      }
      return { type: "zset", value: z };
    }
    case T_HASH: {
      const h = new Hash();
      for (let n = r.length(); n > 0; n--) {
        const f = latin1(r.string());
        h.set(f, compactString(r.string()));
      }
      return { type: "hash", value: h };
    }
    case T_LIST_QUICKLIST:
    case T_LIST_QUICKLIST_2: {
      const list = new List();
      for (let n = r.length(); n > 0; n--) {
        const container = type === T_LIST_QUICKLIST_2 ? r.length() : QUICKLIST_NODE_PACKED;
        const blob = r.string();
        if (container === QUICKLIST_NODE_PLAIN) list.pushBack(compactString(blob));
        else if (container !== QUICKLIST_NODE_PACKED) {
          throw new RdbError(`Quicklist integrity check failed: container ${container}`, at);
        } else {
          const items = type === T_LIST_QUICKLIST ? ziplist(blob, at) : listpack(blob, at);
          for (const v of items) list.pushBack(compactString(v));
        }
      }
      return { type: "list", value: list };
    }
    case T_LIST_ZIPLIST: {
      const list = new List();
      for (const v of ziplist(r.string(), at)) list.pushBack(compactString(v));
      return { type: "list", value: list };
    }
    case T_SET_INTSET: {
      const set = new RSet();
      for (const m of intset(r.string(), at)) set.add(m);
      return { type: "set", value: set };
    }
    case T_SET_LISTPACK: {
      const set = new RSet();
      for (const m of listpack(r.string(), at)) set.add(latin1(m));
      return { type: "set", value: set };
    }
    case T_ZSET_ZIPLIST:
    case T_ZSET_LISTPACK: {
      const items = type === T_ZSET_ZIPLIST ? ziplist(r.string(), at) : listpack(r.string(), at);
      if (items.length % 2 !== 0) throw new RdbError("Zset listpack has an odd length", at);
      const z = new ZSet();
      for (let i = 0; i < items.length; i += 2) {
        const score = scoreOf(latin1(items[i + 1]));
        if (Number.isNaN(score)) throw new RdbError("Zset with a bad score", at);
        z.add(latin1(items[i]), score);
      }
      return { type: "zset", value: z };
    }
    case T_HASH_ZIPLIST:
    case T_HASH_LISTPACK: {
      const items = type === T_HASH_ZIPLIST ? ziplist(r.string(), at) : listpack(r.string(), at);
      if (items.length % 2 !== 0) throw new RdbError("Hash listpack has an odd length", at);
      const h = new Hash();
      for (let i = 0; i < items.length; i += 2) {
        h.set(latin1(items[i]), compactString(items[i + 1]));
      }
      return { type: "hash", value: h };
    }
    case T_HASH_ZIPMAP: {
      const h = new Hash();
      const items = zipmap(r.string(), at);
      for (let i = 0; i < items.length; i += 2) {
        h.set(latin1(items[i]), compactString(items[i + 1]));
      }
      return { type: "hash", value: h };
    }
    case T_MODULE:
    case T_MODULE_2:
      throw new RdbError("The RDB holds a module type, which kit redis cannot load", at);
    case T_STREAM_LISTPACKS:
    case T_STREAM_LISTPACKS_2:
    case T_STREAM_LISTPACKS_3:
      throw new RdbError("The RDB holds a stream, which kit redis does not support", at);
    default:
      throw new RdbError(`Unknown RDB encoding type ${type}`, at);
  }
}

/** A score as Redis writes it in text: a number, or inf, -inf, +inf. */
function scoreOf(text: string): number {
  const inf = /^([+-]?)inf$/i.exec(text);
  if (inf) return inf[1] === "-" ? -Infinity : Infinity;
  return text.trim() === "" ? NaN : Number(text);
}

function bad(what: string, at: number): never {
  throw new RdbError(`${what} integrity check failed`, at);
}

/** The entries of a listpack: integers come back as their decimal text, as Redis reads them. */
export function listpack(lp: Uint8Array, at = 0): Uint8Array[] {
  const view = new DataView(lp.buffer, lp.byteOffset, lp.byteLength);
  if (lp.length < 7 || view.getUint32(0, true) !== lp.length) bad("Listpack", at);
  const out: Uint8Array[] = [];
  let p = 6;
  const int = (n: number | bigint) => bytesOf(String(n));
  while (true) {
    if (p >= lp.length) bad("Listpack", at);
    const b = lp[p];
    if (b === 0xff) break;
    const start = p;
    if ((b & 0x80) === 0) {
      out.push(int(b & 0x7f));
      p += 1;
    } else if ((b & 0xc0) === 0x80) {
      const n = b & 0x3f;
      out.push(lp.slice(p + 1, p + 1 + n));
      p += 1 + n;
    } else if ((b & 0xe0) === 0xc0) {
      let v = ((b & 0x1f) << 8) | lp[p + 1];
      if (v >= 1 << 12) v -= 1 << 13;
      out.push(int(v));
      p += 2;
    } else if ((b & 0xf0) === 0xe0) {
      const n = ((b & 0x0f) << 8) | lp[p + 1];
      out.push(lp.slice(p + 2, p + 2 + n));
      p += 2 + n;
    } else if (b === 0xf0) {
      const n = view.getUint32(p + 1, true);
      out.push(lp.slice(p + 5, p + 5 + n));
      p += 5 + n;
    } else if (b === 0xf1) {
      out.push(int(view.getInt16(p + 1, true)));
      p += 3;
    } else if (b === 0xf2) {
      let v = lp[p + 1] | (lp[p + 2] << 8) | (lp[p + 3] << 16);
      if (v >= 1 << 23) v -= 1 << 24;
      out.push(int(v));
      p += 4;
    } else if (b === 0xf3) {
      out.push(int(view.getInt32(p + 1, true)));
      p += 5;
    } else if (b === 0xf4) {
      out.push(int(view.getBigInt64(p + 1, true)));
      p += 9;
    } else bad("Listpack", at);
    // The back-length: the entry's size in 7-bit groups, for walking backwards.
    const size = p - start;
    p += size < 128 ? 1 : size < 16384 ? 2 : size < 2097152 ? 3 : size < 268435456 ? 4 : 5;
    if (p > lp.length) bad("Listpack", at);
  }
  const count = view.getUint16(4, true);
  if (count !== 65535 && count !== out.length) bad("Listpack", at);
  return out;
}

/** The entries of a ziplist (RDB types before 7.0). */
export function ziplist(zl: Uint8Array, at = 0): Uint8Array[] {
  const view = new DataView(zl.buffer, zl.byteOffset, zl.byteLength);
  if (zl.length < 11 || view.getUint32(0, true) !== zl.length) bad("Ziplist", at);
  const out: Uint8Array[] = [];
  let p = 10;
  const int = (n: number | bigint) => bytesOf(String(n));
  while (true) {
    if (p >= zl.length) bad("Ziplist", at);
    if (zl[p] === 0xff) break;
    p += zl[p] === 0xfe ? 5 : 1;
    const b = zl[p];
    switch (b >> 6) {
      case 0: {
        const n = b & 0x3f;
        out.push(zl.slice(p + 1, p + 1 + n));
        p += 1 + n;
        continue;
      }
      case 1: {
        const n = ((b & 0x3f) << 8) | zl[p + 1];
        out.push(zl.slice(p + 2, p + 2 + n));
        p += 2 + n;
        continue;
      }
      case 2: {
        const n = view.getUint32(p + 1, false);
        out.push(zl.slice(p + 5, p + 5 + n));
        p += 5 + n;
        continue;
      }
    }
    if (b === 0xc0) {
      out.push(int(view.getInt16(p + 1, true)));
      p += 3;
    } else if (b === 0xd0) {
      out.push(int(view.getInt32(p + 1, true)));
      p += 5;
    } else if (b === 0xe0) {
      out.push(int(view.getBigInt64(p + 1, true)));
      p += 9;
    } else if (b === 0xf0) {
      let v = zl[p + 1] | (zl[p + 2] << 8) | (zl[p + 3] << 16);
      if (v >= 1 << 23) v -= 1 << 24;
      out.push(int(v));
      p += 4;
    } else if (b === 0xfe) {
      out.push(int(view.getInt8(p + 1)));
      p += 2;
    } else if (b >= 0xf1 && b <= 0xfd) {
      out.push(int((b & 0x0f) - 1));
      p += 1;
    } else bad("Ziplist", at);
    if (p > zl.length) bad("Ziplist", at);
  }
  return out;
}

/** The members of an intset, as decimal text. */
export function intset(is: Uint8Array, at = 0): string[] {
  const view = new DataView(is.buffer, is.byteOffset, is.byteLength);
  if (is.length < 8) bad("Intset", at);
  const width = view.getUint32(0, true);
  const n = view.getUint32(4, true);
  if (![2, 4, 8].includes(width) || is.length !== 8 + n * width) bad("Intset", at);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = 8 + i * width;
    out.push(String(
      width === 2
        ? view.getInt16(p, true)
        : width === 4
        ? view.getInt32(p, true)
        : view.getBigInt64(p, true),
    ));
  }
  return out;
}

/** Fields and values of a zipmap (hashes before Redis 2.6), alternating. */
function zipmap(zm: Uint8Array, at: number): Uint8Array[] {
  const view = new DataView(zm.buffer, zm.byteOffset, zm.byteLength);
  const out: Uint8Array[] = [];
  let p = 1;
  const len = (): number => {
    if (p >= zm.length) bad("Zipmap", at);
    const b = zm[p];
    if (b < 254) {
      p += 1;
      return b;
    }
    if (b === 254) {
      const n = view.getUint32(p + 1, true);
      p += 5;
      return n;
    }
    return -1;
  };
  while (true) {
    const klen = len();
    if (klen < 0) break;
    out.push(zm.slice(p, p + klen));
    p += klen;
    const vlen = len();
    if (vlen < 0) bad("Zipmap", at);
    const free = zm[p++];
    out.push(zm.slice(p, p + vlen));
    p += vlen + free;
    if (p > zm.length) bad("Zipmap", at);
  }
  return out;
}
