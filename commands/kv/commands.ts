/**
 * The RESP command table of `kit kv serve`: each command checks its arguments, reads or
 * writes through a {@linkcode Keyspace} and writes its reply, in Redis's exact words.
 *
 * @module
 */

import type { Kv } from "../../lib/kv/mod.ts";
import { clientName, parseHello, type RespWriter, writeHelloReply } from "../../lib/resp/mod.ts";
import {
  bytesOf,
  globMatch,
  globPrefix,
  latin1,
  lowerWord,
  parseInteger,
} from "../../lib/resp/args.ts";
import type { Expiry, Keyspace } from "./keyspace.ts";
import type { Session } from "./session.ts";

/** The Redis version the server reports; clients pick features by it. */
export const REDIS_VERSION = "7.2.4";

/** What the whole server shares across connections. */
export interface ServerState {
  /** The engine. */
  kv: Kv;
  /** Connected clients by id. */
  clients: Map<number, Session>;
  /** SCAN cursors: number → last key returned. */
  cursors: Map<number, Uint8Array>;
  /** The next SCAN cursor number. */
  nextCursor: number;
  /** Counters for INFO. */
  stats: { connections: number; commands: number };
  /** When the server started, ms since the epoch. */
  startedAt: number;
  /** The port, for INFO. */
  port: number;
  /** The fsync mode, for INFO. */
  fsync: string;
  /** The store folder, for INFO. */
  dir: string;
  /** kit's version, for INFO. */
  version: string;
  /** The clock. */
  now: () => number;
}

/** What a command runs with. */
export interface CommandContext {
  /** Reads and gathered writes. */
  ks: Keyspace;
  /** The connection. */
  session: Session;
  /** The server. */
  server: ServerState;
  /** Where the reply goes. */
  out: RespWriter;
}

/** A command of the table. */
export interface Command {
  /** Lower-case name. */
  name: string;
  /** Redis arity: N exactly, or -N for at least N (the name counts). */
  arity: number;
  /** Redis's command flags, for COMMAND. */
  flags: string[];
  /** First key argument, last (-1: the last argument), step; 0 0 0 without keys. */
  keys: [number, number, number];
  /** Runs it: writes exactly one reply to `ctx.out`. */
  run(ctx: CommandContext, args: Uint8Array[]): void;
}

/** A reply error carrying Redis's text (`ERR syntax error`). */
export class ReplyError extends Error {
  override name = "ReplyError";
}

const decoder = new TextDecoder();
const SYNTAX = "ERR syntax error";
const NOT_INTEGER = "ERR value is not an integer or out of range";
const MAX_EXPIRE_MS = 2 ** 53 - 1;

function text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

function integerArg(bytes: Uint8Array): number {
  const n = parseInteger(bytes);
  if (n === undefined) throw new ReplyError(NOT_INTEGER);
  return n;
}

function expireMs(bytes: Uint8Array, unitMs: number, command: string): number {
  const n = integerArg(bytes);
  const ms = n * unitMs;
  if (ms > MAX_EXPIRE_MS || ms < -MAX_EXPIRE_MS) {
    throw new ReplyError(`ERR invalid expire time in '${command}' command`);
  }
  return ms;
}

function fixed(
  name: string,
  arity: number,
  flags: string[],
  keys: [number, number, number],
  run: Command["run"],
): Command {
  return { name, arity, flags, keys, run };
}

const NO_KEYS: [number, number, number] = [0, 0, 0];
const ONE_KEY: [number, number, number] = [1, 1, 1];
const ALL_KEYS: [number, number, number] = [1, -1, 1];

function ping({ out }: CommandContext, args: Uint8Array[]): void {
  if (args.length > 2) throw new ReplyError("ERR wrong number of arguments for 'ping' command");
  if (args.length === 2) out.bulk(args[1]);
  else out.simple("PONG");
}

function get({ ks, out }: CommandContext, args: Uint8Array[]): void {
  const value = ks.get(args[1]);
  if (value === null) out.null();
  else out.bulk(value);
}

