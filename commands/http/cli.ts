/**
 * `kit http`: httpie's command line over kit's own HTTP/1.1 client.
 *
 * Stage one ({@linkcode parseHttpArgs}) turns argv into plain values; stage two resolves the
 * request items (reading `@file`s and standard input) into a {@linkcode RequestSpec}, merges
 * the session, and hands it to the client. The same spec path serves `replay` (from the
 * history) and `run` (from a collection). Printing is `printer.ts`'s; this file only decides
 * what goes where.
 *
 * @module
 */

import { type CommandSpec, formatHelp, type OptionSpec, parseArgs } from "../../lib/cli/args.ts";
import { type Palette, palette, useColor } from "../../lib/cli/color.ts";
import { guard } from "../../lib/cli/command.ts";
import { CliError, describeOsError, ExitCode } from "../../lib/cli/error.ts";
import type { Io, Writer } from "../../lib/cli/io.ts";
import { writeJsonLines } from "../../lib/cli/json.ts";
import { Progress } from "../../lib/cli/progress.ts";
import { promptText } from "../../lib/cli/prompt.ts";
import { parseYaml, stringifyYaml } from "../../lib/deps/yaml.ts";
import { dataDir } from "../../lib/fs/dirs.ts";
import { join, resolve } from "../../lib/fs/path.ts";
import {
  type ClientOptions,
  HttpClient,
  type HttpResponse,
  type RequestBuilder,
  type SentRequest,
  type TlsOptions,
} from "../../lib/http/client.ts";
import { CookieJar } from "../../lib/http/cookies.ts";
import { HttpError } from "../../lib/http/errors.ts";
import { openEditor } from "../../lib/cli/editor.ts";
import { promptPassword } from "./_password.ts";
import {
  checkExpectations,
  type Collection,
  CollectionError,
  fillTemplate,
  fromSaved,
  loadCollection,
  parseExpectJson,
  saveCollection,
  TemplateError,
  toSaved,
} from "./collections.ts";
import {
  downloadFilename,
  ResumeError,
  type ResumePlan,
  resumePlan,
  uniqueFilename,
} from "./download.ts";
import {
  type FlagDef,
  FLAGS,
  type HttpArgs,
  parseFlags,
  parseHttpArgs,
  type Pretty,
  printWhat,
  REPLAY_FLAGS,
  RUN_FLAGS,
  SAVE_FLAGS,
} from "./flags.ts";
import {
  formatHistoryLine,
  History,
  HISTORY_DEFAULTS,
  historyEntry,
  HistoryEntryNotFoundError,
} from "./history.ts";
import { ItemSyntaxError, NestedKeySyntaxError, resolveItems } from "./items.ts";
import {
  BINARY_NOTICE,
  formatBody,
  formatMeta,
  formatRequestHead,
  formatResponseHead,
  formatTiming,
  isBinary,
} from "./printer.ts";
import {
  applySpec,
  buildRequestSpec,
  normalizeUrl,
  type RequestSpec,
  RequestSpecError,
} from "./request_spec.ts";
import { Session, SessionFileError, sessionPath } from "./session.ts";

const TOOL = "http";

/** httpie's exit codes for `--check-status` and network failures. */
const EXIT = { error: 1, timeout: 2, redirect: 3, client: 4, server: 5, tooManyRedirects: 6 };

function toOption(f: FlagDef): OptionSpec {
  return {
    flags: `${f.short ? `-${f.short}, ` : ""}--${f.long}${f.value ? ` <${f.value}>` : ""}`,
    description: f.help,
    choices: f.choices,
  };
}

/** The command tree, for `kit help http` and shell completions. */
export const spec: CommandSpec = {
  name: TOOL,
  aliases: ["hurl"],
  description: "HTTP client with httpie's syntax: [METHOD] URL [ITEM...]",
  options: FLAGS.map(toOption),
  arguments: [
    { name: "method", description: "GET, POST, PUT… (default: GET, or POST with data)" },
    { name: "url", description: "the URL; :8080/x means http://localhost:8080/x" },
    {
      name: "item",
      description: "Header:Value, name=value, name:=json, q==v, f@file",
      variadic: true,
    },
  ],
  commands: [
    {
      name: "history",
      description: "list the recorded requests, newest last",
      options: [
        { flags: "-n, --limit <n>", description: "show the last n (default 20)" },
        { flags: "--json", description: "JSON lines" },
      ],
    },
    {
      name: "replay",
      description: "send a recorded request again",
      arguments: [{ name: "n", description: "its number in 'kit http history' (default: last)" }],
      options: REPLAY_FLAGS.map(toOption),
    },
    {
      name: "save",
      description: "save a request under a name in a collection",
      arguments: [
        { name: "name", description: "the name", required: true },
        { name: "request", description: "[METHOD] URL [ITEM...] as for a request", variadic: true },
      ],
      options: SAVE_FLAGS.map(toOption),
    },
    {
      name: "run",
      description: "run one saved request or a whole collection, checking expectations",
      arguments: [{ name: "target", description: "a request name or a collection file" }],
      options: RUN_FLAGS.map(toOption),
    },
    {
      name: "collections",
      description: "list the saved requests",
      options: [RUN_FLAGS[0]].map(toOption),
    },
  ],
};

