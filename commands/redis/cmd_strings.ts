/**
 * String commands: GET, SET and its options, counters, ranges and bit operations, with Redis's
 * replies and error texts.
 *
 * @module
 */

import { ascii, latin1, parseBigInt, parseFloat64, parseInteger } from "./bytes.ts";
import { addLongDouble } from "./long_double.ts";
import { type Command, type CommandContext, ReplyError } from "./command.ts";
import { type Database, RAW_STRINGS, type StoredValue, typeOf } from "./db.ts";
import { intArg, keyOf, NOT_INTEGER, SYNTAX, typed, word, wrongType } from "./_args.ts";

/** The largest string Redis builds (proto-max-bulk-len's default). */
const MAX_STRING = 512 * 1024 * 1024;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const EMPTY = new Uint8Array(0);

// The keyspace keeps raw strings as bytes, so the set lives beside it.
export { RAW_STRINGS } from "./db.ts";

function getString(db: Database, key: string): Uint8Array | undefined {
  return typed(db, key, "string");
}

function putString(db: Database, key: string, value: Uint8Array, keepTtl = false): void {
  db.set(key, { type: "string", value }, { keepTtl });
}

/** How SET, GETEX and friends were asked to expire the key. */
interface ExpireOption {
  /** Absolute ms since the epoch, null to persist, undefined to leave as is. */
  at: number | null | undefined;
  keepTtl: boolean;
}

function expireFrom(
  ctx: CommandContext,
  unit: string,
  raw: Uint8Array,
  command: string,
): number {
  const n = intArg(raw);
  const invalid = `ERR invalid expire time in '${command}' command`;
  if (n <= 0) throw new ReplyError(invalid);
  const ms = unit === "ex" || unit === "exat" ? n * 1000 : n;
  if (!Number.isSafeInteger(ms)) throw new ReplyError(invalid);
  const at = unit === "ex" || unit === "px" ? ctx.now + ms : ms;
  if (!Number.isSafeInteger(at)) throw new ReplyError(invalid);
  return at;
}

function set(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  let nx = false;
  let xx = false;
  let get = false;
  const expire: ExpireOption = { at: undefined, keepTtl: false };
  let expireSeen = false;
  for (let i = 3; i < args.length; i++) {
    const opt = word(args[i]);
    if (opt === "nx" && !xx) nx = true;
    else if (opt === "xx" && !nx) xx = true;
    else if (opt === "get") get = true;
    else if (opt === "keepttl" && !expireSeen) {
      expireSeen = true;
      expire.keepTtl = true;
    } else if (
      (opt === "ex" || opt === "px" || opt === "exat" || opt === "pxat") && !expireSeen &&
      i + 1 < args.length
    ) {
      expireSeen = true;
      expire.at = expireFrom(ctx, opt, args[++i], "set");
    } else throw new ReplyError(SYNTAX);
  }
  const db = ctx.db;
  // A plain SET needs only whether the key exists: no access, no copy of the old value.
  const current = get ? db.lookup(key) : nx || xx ? db.has(key) || undefined : undefined;
  if (get && current !== undefined && typeOf(current as StoredValue) !== "string") wrongType();
  const exists = current !== undefined;
  if ((nx && exists) || (xx && !exists)) {
    if (get) writeOld(ctx, current as string | Uint8Array | undefined);
    else ctx.out.null();
    return;
  }
  db.putBytes(key, args[2], expire.keepTtl);
  if (expire.at !== undefined && expire.at !== null) db.setExpire(key, expire.at);
  if (get) writeOld(ctx, current as string | Uint8Array | undefined);
  else ctx.out.ok();
}

function writeOld(ctx: CommandContext, old: string | Uint8Array | undefined): void {
  // A stored string is ASCII (see compactString), so bulk() writes its bytes as they are.
  if (old === undefined) ctx.out.null();
  else ctx.out.bulk(old);
}

function setex(ctx: CommandContext, args: Uint8Array[], unit: "ex" | "px"): void {
  const name = unit === "ex" ? "setex" : "psetex";
  const at = expireFrom(ctx, unit, args[2], name);
  const key = ctx.db.key(args[1]);
  ctx.db.putBytes(key, args[3]);
  ctx.db.setExpire(key, at);
  ctx.out.ok();
}

