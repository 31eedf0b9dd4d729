/**
 * How an HTTP exchange is shown: request and response heads, bodies (JSON re-indented by four
 * spaces as httpie does), colours, the binary-data notice, metadata and the `--timing` table.
 *
 * Everything returns text; the CLI decides where it goes. Unformatted heads end their lines in
 * CRLF, byte for byte what went over the wire (so `--offline --pretty=none` output can be sent
 * with `nc`); formatted heads use LF, which terminals show the same and diff tools prefer.
 *
 * @module
 */

import type { Palette } from "../../lib/cli/color.ts";

/** Options shared by the printer functions. */
export interface PrinterOptions {
  /** Re-indent JSON and use LF line ends (`--pretty=all|format`). @default false */
  format?: boolean;
  /** Colours (the identity palette for none). */
  colors: Palette;
}

/** A request line and headers as they were written. */
export interface RequestHeadView {
  method: string;
  target: string;
  version: string;
  headers: [string, string][];
}

/** A status line and headers as they were read. */
export interface ResponseHeadView {
  version: string;
  status: number;
  reason: string;
  headers: [string, string][];
}

/** The notice httpie prints instead of binary data on a terminal. */
export const BINARY_NOTICE = "+-----------------------------------------+\n" +
  "| NOTE: binary data not shown in terminal |\n" +
  "+-----------------------------------------+";

function eol(options: PrinterOptions): string {
  return options.format ? "\n" : "\r\n";
}

function headerLines(headers: [string, string][], options: PrinterOptions): string[] {
  const c = options.colors;
  return headers.map(([name, value]) => `${c.cyan(name)}: ${value}`);
}

function versionText(version: string, c: Palette): string {
  const [proto, number] = version.split("/");
  return number === undefined ? c.blue(version) : `${c.blue(proto)}/${c.blue(number)}`;
}

/**
 * The request line and headers, ending in a blank line.
 *
 * @example
 * ```ts
 * import { formatRequestHead } from "./printer.ts";
 * import { palette } from "../../lib/cli/color.ts";
 * import assert from "node:assert/strict";
 * const text = formatRequestHead(
 *   { method: "GET", target: "/", version: "HTTP/1.1", headers: [["Host", "x"]] },
 *   { colors: palette(false) },
 * );
 * assert.equal(text, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
 * ```
 *
 * @param head The request as written.
 * @param options Formatting and colours.
 * @returns The text.
 */
export function formatRequestHead(head: RequestHeadView, options: PrinterOptions): string {
  const c = options.colors;
  const first = `${c.green(head.method)} ${c.cyan(head.target)} ${versionText(head.version, c)}`;
  const nl = eol(options);
  return [first, ...headerLines(head.headers, options)].join(nl) + nl + nl;
}

function statusColor(status: number, c: Palette): (s: string) => string {
  if (status >= 400) return c.red;
  if (status >= 300) return c.yellow;
  if (status >= 200) return c.green;
  return c.cyan;
}

/**
 * The status line and headers, ending in a blank line.
 *
 * @example
 * ```ts
 * import { formatResponseHead } from "./printer.ts";
 * import { palette } from "../../lib/cli/color.ts";
 * import assert from "node:assert/strict";
 * const head = { version: "HTTP/1.1", status: 404, reason: "Not Found", headers: [["A", "1"]] as [string, string][] };
 * assert.equal(formatResponseHead(head, { colors: palette(false), format: true }), "HTTP/1.1 404 Not Found\nA: 1\n\n");
 * ```
 *
 * @param head The response head.
 * @param options Formatting and colours.
 * @returns The text.
 */
export function formatResponseHead(head: ResponseHeadView, options: PrinterOptions): string {
  const c = options.colors;
  const color = statusColor(head.status, c);
  const reason = head.reason ? ` ${color(head.reason)}` : "";
  const first = `${versionText(head.version, c)} ${color(String(head.status))}${reason}`;
  const nl = eol(options);
  return [first, ...headerLines(head.headers, options)].join(nl) + nl + nl;
}