function help(): string {
  const sections: [FlagDef["section"], string][] = [
    ["body", "Request body"],
    ["output", "Output"],
    ["network", "Network"],
    ["auth", "Authentication"],
    ["session", "Sessions and history"],
  ];
  const rows = (flags: readonly FlagDef[]) => {
    const cells = flags.map((f) => [toOption(f).flags, f.help]);
    const width = Math.min(30, Math.max(...cells.map(([a]) => a.length)));
    return cells.map(([a, b]) =>
      a.length > width ? `  ${a}\n  ${" ".repeat(width)}  ${b}` : `  ${a.padEnd(width)}  ${b}`
    ).join("\n");
  };
  const parts = [
    `${spec.description}

Usage: kit http [options] [METHOD] URL [ITEM...]
       kit http history|replay|save|run|collections ...

Request items:
  Header:Value     a request header (Header: drops a default one, Header; sends it empty)
  name==value      a query parameter (name==@file reads the value from a file)
  name=value       a JSON string field, or a form field with --form (name=@file: from a file)
  name:=json       a raw JSON value (name:=@file: JSON from a file); a[b]=1, a[]=1 nest
  field@file       a file upload (multipart form; field@file;type=mime sets its type)
  A backslash escapes a separator: a\\:b=c is the field "a:b".`,
    ...sections.map(([section, title]) =>
      `${title}:\n${rows(FLAGS.filter((f) => f.section === section))}`
    ),
    `Commands:
  history [-n N] [--json]          the recorded requests, newest last
  replay [N] [--edit]              send request N of the history again
  save NAME [METHOD] URL [ITEM...] save a request (--collection, --expect-status, --expect-json)
  run [NAME|FILE] [--env E]        run saved requests and check their expectations
  collections                      list the saved requests

Exit status: 0 on success; with --check-status 3, 4 or 5 for a 3xx, 4xx or 5xx answer;
2 for a timeout or a usage error, 6 for too many redirects, 1 for other errors.

Examples:
  kit http :8080/users                  GET http://localhost:8080/users
  kit http POST example.org/api name=ann age:=29 X-Token:abc
  kit http -f POST example.org/upload file@photo.jpg
  kit http -d example.org/big.iso       download with a progress bar`,
  ];
  return parts.join("\n\n") + "\n";
}

/** What every subcommand needs. */
interface Context {
  io: Io;
  /** The data folder (history, sessions, the default collection). */
  dir: string;
  history: History;
}

/**
 * Runs `kit http`.
 *
 * @param args Arguments after `http`.
 * @param io Streams and environment.
 * @returns The exit code.
 */
export async function main(args: string[], io: Io): Promise<number> {
  return await guard(TOOL, io, async () => {
    if (args.length === 0) {
      await io.stderr.write(help());
      return ExitCode.Usage;
    }
    const dir = resolve(io.cwd, dataDir(TOOL, { env: io.env, envVar: "KIT_HTTP_DIR" }));
    const max = Number(io.env("KIT_HTTP_HISTORY_SIZE"));
    const ctx: Context = {
      io,
      dir,
      history: new History(join(dir, "history.jsonl"), {
        max: Number.isInteger(max) && max > 0 ? max : HISTORY_DEFAULTS.max,
      }),
    };
    try {
      switch (args[0]) {
        case "history":
          return await cmdHistory(ctx, args.slice(1));
        case "replay":
          return await cmdReplay(ctx, args.slice(1));
        case "save":
          return await cmdSave(ctx, args.slice(1));
        case "run":
          return await cmdRun(ctx, args.slice(1));
        case "collections":
          return await cmdRun(ctx, ["--list", ...args.slice(1)]);
      }
      const parsed = parseHttpArgs(args);
      if (parsed.help) {
        await io.stdout.write(help());
        return ExitCode.Ok;
      }
      return await cmdRequest(ctx, parsed);
    } catch (error) {
      throw explain(error);
    }
  });
}

