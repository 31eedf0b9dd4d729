/**
 * `kit web`'s library API.
 *
 * Layout: `static_server.ts` is the file server behind `kit web serve`, built on kit's HTTP/1.1
 * engine (`lib/http/server.ts`) and its static file handler (`lib/http/static_files.ts`). The
 * web framework itself lives in `lib/web`.
 *
 * @example
 * ```ts
 * import { startStaticServer } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const server = startStaticServer({ root: Deno.cwd(), port: 0 });
 * assert.ok(server.addr.port > 0);
 * await server.shutdown();
 * ```
 *
 * @module
 */
export * from "./static_server.ts";
