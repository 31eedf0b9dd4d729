/**
 * Writes message heads, refusing anything that could break the framing (CR, LF or NUL in the
 * method, target, header names or values) before a byte is sent.
 *
 * @module
 */
import { HttpError } from "./errors.ts";
import { assertHeader, isToken, isValidHeaderValue, isValidTarget } from "./headers.ts";
import { utf8Bytes } from "./_bytes.ts";

/**
 * The bytes of a request head.
 *
 * @example
 * ```ts
 * import { serializeRequestHead } from "./serialize.ts";
 * import assert from "node:assert/strict";
 * const bytes = serializeRequestHead("GET", "/a?b=1", [["Host", "example.com"]]);
 * assert.equal(new TextDecoder().decode(bytes), "GET /a?b=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");
 * ```
 *
 * @param method The method, a token.
 * @param target The request-target: no whitespace or control characters.
 * @param headers The header lines, in order.
 * @returns The head, blank line included.
 * @throws {HttpError} kind "invalid-request" on a bad method, target, name or value.
 */
export function serializeRequestHead(
  method: string,
  target: string,
  headers: Iterable<[string, string]>,
): Uint8Array {
  if (!isToken(method)) {
    throw new HttpError("invalid-request", `invalid method: ${JSON.stringify(method)}`);
  }
  if (!isValidTarget(target)) {
    throw new HttpError("invalid-request", `invalid request target: ${JSON.stringify(target)}`);
  }
  let text = `${method} ${target} HTTP/1.1\r\n`;
  for (const [name, value] of headers) {
    assertHeader(name, value);
    text += `${name}: ${value}\r\n`;
  }
  return utf8Bytes(text + "\r\n");
}

/**
 * The bytes of a response head, for a server built on the same codec.
 *
 * @example
 * ```ts
 * import { serializeResponseHead } from "./serialize.ts";
 * import assert from "node:assert/strict";
 * const bytes = serializeResponseHead(204, "No Content", [["Server", "kit"]]);
 * assert.equal(new TextDecoder().decode(bytes), "HTTP/1.1 204 No Content\r\nServer: kit\r\n\r\n");
 * ```
 *
 * @param status The status code, 100 to 999.
 * @param reason The reason phrase.
 * @param headers The header lines, in order.
 * @param version The protocol version.
 * @returns The head, blank line included.
 */
export function serializeResponseHead(
  status: number,
  reason: string,
  headers: Iterable<[string, string]>,
  version: "HTTP/1.1" | "HTTP/1.0" = "HTTP/1.1",
): Uint8Array {
  if (!Number.isInteger(status) || status < 100 || status > 999) {
    throw new RangeError(`invalid status code: ${status}`);
  }
  if (!isValidHeaderValue(reason)) {
    throw new RangeError(`invalid reason phrase: ${JSON.stringify(reason)}`);
  }
  let text = `${version} ${status} ${reason}\r\n`;
  for (const [name, value] of headers) {
    assertHeader(name, value);
    text += `${name}: ${value}\r\n`;
  }
  return utf8Bytes(text + "\r\n");
}
