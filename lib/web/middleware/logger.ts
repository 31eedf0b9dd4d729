/**
 * Access logging: one line per request, written through a function the caller gives, since
 * library code never prints.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { Middleware, Next } from "../compose.ts";
import { HttpError } from "../http_error.ts";

/** Options of {@linkcode logger}. */
export interface LoggerOptions {
  /** The clock, in milliseconds. @default performance.now */
  now?: () => number;
}

/**
 * Logs `METHOD /path STATUS 1.2ms` for each request once it is answered; a request whose
 * handler threw is logged with the status the error answers with (500 unless an
 * {@linkcode HttpError}) and the error goes on up.
 *
 * @example
 * ```ts
 * import { App } from "../app.ts";
 * import { logger } from "./logger.ts";
 * import assert from "node:assert/strict";
 * const lines: string[] = [];
 * let t = 0;
 * const app = new App().use(logger((line) => lines.push(line), { now: () => (t += 2) }));
 * app.get("/", () => "hi");
 * await app.request("/");
 * assert.deepEqual(lines, ["GET / 200 2.0ms"]);
 * ```
 *
 * @param write Receives each line (without a newline).
 * @param options A clock.
 * @returns The middleware.
 */
export function logger(write: (line: string) => void, options: LoggerOptions = {}): Middleware {
  const now = options.now ?? (() => performance.now());
  return async function logger(c: Context, next: Next) {
    const start = now();
    let status = 500;
    try {
      status = (await next()).status;
    } catch (error) {
      if (error instanceof HttpError) status = error.status;
      throw error;
    } finally {
      write(`${c.method} ${c.path} ${status} ${(now() - start).toFixed(1)}ms`);
    }
  };
}
