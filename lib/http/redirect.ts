/**
 * What to send next after a redirect response (RFC 9110 §15.4, with the browser rules of the
 * Fetch standard for method changes and cross-origin credentials).
 *
 * @module
 */

import { HttpError } from "./errors.ts";

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

// Headers that describe a request body; they go when the body goes (Fetch §4.4 step 11).
const BODY_HEADERS = new Set([
  "content-type",
  "content-length",
  "content-encoding",
  "content-language",
  "content-location",
  "transfer-encoding",
  "expect",
]);

// Credentials meant for one origin; they do not follow a hop to another (Fetch §4.4 step 13).
const CREDENTIAL_HEADERS = new Set(["authorization", "cookie", "proxy-authorization"]);

/**
 * Whether `status` is a redirect that is followed: 301, 302, 303, 307 or 308. A response with
 * one of these but no Location header is not a redirect to follow; the caller checks that.
 * 300 (a choice for the user) and 304 (a cache answer) are not followed.
 *
 * @example
 * ```ts
 * import { isRedirect } from "./redirect.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isRedirect(302), true);
 * assert.equal(isRedirect(304), false);
 * ```
 *
 * @param status The response status code.
 * @returns True for a followable redirect status.
 */
export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/** The request to send after a redirect. */
export interface RedirectStep {
  /** The method for the next request. */
  method: string;
  /** The absolute URL to request next, without credentials. */
  url: URL;
  /** The headers to send, in order, without those the hop drops. */
  headers: [string, string][];
  /** Whether the previous request body is sent again. */
  keepBody: boolean;
}

/**
 * The next request after a redirect: 301/302 turn POST into GET, 303 turns everything but HEAD
 * into GET (body and Content-Type/Content-Length/Transfer-Encoding dropped, with the other body
 * headers), 307/308 keep method and body. The Location is resolved against the previous URL; a
 * Location without a fragment keeps the previous URL's fragment (RFC 9110 §10.2.2). User name
 * and password in the Location are stripped rather than sent. On a hop to another origin
 * (scheme, host or port differ) Authorization, Cookie and Proxy-Authorization are dropped, and
 * so is an explicit Host header.
 *
 * @example
 * ```ts
 * import { redirectStep } from "./redirect.ts";
 * import assert from "node:assert/strict";
 * const next = redirectStep({
 *   method: "POST",
 *   url: new URL("https://example.com/form"),
 *   headers: [["Content-Type", "application/json"], ["Authorization", "Bearer t"]],
 * }, 303, "https://other.example/done");
 * assert.equal(next.method, "GET");
 * assert.equal(next.url.href, "https://other.example/done");
 * assert.deepEqual(next.headers, []);
 * assert.equal(next.keepBody, false);
 * ```
 *
 * @param prev The request that got the redirect.
 * @param status The redirect status.
 * @param location The Location header value.
 * @returns The next request.
 * @throws {HttpError} Kind "protocol" on a Location that is not a valid URL or not http(s).
 */
export function redirectStep(
  prev: { method: string; url: URL; headers: [string, string][] },
  status: number,
  location: string,
): RedirectStep {
  const trimmed = location.trim();
  let url: URL;
  try {
    url = new URL(trimmed, prev.url);
  } catch (cause) {
    throw new HttpError("protocol", `invalid redirect location: ${JSON.stringify(location)}`, {
      cause,
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new HttpError(
      "protocol",
      `redirect to unsupported scheme ${url.protocol.slice(0, -1)}: ${JSON.stringify(location)}`,
    );
  }
  // Credentials in a Location would be sent to wherever a server points; never follow them.
  url.username = "";
  url.password = "";
  if (!trimmed.includes("#") && prev.url.hash !== "") url.hash = prev.url.hash;

  const method = prev.method.toUpperCase();
  let nextMethod = prev.method;
  if ((status === 301 || status === 302) && method === "POST") nextMethod = "GET";
  if (status === 303 && method !== "HEAD") nextMethod = "GET";
  // 303 asks for a GET of another resource: even a GET's body does not go along.
  const keepBody = status === 303 ? false : nextMethod === prev.method;

  const crossOrigin = url.origin !== prev.url.origin;
  const headers = prev.headers.filter(([name]) => {
    const lower = name.toLowerCase();
    if (!keepBody && BODY_HEADERS.has(lower)) return false;
    if (crossOrigin && (CREDENTIAL_HEADERS.has(lower) || lower === "host")) return false;
    return true;
  });
  return { method: nextMethod, url, headers, keepBody };
}