function set({ ks, out }: CommandContext, args: Uint8Array[]): void {
  let nx = false;
  let xx = false;
  let withGet = false;
  let keepTtl = false;
  let expiry: Expiry;
  let expireSeen = false;
  for (let i = 3; i < args.length; i++) {
    const option = lowerWord(args[i]);
    const hasNext = i + 1 < args.length;
    if (option === "nx" && !xx) nx = true;
    else if (option === "xx" && !nx) xx = true;
    else if (option === "get") withGet = true;
    else if (option === "keepttl" && !expireSeen) keepTtl = true;
    else if (
      (option === "ex" || option === "px" || option === "exat" || option === "pxat") &&
      !keepTtl && !expireSeen && hasNext
    ) {
      expireSeen = true;
      const unit = option === "ex" || option === "exat" ? 1000 : 1;
      const ms = expireMs(args[++i], unit, "set");
      if (ms <= 0) throw new ReplyError("ERR invalid expire time in 'set' command");
      expiry = option.endsWith("at") ? { expiresAt: ms } : { ttlMs: ms };
    } else throw new ReplyError(SYNTAX);
  }
  const key = args[1];
  const old = withGet ? ks.get(key) : null;
  const exists = withGet ? old !== null : (nx || xx) && ks.has(key);
  if ((nx && exists) || (xx && !exists)) {
    if (withGet && old !== null) out.bulk(old);
    else out.null();
    return;
  }
  if (keepTtl) {
    const at = ks.expiresAt(key);
    if (typeof at === "number") expiry = { expiresAt: at };
  }
  ks.set(key, args[2], expiry);
  if (!withGet) out.ok();
  else if (old === null) out.null();
  else out.bulk(old);
}

function del({ ks, out }: CommandContext, args: Uint8Array[]): void {
  let count = 0;
  const seen = args.length > 2 ? new Set<string>() : undefined;
  for (let i = 1; i < args.length; i++) {
    const key = args[i];
    if (seen) {
      const name = String.fromCharCode.apply(null, key as unknown as number[]);
      if (seen.has(name)) continue;
      seen.add(name);
    }
    if (ks.has(key)) {
      ks.delete(key);
      count++;
    }
  }
  out.integer(count);
}

function exists({ ks, out }: CommandContext, args: Uint8Array[]): void {
  let count = 0;
  for (let i = 1; i < args.length; i++) if (ks.has(args[i])) count++;
  out.integer(count);
}

function mget({ ks, out }: CommandContext, args: Uint8Array[]): void {
  out.arrayHeader(args.length - 1);
  for (let i = 1; i < args.length; i++) {
    const value = ks.get(args[i]);
    if (value === null) out.null();
    else out.bulk(value);
  }
}

function mset({ ks, out }: CommandContext, args: Uint8Array[]): void {
  if (args.length % 2 === 0) {
    throw new ReplyError("ERR wrong number of arguments for 'mset' command");
  }
  for (let i = 1; i < args.length; i += 2) ks.set(args[i], args[i + 1], undefined);
  out.ok();
}

function expireCommand(name: string, unitMs: number): Command["run"] {
  return ({ ks, out, server }, args) => {
    const ms = expireMs(args[2], unitMs, name);
    let nx = false, xx = false, gt = false, lt = false;
    for (let i = 3; i < args.length; i++) {
      const option = lowerWord(args[i]);
      if (option === "nx") nx = true;
      else if (option === "xx") xx = true;
      else if (option === "gt") gt = true;
      else if (option === "lt") lt = true;
      else throw new ReplyError(`ERR Unsupported option ${text(args[i])}`);
    }
    if (nx && (xx || gt || lt)) {
      throw new ReplyError("ERR NX and XX, GT or LT options at the same time are not compatible");
    }
    if (gt && lt) throw new ReplyError("ERR GT and LT options at the same time are not compatible");
    const key = args[1];
    const current = ks.expiresAt(key);
    if (current === undefined) return out.integer(0);
    const target = server.now() + ms;
    // A key without expiry counts as one with an infinite TTL, as in Redis.
    if (
      (nx && current !== null) || (xx && current === null) ||
      (gt && (current === null || target <= current)) ||
      (lt && current !== null && target >= current)
    ) return out.integer(0);
    ks.expire(key, ms);
    out.integer(1);
  };
}