function getex(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  let at: number | null | undefined = undefined;
  let seen = false;
  for (let i = 2; i < args.length; i++) {
    const opt = word(args[i]);
    if (
      (opt === "ex" || opt === "px" || opt === "exat" || opt === "pxat") && !seen &&
      i + 1 < args.length
    ) {
      seen = true;
      at = expireFrom(ctx, opt, args[++i], "getex");
    } else if (opt === "persist" && !seen) {
      seen = true;
      at = null;
    } else throw new ReplyError(SYNTAX);
  }
  const value = getString(ctx.db, key);
  if (value === undefined) return ctx.out.null();
  if (at === null) {
    if (ctx.db.expireAt(key) !== undefined) ctx.db.setExpire(key, null);
  } else if (at !== undefined) ctx.db.setExpire(key, at);
  ctx.out.bulk(value);
}

function incrBy(ctx: CommandContext, key: string, by: bigint | number): void {
  const db = ctx.db;
  // Counters almost always fit a double exactly: take the number path when both sides are
  // short, and 64-bit bigint arithmetic otherwise.
  if (typeof by === "number") {
    const n = counterValue(db, key);
    if (n === undefined) throw new ReplyError(NOT_INTEGER);
    const next = n + by;
    if (Number.isSafeInteger(next)) {
      db.put(key, String(next), KEEP_TTL);
      return ctx.out.integer(next);
    }
  }
  const current = getString(db, key);
  let n = 0n;
  if (current !== undefined) {
    const parsed = parseBigInt(current);
    if (parsed === undefined) throw new ReplyError(NOT_INTEGER);
    n = parsed;
  }
  const next = n + BigInt(by);
  if (next > INT64_MAX || next < INT64_MIN) {
    throw new ReplyError("ERR increment or decrement would overflow");
  }
  putString(db, key, ascii(String(next)), true);
  ctx.out.integer(next);
}

/** Integer text as Redis's string2ll accepts it: no sign but `-`, no leading zeros. */
const INTEGER_TEXT = /^(?:0|-?[1-9][0-9]*)$/;
const KEEP_TTL = { keepTtl: true };

/**
 * A counter's value when it is short text: 0 for a missing key, undefined when the text is
 * not an integer, NaN when the general path decides (long text, bytes, other types). Up to
 * 11 characters it is read from the key's record (see Database.shortValue), with no string.
 */
function counterValue(db: Database, key: string): number | undefined {
  const at = db.shortValue(key);
  if (at === -1) return 0;
  if (at >= 0) {
    const records = db.records;
    return parseInteger(records, at + 1, at + 1 + records[at]);
  }
  // shortValue counted the access already.
  const stored = db.peek(key);
  return typeof stored === "string" && stored.length <= 15 ? shortInteger(stored) : NaN;
}

/** A stored string of at most 15 characters as an integer, or undefined when it is not one. */
function shortInteger(text: string): number | undefined {
  return INTEGER_TEXT.test(text) ? Number(text) : undefined;
}

/** An increment argument: a number when exact as one, else a bigint. */
function incrementArg(bytes: Uint8Array): bigint | number {
  if (bytes.length <= 15) {
    const n = parseInteger(bytes);
    if (n === undefined) throw new ReplyError(NOT_INTEGER);
    return n;
  }
  return bigArg(bytes);
}

function bigArg(bytes: Uint8Array): bigint {
  const n = parseBigInt(bytes);
  if (n === undefined) throw new ReplyError(NOT_INTEGER);
  return n;
}

function incrByFloat(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  const current = getString(ctx.db, key);
  let n = 0;
  if (current !== undefined) {
    const parsed = parseFloat64(current);
    if (parsed === undefined) throw new ReplyError("ERR value is not a valid float");
    n = parsed;
  }
  const by = parseFloat64(args[2]);
  if (by === undefined) throw new ReplyError("ERR value is not a valid float");
  // In long double, as Redis: 0.1 + 0.2 is 0.3 there, 0.30000000000000004 in a double.
  const sum = Number.isFinite(n + by)
    ? addLongDouble(current === undefined ? "0" : latin1(current), latin1(args[2]))
    : undefined;
  if (sum === undefined) throw new ReplyError("ERR increment would produce NaN or Infinity");
  const text = ascii(sum);
  putString(ctx.db, key, text, true);
  ctx.out.bulk(text);
}