/**
 * Whether bytes look binary: a NUL byte in the first 8 KiB, httpie's (and git's) test.
 *
 * @param bytes The body.
 * @returns True for binary data.
 */
export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

/** Options for {@linkcode formatBody}. */
export interface FormatBodyOptions extends PrinterOptions {
  /** The Content-Type header. */
  contentType?: string | null;
  /** Treat the body as JSON whatever its type (`--json`). @default false */
  explicitJson?: boolean;
}

function charsetOf(contentType: string | null | undefined): string {
  const match = /;\s*charset="?([^";\s]+)"?/i.exec(contentType ?? "");
  return match?.[1] ?? "utf-8";
}

/**
 * Decodes a body as text by its charset (UTF-8 when none is named or it is unknown).
 *
 * @param bytes The body.
 * @param contentType The Content-Type header.
 * @returns The text.
 */
export function decodeBody(bytes: Uint8Array, contentType?: string | null): string {
  try {
    return new TextDecoder(charsetOf(contentType)).decode(bytes);
  } catch {
    return new TextDecoder().decode(bytes);
  }
}

/**
 * A body for the terminal: JSON (by type, or any text that parses, as httpie) re-indented by
 * four spaces and coloured; other text as it is. Binary data is the caller's business
 * ({@linkcode isBinary}).
 *
 * @example
 * ```ts
 * import { formatBody } from "./printer.ts";
 * import { palette } from "../../lib/cli/color.ts";
 * import assert from "node:assert/strict";
 * const body = new TextEncoder().encode('{"a":[1,2]}');
 * assert.equal(
 *   formatBody(body, { contentType: "application/json", format: true, colors: palette(false) }),
 *   '{\n    "a": [\n        1,\n        2\n    ]\n}',
 * );
 * ```
 *
 * @param bytes The body.
 * @param options Content type, formatting and colours.
 * @returns The text.
 */
export function formatBody(bytes: Uint8Array, options: FormatBodyOptions): string {
  const text = decodeBody(bytes, options.contentType);
  const type = (options.contentType ?? "").toLowerCase();
  const maybeJson = options.explicitJson || /json|javascript|text/.test(type) || type === "";
  if ((options.format || options.colors.enabled) && maybeJson) {
    const json = formatJson(text, options.colors, options.format);
    if (json !== null) return json;
  }
  return text;
}

/**
 * JSON text re-indented by four spaces (Python's `json.dumps(indent=4)` layout, which httpie
 * prints), numbers kept exactly as written, and coloured: keys blue, strings yellow, numbers
 * cyan, `true`/`false`/`null` magenta.
 *
 * @example
 * ```ts
 * import { formatJson } from "./printer.ts";
 * import { palette } from "../../lib/cli/color.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatJson('{"n":1.0,"e":{}}', palette(false)), '{\n    "n": 1.0,\n    "e": {}\n}');
 * assert.equal(formatJson("not json", palette(false)), null);
 * assert.equal(formatJson('{ "n" :1.0 }\n', palette(false), false), '{ "n" :1.0 }\n');
 * ```
 *
 * With `reindent` false (`--pretty=colors`) the text keeps its own layout and is only
 * coloured.
 *
 * @param text The JSON text.
 * @param c Colours.
 * @param reindent Re-indent, or keep the layout as sent. @default true
 * @returns The formatted text, or null when `text` is not JSON.
 */