function persist({ ks, out }: CommandContext, args: Uint8Array[]): void {
  const current = ks.expiresAt(args[1]);
  if (current === undefined || current === null) return out.integer(0);
  ks.expire(args[1], null);
  out.integer(1);
}

function ttlCommand(unitMs: number): Command["run"] {
  return ({ ks, out, server }, args) => {
    const at = ks.expiresAt(args[1]);
    if (at === undefined) return out.integer(-2);
    if (at === null) return out.integer(-1);
    const left = Math.max(0, at - server.now());
    out.integer(unitMs === 1 ? left : Math.floor((left + 500) / 1000));
  };
}

function dbsize({ ks, out }: CommandContext): void {
  out.integer(ks.kv.count());
}

/** Cursors kept for SCAN; the oldest are forgotten past this many. */
const MAX_CURSORS = 100_000;

function scan({ ks, out, server }: CommandContext, args: Uint8Array[]): void {
  const cursorText = text(args[1]);
  if (!/^\d+$/.test(cursorText)) throw new ReplyError("ERR invalid cursor");
  const cursor = Number(cursorText);
  let count = 10;
  let pattern: string | undefined;
  let type: string | undefined;
  for (let i = 2; i < args.length; i++) {
    const option = lowerWord(args[i]);
    if (i + 1 >= args.length) throw new ReplyError(SYNTAX);
    if (option === "count") {
      count = integerArg(args[++i]);
      if (count < 1) throw new ReplyError(SYNTAX);
    } else if (option === "match") pattern = latin1(args[++i]);
    else if (option === "type") type = lowerWord(args[++i]);
    else throw new ReplyError(SYNTAX);
  }
  // An unknown cursor (forgotten, or from before a restart) starts over: SCAN may return a key
  // twice, but must never skip one that was there all along.
  const after = cursor === 0 ? undefined : server.cursors.get(cursor);
  const prefix = bytesOf(pattern ? globPrefix(pattern) : "");
  const options = after ? { limit: count, after } : { limit: count };
  const keys = prefix.length > 0
    ? ks.kv.prefixKeys(prefix, options)
    : ks.kv.scanKeys(null, null, options);
  const found: Uint8Array[] = [];
  let seen = 0;
  let last: Uint8Array | undefined;
  for (const key of keys) {
    seen++;
    last = key;
    if (type !== undefined && type !== "string") continue;
    if (pattern && !globMatch(pattern, latin1(key))) continue;
    found.push(key);
  }
  server.cursors.delete(cursor);
  let next = 0;
  if (seen >= count && last !== undefined) {
    next = server.nextCursor++;
    server.cursors.set(next, last);
    if (server.cursors.size > MAX_CURSORS) {
      server.cursors.delete(server.cursors.keys().next().value!);
    }
  }
  out.arrayHeader(2);
  out.bulk(String(next));
  out.arrayHeader(found.length);
  for (const key of found) out.bulk(key);
}

