/**
 * Hash commands, with Redis's replies and error texts.
 *
 * @module
 */

import { ascii, globMatch, latin1, parseBigInt, parseFloat64 } from "./bytes.ts";
import { addLongDouble } from "./long_double.ts";
import { type Command, type CommandContext, ReplyError } from "./command.ts";
import type { Database } from "./db.ts";
import { Hash, type HashValue } from "./types/hash.ts";
import { heldCopy } from "./types/held.ts";
import {
  cursorArg,
  floatArg,
  intArg,
  NOT_INTEGER,
  scanOptions,
  SYNTAX,
  typed,
  word,
  writeKey,
  writeStored,
} from "./_args.ts";

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

function getHash(db: Database, key: string): Hash | undefined {
  return typed(db, key, "hash");
}

function hashFor(db: Database, key: string): Hash {
  let h = getHash(db, key);
  if (h === undefined) {
    h = new Hash();
    db.set(key, { type: "hash", value: h });
  }
  return h;
}

function hset(ctx: CommandContext, args: Uint8Array[], legacy: boolean): void {
  if (args.length % 2 !== 0) {
    throw new ReplyError(
      `ERR wrong number of arguments for '${legacy ? "hmset" : "hset"}' command`,
    );
  }
  const key = ctx.db.key(args[1]);
  const h = hashFor(ctx.db, key);
  let added = 0;
  for (let i = 2; i < args.length; i += 2) if (h.setBytes(args[i], args[i + 1])) added++;
  ctx.db.touch(key);
  if (legacy) ctx.out.ok();
  else ctx.out.integer(added);
}

function writeValue(ctx: CommandContext, v: HashValue | undefined): void {
  writeStored(ctx.out, v);
}

/** The bytes of a held value. */
function valueBytes(v: HashValue): Uint8Array {
  return typeof v === "string" ? ascii(v) : v;
}

function hdel(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  const h = getHash(ctx.db, key);
  if (h === undefined) return ctx.out.integer(0);
  let n = 0;
  for (let i = 2; i < args.length; i++) if (h.delete(latin1(args[i]))) n++;
  if (h.size === 0) ctx.db.delete(key);
  else if (n > 0) ctx.db.touch(key);
  ctx.out.integer(n);
}

function hgetall(ctx: CommandContext, args: Uint8Array[], keys: boolean, values: boolean): void {
  const h = getHash(ctx.db, ctx.db.key(args[1]));
  const size = h?.size ?? 0;
  if (keys && values) ctx.out.mapHeader(size);
  else ctx.out.arrayHeader(size);
  if (!h) return;
  for (const [f, v] of h) {
    if (keys) writeKey(ctx.out, f);
    if (values) writeStored(ctx.out, v);
  }
}

function hincrby(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  const field = latin1(args[2]);
  const by = parseBigInt(args[3]);
  if (by === undefined) throw new ReplyError(NOT_INTEGER);
  const h = getHash(ctx.db, key);
  let n = 0n;
  const current = h?.get(field);
  if (current !== undefined) {
    const parsed = parseBigInt(valueBytes(current));
    if (parsed === undefined) throw new ReplyError("ERR hash value is not an integer");
    n = parsed;
  }
  const next = n + by;
  if (next > INT64_MAX || next < INT64_MIN) {
    throw new ReplyError("ERR increment or decrement would overflow");
  }
  hashFor(ctx.db, key).set(field, String(next));
  ctx.db.touch(key);
  ctx.out.integer(next);
}

function hincrbyfloat(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  const field = latin1(args[2]);
  const by = floatArg(args[3]);
  if (!Number.isFinite(by)) throw new ReplyError("ERR value is NaN or Infinity");
  const h = getHash(ctx.db, key);
  let n = 0;
  const current = h?.get(field);
  if (current !== undefined) {
    const parsed = parseFloat64(valueBytes(current));
    if (parsed === undefined) throw new ReplyError("ERR hash value is not a float");
    n = parsed;
  }
  // In long double, as Redis: 0.1 + 0.2 is 0.3 there, 0.30000000000000004 in a double.
  const sum = Number.isFinite(n + by)
    ? addLongDouble(
      current === undefined ? "0" : typeof current === "string" ? current : latin1(current),
      latin1(args[3]),
    )
    : undefined;
  if (sum === undefined) throw new ReplyError("ERR increment would produce NaN or Infinity");
  hashFor(ctx.db, key).set(field, heldCopy(ascii(sum)));
  ctx.db.touch(key);
  ctx.out.bulk(sum);
}

function hscan(ctx: CommandContext, args: Uint8Array[]): void {
  const cursor = cursorArg(args[2]);
  const { match, count } = scanOptions(args, 3, false);
  const h = getHash(ctx.db, ctx.db.key(args[1]));
  const step = h
    ? ctx.server.scans.step(() => [...h.keys()], cursor, count)
    : { members: [], cursor: 0 };
  const items: [string, HashValue][] = [];
  for (const f of step.members) {
    // A field deleted since the scan's snapshot was taken is not there to return.
    const v = h!.get(f);
    if (v !== undefined && (match === null || globMatch(match, f))) items.push([f, v]);
  }
  ctx.out.arrayHeader(2);
  ctx.out.bulk(String(step.cursor));
  ctx.out.arrayHeader(items.length * 2);
  for (const [f, v] of items) {
    writeKey(ctx.out, f);
    writeStored(ctx.out, v);
  }
}

