/**
 * A fast path for the server's most common case, private to lib/http: a whole request head of
 * plain ASCII arriving in one read. It accepts a strict subset of what {@linkcode HeadParser}
 * accepts and builds the same head; anything else (a split head, non-ASCII bytes, an empty line
 * first, obs-fold, a bad token, a limit reached) returns undefined so the reference parser runs
 * and gives its exact verdict. `_fast_head_test.ts` checks both agree.
 */
import { HttpHeaders } from "./headers.ts";
import type { ParsedHead, RequestHead } from "./head_parser.ts";

// The request line and each header line, matched in place (sticky, no match arrays): only
// printable ASCII (and tabs in values), so a CR, LF, NUL, other control byte or non-ASCII
// character anywhere fails the match and leaves the head to the reference parser. The value
// is trimmed by hand: a pattern with two adjacent whitespace runs would backtrack
// quadratically on a long line of spaces.
const REQUEST_LINE = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+ [\x21-\x7e]+ HTTP\/1\.[01]\r\n/y;
const HEADER_LINE = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e]*\r\n/y;
// UTF-8 decoding is the fastest decoder there is for ASCII, and for ASCII it is the identity;
// a head holding anything else fails the line checks and goes to the reference parser. The
// BOM is kept so that a head starting with one fails too, as it does in the reference parser.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
/** Bytes decoded first to look for the end of the head; most heads are much smaller. */
const PROBE = 2048;

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
  // Find the blank line in the decoded text. Offsets in the text are byte offsets as long as
  // every character before them is ASCII, which the line checks below make sure of.
  let text = utf8.decode(chunk.subarray(0, Math.min(n, PROBE)));
  let at = text.indexOf("\r\n\r\n");
  if (at === -1 && n > PROBE) {
    text = utf8.decode(chunk.subarray(0, n));
    at = text.indexOf("\r\n\r\n");
  }
  if (at <= 0) return undefined; // incomplete, or empty lines first: the slow path decides
  const end = at + 4;
  if (end > n) return undefined;
  const maxLine = limits.maxLineLength;
  // The request line: method SP target SP version CRLF.
  REQUEST_LINE.lastIndex = 0;
  if (!REQUEST_LINE.test(text)) return undefined;
  let next = REQUEST_LINE.lastIndex;
  if (next > maxLine) return undefined;
  const sp1 = text.indexOf(" ");
  const sp2 = text.indexOf(" ", sp1 + 1);
  const method = text.slice(0, sp1);
  const target = text.slice(sp1 + 1, sp2);
  const version = text.slice(sp2 + 1, next - 2);
  const headers = new HttpHeaders();
  let count = 0;
  // Each header line up to the blank line at `at + 2`.
  while (next < at + 2) {
    const pos = next;
    HEADER_LINE.lastIndex = pos;
    if (!HEADER_LINE.test(text)) return undefined; // obs-fold, a bad name or byte
    next = HEADER_LINE.lastIndex;
    if (next - pos > maxLine || ++count > limits.maxHeaders) return undefined;
    const colon = text.indexOf(":", pos);
    let a = colon + 1;
    let b = next - 2;
    while (a < b && (text.charCodeAt(a) === 0x20 || text.charCodeAt(a) === 0x09)) a++;
    while (b > a && (text.charCodeAt(b - 1) === 0x20 || text.charCodeAt(b - 1) === 0x09)) b--;
    headers.append(text.slice(pos, colon), text.slice(a, b));
  }
  return {
    head: { method, target, version, headers, raw: chunk.subarray(0, end) },
    rest: chunk.subarray(end),
  };
}
