/**
 * Ordered, case-insensitive header lists and the RFC 9110 checks on names and values.
 *
 * @module
 */
import { HttpError } from "./errors.ts";

// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TCHAR[c.charCodeAt(0)] = 1;
}

/**
 * Whether `text` is a non-empty RFC 9110 token (header names, methods).
 *
 * @example
 * ```ts
 * import { isToken } from "./headers.ts";
 * import assert from "node:assert/strict";
 * assert.ok(isToken("X-Custom"));
 * assert.ok(!isToken("bad name"));
 * ```
 *
 * @param text The text to check.
 * @returns True when every character is a tchar.
 */
export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) return false;
  }
  return true;
}

/**
 * Whether `text` holds a CR, LF or NUL, the characters that would let a value end a line early
 * and smuggle a header or a second request.
 *
 * @example
 * ```ts
 * import { hasCtlBreak } from "./headers.ts";
 * import assert from "node:assert/strict";
 * assert.ok(hasCtlBreak("a\r\nb"));
 * assert.ok(!hasCtlBreak("a b"));
 * ```
 *
 * @param text The text to check.
 * @returns True when a CR, LF or NUL is present.
 */
export function hasCtlBreak(text: string): boolean {
  return /[\r\n\0]/.test(text);
}

/**
 * Whether `target` can stand as a request-target: not empty, and no whitespace or control
 * character that would end the request line early.
 *
 * @example
 * ```ts
 * import { isValidTarget } from "./headers.ts";
 * import assert from "node:assert/strict";
 * assert.ok(isValidTarget("/a?b=1"));
 * assert.ok(!isValidTarget("/a b"));
 * ```
 *
 * @param target The request-target.
 * @returns True when it can be written in a request line.
 */
export function isValidTarget(target: string): boolean {
  if (target.length === 0) return false;
  for (let i = 0; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return false;
  }
  return true;
}

/**
 * Whether `value` is a header value that may be sent: no CR, LF or NUL, no other control
 * character but HTAB, and no leading or trailing whitespace after trimming is needed.
 *
 * @example
 * ```ts
 * import { isValidHeaderValue } from "./headers.ts";
 * import assert from "node:assert/strict";
 * assert.ok(isValidHeaderValue("text/html; charset=utf-8"));
 * assert.ok(!isValidHeaderValue("x\ny"));
 * ```
 *
 * @param value The value to check.
 * @returns True when the value can be written on a header line.
 */
export function isValidHeaderValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return false;
  }
  return true;
}

/**
 * Throws HttpError("invalid-request") unless `name` is a token and `value` a valid header value.
 *
 * @example
 * ```ts
 * import { assertHeader } from "./headers.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => assertHeader("X-A", "1\r\nX-B: 2"), /invalid header value/);
 * ```
 *
 * @param name The header name.
 * @param value The header value.
 */
export function assertHeader(name: string, value: string): void {
  if (!isToken(name)) {
    throw new HttpError("invalid-request", `invalid header name: ${JSON.stringify(name)}`);
  }
  if (!isValidHeaderValue(value)) {
    throw new HttpError(
      "invalid-request",
      `invalid header value for ${name}: ${JSON.stringify(value)}`,
    );
  }
}

/**
 * An ordered header list: lookups ignore case, while repeats and the original spelling are kept
 * (so a response can be printed exactly as it came).
 *
 * @example
 * ```ts
 * import { HttpHeaders } from "./headers.ts";
 * import assert from "node:assert/strict";
 * const h = new HttpHeaders([["Accept", "a"], ["accept", "b"], ["Set-Cookie", "x=1"]]);
 * assert.equal(h.get("ACCEPT"), "a, b");
 * assert.deepEqual(h.getAll("set-cookie"), ["x=1"]);
 * assert.equal(h.entries()[1][0], "accept");
 * ```
 */
export class HttpHeaders {
  #list: [string, string][];

  /**
   * Makes a header list.
   *
   * @param list The headers in order.
   */
  constructor(list: Iterable<[string, string]> = []) {
    this.#list = [];
    for (const [name, value] of list) this.#list.push([name, value]);
  }

  /**
   * The value of `name` with repeats joined by ", "; for Set-Cookie, whose values may hold commas,
   * the first value (getAll gives them all).
   *
   * @param name The header name, any case.
   * @returns The value, or null when absent.
   */
  get(name: string): string | null {
    const all = this.getAll(name);
    if (all.length === 0) return null;
    if (name.toLowerCase() === "set-cookie") return all[0];
    return all.join(", ");
  }

  /**
   * Every value of `name`, in order.
   *
   * @param name The header name, any case.
   * @returns The values.
   */
  getAll(name: string): string[] {
    const lower = name.toLowerCase();
    const out: string[] = [];
    for (const [n, v] of this.#list) {
      if (n.length === lower.length && n.toLowerCase() === lower) out.push(v);
    }
    return out;
  }

  /**
   * Whether `name` is present.
   *
   * @param name The header name, any case.
   * @returns True when present.
   */
  has(name: string): boolean {
    const lower = name.toLowerCase();
    return this.#list.some(([n]) => n.toLowerCase() === lower);
  }

  /**
   * Appends a header (no check: the serializer checks before writing).
   *
   * @param name The header name.
   * @param value The value.
   */
  append(name: string, value: string): void {
    this.#list.push([name, value]);
  }

  /**
   * Replaces every header called `name` with one, kept at the place of the first.
   *
   * @param name The header name.
   * @param value The value.
   */
  set(name: string, value: string): void {
    const lower = name.toLowerCase();
    const at = this.#list.findIndex(([n]) => n.toLowerCase() === lower);
    this.delete(name);
    if (at === -1) this.#list.push([name, value]);
    else this.#list.splice(at, 0, [name, value]);
  }

  /**
   * Removes every header called `name`.
   *
   * @param name The header name, any case.
   */
  delete(name: string): void {
    const lower = name.toLowerCase();
    this.#list = this.#list.filter(([n]) => n.toLowerCase() !== lower);
  }

  /**
   * The headers as pairs.
   *
   * @returns A copy of the list, in order, with the original spelling.
   */
  entries(): [string, string][] {
    return this.#list.map(([n, v]) => [n, v]);
  }

  /** The number of header lines. */
  get size(): number {
    return this.#list.length;
  }

  /** Iterates the headers in order. */
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries()[Symbol.iterator]();
  }
}
