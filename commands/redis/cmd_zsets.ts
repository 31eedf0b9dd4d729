/**
 * Sorted-set commands (the non-blocking ones) and the pop helper BZPOPMIN/BZPOPMAX use, with
 * Redis's replies and error texts.
 *
 * @module
 */

import { formatDouble, globMatch, latin1, lowerWord, parseFloat64 } from "./bytes.ts";
import { type Command, type CommandContext, ReplyError, WRONGTYPE } from "./command.ts";
import type { Database } from "./db.ts";
import type { LexRange, ScoreRange } from "./types/score_order.ts";
import { lexEmpty, lexGte, lexLte, scoreGteMin, scoreLteMax } from "./types/score_order.ts";
import { type ScoredMember, ZSet } from "./types/zset.ts";
import {
  clampRange,
  cursorArg,
  floatArg,
  intArg,
  keyOf,
  positiveArg,
  scanOptions,
  SYNTAX,
  typed,
  word,
  writeDouble,
  writeKey,
} from "./_args.ts";

const NOT_NUMBER = "ERR resulting score is not a number (NaN)";

/**
 * The sorted set at `key`, or undefined; throws WRONGTYPE for another type.
 *
 * @example
 * ```ts
 * import { getZSet } from "./cmd_zsets.ts";
 * import { Database } from "./db.ts";
 * import assert from "node:assert/strict";
 * assert.equal(getZSet(new Database(0, Date.now), "z"), undefined);
 * ```
 *
 * @param db The database.
 * @param key The key.
 * @returns The sorted set.
 */
export function getZSet(db: Database, key: string): ZSet | undefined {
  return typed(db, key, "zset");
}

export type { ScoredMember } from "./types/zset.ts";

/**
 * Pops the lowest (or highest) member of the sorted set at `key`, deleting the key when it
 * empties.
 *
 * @example
 * ```ts
 * import { popMinMax } from "./cmd_zsets.ts";
 * import { Database } from "./db.ts";
 * import { ZSet } from "./types/zset.ts";
 * import assert from "node:assert/strict";
 * const db = new Database(0, Date.now);
 * const z = new ZSet();
 * z.add("a", 1);
 * z.add("b", 2);
 * db.set("z", { type: "zset", value: z });
 * assert.deepEqual(popMinMax(db, "z", true), { member: "b", score: 2 });
 * assert.deepEqual(popMinMax(db, "z", false), { member: "a", score: 1 });
 * assert.equal(db.has("z"), false);
 * ```
 *
 * @param db The database.
 * @param key The key.
 * @param max Pop the highest instead of the lowest.
 * @returns The member, or undefined when there is no sorted set.
 */
export function popMinMax(db: Database, key: string, max: boolean): ScoredMember | undefined {
  const z = getZSet(db, key);
  if (z === undefined) return undefined;
  const popped = z.at(max ? z.size - 1 : 0)!;
  z.delete(popped.member);
  if (z.size === 0) db.delete(key);
  else db.touch(key);
  return popped;
}

function parseScoreBound(bytes: Uint8Array): [number, boolean] {
  let exclusive = false;
  let raw = bytes;
  if (bytes[0] === 40) {
    exclusive = true;
    raw = bytes.subarray(1);
  }
  const v = parseFloat64(raw);
  if (v === undefined) throw new ReplyError("ERR min or max is not a float");
  return [v, exclusive];
}

function scoreRange(min: Uint8Array, max: Uint8Array): ScoreRange {
  const [lo, minex] = parseScoreBound(min);
  const [hi, maxex] = parseScoreBound(max);
  return { min: lo, max: hi, minex, maxex };
}

function lexBound(bytes: Uint8Array): { v: string | null; ex: boolean; plus: boolean } {
  const s = latin1(bytes);
  if (s === "+") return { v: null, ex: false, plus: true };
  if (s === "-") return { v: null, ex: false, plus: false };
  if (s[0] === "(" || s[0] === "[") return { v: s.slice(1), ex: s[0] === "(", plus: false };
  throw new ReplyError("ERR min or max not valid string range item");
}

