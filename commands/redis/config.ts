/**
 * The redis.conf subset `kit redis` understands: from a file, from `--directive value`
 * arguments as redis-server takes them, and through CONFIG GET/SET.
 *
 * @module
 */

import { splitArgs } from "../../lib/resp/mod.ts";

/** A bad directive or value in a config file, on the command line, or in CONFIG SET. */
export class ConfigError extends Error {
  /** @param message What is wrong. */
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

type Kind = "int" | "memory" | "bool" | "string" | { oneOf: string[] };

interface Directive {
  kind: Kind;
  value: string;
  /** Fixed once the server runs (CONFIG SET refuses it). */
  immutable?: boolean;
}

/** Every supported directive, its kind and Redis's default (bind: kit's loopback default). */
function defaults(): Map<string, Directive> {
  return new Map<string, Directive>([
    ["port", { kind: "int", value: "6379", immutable: true }],
    ["bind", { kind: "string", value: "127.0.0.1", immutable: true }],
    ["requirepass", { kind: "string", value: "" }],
    ["dir", { kind: "string", value: Deno.cwd() }],
    ["dbfilename", { kind: "string", value: "dump.rdb" }],
    ["save", { kind: "string", value: "3600 1 300 100 60 10000" }],
    ["appendonly", { kind: "bool", value: "no" }],
    ["appendfilename", { kind: "string", value: "appendonly.aof", immutable: true }],
    ["appendfsync", { kind: { oneOf: ["always", "everysec", "no"] }, value: "everysec" }],
    ["appenddirname", { kind: "string", value: "appendonlydir", immutable: true }],
    ["aof-load-truncated", { kind: "bool", value: "yes" }],
    ["stop-writes-on-bgsave-error", { kind: "bool", value: "yes" }],
    ["maxmemory", { kind: "memory", value: "0" }],
    ["maxmemory-policy", {
      kind: {
        oneOf: [
          "noeviction",
          "allkeys-lru",
          "volatile-lru",
          "allkeys-random",
          "volatile-random",
          "volatile-ttl",
          "allkeys-lfu",
          "volatile-lfu",
        ],
      },
      value: "noeviction",
    }],
    ["maxmemory-samples", { kind: "int", value: "5" }],
    ["databases", { kind: "int", value: "16", immutable: true }],
    ["timeout", { kind: "int", value: "0" }],
    ["maxclients", { kind: "int", value: "10000" }],
    ["proto-max-bulk-len", { kind: "memory", value: "536870912" }],
    ["client-query-buffer-limit", { kind: "memory", value: "1073741824" }],
    ["hz", { kind: "int", value: "10" }],
    ["slowlog-log-slower-than", { kind: "int", value: "10000" }],
    ["slowlog-max-len", { kind: "int", value: "128" }],
  ]);
}

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 ** 2,
  mb: 1024 ** 2,
  g: 1000 ** 3,
  gb: 1024 ** 3,
};

/**
 * Parses a memory amount as redis.conf writes it (`100mb`, `1gb`, `4096`).
 *
 * @example
 * ```ts
 * import { parseMemory } from "./config.ts";
 * console.assert(parseMemory("2mb") === 2 * 1024 * 1024);
 * console.assert(parseMemory("2x") === undefined);
 * ```
 *
 * @param text The amount.
 * @returns Bytes, or undefined when it is not an amount.
 */
export function parseMemory(text: string): number | undefined {
  const m = /^(-?\d+)([a-z]*)$/i.exec(text);
  if (!m) return undefined;
  const unit = UNITS[m[2].toLowerCase()];
  return unit === undefined ? undefined : Number(m[1]) * unit;
}

/**
 * The server's configuration: the supported directives with their current values.
 *
 * @example
 * ```ts
 * import { Config } from "./config.ts";
 * import assert from "node:assert/strict";
 * const config = new Config();
 * config.apply("port 7000\nmaxmemory 1mb\n");
 * assert.equal(config.get("port"), "7000");
 * assert.equal(config.number("maxmemory"), 1048576);
 * assert.deepEqual(config.matching("max*").map(([k]) => k), [
 *   "maxmemory",
 *   "maxmemory-policy",
 *   "maxmemory-samples",
 *   "maxclients",
 * ]);
 * ```
 */
export class Config {
  #d = defaults();
  /** Parsed numbers, since the dispatcher reads some on every command. */
  #numbers = new Map<string, number>();
  /** Bumped by every {@linkcode set}, so hot paths can keep derived values until it moves. */
  version = 0;
  /** `slowlog-log-slower-than`, kept as a field: the dispatcher reads it for every command. */
  slowlogSlowerThan: number = this.number("slowlog-log-slower-than");
  /** `maxmemory` in bytes, kept as a field for the same reason. */
  maxmemory: number = this.number("maxmemory");

