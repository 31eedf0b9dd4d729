/**
 * HTTP Basic authentication (RFC 7617).
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { Middleware, Next } from "../compose.ts";
import { HttpError } from "../http_error.ts";
import { timingSafeEqual } from "./_timing_safe.ts";

/** Options of {@linkcode basicAuth}. */
export interface BasicAuthOptions {
  /** Accepted user names and passwords. */
  users?: Record<string, string>;
  /** Decides instead of `users`. */
  verify?: (user: string, password: string, c: Context) => boolean | Promise<boolean>;
  /** The realm named in `WWW-Authenticate`. @default "kit" */
  realm?: string;
}

/**
 * Requires Basic credentials; sets `c.var.user`. A missing or wrong one answers 401 with a
 * `WWW-Authenticate` challenge.
 *
 * @example
 * ```ts
 * import { App } from "../app.ts";
 * import { basicAuth } from "./basic_auth.ts";
 * import assert from "node:assert/strict";
 * const app = new App().use(basicAuth({ users: { ada: "secret" } }));
 * app.get("/", (c) => `hi ${c.var.user}`);
 * assert.equal((await app.request("/")).status, 401);
 * const ok = await app.request("/", { headers: { authorization: `Basic ${btoa("ada:secret")}` } });
 * assert.equal(await ok.text(), "hi ada");
 * ```
 *
 * @param options Users or a verifier.
 * @returns The middleware.
 */
export function basicAuth(options: BasicAuthOptions): Middleware<{ Variables: { user: string } }> {
  const realm = (options.realm ?? "kit").replace(/"/g, "");
  const users = options.users ?? {};
  const verify = options.verify ??
    ((user: string, password: string) =>
      Object.hasOwn(users, user) && timingSafeEqual(users[user], password));
  return async function basicAuth(c: Context, next: Next) {
    const header = c.req.headers.get("authorization") ?? "";
    const match = /^Basic +([A-Za-z0-9+/=]+)$/i.exec(header);
    let decoded: string | undefined;
    try {
      decoded = match
        ? new TextDecoder().decode(Uint8Array.from(atob(match[1]), (ch) => ch.charCodeAt(0)))
        : undefined;
    } catch {
      decoded = undefined;
    }
    const colon = decoded?.indexOf(":") ?? -1;
    if (
      decoded === undefined || colon === -1 ||
      !(await verify(decoded.slice(0, colon), decoded.slice(colon + 1), c))
    ) {
      throw new HttpError(401, "Authentication required", {
        headers: { "www-authenticate": `Basic realm="${realm}", charset="UTF-8"` },
      });
    }
    c.set("user", decoded.slice(0, colon));
    await next();
  };
}
