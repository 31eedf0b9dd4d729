/**
 * Running one command as Redis's `processCommand` does: lookup, arity, authentication, the
 * subscribed-mode and MULTI rules, then the handler, the slow log and MONITOR.
 *
 * @module
 */

import { RespWriter } from "../../lib/resp/mod.ts";
import { latin1, lowerWord } from "./bytes.ts";
import { type Command, type CommandContext, ReplyError } from "./command.ts";
import { OOM, outOfMemory } from "./evict.ts";
import { propagatedForm } from "./aof.ts";
import { writtenKeys } from "./snapshot.ts";
import { bulkWorkCount } from "./types/bulk_work.ts";

/** Commands allowed before AUTH when a password is set. */
const NO_AUTH = new Set(["auth", "hello", "quit", "reset"]);
/** Commands allowed in RESP2 subscribed mode. */
const SUBSCRIBED = new Set([
  "subscribe",
  "unsubscribe",
  "psubscribe",
  "punsubscribe",
  "ping",
  "quit",
  "reset",
]);
/** Commands that run at once inside MULTI instead of being queued. */
const NOT_QUEUED = new Set(["exec", "discard", "multi", "watch", "quit", "reset"]);

/**
 * Runs one command read from a client and writes its reply (or queues it inside MULTI).
 * Clients blocked on keys that the command wrote are served before it returns.
 *
 * @example
 * ```ts ignore
 * execute(ctx, [bytes("SET"), bytes("k"), bytes("v")]);
 * ```
 *
 * @param ctx The context (its `db` and `now` are refreshed here).
 * @param args The command and its arguments; they may be views into the read buffer.
 */
export function execute(ctx: CommandContext, args: Uint8Array[]): void {
  const { server, session, out } = ctx;
  server.stats.commands++;
  const cmd = lookupCommand(server.commands, args[0]);
  const name = cmd === undefined ? lowerWord(args[0]) : cmd.name;
  let rejection: string | undefined;
  if (cmd === undefined) rejection = unknownCommand(args);
  else if (cmd.arity > 0 ? args.length !== cmd.arity : args.length < -cmd.arity) {
    rejection = `ERR wrong number of arguments for '${name}' command`;
  } else if (!session.authenticated && !NO_AUTH.has(name)) {
    rejection = "NOAUTH Authentication required.";
  } else if (outOfMemory(ctx, cmd)) {
    // Where Redis checks maxmemory: after authentication, before the pub/sub context rule.
    // A refused EXEC discards its transaction (Redis's execCommandAbort).
    rejection = OOM;
    if (name === "exec" && session.inMulti) {
      rejection = `EXECABORT Transaction discarded because of: ${OOM}`;
      session.queue = undefined;
      session.dirty = false;
      server.unwatch(session);
    }
  } else if (session.protocol === 2 && session.subscriptionCount > 0 && !SUBSCRIBED.has(name)) {
    rejection = `ERR Can't execute '${name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / ` +
      "QUIT / RESET are allowed in this context";
  }
  if (rejection !== undefined) {
    // A rejected command inside MULTI makes EXEC fail with EXECABORT, as in Redis.
    if (session.inMulti) session.dirty = true;
    out.error(rejection);
    return;
  }
  if (session.inMulti && !NOT_QUEUED.has(name)) {
    // The arguments view the read buffer, which the next read reuses: queue copies.
    session.queue!.push(args.map((a) => a.slice()));
    out.simple("QUEUED");
    return;
  }
  call(ctx, cmd!, args);
  if (server.blocking.size > 0) server.blocking.serveReady();
}

/** Names looked up lately, as sent, with their commands: pipelines mostly repeat a few. */
const recent = {
  table: undefined as Map<string, Command> | undefined,
  words: [] as Uint8Array[],
  commands: [] as Command[],
  next: 0,
};
/** How many names {@linkcode recent} keeps. */
const RECENT = 8;

/**
 * The command a name refers to, in any case.
 *
 * @param table The command table.
 * @param word The name as the client sent it.
 * @returns The command, or undefined when unknown.
 */
