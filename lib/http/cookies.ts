/**
 * A cookie jar after RFC 6265: Set-Cookie parsing, storage rules and the Cookie header.
 *
 * @module
 */

/** One stored cookie. Times are epoch milliseconds. */
export interface Cookie {
  /** The cookie name. */
  name: string;
  /** The cookie value, as sent (no decoding). */
  value: string;
  /** Lower-case host (host-only) or domain the cookie belongs to, without a leading dot. */
  domain: string;
  /** True when only the exact host gets the cookie back (no Domain attribute). */
  hostOnly: boolean;
  /** The path prefix the cookie applies to. */
  path: string;
  /** When the cookie expires; null for a session cookie. */
  expires: number | null;
  /** Sent over https only. */
  secure: boolean;
  /** Not for scripts; kept and saved, it does not change what an HTTP client sends. */
  httpOnly: boolean;
  /** The SameSite attribute as given, or null. */
  sameSite: "Strict" | "Lax" | "None" | null;
  /** When the cookie was first stored; a replacement keeps it. Orders the Cookie header. */
  created: number;
}

/** A parsed Set-Cookie header before the storage rules of RFC 6265 §5.3 apply. */
export interface SetCookie {
  /** The cookie name. */
  name: string;
  /** The cookie value. */
  value: string;
  /** Expires attribute, epoch ms (the last valid one). */
  expires?: number;
  /** Max-Age attribute in seconds (the last valid one). */
  maxAge?: number;
  /** Domain attribute, lower case, leading dot removed. */
  domain?: string;
  /** Path attribute when it starts with "/". */
  path?: string;
  /** Secure attribute present. */
  secure: boolean;
  /** HttpOnly attribute present. */
  httpOnly: boolean;
  /** SameSite attribute when it is one of the three known values. */
  sameSite: "Strict" | "Lax" | "None" | null;
}

// A few registrable suffixes with more than one label, so that the common
// "Domain=co.uk" supercookie is refused even without the full public suffix list.
const MULTI_LABEL_SUFFIXES = new Set([
  "co.uk",
  "org.uk",
  "ac.uk",
  "gov.uk",
  "me.uk",
  "com.au",
  "net.au",
  "org.au",
  "co.jp",
  "ne.jp",
  "or.jp",
  "co.nz",
  "com.br",
  "com.cn",
  "co.in",
  "co.za",
  "com.mx",
  "github.io",
]);

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

// The latest time a Date can hold, for Max-Age values past it.
const MAX_TIME = 8.64e15;

/**
 * Parses a cookie date with the algorithm of RFC 6265 §5.1.1, which accepts the RFC 1123,
 * RFC 850 and ANSI C asctime() forms and the many variants servers send.
 *
 * @example
 * ```ts
 * import { parseCookieDate } from "./cookies.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseCookieDate("Sun, 06 Nov 1994 08:49:37 GMT"), Date.UTC(1994, 10, 6, 8, 49, 37));
 * assert.equal(parseCookieDate("Sunday, 06-Nov-94 08:49:37 GMT"), Date.UTC(1994, 10, 6, 8, 49, 37));
 * assert.equal(parseCookieDate("Sun Nov  6 08:49:37 1994"), Date.UTC(1994, 10, 6, 8, 49, 37));
 * assert.equal(parseCookieDate("not a date"), null);
 * ```
 *
 * @param text The attribute value.
 * @returns Epoch milliseconds, or null when the date is not valid.
 */
export function parseCookieDate(text: string): number | null {
  let time: [number, number, number] | null = null;
  let day: number | null = null;
  let month: number | null = null;
  let year: number | null = null;
  // Delimiters are %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E.
  // deno-lint-ignore no-control-regex
  for (const token of text.split(/[\x09\x20-\x2f\x3b-\x40\x5b-\x60\x7b-\x7e]+/)) {
    if (token === "") continue;
    let m: RegExpMatchArray | null;
    if (time === null && (m = token.match(/^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D.*)?$/s))) {
      time = [Number(m[1]), Number(m[2]), Number(m[3])];
    } else if (day === null && (m = token.match(/^(\d{1,2})(?:\D.*)?$/s))) {
      day = Number(m[1]);
    } else if (month === null && MONTHS.includes(token.slice(0, 3).toLowerCase())) {
      month = MONTHS.indexOf(token.slice(0, 3).toLowerCase());
    } else if (year === null && (m = token.match(/^(\d{2,4})(?:\D.*)?$/s))) {
      year = Number(m[1]);
    }
  }
  if (time === null || day === null || month === null || year === null) return null;
  if (year >= 70 && year <= 99) year += 1900;
  else if (year >= 0 && year <= 69) year += 2000;
  const [hour, minute, second] = time;
  if (day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.UTC(year, month, day, hour, minute, second);
  // 31 Feb and the like roll into the next month; the RFC calls that a failure.
  if (new Date(ms).getUTCDate() !== day) return null;
  return ms;
}

