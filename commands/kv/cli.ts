/**
 * `kit kv`: the Bitcask store from the command line, and `kit kv serve`, its RESP server.
 *
 * Stage one (`parseArgs` over `spec`) turns argv into plain values; stage two opens the store
 * (read-only for reads, so they work beside a running server) and runs the handler.
 *
 * @module
 */

import { resolve } from "../../lib/fs/path.ts";
import { type CommandSpec, parseArgs } from "../../lib/cli/args.ts";
import { answerHelp, guard } from "../../lib/cli/command.ts";
import { CliError, ExitCode } from "../../lib/cli/error.ts";
import type { Io } from "../../lib/cli/io.ts";
import { writeJson, writeJsonLines } from "../../lib/cli/json.ts";
import { dataDir } from "../../lib/fs/dirs.ts";
import { type FsyncMode, type Kv, KvError, type KvOp, openKv } from "../../lib/kv/mod.ts";
import { decodeEntry, encodeEntry, type EntryJson } from "./entry_json.ts";
import { serve } from "./server.ts";

const TOOL = "kv";
const VERSION = "0.1.0";
const encoder = new TextEncoder();

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new CliError(`"${value}" is not a whole number`);
  }
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) {
    throw new CliError(`"${value}" is not a positive number of seconds`);
  }
  return n;
}

const JSON_FLAG = { flags: "--json", description: "JSON output (JSON lines for lists)" };
const KEY_ARG = { name: "key", description: "the key", required: true };
const LIST_OPTIONS = [
  { flags: "-n, --limit <n>", description: "at most n entries", parse: wholeNumber },
  { flags: "-k, --keys-only", description: "print keys only" },
  JSON_FLAG,
];

/** The command tree of `kit kv`: parsing, help and completions all come from it. */
export const spec: CommandSpec = {
  name: TOOL,
  aliases: ["cask"],
  description: "Bitcask key-value store: get, set, scan, compact, and a Redis-protocol server",
  options: [{
    flags: "--dir <dir>",
    description: "store folder (default: $KIT_KV_DIR or $XDG_DATA_HOME/kit/kv)",
  }],
  footer: `Values come from the argument, or from standard input when it is omitted or "-".
Reads open the store read-only, so they work while 'kit kv serve' holds it.

Examples:
  kit kv set greeting "hello"
  kit kv set page:1 < page.html --ttl 3600
  kit kv get greeting
  kit kv prefix page: --keys-only
  kit kv export > backup.jsonl && kit kv --dir /tmp/copy import backup.jsonl
  kit kv serve --port 6380 --fsync always    # then: redis-cli -p 6380`,
  commands: [
    {
      name: "get",
      description: "print a key's value (exit 1 when it is missing)",
      arguments: [KEY_ARG],
      options: [JSON_FLAG],
    },
    {
      name: "set",
      description: "store a value",
      arguments: [KEY_ARG, { name: "value", description: "the value; - or none reads stdin" }],
      options: [
        { flags: "--ttl <seconds>", description: "expire after this many seconds", parse: seconds },
        JSON_FLAG,
      ],
    },
    {
      name: "del",
      aliases: ["rm"],
      description: "delete keys (exit 1 when none existed)",
      arguments: [{ name: "keys", description: "the keys", required: true, variadic: true }],
      options: [JSON_FLAG],
    },
    {
      name: "scan",
      description: "entries with START <= key < END in key order",
      arguments: [
        { name: "start", description: "first key (default: the first)" },
        { name: "end", description: "key to stop before (default: none)" },
      ],
      options: [...LIST_OPTIONS, { flags: "-r, --reverse", description: "highest key first" }],
    },
    {
      name: "prefix",
      description: "entries whose key starts with PREFIX, in key order",
      arguments: [{ name: "prefix", description: "the prefix", required: true }],
      options: LIST_OPTIONS,
    },
    { name: "stats", description: "keys, live and dead bytes, segments", options: [JSON_FLAG] },
    {
      name: "compact",
      aliases: ["merge"],
      description: "merge sealed segments, dropping overwritten and deleted records",
      options: [JSON_FLAG],
    },
    {
      name: "import",
      description:
        "load JSON lines ({key, value} or {keyBase64, valueBase64}) from a file or stdin",
      arguments: [{ name: "file", description: "the file; - or none reads stdin" }],
      options: [
        {
          flags: "--batch <n>",
          description: "entries per atomic batch",
          default: 1000,
          parse: wholeNumber,
        },
        JSON_FLAG,
      ],
    },
    {
      name: "export",
      description: "write every entry as JSON lines (what import reads)",
      options: [{ flags: "-p, --prefix <prefix>", description: "only keys with this prefix" }],
    },
    {
      name: "serve",
      description: "serve the store over RESP, for redis-cli and Redis clients",
      options: [
        { flags: "--host <host>", description: "address to bind", default: "127.0.0.1" },
        {
          flags: "-p, --port <port>",
          description: "TCP port (0 picks a free one)",
          default: 6380,
          parse: wholeNumber,
        },
        {
          flags: "--fsync <mode>",
          description: "when a write is acknowledged: always (after fsync), interval, never",
          default: "interval",
          choices: ["always", "interval", "never"],
        },
      ],
    },
  ],
};