function info({ ks, out, server }: CommandContext, args: Uint8Array[]): void {
  const wanted = new Set(args.slice(1).map(lowerWord));
  const all = wanted.size === 0 || wanted.has("all") || wanted.has("everything") ||
    wanted.has("default");
  const uptime = Math.floor((server.now() - server.startedAt) / 1000);
  const stats = ks.kv.stats();
  const sections: [string, string[]][] = [
    ["Server", [
      `redis_version:${REDIS_VERSION}`,
      "redis_mode:standalone",
      `kit_version:${server.version}`,
      `os:${Deno.build.os} ${Deno.build.arch}`,
      "arch_bits:64",
      `process_id:${Deno.pid}`,
      `tcp_port:${server.port}`,
      `uptime_in_seconds:${uptime}`,
      `uptime_in_days:${Math.floor(uptime / 86400)}`,
    ]],
    ["Clients", [`connected_clients:${server.clients.size}`]],
    ["Persistence", [
      "loading:0",
      `kv_dir:${server.dir}`,
      `kv_fsync:${server.fsync}`,
      `kv_segments:${stats.segments}`,
      `kv_live_bytes:${stats.liveBytes}`,
      `kv_dead_bytes:${stats.deadBytes}`,
    ]],
    ["Stats", [
      `total_connections_received:${server.stats.connections}`,
      `total_commands_processed:${server.stats.commands}`,
    ]],
    ["Replication", ["role:master", "connected_slaves:0"]],
    ["Keyspace", stats.keys > 0 ? [`db0:keys=${stats.keys},expires=0,avg_ttl=0`] : []],
  ];
  const chosen = sections.filter(([name]) => all || wanted.has(name.toLowerCase()));
  const body = chosen.map(([name, lines]) => [`# ${name}`, ...lines].join("\r\n") + "\r\n")
    .join("\r\n");
  out.verbatim(body);
}

function multi({ session, out }: CommandContext): void {
  if (session.inMulti) throw new ReplyError("ERR MULTI calls can not be nested");
  session.queue = [];
  session.dirty = false;
  out.ok();
}

function discard({ session, ks, out }: CommandContext): void {
  if (!session.inMulti) throw new ReplyError("ERR DISCARD without MULTI");
  session.queue = undefined;
  session.dirty = false;
  ks.abandon();
  out.ok();
}

function exec(ctx: CommandContext): void {
  const { session, ks, out } = ctx;
  const queue = session.queue;
  if (queue === undefined) throw new ReplyError("ERR EXEC without MULTI");
  session.queue = undefined;
  if (session.dirty) {
    session.dirty = false;
    throw new ReplyError("EXECABORT Transaction discarded because of previous errors.");
  }
  ks.beginTransaction();
  out.arrayHeader(queue.length);
  for (const args of queue) {
    const command = COMMANDS.get(lowerWord(args[0]))!;
    runGuarded(command, ctx, args);
  }
}

function hello(ctx: CommandContext, args: Uint8Array[]): void {
  const { session, out } = ctx;
  // No passwords here: HELLO's AUTH credentials all pass.
  const request = parseHello(args);
  if ("error" in request) throw new ReplyError(request.error);
  if (request.name !== undefined) session.name = request.name === "" ? null : request.name;
  const protocol = request.protocol ?? session.protocol;
  session.protocol = protocol;
  out.protocol = protocol;
  writeHelloReply(out, { version: REDIS_VERSION, protocol, id: session.id });
}

function checkName(bytes: Uint8Array): string {
  const name = clientName(bytes);
  if (typeof name !== "string") throw new ReplyError(name.error);
  return name;
}

function client(ctx: CommandContext, args: Uint8Array[]): void {
  const { session, out, server } = ctx;
  const sub = lowerWord(args[1]);
  const wrongArity = () =>
    new ReplyError(`ERR wrong number of arguments for 'client|${sub}' command`);
  switch (sub) {
    case "setname": {
      if (args.length !== 3) throw wrongArity();
      const name = checkName(args[2]);
      session.name = name === "" ? null : name;
      return out.ok();
    }
    case "getname":
      if (args.length !== 2) throw wrongArity();
      return session.name === null ? out.null() : out.bulk(session.name);
    case "id":
      if (args.length !== 2) throw wrongArity();
      return out.integer(session.id);
    case "setinfo": {
      if (args.length !== 4) throw wrongArity();
      const attr = lowerWord(args[2]);
      if (attr === "lib-name") session.libName = text(args[3]);
      else if (attr === "lib-ver") session.libVer = text(args[3]);
      else throw new ReplyError(`ERR Unrecognized option '${text(args[2])}'`);
      return out.ok();
    }
    case "info":
      return out.verbatim(clientLine(ctx, session) + "\n");
    case "list":
      return out.verbatim(
        [...server.clients.values()].map((s) => clientLine(ctx, s) + "\n").join(""),
      );
    default:
      throw new ReplyError(
        `ERR unknown subcommand '${text(args[1]).slice(0, 128)}'. Try CLIENT HELP.`,
      );
  }
}