function lexRange(min: Uint8Array, max: Uint8Array): LexRange {
  const lo = lexBound(min);
  const hi = lexBound(max);
  return {
    // `+` as the minimum admits nothing, `-` as the maximum admits nothing.
    min: lo.v,
    minex: lo.ex,
    minPlus: lo.plus,
    max: hi.plus ? null : hi.v,
    maxex: hi.ex,
    maxMinus: hi.v === null && !hi.plus,
  };
}

function zadd(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  let ch = false;
  let incr = false;
  let i = 2;
  for (; i < args.length; i++) {
    // The options are words of 2 or 4 letters: a score, the usual first argument, ends them
    // without being lowered into a string.
    const arg = args[i];
    const first = arg[0] | 32; // lower case, for a letter
    if ((arg.length !== 2 && arg.length !== 4) || first < 97 || first > 122) break;
    const opt = lowerWord(arg);
    if (opt === "nx") nx = true;
    else if (opt === "xx") xx = true;
    else if (opt === "gt") gt = true;
    else if (opt === "lt") lt = true;
    else if (opt === "ch") ch = true;
    else if (opt === "incr") incr = true;
    else break;
  }
  const pairs = args.length - i;
  if (pairs === 0 || pairs % 2 !== 0) throw new ReplyError(SYNTAX);
  if (nx && xx) throw new ReplyError("ERR XX and NX options at the same time are not compatible");
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    throw new ReplyError("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  if (incr && pairs > 2) {
    throw new ReplyError("ERR INCR option supports a single increment-element pair");
  }
  const scores: number[] = [];
  for (let j = i; j < args.length; j += 2) scores.push(floatArg(args[j]));
  let z = getZSet(ctx.db, key);
  if (z === undefined) {
    if (xx) return incr ? ctx.out.null() : ctx.out.integer(0);
    z = new ZSet();
    ctx.db.set(key, { type: "zset", value: z });
  }
  let added = 0;
  let changed = 0;
  let result: number | undefined;
  for (let j = i, n = 0; j < args.length; j += 2, n++) {
    // A member already there is found from its bytes (no string is built for it), and the
    // lookups by its stored string that follow find its slot at once.
    const member = z.dict.nameOfBytes(args[j + 1]) ?? latin1(args[j + 1]);
    let score = scores[n];
    const old = z.score(member);
    if (old !== undefined) {
      if (nx) continue;
      if (incr) {
        score = old + score;
        if (Number.isNaN(score)) throw new ReplyError(NOT_NUMBER);
      }
      if ((gt && score <= old) || (lt && score >= old)) continue;
      result = score;
      if (score !== old) {
        z.move(member, old, score);
        changed++;
      }
    } else {
      if (xx) continue;
      z.insert(member, score);
      added++;
      result = score;
    }
  }
  if (z.size === 0) ctx.db.delete(key);
  else if (added + changed > 0) ctx.db.touch(key);
  if (incr) {
    if (result === undefined) ctx.out.null();
    else writeDouble(ctx.out, result);
  } else ctx.out.integer(ch ? added + changed : added);
}

function zincrby(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  const by = floatArg(args[2]);
  const member = latin1(args[3]);
  let z = getZSet(ctx.db, key);
  const old = z?.score(member) ?? 0;
  const score = old + by;
  if (Number.isNaN(score)) throw new ReplyError(NOT_NUMBER);
  if (z === undefined) {
    z = new ZSet();
    z.add(member, score);
    ctx.db.set(key, { type: "zset", value: z });
  } else {
    z.add(member, score);
    ctx.db.touch(key);
  }
  writeDouble(ctx.out, score);
}

/** Writes members (with scores when asked): flat in RESP2, pairs in RESP3. */
function writeMembers(ctx: CommandContext, nodes: ScoredMember[], withScores: boolean): void {
  const resp3 = ctx.out.protocol === 3;
  if (!withScores) {
    ctx.out.arrayHeader(nodes.length);
    for (const n of nodes) writeKey(ctx.out, n.member);
    return;
  }
  ctx.out.arrayHeader(resp3 ? nodes.length : nodes.length * 2);
  for (const n of nodes) {
    if (resp3) ctx.out.arrayHeader(2);
    writeKey(ctx.out, n.member);
    writeDouble(ctx.out, n.score);
  }
}