function getrange(ctx: CommandContext, args: Uint8Array[]): void {
  let start = intArg(args[2]);
  let end = intArg(args[3]);
  const value = getString(ctx.db, ctx.db.key(args[1])) ?? EMPTY;
  const len = value.length;
  // Redis 7.0's arithmetic: both ends clamp to 0 after counting from the end.
  if (start < 0 && end < 0 && start > end) return ctx.out.bulk(EMPTY);
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return ctx.out.bulk(EMPTY);
  ctx.out.bulk(value.subarray(start, end + 1));
}

function setrange(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  const offset = intArg(args[2]);
  if (offset < 0) throw new ReplyError("ERR offset is out of range");
  const patch = args[3];
  const current = getString(ctx.db, key);
  if (patch.length === 0) return ctx.out.integer(current?.length ?? 0);
  if (offset + patch.length > MAX_STRING) {
    throw new ReplyError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  }
  const base = current ?? EMPTY;
  const next = new Uint8Array(Math.max(base.length, offset + patch.length));
  next.set(base);
  next.set(patch, offset);
  RAW_STRINGS.add(next);
  putString(ctx.db, key, next, true);
  ctx.out.integer(next.length);
}

function append(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  const current = getString(ctx.db, key);
  const add = args[2];
  if (current === undefined) {
    ctx.db.putBytes(key, add);
    return ctx.out.integer(add.length);
  }
  if (current.length + add.length > MAX_STRING) {
    throw new ReplyError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  }
  const next = new Uint8Array(current.length + add.length);
  next.set(current);
  next.set(add, current.length);
  RAW_STRINGS.add(next);
  putString(ctx.db, key, next, true);
  ctx.out.integer(next.length);
}

function bitOffset(bytes: Uint8Array): number {
  const n = intArg(bytes, "ERR bit offset is not an integer or out of range");
  if (n < 0 || n >= MAX_STRING * 8) {
    throw new ReplyError("ERR bit offset is not an integer or out of range");
  }
  return n;
}

function setbit(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  const offset = bitOffset(args[2]);
  const bit = intArg(args[3], "ERR bit is not an integer or out of range");
  if (bit !== 0 && bit !== 1) throw new ReplyError("ERR bit is not an integer or out of range");
  const current = getString(ctx.db, key) ?? EMPTY;
  const byte = offset >> 3;
  let value = current;
  if (byte >= current.length) {
    value = new Uint8Array(byte + 1);
    value.set(current);
  }
  const mask = 0x80 >> (offset & 7);
  const old = (value[byte] & mask) !== 0 ? 1 : 0;
  if (bit) value[byte] |= mask;
  else value[byte] &= ~mask;
  RAW_STRINGS.add(value);
  putString(ctx.db, key, value, true);
  ctx.out.integer(old);
}

function getbit(ctx: CommandContext, args: Uint8Array[]): void {
  const offset = bitOffset(args[2]);
  const value = getString(ctx.db, ctx.db.key(args[1])) ?? EMPTY;
  const byte = offset >> 3;
  if (byte >= value.length) return ctx.out.integer(0);
  ctx.out.integer((value[byte] & (0x80 >> (offset & 7))) !== 0 ? 1 : 0);
}

const POPCOUNT = new Uint8Array(256).map((_, i) => {
  let n = 0;
  for (let v = i; v; v >>= 1) n += v & 1;
  return n;
});

/** Resolves BITCOUNT/BITPOS start and end (bytes or bits) to a bit interval [from, to]. */
function bitRange(
  len: number,
  start: number,
  end: number,
  bits: boolean,
): [number, number] | undefined {
  const total = bits ? len * 8 : len;
  if (start < 0) start = total + start;
  if (end < 0) end = total + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  if (start > end || total === 0) return undefined;
  return bits ? [start, end] : [start * 8, end * 8 + 7];
}

function unitArg(args: Uint8Array[], at: number): boolean {
  if (at >= args.length) return false;
  const unit = word(args[at]);
  if (unit === "bit") return true;
  if (unit === "byte") return false;
  throw new ReplyError(SYNTAX);
}

function bitAt(value: Uint8Array, i: number): number {
  return (value[i >> 3] >> (7 - (i & 7))) & 1;
}