interface Context {
  io: Io;
  dir: string;
}

// deno-lint-ignore no-explicit-any
type Options = Record<string, any>;
type Args = (string | string[] | undefined)[];

const HANDLERS: Record<string, (ctx: Context, args: Args, opts: Options) => Promise<number>> = {
  get: (ctx, [key], opts) => cmdGet(ctx, key as string, opts),
  set: (ctx, [key, value], opts) => cmdSet(ctx, key as string, value as string | undefined, opts),
  del: (ctx, [keys], opts) => cmdDel(ctx, keys as string[], opts),
  scan: (ctx, [start, end], opts) =>
    cmdList(ctx, (kv, o) => kv.scan(start as string ?? null, end as string ?? null, o), opts),
  prefix: (ctx, [prefix], opts) => cmdList(ctx, (kv, o) => kv.prefix(prefix as string, o), opts),
  stats: (ctx, _, opts) => cmdStats(ctx, opts),
  compact: (ctx, _, opts) => cmdCompact(ctx, opts),
  import: (ctx, [file], opts) => cmdImport(ctx, file as string | undefined, opts),
  export: (ctx, _, opts) => cmdExport(ctx, opts),
  serve: (ctx, _, opts) => cmdServe(ctx, opts),
};

/**
 * Runs `kit kv`.
 *
 * @param args Arguments after `kv`.
 * @param io Streams and environment.
 * @returns The exit code.
 */
export async function main(args: string[], io: Io): Promise<number> {
  return await guard(TOOL, io, async () => {
    const parsed = parseArgs(spec, args);
    const helped = await answerHelp(io, spec, parsed);
    if (helped !== null) return helped;
    const dir = resolve(
      io.cwd,
      dataDir(TOOL, {
        env: io.env,
        flag: parsed.options.dir as string | undefined,
        envVar: "KIT_KV_DIR",
      }),
    );
    try {
      return await HANDLERS[parsed.path[0]]({ io, dir }, parsed.args, parsed.options);
    } catch (error) {
      throw explain(error);
    }
  });
}

function explain(error: unknown): unknown {
  if (error instanceof KvError && error.kind === "locked") {
    return new CliError(error.message, {
      hint:
        "another process writes to this store; if it is 'kit kv serve', talk to it with redis-cli",
    });
  }
  return error;
}

/** Opens the store; a missing folder reads as an empty store. */
async function open(ctx: Context, readOnly: boolean, fsync?: FsyncMode): Promise<Kv | undefined> {
  try {
    const kv = await openKv(ctx.dir, { readOnly, fsync });
    for (const w of kv.warnings) {
      await ctx.io.stderr.write(`kit kv: warning: ${w.message}\n`);
    }
    return kv;
  } catch (error) {
    if (readOnly && error instanceof KvError && error.kind === "not-found") return undefined;
    throw error;
  }
}

async function withKv<T>(
  ctx: Context,
  readOnly: boolean,
  work: (kv: Kv | undefined) => Promise<T>,
): Promise<T> {
  const kv = await open(ctx, readOnly);
  try {
    return await work(kv);
  } finally {
    await kv?.close();
  }
}

