/**
 * A deadline for the handlers below: past it the client gets 503 and the handler's signal
 * (`c.var.signal`) is aborted so it can stop its work.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { Middleware, Next } from "../compose.ts";
import { HttpError } from "../http_error.ts";

/**
 * Answers 503 when the handlers below take longer than `ms`.
 *
 * @example
 * ```ts
 * import { App } from "../app.ts";
 * import { timeout } from "./timeout.ts";
 * import assert from "node:assert/strict";
 * const app = new App().use(timeout(5));
 * app.get("/slow", (c) => new Promise((resolve) => c.var.signal.addEventListener("abort", () => resolve("late"))));
 * assert.equal((await app.request("/slow")).status, 503);
 * ```
 *
 * @param ms The deadline in milliseconds.
 * @returns The middleware.
 */
export function timeout(ms: number): Middleware<{ Variables: { signal: AbortSignal } }> {
  return async function timeout(c: Context, next: Next) {
    const controller = new AbortController();
    c.set("signal", controller.signal);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new HttpError(503, `No response within ${ms} ms`);
        controller.abort(error);
        reject(error);
      }, ms);
    });
    try {
      await Promise.race([next(), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
