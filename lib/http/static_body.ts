/**
 * A mark on a `Response` whose body is an in-memory string, so kit's engine can write the
 * string with the head in one buffer instead of reading the body through its stream (which
 * costs a stream, two reads and their promises per response). On any other server the mark
 * is an unused property and the response behaves as usual.
 *
 * @module
 */

const STATIC_BODY: unique symbol = Symbol.for("kit.http.staticBody");

type Marked = Response & { [STATIC_BODY]?: string | true };

/**
 * Marks `response` as carrying `body`, the string it was built from (or `true` when the body
 * is a string that only `response.text()` can give back, as with `Response.json`).
 *
 * @example
 * ```ts
 * import { markStaticBody, staticBodyOf } from "./static_body.ts";
 * import assert from "node:assert/strict";
 * const response = markStaticBody(new Response("hi"), "hi");
 * assert.equal(staticBodyOf(response), "hi");
 * await response.text();
 * assert.equal(staticBodyOf(response), undefined);
 * ```
 *
 * @param response A response made from a string body, not read since.
 * @param body That string, or `true`.
 * @returns The response.
 */
export function markStaticBody(response: Response, body: string | true): Response {
  (response as Marked)[STATIC_BODY] = body;
  return response;
}

/**
 * The string body `response` was marked with, unless the body has been read since.
 *
 * @param response The response.
 * @returns The string, `true` (read it with `response.text()`), or `undefined`.
 */
export function staticBodyOf(response: Response): string | true | undefined {
  const body = (response as Marked)[STATIC_BODY];
  if (body === undefined || response.bodyUsed) return undefined;
  return body;
}