/** What a ZRANGE-family call asks for. */
interface RangeQuery {
  by: "rank" | "score" | "lex";
  rev: boolean;
  start: Uint8Array;
  stop: Uint8Array;
  offset: number;
  limit: number;
  withScores: boolean;
}

/** Runs a range query over a sorted set. */
function rangeNodes(z: ZSet | undefined, q: RangeQuery): ScoredMember[] {
  const out: ScoredMember[] = [];
  if (q.by === "rank") {
    const start = intArg(q.start);
    const stop = intArg(q.stop);
    if (!z) return out;
    const range = clampRange(start, stop, z.size);
    if (!range) return out;
    const [a, b] = range;
    z.order.walk(q.rev ? z.size - 1 - a : a, q.rev, (member, score) => {
      out.push({ member, score });
      return out.length <= b - a;
    });
    return out;
  }
  // BYSCORE and BYLEX take max first when reversed.
  const [lo, hi] = q.rev ? [q.stop, q.start] : [q.start, q.stop];
  let first: number;
  let inRange: (member: string, score: number) => boolean;
  if (q.by === "score") {
    const r = scoreRange(lo, hi);
    if (!z) return out;
    first = q.rev ? z.order.lastAtOrBelow(r) : z.order.firstAtOrAbove(r);
    inRange = q.rev ? (_, score) => scoreGteMin(score, r) : (_, score) => scoreLteMax(score, r);
  } else {
    const r = lexRange(lo, hi);
    if (!z) return out;
    first = firstInLex(z, r, q.rev);
    inRange = q.rev ? (member) => lexGte(member, r) : (member) => lexLte(member, r);
  }
  let skip = q.offset;
  z.order.walk(first, q.rev, (member, score) => {
    if (!inRange(member, score)) return false;
    if (skip > 0) {
      skip--;
      return true;
    }
    if (q.limit >= 0 && out.length >= q.limit) return false;
    out.push({ member, score });
    return true;
  });
  return out;
}

/**
 * The rank a lexical range starts at (its highest member's when `rev`), or -1. Members are
 * only in lexical order when their scores are equal; otherwise the answer depends on the
 * search, and a small set is walked member by member as Redis walks a listpack.
 */
function firstInLex(z: ZSet, r: LexRange, rev: boolean): number {
  if (lexEmpty(r) || z.size === 0) return -1;
  // Redis's quick rejection: the range lies outside [first member, last member].
  if (!lexGte(z.at(z.size - 1)!.member, r) || !lexLte(z.at(0)!.member, r)) return -1;
  if (z.big) return rev ? z.order.lastLexAtOrBelow(r) : z.order.firstLexAtOrAbove(r);
  let found = -1;
  let rank = rev ? z.size - 1 : 0;
  z.order.walk(rank, rev, (member) => {
    if (rev ? lexLte(member, r) : lexGte(member, r)) {
      found = rank;
      return false;
    }
    rank += rev ? -1 : 1;
    return true;
  });
  return found;
}

/** Parses ZRANGE's options from `from`; `forced` fixes the mode for the legacy commands. */
function rangeQuery(
  args: Uint8Array[],
  at: number,
  from: number,
  forced?: { by: RangeQuery["by"]; rev: boolean },
  allowScores = true,
): RangeQuery {
  const q: RangeQuery = {
    by: forced?.by ?? "rank",
    rev: forced?.rev ?? false,
    start: args[at],
    stop: args[at + 1],
    offset: 0,
    limit: -1,
    withScores: false,
  };
  let limitGiven = false;
  for (let i = from; i < args.length; i++) {
    const opt = word(args[i]);
    if (opt === "withscores" && allowScores) q.withScores = true;
    else if (opt === "limit" && i + 2 < args.length) {
      q.offset = intArg(args[++i]);
      q.limit = intArg(args[++i]);
      limitGiven = true;
    } else if (!forced && opt === "byscore") q.by = "score";
    else if (!forced && opt === "bylex") q.by = "lex";
    else if (!forced && opt === "rev") q.rev = true;
    else throw new ReplyError(SYNTAX);
  }
  if (limitGiven && q.by === "rank") {
    throw new ReplyError(
      "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
    );
  }
  if (q.withScores && q.by === "lex") {
    throw new ReplyError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  }
  if (q.offset < 0) q.limit = 0;
  return q;
}