/** Turns engine and client errors into kit's error line and httpie's exit codes. */
function explain(error: unknown): unknown {
  if (error instanceof CliError) return error;
  if (error instanceof HttpError) {
    switch (error.kind) {
      case "timeout":
        return new CliError(error.message, {
          exitCode: EXIT.timeout,
          hint: "raise --timeout SECONDS",
        });
      case "too-many-redirects":
        return new CliError(error.message, {
          exitCode: EXIT.tooManyRedirects,
          hint: "raise --max-redirects",
        });
      case "certificate":
      case "tls":
        return new CliError(error.message, {
          exitCode: EXIT.error,
          hint: "--verify=CA_FILE trusts another CA; --verify=no skips the check",
        });
      case "invalid-request":
        return new CliError(error.message, { exitCode: ExitCode.Usage });
      default:
        return new CliError(error.message, { exitCode: EXIT.error });
    }
  }
  if (
    error instanceof RequestSpecError || error instanceof ItemSyntaxError ||
    error instanceof NestedKeySyntaxError
  ) {
    return new CliError(error.message, { exitCode: ExitCode.Usage });
  }
  if (error instanceof TemplateError) {
    return new CliError(error.message, {
      exitCode: EXIT.error,
      hint: "define it under environments: in the collection and pass --env NAME",
    });
  }
  if (
    error instanceof SessionFileError || error instanceof CollectionError ||
    error instanceof HistoryEntryNotFoundError || error instanceof ResumeError
  ) {
    return new CliError(error.message, { exitCode: EXIT.error });
  }
  if (error instanceof Error && !(error.name === "BrokenPipeError")) {
    return new CliError(describeOsError(error.message), { exitCode: EXIT.error, cause: error });
  }
  return error;
}

// ---------------------------------------------------------------------------------------------
// A request from the command line.

async function specFromArgs(
  ctx: Context,
  args: HttpArgs,
  options: { keepTemplates?: boolean } = {},
): Promise<{ spec: RequestSpec; cliHeaders: [string, string | null][] }> {
  const { io } = ctx;
  const items = await resolveItems(args.items, {
    readTextFile: (path) => Deno.readTextFile(resolve(io.cwd, path)),
  });
  items.files = items.files.map((f) => ({ ...f, path: resolve(io.cwd, f.path) }));
  let stdin: Uint8Array | null = null;
  if (
    !args.ignoreStdin && !io.isTerminal.stdin && args.raw === undefined &&
    items.data.length === 0 && items.files.length === 0
  ) {
    stdin = new Uint8Array(await new Response(io.stdin).arrayBuffer());
  }
  const spec = buildRequestSpec(args, items, {
    stdin,
    rawUrl: options.keepTemplates && args.url.includes("{{"),
  });
  return { spec, cliHeaders: items.headers };
}

async function cmdRequest(ctx: Context, args: HttpArgs): Promise<number> {
  const { spec, cliHeaders } = await specFromArgs(ctx, args);
  return await exchange(ctx, spec, args, cliHeaders);
}

// ---------------------------------------------------------------------------------------------
// Client set-up shared by a request, replay and run.

type Credentials =
  | { type: "basic" | "digest"; user: string; password: string }
  | { type: "bearer"; token: string };

async function credentials(
  io: Io,
  type: string,
  raw: string,
): Promise<Credentials> {
  if (type === "bearer") return { type, token: raw };
  const colon = raw.indexOf(":");
  if (colon !== -1) {
    return {
      type: type as "basic" | "digest",
      user: raw.slice(0, colon),
      password: raw.slice(colon + 1),
    };
  }
  const password = await promptPassword(io, `http: password for ${raw}: `) ??
    await promptText(io, `Password for ${raw}:`);
  if (password === undefined) {
    throw new CliError(`--auth "${raw}" has no password and there is no terminal to ask on`, {
      hint: "give it as --auth USER:PASSWORD",
    });
  }
  return { type: type as "basic" | "digest", user: raw, password };
}

function applyCredentials(builder: RequestBuilder, creds: Credentials | undefined): void {
  if (!creds) return;
  if (creds.type === "bearer") builder.bearerAuth(creds.token);
  else if (creds.type === "digest") builder.digestAuth(creds.user, creds.password);
  else builder.basicAuth(creds.user, creds.password);
}

async function clientOptions(
  io: Io,
  args: HttpArgs,
  url: URL,
  jar: CookieJar | null,
): Promise<ClientOptions> {
  const tls: TlsOptions = {};
  const verify = args.verify.toLowerCase();
  if (verify === "no" || verify === "false") tls.insecure = true;
  else if (verify !== "yes" && verify !== "true") {
    tls.caCerts = [await Deno.readTextFile(resolve(io.cwd, args.verify))];
  }
  if (args.cert) {
    tls.cert = await Deno.readTextFile(resolve(io.cwd, args.cert));
    tls.key = args.certKey ? await Deno.readTextFile(resolve(io.cwd, args.certKey)) : tls.cert;
  }
  const scheme = url.protocol.replace(":", "");
  const proxy = args.proxy.map((p) => [p.slice(0, p.indexOf(":")), p.slice(p.indexOf(":") + 1)])
    .find(([s]) => s.toLowerCase() === scheme || s.toLowerCase() === "all");
  const ms = args.timeout !== undefined ? Math.round(args.timeout * 1000) : undefined;
  return {
    tls,
    proxy: proxy ? proxy[1] : "env",
    follow: args.follow || args.download,
    maxRedirects: args.maxRedirects,
    cookieJar: jar,
    env: io.env,
    ...(ms !== undefined ? { timeouts: { connect: ms, tls: ms, headers: ms, body: ms } } : {}),
  };
}

