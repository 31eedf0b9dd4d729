/**
 * Generic key commands: existence, deletion, renaming, expiry, SCAN, COPY/MOVE between
 * databases and OBJECT, with Redis's replies and error texts.
 *
 * @module
 */

import { bytesOf, globMatch, latin1, parseInteger } from "./bytes.ts";
import { type Command, type CommandContext, ReplyError } from "./command.ts";
import { type Database, RAW_STRINGS, type RedisValue, type StoredValue } from "./db.ts";
import { List } from "./types/list.ts";
import { cursorArg, intArg, scanOptions, SYNTAX, word, writeKey, writeKeys } from "./_args.ts";

function del(ctx: CommandContext, args: Uint8Array[]): void {
  let n = 0;
  for (let i = 1; i < args.length; i++) if (ctx.db.delete(ctx.db.key(args[i]))) n++;
  ctx.out.integer(n);
}

function exists(ctx: CommandContext, args: Uint8Array[]): void {
  let n = 0;
  for (let i = 1; i < args.length; i++) if (ctx.db.has(ctx.db.key(args[i]))) n++;
  ctx.out.integer(n);
}

/**
 * A deep copy of a value, for COPY: stored strings can change in place (SETBIT), so even they
 * are copied.
 *
 * @param v The value.
 * @returns An independent copy.
 */
export function cloneValue(v: RedisValue): RedisValue {
  switch (v.type) {
    case "string":
      return { type: "string", value: v.value.slice() };
    case "list":
      return { type: "list", value: v.value.clone() };
    case "hash":
      return { type: "hash", value: v.value.clone() };
    case "set":
      return { type: "set", value: v.value.clone() };
    case "zset":
      return { type: "zset", value: v.value.clone() };
  }
}

function rename(ctx: CommandContext, args: Uint8Array[], nx: boolean): void {
  const db = ctx.db;
  const src = ctx.db.key(args[1]);
  const dst = ctx.db.key(args[2]);
  const value = db.get(src);
  if (value === undefined) throw new ReplyError("ERR no such key");
  if (src === dst) return nx ? ctx.out.integer(0) : ctx.out.ok();
  if (nx && db.has(dst)) return ctx.out.integer(0);
  const at = db.expireAt(src);
  db.delete(src);
  db.set(dst, value);
  if (at !== undefined) db.setExpire(dst, at);
  if (nx) ctx.out.integer(1);
  else ctx.out.ok();
}

function dbArg(ctx: CommandContext, bytes: Uint8Array): Database {
  const n = parseInteger(bytes);
  if (n === undefined) throw new ReplyError("ERR value is not an integer or out of range");
  const db = ctx.server.dbs[n];
  if (n < 0 || db === undefined) throw new ReplyError("ERR DB index is out of range");
  return db;
}

function copy(ctx: CommandContext, args: Uint8Array[]): void {
  const src = ctx.db.key(args[1]);
  const dst = ctx.db.key(args[2]);
  let target = ctx.db;
  let replace = false;
  for (let i = 3; i < args.length; i++) {
    const opt = word(args[i]);
    if (opt === "replace") replace = true;
    else if (opt === "db" && i + 1 < args.length) target = dbArg(ctx, args[++i]);
    else throw new ReplyError(SYNTAX);
  }
  if (target === ctx.db && src === dst) {
    throw new ReplyError("ERR source and destination objects are the same");
  }
  const value = ctx.db.get(src);
  if (value === undefined) return ctx.out.integer(0);
  if (target.has(dst)) {
    if (!replace) return ctx.out.integer(0);
    target.delete(dst);
  }
  const at = ctx.db.expireAt(src);
  target.set(dst, cloneValue(value));
  if (at !== undefined) target.setExpire(dst, at);
  ctx.out.integer(1);
}

function move(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  const target = dbArg(ctx, args[2]);
  if (target === ctx.db) throw new ReplyError("ERR source and destination objects are the same");
  const value = ctx.db.get(key);
  if (value === undefined || target.has(key)) return ctx.out.integer(0);
  const at = ctx.db.expireAt(key);
  ctx.db.delete(key);
  target.set(key, value);
  if (at !== undefined) target.setExpire(key, at);
  ctx.out.integer(1);
}

