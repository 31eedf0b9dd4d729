/**
 * Server commands: COMMAND CONFIG INFO DBSIZE FLUSHDB FLUSHALL TIME LASTSAVE SAVE BGSAVE
 * BGREWRITEAOF SHUTDOWN MONITOR SLOWLOG.
 *
 * @module
 */

import { latin1, lowerWord, parseInteger } from "./bytes.ts";
import { type Command, type CommandContext, ReplyError } from "./command.ts";
import { ConfigError } from "./config.ts";
import type { Persistence, ShutdownMode } from "./persistence.ts";
import { REDIS_VERSION } from "./server_state.ts";
import { memoryInfo } from "./cmd_memory.ts";

function subArity(args: Uint8Array[], n: number, exact = true): void {
  if (exact ? args.length !== n : args.length < n) {
    throw new ReplyError(
      `ERR wrong number of arguments for '${lowerWord(args[0])}|${lowerWord(args[1])}' command`,
    );
  }
}

function unknownSub(args: Uint8Array[]): never {
  throw new ReplyError(
    `ERR unknown subcommand '${latin1(args[1])}'. Try ${latin1(args[0]).toUpperCase()} HELP.`,
  );
}

function commandInfo(ctx: CommandContext, cmd: Command): void {
  const { out } = ctx;
  out.arrayHeader(10);
  out.bulk(cmd.name);
  out.integer(cmd.arity);
  out.setHeader(cmd.flags.length);
  for (const f of cmd.flags) out.simple(f);
  out.integer(cmd.keys[0]);
  out.integer(cmd.keys[1]);
  out.integer(cmd.keys[2]);
  out.setHeader(0);
  out.setHeader(0);
  out.arrayHeader(0);
  out.arrayHeader(0);
}

function command(ctx: CommandContext, args: Uint8Array[]): void {
  const { out, server } = ctx;
  const table = server.commands;
  if (args.length === 1) {
    out.arrayHeader(table.size);
    for (const cmd of table.values()) commandInfo(ctx, cmd);
    return;
  }
  switch (lowerWord(args[1])) {
    case "count":
      subArity(args, 2);
      out.integer(table.size);
      return;
    case "info": {
      const names = args.length === 2 ? [...table.keys()] : args.slice(2).map(lowerWord);
      out.arrayHeader(names.length);
      for (const name of names) {
        const cmd = table.get(name);
        if (cmd) commandInfo(ctx, cmd);
        else out.nullArray();
      }
      return;
    }
    case "docs": {
      // No documentation is served: redis-cli falls back to its own hints.
      out.mapHeader(0);
      return;
    }
    case "list":
      out.arrayHeader(table.size);
      for (const name of table.keys()) out.bulk(name);
      return;
    case "getkeys": {
      subArity(args, 3, false);
      const cmd = table.get(lowerWord(args[2]));
      if (!cmd) throw new ReplyError("ERR Invalid command specified");
      const [first, last, step] = cmd.keys;
      const rest = args.slice(2);
      if (first === 0) throw new ReplyError("ERR The command has no key arguments");
      const end = last < 0 ? rest.length + last : last;
      const keys: Uint8Array[] = [];
      for (let i = first; i <= end && i < rest.length; i += step) keys.push(rest[i]);
      out.arrayHeader(keys.length);
      for (const k of keys) out.bulk(k);
      return;
    }
    default:
      unknownSub(args);
  }
}