/** Splits `user:pass@` off a URL: the client gets the credentials as an Authorization header. */
function urlCredentials(spec: RequestSpec): { spec: RequestSpec; raw?: string } {
  const url = new URL(spec.url);
  if (!url.username && !url.password) return { spec };
  const raw = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = "";
  url.password = "";
  return { spec: { ...spec, url: url.href }, raw };
}

// ---------------------------------------------------------------------------------------------
// Output.

interface Output {
  /** Where messages go. */
  out: Writer;
  /** Whether `out` is a terminal. */
  tty: boolean;
  /** Colours for `out`. */
  colors: Palette;
  /** Re-indent JSON. */
  format: boolean;
  /** Colours for stderr. */
  errColors: Palette;
  close(): void;
}

async function openOutput(io: Io, args: HttpArgs): Promise<Output> {
  let out: Writer = io.stdout;
  let tty = io.isTerminal.stdout;
  let close = () => {};
  if (args.output !== undefined && !args.download) {
    const file = await Deno.open(resolve(io.cwd, args.output), {
      write: true,
      create: true,
      truncate: true,
    });
    out = fileWriter(file);
    tty = false;
    close = () => file.close();
  }
  const pretty: Pretty = args.pretty ??
    (tty ? "all" : args.color === "always" ? "colors" : "none");
  const colorOn = (pretty === "all" || pretty === "colors") &&
    useColor({
      mode: args.color,
      isTerminal: args.pretty !== undefined || tty,
      env: io.env,
    });
  return {
    out,
    tty,
    colors: palette(colorOn),
    format: pretty === "all" || pretty === "format",
    errColors: palette(
      useColor({ mode: args.color, isTerminal: io.isTerminal.stderr, env: io.env }),
    ),
    close,
  };
}

function fileWriter(file: Deno.FsFile): Writer {
  const encoder = new TextEncoder();
  return {
    async write(data) {
      let bytes = typeof data === "string" ? encoder.encode(data) : data;
      while (bytes.length > 0) bytes = bytes.subarray(await file.write(bytes));
    },
  };
}

/**
 * httpie's blank lines between messages: on a terminal each message with a body part ends in
 * two newlines; redirected, two newlines go between a message with a body part and the next.
 */
class MessageSeparator {
  #previousBody = false;
  readonly #output: Output;

  constructor(output: Output) {
    this.#output = output;
  }