function expire(ctx: CommandContext, args: Uint8Array[], unit: number, absolute: boolean): void {
  const name = latin1(args[0]).toLowerCase();
  const key = ctx.db.key(args[1]);
  const n = intArg(args[2]);
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  for (let i = 3; i < args.length; i++) {
    const opt = word(args[i]);
    if (opt === "nx") nx = true;
    else if (opt === "xx") xx = true;
    else if (opt === "gt") gt = true;
    else if (opt === "lt") lt = true;
    else throw new ReplyError(`ERR Unsupported option ${latin1(args[i])}`);
  }
  if (nx && (xx || gt || lt)) {
    throw new ReplyError("ERR NX and XX, GT or LT options at the same time are not compatible");
  }
  if (gt && lt) throw new ReplyError("ERR GT and LT options at the same time are not compatible");
  const ms = n * unit;
  const at = absolute ? ms : ms + ctx.now;
  if (!Number.isSafeInteger(ms) || !Number.isSafeInteger(at)) {
    throw new ReplyError(`ERR invalid expire time in '${name}' command`);
  }
  const db = ctx.db;
  if (!db.has(key)) return ctx.out.integer(0);
  const current = db.expireAt(key);
  if (
    (nx && current !== undefined) || (xx && current === undefined) ||
    (gt && (current === undefined || at <= current)) ||
    (lt && current !== undefined && at >= current)
  ) return ctx.out.integer(0);
  db.setExpire(key, at);
  ctx.out.integer(1);
}

function ttl(ctx: CommandContext, args: Uint8Array[], ms: boolean, absolute: boolean): void {
  const key = ctx.db.key(args[1]);
  if (!ctx.db.has(key)) return ctx.out.integer(-2);
  const at = ctx.db.expireAt(key);
  if (at === undefined) return ctx.out.integer(-1);
  const left = Math.max(0, absolute ? at : at - ctx.now);
  ctx.out.integer(ms ? left : Math.floor((left + 500) / 1000));
}

function scan(ctx: CommandContext, args: Uint8Array[]): void {
  const cursor = cursorArg(args[1]);
  const { match, count, type } = scanOptions(args, 2, true);
  const step = ctx.db.scan(cursor, count);
  const keys = step.keys.filter((k) => {
    if (match !== null && !globMatch(match, k)) return false;
    if (type !== null && ctx.db.get(k)?.type !== type) return false;
    return true;
  });
  ctx.out.arrayHeader(2);
  ctx.out.bulk(String(step.cursor));
  writeKeys(ctx.out, keys);
}

const LIST_MAX_BYTES = 8192;

/**
 * The name OBJECT ENCODING gives a value, from Redis's size thresholds.
 *
 * @param v The value, tagged or as the keyspace stores it.
 * @returns `int`, `embstr`, `raw`, `listpack`, `quicklist`, `hashtable`, `intset` or `skiplist`.
 */
export function encodingOf(v: RedisValue | StoredValue): string {
  if (typeof v === "object" && "type" in v && "value" in v) v = v.value;
  if (typeof v === "string" || v instanceof Uint8Array) {
    if (typeof v !== "string" && RAW_STRINGS.has(v)) return "raw";
    if (v.length <= 20 && parseInteger(typeof v === "string" ? bytesOf(v) : v) !== undefined) {
      return "int";
    }
    return v.length <= 44 ? "embstr" : "raw";
  }
  if (v instanceof List) {
    // A listpack holds each entry with a few bytes of framing.
    return v.bytes + 2 * v.length + 7 <= LIST_MAX_BYTES ? "listpack" : "quicklist";
  }
  return v.encoding();
}

const OBJECT_HELP = [
  "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "ENCODING <key>",
  "    Return the kind of internal representation used in order to store the value",
  "    associated with a <key>.",
  "FREQ <key>",
  "    Return the access frequency index of the <key>. The returned integer is",
  "    proportional to the logarithm of the recent access frequency of the key.",
  "IDLETIME <key>",
  "    Return the idle time of the <key>, that is the approximated number of",
  "    seconds elapsed since the last access to the key.",
  "REFCOUNT <key>",
  "    Return the number of references of the value associated with the specified",
  "    <key>.",
  "HELP",
  "    Print this help.",
];

