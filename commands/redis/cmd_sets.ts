/**
 * Set commands, with Redis's replies and error texts.
 *
 * @module
 */

import { globMatch, latin1 } from "./bytes.ts";
import { type Command, type CommandContext, ReplyError } from "./command.ts";
import type { Database } from "./db.ts";
import { RSet } from "./types/set.ts";
import {
  cursorArg,
  intArg,
  positiveArg,
  scanOptions,
  SYNTAX,
  typed,
  word,
  writeKey,
} from "./_args.ts";

function getSet(db: Database, key: string): RSet | undefined {
  return typed(db, key, "set");
}

/** Members in the order Redis lists them: an intset is kept sorted by value. */
function ordered(set: RSet): string[] {
  const members = [...set];
  if (set.encoding() === "intset") members.sort(byValue);
  return members;
}

function byValue(a: string, b: string): number {
  const d = BigInt(a) - BigInt(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

const INTEGER = /^(?:0|-?[1-9]\d{0,18})$/;

/** A computed set in Redis's order: one that fits an intset comes out sorted by value. */
function asBuilt(members: string[]): string[] {
  if (members.length <= 512 && members.every((m) => INTEGER.test(m))) members.sort(byValue);
  return members;
}

function writeSet(ctx: CommandContext, members: string[]): void {
  ctx.out.setHeader(members.length);
  for (const m of members) writeKey(ctx.out, m);
}

function sadd(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  let set = getSet(ctx.db, key);
  const created = set === undefined;
  set ??= new RSet();
  let added = 0;
  for (let i = 2; i < args.length; i++) if (set.addBytes(args[i])) added++;
  if (created) ctx.db.set(key, { type: "set", value: set });
  else if (added > 0) ctx.db.touch(key);
  ctx.out.integer(added);
}

function srem(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  const set = getSet(ctx.db, key);
  if (set === undefined) return ctx.out.integer(0);
  let removed = 0;
  for (let i = 2; i < args.length; i++) if (set.delete(latin1(args[i]))) removed++;
  if (set.size === 0) ctx.db.delete(key);
  else if (removed > 0) ctx.db.touch(key);
  ctx.out.integer(removed);
}

function spop(ctx: CommandContext, args: Uint8Array[]): void {
  if (args.length > 3) throw new ReplyError(SYNTAX);
  const key = ctx.db.key(args[1]);
  if (args.length === 2) {
    const set = getSet(ctx.db, key);
    if (set === undefined) return ctx.out.null();
    const m = set.random()!;
    set.delete(m);
    if (set.size === 0) ctx.db.delete(key);
    else ctx.db.touch(key);
    // The member was picked at random: the AOF logs which one, as Redis does.
    ctx.propagated = [["SREM", key, m]];
    return writeKey(ctx.out, m);
  }
  const count = positiveArg(args[2]);
  const set = getSet(ctx.db, key);
  if (set === undefined || count === 0) return ctx.out.setHeader(0);
  const n = Math.min(count, set.size);
  const popped: string[] = [];
  for (let i = 0; i < n; i++) {
    const m = set.random()!;
    set.delete(m);
    popped.push(m);
  }
  if (set.size === 0) ctx.db.delete(key);
  else ctx.db.touch(key);
  ctx.propagated = [["SREM", key, ...popped]];
  writeSet(ctx, popped);
}

function srandmember(ctx: CommandContext, args: Uint8Array[]): void {
  if (args.length > 3) throw new ReplyError(SYNTAX);
  const set = getSet(ctx.db, ctx.db.key(args[1]));
  if (args.length === 2) {
    if (set === undefined) return ctx.out.null();
    return writeKey(ctx.out, set.random()!);
  }
  const count = intArg(args[2]);
  if (set === undefined || count === 0) return ctx.out.arrayHeader(0);
  if (count < 0) {
    ctx.out.arrayHeader(-count);
    for (let i = 0; i < -count; i++) writeKey(ctx.out, set.random()!);
    return;
  }
  const members = [...set];
  const n = Math.min(count, members.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(Math.random() * (members.length - i));
    [members[i], members[j]] = [members[j], members[i]];
  }
  ctx.out.arrayHeader(n);
  for (let i = 0; i < n; i++) writeKey(ctx.out, members[i]);
}

function smove(ctx: CommandContext, args: Uint8Array[]): void {
  const src = ctx.db.key(args[1]);
  const dst = ctx.db.key(args[2]);
  const member = latin1(args[3]);
  const from = getSet(ctx.db, src);
  const to = getSet(ctx.db, dst);
  if (from === undefined || !from.has(member)) return ctx.out.integer(0);
  if (src === dst) return ctx.out.integer(1);
  from.delete(member);
  if (from.size === 0) ctx.db.delete(src);
  else ctx.db.touch(src);
  if (to === undefined) {
    const set = new RSet();
    set.add(member);
    ctx.db.set(dst, { type: "set", value: set });
  } else {
    to.add(member);
    ctx.db.touch(dst);
  }
  ctx.out.integer(1);
}

/** The sets named by `args[from..to)`, type-checked; missing keys are undefined. */
function setsOf(ctx: CommandContext, args: Uint8Array[], from: number, to = args.length) {
  const sets: (RSet | undefined)[] = [];
  for (let i = from; i < to; i++) sets.push(getSet(ctx.db, ctx.db.key(args[i])));
  return sets;
}

/**
 * The intersection, union or difference of sets; a missing set is empty.
 *
 * @param op Which operation.
 * @param sets The sets, in argument order.
 * @param limit Stop an intersection after this many members (0: no limit).
 * @returns The members.
 */
export function combineSets(
  op: "inter" | "union" | "diff",
  sets: (RSet | undefined)[],
  limit = 0,
): string[] {
  if (op === "union") {
    const seen = new Set<string>();
    for (const s of sets) if (s) { for (const m of s) seen.add(m); }
    return asBuilt([...seen]);
  }
  if (op === "diff") {
    const [first, ...rest] = sets;
    if (!first) return [];
    return asBuilt([...first].filter((m) => !rest.some((s) => s?.has(m))));
  }
  if (sets.some((s) => s === undefined)) return [];
  const sorted = (sets as RSet[]).slice().sort((a, b) => a.size - b.size);
  const out: string[] = [];
  for (const m of ordered(sorted[0])) {
    if (sorted.every((s, i) => i === 0 || s.has(m))) {
      out.push(m);
      if (limit > 0 && out.length >= limit) break;
    }
  }
  return out;
}

function combine(ctx: CommandContext, args: Uint8Array[], op: "inter" | "union" | "diff"): void {
  writeSet(ctx, combineSets(op, setsOf(ctx, args, 1)));
}

function store(ctx: CommandContext, args: Uint8Array[], op: "inter" | "union" | "diff"): void {
  const dst = ctx.db.key(args[1]);
  const members = combineSets(op, setsOf(ctx, args, 2));
  if (members.length === 0) {
    ctx.db.delete(dst);
  } else {
    const set = new RSet();
    for (const m of members) set.add(m);
    ctx.db.set(dst, { type: "set", value: set });
  }
  ctx.out.integer(members.length);
}

function sintercard(ctx: CommandContext, args: Uint8Array[]): void {
  const numkeys = intArg(args[1]);
  if (numkeys <= 0) throw new ReplyError("ERR numkeys should be greater than 0");
  if (numkeys > args.length - 2) {
    throw new ReplyError("ERR Number of keys can't be greater than number of args");
  }
  let limit = 0;
  for (let i = 2 + numkeys; i < args.length; i++) {
    if (word(args[i]) === "limit" && i + 1 < args.length) {
      limit = intArg(args[++i]);
      if (limit < 0) throw new ReplyError("ERR LIMIT can't be negative");
    } else throw new ReplyError(SYNTAX);
  }
  ctx.out.integer(combineSets("inter", setsOf(ctx, args, 2, 2 + numkeys), limit).length);
}

function sscan(ctx: CommandContext, args: Uint8Array[]): void {
  const cursor = cursorArg(args[2]);
  const { match, count } = scanOptions(args, 3, false);
  const set = getSet(ctx.db, ctx.db.key(args[1]));
  const step = set
    ? ctx.server.scans.step(() => ordered(set), cursor, count)
    : { members: [], cursor: 0 };
  // A member removed since the scan's snapshot was taken is not there to return.
  const members = step.members.filter((m) =>
    set!.has(m) && (match === null || globMatch(match, m))
  );
  ctx.out.arrayHeader(2);
  ctx.out.bulk(String(step.cursor));
  ctx.out.arrayHeader(members.length);
  for (const m of members) writeKey(ctx.out, m);
}

/** The set commands, for the server's table. */
export const SET_COMMANDS: Command[] = [
  {
    name: "sadd",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    member: 2,
    run: sadd,
  },
  { name: "srem", arity: -3, flags: ["write", "fast"], keys: [1, 1, 1], member: 2, run: srem },
  {
    name: "smembers",
    arity: 2,
    flags: ["readonly"],
    keys: [1, 1, 1],
    run(ctx, args) {
      const set = getSet(ctx.db, ctx.db.key(args[1]));
      writeSet(ctx, set ? ordered(set) : []);
    },
  },
  {
    name: "sismember",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    member: 2,
    run(ctx, args) {
      ctx.out.integer(getSet(ctx.db, ctx.db.key(args[1]))?.hasBytes(args[2]) ? 1 : 0);
    },
  },
  {
    name: "smismember",
    arity: -3,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    member: 2,
    run(ctx, args) {
      const set = getSet(ctx.db, ctx.db.key(args[1]));
      ctx.out.arrayHeader(args.length - 2);
      for (let i = 2; i < args.length; i++) ctx.out.integer(set?.hasBytes(args[i]) ? 1 : 0);
    },
  },
  {
    name: "scard",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    run(ctx, args) {
      ctx.out.integer(getSet(ctx.db, ctx.db.key(args[1]))?.size ?? 0);
    },
  },
  { name: "spop", arity: -2, flags: ["write", "fast"], keys: [1, 1, 1], run: spop },
  { name: "srandmember", arity: -2, flags: ["readonly"], keys: [1, 1, 1], run: srandmember },
  { name: "smove", arity: 4, flags: ["write", "fast"], keys: [1, 2, 1], run: smove },
  {
    name: "sinter",
    arity: -2,
    flags: ["readonly"],
    keys: [1, -1, 1],
    run: (ctx, args) => combine(ctx, args, "inter"),
  },
  { name: "sintercard", arity: -3, flags: ["readonly"], keys: [0, 0, 0], run: sintercard },
  {
    name: "sunion",
    arity: -2,
    flags: ["readonly"],
    keys: [1, -1, 1],
    run: (ctx, args) => combine(ctx, args, "union"),
  },
  {
    name: "sdiff",
    arity: -2,
    flags: ["readonly"],
    keys: [1, -1, 1],
    run: (ctx, args) => combine(ctx, args, "diff"),
  },
  {
    name: "sinterstore",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: [1, -1, 1],
    run: (ctx, args) => store(ctx, args, "inter"),
  },
  {
    name: "sunionstore",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: [1, -1, 1],
    run: (ctx, args) => store(ctx, args, "union"),
  },
  {
    name: "sdiffstore",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: [1, -1, 1],
    run: (ctx, args) => store(ctx, args, "diff"),
  },
  { name: "sscan", arity: -3, flags: ["readonly"], keys: [1, 1, 1], run: sscan },
];