/**
 * Parses one Set-Cookie header value (RFC 6265 §5.2). Unknown attributes and invalid
 * attribute values are ignored; a header without a name-value pair or with an empty name
 * gives null.
 *
 * @example
 * ```ts
 * import { parseSetCookie } from "./cookies.ts";
 * import assert from "node:assert/strict";
 * const c = parseSetCookie("SID=31d4d96e407aad42; Path=/; Domain=.Example.com; Secure; HttpOnly");
 * assert.equal(c?.name, "SID");
 * assert.equal(c?.domain, "example.com");
 * assert.equal(c?.secure, true);
 * assert.equal(parseSetCookie("no-equals-sign"), null);
 * ```
 *
 * @param header The header value.
 * @returns The parsed cookie, or null when the header is ignored.
 */
export function parseSetCookie(header: string): SetCookie | null {
  const semi = header.indexOf(";");
  const pair = semi === -1 ? header : header.slice(0, semi);
  const eq = pair.indexOf("=");
  if (eq === -1) return null;
  const name = trimWsp(pair.slice(0, eq));
  const value = trimWsp(pair.slice(eq + 1));
  if (name === "") return null;
  const out: SetCookie = { name, value, secure: false, httpOnly: false, sameSite: null };
  if (semi === -1) return out;
  for (const av of header.slice(semi + 1).split(";")) {
    const i = av.indexOf("=");
    const key = trimWsp(i === -1 ? av : av.slice(0, i)).toLowerCase();
    const val = i === -1 ? "" : trimWsp(av.slice(i + 1));
    switch (key) {
      case "expires": {
        const ms = parseCookieDate(val);
        if (ms !== null) out.expires = ms;
        break;
      }
      case "max-age":
        if (/^-?\d+$/.test(val)) out.maxAge = Number(val);
        break;
      case "domain":
        if (val !== "") out.domain = (val.startsWith(".") ? val.slice(1) : val).toLowerCase();
        break;
      case "path":
        // A path not starting with "/" means the default path.
        if (val.startsWith("/")) out.path = val;
        else delete out.path;
        break;
      case "secure":
        out.secure = true;
        break;
      case "httponly":
        out.httpOnly = true;
        break;
      case "samesite": {
        const v = val.toLowerCase();
        out.sameSite = v === "strict"
          ? "Strict"
          : v === "lax"
          ? "Lax"
          : v === "none"
          ? "None"
          : null;
        break;
      }
    }
  }
  return out;
}

/**
 * Whether `host` domain-matches `domain` (RFC 6265 §5.1.3): identical, or a sub-domain of it
 * when `host` is a name and not an IP address.
 *
 * @example
 * ```ts
 * import { domainMatch } from "./cookies.ts";
 * import assert from "node:assert/strict";
 * assert.equal(domainMatch("www.example.com", "example.com"), true);
 * assert.equal(domainMatch("badexample.com", "example.com"), false);
 * assert.equal(domainMatch("1.2.3.4", "3.4"), false);
 * ```
 *
 * @param host The canonical (lower-case) request host.
 * @param domain The cookie domain, lower case, no leading dot.
 * @returns True when the cookie domain covers the host.
 */
export function domainMatch(host: string, domain: string): boolean {
  if (host === domain) return true;
  return host.endsWith("." + domain) && !isIpAddress(host);
}