function zrange(ctx: CommandContext, args: Uint8Array[], q: RangeQuery): void {
  const z = getZSet(ctx.db, ctx.db.key(args[1]));
  writeMembers(ctx, rangeNodes(z, q), q.withScores);
}

function zrangestore(ctx: CommandContext, args: Uint8Array[]): void {
  const dst = ctx.db.key(args[1]);
  const q = rangeQuery(args, 3, 5, undefined, false);
  const nodes = rangeNodes(getZSet(ctx.db, ctx.db.key(args[2])), q);
  storeResult(ctx, dst, nodes);
}

function storeResult(ctx: CommandContext, dst: string, nodes: ScoredMember[]): void {
  if (nodes.length === 0) {
    ctx.db.delete(dst);
  } else {
    const z = new ZSet();
    for (const n of nodes) z.add(n.member, n.score);
    ctx.db.set(dst, { type: "zset", value: z });
  }
  ctx.out.integer(nodes.length);
}

function zcount(ctx: CommandContext, args: Uint8Array[], lex: boolean): void {
  const z = getZSet(ctx.db, ctx.db.key(args[1]));
  const q: RangeQuery = {
    by: lex ? "lex" : "score",
    rev: false,
    start: args[2],
    stop: args[3],
    offset: 0,
    limit: -1,
    withScores: false,
  };
  ctx.out.integer(rangeNodes(z, q).length);
}

function zrank(ctx: CommandContext, args: Uint8Array[], rev: boolean): void {
  const z = getZSet(ctx.db, ctx.db.key(args[1]));
  const rank = z?.rank(latin1(args[2]));
  if (z === undefined || rank === undefined) return ctx.out.null();
  ctx.out.integer(rev ? z.size - 1 - rank : rank);
}

function zrem(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  const z = getZSet(ctx.db, key);
  if (z === undefined) return ctx.out.integer(0);
  let n = 0;
  for (let i = 2; i < args.length; i++) if (z.delete(latin1(args[i]))) n++;
  removed(ctx, key, z, n);
}

function removed(ctx: CommandContext, key: string, z: ZSet, n: number): void {
  if (z.size === 0) ctx.db.delete(key);
  else if (n > 0) ctx.db.touch(key);
  ctx.out.integer(n);
}

function zremrange(ctx: CommandContext, args: Uint8Array[], by: RangeQuery["by"]): void {
  const key = ctx.db.key(args[1]);
  const q: RangeQuery = {
    by,
    rev: false,
    start: args[2],
    stop: args[3],
    offset: 0,
    limit: -1,
    withScores: false,
  };
  const z = getZSet(ctx.db, key);
  const nodes = rangeNodes(z, q);
  if (z === undefined) return ctx.out.integer(0);
  const members = nodes.map((n) => n.member);
  for (const m of members) z.delete(m);
  removed(ctx, key, z, members.length);
}

function zpop(ctx: CommandContext, args: Uint8Array[], max: boolean): void {
  if (args.length > 3) throw new ReplyError(SYNTAX);
  const key = ctx.db.key(args[1]);
  const count = args.length === 3 ? positiveArg(args[2]) : 1;
  const popped: ScoredMember[] = [];
  const z = getZSet(ctx.db, key);
  if (z !== undefined) {
    while (popped.length < count && z.size > 0) popped.push(popMinMax(ctx.db, key, max)!);
  }
  // RESP3 pairs the results only when a count was given, as Redis does.
  if (args.length === 3) return writeMembers(ctx, popped, true);
  ctx.out.arrayHeader(popped.length * 2);
  for (const p of popped) {
    writeKey(ctx.out, p.member);
    writeDouble(ctx.out, p.score);
  }
}