export function lookupCommand(
  table: Map<string, Command>,
  word: Uint8Array,
): Command | undefined {
  const words = recent.words;
  if (table === recent.table) {
    const n = word.length;
    for (let e = 0; e < words.length; e++) {
      const seen = words[e];
      if (seen.length !== n) continue;
      let i = 0;
      while (i < n && word[i] === seen[i]) i++;
      if (i === n) return recent.commands[e];
    }
  } else {
    recent.table = table;
    words.length = 0;
    recent.commands.length = 0;
  }
  const cmd = table.get(lowerWord(word));
  if (cmd !== undefined && word.length <= 32) {
    const e = words.length < RECENT ? words.length : recent.next++ % RECENT;
    words[e] = word.slice();
    recent.commands[e] = cmd;
  }
  return cmd;
}

/**
 * Runs a known command's handler with the slow log and MONITOR, turning a thrown
 * {@linkcode ReplyError} into an error reply (EXEC calls it for each queued command).
 *
 * @param ctx The context.
 * @param cmd The command.
 * @param args Its arguments.
 */
export function call(ctx: CommandContext, cmd: Command, args: Uint8Array[]): void {
  const { server, session, out } = ctx;
  ctx.db = server.dbs[session.dbIndex];
  // Within a batch the clock is read when a command ends, and that reading is the next one's
  // start; the slow log reads a precise clock as well only for thresholds under 1 ms. A clock
  // read costs about what a GET does, so fast commands (and SET, MSET, ...) with small
  // arguments are timed together, up to SPAN of them: none of them is logged unless it ran a
  // bulk operation (bulk_work.ts), which alone could make it slow. Every other command is
  // timed on its own.
  const threshold = server.config.slowlogSlowerThan;
  const precise = threshold >= 0 && threshold < 1000;
  const together = !precise && ctx.mark !== undefined && ctx.mark > 0 && isCheap(cmd, args);
  if (!together && ctx.mark && ctx.untimed) {
    // Timed alone after commands timed together: it starts from a reading of its own.
    ctx.mark = server.clock();
    ctx.untimed = 0;
  }
  const t0 = ctx.mark || server.clock();
  const p0 = precise ? performance.now() : 0;
  ctx.now = t0;
  ctx.db.commandTime = t0;
  session.lastCommand = cmd.name;
  if (server.monitors.size > 0) monitor(ctx, args);
  const start = out.length;
  const persistence = server.persistence;
  const writes = cmd.flags.includes("write");
  if (writes && persistence.refuseWrites !== null) {
    out.error(persistence.refuseWrites);
    return;
  }
  // A snapshot in progress must see the keys this command changes as they are now.
  if (writes && persistence.snapshotting) {
    persistence.beforeWrite(session.dbIndex, writtenKeys(cmd, args));
  }
  const dirty = server.dirty;
  const db = session.dbIndex;
  const bulk = bulkWorkCount();
  ctx.propagated = undefined;
  try {
    cmd.run(ctx, args);
  } catch (error) {
    // Drop whatever part of a reply the handler wrote before it failed.
    out.truncate(start);
    if (error instanceof ReplyError) out.error(error.message);
    else {
      const message = error instanceof Error ? error.message : String(error);
      out.error(`ERR ${message.replace(/[\r\n]+/g, " ")}`);
    }
  }
  // Logged as Redis propagates: write commands that changed something, in the form that
  // replays to the same result.
  if (writes && server.dirty !== dirty && persistence.logging) {
    persistence.propagate(
      db,
      ctx.propagated ?? propagatedForm(args, server.dbs[db]),
      session.inExec,
    );
  }
  if (cmd.name === "exec" && persistence.logging) persistence.execEnd();
  if (together && bulkWorkCount() === bulk) {
    const untimed = (ctx.untimed ?? 0) + 1;
    ctx.untimed = untimed;
    // The clock still moves every SPAN commands, for the commands' time (expiry, LRU).
    if (untimed >= SPAN) {
      ctx.mark = server.clock();
      ctx.untimed = 0;
    }
    return;
  }
  ctx.untimed = 0;
  const t1 = server.clock();
  if (ctx.mark) ctx.mark = t1;
  // Read again, as Redis reads it after the command: CONFIG SET of it is logged by the new one.
  const limit = server.config.slowlogSlowerThan;
  if (limit < 0) return;
  const micros = precise ? Math.round((performance.now() - p0) * 1000) : (t1 - t0) * 1000;
  if (micros >= limit) slowlog(ctx, args, micros);
}

