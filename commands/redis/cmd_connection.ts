/**
 * Connection commands: PING ECHO QUIT RESET HELLO AUTH SELECT SWAPDB CLIENT.
 *
 * @module
 */

import { clientName, parseHello, writeHelloReply } from "../../lib/resp/mod.ts";
import { latin1, lowerWord, parseInteger } from "./bytes.ts";
import { type Command, type CommandContext, ReplyError } from "./command.ts";
import { REDIS_VERSION } from "./server_state.ts";
import type { Session } from "./session.ts";

const NOT_INTEGER = "ERR value is not an integer or out of range";

function ping(ctx: CommandContext, args: Uint8Array[]): void {
  const { out, session } = ctx;
  if (args.length > 2) throw new ReplyError("ERR wrong number of arguments for 'ping' command");
  // RESP2 subscribed mode answers in the shape of a message, as Redis does.
  if (session.protocol === 2 && session.subscriptionCount > 0) {
    out.arrayHeader(2);
    out.bulk("pong");
    out.bulk(args.length === 2 ? args[1] : new Uint8Array());
  } else if (args.length === 2) out.bulk(args[1]);
  else out.simple("PONG");
}

function checkPassword(ctx: CommandContext, user: string, password: string): void {
  const required = ctx.server.config.get("requirepass") ?? "";
  if (user === "default" && (required === "" || password === required)) {
    ctx.session.authenticated = true;
    return;
  }
  throw new ReplyError("WRONGPASS invalid username-password pair or user is disabled.");
}

function auth(ctx: CommandContext, args: Uint8Array[]): void {
  if (args.length > 3) throw new ReplyError("ERR syntax error");
  const required = ctx.server.config.get("requirepass") ?? "";
  if (args.length === 2 && required === "") {
    throw new ReplyError(
      "ERR AUTH <password> called without any password configured for the default user. " +
        "Are you sure your configuration is correct?",
    );
  }
  const user = args.length === 3 ? latin1(args[1]) : "default";
  checkPassword(ctx, user, latin1(args[args.length - 1]));
  ctx.out.ok();
}

function hello(ctx: CommandContext, args: Uint8Array[]): void {
  const { session, out } = ctx;
  // Redis's order: every option parsed first, then AUTH, then the name and the protocol.
  const request = parseHello(args);
  if ("error" in request) throw new ReplyError(request.error);
  if (request.auth) checkPassword(ctx, ...request.auth);
  if (!session.authenticated) {
    throw new ReplyError(
      "NOAUTH HELLO must be called with the client already authenticated, otherwise the " +
        "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and " +
        "select the RESP protocol version at the same time",
    );
  }
  if (request.name !== undefined) session.name = request.name === "" ? null : request.name;
  const protocol = request.protocol ?? session.protocol;
  session.protocol = protocol;
  out.protocol = protocol;
  writeHelloReply(out, { version: REDIS_VERSION, protocol, id: session.id });
}

function dbIndex(
  ctx: CommandContext,
  arg: Uint8Array,
  error = "ERR DB index is out of range",
): number {
  const n = parseInteger(arg);
  if (n === undefined) throw new ReplyError(NOT_INTEGER);
  if (n < 0 || n >= ctx.server.dbs.length) throw new ReplyError(error);
  return n;
}

function select(ctx: CommandContext, args: Uint8Array[]): void {
  ctx.session.dbIndex = dbIndex(ctx, args[1]);
  ctx.db = ctx.server.dbs[ctx.session.dbIndex];
  ctx.out.ok();
}

function swapdb(ctx: CommandContext, args: Uint8Array[]): void {
  const n = parseInteger(args[1]);
  if (n === undefined) throw new ReplyError("ERR invalid first DB index");
  const m = parseInteger(args[2]);
  if (m === undefined) throw new ReplyError("ERR invalid second DB index");
  const count = ctx.server.dbs.length;
  if (n < 0 || m < 0 || n >= count || m >= count) {
    throw new ReplyError("ERR DB index is out of range");
  }
  if (n !== m) {
    ctx.server.dbs[n].swap(ctx.server.dbs[m]);
    ctx.server.touchedAll(n);
    ctx.server.touchedAll(m);
  }
  ctx.out.ok();
}

