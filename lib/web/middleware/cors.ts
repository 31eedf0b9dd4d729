/**
 * Cross-Origin Resource Sharing, with preflight requests answered here.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { Middleware, Next } from "../compose.ts";

/** Options of {@linkcode cors}. */
export interface CorsOptions {
  /**
   * Which origins may read responses: `"*"`, one origin, a list, or a function returning the
   * origin to allow (or `undefined` to refuse). @default "*"
   */
  origin?: string | string[] | ((origin: string, c: Context) => string | undefined);
  /** Methods a preflight allows. @default ["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"] */
  allowMethods?: string[];
  /** Request headers a preflight allows; by default those the preflight asks for. */
  allowHeaders?: string[];
  /** Response headers scripts may read. @default [] */
  exposeHeaders?: string[];
  /** Allow cookies and credentials (the origin is then echoed, never `*`). @default false */
  credentials?: boolean;
  /** How long a preflight may be cached, in seconds. */
  maxAge?: number;
}

/**
 * CORS for every response, and 204 answers to preflights (`OPTIONS` with
 * `Access-Control-Request-Method`) before any route runs.
 *
 * @example
 * ```ts
 * import { App } from "../app.ts";
 * import { cors } from "./cors.ts";
 * import assert from "node:assert/strict";
 * const app = new App().use(cors({ origin: ["https://a.example"], maxAge: 600 }));
 * app.post("/items", () => ({ ok: true }));
 * const preflight = await app.request("/items", {
 *   method: "OPTIONS",
 *   headers: { origin: "https://a.example", "access-control-request-method": "POST" },
 * });
 * assert.equal(preflight.status, 204);
 * assert.equal(preflight.headers.get("access-control-allow-origin"), "https://a.example");
 * ```
 *
 * @param options Origins, methods, headers, credentials.
 * @returns The middleware.
 */
export function cors(options: CorsOptions = {}): Middleware {
  const origin = options.origin ?? "*";
  const resolve = typeof origin === "function"
    ? origin
    : typeof origin === "string"
    ? (o: string) => (origin === "*" ? (options.credentials ? o || undefined : "*") : origin)
    : (o: string) => (origin.includes(o) ? o : undefined);
  const methods = (options.allowMethods ?? ["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"])
    .join(", ");
  const expose = options.exposeHeaders?.join(", ");
  const varies = origin !== "*" || options.credentials === true;
  return async function cors(c: Context, next: Next) {
    const requestOrigin = c.req.headers.get("origin") ?? "";
    const allowed = resolve(requestOrigin, c);
    const set = (headers: Headers) => {
      if (allowed !== undefined) headers.set("access-control-allow-origin", allowed);
      if (options.credentials) headers.set("access-control-allow-credentials", "true");
      if (varies) headers.append("vary", "Origin");
    };
    if (c.method === "OPTIONS" && c.req.headers.has("access-control-request-method")) {
      const headers = new Headers();
      set(headers);
      if (allowed !== undefined) {
        headers.set("access-control-allow-methods", methods);
        const asked = c.req.headers.get("access-control-request-headers");
        const allowHeaders = options.allowHeaders?.join(", ") ?? asked;
        if (allowHeaders) headers.set("access-control-allow-headers", allowHeaders);
        if (!options.allowHeaders && asked) {
          headers.append("vary", "Access-Control-Request-Headers");
        }
        if (options.maxAge !== undefined) {
          headers.set("access-control-max-age", String(options.maxAge));
        }
      }
      return new Response(null, { status: 204, headers });
    }
    const response = await next();
    set(response.headers);
    if (expose && allowed !== undefined) {
      response.headers.set("access-control-expose-headers", expose);
    }
  };
}