export function formatJson(text: string, c: Palette, reindent = true): string | null {
  const trimmed = reindent ? text.trim() : text;
  if (trimmed.trim() === "") return null;
  try {
    JSON.parse(trimmed);
  } catch {
    return null;
  }
  const out: string[] = [];
  let depth = 0;
  let i = 0;
  const pad = () => reindent ? "\n" + "    ".repeat(depth) : "";
  // After `{` or `[`: whether anything followed before the closing bracket.
  let justOpened = false;
  let expectKey = false;
  const stack: string[] = [];
  while (i < trimmed.length) {
    const ch = trimmed[i];
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      if (!reindent) out.push(ch);
      i++;
      continue;
    }
    if (ch === "{" || ch === "[") {
      if (justOpened) out.push(pad());
      out.push(ch);
      stack.push(ch);
      depth++;
      justOpened = true;
      expectKey = ch === "{";
      i++;
      continue;
    }
    if (ch === "}" || ch === "]") {
      depth--;
      stack.pop();
      if (!justOpened) out.push(pad());
      out.push(ch);
      justOpened = false;
      expectKey = false;
      i++;
      continue;
    }
    if (ch === ",") {
      out.push(",", pad());
      expectKey = stack[stack.length - 1] === "{";
      i++;
      continue;
    }
    if (ch === ":") {
      out.push(reindent ? ": " : ":");
      expectKey = false;
      i++;
      continue;
    }
    if (justOpened) {
      out.push(pad());
      justOpened = false;
    }
    if (ch === '"') {
      let end = i + 1;
      while (trimmed[end] !== '"') end += trimmed[end] === "\\" ? 2 : 1;
      const raw = trimmed.slice(i, end + 1);
      // Re-encoded so \u00e9 prints as é, as Python's ensure_ascii=False does; kept as sent
      // when only colouring.
      const value = reindent ? JSON.stringify(JSON.parse(raw) as string) : raw;
      out.push(expectKey ? c.blue(value) : c.yellow(value));
      i = end + 1;
      continue;
    }
    const literal = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(trimmed.slice(i))!;
    const word = literal[0];
    out.push(/^[tfn]/.test(word) ? c.magenta(word) : c.cyan(word));
    i += word.length;
  }
  return out.join("");
}

/** What the metadata (`--print=m`) shows. */
export interface MetaView {
  /** Total time in milliseconds. */
  elapsedMs: number;
}

/**
 * The metadata section, as httpie's `m`: the elapsed time in seconds.
 *
 * @example
 * ```ts
 * import { formatMeta } from "./printer.ts";
 * import { palette } from "../../lib/cli/color.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatMeta({ elapsedMs: 12.5 }, { colors: palette(false) }), "Elapsed time: 0.0125s\n");
 * ```
 *
 * @param meta The numbers.
 * @param options Colours.
 * @returns The text.
 */
export function formatMeta(meta: MetaView, options: PrinterOptions): string {
  const c = options.colors;
  const seconds = Number((meta.elapsedMs / 1000).toFixed(6));
  return `${c.cyan("Elapsed time")}: ${seconds}s\n`;
}

/** The numbers `--timing` shows: milliseconds since the start, bytes. */
export interface TimingView {
  dns: number;
  connect: number;
  tls: number;
  firstByte: number;
  total: number;
  /** Body bytes received. */
  size: number;
}

function rate(bytesPerSecond: number): string {
  const units = ["B/s", "KB/s", "MB/s", "GB/s"];
  let value = bytesPerSecond;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * The `--timing` table, curl `-w` style: each phase as milliseconds since the start, then the
 * body size and the download speed.
 *
 * @example
 * ```ts
 * import { formatTiming } from "./printer.ts";
 * import { palette } from "../../lib/cli/color.ts";
 * import assert from "node:assert/strict";
 * const text = formatTiming({ dns: 1, connect: 2, tls: 0, firstByte: 5, total: 10, size: 1000 }, { colors: palette(false) });
 * assert.match(text, /^dns +1\.000 ms$/m);
 * assert.match(text, /^speed +100\.0 KB\/s$/m);
 * ```
 *
 * @param timing The numbers.
 * @param options Colours.
 * @returns The text, one line per entry.
 */
export function formatTiming(timing: TimingView, options: PrinterOptions): string {
  const c = options.colors;
  const ms = (n: number) => `${n.toFixed(3)} ms`;
  const rows: [string, string][] = [
    ["dns", ms(timing.dns)],
    ["connect", ms(timing.connect)],
    ["tls", ms(timing.tls)],
    ["first byte", ms(timing.firstByte)],
    ["total", ms(timing.total)],
    ["size", `${timing.size} bytes`],
    ["speed", rate(timing.total > 0 ? timing.size / (timing.total / 1000) : 0)],
  ];
  return rows.map(([k, v]) => `${c.cyan(k.padEnd(10))} ${v}\n`).join("");
}
