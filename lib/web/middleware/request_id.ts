/**
 * Request ids: one per request, taken from the client's header when it looks sane, else made;
 * stored as `c.var.requestId` and echoed in the response.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { Middleware, Next } from "../compose.ts";

/** Options of {@linkcode requestId}. */
export interface RequestIdOptions {
  /** The header read and written. @default "x-request-id" */
  header?: string;
  /** Makes an id. @default crypto.randomUUID */
  generate?: () => string;
}

/** An id a client may choose: short, and only characters that cannot split a log line. */
const SANE = /^[\w\-.:+/=]{1,200}$/;

/**
 * Gives each request an id.
 *
 * @example
 * ```ts
 * import { App } from "../app.ts";
 * import { requestId } from "./request_id.ts";
 * import assert from "node:assert/strict";
 * const app = new App().use(requestId({ generate: () => "id-1" }));
 * app.get("/", (c) => c.var.requestId);
 * const response = await app.request("/");
 * assert.equal(await response.text(), "id-1");
 * assert.equal(response.headers.get("x-request-id"), "id-1");
 * ```
 *
 * @param options The header and a generator.
 * @returns The middleware.
 */
export function requestId(
  options: RequestIdOptions = {},
): Middleware<{ Variables: { requestId: string } }> {
  const header = options.header ?? "x-request-id";
  const generate = options.generate ?? (() => crypto.randomUUID());
  return async function requestId(c: Context, next: Next) {
    const given = c.req.headers.get(header);
    const id = given !== null && SANE.test(given) ? given : generate();
    c.set("requestId", id);
    c.setHeader(header, id);
    const response = await next();
    response.headers.set(header, id);
  };
}
