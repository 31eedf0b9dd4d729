/**
 * The proxy a request should use according to the environment, read the way curl reads it.
 *
 * @module
 */

import { HttpError } from "./errors.ts";

/**
 * The proxy for `url` from the environment, following curl (libcurl's `detect_proxy` and
 * `Curl_check_noproxy`):
 *
 * - `http:` URLs read `http_proxy` only. The upper-case `HTTP_PROXY` is ignored on purpose, as
 *   curl does: under CGI a request header `Proxy:` arrives as `HTTP_PROXY`, so a client could
 *   choose the proxy of a server-side program ("httpoxy").
 * - `https:` URLs read `https_proxy`, then `HTTPS_PROXY`.
 * - Either falls back to `all_proxy`, then `ALL_PROXY`. The lower-case name always wins, and an
 *   empty value counts as unset.
 * - `no_proxy`, then `NO_PROXY`: a comma list. `*` matches every host. A name matches itself and
 *   every sub-domain, with or without a leading dot (`example.com` and `.example.com` both match
 *   `example.com` and `www.example.com`, not `notexample.com`), case-insensitively, ignoring a
 *   trailing dot. An IP address (IPv6 without brackets, or with them) matches the same address,
 *   and with a `/bits` suffix a CIDR range; names never match addresses by text.
 *   Beyond curl: `*` is honoured as any entry of the list (not only alone), `*.example.com`
 *   reads as `.example.com`, and `host:port` (`[v6]:port`) matches that host on that port only.
 * - A proxy value without a scheme is `http://`. Without a port, an `http://` proxy is on port
 *   1080 and an `https://` proxy on 443, as curl assumes. Other schemes (socks) are refused.
 *
 * @example
 * ```ts
 * import { proxyFromEnv } from "./proxy_env.ts";
 * import assert from "node:assert/strict";
 * const env = { https_proxy: "proxy.corp:3128", NO_PROXY: "localhost,.internal" } as Record<string, string>;
 * const get = (name: string) => env[name];
 * assert.equal(proxyFromEnv(new URL("https://example.com/"), get)?.href, "http://proxy.corp:3128/");
 * assert.equal(proxyFromEnv(new URL("https://api.internal/"), get), null);
 * assert.equal(proxyFromEnv(new URL("http://example.com/"), get), null); // no http_proxy
 * ```
 *
 * @param url The request URL.
 * @param env Reads an environment variable, e.g. `(name) => Deno.env.get(name)`.
 * @returns The proxy URL, or null to connect directly.
 * @throws {HttpError} Kind "invalid-request" when the variable holds no valid http(s) proxy URL.
 */
export function proxyFromEnv(
  url: URL,
  env: (name: string) => string | undefined,
): URL | null {
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== "http" && scheme !== "https") return null;
  const get = (name: string) => {
    const value = env(name);
    return value === undefined || value === "" ? undefined : [name, value] as const;
  };
  const found =
    (scheme === "http" ? get("http_proxy") : get("https_proxy") ?? get("HTTPS_PROXY")) ??
      get("all_proxy") ?? get("ALL_PROXY");
  if (found === undefined) return null;
  const noProxy = get("no_proxy") ?? get("NO_PROXY");
  if (noProxy !== undefined && noProxyMatches(url, noProxy[1])) return null;
  return parseProxy(found[0], found[1]);
}

/**
 * Whether `url` is excluded from proxying by a `NO_PROXY` list (see {@linkcode proxyFromEnv}
 * for the rules).
 *
 * @example
 * ```ts
 * import { noProxyMatches } from "./proxy_env.ts";
 * import assert from "node:assert/strict";
 * assert.equal(noProxyMatches(new URL("http://www.example.com/"), "example.com"), true);
 * assert.equal(noProxyMatches(new URL("http://notexample.com/"), "example.com"), false);
 * assert.equal(noProxyMatches(new URL("http://10.1.2.3/"), "10.0.0.0/8"), true);
 * ```
 *
 * @param url The request URL.
 * @param list The comma-separated list.
 * @returns True when the request goes direct.
 */