function object(ctx: CommandContext, args: Uint8Array[]): void {
  const sub = word(args[1]);
  if (sub === "help" && args.length === 2) {
    ctx.out.arrayHeader(OBJECT_HELP.length);
    for (const line of OBJECT_HELP) ctx.out.simple(line);
    return;
  }
  if (!["encoding", "freq", "idletime", "refcount", "help"].includes(sub)) {
    throw new ReplyError(`ERR unknown subcommand '${latin1(args[1])}'. Try OBJECT HELP.`);
  }
  if (args.length !== 3) {
    throw new ReplyError(`ERR wrong number of arguments for 'object|${sub}' command`);
  }
  // OBJECT looks without touching: reading the idle time must not reset it.
  const key = ctx.db.key(args[2]);
  const v = ctx.db.peek(key);
  if (v === undefined) return ctx.out.null();
  if (sub === "encoding") return ctx.out.bulk(encodingOf(v));
  if (sub === "refcount") {
    // Small integers are Redis's shared objects, reported with a pinned count.
    const n = typeof v === "string" && v.length <= 4 ? parseInteger(bytesOf(v)) : undefined;
    return ctx.out.integer(n !== undefined && n >= 0 && n < 10000 ? 2147483647 : 1);
  }
  const lfu = ctx.server.config.get("maxmemory-policy")!.endsWith("-lfu");
  const adjust = "Please note that when switching between policies at runtime LRU and LFU data " +
    "will take some time to adjust.";
  if (sub === "idletime") {
    if (lfu) {
      throw new ReplyError(
        `ERR An LFU maxmemory policy is selected, idle time not tracked. ${adjust}`,
      );
    }
    return ctx.out.integer(Math.floor(ctx.db.idleTime(key)! / 1000));
  }
  if (!lfu) {
    throw new ReplyError(
      `ERR An LFU maxmemory policy is not selected, access frequency not tracked. ${adjust}`,
    );
  }
  ctx.out.integer(ctx.db.frequency(key)!);
}

/** The generic key commands, for the server's table. */
export const KEY_COMMANDS: Command[] = [
  { name: "del", arity: -2, flags: ["write"], keys: [1, -1, 1], run: del },
  { name: "unlink", arity: -2, flags: ["write", "fast"], keys: [1, -1, 1], run: del },
  { name: "exists", arity: -2, flags: ["readonly", "fast"], keys: [1, -1, 1], run: exists },
  { name: "touch", arity: -2, flags: ["readonly", "fast"], keys: [1, -1, 1], run: exists },
  {
    name: "type",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    run(ctx, args) {
      ctx.out.simple(ctx.db.get(ctx.db.key(args[1]))?.type ?? "none");
    },
  },
  {
    name: "rename",
    arity: 3,
    flags: ["write"],
    keys: [1, 2, 1],
    run: (ctx, args) => rename(ctx, args, false),
  },
  {
    name: "renamenx",
    arity: 3,
    flags: ["write", "fast"],
    keys: [1, 2, 1],
    run: (ctx, args) => rename(ctx, args, true),
  },
  {
    name: "keys",
    arity: 2,
    flags: ["readonly"],
    keys: [0, 0, 0],
    run(ctx, args) {
      const pattern = latin1(args[1]);
      const all = pattern === "*";
      const keys: string[] = [];
      for (const k of ctx.db.keys()) if (all || globMatch(pattern, k)) keys.push(k);
      writeKeys(ctx.out, keys);
    },
  },
  { name: "scan", arity: -2, flags: ["readonly"], keys: [0, 0, 0], run: scan },
  {
    name: "randomkey",
    arity: 1,
    flags: ["readonly"],
    keys: [0, 0, 0],
    run(ctx) {
      const key = ctx.db.randomKey();
      if (key === undefined) ctx.out.null();
      else writeKey(ctx.out, key);
    },
  },
  {
    name: "expire",
    arity: -3,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => expire(ctx, args, 1000, false),
  },
  {
    name: "pexpire",
    arity: -3,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => expire(ctx, args, 1, false),
  },
  {
    name: "expireat",
    arity: -3,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => expire(ctx, args, 1000, true),
  },
  {
    name: "pexpireat",
    arity: -3,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => expire(ctx, args, 1, true),
  },
  {
    name: "ttl",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => ttl(ctx, args, false, false),
  },
  {
    name: "pttl",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => ttl(ctx, args, true, false),
  },
  {
    name: "expiretime",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => ttl(ctx, args, false, true),
  },
  {
    name: "pexpiretime",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => ttl(ctx, args, true, true),
  },
  {
    name: "persist",
    arity: 2,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    run(ctx, args) {
      const key = ctx.db.key(args[1]);
      if (!ctx.db.has(key) || ctx.db.expireAt(key) === undefined) return ctx.out.integer(0);
      ctx.db.setExpire(key, null);
      ctx.out.integer(1);
    },
  },
  { name: "copy", arity: -3, flags: ["write", "denyoom"], keys: [1, 2, 1], run: copy },
  { name: "move", arity: 3, flags: ["write", "fast"], keys: [1, 1, 1], run: move },
  { name: "object", arity: -2, flags: ["readonly"], keys: [2, 2, 1], run: object },
];