  async begin(): Promise<void> {
    if (!this.#output.tty && this.#previousBody) await this.#output.out.write("\n\n");
    this.#previousBody = false;
  }

  async end(withBody: boolean): Promise<void> {
    if (this.#output.tty && withBody) await this.#output.out.write("\n\n");
    this.#previousBody = withBody;
  }
}

function headerValue(headers: [string, string][], name: string): string | null {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1] ?? null;
}

async function printRequest(
  output: Output,
  sep: MessageSeparator,
  sent: SentRequest,
  what: { headers: boolean; body: boolean },
  rawHead?: Uint8Array,
): Promise<void> {
  if (!what.headers && !what.body) return;
  await sep.begin();
  if (what.headers) {
    if (rawHead && !output.format && !output.colors.enabled) await output.out.write(rawHead);
    else {
      await output.out.write(
        formatRequestHead(
          {
            method: sent.method,
            target: sent.target,
            version: sent.version,
            headers: sent.headers,
          },
          output,
        ),
      );
    }
  }
  if (what.body && sent.body && sent.body.length > 0) {
    if (output.tty && isBinary(sent.body)) await output.out.write(BINARY_NOTICE);
    else if (output.format || output.colors.enabled) {
      await output.out.write(
        formatBody(sent.body, {
          ...output,
          contentType: headerValue(sent.headers, "content-type"),
        }),
      );
    } else await output.out.write(sent.body);
  }
  await sep.end(what.body);
}

function responseHead(res: HttpResponse) {
  return {
    version: res.version,
    status: res.status,
    reason: res.reason,
    headers: res.headers.entries(),
  };
}

/** Prints (or drains) a response body; returns the number of bytes read. */
async function printResponseBody(
  output: Output,
  res: HttpResponse,
  args: HttpArgs,
  show: boolean,
): Promise<number> {
  if (!show) {
    let size = 0;
    for await (const chunk of res.chunks()) size += chunk.length;
    return size;
  }
  const contentType = res.headers.get("content-type");
  if ((output.format || output.colors.enabled) && !args.stream) {
    const bytes = await res.bytes();
    if (output.tty && isBinary(bytes)) await output.out.write(BINARY_NOTICE);
    else {
      await output.out.write(
        formatBody(bytes, { ...output, contentType, explicitJson: args.explicitJson }),
      );
    }
    return bytes.length;
  }
  // chunks() reuses one buffer: each chunk is written before the next is read, so a body of
  // any size streams through bounded memory.
  let size = 0;
  let first = true;
  for await (const chunk of res.chunks()) {
    size += chunk.length;
    if (first && output.tty && isBinary(chunk)) {
      await output.out.write(BINARY_NOTICE);
      break; // leaving the loop drops the rest of the body
    }
    first = false;
    await output.out.write(chunk);
  }
  return size;
}

function statusExit(status: number, follow: boolean): number {
  if (status >= 300 && status < 400 && !follow) return EXIT.redirect;
  if (status >= 400 && status < 500) return EXIT.client;
  if (status >= 500 && status < 600) return EXIT.server;
  return ExitCode.Ok;
}

// ---------------------------------------------------------------------------------------------
// One exchange: session, client, printing, download, history.

async function exchange(
  ctx: Context,
  requested: RequestSpec,
  args: HttpArgs,
  cliHeaders: [string, string | null][] = [],
): Promise<number> {
  const { io } = ctx;
  const fromUrl = urlCredentials({ ...requested, url: normalizeUrl(requested.url) });
  let spec = fromUrl.spec;
  const url = new URL(spec.url);

  // Session: stored headers under the command line's, cookies into the jar.
  const sessionName = args.session ?? args.sessionReadOnly;
  let session: Session | undefined;
  let sessionFile: string | undefined;
  const jar = new CookieJar();
  if (sessionName !== undefined) {
    sessionFile = sessionPath(sessionName, url, { dir: ctx.dir, cwd: io.cwd });
    session = await Session.load(sessionFile);
    for (const cookie of CookieJar.fromJSON(session.cookies).toJSON()) jar.set(cookie);
    const merged = session.requestHeaders(spec.headers, spec.unset);
    // Cookie headers go through the jar, so the client sends one Cookie header.
    const cookies = new Session().updateHeaders(merged.filter(([n]) => /^cookie$/i.test(n)));
    for (const [name, value] of cookies) jar.set({ name, value, domain: url.hostname });
    spec = { ...spec, headers: merged.filter(([n]) => !/^cookie$/i.test(n)) };
  }
  const rawAuth = args.auth ?? fromUrl.raw ?? session?.auth?.raw;
  const authType = args.auth !== undefined || fromUrl.raw !== undefined
    ? (fromUrl.raw !== undefined && args.auth === undefined ? "basic" : args.authType)
    : session?.auth?.type ?? "basic";
  const creds = rawAuth !== undefined ? await credentials(io, authType, rawAuth) : undefined;

  const output = await openOutput(io, args);
  const client = new HttpClient(await clientOptions(io, args, url, jar));
  try {
    const builder = client.request(spec.method, url);
    applySpec(builder, spec);
    applyCredentials(builder, creds);
    if (args.follow || args.download) builder.follow(args.maxRedirects);

    // Download resume: ask for the rest of the file, and for it unencoded so sizes add up.
    let have = 0;
    if (args.download) {
      if (args.continue && args.output) {
        have = await Deno.stat(resolve(io.cwd, args.output)).then((s) => s.size, () => 0);
      }
      if (have > 0) builder.header("Range", `bytes=${have}-`);
      if (!spec.headers.some(([n]) => /^accept-encoding$/i.test(n))) {
        builder.header("Accept-Encoding", "identity");
      }
    }

    const what = printWhat(args, output.tty);
    const sep = new MessageSeparator(output);
    const events: ({ sent: SentRequest } | { res: HttpResponse })[] = [];
    builder.onRequest((sent) => void events.push({ sent }));
    builder.onResponse((res) => void events.push({ res }));

    if (args.offline) {
      const built = await builder.build();
      await printRequest(
        output,
        sep,
        { ...built.sent, body: built.body ?? built.sent.body },
        { headers: what.requestHeaders, body: what.requestBody },
        built.head,
      );
      return ExitCode.Ok;
    }

    const started = io.now();
    let res: HttpResponse;
    try {
      res = await builder.send();
    } catch (error) {
      await record(ctx, args, spec, events, started, { error });
      throw error;
    }

    // Intermediate exchanges (redirect hops, the 401 before digest) in the order they happened.
    const headStream = args.download
      ? { ...output, out: io.stderr, tty: io.isTerminal.stderr }
      : output;
    const headSep = args.download ? new MessageSeparator(headStream) : sep;
    for (const event of events) {
      if ("sent" in event) {
        await printRequest(headStream, headSep, event.sent, {
          headers: what.requestHeaders,
          body: what.requestBody,
        });
      } else if (event.res !== res && (what.responseHeaders && args.verbose > 0)) {
        await headSep.begin();
        await headStream.out.write(formatResponseHead(responseHead(event.res), headStream));
        await headSep.end(false);
      }
    }

    let size: number;
    let complete = false;
    if (args.download) {
      if (what.responseHeaders) {
        await headSep.begin();
        await headStream.out.write(formatResponseHead(responseHead(res), headStream));
        await headSep.end(false);
      }
      ({ size, complete } = await download(ctx, args, res, have, output));
    } else {
      if (what.responseHeaders || what.responseBody) await sep.begin();
      if (what.responseHeaders) {
        await output.out.write(formatResponseHead(responseHead(res), output));
      }
      size = await printResponseBody(output, res, args, what.responseBody);
      if (what.responseHeaders || what.responseBody) await sep.end(what.responseBody);
    }
    const timing = await res.done;
    if (what.meta) await output.out.write(formatMeta({ elapsedMs: timing.total }, output));
    if (args.timing) {
      await io.stderr.write(formatTiming({ ...timing, size }, { colors: output.errColors }));
    }

    await record(ctx, args, spec, events, started, { res, timing });
    if (session && sessionFile && args.session !== undefined) {
      session.cookies = jar.toJSON();
      session.updateHeaders(cliHeaders.filter(([n]) => !/^cookie$/i.test(n)));
      if (args.auth !== undefined) session.auth = { type: args.authType, raw: rawAuth! };
      await session.save(sessionFile);
    }

    if ((args.checkStatus || args.download) && !complete) {
      const code = statusExit(res.status, args.follow || args.download);
      if (code !== ExitCode.Ok && args.quiet < 2 && !(output.tty && !args.download)) {
        await io.stderr.write(
          `${output.errColors.yellow("kit http: warning:")} HTTP ${res.status} ${res.reason}\n`,
        );
      }
      return code;
    }
    return ExitCode.Ok;
  } finally {
    client.close();
    output.close();
  }
}

async function record(
  ctx: Context,
  args: HttpArgs,
  spec: RequestSpec,
  events: ({ sent: SentRequest } | { res: HttpResponse })[],
  started: Date,
  outcome: { res?: HttpResponse; timing?: { total: number; firstByte: number }; error?: unknown },
): Promise<void> {
  if (!args.history) return;
  const first = events.find((e): e is { sent: SentRequest } => "sent" in e)?.sent;
  const sent = first ?? {
    method: spec.method,
    url: new URL(spec.url),
    headers: [],
    body: null,
    bodyLength: null,
  };
  try {
    await ctx.history.append(historyEntry({
      time: started,
      sent,
      spec,
      response: outcome.res
        ? { status: outcome.res.status, reason: outcome.res.reason }
        : undefined,
      error: outcome.error instanceof Error ? outcome.error.message : undefined,
      timing: outcome.timing
        ? { total: outcome.timing.total, firstByte: outcome.timing.firstByte }
        : undefined,
    }));
  } catch (error) {
    // The history is a convenience: failing to write it must not fail the request.
    await ctx.io.stderr.write(
      `kit http: warning: cannot record the request: ${(error as Error).message}\n`,
    );
  }
}

async function download(
  ctx: Context,
  args: HttpArgs,
  res: HttpResponse,
  have: number,
  output: Output,
): Promise<{ size: number; complete: boolean }> {
  const { io } = ctx;
  const ok = res.status >= 200 && res.status < 300;
  if (!ok && !(res.status === 416 && have > 0)) {
    let size = 0;
    for await (const chunk of res.chunks()) size += chunk.length;
    return { size, complete: false };
  }
  let plan: ResumePlan = { action: "restart" };
  if (have > 0) plan = resumePlan(have, res.status, res.headers.get("content-range"));
  if (plan.action === "complete") {
    await res.cancel();
    if (args.quiet === 0) await io.stderr.write(`"${args.output}" is already complete\n`);
    return { size: 0, complete: true };
  }
  const length = Number(res.headers.get("content-length") ?? NaN);
  const known = Number.isFinite(length) ? length : undefined;
  let target: Writer;
  let close = () => {};
  let name: string;
  if (args.output !== undefined || output.tty) {
    name = args.output ??
      await uniqueFilename(
        downloadFilename(
          res.url,
          res.headers.get("content-disposition"),
          res.headers.get("content-type"),
        ),
        (p) => Deno.stat(resolve(io.cwd, p)).then(() => true, () => false),
      );
    const file = await Deno.open(resolve(io.cwd, name), {
      write: true,
      create: true,
      append: plan.action === "append",
      truncate: plan.action !== "append",
    });
    target = fileWriter(file);
    close = () => file.close();
  } else {
    // httpie: with stdout redirected and no --output, the download goes to stdout.
    name = "<stdout>";
    target = io.stdout;
  }
  const from = plan.action === "append" ? plan.from : 0;
  const total = known !== undefined ? known + from : undefined;
  if (args.quiet === 0) {
    await io.stderr.write(
      `Downloading ${total !== undefined ? `${total} bytes ` : ""}to "${name}"${
        from ? ` (resuming at byte ${from})` : ""
      }\n`,
    );
  }
  const progress = new Progress(io, { label: name, total });
  let written = 0;
  const began = performance.now();
  try {
    for await (const chunk of res.chunks()) {
      await target.write(chunk);
      written += chunk.length;
      await progress.set(from + written);
    }
  } finally {
    close();
  }
  const seconds = (performance.now() - began) / 1000;
  await progress.done();
  if (known !== undefined && written < known) {
    throw new CliError(`Incomplete download: got ${written} of ${known} bytes`, {
      exitCode: EXIT.error,
      hint: args.output ? "resume with --continue" : "resume with --output FILE --continue",
    });
  }
  if (args.quiet === 0) {
    await io.stderr.write(
      `Done. ${from + written} bytes in ${seconds.toFixed(2)}s (${
        seconds > 0 ? Math.round(written / seconds) : written
      } bytes/s)\n`,
    );
  }
  return { size: written, complete: false };
}

// ---------------------------------------------------------------------------------------------
// history, replay, save, run.

async function cmdHistory(ctx: Context, argv: string[]): Promise<number> {
  const sub = spec.commands!.find((c) => c.name === "history")!;
  const parsed = parseArgs({ ...sub, name: "http history" }, argv);
  if (parsed.help) {
    await ctx.io.stdout.write(formatHelp({ ...spec, options: [] }, ["history"]));
    return ExitCode.Ok;
  }
  const limitText = parsed.options.limit as string | undefined;
  const limit = limitText === undefined ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 0) {
    throw new CliError(`--limit takes a whole number, not "${limitText}"`);
  }
  const entries = (await ctx.history.list()).slice(-limit || Infinity);
  const shown = limit === 0 ? [] : entries;
  if (parsed.options.json) await writeJsonLines(ctx.io, shown);
  else await ctx.io.stdout.write(shown.map((e) => formatHistoryLine(e) + "\n").join(""));
  return ExitCode.Ok;
}