/**
 * Whether a request path path-matches a cookie path (RFC 6265 §5.1.4).
 *
 * @example
 * ```ts
 * import { pathMatch } from "./cookies.ts";
 * import assert from "node:assert/strict";
 * assert.equal(pathMatch("/docs/web", "/docs"), true);
 * assert.equal(pathMatch("/docsets", "/docs"), false);
 * assert.equal(pathMatch("/docs/", "/docs/"), true);
 * ```
 *
 * @param requestPath The path of the request URL.
 * @param cookiePath The path of the cookie.
 * @returns True when the cookie applies to the path.
 */
export function pathMatch(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

/**
 * The default cookie path for a request path (RFC 6265 §5.1.4): everything up to, not
 * including, the last "/", or "/".
 *
 * @example
 * ```ts
 * import { defaultPath } from "./cookies.ts";
 * import assert from "node:assert/strict";
 * assert.equal(defaultPath("/a/b/c"), "/a/b");
 * assert.equal(defaultPath("/a"), "/");
 * assert.equal(defaultPath(""), "/");
 * ```
 *
 * @param requestPath The path of the request URL.
 * @returns The default path.
 */
export function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith("/")) return "/";
  const last = requestPath.lastIndexOf("/");
  return last === 0 ? "/" : requestPath.slice(0, last);
}

/**
 * Holds cookies between requests: stores Set-Cookie headers and builds the Cookie header.
 * Time comes in as `now` (epoch ms) so that expiry can be tested without waiting.
 *
 * @example
 * ```ts
 * import { CookieJar } from "./cookies.ts";
 * import assert from "node:assert/strict";
 * const jar = new CookieJar();
 * jar.setCookies(new URL("https://example.com/account/login"), ["sid=1; Path=/", "theme=dark"]);
 * assert.equal(jar.cookieHeader(new URL("https://example.com/account/x")), "theme=dark; sid=1");
 * assert.equal(jar.cookieHeader(new URL("https://example.com/")), "sid=1");
 * assert.equal(jar.cookieHeader(new URL("https://other.org/")), null);
 * ```
 */
export class CookieJar {
  // In order of storage, so that equal creation times keep the order the server sent.
  #cookies: Cookie[] = [];

  /**
   * Stores the Set-Cookie header values of a response to `url` (RFC 6265 §5.3).
   * Cookies the rules reject are dropped silently, as browsers do.
   *
   * @example
   * ```ts
   * import { CookieJar } from "./cookies.ts";
   * import assert from "node:assert/strict";
   * const jar = new CookieJar();
   * jar.setCookies(new URL("http://a.example.com/"), ["x=1; Domain=example.com", "y=2; Domain=other.com"]);
   * assert.deepEqual(jar.all().map((c) => `${c.name}@${c.domain}`), ["x@example.com"]);
   * ```
   *
   * @param url The URL the response came from.
   * @param setCookieHeaders Every Set-Cookie value, in order.
   * @param now The current time, epoch ms.
   */
  setCookies(url: URL, setCookieHeaders: string[], now: number = Date.now()): void {
    this.#purge(now);
    for (const header of setCookieHeaders) {
      const parsed = parseSetCookie(header);
      if (parsed !== null) this.#store(url, parsed, now);
    }
  }

