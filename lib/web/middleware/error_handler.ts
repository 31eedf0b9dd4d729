/**
 * JSON error answers: an error middleware and a not-found handler that speak
 * `{ "error": message }`, for APIs.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { Handler, Middleware, Next } from "../compose.ts";
import { HttpError } from "../http_error.ts";

/** Options of {@linkcode errorHandler}. */
export interface ErrorHandlerOptions {
  /** Send an unexpected error's message instead of "Internal Server Error". @default false */
  expose?: boolean;
  /** Told of each unexpected error (for logging). */
  report?: (error: unknown, c: Context) => void;
}

/**
 * Catches what the handlers below throw: an {@linkcode HttpError} answers with its status and
 * body; anything else is reported and answers 500 `{ "error": "Internal Server Error" }`.
 *
 * @example
 * ```ts
 * import { App } from "../app.ts";
 * import { errorHandler } from "./error_handler.ts";
 * import assert from "node:assert/strict";
 * const seen: unknown[] = [];
 * const app = new App().use(errorHandler({ report: (e) => seen.push(e) }));
 * app.get("/", () => { throw new Error("boom"); });
 * const response = await app.request("/");
 * assert.equal(response.status, 500);
 * assert.deepEqual(await response.json(), { error: "Internal Server Error" });
 * assert.equal(seen.length, 1);
 * ```
 *
 * @param options Exposure and reporting.
 * @returns The middleware.
 */
export function errorHandler(options: ErrorHandlerOptions = {}): Middleware {
  return async function errorHandler(c: Context, next: Next) {
    try {
      await next();
    } catch (error) {
      if (error instanceof HttpError) return error.toResponse();
      options.report?.(error, c);
      const message = options.expose && error instanceof Error
        ? error.message
        : "Internal Server Error";
      return c.json({ error: message }, 500);
    }
  };
}

/**
 * A not-found handler answering 404 `{ "error": "No route for GET /x" }`, for
 * `app.notFound()`.
 *
 * @example
 * ```ts
 * import { App } from "../app.ts";
 * import { notFound } from "./error_handler.ts";
 * import assert from "node:assert/strict";
 * const app = new App().notFound(notFound());
 * const response = await app.request("/nothing");
 * assert.deepEqual(await response.json(), { error: "No route for GET /nothing" });
 * ```
 *
 * @returns The handler.
 */
export function notFound(): Handler {
  return function notFound(c) {
    return c.json({ error: `No route for ${c.method} ${c.path}` }, 404);
  };
}