async function cmdReplay(ctx: Context, argv: string[]): Promise<number> {
  const { args, words } = parseFlags(argv, REPLAY_FLAGS);
  if (args.help) {
    await ctx.io.stdout.write(formatHelp({ ...spec, options: [] }, ["replay"]));
    return ExitCode.Ok;
  }
  if (words.length > 1) throw new CliError(`unexpected argument '${words[1]}'`);
  let id: number | undefined;
  if (words[0] !== undefined) {
    id = Number(words[0]);
    if (!Number.isInteger(id) || id <= 0) {
      throw new CliError(`"${words[0]}" is not a history number`, {
        hint: "see 'kit http history'",
      });
    }
  }
  const entry = await ctx.history.get(id);
  if (entry.replayBodyOmitted) {
    throw new CliError(
      `Request #${entry.id} had a body too large to keep, so it cannot be replayed`,
      {
        exitCode: EXIT.error,
      },
    );
  }
  let request = entry.replay;
  if (args.edit) request = await editRequest(ctx, request);
  return await exchange(ctx, request, args);
}

async function editRequest(ctx: Context, request: RequestSpec): Promise<RequestSpec> {
  const file = await Deno.makeTempFile({ prefix: "kit-http-", suffix: ".yaml" });
  try {
    await Deno.writeTextFile(file, stringifyYaml(toSaved(request), { lineWidth: 0 }));
    await openEditor(ctx.io, file, { exitCode: 1 });
    let edited: unknown;
    try {
      edited = parseYaml(await Deno.readTextFile(file));
    } catch (error) {
      throw new CliError(
        `The edited request is not YAML: ${(error as Error).message.split("\n")[0]}`,
      );
    }
    if (
      typeof edited !== "object" || edited === null ||
      typeof (edited as { url?: unknown }).url !== "string"
    ) {
      throw new CliError("The edited request has no url");
    }
    return fromSaved(edited as ReturnType<typeof toSaved>);
  } finally {
    await Deno.remove(file).catch(() => {});
  }
}

