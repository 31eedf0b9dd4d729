/**
 * Blocking pops: BLPOP BRPOP BLMOVE BRPOPLPUSH BZPOPMIN BZPOPMAX. A command that finds nothing registers its
 * client with {@linkcode Blocking} and answers later, when a push serves it or its timeout
 * passes; inside MULTI it answers at once, as Redis does.
 *
 * @module
 */

import { RespWriter } from "../../lib/resp/mod.ts";
import { bytesOf, formatDouble, latin1, lowerWord, parseFloat64 } from "./bytes.ts";
import { type Command, type CommandContext, ReplyError } from "./command.ts";
import { type ListEnd, moveBetweenLists, popFromList } from "./cmd_lists.ts";
import { popMinMax } from "./cmd_zsets.ts";

/**
 * Parses a blocking command's timeout in seconds, as Redis's `getTimeoutFromObjectOrReply`.
 *
 * @example
 * ```ts
 * import { timeoutMs } from "./cmd_blocking.ts";
 * console.assert(timeoutMs(new TextEncoder().encode("0.5")) === 500);
 * ```
 *
 * @param arg The timeout argument.
 * @returns Milliseconds; 0 waits forever.
 * @throws {ReplyError} When it is not a number or is negative.
 */
export function timeoutMs(arg: Uint8Array): number {
  const seconds = parseFloat64(arg);
  if (seconds === undefined || !Number.isFinite(seconds) || seconds * 1000 > 2 ** 53) {
    throw new ReplyError("ERR timeout is not a float or out of range");
  }
  if (seconds < 0) throw new ReplyError("ERR timeout is negative");
  // A positive timeout below a millisecond still times out rather than waiting forever.
  return seconds > 0 ? Math.max(1, Math.round(seconds * 1000)) : 0;
}

/**
 * Tries `attempt` now; if it finds nothing, answers `none` inside MULTI, or blocks the client
 * until a write to one of `keys` lets `attempt` succeed or the timeout passes.
 */
function blockOn(
  ctx: CommandContext,
  keys: string[],
  ms: number,
  attempt: (ctx: CommandContext) => boolean,
  none: (out: RespWriter) => void,
  writes: string[] = keys,
): void {
  if (attempt(ctx)) return;
  const { session, server } = ctx;
  if (session.inExec) {
    none(ctx.out);
    return;
  }
  const index = session.dbIndex;
  // A late reply has its own buffer: the connection's output belongs to whatever it runs then.
  const later = (): CommandContext => {
    const out = new RespWriter(256);
    out.protocol = session.protocol;
    return { db: server.dbs[index], server, session, out, now: server.clock() };
  };
  session.blocked = server.blocking.block({
    session,
    db: index,
    keys,
    attempt() {
      const c = later();
      // Served outside the dispatcher: tell persistence, as it would.
      const persistence = server.persistence;
      if (persistence.snapshotting) persistence.beforeWrite(index, writes);
      let served: boolean;
      try {
        served = attempt(c);
      } catch (error) {
        // A key that turned into another type does not serve a blocked client, as in Redis.
        if (error instanceof ReplyError) return false;
        throw error;
      }
      if (served && c.propagated && persistence.logging) {
        persistence.propagate(index, c.propagated, false);
      }
      if (served) session.send(c.out.bytes());
      return served;
    },
    timeout() {
      const c = later();
      none(c.out);
      session.send(c.out.bytes());
    },
  }, ms);
}

function bpop(ctx: CommandContext, args: Uint8Array[], end: ListEnd): void {
  const ms = timeoutMs(args[args.length - 1]);
  const keys = args.slice(1, -1).map(latin1);
  blockOn(ctx, keys, ms, (c) => {
    for (const key of keys) {
      const v = popFromList(c.db, key, end);
      if (v === undefined) continue;
      c.propagated = [[end === "left" ? "LPOP" : "RPOP", key]];
      c.out.arrayHeader(2);
      c.out.bulk(bytesOf(key));
      c.out.bulk(v);
      return true;
    }
    return false;
  }, (out) => out.nullArray());
}

function bzpop(ctx: CommandContext, args: Uint8Array[], max: boolean): void {
  const ms = timeoutMs(args[args.length - 1]);
  const keys = args.slice(1, -1).map(latin1);
  blockOn(ctx, keys, ms, (c) => {
    for (const key of keys) {
      const popped = popMinMax(c.db, key, max);
      if (popped === undefined) continue;
      c.propagated = [[max ? "ZPOPMAX" : "ZPOPMIN", key]];
      c.out.arrayHeader(3);
      c.out.bulk(bytesOf(key));
      c.out.bulk(bytesOf(popped.member));
      if (c.out.protocol === 3) c.out.double(popped.score);
      else c.out.bulk(formatDouble(popped.score));
      return true;
    }
    return false;
  }, (out) => out.nullArray());
}

function endArg(arg: Uint8Array): ListEnd {
  const w = lowerWord(arg);
  if (w === "left" || w === "right") return w;
  throw new ReplyError("ERR syntax error");
}

function bmove(
  ctx: CommandContext,
  src: Uint8Array,
  dst: Uint8Array,
  from: ListEnd,
  to: ListEnd,
  timeout: Uint8Array,
): void {
  const ms = timeoutMs(timeout);
  const source = latin1(src);
  const destination = latin1(dst);
  blockOn(
    ctx,
    [source],
    ms,
    (c) => {
      const v = moveBetweenLists(c.db, source, destination, from, to);
      if (v === undefined) return false;
      c.propagated = [["LMOVE", source, destination, from.toUpperCase(), to.toUpperCase()]];
      c.out.bulk(v);
      return true;
    },
    (out) => out.null(),
    [source, destination],
  );
}

const FLAGS = ["write", "noscript", "blocking"];

/** Blocking list and sorted-set commands. */
export const BLOCKING_COMMANDS: Command[] = [
  {
    name: "blpop",
    arity: -3,
    flags: FLAGS,
    keys: [1, -2, 1],
    run: (ctx, args) => bpop(ctx, args, "left"),
  },
  {
    name: "brpop",
    arity: -3,
    flags: FLAGS,
    keys: [1, -2, 1],
    run: (ctx, args) => bpop(ctx, args, "right"),
  },
  {
    name: "blmove",
    arity: 6,
    flags: [...FLAGS, "denyoom"],
    keys: [1, 2, 1],
    run: (ctx, args) => bmove(ctx, args[1], args[2], endArg(args[3]), endArg(args[4]), args[5]),
  },
  {
    name: "brpoplpush",
    arity: 4,
    flags: [...FLAGS, "denyoom"],
    keys: [1, 2, 1],
    run: (ctx, args) => bmove(ctx, args[1], args[2], "right", "left", args[3]),
  },
  {
    name: "bzpopmin",
    arity: -3,
    flags: [...FLAGS, "fast"],
    keys: [1, -2, 1],
    run: (ctx, args) => bzpop(ctx, args, false),
  },
  {
    name: "bzpopmax",
    arity: -3,
    flags: [...FLAGS, "fast"],
    keys: [1, -2, 1],
    run: (ctx, args) => bzpop(ctx, args, true),
  },
];
