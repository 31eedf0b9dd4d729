/**
 * A limit on request body size: a declared `Content-Length` over it answers 413 at once; a
 * chunked body is counted as it is read and fails with 413 once it goes over.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { Middleware, Next } from "../compose.ts";
import { HttpError } from "../http_error.ts";

/**
 * Limits request bodies.
 *
 * @example
 * ```ts
 * import { App } from "../app.ts";
 * import { bodyLimit } from "./body_limit.ts";
 * import assert from "node:assert/strict";
 * const app = new App().use(bodyLimit(4));
 * app.post("/", async (c) => await c.bodyText());
 * assert.equal((await app.request("/", { method: "POST", body: "abc" })).status, 200);
 * assert.equal((await app.request("/", { method: "POST", body: "abcdef" })).status, 413);
 * ```
 *
 * @param maxBytes The largest body accepted.
 * @returns The middleware.
 */
export function bodyLimit(maxBytes: number): Middleware {
  const tooLarge = () => new HttpError(413, `The body is larger than ${maxBytes} bytes`);
  return async function bodyLimit(c: Context, next: Next) {
    const body = c.req.body;
    if (body === null) return await next();
    const declared = c.req.headers.get("content-length");
    if (declared !== null) {
      if (Number(declared) > maxBytes) throw tooLarge();
      return await next();
    }
    let seen = 0;
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.length;
          if (seen > maxBytes) controller.error(tooLarge());
          else controller.enqueue(chunk);
        },
      }),
    );
    c.req = new Request(c.req, { body: counted });
    await next();
  };
}
