/**
 * `kit redis [CONFIG_FILE] [--port 6379] [--<directive> value ...]`: the Redis-compatible
 * server, configured as redis-server is (a redis.conf subset from a file, then directives as
 * arguments).
 *
 * @module
 */

import { resolve } from "node:path";
import { type CommandSpec, formatHelp } from "../../lib/cli/args.ts";
import { guard } from "../../lib/cli/command.ts";
import { CliError, ExitCode } from "../../lib/cli/error.ts";
import type { Io } from "../../lib/cli/io.ts";
import { commandTable } from "./command_table.ts";
import { argsToConfig, Config, ConfigError } from "./config.ts";
import { Persistence, PersistenceError } from "./persistence.ts";
import { serve } from "./server.ts";
import { ServerState } from "./server_state.ts";

const TOOL = "redis";
const VERSION = "0.1.0";

/** The command line of `kit redis`, for help and completions. */
export const spec: CommandSpec = {
  name: TOOL,
  aliases: ["prism"],
  description: "Redis-compatible server: RESP2/3, strings, lists, hashes, sets, sorted sets, " +
    "expiry, pub/sub, transactions, blocking pops, RDB and AOF persistence, maxmemory",
  arguments: [{ name: "config-file", description: "a redis.conf (subset) to read first" }],
  options: [
    { flags: "--port <port>", description: "TCP port (default 6379; 0 picks a free one)" },
    { flags: "--bind <address>", description: "address to listen on (default 127.0.0.1)" },
    { flags: "--host <address>", description: "same as --bind" },
    { flags: "--requirepass <password>", description: "clients must AUTH with it" },
    { flags: "--databases <n>", description: "number of databases (default 16)" },
    { flags: "--timeout <seconds>", description: "close clients idle this long (0: never)" },
    { flags: "--maxclients <n>", description: "most clients at once (default 10000)" },
    { flags: "--dir <path>", description: "where dump.rdb and appendonlydir live (default: cwd)" },
    { flags: "--save <points>", description: 'save points, e.g. "3600 1 300 100"; "" for none' },
    { flags: "--appendonly <yes|no>", description: "log every write to the AOF (default no)" },
    { flags: "--appendfsync <policy>", description: "always, everysec (default) or no" },
  ],
  footer: `Any supported redis.conf directive can be given as --<directive> value: port bind
requirepass dir dbfilename save appendonly appendfilename appendfsync maxmemory
maxmemory-policy databases timeout maxclients proto-max-bulk-len client-query-buffer-limit hz
appenddirname aof-load-truncated stop-writes-on-bgsave-error maxmemory-samples.

Persistence is Redis 7.0's: dump.rdb in --dir is loaded at start (in Redis's RDB format,
version 10), written by SAVE, BGSAVE, the save points and SHUTDOWN; with --appendonly yes
the AOF folder appendonlydir/ (manifest, base, incr files) is loaded instead and every write
is logged, fsynced per --appendfsync; BGREWRITEAOF compacts it. SIGTERM saves as SHUTDOWN.
With --maxmemory, writes past the limit evict keys by --maxmemory-policy (noeviction,
allkeys-lru, volatile-lru, allkeys-lfu, volatile-lfu, allkeys-random, volatile-random,
volatile-ttl) or are refused with Redis's OOM error.

Examples:
  kit redis --port 6380            # then: redis-cli -p 6380
  kit redis ./redis.conf --requirepass s3cret
  kit redis --dir /var/lib/kit-redis --save "60 1" --appendonly yes --appendfsync always`,
};

/**
 * Reads the configuration from redis-server style arguments.
 *
 * @param args The arguments after `kit redis`.
 * @param cwd Where a relative config file is looked up.
 * @returns The configuration.
 * @throws {CliError} For an unreadable file or a bad directive.
 */
export async function loadConfig(args: string[], cwd: string): Promise<Config> {
  const config = new Config();
  try {
    const { file, text } = argsToConfig(args.map((a) => a === "--host" ? "--bind" : a));
    if (file !== undefined) {
      let fileText: string;
      try {
        fileText = await Deno.readTextFile(resolve(cwd, file));
      } catch (error) {
        throw new CliError(`Cannot read config file "${file}": ${(error as Error).message}`);
      }
      config.apply(fileText);
    }
    config.apply(text);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new CliError(`Bad configuration: ${error.message}`, {
        hint: "run 'kit redis --help' for the supported directives",
      });
    }
    throw error;
  }
  return config;
}

/**
 * Runs `kit redis`.
 *
 * @param args Arguments after `redis`.
 * @param io Streams and environment.
 * @returns The exit code.
 */
export async function main(args: string[], io: Io): Promise<number> {
  return await guard(TOOL, io, async () => {
    if (args.includes("--help") || args.includes("-h")) {
      await io.stdout.write(formatHelp(spec, []));
      return ExitCode.Ok;
    }
    const config = await loadConfig(args, io.cwd);
    const log = (line: string) => io.stderr.write(`kit redis: ${line}\n`).catch(() => {});
    const host = (config.get("bind") ?? "127.0.0.1").split(" ")[0];
    const port = config.number("port");
    let listener: Deno.Listener;
    try {
      listener = Deno.listen({ hostname: host, port });
    } catch (error) {
      if (error instanceof Deno.errors.AddrInUse) {
        throw new CliError(`Cannot listen on ${host}:${port}: the address is in use`, {
          hint: "pick another with --port",
        });
      }
      throw error;
    }
    const state = new ServerState({ config, version: VERSION });
    state.commands = commandTable();
    const persistence = new Persistence(state, { log });
    try {
      const loaded = persistence.load();
      if (loaded) await log(loaded);
    } catch (error) {
      listener.close();
      if (error instanceof PersistenceError) {
        // The file stays as it is: nothing is written until it loads.
        throw new CliError(error.message, { exitCode: ExitCode.NotFound });
      }
      throw error;
    }
    const controller = new AbortController();
    const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
    const onSignal = (signal: Deno.Signal) => () => {
      // As Redis: a signal shuts down like SHUTDOWN, which a failed save refuses.
      log(`Received ${signal} scheduling shutdown...`);
      if (persistence.shutdown("default")) controller.abort();
      else {
        log(
          `${signal} received but errors trying to shut down the server, check the logs for ` +
            "more information",
        );
      }
    };
    const handlers = signals.map((s) => [s, onSignal(s)] as const);
    for (const [s, h] of handlers) Deno.addSignalListener(s, h);
    const addr = listener.addr as Deno.NetAddr;
    await log(`listening on ${addr.hostname}:${addr.port}`);
    try {
      await serve(listener, state, { signal: controller.signal, log });
    } finally {
      for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
      await persistence.close();
    }
    await log("stopped");
    return ExitCode.Ok;
  });
}