  /**
   * The Cookie header value for a request to `url`, or null when no cookie applies.
   * Cookies with longer paths come first, then those created earlier (RFC 6265 §5.4).
   *
   * @example
   * ```ts
   * import { CookieJar } from "./cookies.ts";
   * import assert from "node:assert/strict";
   * const jar = new CookieJar();
   * jar.setCookies(new URL("https://example.com/"), ["a=1; Path=/", "b=2; Path=/api"]);
   * assert.equal(jar.cookieHeader(new URL("https://example.com/api/users")), "b=2; a=1");
   * ```
   *
   * @param url The request URL.
   * @param now The current time, epoch ms.
   * @returns The header value, or null.
   */
  cookieHeader(url: URL, now: number = Date.now()): string | null {
    this.#purge(now);
    const host = canonicalHost(url);
    const path = url.pathname || "/";
    const secure = url.protocol === "https:";
    const matching = this.#cookies.filter((c) =>
      (c.hostOnly ? host === c.domain : domainMatch(host, c.domain)) &&
      pathMatch(path, c.path) && (secure || !c.secure)
    );
    if (matching.length === 0) return null;
    // Array.prototype.sort is stable, so equal creation times keep the stored order.
    matching.sort((a, b) => b.path.length - a.path.length || a.created - b.created);
    return matching.map((c) => `${c.name}=${c.value}`).join("; ");
  }

  /**
   * The cookies that have not expired at `now`, copied.
   *
   * @example
   * ```ts
   * import { CookieJar } from "./cookies.ts";
   * import assert from "node:assert/strict";
   * const jar = new CookieJar();
   * jar.setCookies(new URL("https://example.com/"), ["a=1; Max-Age=60"], 0);
   * assert.equal(jar.all(59_000).length, 1);
   * assert.equal(jar.all(60_000).length, 0);
   * ```
   *
   * @param now The current time, epoch ms.
   * @returns The live cookies.
   */
  all(now: number = Date.now()): Cookie[] {
    this.#purge(now);
    return this.#cookies.map((c) => ({ ...c }));
  }

  /**
   * Every stored cookie, session cookies included, for saving in a session file.
   *
   * @example
   * ```ts
   * import { CookieJar } from "./cookies.ts";
   * import assert from "node:assert/strict";
   * const jar = new CookieJar();
   * jar.setCookies(new URL("https://example.com/"), ["a=1"]);
   * const copy = CookieJar.fromJSON(JSON.parse(JSON.stringify(jar)));
   * assert.equal(copy.cookieHeader(new URL("https://example.com/")), "a=1");
   * ```
   *
   * @returns The cookies, copied.
   */
  toJSON(): Cookie[] {
    return this.#cookies.map((c) => ({ ...c }));
  }

  /**
   * A jar holding `list`, as written by {@linkcode CookieJar.toJSON}. Entries without a
   * string name, value or domain are skipped, so a hand-edited file cannot break the jar.
   *
   * @example
   * ```ts
   * import { CookieJar } from "./cookies.ts";
   * import assert from "node:assert/strict";
   * const jar = CookieJar.fromJSON([{ name: "a", value: "1", domain: "example.com", hostOnly: true,
   *   path: "/", expires: null, secure: false, httpOnly: false, sameSite: null, created: 0 }]);
   * assert.equal(jar.cookieHeader(new URL("http://example.com/x")), "a=1");
   * ```
   *
   * @param list Saved cookies.
   * @returns A new jar.
   */
  static fromJSON(list: Cookie[]): CookieJar {
    const jar = new CookieJar();
    if (!Array.isArray(list)) return jar;
    const valid = list.filter((c) =>
      c !== null && typeof c === "object" && typeof c.name === "string" &&
      typeof c.value === "string" && typeof c.domain === "string"
    );
    for (const c of valid) jar.set(c);
    jar.#cookies.sort((a, b) => a.created - b.created);
    return jar;
  }

  /**
   * Stores a cookie directly, for seeding a jar from a `Cookie:` request header. Missing fields
   * default to a host-only session cookie for path "/"; a domain given with a leading dot is
   * a domain cookie. An existing cookie with the same name, domain and path is replaced.
   *
   * @example
   * ```ts
   * import { CookieJar } from "./cookies.ts";
   * import assert from "node:assert/strict";
   * const jar = new CookieJar();
   * jar.set({ name: "token", value: "abc", domain: "api.example.com" });
   * assert.equal(jar.cookieHeader(new URL("https://api.example.com/v1")), "token=abc");
   * assert.equal(jar.cookieHeader(new URL("https://www.api.example.com/")), null);
   * ```
   *
   * @param cookie The cookie; name, value and domain are required.
   */
  set(cookie: Partial<Cookie> & { name: string; value: string; domain: string }): void {
    const dotted = cookie.domain.startsWith(".");
    const full: Cookie = {
      name: cookie.name,
      value: cookie.value,
      domain: (dotted ? cookie.domain.slice(1) : cookie.domain).toLowerCase(),
      hostOnly: cookie.hostOnly ?? !dotted,
      path: typeof cookie.path === "string" && cookie.path.startsWith("/") ? cookie.path : "/",
      expires: typeof cookie.expires === "number" ? cookie.expires : null,
      secure: cookie.secure === true,
      httpOnly: cookie.httpOnly === true,
      sameSite: cookie.sameSite === "Strict" || cookie.sameSite === "Lax" ||
          cookie.sameSite === "None"
        ? cookie.sameSite
        : null,
      created: typeof cookie.created === "number" ? cookie.created : Date.now(),
    };
    // No expiry check here: the jar's clock is the `now` of the next call, not the wall clock.
    this.#put(full, null);
  }

  /** Applies RFC 6265 §5.3 steps 2 to 11 to one parsed cookie. */
  #store(url: URL, parsed: SetCookie, now: number): void {
    const host = canonicalHost(url);
    const secureOrigin = url.protocol === "https:";
    let expires: number | null = null;
    if (parsed.maxAge !== undefined) {
      // Max-Age wins over Expires; zero or less means "already expired".
      expires = parsed.maxAge <= 0 ? 0 : Math.min(now + parsed.maxAge * 1000, MAX_TIME);
    } else if (parsed.expires !== undefined) {
      expires = parsed.expires;
    }
    let domain = parsed.domain ?? "";
    if (domain !== "" && isPublicSuffix(domain)) {
      // A public suffix is only acceptable as the exact host, and then the cookie is host-only.
      if (domain !== host) return;
      domain = "";
    }
    let hostOnly: boolean;
    if (domain !== "") {
      if (!domainMatch(host, domain)) return;
      hostOnly = false;
    } else {
      hostOnly = true;
      domain = host;
    }
    // A plain-http origin may neither set a Secure cookie (RFC 6265bis §5.7 step 8)...
    if (parsed.secure && !secureOrigin) return;
    // ...nor use the name prefixes that promise Secure (and, for __Host-, a host-only "/" cookie).
    if (parsed.name.startsWith("__Secure-") && !(parsed.secure && secureOrigin)) return;
    if (
      parsed.name.startsWith("__Host-") &&
      !(parsed.secure && secureOrigin && hostOnly && parsed.path === "/")
    ) return;
    const path = parsed.path ?? defaultPath(url.pathname);
    // ...nor overwrite a Secure cookie that covers it (RFC 6265bis §5.7 step 16).
    if (!secureOrigin) {
      const shadowed = this.#cookies.some((c) =>
        c.secure && c.name === parsed.name &&
        (domainMatch(c.domain, domain) || domainMatch(domain, c.domain)) && pathMatch(path, c.path)
      );
      if (shadowed) return;
    }
    this.#put({
      name: parsed.name,
      value: parsed.value,
      domain,
      hostOnly,
      path,
      expires,
      secure: parsed.secure,
      httpOnly: parsed.httpOnly,
      sameSite: parsed.sameSite,
      created: now,
    }, now);
  }

  /** Inserts or replaces (same name, domain, path), or deletes when already expired. */
  #put(cookie: Cookie, now: number | null): void {
    const i = this.#cookies.findIndex((c) =>
      c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path
    );
    if (now !== null && cookie.expires !== null && cookie.expires <= now) {
      if (i !== -1) this.#cookies.splice(i, 1);
      return;
    }
    if (i === -1) {
      this.#cookies.push(cookie);
      return;
    }
    // A replacement keeps the creation time, and with it its place in the Cookie header.
    cookie.created = this.#cookies[i].created;
    this.#cookies[i] = cookie;
  }

  #purge(now: number): void {
    this.#cookies = this.#cookies.filter((c) => c.expires === null || c.expires > now);
  }
}

function trimWsp(s: string): string {
  return s.replace(/^[ \t]+|[ \t]+$/g, "");
}

/** The request host as cookies compare it: lower case, without a trailing dot. */
function canonicalHost(url: URL): string {
  const host = url.hostname.toLowerCase();
  return host.endsWith(".") ? host.slice(0, -1) : host;
}

function isIpAddress(host: string): boolean {
  return host.startsWith("[") || host.includes(":") || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

// Without the public suffix list, a single label (com, localhost, an intranet name) counts as a
// public suffix: no domain cookie may cover every host below it.
function isPublicSuffix(domain: string): boolean {
  return !domain.includes(".") || MULTI_LABEL_SUFFIXES.has(domain);
}
