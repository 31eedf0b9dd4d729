/**
 * kit's web framework: an app is a `fetch(Request) => Response` function that runs on
 * Deno.serve or on kit's own HTTP/1.1 engine (`app.listen({ engine: "kit" })`).
 *
 * Layout: `app.ts` (routes, mounting, middleware, serving), `router.ts` (the segment trie and
 * the path-param types), `context.ts` (extractors and response helpers), `compose.ts` (the
 * middleware onion and handler results), `validate.ts` (Standard Schema validation),
 * `openapi.ts` (an OpenAPI 3.1 document from the routes), `sse.ts` (Server-Sent Events),
 * `websocket.ts` (upgrades on either engine),
 * `http_error.ts`, and `middleware/` (one file per middleware).
 *
 * @example
 * ```ts
 * import { App, cors, validate } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const app = new App();
 * app.use(cors());
 * app.get("/users/:id", (c) => ({ id: c.params.id }));
 * const response = await app.request("/users/1");
 * assert.deepEqual(await response.json(), { id: "1" });
 * ```
 *
 * @module
 */
export * from "./app.ts";
export * from "./router.ts";
export * from "./context.ts";
export * from "./compose.ts";
export * from "./http_error.ts";
export * from "./validate.ts";
export * from "./openapi.ts";
export * from "./sse.ts";
export * from "./middleware/logger.ts";
export * from "./middleware/request_id.ts";
export * from "./middleware/cors.ts";
export * from "./middleware/basic_auth.ts";
export * from "./middleware/bearer_auth.ts";
export * from "./middleware/jwt.ts";
export * from "./middleware/compress.ts";
export * from "./middleware/etag.ts";
export * from "./middleware/body_limit.ts";
export * from "./middleware/timeout.ts";
export * from "./middleware/rate_limit.ts";
export * from "./middleware/secure_headers.ts";
export * from "./middleware/error_handler.ts";
export * from "./websocket.ts";