function bitcount(ctx: CommandContext, args: Uint8Array[]): void {
  if (args.length === 3 || args.length > 5) throw new ReplyError(SYNTAX);
  let start = 0;
  let end = -1;
  let bits = false;
  if (args.length >= 4) {
    start = intArg(args[2]);
    end = intArg(args[3]);
    bits = unitArg(args, 4);
  }
  const value = getString(ctx.db, ctx.db.key(args[1])) ?? EMPTY;
  const range = bitRange(value.length, start, end, bits);
  if (!range) return ctx.out.integer(0);
  let [from, to] = range;
  let count = 0;
  while (from <= to && (from & 7) !== 0) count += bitAt(value, from++);
  while (to >= from && (to & 7) !== 7) count += bitAt(value, to--);
  for (let b = from >> 3; b <= to >> 3 && from <= to; b++) count += POPCOUNT[value[b]];
  ctx.out.integer(count);
}

function bitpos(ctx: CommandContext, args: Uint8Array[]): void {
  if (args.length > 6) throw new ReplyError(SYNTAX);
  const bit = intArg(args[2]);
  if (bit !== 0 && bit !== 1) throw new ReplyError("ERR The bit argument must be 1 or 0.");
  const start = args.length > 3 ? intArg(args[3]) : 0;
  const endGiven = args.length > 4;
  const end = endGiven ? intArg(args[4]) : -1;
  const bits = unitArg(args, 5);
  const value = getString(ctx.db, ctx.db.key(args[1]));
  if (value === undefined) return ctx.out.integer(bit ? -1 : 0);
  const range = bitRange(value.length, start, end, bits);
  if (!range) return ctx.out.integer(-1);
  for (let i = range[0]; i <= range[1]; i++) {
    if (bitAt(value, i) === bit) return ctx.out.integer(i);
  }
  // Looking for a clear bit without an end: the string is taken as padded with zeros.
  if (bit === 0 && !endGiven) return ctx.out.integer(range[1] + 1);
  ctx.out.integer(-1);
}

function bitop(ctx: CommandContext, args: Uint8Array[]): void {
  const op = word(args[1]);
  if (op !== "and" && op !== "or" && op !== "xor" && op !== "not") throw new ReplyError(SYNTAX);
  const dest = ctx.db.key(args[2]);
  const sources = args.slice(3).map((a) => getString(ctx.db, keyOf(a)) ?? EMPTY);
  if (op === "not" && sources.length !== 1) {
    throw new ReplyError("ERR BITOP NOT must be called with a single source key.");
  }
  const len = Math.max(...sources.map((s) => s.length));
  const out = new Uint8Array(len);
  if (op === "not") {
    for (let i = 0; i < len; i++) out[i] = ~sources[0][i];
  } else {
    for (let i = 0; i < len; i++) {
      let v = i < sources[0].length ? sources[0][i] : 0;
      for (let s = 1; s < sources.length; s++) {
        const b = i < sources[s].length ? sources[s][i] : 0;
        v = op === "and" ? v & b : op === "or" ? v | b : v ^ b;
      }
      out[i] = v;
    }
  }
  if (len === 0) ctx.db.delete(dest);
  else putString(ctx.db, dest, out);
  ctx.out.integer(len);
}

function mset(ctx: CommandContext, args: Uint8Array[], nx: boolean): void {
  if (args.length % 2 === 0) {
    throw new ReplyError(`ERR wrong number of arguments for '${nx ? "msetnx" : "mset"}' command`);
  }
  // The keys' cache misses overlap when all are fetched before any is used.
  ctx.db.prefetch(args.filter((_, i) => i % 2 === 1));
  if (nx) {
    for (let i = 1; i < args.length; i += 2) {
      if (ctx.db.has(ctx.db.key(args[i]))) return ctx.out.integer(0);
    }
  }
  for (let i = 1; i < args.length; i += 2) ctx.db.putBytes(ctx.db.key(args[i]), args[i + 1]);
  if (nx) ctx.out.integer(1);
  else ctx.out.ok();
}