async function cmdGet(ctx: Context, key: string, opts: Options): Promise<number> {
  return await withKv(ctx, true, async (kv) => {
    const value = kv?.get(key) ?? null;
    if (value === null) {
      throw new CliError(`No key "${key}"`, { exitCode: ExitCode.NotFound });
    }
    if (opts.json) {
      await writeJson(ctx.io, encodeEntry(encoder.encode(key), value, kv!.expiresAt(key) ?? null));
    } else {
      await ctx.io.stdout.write(value);
      // A terminal prompt would land after the value; in a pipe the bytes are exact.
      if (ctx.io.isTerminal.stdout) await ctx.io.stdout.write("\n");
    }
    return ExitCode.Ok;
  });
}

async function readStdin(io: Io): Promise<Uint8Array> {
  return new Uint8Array(await new Response(io.stdin).arrayBuffer());
}

async function cmdSet(
  ctx: Context,
  key: string,
  value: string | undefined,
  opts: Options,
): Promise<number> {
  const bytes = value === undefined || value === "-"
    ? await readStdin(ctx.io)
    : encoder.encode(value);
  return await withKv(ctx, false, async (kv) => {
    const ttlMs = opts.ttl === undefined ? undefined : Math.round(opts.ttl * 1000);
    await kv!.set(key, bytes, ttlMs === undefined ? undefined : { ttlMs });
    if (opts.json) await writeJson(ctx.io, { key, bytes: bytes.length, ttlMs: ttlMs ?? null });
    return ExitCode.Ok;
  });
}

async function cmdDel(ctx: Context, keys: string[], opts: Options): Promise<number> {
  return await withKv(ctx, false, async (kv) => {
    const present = [...new Set(keys)].filter((k) => kv!.has(k));
    if (present.length > 0) await kv!.batch(present.map((key): KvOp => ({ type: "delete", key })));
    if (opts.json) await writeJson(ctx.io, { deleted: present.length });
    if (present.length === 0) {
      throw new CliError(keys.length === 1 ? `No key "${keys[0]}"` : "None of the keys exist", {
        exitCode: ExitCode.NotFound,
      });
    }
    return ExitCode.Ok;
  });
}

type Entries = (kv: Kv, options: { limit?: number; reverse?: boolean }) => Iterable<
  { key: Uint8Array; value: Uint8Array; expiresAt: number | null }
>;

async function cmdList(ctx: Context, entries: Entries, opts: Options): Promise<number> {
  return await withKv(ctx, true, async (kv) => {
    if (kv === undefined) return ExitCode.Ok;
    const list = entries(kv, { limit: opts.limit, reverse: opts.reverse });
    if (opts.json) {
      await writeJsonLines(
        ctx.io,
        map(
          list,
          (e) => opts.keysOnly ? encodeEntry(e.key) : encodeEntry(e.key, e.value, e.expiresAt),
        ),
      );
      return ExitCode.Ok;
    }
    const decoder = new TextDecoder();
    let batch = "";
    for (const e of list) {
      batch += opts.keysOnly
        ? `${printable(decoder.decode(e.key))}\n`
        : `${printable(decoder.decode(e.key))}\t${printable(decoder.decode(e.value))}\n`;
      if (batch.length > 64 * 1024) {
        await ctx.io.stdout.write(batch);
        batch = "";
      }
    }
    if (batch) await ctx.io.stdout.write(batch);
    return ExitCode.Ok;
  });
}

function* map<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

/** One line per entry: tabs and newlines inside keys or values are shown escaped. */
function printable(text: string): string {
  return text.replace(
    /[\t\n\r\\]/g,
    (c) => ({ "\t": "\\t", "\n": "\\n", "\r": "\\r", "\\": "\\\\" })[c]!,
  );
}

