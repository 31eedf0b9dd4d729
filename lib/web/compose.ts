/**
 * Handlers, middleware and the onion that runs them: each middleware gets `next()`, which
 * runs the rest of the chain and resolves to its response (also left in `c.res`), so code
 * after `await next()` can read or change it.
 *
 * @module
 */

import type { Context, Env } from "./context.ts";
import { HttpError } from "./http_error.ts";

/** Runs the rest of the chain; resolves to its response. */
export type Next = () => Promise<Response>;

/**
 * What a handler may return: a `Response`; a string (sent as text); `null` (204); a
 * `Uint8Array`, `ReadableStream` or `Blob` (sent as bytes); any other value (sent as JSON);
 * `undefined` from a middleware that called `next()` (the response below it stands).
 */
export type HandlerResult =
  | Response
  | string
  | number
  | boolean
  | null
  | undefined
  | Uint8Array
  | ReadableStream<Uint8Array>
  | Blob
  | object;

/** A route handler or a middleware. */
export type Handler<
  P extends Record<string, string | undefined> = Record<string, string>,
  E extends Env = Env,
> = (c: Context<P, E>, next: Next) => HandlerResult | Promise<HandlerResult>;

/**
 * A middleware whose type says what it adds to the context (`Variables` it sets, `Valid`
 * values it checked), so the handlers after it are typed accordingly.
 */
export type Middleware<E extends Env = Env> =
  & ((c: Context, next: Next) => HandlerResult | Promise<HandlerResult>)
  & {
    /** Carries `E` in the type only. */
    readonly "~env"?: E;
  };

/** What a route registration knows beyond its handlers: for OpenAPI and introspection. */
export interface HandlerMeta {
  /** A validator's target and schema. */
  validate?: { target: string; schema: unknown };
  /** Documentation for the route. */
  doc?: RouteDoc;
  /** Metadata only: not run. */
  skip?: boolean;
}

/** Documentation a route carries into the OpenAPI document. */
export interface RouteDoc {
  /** One line. */
  summary?: string;
  /** Longer text. */
  description?: string;
  /** Groups in the document. */
  tags?: string[];
  /** An `operationId`. */
  operationId?: string;
  /** Responses by status: a description, and optionally a JSON schema (Standard Schema or JSON Schema). */
  responses?: Record<string, { description: string; schema?: unknown }>;
  /** Security requirement names (e.g. `["bearer"]`). */
  security?: string[];
  /** Leave the route out of the document. */
  hidden?: boolean;
}

/** The property a handler carries its {@linkcode HandlerMeta} under. */
export const META: unique symbol = Symbol.for("kit.web.meta");

/** A handler with its metadata. */
export type WithMeta = { [META]?: HandlerMeta };

/** A compiled chain: runs the handlers for one context. */
export type Runner = (c: Context) => Response | Promise<Response>;

/**
 * Composes handlers into one runner, onion style. A chain of one handler runs without any
 * promise when the handler answers synchronously.
 *
 * @example
 * ```ts
 * import { compose } from "./compose.ts";
 * import { Context } from "./context.ts";
 * import assert from "node:assert/strict";
 * const order: string[] = [];
 * const run = compose([
 *   async (c, next) => { order.push("in"); await next(); order.push("out"); c.res!.headers.set("x", "1"); },
 *   () => { order.push("handler"); return { ok: true }; },
 * ]);
 * const response = await run(new Context(new Request("http://x/")));
 * assert.deepEqual(order, ["in", "handler", "out"]);
 * assert.equal(response.headers.get("x"), "1");
 * ```
 *
 * @param handlers The middleware then the handler; metadata-only entries are skipped.
 * @returns The runner.
 */
export function compose(handlers: readonly Handler[]): Runner {
  const chain = handlers.filter((h) => !(h as WithMeta)[META]?.skip);
  if (chain.length === 1) {
    const only = chain[0];
    return function single(c) {
      const out = only(c, END);
      if (out instanceof Promise) return out.then((value) => settle(c, value));
      return settle(c, out);
    };
  }
  return function onion(c) {
    return dispatch(c, chain, 0);
  };
}

/** `next()` of a lone handler: nothing below it, and no response yet. */
const END: Next = () => Promise.reject(new HttpError(404));

function endOfChain(c: Context): Next {
  return () => {
    if (c.res) return Promise.resolve(c.res);
    return Promise.reject(new HttpError(404));
  };
}

async function dispatch(c: Context, chain: readonly Handler[], i: number): Promise<Response> {
  if (i === chain.length) return endOfChain(c)();
  let called = false;
  const next: Next = () => {
    if (called) return Promise.reject(new Error("next() called twice"));
    called = true;
    return dispatch(c, chain, i + 1);
  };
  return settle(c, await chain[i](c, next));
}

function settle(c: Context, value: HandlerResult): Response {
  if (value === undefined) {
    if (c.res) return c.res;
    throw new TypeError(`The handler for ${c.method} ${c.path} returned no response`);
  }
  return c.res = toResponse(c, value);
}

/**
 * Turns a handler's value into a response, adding the headers set on the context.
 *
 * @example
 * ```ts
 * import { toResponse } from "./compose.ts";
 * import { Context } from "./context.ts";
 * import assert from "node:assert/strict";
 * const c = new Context(new Request("http://x/"));
 * assert.equal(toResponse(c, "hi").headers.get("content-type"), "text/plain;charset=UTF-8");
 * assert.deepEqual(await toResponse(c, { a: 1 }).json(), { a: 1 });
 * assert.equal(toResponse(c, null).status, 204);
 * ```
 *
 * @param c The context.
 * @param value What the handler returned (not `undefined`).
 * @returns The response.
 */
export function toResponse(c: Context, value: HandlerResult): Response {
  if (value instanceof Response) {
    const pending = c.pendingHeaders();
    if (pending === undefined || value === c.res) return value;
    return withHeaders(value, pending);
  }
  if (typeof value === "string") return c.text(value);
  if (value === null) return c.body(null, 204);
  if (
    value instanceof Uint8Array || value instanceof ReadableStream || value instanceof Blob ||
    value instanceof ArrayBuffer
  ) {
    return c.body(value as BodyInit);
  }
  return c.json(value);
}

/**
 * Adds headers to a response; a response whose headers are immutable (from `fetch`) is
 * copied first.
 *
 * @param response The response.
 * @param headers What to set.
 * @returns The response, or its copy.
 */
export function withHeaders(response: Response, headers: Headers): Response {
  try {
    for (const [k, v] of headers) {
      if (k === "set-cookie") response.headers.append(k, v);
      else response.headers.set(k, v);
    }
    return response;
  } catch {
    const copy = new Response(response.body, response);
    for (const [k, v] of headers) {
      if (k === "set-cookie") copy.headers.append(k, v);
      else copy.headers.set(k, v);
    }
    return copy;
  }
}
