/**
 * The server-side cost of `kit redis` commands without the network: pipelined batches of 16
 * commands, as redis-benchmark `-P 16` sends them, parsed by lib/resp's CommandReader and run by
 * the dispatcher against a keyspace of 100,000 keys, a hash and a set of 100,000 members and a
 * sorted set of 100,000 members. Each iteration is one batch; divide by 16 for a command.
 *
 * ```sh
 * deno bench -A bench/redis_bench.ts
 * ```
 *
 * bench/redis.sh measures the whole server against redis-server over loopback; this one shows
 * where the server's own time goes when a change is being weighed, free of the socket and of
 * the load generator sharing the machine. Keys are drawn at random, so lookups pay the cache
 * misses a real keyspace of this size pays. The server also fetches a batch's keys ahead
 * before running it (server.ts), which this loop leaves out, so its lookups stall more.
 *
 * @module
 */

import { CommandReader, RespWriter } from "../lib/resp/mod.ts";
import type { CommandContext } from "../commands/redis/command.ts";
import { commandTable } from "../commands/redis/command_table.ts";
import { execute } from "../commands/redis/dispatch.ts";
import { ServerState } from "../commands/redis/server_state.ts";
import { Session } from "../commands/redis/session.ts";

const KEYS = 100_000;
const BATCH = 16;
const VARIANTS = 256;

const state = new ServerState();
state.commands = commandTable();
const session = new Session(1, "127.0.0.1:1", Date.now());
session.authenticated = true;
const out = new RespWriter();
const ctx: CommandContext = { db: state.dbs[0], server: state, session, out, now: 0 };
const encoder = new TextEncoder();

let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = () => String(Math.floor(random() * KEYS)).padStart(6, "0");

function resp(words: string[]): string {
  return `*${words.length}\r\n` + words.map((w) => `$${w.length}\r\n${w}\r\n`).join("");
}

/** Batches of one command shape with random keys or members, encoded once. */
function batches(command: () => string[]): Uint8Array[] {
  return Array.from(
    { length: VARIANTS },
    () => encoder.encode(Array.from({ length: BATCH }, () => resp(command())).join("")),
  );
}

function run(batch: Uint8Array, reader: CommandReader): void {
  reader.push(batch);
  ctx.mark = Date.now();
  for (let args = reader.next(); args !== undefined; args = reader.next()) execute(ctx, args);
  ctx.mark = 0;
  out.reset();
}

// The data redis-benchmark -r 100000 leaves behind.
const fill = new CommandReader();
for (let i = 0; i < KEYS; i += BATCH) {
  run(
    encoder.encode(
      Array.from({ length: BATCH }, (_, j) => {
        const n = String(i + j).padStart(6, "0");
        return resp(["SET", `key:000000${n}`, "xxx"]) + resp(["SET", `counter:000000${n}`, "1"]) +
          resp(["HSET", "myhash", `element:${n}`, "xxx"]) +
          resp(["SADD", "myset", `element:${n}`]) +
          resp(["ZADD", "myzset", String(i + j), `element:${n}`]);
      }).join(""),
    ),
    fill,
  );
}

const shapes: [string, () => string[]][] = [
  ["GET", () => ["GET", `key:000000${pick()}`]],
  ["SET", () => ["SET", `key:000000${pick()}`, "xxx"]],
  ["INCR", () => ["INCR", `counter:000000${pick()}`]],
  ["HSET", () => ["HSET", "myhash", `element:${pick()}`, "xxx"]],
  ["SADD", () => ["SADD", "myset", `element:${pick()}`]],
  ["ZADD", () => ["ZADD", "myzset", String(Math.floor(random() * KEYS)), `element:${pick()}`]],
  [
    "MSET (10 keys)",
    () => ["MSET", ...Array.from({ length: 10 }, () => [`key:000000${pick()}`, "xxx"]).flat()],
  ],
];

for (const [name, command] of shapes) {
  const encoded = batches(command);
  const reader = new CommandReader();
  let i = 0;
  Deno.bench(`kit redis: a pipelined batch of 16 ${name} over 100k keys or members`, {
    group: "redis",
  }, () => {
    run(encoded[i++ % VARIANTS], reader);
  });
}