function collectionFile(ctx: Context, args: HttpArgs): string {
  return args.collection !== undefined
    ? resolve(ctx.io.cwd, args.collection)
    : join(ctx.dir, "collections.yaml");
}

async function cmdSave(ctx: Context, argv: string[]): Promise<number> {
  if (argv[0] === "--help" || argv.length === 0) {
    await (argv.length ? ctx.io.stdout : ctx.io.stderr).write(
      formatHelp({ ...spec, options: [] }, ["save"]),
    );
    return argv.length ? ExitCode.Ok : ExitCode.Usage;
  }
  const [name, ...rest] = argv;
  if (!/^[\w.-]+$/.test(name)) {
    throw new CliError(`"${name}" is not a request name (letters, digits, '.', '_' and '-')`);
  }
  const args = parseHttpArgs(rest, { extra: SAVE_FLAGS });
  const { spec: request } = await specFromArgs(ctx, args, { keepTemplates: true });
  const path = collectionFile(ctx, args);
  const collection = await loadCollection(path);
  collection.requests[name] = toSaved(request, {
    status: args.expectStatus,
    json: args.expectJson.length
      ? Object.fromEntries(args.expectJson.map(parseExpectJson))
      : undefined,
  });
  await saveCollection(path, collection);
  await ctx.io.stdout.write(`Saved "${name}" to ${path}\n`);
  return ExitCode.Ok;
}