async function cmdStats(ctx: Context, opts: Options): Promise<number> {
  return await withKv(ctx, true, async (kv) => {
    const stats = kv?.stats() ?? { keys: 0, liveBytes: 0, deadBytes: 0, segments: 0 };
    const report = { dir: ctx.dir, ...stats };
    if (opts.json) {
      await writeJson(ctx.io, report);
    } else {
      // A read-only open has no active segment or fsync mode: those rows are left out.
      const rows = Object.entries(report)
        .filter(([, v]) => v !== undefined && v !== null && v !== "")
        .map(([k, v]) => [k, String(v)]);
      const width = Math.max(...rows.map(([k]) => k.length));
      await ctx.io.stdout.write(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}\n`).join(""));
    }
    return ExitCode.Ok;
  });
}

async function cmdCompact(ctx: Context, opts: Options): Promise<number> {
  return await withKv(ctx, false, async (kv) => {
    const result = await kv!.merge();
    if (opts.json) await writeJson(ctx.io, result);
    else {
      await ctx.io.stderr.write(
        `kit kv: merged ${result.segmentsIn} segments into ${result.segmentsOut}: ` +
          `${result.bytesBefore} → ${result.bytesAfter} bytes\n`,
      );
    }
    return ExitCode.Ok;
  });
}

async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let rest = "";
  const decoder = new TextDecoder();
  for await (const bytes of stream) {
    const parts = (rest + decoder.decode(bytes, { stream: true })).split("\n");
    rest = parts.pop()!;
    yield* parts;
  }
  rest += decoder.decode();
  if (rest) yield rest;
}

async function cmdImport(ctx: Context, file: string | undefined, opts: Options): Promise<number> {
  let stream: ReadableStream<Uint8Array>;
  if (file === undefined || file === "-") stream = ctx.io.stdin;
  else stream = (await Deno.open(resolve(ctx.io.cwd, file))).readable;
  return await withKv(ctx, false, async (kv) => {
    let ops: KvOp[] = [];
    let count = 0;
    let lineNo = 0;
    try {
      for await (const line of lines(stream)) {
        lineNo++;
        if (line.trim() === "") continue;
        let entry: EntryJson;
        try {
          entry = JSON.parse(line);
        } catch {
          throw new CliError(`Line ${lineNo} is not JSON`);
        }
        const { key, value, expiresAt } = decodeEntry(entry, lineNo);
        ops.push(
          expiresAt === null ? { type: "set", key, value } : { type: "set", key, value, expiresAt },
        );
        if (ops.length >= opts.batch) {
          await kv!.batch(ops);
          count += ops.length;
          ops = [];
        }
      }
      if (ops.length > 0) await kv!.batch(ops);
      count += ops.length;
    } finally {
      await stream.cancel().catch(() => {});
    }
    if (opts.json) await writeJson(ctx.io, { imported: count });
    else await ctx.io.stderr.write(`kit kv: imported ${count} entries\n`);
    return ExitCode.Ok;
  });
}

async function cmdExport(ctx: Context, opts: Options): Promise<number> {
  return await withKv(ctx, true, async (kv) => {
    if (kv === undefined) return ExitCode.Ok;
    const entries = opts.prefix === undefined ? kv.scan(null, null) : kv.prefix(opts.prefix);
    await writeJsonLines(ctx.io, map(entries, (e) => encodeEntry(e.key, e.value, e.expiresAt)));
    return ExitCode.Ok;
  });
}

async function cmdServe(ctx: Context, opts: Options): Promise<number> {
  const { io } = ctx;
  const kv = (await open(ctx, false, opts.fsync as FsyncMode))!;
  const log = (line: string) => io.stderr.write(`kit kv: ${line}\n`).catch(() => {});
  let listener: Deno.Listener;
  try {
    listener = Deno.listen({ hostname: opts.host, port: opts.port });
  } catch (error) {
    await kv.close();
    if (error instanceof Deno.errors.AddrInUse) {
      throw new CliError(`Cannot listen on ${opts.host}:${opts.port}: the address is in use`, {
        hint: "pick another with --port",
      });
    }
    throw error;
  }
  const controller = new AbortController();
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  const onSignal = () => controller.abort();
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  const addr = listener.addr as Deno.NetAddr;
  await log(
    `listening on ${addr.hostname}:${addr.port} (store ${ctx.dir}, fsync ${opts.fsync})`,
  );
  try {
    await serve(listener, {
      kv,
      signal: controller.signal,
      log,
      fsync: opts.fsync,
      dir: ctx.dir,
      version: VERSION,
    });
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
    await kv.close();
  }
  await log("stopped; store flushed");
  return ExitCode.Ok;
}
