/**
 * Bearer token authentication (RFC 6750).
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { Middleware, Next } from "../compose.ts";
import { HttpError } from "../http_error.ts";
import { timingSafeEqual } from "./_timing_safe.ts";

/** Options of {@linkcode bearerAuth}. */
export interface BearerAuthOptions {
  /** Accepted tokens. */
  tokens?: string[];
  /** Decides instead of `tokens`. */
  verify?: (token: string, c: Context) => boolean | Promise<boolean>;
  /** The realm named in `WWW-Authenticate`. @default "kit" */
  realm?: string;
}

/** The token syntax of RFC 6750 (b64token). */
const TOKEN = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Requires `Authorization: Bearer <token>`; sets `c.var.token`. A missing token answers 401,
 * a wrong one 401 with `error="invalid_token"`.
 *
 * @example
 * ```ts
 * import { App } from "../app.ts";
 * import { bearerAuth } from "./bearer_auth.ts";
 * import assert from "node:assert/strict";
 * const app = new App().use(bearerAuth({ tokens: ["t0k3n"] }));
 * app.get("/", () => "in");
 * assert.equal((await app.request("/")).status, 401);
 * const ok = await app.request("/", { headers: { authorization: "Bearer t0k3n" } });
 * assert.equal(ok.status, 200);
 * ```
 *
 * @param options Tokens or a verifier.
 * @returns The middleware.
 */
export function bearerAuth(
  options: BearerAuthOptions,
): Middleware<{ Variables: { token: string } }> {
  const realm = (options.realm ?? "kit").replace(/"/g, "");
  const tokens = options.tokens ?? [];
  const verify = options.verify ??
    ((token: string) => tokens.reduce((ok, t) => timingSafeEqual(t, token) || ok, false));
  return async function bearerAuth(c: Context, next: Next) {
    const match = TOKEN.exec(c.req.headers.get("authorization") ?? "");
    if (!match) {
      throw new HttpError(401, "Authentication required", {
        headers: { "www-authenticate": `Bearer realm="${realm}"` },
      });
    }
    if (!(await verify(match[1], c))) {
      throw new HttpError(401, "Invalid token", {
        headers: { "www-authenticate": `Bearer realm="${realm}", error="invalid_token"` },
      });
    }
    c.set("token", match[1]);
    await next();
  };
}