async function cmdRun(ctx: Context, argv: string[]): Promise<number> {
  const { io } = ctx;
  // -h is --headers for a request, but run prints no responses: here it asks for help.
  const { args, words } = parseFlags(argv.map((a) => a === "-h" ? "--help" : a), RUN_FLAGS);
  if (args.help) {
    await io.stdout.write(formatHelp({ ...spec, options: [] }, ["run"]));
    return ExitCode.Ok;
  }
  if (words.length > 1) throw new CliError(`unexpected argument '${words[1]}'`);
  const target = words[0];
  let path = collectionFile(ctx, args);
  let names: string[] | undefined;
  if (target !== undefined) {
    const asFile = resolve(io.cwd, target);
    const isFile = /\.ya?ml$/i.test(target) ||
      await Deno.stat(asFile).then((s) => s.isFile, () => false);
    if (isFile) path = asFile;
    else names = [target];
  }
  const collection = await loadCollection(path);
  if (args.list) return await listCollection(io, collection, path);
  const all = Object.keys(collection.requests);
  if (all.length === 0) {
    throw new CliError(`No saved requests in ${path}`, {
      exitCode: EXIT.error,
      hint: "save one with 'kit http save NAME [METHOD] URL [ITEM...]'",
    });
  }
  for (const name of names ?? []) {
    if (!(name in collection.requests)) {
      throw new CliError(`No request "${name}" in ${path}`, {
        hint: "see 'kit http collections'",
      });
    }
  }
  let vars: Record<string, unknown> = {};
  if (args.env !== undefined) {
    if (!(args.env in collection.environments)) {
      const known = Object.keys(collection.environments);
      throw new CliError(`No environment "${args.env}" in ${path}`, {
        hint: known.length ? `environments: ${known.join(", ")}` : "add one under environments:",
      });
    }
    vars = collection.environments[args.env] ?? {};
  }
  const colors = palette(
    useColor({ mode: args.color, isTerminal: io.isTerminal.stdout, env: io.env }),
  );
  let passed = 0;
  let failed = 0;
  for (const name of names ?? all) {
    const saved = collection.requests[name];
    let failures: string[];
    let summary = "";
    try {
      const filled = fillTemplate(saved, vars);
      const request = fromSaved(filled);
      request.url = normalizeUrl(request.url);
      const result = await sendQuietly(ctx, request, args);
      summary = `${result.status} ${result.reason}  ${Math.round(result.total)} ms`;
      failures = checkExpectations(filled.expect, result.status, result.body);
    } catch (error) {
      const explained = explain(error);
      failures = [explained instanceof Error ? explained.message : String(explained)];
    }
    if (failures.length === 0) {
      passed++;
      await io.stdout.write(`${colors.green("PASS")} ${name}  ${summary}\n`);
    } else {
      failed++;
      await io.stdout.write(
        `${colors.red("FAIL")} ${name}${summary ? `  ${summary}` : ""}\n` +
          failures.map((f) => `     ${f}\n`).join(""),
      );
    }
  }
  await io.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  return failed > 0 ? EXIT.error : ExitCode.Ok;
}

async function listCollection(io: Io, collection: Collection, path: string): Promise<number> {
  const rows = Object.entries(collection.requests).map((
    [name, r],
  ) => [name, `${String(r.method ?? "GET").toUpperCase()} ${r.url}`]);
  const width = Math.max(0, ...rows.map(([n]) => n.length));
  let text = rows.map(([n, what]) => `${n.padEnd(width)}  ${what}\n`).join("");
  const envs = Object.keys(collection.environments);
  if (envs.length) text += `\nenvironments: ${envs.join(", ")}\n`;
  if (rows.length === 0) text = `No saved requests in ${path}\n`;
  await io.stdout.write(text);
  return ExitCode.Ok;
}

/** Sends a saved request without printing it; records it in the history. */
async function sendQuietly(
  ctx: Context,
  request: RequestSpec,
  args: HttpArgs,
): Promise<{ status: number; reason: string; body: string; total: number }> {
  const url = new URL(request.url);
  const client = new HttpClient(await clientOptions(ctx.io, args, url, new CookieJar()));
  const events: ({ sent: SentRequest } | { res: HttpResponse })[] = [];
  const started = ctx.io.now();
  try {
    const builder = client.request(request.method, url);
    applySpec(builder, request);
    if (args.auth !== undefined) {
      applyCredentials(builder, await credentials(ctx.io, args.authType, args.auth));
    }
    builder.onRequest((sent) => void events.push({ sent }));
    let res: HttpResponse;
    try {
      res = await builder.send();
    } catch (error) {
      await record(ctx, args, request, events, started, { error });
      throw error;
    }
    const body = await res.text();
    const timing = await res.done;
    await record(ctx, args, request, events, started, { res, timing });
    return { status: res.status, reason: res.reason, body, total: timing.total };
  } finally {
    client.close();
  }
}