function config(ctx: CommandContext, args: Uint8Array[]): void {
  const { out, server } = ctx;
  switch (lowerWord(args[1])) {
    case "get": {
      subArity(args, 3, false);
      const found = new Map<string, string>();
      for (const p of args.slice(2)) {
        for (const [k, v] of server.config.matching(latin1(p))) found.set(k, v);
      }
      out.mapHeader(found.size);
      for (const [k, v] of found) {
        out.bulk(k);
        out.bulk(v);
      }
      return;
    }
    case "set": {
      subArity(args, 4, false);
      if (args.length % 2 !== 0) {
        throw new ReplyError(
          `ERR Unknown option or number of arguments for CONFIG SET - '${latin1(args[2])}'`,
        );
      }
      // All or nothing, as Redis 7: check every pair before applying any.
      for (let i = 2; i < args.length; i += 2) {
        const name = lowerWord(args[i]);
        if (server.config.get(name) === undefined) {
          throw new ReplyError(
            `ERR Unknown option or number of arguments for CONFIG SET - '${latin1(args[i])}'`,
          );
        }
      }
      const before = args.slice(2).filter((_, i) => i % 2 === 0).map((a) => {
        const name = lowerWord(a);
        return [name, server.config.get(name)!] as const;
      });
      for (let i = 2; i < args.length; i += 2) {
        const name = lowerWord(args[i]);
        try {
          server.config.set(name, latin1(args[i + 1]), true);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          for (const [n, v] of before) server.config.set(n, v);
          throw new ReplyError(
            `ERR CONFIG SET failed (possibly related to argument '${name}') - ${error.message}`,
          );
        }
      }
      const appendonly = before.find(([n]) => n === "appendonly");
      if (appendonly !== undefined && appendonly[1] !== server.config.get("appendonly")) {
        try {
          server.persistence.appendonlyChanged(server.config.get("appendonly") === "yes");
        } catch (error) {
          server.config.set("appendonly", appendonly[1]);
          throw new ReplyError(
            `ERR CONFIG SET failed (possibly related to argument 'appendonly') - ${
              (error as Error).message
            }`,
          );
        }
      }
      out.ok();
      return;
    }
    case "resetstat":
      subArity(args, 2);
      server.stats = {
        connections: 0,
        rejected: 0,
        commands: 0,
        expired: 0,
        pubsubMessages: 0,
      };
      server.slowlog = [];
      out.ok();
      return;
    case "rewrite":
      throw new ReplyError("ERR The server is running without a config file");
    default:
      unknownSub(args);
  }
}

const SECTIONS = [
  "server",
  "clients",
  "memory",
  "persistence",
  "stats",
  "replication",
  "keyspace",
];

/**
 * INFO's text for the requested sections.
 *
 * @param ctx The context.
 * @param wanted Section names, lower case; empty for the default set.
 * @returns The text, sections separated by blank lines.
 */
export function infoText(ctx: CommandContext, wanted: string[]): string {
  const { server } = ctx;
  const all = wanted.length === 0 || wanted.includes("all") || wanted.includes("everything") ||
    wanted.includes("default");
  const sections = all ? SECTIONS : SECTIONS.filter((s) => wanted.includes(s));
  const uptime = Math.floor((ctx.now - server.startedAt) / 1000);
  const mem = Deno.memoryUsage();
  const clients = [...server.clients.values()];
  const parts: string[] = [];
  for (const section of sections) {
    let lines: string[] = [];
    switch (section) {
      case "server":
        lines = [
          `redis_version:${REDIS_VERSION}`,
          `kit_version:${server.version}`,
          "redis_mode:standalone",
          `os:${Deno.build.os} ${Deno.build.arch}`,
          `arch_bits:64`,
          `process_id:${Deno.pid}`,
          `run_id:${server.runId}`,
          `tcp_port:${server.port}`,
          `server_time_usec:${ctx.now * 1000}`,
          `uptime_in_seconds:${uptime}`,
          `uptime_in_days:${Math.floor(uptime / 86400)}`,
          `hz:${server.config.number("hz")}`,
          `executable:${Deno.execPath()}`,
          `config_file:`,
        ];
        break;
      case "clients":
        lines = [
          `connected_clients:${server.clients.size}`,
          `maxclients:${server.config.number("maxclients")}`,
          `blocked_clients:${server.blocking.size}`,
          `pubsub_clients:${clients.filter((s) => s.subscriptionCount > 0).length}`,
          `watching_clients:${clients.filter((s) => s.watched.length > 0).length}`,
          `total_watched_keys:${server.watchers.size}`,
        ];
        break;
      case "memory":
        lines = memoryInfo(server, mem);
        break;
      case "persistence":
        lines = persistenceOf(ctx)?.info() ?? [
          "loading:0",
          `rdb_changes_since_last_save:${server.dirty}`,
          "rdb_bgsave_in_progress:0",
          `rdb_last_save_time:${Math.floor(server.startedAt / 1000)}`,
          "rdb_last_bgsave_status:ok",
          `aof_enabled:0`,
          "aof_rewrite_in_progress:0",
        ];
        break;
      case "stats":
        lines = [
          `total_connections_received:${server.stats.connections}`,
          `total_commands_processed:${server.stats.commands}`,
          `rejected_connections:${server.stats.rejected}`,
          `expired_keys:${server.stats.expired}`,
          `evicted_keys:${server.stats.evicted ?? 0}`,
          `pubsub_channels:${server.pubsub.channels.size}`,
          `pubsub_patterns:${server.pubsub.patterns.size}`,
        ];
        break;
      case "replication":
        lines = ["role:master", "connected_slaves:0"];
        break;
      case "keyspace":
        for (const db of server.dbs) {
          const keys = db.size();
          if (keys > 0) {
            lines.push(`db${db.index}:keys=${keys},expires=${db.expiresCount()},avg_ttl=0`);
          }
        }
        break;
    }
    const title = section[0].toUpperCase() + section.slice(1);
    parts.push([`# ${title}`, ...lines].join("\r\n") + "\r\n");
  }
  return parts.join("\r\n");
}

