/**
 * The error a handler or middleware throws to answer with a given status.
 *
 * @module
 */

/** Options of {@linkcode HttpError}. */
export interface HttpErrorOptions {
  /** The response to send instead of the default `{ "error": message }` JSON. */
  response?: Response;
  /** Extra fields for the default JSON body (e.g. validation issues). */
  details?: Record<string, unknown>;
  /** Headers for the default response (e.g. `WWW-Authenticate`). */
  headers?: HeadersInit;
  /** The error that caused this one. */
  cause?: unknown;
}

/**
 * An error that becomes an HTTP response: the status, and a JSON body `{ "error": message }`
 * with any `details` beside it, unless a whole `response` is given.
 *
 * @example
 * ```ts
 * import { HttpError } from "./http_error.ts";
 * import assert from "node:assert/strict";
 * const error = new HttpError(404, "No todo 7");
 * const response = error.toResponse();
 * assert.equal(response.status, 404);
 * assert.deepEqual(await response.json(), { error: "No todo 7" });
 * ```
 */
export class HttpError extends Error {
  override name = "HttpError";
  /** The status to answer with. */
  readonly status: number;
  /** Extra JSON fields. */
  readonly details: Record<string, unknown> | undefined;
  readonly #response: Response | undefined;
  readonly #headers: HeadersInit | undefined;

  /**
   * @param status An HTTP status, 400–599.
   * @param message What went wrong, sent to the client.
   * @param options A whole response, details or headers.
   */
  constructor(status: number, message?: string, options: HttpErrorOptions = {}) {
    super(message ?? STATUS_TEXT[status] ?? `HTTP ${status}`, { cause: options.cause });
    this.status = status;
    this.details = options.details;
    this.#response = options.response;
    this.#headers = options.headers;
  }

  /**
   * The response this error answers with.
   *
   * @returns A new response (or the one given).
   */
  toResponse(): Response {
    if (this.#response) return this.#response;
    const headers = new Headers(this.#headers);
    headers.set("content-type", "application/json; charset=utf-8");
    return new Response(JSON.stringify({ error: this.message, ...this.details }), {
      status: this.status,
      headers,
    });
  }
}

/** Reason phrases of the statuses the framework itself answers with. */
export const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};
