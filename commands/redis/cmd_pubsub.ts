/**
 * Pub/sub commands: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH PUBSUB.
 *
 * @module
 */

import { bytesOf, globMatch, latin1, lowerWord } from "./bytes.ts";
import { type Command, type CommandContext, ReplyError } from "./command.ts";
import { header } from "./pubsub.ts";

/** Writes one (un)subscribe confirmation: kind, name (or null), subscriptions left. */
function confirm(ctx: CommandContext, kind: string, name: string | null): void {
  const { out, session } = ctx;
  header(out, session, 3);
  out.bulk(kind);
  if (name === null) out.null();
  else out.bulk(bytesOf(name));
  out.integer(session.subscriptionCount);
}

function subscribe(ctx: CommandContext, args: Uint8Array[], pattern: boolean): void {
  const { server, session } = ctx;
  for (const arg of args.slice(1)) {
    const name = latin1(arg);
    if (pattern) server.pubsub.psubscribe(session, name);
    else server.pubsub.subscribe(session, name);
    confirm(ctx, pattern ? "psubscribe" : "subscribe", name);
  }
}

function unsubscribe(ctx: CommandContext, args: Uint8Array[], pattern: boolean): void {
  const { server, session } = ctx;
  const kind = pattern ? "punsubscribe" : "unsubscribe";
  const names = args.length > 1
    ? args.slice(1).map(latin1)
    : [...(pattern ? session.patterns : session.channels)];
  if (names.length === 0) {
    confirm(ctx, kind, null);
    return;
  }
  for (const name of names) {
    if (pattern) server.pubsub.punsubscribe(session, name);
    else server.pubsub.unsubscribe(session, name);
    confirm(ctx, kind, name);
  }
}

function pubsub(ctx: CommandContext, args: Uint8Array[]): void {
  const { out, server } = ctx;
  const sub = lowerWord(args[1]);
  if (sub === "channels") {
    if (args.length > 3) {
      throw new ReplyError("ERR wrong number of arguments for 'pubsub|channels' command");
    }
    const pattern = args.length === 3 ? latin1(args[2]) : undefined;
    const names = [...server.pubsub.channels.keys()].filter((c) =>
      pattern === undefined || globMatch(pattern, c)
    );
    out.arrayHeader(names.length);
    for (const n of names) out.bulk(bytesOf(n));
  } else if (sub === "numsub") {
    out.arrayHeader((args.length - 2) * 2);
    for (const arg of args.slice(2)) {
      out.bulk(arg);
      out.integer(server.pubsub.channels.get(latin1(arg))?.size ?? 0);
    }
  } else if (sub === "numpat") {
    if (args.length !== 2) {
      throw new ReplyError("ERR wrong number of arguments for 'pubsub|numpat' command");
    }
    out.integer(server.pubsub.patterns.size);
  } else {
    throw new ReplyError(`ERR unknown subcommand '${latin1(args[1])}'. Try PUBSUB HELP.`);
  }
}

const FLAGS = ["pubsub", "noscript", "loading", "stale"];

/** Pub/sub commands. */
export const PUBSUB_COMMANDS: Command[] = [
  {
    name: "subscribe",
    arity: -2,
    flags: FLAGS,
    keys: [0, 0, 0],
    run: (ctx, args) => subscribe(ctx, args, false),
  },
  {
    name: "psubscribe",
    arity: -2,
    flags: FLAGS,
    keys: [0, 0, 0],
    run: (ctx, args) => subscribe(ctx, args, true),
  },
  {
    name: "unsubscribe",
    arity: -1,
    flags: FLAGS,
    keys: [0, 0, 0],
    run: (ctx, args) => unsubscribe(ctx, args, false),
  },
  {
    name: "punsubscribe",
    arity: -1,
    flags: FLAGS,
    keys: [0, 0, 0],
    run: (ctx, args) => unsubscribe(ctx, args, true),
  },
  {
    name: "publish",
    arity: 3,
    flags: ["pubsub", "loading", "stale", "fast"],
    keys: [0, 0, 0],
    run(ctx, args) {
      const n = ctx.server.pubsub.publish(latin1(args[1]), args[2]);
      ctx.server.stats.pubsubMessages += n;
      ctx.out.integer(n);
    },
  },
  {
    name: "pubsub",
    arity: -2,
    flags: ["pubsub", "loading", "stale"],
    keys: [0, 0, 0],
    run: pubsub,
  },
];