function flush(ctx: CommandContext, args: Uint8Array[], all: boolean): void {
  if (args.length > 2) throw new ReplyError("ERR syntax error");
  const mode = args.length === 2 ? lowerWord(args[1]) : "sync";
  if (mode !== "sync" && mode !== "async") throw new ReplyError("ERR syntax error");
  const { server } = ctx;
  const indexes = all ? server.dbs.map((_, i) => i) : [ctx.session.dbIndex];
  for (const i of indexes) {
    server.dbs[i].flush();
    server.touchedAll(i);
  }
  if (all) server.persistence.flushedAll();
  // A synchronous flush frees the memory before replying, as Redis's does; ASYNC leaves it
  // to the collector's own schedule.
  if (mode === "sync") server.idleGc.collect();
  ctx.out.ok();
}

function slowlog(ctx: CommandContext, args: Uint8Array[]): void {
  const { out, server } = ctx;
  switch (lowerWord(args[1])) {
    case "get": {
      let count = 10;
      if (args.length > 3) subArity(args, 3);
      if (args.length === 3) {
        const n = parseInteger(args[2]);
        if (n === undefined || n < -1) {
          throw new ReplyError("ERR count should be greater than or equal to -1");
        }
        count = n === -1 ? server.slowlog.length : n;
      }
      const entries = server.slowlog.slice(0, count);
      out.arrayHeader(entries.length);
      for (const e of entries) {
        out.arrayHeader(6);
        out.integer(e.id);
        out.integer(e.time);
        out.integer(e.micros);
        out.arrayHeader(e.args.length);
        for (const a of e.args) out.bulk(a);
        out.bulk(e.addr);
        out.bulk(e.name);
      }
      return;
    }
    case "len":
      subArity(args, 2);
      out.integer(server.slowlog.length);
      return;
    case "reset":
      subArity(args, 2);
      server.slowlog = [];
      out.ok();
      return;
    default:
      unknownSub(args);
  }
}

/** The server's persistence, when the CLI set one up (unit tests run without). */
function persistenceOf(ctx: CommandContext): Persistence | undefined {
  const p = ctx.server.persistence as Partial<Persistence>;
  return typeof p.save === "function" ? p as Persistence : undefined;
}

function needPersistence(ctx: CommandContext): Persistence {
  const p = persistenceOf(ctx);
  if (p === undefined) throw new ReplyError("ERR persistence is not configured");
  return p;
}