function validName(arg: Uint8Array): string {
  const name = clientName(arg);
  if (typeof name !== "string") throw new ReplyError(name.error);
  return name;
}

/**
 * One CLIENT LIST line for a session, with Redis's fields in Redis's order.
 *
 * @param s The session.
 * @param now Ms since the epoch.
 * @returns The line without its newline.
 */
export function clientLine(s: Session, now: number): string {
  const flags = (s.inMulti ? "x" : "") + (s.subscriptionCount > 0 ? "P" : "") +
    (s.blocked ? "b" : "") + (s.monitor ? "O" : "");
  return [
    `id=${s.id}`,
    `addr=${s.addr}`,
    `laddr=${s.laddr}`,
    `fd=${s.id + 7}`,
    `name=${s.name ?? ""}`,
    `age=${Math.floor((now - s.createdAt) / 1000)}`,
    `idle=${Math.floor((now - s.lastInteraction) / 1000)}`,
    `flags=${flags || "N"}`,
    `db=${s.dbIndex}`,
    `sub=${s.channels.size}`,
    `psub=${s.patterns.size}`,
    `ssub=0`,
    `multi=${s.queue ? s.queue.length : -1}`,
    `qbuf=0`,
    `qbuf-free=0`,
    `argv-mem=0`,
    `multi-mem=0`,
    `rbs=0`,
    `rbp=0`,
    `obl=0`,
    `oll=0`,
    `omem=0`,
    `tot-mem=0`,
    `events=r`,
    `cmd=${s.lastCommand}`,
    `user=default`,
    `redir=-1`,
    `resp=${s.protocol}`,
    `lib-name=${s.libName}`,
    `lib-ver=${s.libVer}`,
  ].join(" ");
}

function client(ctx: CommandContext, args: Uint8Array[]): void {
  const { session, out, server } = ctx;
  const sub = lowerWord(args[1]);
  const arity = (n: number, exact = true) => {
    if (exact ? args.length !== n : args.length < n) {
      throw new ReplyError(`ERR wrong number of arguments for 'client|${sub}' command`);
    }
  };
  switch (sub) {
    case "id":
      arity(2);
      out.integer(session.id);
      return;
    case "setname":
      arity(3);
      session.name = args[2].length === 0 ? null : validName(args[2]);
      out.ok();
      return;
    case "getname":
      arity(2);
      if (session.name === null) out.null();
      else out.bulk(session.name);
      return;
    case "info":
      arity(2);
      out.verbatim(clientLine(session, ctx.now) + "\n");
      return;
    case "list": {
      let sessions = [...server.clients.values()];
      for (let i = 2; i < args.length; i++) {
        const opt = lowerWord(args[i]);
        if (opt === "type" && i + 1 < args.length) {
          const type = lowerWord(args[++i]);
          if (type === "pubsub") sessions = sessions.filter((s) => s.subscriptionCount > 0);
          else if (type === "normal") sessions = sessions.filter((s) => s.subscriptionCount === 0);
          else if (type !== "master" && type !== "replica") {
            throw new ReplyError(`ERR Unknown client type '${latin1(args[i])}'`);
          } else sessions = [];
        } else if (opt === "id" && i + 1 < args.length) {
          const ids = new Set<number>();
          for (i++; i < args.length; i++) {
            const id = parseInteger(args[i]);
            if (id === undefined || id <= 0) throw new ReplyError("ERR Invalid client ID");
            ids.add(id);
          }
          sessions = sessions.filter((s) => ids.has(s.id));
        } else throw new ReplyError("ERR syntax error");
      }
      out.verbatim(sessions.map((s) => clientLine(s, ctx.now) + "\n").join(""));
      return;
    }
    case "kill":
      arity(3, false);
      clientKill(ctx, args);
      return;
    case "setinfo": {
      arity(4);
      const attr = lowerWord(args[2]);
      const value = validName(args[3]);
      if (attr === "lib-name") session.libName = value;
      else if (attr === "lib-ver") session.libVer = value;
      else throw new ReplyError(`ERR Unrecognized option '${latin1(args[2])}'`);
      out.ok();
      return;
    }
    default:
      throw new ReplyError(
        `ERR unknown subcommand '${latin1(args[1])}'. Try CLIENT HELP.`,
      );
  }
}

