/**
 * MEMORY (USAGE STATS DOCTOR MALLOC-STATS PURGE HELP) and INFO's memory section, from the
 * keyspace's own estimates (memory.ts) and the process's RSS.
 *
 * @module
 */

import { latin1, lowerWord, parseInteger } from "./bytes.ts";
import { type Command, type CommandContext, ReplyError, type ServerState } from "./command.ts";
import { STARTUP_MEMORY, usedMemory } from "./evict.ts";
import { entrySize, humanBytes } from "./memory.ts";
import { SYNTAX } from "./_args.ts";

const HELP = [
  "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "DOCTOR",
  "    Return memory problems reports.",
  "MALLOC-STATS",
  "    Return internal statistics report from the memory allocator.",
  "PURGE",
  "    Attempt to purge dirty pages for reclamation by the allocator.",
  "STATS",
  "    Return information about the memory usage of the server.",
  "USAGE <key> [SAMPLES <count>]",
  "    Return memory in bytes used by <key> and its value. Nested values are",
  "    sampled up to <count> times (default: 5, 0 means sample all).",
  "HELP",
  "    Print this help.",
];

/**
 * INFO's memory section. `used_memory` is kit's estimate (startup figure plus per-key
 * accounting, what maxmemory compares against); `used_memory_rss` is the process's RSS; the
 * V8 heap figures are there to check the estimate against.
 *
 * @example
 * ```ts
 * import { ServerState } from "./server_state.ts";
 * import { memoryInfo } from "./cmd_memory.ts";
 * import assert from "node:assert/strict";
 * const lines = memoryInfo(new ServerState(), Deno.memoryUsage());
 * assert.ok(lines.includes("used_memory:1048576"));
 * assert.ok(lines.includes("maxmemory_policy:noeviction"));
 * ```
 *
 * @param server The server.
 * @param mem The process's memory figures.
 * @returns `name:value` lines.
 */
export function memoryInfo(server: ServerState, mem: Deno.MemoryUsage): string[] {
  const used = usedMemory(server);
  const max = server.config.number("maxmemory");
  return [
    `used_memory:${used}`,
    `used_memory_human:${humanBytes(used)}`,
    `used_memory_rss:${mem.rss}`,
    `used_memory_rss_human:${humanBytes(mem.rss)}`,
    `used_memory_startup:${STARTUP_MEMORY}`,
    `used_memory_dataset:${used - STARTUP_MEMORY}`,
    `used_memory_v8_heap:${mem.heapUsed}`,
    `used_memory_v8_heap_total:${mem.heapTotal}`,
    `used_memory_v8_external:${mem.external}`,
    `maxmemory:${max}`,
    `maxmemory_human:${humanBytes(max)}`,
    `maxmemory_policy:${server.config.get("maxmemory-policy")}`,
    `mem_fragmentation_ratio:${(mem.rss / used).toFixed(2)}`,
    `mem_allocator:v8`,
  ];
}

function usage(ctx: CommandContext, args: Uint8Array[]): void {
  let samples = 5;
  for (let i = 3; i < args.length; i++) {
    if (lowerWord(args[i]) === "samples" && i + 1 < args.length) {
      const n = parseInteger(args[++i]);
      if (n === undefined) throw new ReplyError("ERR value is not an integer or out of range");
      if (n < 0) throw new ReplyError(SYNTAX);
      samples = n;
    } else throw new ReplyError(SYNTAX);
  }
  const key = ctx.db.key(args[2]);
  // Like OBJECT, MEMORY USAGE does not count as an access.
  const v = ctx.db.peek(key);
  if (v === undefined) ctx.out.null();
  else ctx.out.integer(entrySize(key, v, samples));
}

function stats(ctx: CommandContext): void {
  const { server, out } = ctx;
  const used = usedMemory(server);
  let keys = 0;
  for (const db of server.dbs) keys += db.size();
  const dataset = used - STARTUP_MEMORY;
  const fields: [string, number][] = [
    ["total.allocated", used],
    ["startup.allocated", STARTUP_MEMORY],
    ["keys.count", keys],
    ["keys.bytes-per-key", keys === 0 ? 0 : Math.floor(dataset / keys)],
    ["dataset.bytes", dataset],
  ];
  out.mapHeader(fields.length + 2);
  for (const [name, value] of fields) {
    out.bulk(name);
    out.integer(value);
  }
  out.bulk("dataset.percentage");
  out.double(used === 0 ? 0 : (dataset * 100) / used);
  out.bulk("rss");
  out.integer(Deno.memoryUsage().rss);
}

function memory(ctx: CommandContext, args: Uint8Array[]): void {
  const sub = lowerWord(args[1]);
  const arity = (n: number, exact: boolean) => {
    if (exact ? args.length !== n : args.length < n) {
      throw new ReplyError(`ERR wrong number of arguments for 'memory|${sub}' command`);
    }
  };
  switch (sub) {
    case "help":
      arity(2, true);
      ctx.out.arrayHeader(HELP.length);
      for (const line of HELP) ctx.out.simple(line);
      return;
    case "usage":
      arity(3, false);
      return usage(ctx, args);
    case "stats":
      arity(2, true);
      return stats(ctx);
    case "doctor":
      arity(2, true);
      ctx.out.verbatim(
        "Hi Sam, I can't find any memory issue in your instance. I can only account for what " +
          "occurs on this base.\n",
      );
      return;
    case "malloc-stats":
      arity(2, true);
      ctx.out.verbatim("Stats not supported for the current allocator\n");
      return;
    case "purge":
      // V8 returns memory to the system on its own schedule; there is nothing to ask.
      arity(2, true);
      ctx.out.ok();
      return;
    default:
      throw new ReplyError(`ERR unknown subcommand '${latin1(args[1])}'. Try MEMORY HELP.`);
  }
}

/** The MEMORY command, for the server's table. */
export const MEMORY_COMMANDS: Command[] = [
  { name: "memory", arity: -2, flags: ["readonly"], keys: [2, 2, 1], run: memory },
];