export function noProxyMatches(url: URL, list: string): boolean {
  let host = url.hostname.toLowerCase();
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  let hostIp: Uint8Array | null = null;
  if (host.startsWith("[")) {
    host = host.slice(1, -1);
    hostIp = parseIPv6(host);
  } else {
    hostIp = parseIPv4(host);
    if (host.endsWith(".")) host = host.slice(0, -1);
  }
  for (const raw of list.split(",")) {
    let token = raw.trim().toLowerCase();
    if (token === "") continue;
    if (token === "*") return true;
    // host:port and [v6]:port entries restrict the match to that port.
    const withPort = token.match(/^\[([^\]]*)\]:(\d+)$/) ??
      token.match(/^([^:\[\]]*):(\d+)$/);
    if (withPort) {
      if (Number(withPort[2]) !== port) continue;
      token = withPort[1];
    } else if (token.startsWith("[") && token.includes("]")) {
      token = token.slice(1, token.indexOf("]")) + token.slice(token.indexOf("]") + 1);
    }
    if (hostIp !== null) {
      if (ipMatches(hostIp, token)) return true;
      continue;
    }
    if (token.endsWith(".")) token = token.slice(0, -1);
    if (token.startsWith("*.")) token = token.slice(1);
    if (token.startsWith(".")) token = token.slice(1);
    if (token === "") continue;
    if (host === token || host.endsWith("." + token)) return true;
  }
  return false;
}

function parseProxy(variable: string, value: string): URL {
  const text = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value) ? value : `http://${value}`;
  let proxy: URL;
  try {
    proxy = new URL(text);
  } catch (cause) {
    throw new HttpError("invalid-request", `invalid proxy URL in ${variable}: "${value}"`, {
      cause,
    });
  }
  if (proxy.protocol !== "http:" && proxy.protocol !== "https:") {
    throw new HttpError(
      "invalid-request",
      `unsupported proxy scheme in ${variable}: "${
        proxy.protocol.slice(0, -1)
      }" (use http or https)`,
    );
  }
  if (proxy.hostname === "") {
    throw new HttpError("invalid-request", `invalid proxy URL in ${variable}: "${value}"`);
  }
  // The URL parser forgets an explicit default port, so look at the authority as written.
  const authority = text.slice(text.indexOf("//") + 2).split(/[/?#]/)[0];
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  const explicitPort = /:\d+$/.test(
    hostPort.startsWith("[") ? hostPort.slice(hostPort.indexOf("]")) : hostPort,
  );
  if (!explicitPort && proxy.protocol === "http:") proxy.port = "1080";
  return proxy;
}

function ipMatches(host: Uint8Array, token: string): boolean {
  const slash = token.indexOf("/");
  const address = slash === -1 ? token : token.slice(0, slash);
  const network = host.length === 4 ? parseIPv4(address) : parseIPv6(address);
  if (network === null) return false;
  let bits = host.length * 8;
  if (slash !== -1) {
    const text = token.slice(slash + 1);
    if (!/^\d+$/.test(text)) return false;
    bits = Number(text);
    if (bits > host.length * 8) return false;
  }
  for (let i = 0; i < host.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((host[i] & mask) !== (network[i] & mask)) return false;
  }
  return true;
}

function parseIPv4(text: string): Uint8Array | null {
  const m = text.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((n) => n <= 255) ? Uint8Array.from(parts) : null;
}

function parseIPv6(text: string): Uint8Array | null {
  if (!/^[0-9a-f:.]+$/i.test(text) || !text.includes(":")) return null;
  let tail: number[] = [];
  let body = text;
  // An embedded IPv4 address fills the last 32 bits.
  const v4 = text.match(/^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/);
  if (v4) {
    const four = parseIPv4(v4[2]);
    if (four === null) return null;
    tail = [(four[0] << 8) | four[1], (four[2] << 8) | four[3]];
    body = v4[1].endsWith("::") ? v4[1] : v4[1].slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const group = (s: string) => s === "" ? [] : s.split(":");
  const head = group(halves[0]);
  const rest = halves.length === 2 ? group(halves[1]) : [];
  const words = [...head, ...rest];
  if (words.some((w) => !/^[0-9a-f]{1,4}$/i.test(w))) return null;
  const fill = 8 - words.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return null;
  const all = [
    ...head.map((w) => parseInt(w, 16)),
    ...Array(halves.length === 2 ? fill : 0).fill(0),
    ...rest.map((w) => parseInt(w, 16)),
    ...tail,
  ];
  const out = new Uint8Array(16);
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}
