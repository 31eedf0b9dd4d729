/**
 * HTTP/1.1 over raw TCP and TLS sockets: a wire codec a client and a server share, a client
 * with a keep-alive pool, redirects, cookies, auth, proxies and timing, and a server engine
 * with WebSocket and static files.
 *
 * Layout: the codec is socket-free — `head_parser.ts` parses request and response heads from
 * byte chunks, `serialize.ts` writes them, `chunked.ts` does the chunked coding both ways,
 * `body.ts` decides the framing and streams a body from a `ByteSource`, `headers.ts` holds
 * the ordered header list and the token/value checks. `buffered_conn.ts` turns a socket into a
 * `ByteSource`. The client is `connection.ts` (DNS, TCP, TLS, CONNECT tunnels through
 * `proxy_tunnel.ts`), `pool.ts` (keep-alive per origin) and `client.ts` (the request builder),
 * with `timing.ts` for the timing record and `deadline.ts` for time limits. Helpers: `cookies.ts`, `auth.ts`, `form.ts`,
 * `content_coding.ts`, `redirect.ts`, `proxy_env.ts`. The server is `server.ts` (the accept
 * loop, limits, timeouts, shutdown) and `server_conn.ts` (one connection's requests, on the
 * same codec), with `incoming_request.ts` (the parsed request `serveIncoming` hands a handler,
 * which builds the web `Request` only when asked) and `static_body.ts` (a mark on a Response
 * whose body is an in-memory string, which the engine then writes with the head); `websocket_frame.ts` and `websocket.ts` are RFC 6455 on it, and
 * `static_files.ts` serves files and folders. Every client failure is an `HttpError`
 * (`errors.ts`) with a kind.
 *
 * @example
 * ```ts ignore
 * import { HttpClient } from "kit/http";
 * const client = new HttpClient({ follow: true });
 * const res = await client.request("GET", "https://example.com/").send();
 * console.log(res.status, await res.text());
 * client.close();
 * ```
 *
 * @module
 */
export * from "./errors.ts";
export * from "./headers.ts";
export * from "./head_parser.ts";
export * from "./serialize.ts";
export * from "./chunked.ts";
export * from "./body.ts";
export * from "./buffered_conn.ts";
export * from "./timing.ts";
export * from "./deadline.ts";
export * from "./connection.ts";
export * from "./proxy_tunnel.ts";
export * from "./pool.ts";
export * from "./client.ts";
export * from "./cookies.ts";
export * from "./auth.ts";
export * from "./form.ts";
export * from "./content_coding.ts";
export * from "./redirect.ts";
export * from "./proxy_env.ts";
export * from "./server.ts";
export { ServerConnection, type ServerConnectionConfig } from "./server_conn.ts";
export * from "./websocket_frame.ts";
export * from "./websocket.ts";
export * from "./static_files.ts";
export * from "./static_body.ts";