function clientKill(ctx: CommandContext, args: Uint8Array[]): void {
  const { server, out } = ctx;
  const all = [...server.clients.values()];
  if (args.length === 3) {
    // The old form: CLIENT KILL addr, OK or an error.
    const addr = latin1(args[2]);
    const target = all.find((s) => s.addr === addr);
    if (!target) throw new ReplyError("ERR No such client");
    kill(ctx, target);
    out.ok();
    return;
  }
  let targets = all;
  let skipme = true;
  for (let i = 2; i < args.length; i += 2) {
    if (i + 1 >= args.length) throw new ReplyError("ERR syntax error");
    const opt = lowerWord(args[i]);
    const value = args[i + 1];
    if (opt === "id") {
      const id = parseInteger(value);
      if (id === undefined || id <= 0) {
        throw new ReplyError("ERR client-id should be greater than 0");
      }
      targets = targets.filter((s) => s.id === id);
    } else if (opt === "addr") targets = targets.filter((s) => s.addr === latin1(value));
    else if (opt === "laddr") targets = targets.filter((s) => s.laddr === latin1(value));
    else if (opt === "skipme") {
      const v = lowerWord(value);
      if (v !== "yes" && v !== "no") throw new ReplyError("ERR syntax error");
      skipme = v === "yes";
    } else if (opt === "type") {
      const type = lowerWord(value);
      if (type === "pubsub") targets = targets.filter((s) => s.subscriptionCount > 0);
      else if (type === "normal") targets = targets.filter((s) => s.subscriptionCount === 0);
      else throw new ReplyError(`ERR Unknown client type '${latin1(value)}'`);
    } else if (opt === "user") {
      if (latin1(value) !== "default") targets = [];
    } else throw new ReplyError("ERR syntax error");
  }
  if (skipme) targets = targets.filter((s) => s !== ctx.session);
  for (const s of targets) kill(ctx, s);
  out.integer(targets.length);
}

function kill(ctx: CommandContext, target: Session): void {
  // The killer's own connection closes after this reply is written.
  if (target === ctx.session) target.closing = true;
  else target.kill();
}

function reset(ctx: CommandContext): void {
  const { session, server, out } = ctx;
  session.queue = undefined;
  session.dirty = false;
  server.unwatch(session);
  server.pubsub.drop(session);
  server.monitors.delete(session);
  session.monitor = false;
  session.dbIndex = 0;
  session.protocol = 2;
  out.protocol = 2;
  session.name = null;
  session.authenticated = (server.config.get("requirepass") ?? "") === "";
  out.simple("RESET");
}

/** Connection commands. */
export const CONNECTION_COMMANDS: Command[] = [
  { name: "ping", arity: -1, flags: ["fast"], keys: [0, 0, 0], run: ping },
  {
    name: "echo",
    arity: 2,
    flags: ["fast"],
    keys: [0, 0, 0],
    run: (ctx, args) => ctx.out.bulk(args[1]),
  },
  {
    name: "quit",
    arity: -1,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
    keys: [0, 0, 0],
    run(ctx) {
      ctx.session.closing = true;
      ctx.out.ok();
    },
  },
  {
    name: "reset",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
    keys: [0, 0, 0],
    run: reset,
  },
  {
    name: "hello",
    arity: -1,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
    keys: [0, 0, 0],
    run: hello,
  },
  {
    name: "auth",
    arity: -2,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
    keys: [0, 0, 0],
    run: auth,
  },
  {
    name: "select",
    arity: 2,
    flags: ["loading", "stale", "fast"],
    keys: [0, 0, 0],
    run: select,
  },
  { name: "swapdb", arity: 3, flags: ["write", "fast"], keys: [0, 0, 0], run: swapdb },
  {
    name: "client",
    arity: -2,
    flags: ["noscript", "loading", "stale"],
    keys: [0, 0, 0],
    run: client,
  },
];
