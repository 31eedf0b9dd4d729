/**
 * The request URL and method as a web `Request` would hold them, worked out without building
 * one, private to lib/http. The engine routes on these before (and often without) making the
 * `Request`, so they must be exactly what `new Request(url, { method })` would report: the
 * common case (a canonical host, a plain path) is checked and used as is, and anything else
 * goes through the URL parser. `_request_target_test.ts` checks both agree.
 */

// Path and query characters the URL parser copies unchanged. Left out, so they take the
// parser's path: characters it percent-encodes (space, `"`, `<`, `>`, `` ` ``, `{`, `}`, `^`,
// `|`, `'`), `\` (a slash in special URLs), `#`, and non-ASCII.
const PLAIN_TARGET = /^\/[A-Za-z0-9\-._~!$&()*+,;=:@%/]*(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@%/?]*)?$/;
// A segment the parser would resolve or rewrite: "." and ".." in any spelling.
const DOT_SEGMENT = /\/\.|%2e/i;

/** Canonical hosts by the Host header value; hosts repeat, and parsing one costs a URL. */
const hosts = new Map<string, string>();
const HOST_CACHE_SIZE = 256;
// The last one asked for, which is nearly always the next one too: a string compare is
// cheaper than hashing a fresh string for the map.
let lastKey = "";
let lastHost = "";

/**
 * The host as the URL parser writes it (lower case, default port dropped, IPv4 numbers
 * normalised).
 *
 * @param scheme `http` or `https`.
 * @param host The Host header value, already checked for characters that move the authority.
 * @returns The canonical host.
 * @throws {TypeError} When the URL parser refuses the host.
 */
function canonicalHost(scheme: string, host: string): string {
  const key = scheme === "http" ? host : `${scheme}://${host}`;
  if (key === lastKey) return lastHost;
  let canonical = hosts.get(key);
  if (canonical === undefined) {
    canonical = new URL(`${scheme}://${host}/`).host;
    if (hosts.size >= HOST_CACHE_SIZE) hosts.clear();
    hosts.set(key, canonical);
  }
  lastKey = key;
  lastHost = canonical;
  return canonical;
}

/**
 * The absolute URL of an origin-form request, as `Request.url` would give it.
 *
 * @param scheme `http` or `https`.
 * @param host The Host header value.
 * @param target The request-target, starting with `/`.
 * @returns The URL.
 * @throws {TypeError} When the URL parser refuses it.
 */
export function requestUrl(scheme: string, host: string, target: string): string {
  if (PLAIN_TARGET.test(target) && !DOT_SEGMENT.test(target)) {
    return `${scheme}://${canonicalHost(scheme, host)}${target}`;
  }
  return new URL(`${scheme}://${host}${target}`).href;
}

/**
 * The path of an origin-form URL made by {@linkcode requestUrl}, without the query.
 *
 * @param url The URL.
 * @returns The path, starting with `/`.
 */
export function urlPath(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start === -1) return "/";
  const q = url.indexOf("?", start);
  const h = url.indexOf("#", start);
  const end = q === -1 ? h : h === -1 ? q : Math.min(q, h);
  return end === -1 ? url.slice(start) : url.slice(start, end);
}

const NORMALIZED = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);
const FORBIDDEN = new Set(["CONNECT", "TRACE", "TRACK"]);

/**
 * The method as `Request` holds it: the six standard ones upper-cased whatever their case,
 * others as sent.
 *
 * @param method The method token from the request line.
 * @returns The method.
 * @throws {TypeError} For CONNECT, TRACE and TRACK, which a `Request` cannot carry.
 */
export function requestMethod(method: string): string {
  if (method === "GET" || method === "POST") return method;
  const upper = method.toUpperCase();
  if (FORBIDDEN.has(upper)) throw new TypeError(`Method "${method}" is forbidden`);
  return NORMALIZED.has(upper) ? upper : method;
}
