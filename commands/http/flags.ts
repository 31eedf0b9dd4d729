/**
 * Stage one of `kit http`'s arguments: argv in, plain values out, no I/O.
 *
 * The flags are httpie's, with its names and short letters. httpie uses `-h` for `--headers`
 * and takes positional words (`[METHOD] URL [ITEM...]`) that kit's generic parser would read as
 * subcommands, which is why http has its own table, as grep does. Help, completions and
 * parsing all read {@linkcode FLAGS}.
 *
 * @module
 */

import { nearest } from "../../lib/cli/args.ts";
import { CliError, ExitCode } from "../../lib/cli/error.ts";
import { ItemSyntaxError, parseItem, type RequestItem } from "./items.ts";

/** `--pretty` values. */
export type Pretty = "all" | "colors" | "format" | "none";

/** What the command line asked for. */
export interface HttpArgs {
  /** The method as typed (upper-cased); undefined: GET, or POST when there is data. */
  method?: string;
  /** The URL as typed. */
  url: string;
  /** Request items in order. */
  items: RequestItem[];
  /** `--json`, `--form` or `--multipart`. @default "json" */
  mode: "json" | "form" | "multipart";
  /** Whether `--json` was given explicitly (then Accept is set even without data). */
  explicitJson: boolean;
  /** `--raw TEXT`. */
  raw?: string;
  ignoreStdin: boolean;
  /** `--print` letters, or undefined for the default. */
  print?: string;
  /** `-v` count. */
  verbose: number;
  headersOnly: boolean;
  bodyOnly: boolean;
  metaOnly: boolean;
  quiet: number;
  offline: boolean;
  pretty?: Pretty;
  style: string;
  color: "auto" | "always" | "never";
  stream: boolean;
  output?: string;
  download: boolean;
  continue: boolean;
  checkStatus: boolean;
  follow: boolean;
  maxRedirects: number;
  /** Seconds. */
  timeout?: number;
  verify: string;
  cert?: string;
  certKey?: string;
  auth?: string;
  authType: "basic" | "bearer" | "digest";
  /** `PROTOCOL:URL` pairs. */
  proxy: string[];
  timing: boolean;
  session?: string;
  sessionReadOnly?: string;
  history: boolean;
  /** save: collection file. */
  collection?: string;
  /** save: expected status. */
  expectStatus?: number;
  /** save: `PATH=VALUE` JSON expectations. */
  expectJson: string[];
  /** run: the environment. */
  env?: string;
  /** run: list instead of running. */
  list: boolean;
  /** replay: edit before sending. */
  edit: boolean;
  help: boolean;
}

/** A fresh {@linkcode HttpArgs} with httpie's defaults. */
export function defaultArgs(): HttpArgs {
  return {
    url: "",
    items: [],
    mode: "json",
    explicitJson: false,
    ignoreStdin: false,
    verbose: 0,
    headersOnly: false,
    bodyOnly: false,
    metaOnly: false,
    quiet: 0,
    offline: false,
    style: "auto",
    color: "auto",
    stream: false,
    download: false,
    continue: false,
    checkStatus: false,
    follow: false,
    maxRedirects: 30,
    verify: "yes",
    authType: "basic",
    proxy: [],
    timing: false,
    history: true,
    expectJson: [],
    list: false,
    edit: false,
    help: false,
  };
}

/** One flag: its names, help and what it does to {@linkcode HttpArgs}. */
export interface FlagDef {
  /** Long name without dashes. */
  long: string;
  /** Short letter. */
  short?: string;
  /** Name of the value it takes; absent for a switch. */
  value?: string;
  /** Help section. */
  section: "body" | "output" | "network" | "auth" | "session" | "save";
  /** One line of help. */
  help: string;
  /** Allowed values. */
  choices?: readonly string[];
  /** Sets the value. */
  apply(args: HttpArgs, value: string): void;
}

function usage(message: string, hint = "see 'kit http --help'"): CliError {
  return new CliError(message, { hint, exitCode: ExitCode.Usage });
}

function sw(
  long: string,
  short: string | undefined,
  section: FlagDef["section"],
  help: string,
  apply: (a: HttpArgs) => void,
): FlagDef {
  return { long, short, section, help, apply: (a) => apply(a) };
}

function val(
  long: string,
  short: string | undefined,
  value: string,
  section: FlagDef["section"],
  help: string,
  apply: (a: HttpArgs, v: string) => void,
  choices?: readonly string[],
): FlagDef {
  return {
    long,
    short,
    value,
    section,
    help,
    choices,
    apply: (a, v) => {
      if (choices && !choices.includes(v)) {
        throw usage(`--${long} takes ${choices.join(", ")}, not "${v}"`);
      }
      apply(a, v);
    },
  };
}

