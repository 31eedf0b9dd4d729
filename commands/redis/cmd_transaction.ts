/**
 * Transactions: MULTI EXEC DISCARD WATCH UNWATCH.
 *
 * @module
 */

import { latin1 } from "./bytes.ts";
import { type Command, type CommandContext, ReplyError } from "./command.ts";
import { call } from "./dispatch.ts";

function watch(ctx: CommandContext, args: Uint8Array[]): void {
  const { server, session, db } = ctx;
  if (session.inMulti) throw new ReplyError("ERR WATCH inside MULTI is not allowed");
  for (const arg of args.slice(1)) {
    const key = latin1(arg);
    const index = session.dbIndex;
    if (session.watched.some((w) => w.db === index && w.key === key)) continue;
    // The expiry as it stands now: EXEC fails if the key has expired since, as in Redis.
    session.watched.push({ db: index, key, expireAt: db.has(key) ? db.expireAt(key) : undefined });
    const slot = `${index}|${key}`;
    let set = server.watchers.get(slot);
    if (!set) server.watchers.set(slot, set = new Set());
    set.add(session);
  }
  ctx.out.ok();
}

function exec(ctx: CommandContext): void {
  const { server, session, out } = ctx;
  const queue = session.queue;
  if (queue === undefined) throw new ReplyError("ERR EXEC without MULTI");
  session.queue = undefined;
  const broken = session.watchBroken ||
    session.watched.some((w) => w.expireAt !== undefined && w.expireAt <= ctx.now);
  const dirty = session.dirty;
  session.dirty = false;
  server.unwatch(session);
  if (dirty) {
    throw new ReplyError("EXECABORT Transaction discarded because of previous errors.");
  }
  if (broken) {
    out.nullArray();
    return;
  }
  out.arrayHeader(queue.length);
  session.inExec = true;
  try {
    for (const args of queue) {
      const name = latin1(args[0]).toLowerCase();
      call(ctx, server.commands.get(name)!, args);
    }
  } finally {
    session.inExec = false;
  }
}

/** Transaction commands. */
export const TRANSACTION_COMMANDS: Command[] = [
  {
    name: "multi",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    keys: [0, 0, 0],
    run(ctx) {
      if (ctx.session.inMulti) throw new ReplyError("ERR MULTI calls can not be nested");
      ctx.session.queue = [];
      ctx.session.dirty = false;
      ctx.out.ok();
    },
  },
  {
    name: "exec",
    arity: 1,
    flags: ["noscript", "loading", "stale", "skip_slowlog"],
    keys: [0, 0, 0],
    run: exec,
  },
  {
    name: "discard",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    keys: [0, 0, 0],
    run(ctx) {
      if (!ctx.session.inMulti) throw new ReplyError("ERR DISCARD without MULTI");
      ctx.session.queue = undefined;
      ctx.session.dirty = false;
      ctx.server.unwatch(ctx.session);
      ctx.out.ok();
    },
  },
  {
    name: "watch",
    arity: -2,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    keys: [1, -1, 1],
    run: watch,
  },
  {
    name: "unwatch",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    keys: [0, 0, 0],
    run(ctx) {
      ctx.server.unwatch(ctx.session);
      ctx.out.ok();
    },
  },
];