/** What ZUNION and friends read of a source: a sorted set's scores, or a set's as a Map. */
interface ScoreSource extends Iterable<[string, number]> {
  get(member: string): number | undefined;
  has(member: string): boolean;
}

/** A source of ZUNION and friends: a sorted set, a set (scores 1) or nothing. */
function sourceOf(db: Database, key: string): ScoreSource | undefined {
  const v = db.get(key);
  if (v === undefined) return undefined;
  if (v.type === "zset") return v.value.dict;
  if (v.type === "set") {
    const m = new Map<string, number>();
    for (const member of v.value) m.set(member, 1);
    return m;
  }
  throw new ReplyError(WRONGTYPE);
}

type SetOp = "union" | "inter" | "diff";

function aggregate(kind: string, a: number, b: number): number {
  if (kind === "min") return Math.min(a, b);
  if (kind === "max") return Math.max(a, b);
  const sum = a + b;
  // inf + -inf is NaN; Redis makes it 0.
  return Number.isNaN(sum) ? 0 : sum;
}

/** Parses and computes ZUNION/ZINTER/ZDIFF[STORE]; `at` is the numkeys index. */
function combine(
  ctx: CommandContext,
  args: Uint8Array[],
  op: SetOp,
  at: number,
  store: boolean,
): { nodes: ScoredMember[]; withScores: boolean } {
  const name = latin1(args[0]).toLowerCase();
  const numkeys = intArg(args[at]);
  if (numkeys < 1) {
    throw new ReplyError(`ERR at least 1 input key is needed for '${name}' command`);
  }
  if (numkeys > args.length - at - 1) throw new ReplyError(SYNTAX);
  const keys = args.slice(at + 1, at + 1 + numkeys).map(keyOf);
  const weights = keys.map(() => 1);
  let agg = "sum";
  let withScores = false;
  for (let i = at + 1 + numkeys; i < args.length; i++) {
    const opt = word(args[i]);
    if (op !== "diff" && opt === "weights" && i + numkeys < args.length) {
      for (let w = 0; w < numkeys; w++) {
        weights[w] = floatArg(args[++i], "ERR weight value is not a float");
      }
    } else if (op !== "diff" && opt === "aggregate" && i + 1 < args.length) {
      agg = word(args[++i]);
      if (agg !== "sum" && agg !== "min" && agg !== "max") throw new ReplyError(SYNTAX);
    } else if (!store && opt === "withscores") withScores = true;
    else throw new ReplyError(SYNTAX);
  }
  const sources = keys.map((k) => sourceOf(ctx.db, k));
  const result = new Map<string, number>();
  const weighted = (score: number, w: number) => {
    const v = score * w;
    return Number.isNaN(v) ? 0 : v;
  };
  if (op === "union") {
    sources.forEach((src, s) => {
      if (!src) return;
      for (const [m, score] of src) {
        const v = weighted(score, weights[s]);
        const old = result.get(m);
        result.set(m, old === undefined ? v : aggregate(agg, old, v));
      }
    });
  } else if (op === "inter") {
    if (sources.every((s) => s !== undefined)) {
      const [first, ...rest] = sources as ScoreSource[];
      for (const [m, score] of first) {
        let v = weighted(score, weights[0]);
        let all = true;
        for (let s = 0; s < rest.length; s++) {
          const other = rest[s].get(m);
          if (other === undefined) {
            all = false;
            break;
          }
          v = aggregate(agg, v, weighted(other, weights[s + 1]));
        }
        if (all) result.set(m, v);
      }
    }
  } else if (sources[0]) {
    for (const [m, score] of sources[0]) {
      if (!sources.some((s, i) => i > 0 && s?.has(m))) result.set(m, score);
    }
  }
  const nodes = [...result].map(([member, score]) => ({ member, score }));
  nodes.sort((a, b) =>
    a.score - b.score || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0)
  );
  return { nodes, withScores };
}

