/**
 * ETags and conditional GET: a strong ETag from a SHA-1 of the body, and 304 answers to a
 * matching `If-None-Match`.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { Middleware, Next } from "../compose.ts";

/** Options of {@linkcode etag}. */
export interface EtagOptions {
  /** Make weak ETags (`W/"..."`). @default false */
  weak?: boolean;
}

/** Headers a 304 keeps (RFC 9110 15.4.5). */
const KEEP_ON_304 = ["cache-control", "content-location", "date", "etag", "expires", "vary"];

/**
 * Whether an `If-None-Match` header matches an ETag, by the weak comparison RFC 9110 asks
 * for on GET and HEAD.
 *
 * @example
 * ```ts
 * import { etagMatches } from "./etag.ts";
 * import assert from "node:assert/strict";
 * assert.ok(etagMatches('"a", W/"b"', '"b"'));
 * assert.ok(etagMatches("*", '"x"'));
 * assert.ok(!etagMatches('"a"', '"b"'));
 * ```
 *
 * @param header The `If-None-Match` value.
 * @param tag The current ETag.
 * @returns True when the client's copy is current.
 */
export function etagMatches(header: string, tag: string): boolean {
  if (header.trim() === "*") return true;
  const bare = tag.replace(/^W\//, "");
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === bare);
}

/**
 * Adds an ETag to 200 answers to GET and HEAD (hashing a body means reading it, so streamed
 * `text/event-stream` bodies are left alone) and answers 304 when the client's copy matches.
 * An ETag the handler set is kept and used.
 *
 * @example
 * ```ts
 * import { App } from "../app.ts";
 * import { etag } from "./etag.ts";
 * import assert from "node:assert/strict";
 * const app = new App().use(etag());
 * app.get("/", () => "same");
 * const first = await app.request("/");
 * const tag = first.headers.get("etag")!;
 * const again = await app.request("/", { headers: { "if-none-match": tag } });
 * assert.equal(again.status, 304);
 * ```
 *
 * @param options Weak or strong.
 * @returns The middleware.
 */
export function etag(options: EtagOptions = {}): Middleware {
  return async function etag(c: Context, next: Next) {
    const response = await next();
    if ((c.method !== "GET" && c.method !== "HEAD") || response.status !== 200) return;
    let tag = response.headers.get("etag");
    if (tag === null) {
      if (
        response.body === null || /event-stream/.test(response.headers.get("content-type") ?? "")
      ) {
        return;
      }
      const bytes = await response.arrayBuffer();
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes));
      tag = `${options.weak ? "W/" : ""}"${
        btoa(String.fromCharCode(...digest)).replace(/=+$/, "")
      }"`;
      const copy = new Response(bytes, response);
      copy.headers.set("etag", tag);
      c.res = copy;
    }
    const header = c.req.headers.get("if-none-match");
    if (header !== null && etagMatches(header, tag)) {
      const headers = new Headers();
      for (const name of KEEP_ON_304) {
        const value = c.res!.headers.get(name);
        if (value !== null) headers.set(name, value);
      }
      await c.res!.body?.cancel();
      c.res = new Response(null, { status: 304, headers });
    }
  };
}
