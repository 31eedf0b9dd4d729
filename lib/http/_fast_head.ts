/**
 * A fast path for the server's most common case, private to lib/http: a whole request head of
 * plain ASCII arriving in one read. It accepts a strict subset of what {@linkcode HeadParser}
 * accepts and builds the same head; anything else (a split head, non-ASCII bytes, an empty line
 * first, obs-fold, a bad token, a limit reached) returns undefined so the reference parser runs
 * and gives its exact verdict. `_fast_head_test.ts` checks both agree.
 */
import { HttpHeaders } from "./headers.ts";
import type { ParsedHead, RequestHead } from "./head_parser.ts";

const CR = 0x0d;
const LF = 0x0a;
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([\x21-\x7e]+) (HTTP\/1\.[01])$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const latin1 = new TextDecoder("latin1");

/** Limits the fast path checks before it gives up; the reference parser reports the error. */
export interface FastHeadLimits {
  maxLineLength: number;
  maxHeadSize: number;
  maxHeaders: number;
}

/**
 * Parses a complete request head at the start of `chunk`, or returns undefined to let the
 * reference parser decide.
 *
 * @param chunk The first bytes of a request.
 * @param limits The same limits the reference parser uses.
 * @returns The head and the bytes after it, or undefined.
 */
export function parseRequestHeadFast(
  chunk: Uint8Array,
  limits: FastHeadLimits,
): ParsedHead<RequestHead> | undefined {
  const n = Math.min(chunk.length, limits.maxHeadSize);
  // Find the blank line, checking every byte on the way: printable ASCII, HTAB, and CR only
  // as part of CRLF.
  let end = -1;
  let lineStart = 0;
  for (let i = 0; i < n; i++) {
    const c = chunk[i];
    if (c >= 0x20 && c < 0x7f) continue;
    if (c === 0x09) continue;
    if (c !== CR || i + 1 >= n || chunk[i + 1] !== LF) return undefined;
    if (i + 2 - lineStart > limits.maxLineLength) return undefined;
    if (i === lineStart) {
      if (i === 0) return undefined; // empty lines before the request line: the slow path skips them
      end = i + 2;
      break;
    }
    i++;
    lineStart = i + 1;
  }
  if (end === -1) return undefined;
  const bytes = chunk.subarray(0, end - 4);
  // Every byte is ASCII here, so char codes are the text; apply() beats a decoder call on
  // heads this small (and stays well under the argument count limit).
  const text = bytes.length <= 8192
    ? String.fromCharCode.apply(null, bytes as unknown as number[])
    : latin1.decode(bytes);
  const lines = text.split("\r\n");
  if (lines.length - 1 > limits.maxHeaders) return undefined;
  const start = REQUEST_LINE.exec(lines[0]);
  if (!start) return undefined;
  const list: [string, string][] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) return undefined; // obs-fold
    const colon = line.indexOf(":");
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return undefined;
    let a = colon + 1;
    let b = line.length;
    while (a < b && (line.charCodeAt(a) === 0x20 || line.charCodeAt(a) === 0x09)) a++;
    while (b > a && (line.charCodeAt(b - 1) === 0x20 || line.charCodeAt(b - 1) === 0x09)) b--;
    list.push([name, line.slice(a, b)]);
  }
  return {
    head: {
      method: start[1],
      target: start[2],
      version: start[3],
      headers: new HttpHeaders(list),
      raw: chunk.subarray(0, end),
    },
    rest: chunk.subarray(end),
  };
}
