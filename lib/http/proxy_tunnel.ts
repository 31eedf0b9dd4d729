/**
 * CONNECT tunnels through an HTTP proxy (RFC 9110 §9.3.6), for https:// targets.
 *
 * @module
 */
import { HttpError } from "./errors.ts";
import { HeadParser, type ResponseHead } from "./head_parser.ts";
import { serializeRequestHead } from "./serialize.ts";
import type { BufferedConn } from "./buffered_conn.ts";

/**
 * The Proxy-Authorization value for a proxy URL with user info, or null.
 *
 * @example
 * ```ts
 * import { proxyAuthorization } from "./proxy_tunnel.ts";
 * import assert from "node:assert/strict";
 * assert.equal(proxyAuthorization(new URL("http://u:p@proxy:3128")), "Basic dTpw");
 * assert.equal(proxyAuthorization(new URL("http://proxy:3128")), null);
 * ```
 *
 * @param proxy The proxy URL.
 * @returns The header value, or null without a user name.
 */
export function proxyAuthorization(proxy: URL): string | null {
  if (!proxy.username) return null;
  const text = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/**
 * Asks the proxy on `conn` for a tunnel to `host:port` and waits for its 2xx answer; afterwards
 * the connection carries raw bytes to the target (TLS goes on top).
 *
 * @example
 * ```ts ignore
 * await openTunnel(conn, "example.com", 443, null);
 * ```
 *
 * @param conn A connection to the proxy.
 * @param host The target host (an IPv6 address without brackets).
 * @param port The target port.
 * @param authorization A Proxy-Authorization value, or null.
 * @returns The proxy's response head.
 * @throws {HttpError} kind "connect" when the proxy refuses, "protocol" on a bad answer.
 */
export async function openTunnel(
  conn: BufferedConn,
  host: string,
  port: number,
  authorization: string | null,
): Promise<ResponseHead> {
  const authority = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  const headers: [string, string][] = [["Host", authority]];
  if (authorization) headers.push(["Proxy-Authorization", authorization]);
  await conn.writeAll(serializeRequestHead("CONNECT", authority, headers));
  const parser = HeadParser.response();
  while (true) {
    const chunk = await conn.read();
    if (chunk === null) {
      throw new HttpError(
        "connect",
        `proxy closed the connection before answering CONNECT ${authority}`,
      );
    }
    const done = parser.push(chunk);
    if (!done) continue;
    const { head, rest } = done;
    if (head.status >= 200 && head.status < 300) {
      if (rest.length > 0) conn.unread(rest);
      return head;
    }
    throw new HttpError(
      "connect",
      `proxy refused the tunnel to ${authority}: ${head.status} ${head.reason}`.trimEnd(),
    );
  }
}