/** The string commands, for the server's table. */
export const STRING_COMMANDS: Command[] = [
  {
    name: "get",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    run(ctx, args) {
      // The hot path: a short value is copied from the key's record into the reply.
      const db = ctx.db;
      const key = db.key(args[1]);
      const at = db.shortValue(key);
      if (at >= 0) {
        const records = db.records;
        return ctx.out.bulkRange(records, at + 1, at + 1 + records[at]);
      }
      if (at === -1) return ctx.out.null();
      // shortValue counted the access already.
      const v = db.peek(key);
      if (v === undefined) ctx.out.null();
      else if (typeof v === "string") ctx.out.bulkLatin1(v);
      else if (v instanceof Uint8Array) ctx.out.bulk(v);
      else wrongType();
    },
  },
  { name: "set", arity: -3, flags: ["write", "denyoom"], keys: [1, 1, 1], run: set },
  {
    name: "setnx",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    run(ctx, args) {
      const key = ctx.db.key(args[1]);
      if (ctx.db.has(key)) return ctx.out.integer(0);
      ctx.db.putBytes(key, args[2]);
      ctx.out.integer(1);
    },
  },
  {
    name: "setex",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    run: (ctx, args) => setex(ctx, args, "ex"),
  },
  {
    name: "psetex",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    run: (ctx, args) => setex(ctx, args, "px"),
  },
  {
    name: "mget",
    arity: -2,
    flags: ["readonly", "fast"],
    keys: [1, -1, 1],
    run(ctx, args) {
      // The keys' cache misses overlap when all are fetched before any is used.
      ctx.db.prefetch(args.slice(1));
      ctx.out.arrayHeader(args.length - 1);
      for (let i = 1; i < args.length; i++) {
        const v = ctx.db.lookup(ctx.db.key(args[i]));
        if (typeof v === "string") ctx.out.bulkLatin1(v);
        else if (v instanceof Uint8Array) ctx.out.bulk(v);
        else ctx.out.null();
      }
    },
  },
  {
    name: "mset",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: [1, -1, 2],
    run: (ctx, args) => mset(ctx, args, false),
  },
  {
    name: "msetnx",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: [1, -1, 2],
    run: (ctx, args) => mset(ctx, args, true),
  },
  {
    name: "getset",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    run(ctx, args) {
      const key = ctx.db.key(args[1]);
      const old = getString(ctx.db, key);
      ctx.db.putBytes(key, args[2]);
      writeOld(ctx, old);
    },
  },
  {
    name: "getdel",
    arity: 2,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    run(ctx, args) {
      const key = ctx.db.key(args[1]);
      const old = getString(ctx.db, key);
      if (old !== undefined) ctx.db.delete(key);
      writeOld(ctx, old);
    },
  },
  { name: "getex", arity: -2, flags: ["write", "fast"], keys: [1, 1, 1], run: getex },
  { name: "append", arity: 3, flags: ["write", "denyoom", "fast"], keys: [1, 1, 1], run: append },
  {
    name: "strlen",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    run(ctx, args) {
      ctx.out.integer(getString(ctx.db, ctx.db.key(args[1]))?.length ?? 0);
    },
  },
  { name: "getrange", arity: 4, flags: ["readonly"], keys: [1, 1, 1], run: getrange },
  { name: "setrange", arity: 4, flags: ["write", "denyoom"], keys: [1, 1, 1], run: setrange },
  {
    name: "incr",
    arity: 2,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => incrBy(ctx, ctx.db.key(args[1]), 1),
  },
  {
    name: "decr",
    arity: 2,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => incrBy(ctx, ctx.db.key(args[1]), -1),
  },
  {
    name: "incrby",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => incrBy(ctx, ctx.db.key(args[1]), incrementArg(args[2])),
  },
  {
    name: "decrby",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    run(ctx, args) {
      const by = incrementArg(args[2]);
      if (by === INT64_MIN) throw new ReplyError("ERR decrement would overflow");
      incrBy(ctx, ctx.db.key(args[1]), -by);
    },
  },
  {
    name: "incrbyfloat",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    run: incrByFloat,
  },
  { name: "setbit", arity: 4, flags: ["write", "denyoom"], keys: [1, 1, 1], run: setbit },
  { name: "getbit", arity: 3, flags: ["readonly", "fast"], keys: [1, 1, 1], run: getbit },
  { name: "bitcount", arity: -2, flags: ["readonly"], keys: [1, 1, 1], run: bitcount },
  { name: "bitpos", arity: -3, flags: ["readonly"], keys: [1, 1, 1], run: bitpos },
  { name: "bitop", arity: -4, flags: ["write", "denyoom"], keys: [2, -1, 1], run: bitop },
];