function number(flag: string, value: string, whole: boolean): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || (whole && !Number.isInteger(n))) {
    throw usage(`--${flag} expects a ${whole ? "whole " : ""}number, not "${value}"`);
  }
  return n;
}

/** Every flag of `kit http`, in help order. */
export const FLAGS: readonly FlagDef[] = [
  sw("json", "j", "body", "data items make a JSON object (default)", (a) => {
    a.mode = "json";
    a.explicitJson = true;
  }),
  sw("form", "f", "body", "data items make a form (urlencoded, multipart with files)", (a) => {
    a.mode = "form";
  }),
  sw("multipart", undefined, "body", "always send a multipart form", (a) => {
    a.mode = "multipart";
  }),
  val("raw", undefined, "TEXT", "body", "send TEXT as the body", (a, v) => {
    a.raw = v;
  }),
  sw("ignore-stdin", "I", "body", "do not read a body from standard input", (a) => {
    a.ignoreStdin = true;
  }),
  val("print", "p", "WHAT", "output", "H request headers, B request body, h/b response, m meta", (
    a,
    v,
  ) => {
    if (!/^[HBhbm]*$/.test(v)) {
      throw usage(`--print takes letters from HBhbm, not "${v}"`);
    }
    a.print = v;
  }),
  sw("verbose", "v", "output", "print the whole exchange (-vv adds metadata)", (a) => {
    a.verbose++;
  }),
  sw("headers", "h", "output", "print only the response headers", (a) => {
    a.headersOnly = true;
  }),
  sw("body", "b", "output", "print only the response body", (a) => {
    a.bodyOnly = true;
  }),
  sw("meta", "m", "output", "print only the response metadata", (a) => {
    a.metaOnly = true;
  }),
  sw("quiet", "q", "output", "print nothing (-qq: no warnings either)", (a) => {
    a.quiet++;
  }),
  sw("offline", undefined, "output", "build and print the request, do not send it", (a) => {
    a.offline = true;
  }),
  val(
    "pretty",
    undefined,
    "STYLE",
    "output",
    "all, colors, format or none",
    (a, v) => {
      a.pretty = v as Pretty;
    },
    ["all", "colors", "format", "none"],
  ),
  val("style", "s", "STYLE", "output", "colour style: auto (the only one)", (a, v) => {
    a.style = v;
  }),
  val(
    "color",
    undefined,
    "WHEN",
    "output",
    "auto, always or never",
    (a, v) => {
      a.color = v as HttpArgs["color"];
    },
    ["auto", "always", "never"],
  ),
  sw("stream", "S", "output", "print the body as it arrives", (a) => {
    a.stream = true;
  }),
  val("output", "o", "FILE", "output", "write the output to FILE", (a, v) => {
    a.output = v;
  }),
  sw("download", "d", "output", "save the body to a file, with a progress bar", (a) => {
    a.download = true;
  }),
  sw("continue", "c", "output", "resume a partial --download (needs --output)", (a) => {
    a.continue = true;
  }),
  sw("timing", undefined, "output", "print a timing breakdown on stderr", (a) => {
    a.timing = true;
  }),
  sw("check-status", undefined, "network", "exit 3, 4 or 5 on a 3xx, 4xx or 5xx status", (a) => {
    a.checkStatus = true;
  }),
  sw("follow", "F", "network", "follow redirects", (a) => {
    a.follow = true;
  }),
  val("max-redirects", undefined, "N", "network", "most redirects to follow (default 30)", (
    a,
    v,
  ) => {
    a.maxRedirects = number("max-redirects", v, true);
  }),
  val("timeout", undefined, "SECONDS", "network", "give up after SECONDS", (a, v) => {
    a.timeout = number("timeout", v, false);
  }),
  val("verify", undefined, "WHAT", "network", "TLS: yes, no, or a CA bundle file", (a, v) => {
    a.verify = v;
  }),
  val("cert", undefined, "FILE", "network", "client certificate (PEM)", (a, v) => {
    a.cert = v;
  }),
  val("cert-key", undefined, "FILE", "network", "client certificate key (PEM)", (a, v) => {
    a.certKey = v;
  }),
  val("proxy", undefined, "PROTOCOL:URL", "network", "proxy for a scheme (repeatable)", (a, v) => {
    if (!/^\w+:.+/.test(v)) throw usage(`--proxy takes PROTOCOL:URL, not "${v}"`);
    a.proxy.push(v);
  }),
  val("auth", "a", "USER[:PASS]", "auth", "credentials (a token for bearer)", (a, v) => {
    a.auth = v;
  }),
  val(
    "auth-type",
    "A",
    "TYPE",
    "auth",
    "basic, bearer or digest",
    (a, v) => {
      a.authType = v as HttpArgs["authType"];
    },
    ["basic", "bearer", "digest"],
  ),
  val("session", undefined, "NAME", "session", "keep cookies, auth and headers in a session", (
    a,
    v,
  ) => {
    a.session = v;
  }),
  val("session-read-only", undefined, "NAME", "session", "use a session without updating it", (
    a,
    v,
  ) => {
    a.sessionReadOnly = v;
  }),
  sw("no-history", undefined, "session", "do not record this request in the history", (a) => {
    a.history = false;
  }),
];