function clientLine({ server }: CommandContext, s: Session): string {
  const age = Math.floor((server.now() - s.createdAt) / 1000);
  return `id=${s.id} addr=${s.addr} name=${s.name ?? ""} age=${age} db=0 ` +
    `multi=${s.queue ? s.queue.length : -1} resp=${s.protocol} cmd=${s.lastCommand} ` +
    `lib-name=${s.libName} lib-ver=${s.libVer}`;
}

function commandInfo(out: RespWriter, command: Command): void {
  out.arrayHeader(10);
  out.bulk(command.name);
  out.integer(command.arity);
  out.setHeader(command.flags.length);
  for (const flag of command.flags) out.simple(flag);
  out.integer(command.keys[0]);
  out.integer(command.keys[1]);
  out.integer(command.keys[2]);
  out.setHeader(0);
  out.setHeader(0);
  out.arrayHeader(0);
  out.arrayHeader(0);
}

function command({ out }: CommandContext, args: Uint8Array[]): void {
  if (args.length === 1) {
    out.arrayHeader(COMMANDS.size);
    for (const c of COMMANDS.values()) commandInfo(out, c);
    return;
  }
  const sub = lowerWord(args[1]);
  switch (sub) {
    case "count":
      return out.integer(COMMANDS.size);
    case "docs":
      // Clients ask for docs only to show hints; an empty map means "none", which they accept.
      return out.mapHeader(0);
    case "list":
      out.arrayHeader(COMMANDS.size);
      for (const name of COMMANDS.keys()) out.bulk(name);
      return;
    case "info":
      out.arrayHeader(args.length - 2);
      for (let i = 2; i < args.length; i++) {
        const c = COMMANDS.get(lowerWord(args[i]));
        if (c) commandInfo(out, c);
        else out.null();
      }
      return;
    default:
      throw new ReplyError(
        `ERR unknown subcommand '${text(args[1]).slice(0, 128)}'. Try COMMAND HELP.`,
      );
  }
}

function select({ out }: CommandContext, args: Uint8Array[]): void {
  const db = integerArg(args[1]);
  if (db !== 0) throw new ReplyError("ERR DB index is out of range");
  out.ok();
}

function auth(): void {
  throw new ReplyError(
    "ERR AUTH <password> called without any password configured for the default user. " +
      "Are you sure your configuration is correct?",
  );
}

function quit({ session, out }: CommandContext): void {
  session.closing = true;
  out.ok();
}

const READ = ["readonly", "fast"];
const WRITE = ["write", "denyoom"];
const WRITE_FAST = ["write", "fast"];
const ADMIN = ["loading", "stale", "fast"];

