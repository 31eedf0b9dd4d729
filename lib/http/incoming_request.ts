/**
 * The request as kit's engine read it, before any web-standard `Request` exists. Building a
 * `Request` (URL parsing, header validation, the body stream) is a large share of a small
 * request's cost, and a router needs only the method and the path, so a handler given to
 * {@linkcode serveIncoming} gets this and asks for `request` only when it needs one.
 *
 * @module
 */
import type { HttpHeaders } from "./headers.ts";
import type { ConnInfo } from "./server.ts";
import { urlPath } from "./_request_target.ts";

/**
 * A request read by the engine; `request` builds the web `Request` on first use.
 *
 * @example
 * ```ts
 * import { serveIncoming } from "./server.ts";
 * import assert from "node:assert/strict";
 * const server = serveIncoming((incoming) => {
 *   // Routing needs no Request: method, path and headers come from the parsed head.
 *   if (incoming.path === "/fast") return new Response(`${incoming.method} fast`);
 *   return new Response(`slow ${new URL(incoming.request.url).pathname}`);
 * }, { port: 0 });
 * const base = `http://127.0.0.1:${server.addr.port}`;
 * assert.equal(await (await fetch(`${base}/fast`)).text(), "GET fast");
 * assert.equal(await (await fetch(`${base}/other`)).text(), "slow /other");
 * await server.shutdown();
 * ```
 */
export class IncomingRequest {
  /** The method, as `Request.method` would give it. */
  readonly method: string;
  /** The absolute URL, as `Request.url` would give it. */
  readonly url: string;
  /** The request headers as received (names in their original case); treat as read-only. */
  readonly headers: HttpHeaders;
  /** The connection it came on. */
  readonly info: ConnInfo;
  #build: (() => Request) | null;
  #request: Request | null = null;
  #path: string | null = null;

  /**
   * @param method The method, normalised as `Request` does.
   * @param url The absolute URL, canonical as `Request.url` would be.
   * @param headers The received headers.
   * @param info The connection info.
   * @param build Makes the web `Request`; called at most once.
   */
  constructor(
    method: string,
    url: string,
    headers: HttpHeaders,
    info: ConnInfo,
    build: () => Request,
  ) {
    this.method = method;
    this.url = url;
    this.headers = headers;
    this.info = info;
    this.#build = build;
  }

  /** The path of the URL, still percent-encoded, without the query. */
  get path(): string {
    return this.#path ??= urlPath(this.url);
  }

  /** Aborted when the client goes away or the handler runs out of time. */
  get signal(): AbortSignal {
    return this.info.signal;
  }

  /** Whether the web `Request` was built. */
  get built(): boolean {
    return this.#request !== null;
  }

  /** The web-standard `Request`, built on first use (with the body as a stream). */
  get request(): Request {
    if (this.#request === null) {
      const build = this.#build!;
      this.#build = null;
      this.#request = build();
    }
    return this.#request;
  }
}