const COLLECTION_FLAG = val("collection", undefined, "FILE", "save", "the collection file", (
  a,
  v,
) => {
  a.collection = v;
});

/** Flags only `kit http run` takes. */
export const RUN_FLAGS: readonly FlagDef[] = [
  COLLECTION_FLAG,
  val("env", "e", "NAME", "save", "the environment whose variables fill {{placeholders}}", (
    a,
    v,
  ) => {
    a.env = v;
  }),
  sw("list", "l", "save", "list the saved requests instead of running them", (a) => {
    a.list = true;
  }),
];

/** Flags only `kit http replay` takes. */
export const REPLAY_FLAGS: readonly FlagDef[] = [
  sw("edit", "E", "save", "edit the request in $EDITOR before sending it", (a) => {
    a.edit = true;
  }),
];

/** Flags only `kit http save` takes. */
export const SAVE_FLAGS: readonly FlagDef[] = [
  COLLECTION_FLAG,
  val("expect-status", undefined, "CODE", "save", "the status a run expects", (a, v) => {
    if (!/^\d{3}$/.test(v)) throw usage(`--expect-status takes a status code, not "${v}"`);
    a.expectStatus = Number(v);
  }),
  val("expect-json", undefined, "PATH=VALUE", "save", "a JSON value a run expects", (a, v) => {
    if (!/^\$.*?=/.test(v)) {
      throw usage(`--expect-json takes PATH=VALUE with PATH like $.a.b, not "${v}"`);
    }
    a.expectJson.push(v);
  }),
];

const METHOD = /^[A-Za-z]+$/;
const KNOWN_METHODS = new Set([
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
  "TRACE",
  "CONNECT",
]);

/**
 * Reads flags anywhere in `argv` (`--` ends them) and returns the other words in order.
 *
 * @example
 * ```ts
 * import { parseFlags } from "./flags.ts";
 * import assert from "node:assert/strict";
 * const { args, words } = parseFlags(["-vb", "x", "--timeout=2", "y"]);
 * assert.deepEqual(words, ["x", "y"]);
 * assert.equal(args.verbose, 1);
 * assert.equal(args.timeout, 2);
 * ```
 *
 * @param argv The words.
 * @param extra Flags beyond {@linkcode FLAGS} (those of a subcommand).
 * @returns The values and the positional words.
 * @throws {CliError} With exit code 2 for an unknown flag or a missing value.
 */
export function parseFlags(
  argv: string[],
  extra: readonly FlagDef[] = [],
): { args: HttpArgs; words: string[] } {
  const flags = [...FLAGS, ...extra];
  const args = defaultArgs();
  const words: string[] = [];
  let onlyWords = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (onlyWords || word === "-" || !word.startsWith("-") || /^-\d/.test(word)) {
      words.push(word);
      continue;
    }
    if (word === "--") {
      onlyWords = true;
      continue;
    }
    if (word === "--help") {
      args.help = true;
      continue;
    }
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const name = word.slice(2, eq === -1 ? undefined : eq);
      const flag = flags.find((f) => f.long === name);
      if (!flag) {
        const guess = nearest(name, [...flags.map((f) => f.long), "help"]);
        throw usage(
          `unknown option '--${name}'`,
          guess ? `did you mean '--${guess}'?` : undefined,
        );
      }
      if (!flag.value) {
        if (eq !== -1) throw usage(`--${name} takes no value`);
        flag.apply(args, "");
        continue;
      }
      const value = eq !== -1 ? word.slice(eq + 1) : argv[++i];
      if (value === undefined) throw usage(`--${name} needs a value <${flag.value}>`);
      flag.apply(args, value);
      continue;
    }
    for (let k = 1; k < word.length; k++) {
      const flag = flags.find((f) => f.short === word[k]);
      if (!flag) throw usage(`unknown option '-${word[k]}'`);
      if (!flag.value) {
        flag.apply(args, "");
        continue;
      }
      const rest = word.slice(k + 1);
      const value = rest !== "" ? rest : argv[++i];
      if (value === undefined) throw usage(`-${word[k]} needs a value <${flag.value}>`);
      flag.apply(args, value);
      break;
    }
  }
  return { args, words };
}