function shutdown(ctx: CommandContext, args: Uint8Array[]): void {
  let mode: ShutdownMode = "default";
  for (const a of args.slice(1)) {
    const opt = lowerWord(a);
    if (!["nosave", "save", "now", "force", "abort"].includes(opt)) {
      throw new ReplyError("ERR syntax error");
    }
    if (opt === "abort") throw new ReplyError("ERR No shutdown in progress.");
    if (opt === "save" || opt === "nosave") {
      if (mode !== "default" && mode !== opt) throw new ReplyError("ERR syntax error");
      mode = opt;
    }
  }
  const force = args.slice(1).some((a) => lowerWord(a) === "force");
  const p = persistenceOf(ctx);
  // As Redis: a failed save keeps the server running, unless FORCE.
  if (p !== undefined && !p.shutdown(mode) && !force) {
    throw new ReplyError("ERR Errors trying to SHUTDOWN. Check logs.");
  }
  // Redis sends no reply: the connection just closes.
  ctx.session.closing = true;
  ctx.server.shutdown();
}

/** Server commands. */
export const SERVER_COMMANDS: Command[] = [
  {
    name: "command",
    arity: -1,
    flags: ["loading", "stale"],
    keys: [0, 0, 0],
    run: command,
  },
  {
    name: "config",
    arity: -2,
    flags: ["admin", "noscript", "loading", "stale"],
    keys: [0, 0, 0],
    run: config,
  },
  {
    name: "info",
    arity: -1,
    flags: ["loading", "stale"],
    keys: [0, 0, 0],
    run(ctx, args) {
      ctx.out.verbatim(infoText(ctx, args.slice(1).map(lowerWord)));
    },
  },
  {
    name: "dbsize",
    arity: 1,
    flags: ["readonly", "fast"],
    keys: [0, 0, 0],
    run: (ctx) => ctx.out.integer(ctx.db.size()),
  },
  {
    name: "flushdb",
    arity: -1,
    flags: ["write"],
    keys: [0, 0, 0],
    run: (ctx, args) => flush(ctx, args, false),
  },
  {
    name: "flushall",
    arity: -1,
    flags: ["write"],
    keys: [0, 0, 0],
    run: (ctx, args) => flush(ctx, args, true),
  },
  {
    name: "time",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    keys: [0, 0, 0],
    run(ctx) {
      const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
      ctx.out.arrayHeader(2);
      ctx.out.bulk(String(Math.floor(micros / 1e6)));
      ctx.out.bulk(String(micros % 1e6));
    },
  },
  {
    name: "lastsave",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    keys: [0, 0, 0],
    run: (ctx) =>
      ctx.out.integer(persistenceOf(ctx)?.lastSave ?? Math.floor(ctx.server.startedAt / 1000)),
  },
  {
    name: "save",
    arity: 1,
    flags: ["admin", "noscript", "no_async_loading", "no_multi"],
    keys: [0, 0, 0],
    run(ctx) {
      try {
        needPersistence(ctx).save();
      } catch (error) {
        if (error instanceof ReplyError) throw error;
        throw new ReplyError("ERR");
      }
      ctx.out.ok();
    },
  },
  {
    name: "bgsave",
    arity: -1,
    flags: ["admin", "noscript", "no_async_loading"],
    keys: [0, 0, 0],
    run(ctx, args) {
      if (args.length > 2 || (args.length === 2 && lowerWord(args[1]) !== "schedule")) {
        throw new ReplyError("ERR syntax error");
      }
      ctx.out.simple(needPersistence(ctx).bgsave(args.length === 2));
    },
  },
  {
    name: "bgrewriteaof",
    arity: 1,
    flags: ["admin", "noscript", "no_async_loading"],
    keys: [0, 0, 0],
    run: (ctx) => ctx.out.simple(needPersistence(ctx).bgrewriteaof()),
  },
  {
    name: "shutdown",
    arity: -1,
    flags: ["admin", "noscript", "loading", "stale", "no_multi", "allow_busy"],
    keys: [0, 0, 0],
    run: shutdown,
  },
  {
    name: "monitor",
    arity: 1,
    flags: ["admin", "noscript", "loading", "stale"],
    keys: [0, 0, 0],
    run(ctx) {
      ctx.session.monitor = true;
      ctx.server.monitors.add(ctx.session);
      ctx.out.ok();
    },
  },
  {
    name: "slowlog",
    arity: -2,
    flags: ["admin", "loading", "stale"],
    keys: [0, 0, 0],
    run: slowlog,
  },
];
