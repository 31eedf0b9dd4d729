/**
 * Security headers with safe defaults, each one replaceable or switched off.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { Middleware, Next } from "../compose.ts";

/** Header values; `false` leaves a header out. */
export interface SecureHeadersOptions {
  /** @default "nosniff" */
  "x-content-type-options"?: string | false;
  /** @default "DENY" */
  "x-frame-options"?: string | false;
  /** @default "no-referrer" */
  "referrer-policy"?: string | false;
  /** @default "max-age=15552000; includeSubDomains" */
  "strict-transport-security"?: string | false;
  /** @default "same-origin" */
  "cross-origin-opener-policy"?: string | false;
  /** @default "same-origin" */
  "cross-origin-resource-policy"?: string | false;
  /** @default "off" */
  "x-dns-prefetch-control"?: string | false;
  /** @default "none" */
  "x-permitted-cross-domain-policies"?: string | false;
  /** @default "?1" */
  "origin-agent-cluster"?: string | false;
  /** @default "0" (the old XSS auditor did more harm than good) */
  "x-xss-protection"?: string | false;
  /** Not set by default: a policy depends on the app. */
  "content-security-policy"?: string | false;
}

/** The defaults of {@linkcode secureHeaders}. */
export const SECURE_HEADERS_DEFAULTS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=15552000; includeSubDomains",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "x-dns-prefetch-control": "off",
  "x-permitted-cross-domain-policies": "none",
  "origin-agent-cluster": "?1",
  "x-xss-protection": "0",
  "content-security-policy": false,
} satisfies SecureHeadersOptions;

/**
 * Adds security headers to every response (those the handler set itself are kept).
 *
 * @example
 * ```ts
 * import { App } from "../app.ts";
 * import { secureHeaders } from "./secure_headers.ts";
 * import assert from "node:assert/strict";
 * const app = new App().use(secureHeaders({ "x-frame-options": false }));
 * app.get("/", () => "hi");
 * const response = await app.request("/");
 * assert.equal(response.headers.get("x-content-type-options"), "nosniff");
 * assert.equal(response.headers.get("x-frame-options"), null);
 * ```
 *
 * @param options Values to replace or switch off.
 * @returns The middleware.
 */
export function secureHeaders(options: SecureHeadersOptions = {}): Middleware {
  const values = Object.entries({ ...SECURE_HEADERS_DEFAULTS, ...options })
    .filter((e): e is [string, string] => typeof e[1] === "string");
  return async function secureHeaders(_c: Context, next: Next) {
    const response = await next();
    for (const [name, value] of values) {
      if (!response.headers.has(name)) response.headers.set(name, value);
    }
  };
}