function zrandmember(ctx: CommandContext, args: Uint8Array[]): void {
  if (args.length > 4) throw new ReplyError(SYNTAX);
  const z = getZSet(ctx.db, ctx.db.key(args[1]));
  if (args.length === 2) {
    if (!z) return ctx.out.null();
    return writeKey(ctx.out, z.at(Math.floor(Math.random() * z.size))!.member);
  }
  const count = intArg(args[2]);
  let withScores = false;
  if (args.length === 4) {
    if (word(args[3]) !== "withscores") throw new ReplyError(SYNTAX);
    withScores = true;
  }
  if (!z || count === 0) return ctx.out.arrayHeader(0);
  const all = [...z].map((n) => ({ member: n.member, score: n.score }));
  let picked: ScoredMember[];
  if (count < 0) {
    picked = Array.from({ length: -count }, () => all[Math.floor(Math.random() * all.length)]);
  } else {
    const n = Math.min(count, all.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(Math.random() * (all.length - i));
      [all[i], all[j]] = [all[j], all[i]];
    }
    picked = all.slice(0, n);
  }
  writeMembers(ctx, picked, withScores);
}

function zscan(ctx: CommandContext, args: Uint8Array[]): void {
  const cursor = cursorArg(args[2]);
  const { match, count } = scanOptions(args, 3, false);
  const z = getZSet(ctx.db, ctx.db.key(args[1]));
  const step = z
    ? ctx.server.scans.step(() => [...z].map((n) => n.member), cursor, count)
    : { members: [], cursor: 0 };
  const items: [string, number][] = [];
  for (const m of step.members) {
    // A member removed since the scan's snapshot was taken is not there to return.
    const score = z!.score(m);
    if (score !== undefined && (match === null || globMatch(match, m))) items.push([m, score]);
  }
  ctx.out.arrayHeader(2);
  ctx.out.bulk(String(step.cursor));
  ctx.out.arrayHeader(items.length * 2);
  for (const [m, score] of items) {
    writeKey(ctx.out, m);
    ctx.out.bulk(formatDouble(score));
  }
}