/** The most fast commands timed together (see `call`). */
const SPAN = 32;
/** Arguments, in bytes, past which a fast command is timed on its own (copying them counts). */
const CHEAP_BYTES = 4096;

/**
 * Commands without Redis's `fast` flag whose work here is in proportion to their arguments
 * (a string value is replaced by reference; a new key may grow the index, a bulk operation).
 */
const ARGUMENT_BOUND = new Set(["set", "setnx", "setex", "psetex", "getset", "mset", "msetnx"]);

/**
 * Whether a command is timed with its neighbours: a fast one, or one bound by its arguments,
 * with small arguments.
 */
function isCheap(cmd: Command, args: Uint8Array[]): boolean {
  if (!cmd.flags.includes("fast") && !ARGUMENT_BOUND.has(cmd.name)) return false;
  let bytes = 0;
  for (let i = 0; i < args.length; i++) bytes += args[i].length;
  return bytes <= CHEAP_BYTES;
}

/**
 * Redis's error text for an unknown command: the name as sent and up to the first args.
 *
 * @example
 * ```ts
 * import { unknownCommand } from "./dispatch.ts";
 * const b = (s: string) => new TextEncoder().encode(s);
 * console.assert(
 *   unknownCommand([b("foo"), b("a"), b("b")]) ===
 *     "ERR unknown command 'foo', with args beginning with: 'a' 'b' ",
 * );
 * ```
 *
 * @param args The command.
 * @returns The error text.
 */
export function unknownCommand(args: Uint8Array[]): string {
  let text = `ERR unknown command '${clip(latin1(args[0]))}', with args beginning with: `;
  for (let i = 1; i < args.length && text.length < 512; i++) text += `'${clip(latin1(args[i]))}' `;
  return text;
}

function clip(s: string): string {
  return s.length > 128 ? s.slice(0, 128) : s;
}

function slowlog(ctx: CommandContext, args: Uint8Array[], micros: number): void {
  const { server, session } = ctx;
  const max = server.config.number("slowlog-max-len");
  const kept = args.slice(0, 32).map((a) => a.length > 128 ? a.slice(0, 128) : a.slice());
  if (args.length > 32) {
    kept[31] = new TextEncoder().encode(`... (${args.length - 31} more arguments)`);
  }
  server.slowlog.unshift({
    id: server.slowlogId++,
    time: Math.floor(ctx.now / 1000),
    micros,
    args: kept,
    addr: session.addr,
    name: session.name ?? "",
  });
  if (server.slowlog.length > max) server.slowlog.length = Math.max(0, max);
}

function monitor(ctx: CommandContext, args: Uint8Array[]): void {
  const { server, session } = ctx;
  const time = (ctx.now / 1000).toFixed(6);
  const words = args.map(repr);
  const line = `${time} [${session.dbIndex} ${session.addr}] ${words.join(" ")}`;
  for (const m of server.monitors) {
    if (m === session) continue;
    const out = new RespWriter(line.length + 8);
    out.simple(line);
    m.send(out.bytes());
  }
}

const ESCAPES: Record<number, string> = {
  7: "\\a",
  8: "\\b",
  9: "\\t",
  10: "\\n",
  13: "\\r",
  34: '\\"',
  92: "\\\\",
};

/** A quoted argument as Redis's `sdscatrepr` writes it for MONITOR. */
function repr(arg: Uint8Array): string {
  let s = '"';
  for (const c of arg) {
    s += ESCAPES[c] ??
      (c >= 32 && c < 127 ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, "0")}`);
  }
  return s + '"';
}