/**
 * Parses `kit http` arguments: flags anywhere, `--` ends them, then `[METHOD] URL [ITEM...]`.
 * The first word is a method when it is a known one or all capitals (`PURGE`) and more words
 * follow; otherwise it is the URL, as in httpie (which also guesses).
 *
 * @example
 * ```ts
 * import { parseHttpArgs } from "./flags.ts";
 * import assert from "node:assert/strict";
 * const args = parseHttpArgs(["-v", "POST", ":8080/x", "a=1", "--form"]);
 * assert.equal(args.method, "POST");
 * assert.equal(args.url, ":8080/x");
 * assert.equal(args.mode, "form");
 * assert.equal(args.verbose, 1);
 * ```
 *
 * @param argv The words after `http` (or after `save NAME`).
 * @param options Extra flags (those of `save`).
 * @returns The values.
 * @throws {CliError} With exit code 2 for an unknown flag, a missing URL or a bad item.
 */
export function parseHttpArgs(
  argv: string[],
  options: { extra?: readonly FlagDef[] } = {},
): HttpArgs {
  const { args, words } = parseFlags(argv, options.extra);
  if (args.help) return args;
  if (words.length === 0) throw usage("missing the URL", "kit http [METHOD] URL [ITEM...]");
  let at = 0;
  if (
    words.length >= 2 && METHOD.test(words[0]) &&
    (KNOWN_METHODS.has(words[0].toUpperCase()) || words[0] === words[0].toUpperCase())
  ) {
    args.method = words[0].toUpperCase();
    at = 1;
  }
  args.url = words[at];
  try {
    args.items = words.slice(at + 1).map(parseItem);
  } catch (error) {
    if (error instanceof ItemSyntaxError) {
      throw new CliError(error.message, {
        exitCode: ExitCode.Usage,
        hint: "items are Header:Value, name=value, name:=json, name==query or field@file",
        cause: error,
      });
    }
    throw error;
  }
  if (args.continue && !(args.download && args.output)) {
    throw usage("--continue needs --download and --output");
  }
  return args;
}

/** What is printed, httpie's `--print` letters resolved from the flags and the terminal. */
export interface PrintWhat {
  requestHeaders: boolean;
  requestBody: boolean;
  responseHeaders: boolean;
  responseBody: boolean;
  meta: boolean;
}

/**
 * Decides what to print: `--print` wins, then `-v`, `-h`, `-b`, `-m`, `--offline`; otherwise
 * headers and body on a terminal and the body alone when stdout is redirected (httpie's rule).
 *
 * @example
 * ```ts
 * import { defaultArgs, printWhat } from "./flags.ts";
 * import assert from "node:assert/strict";
 * assert.equal(printWhat(defaultArgs(), false).responseHeaders, false);
 * assert.equal(printWhat({ ...defaultArgs(), verbose: 1 }, false).requestHeaders, true);
 * ```
 *
 * @param args The parsed flags.
 * @param stdoutIsTerminal Whether the output goes to a terminal.
 * @returns The parts to print.
 */
export function printWhat(args: HttpArgs, stdoutIsTerminal: boolean): PrintWhat {
  let letters: string;
  if (args.print !== undefined) letters = args.print;
  else if (args.verbose > 0) letters = args.verbose > 1 ? "HBhbm" : "HBhb";
  else if (args.headersOnly) letters = "h";
  else if (args.bodyOnly) letters = "b";
  else if (args.metaOnly) letters = "m";
  else if (args.offline) letters = "HB";
  else if (args.download) letters = "h";
  else letters = stdoutIsTerminal && args.output === undefined ? "hb" : "b";
  if (args.quiet > 0) letters = "";
  return {
    requestHeaders: letters.includes("H"),
    requestBody: letters.includes("B"),
    responseHeaders: letters.includes("h"),
    responseBody: letters.includes("b"),
    meta: letters.includes("m"),
  };
}