/** The non-blocking sorted-set commands, for the server's table. */
export const ZSET_COMMANDS: Command[] = [
  {
    name: "zadd",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    member: 3,
    run: zadd,
  },
  {
    name: "zincrby",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    member: 3,
    run: zincrby,
  },
  {
    name: "zscore",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    member: 2,
    run(ctx, args) {
      const score = getZSet(ctx.db, ctx.db.key(args[1]))?.score(latin1(args[2]));
      if (score === undefined) ctx.out.null();
      else writeDouble(ctx.out, score);
    },
  },
  {
    name: "zmscore",
    arity: -3,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    member: 2,
    run(ctx, args) {
      const z = getZSet(ctx.db, ctx.db.key(args[1]));
      ctx.out.arrayHeader(args.length - 2);
      for (let i = 2; i < args.length; i++) {
        const score = z?.score(latin1(args[i]));
        if (score === undefined) ctx.out.null();
        else writeDouble(ctx.out, score);
      }
    },
  },
  {
    name: "zcard",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    run(ctx, args) {
      ctx.out.integer(getZSet(ctx.db, ctx.db.key(args[1]))?.size ?? 0);
    },
  },
  {
    name: "zcount",
    arity: 4,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => zcount(ctx, args, false),
  },
  {
    name: "zlexcount",
    arity: 4,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => zcount(ctx, args, true),
  },
  {
    name: "zrange",
    arity: -4,
    flags: ["readonly"],
    keys: [1, 1, 1],
    run: (ctx, args) => zrange(ctx, args, rangeQuery(args, 2, 4)),
  },
  {
    name: "zrangestore",
    arity: -5,
    flags: ["write", "denyoom"],
    keys: [1, 2, 1],
    run: zrangestore,
  },
  {
    name: "zrevrange",
    arity: -4,
    flags: ["readonly"],
    keys: [1, 1, 1],
    run(ctx, args) {
      if (args.length > 5) throw new ReplyError(SYNTAX);
      zrange(ctx, args, rangeQuery(args, 2, 4, { by: "rank", rev: true }));
    },
  },
  {
    name: "zrangebyscore",
    arity: -4,
    flags: ["readonly"],
    keys: [1, 1, 1],
    run: (ctx, args) => zrange(ctx, args, rangeQuery(args, 2, 4, { by: "score", rev: false })),
  },
  {
    name: "zrevrangebyscore",
    arity: -4,
    flags: ["readonly"],
    keys: [1, 1, 1],
    run: (ctx, args) => zrange(ctx, args, rangeQuery(args, 2, 4, { by: "score", rev: true })),
  },
  {
    name: "zrangebylex",
    arity: -4,
    flags: ["readonly"],
    keys: [1, 1, 1],
    run: (ctx, args) => zrange(ctx, args, rangeQuery(args, 2, 4, { by: "lex", rev: false }, false)),
  },
  {
    name: "zrevrangebylex",
    arity: -4,
    flags: ["readonly"],
    keys: [1, 1, 1],
    run: (ctx, args) => zrange(ctx, args, rangeQuery(args, 2, 4, { by: "lex", rev: true }, false)),
  },
  {
    name: "zrank",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    member: 2,
    run: (ctx, args) => zrank(ctx, args, false),
  },
  {
    name: "zrevrank",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    member: 2,
    run: (ctx, args) => zrank(ctx, args, true),
  },
  { name: "zrem", arity: -3, flags: ["write", "fast"], keys: [1, 1, 1], member: 2, run: zrem },
  {
    name: "zremrangebyrank",
    arity: 4,
    flags: ["write"],
    keys: [1, 1, 1],
    run: (ctx, args) => zremrange(ctx, args, "rank"),
  },
  {
    name: "zremrangebyscore",
    arity: 4,
    flags: ["write"],
    keys: [1, 1, 1],
    run: (ctx, args) => zremrange(ctx, args, "score"),
  },
  {
    name: "zremrangebylex",
    arity: 4,
    flags: ["write"],
    keys: [1, 1, 1],
    run: (ctx, args) => zremrange(ctx, args, "lex"),
  },
  {
    name: "zpopmin",
    arity: -2,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => zpop(ctx, args, false),
  },
  {
    name: "zpopmax",
    arity: -2,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => zpop(ctx, args, true),
  },
  {
    name: "zunionstore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    run: (ctx, args) =>
      storeResult(ctx, ctx.db.key(args[1]), combine(ctx, args, "union", 2, true).nodes),
  },
  {
    name: "zinterstore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    run: (ctx, args) =>
      storeResult(ctx, ctx.db.key(args[1]), combine(ctx, args, "inter", 2, true).nodes),
  },
  {
    name: "zdiffstore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    run: (ctx, args) =>
      storeResult(ctx, ctx.db.key(args[1]), combine(ctx, args, "diff", 2, true).nodes),
  },
  {
    name: "zunion",
    arity: -3,
    flags: ["readonly"],
    keys: [0, 0, 0],
    run(ctx, args) {
      const r = combine(ctx, args, "union", 1, false);
      writeMembers(ctx, r.nodes, r.withScores);
    },
  },
  {
    name: "zinter",
    arity: -3,
    flags: ["readonly"],
    keys: [0, 0, 0],
    run(ctx, args) {
      const r = combine(ctx, args, "inter", 1, false);
      writeMembers(ctx, r.nodes, r.withScores);
    },
  },
  {
    name: "zdiff",
    arity: -3,
    flags: ["readonly"],
    keys: [0, 0, 0],
    run(ctx, args) {
      const r = combine(ctx, args, "diff", 1, false);
      writeMembers(ctx, r.nodes, r.withScores);
    },
  },
  { name: "zrandmember", arity: -2, flags: ["readonly"], keys: [1, 1, 1], run: zrandmember },
  { name: "zscan", arity: -3, flags: ["readonly"], keys: [1, 1, 1], run: zscan },
];