function hrandfield(ctx: CommandContext, args: Uint8Array[]): void {
  if (args.length > 4) throw new ReplyError(SYNTAX);
  const h = getHash(ctx.db, ctx.db.key(args[1]));
  if (args.length === 2) {
    if (!h) return ctx.out.null();
    const entries = [...h.keys()];
    return writeKey(ctx.out, entries[Math.floor(Math.random() * entries.length)]);
  }
  const count = intArg(args[2]);
  let withValues = false;
  if (args.length === 4) {
    if (word(args[3]) !== "withvalues") throw new ReplyError(SYNTAX);
    withValues = true;
  }
  if (!h || count === 0) return ctx.out.arrayHeader(0);
  const entries = [...h];
  let picked: [string, HashValue][];
  if (count < 0) {
    picked = Array.from(
      { length: -count },
      () => entries[Math.floor(Math.random() * entries.length)],
    );
  } else {
    // A partial Fisher-Yates shuffle: distinct fields in random order.
    const n = Math.min(count, entries.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(Math.random() * (entries.length - i));
      [entries[i], entries[j]] = [entries[j], entries[i]];
    }
    picked = entries.slice(0, n);
  }
  const resp3 = ctx.out.protocol === 3;
  ctx.out.arrayHeader(withValues && !resp3 ? picked.length * 2 : picked.length);
  for (const [f, v] of picked) {
    if (withValues && resp3) ctx.out.arrayHeader(2);
    writeKey(ctx.out, f);
    if (withValues) writeStored(ctx.out, v);
  }
}

/** The hash commands, for the server's table. */
export const HASH_COMMANDS: Command[] = [
  {
    name: "hset",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    member: 2,
    run: (ctx, args) => hset(ctx, args, false),
  },
  {
    name: "hmset",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    member: 2,
    run: (ctx, args) => hset(ctx, args, true),
  },
  {
    name: "hsetnx",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    member: 2,
    run(ctx, args) {
      const key = ctx.db.key(args[1]);
      if (getHash(ctx.db, key)?.hasBytes(args[2])) return ctx.out.integer(0);
      hashFor(ctx.db, key).setBytes(args[2], args[3]);
      ctx.db.touch(key);
      ctx.out.integer(1);
    },
  },
  {
    name: "hget",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    member: 2,
    run(ctx, args) {
      writeValue(ctx, getHash(ctx.db, ctx.db.key(args[1]))?.getBytes(args[2]));
    },
  },
  {
    name: "hmget",
    arity: -3,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    member: 2,
    run(ctx, args) {
      const h = getHash(ctx.db, ctx.db.key(args[1]));
      ctx.out.arrayHeader(args.length - 2);
      for (let i = 2; i < args.length; i++) writeValue(ctx, h?.getBytes(args[i]));
    },
  },
  {
    name: "hgetall",
    arity: 2,
    flags: ["readonly"],
    keys: [1, 1, 1],
    run: (ctx, args) => hgetall(ctx, args, true, true),
  },
  {
    name: "hkeys",
    arity: 2,
    flags: ["readonly"],
    keys: [1, 1, 1],
    run: (ctx, args) => hgetall(ctx, args, true, false),
  },
  {
    name: "hvals",
    arity: 2,
    flags: ["readonly"],
    keys: [1, 1, 1],
    run: (ctx, args) => hgetall(ctx, args, false, true),
  },
  { name: "hdel", arity: -3, flags: ["write", "fast"], keys: [1, 1, 1], member: 2, run: hdel },
  {
    name: "hexists",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    member: 2,
    run(ctx, args) {
      ctx.out.integer(getHash(ctx.db, ctx.db.key(args[1]))?.hasBytes(args[2]) ? 1 : 0);
    },
  },
  {
    name: "hlen",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    run(ctx, args) {
      ctx.out.integer(getHash(ctx.db, ctx.db.key(args[1]))?.size ?? 0);
    },
  },
  {
    name: "hstrlen",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    member: 2,
    run(ctx, args) {
      ctx.out.integer(getHash(ctx.db, ctx.db.key(args[1]))?.getBytes(args[2])?.length ?? 0);
    },
  },
  {
    name: "hincrby",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    member: 2,
    run: hincrby,
  },
  {
    name: "hincrbyfloat",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    member: 2,
    run: hincrbyfloat,
  },
  { name: "hscan", arity: -3, flags: ["readonly"], keys: [1, 1, 1], run: hscan },
  { name: "hrandfield", arity: -2, flags: ["readonly"], keys: [1, 1, 1], run: hrandfield },
];