  /**
   * A directive's value.
   *
   * @param name The directive, lower case.
   * @returns Its value, or undefined when it is not supported.
   */
  get(name: string): string | undefined {
    return this.#d.get(name)?.value;
  }

  /**
   * A numeric directive's value.
   *
   * @param name The directive.
   * @returns The number (0 when unknown).
   */
  number(name: string): number {
    let n = this.#numbers.get(name);
    if (n === undefined) {
      n = Number(this.#d.get(name)?.value ?? 0);
      this.#numbers.set(name, n);
    }
    return n;
  }

  /**
   * Sets a directive after checking its value.
   *
   * @param name The directive (any case).
   * @param value The value.
   * @param running Whether the server runs already (immutable directives are then refused).
   * @throws {ConfigError} For an unknown directive, an immutable one while running, or a bad value.
   */
  set(name: string, value: string, running = false): void {
    const key = name.toLowerCase();
    const d = this.#d.get(key);
    if (d === undefined) throw new ConfigError(`Bad directive or wrong number of arguments`);
    if (running && d.immutable) throw new ConfigError("can't set immutable config");
    d.value = normalize(d.kind, value);
    this.#numbers.delete(key);
    this.version++;
    this.slowlogSlowerThan = this.number("slowlog-log-slower-than");
    this.maxmemory = this.number("maxmemory");
  }

  /**
   * Directives whose names match a glob (`*`, `?`), in table order.
   *
   * @param pattern The glob (CONFIG GET's argument).
   * @returns Name and value pairs.
   */
  matching(pattern: string): [string, string][] {
    const re = new RegExp(
      "^" + pattern.toLowerCase().replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*")
        .replace(/\?/g, ".") +
        "$",
    );
    const found: [string, string][] = [];
    for (const [name, d] of this.#d) if (re.test(name)) found.push([name, d.value]);
    return found;
  }

  /**
   * Applies config file text: one `directive value ...` per line, `#` comments, quoting as
   * redis.conf.
   *
   * @param text The file's text.
   * @throws {ConfigError} With the line number for the first bad line.
   */
  apply(text: string): void {
    const lines = text.split(/\r?\n/);
    lines.forEach((raw, i) => {
      const line = raw.trim();
      if (line === "" || line.startsWith("#")) return;
      const words = splitArgs(new TextEncoder().encode(line));
      if (words === undefined) throw new ConfigError(`line ${i + 1}: Unbalanced quotes`);
      const [name, ...rest] = words.map((w) => new TextDecoder().decode(w));
      try {
        this.set(name, rest.join(" "));
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        throw new ConfigError(`line ${i + 1}: '${line}': ${error.message}`);
      }
    });
  }
}

function normalize(kind: Kind, value: string): string {
  if (kind === "string") return value;
  if (kind === "int") {
    if (!/^-?\d+$/.test(value)) {
      throw new ConfigError(`argument couldn't be parsed into an integer`);
    }
    return String(Number(value));
  }
  if (kind === "memory") {
    const n = parseMemory(value);
    if (n === undefined || n < 0) throw new ConfigError(`argument must be a memory value`);
    return String(n);
  }
  const v = value.toLowerCase();
  if (kind === "bool") {
    if (v !== "yes" && v !== "no") throw new ConfigError(`argument must be 'yes' or 'no'`);
    return v;
  }
  if (!kind.oneOf.includes(v)) {
    throw new ConfigError(`argument(s) must be one of the following: ${kind.oneOf.join(", ")}`);
  }
  return v;
}

/**
 * Turns redis-server style arguments into config text: an optional config file first, then
 * `--directive value ...` groups (a group's values run to the next `--`).
 *
 * @example
 * ```ts
 * import { argsToConfig } from "./config.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(argsToConfig(["redis.conf", "--port", "7000", "--save", ""]), {
 *   file: "redis.conf",
 *   text: 'port "7000"\nsave ""\n',
 * });
 * ```
 *
 * @param args The arguments after `kit redis`.
 * @returns The config file path (if any) and the directives as config text.
 * @throws {ConfigError} When a value comes before any directive.
 */
export function argsToConfig(args: string[]): { file: string | undefined; text: string } {
  let file: string | undefined;
  let i = 0;
  if (args.length > 0 && !args[0].startsWith("--")) file = args[i++];
  let text = "";
  let current: string[] | undefined;
  const end = () => {
    if (current) text += current[0] + current.slice(1).map(quote).join("") + "\n";
  };
  for (; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith("--") && a.length > 2) {
      end();
      current = [a.slice(2)];
    } else if (current === undefined) {
      throw new ConfigError(`unexpected argument '${a}'`);
    } else current.push(a);
  }
  end();
  return { file, text };
}

function quote(s: string): string {
  return ` "${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