/** Every command the server knows, by lower-case name. */
export const COMMANDS: Map<string, Command> = new Map(
  [
    fixed("ping", -1, ["fast", "stale"], NO_KEYS, ping),
    fixed("echo", 2, ["fast"], NO_KEYS, ({ out }, args) => out.bulk(args[1])),
    fixed("get", 2, READ, ONE_KEY, get),
    fixed("set", -3, WRITE, ONE_KEY, set),
    fixed("del", -2, ["write"], ALL_KEYS, del),
    fixed("exists", -2, READ, ALL_KEYS, exists),
    fixed("mget", -2, READ, ALL_KEYS, mget),
    fixed("mset", -3, WRITE, [1, -1, 2], mset),
    fixed("expire", -3, WRITE_FAST, ONE_KEY, expireCommand("expire", 1000)),
    fixed("pexpire", -3, WRITE_FAST, ONE_KEY, expireCommand("pexpire", 1)),
    fixed("persist", 2, WRITE_FAST, ONE_KEY, persist),
    fixed("ttl", 2, READ, ONE_KEY, ttlCommand(1000)),
    fixed("pttl", 2, READ, ONE_KEY, ttlCommand(1)),
    fixed("scan", -2, ["readonly"], NO_KEYS, scan),
    fixed("dbsize", 1, READ, NO_KEYS, dbsize),
    fixed("info", -1, ["loading", "stale"], NO_KEYS, info),
    fixed("multi", 1, ["noscript", "loading", "stale", "fast"], NO_KEYS, multi),
    fixed("exec", 1, ["noscript", "loading", "stale"], NO_KEYS, exec),
    fixed("discard", 1, ["noscript", "loading", "stale", "fast"], NO_KEYS, discard),
    fixed("hello", -1, ["noscript", "loading", "stale", "fast", "no_auth"], NO_KEYS, hello),
    fixed("auth", -2, ["noscript", "loading", "stale", "fast", "no_auth"], NO_KEYS, auth),
    fixed("client", -2, ADMIN, NO_KEYS, client),
    fixed("command", -1, ["loading", "stale"], NO_KEYS, command),
    fixed("select", 2, ADMIN, NO_KEYS, select),
    fixed("quit", -1, ["noscript", "loading", "stale", "fast", "no_auth"], NO_KEYS, quit),
  ].map((c) => [c.name, c]),
);

/** Commands that run at once inside MULTI instead of being queued. */
const NOT_QUEUED = new Set(["multi", "exec", "discard", "quit", "watch", "reset"]);

function unknownCommand(args: Uint8Array[]): string {
  let rest = "";
  for (let i = 1; i < args.length && rest.length < 128; i++) {
    rest += `'${text(args[i]).slice(0, 128 - rest.length)}' `;
  }
  return `ERR unknown command '${text(args[0]).slice(0, 128)}', with args beginning with: ${rest}`;
}

function checkArity(command: Command, args: Uint8Array[]): boolean {
  const arity = command.arity;
  return arity > 0 ? args.length === arity : args.length >= -arity;
}

/** Runs a command, turning a thrown error into its error reply and dropping its writes. */
function runGuarded(command: Command, ctx: CommandContext, args: Uint8Array[]): void {
  const mark = ctx.out.length;
  try {
    command.run(ctx, args);
  } catch (error) {
    ctx.out.truncate(mark);
    if (error instanceof ReplyError) ctx.out.error(error.message);
    else ctx.out.error(`ERR ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Runs one client command: looks it up, checks its arity, queues it inside MULTI, runs it and
 * hands its writes to the engine. The reply is in `ctx.out` when this returns.
 *
 * @example
 * ```ts ignore
 * const pending = execute(ctx, [bytes("SET"), bytes("k"), bytes("v")]);
 * await pending; // acknowledged under the fsync mode: now the reply may be sent
 * ```
 *
 * @param ctx The connection, server and output.
 * @param args The command and its arguments.
 * @returns The engine's acknowledgement of the command's writes, or undefined when it wrote
 *   nothing.
 */
export function execute(ctx: CommandContext, args: Uint8Array[]): Promise<unknown> | undefined {
  const name = lowerWord(args[0]);
  const command = COMMANDS.get(name);
  const { session, out } = ctx;
  ctx.server.stats.commands++;
  if (command === undefined) {
    if (session.inMulti) session.dirty = true;
    out.error(unknownCommand(args));
    return undefined;
  }
  if (!checkArity(command, args)) {
    if (session.inMulti) session.dirty = true;
    out.error(`ERR wrong number of arguments for '${name}' command`);
    return undefined;
  }
  session.lastCommand = name;
  if (session.inMulti && !NOT_QUEUED.has(name)) {
    session.queue!.push(args);
    out.simple("QUEUED");
    return undefined;
  }
  runGuarded(command, ctx, args);
  if (session.inMulti) return undefined;
  try {
    return ctx.ks.flush();
  } catch (error) {
    ctx.ks.abandon();
    return Promise.reject(error);
  }
}
