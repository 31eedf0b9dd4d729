/**
 * Authorization header values: Basic, Bearer and Digest (RFC 7616, and RFC 2617 without qop).
 *
 * @module
 */

import { createHash, randomBytes } from "node:crypto";
import { Buffer } from "node:buffer";

/**
 * The `Authorization` value for HTTP Basic (RFC 7617), with user and password in UTF-8.
 *
 * @example
 * ```ts
 * import { basicAuthorization } from "./auth.ts";
 * import assert from "node:assert/strict";
 * assert.equal(basicAuthorization("user", "pass"), "Basic dXNlcjpwYXNz");
 * assert.equal(basicAuthorization("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
 * ```
 *
 * @param user The user name; a ":" in it cannot be told apart from the separator.
 * @param password The password.
 * @returns The header value.
 */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
}

/**
 * The `Authorization` value for a bearer token (RFC 6750).
 *
 * @example
 * ```ts
 * import { bearerAuthorization } from "./auth.ts";
 * import assert from "node:assert/strict";
 * assert.equal(bearerAuthorization("mF_9.B5f-4.1JqM"), "Bearer mF_9.B5f-4.1JqM");
 * ```
 *
 * @param token The token, sent as it is.
 * @returns The header value.
 */
export function bearerAuthorization(token: string): string {
  return `Bearer ${token}`;
}

/** One challenge of a `WWW-Authenticate` header: the scheme and its parameters. */
export interface AuthChallenge {
  /** The auth scheme as written, e.g. "Digest". */
  scheme: string;
  /** The token68 form (e.g. `Negotiate abc==`), when the challenge has one. */
  token68?: string;
  /** The auth-params, names lower-cased, quoted strings unescaped. */
  params: Map<string, string>;
}

/** The parameters of a Digest challenge that a response needs. */
export interface DigestChallenge {
  /** The protection space. */
  realm: string;
  /** The server nonce. */
  nonce: string;
  /** The qop values offered, lower case; absent for an RFC 2069 style challenge. */
  qop?: string[];
  /** The algorithm as given ("MD5" when absent). */
  algorithm?: string;
  /** Echoed back unchanged. */
  opaque?: string;
  /** The previous nonce was stale: retry with the new one without asking the user again. */
  stale?: boolean;
  /** The server wants the user name hashed. */
  userhash?: boolean;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/**
 * Parses a `WWW-Authenticate` (or `Proxy-Authenticate`) value into its challenges
 * (RFC 9110 §11.6.1), which may be several in one header, separated by commas like the
 * parameters inside them.
 *
 * @example
 * ```ts
 * import { parseChallenges } from "./auth.ts";
 * import assert from "node:assert/strict";
 * const list = parseChallenges('Basic realm="a, b", Digest realm="x", nonce="y\\"z"');
 * assert.deepEqual(list.map((c) => c.scheme), ["Basic", "Digest"]);
 * assert.equal(list[0].params.get("realm"), "a, b");
 * assert.equal(list[1].params.get("nonce"), 'y"z');
 * ```
 *
 * @param header The header value.
 * @returns The challenges in order; malformed parts are skipped.
 */
export function parseChallenges(header: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let pos = 0;
  const skipSpace = () => {
    while (pos < header.length && (header[pos] === " " || header[pos] === "\t")) pos++;
  };
  const token = () => {
    const m = header.slice(pos).match(TOKEN);
    if (!m) return "";
    pos += m[0].length;
    return m[0];
  };
  while (pos < header.length) {
    skipSpace();
    if (header[pos] === ",") {
      pos++;
      continue;
    }
    const scheme = token();
    if (scheme === "") {
      // Not a token: skip the character and look for the next challenge.
      pos++;
      continue;
    }
    const challenge: AuthChallenge = { scheme, params: new Map() };
    out.push(challenge);
    skipSpace();
    // A token68 (`Negotiate abc==`) stands alone: nothing but a comma or the end follows it.
    // `realm="x"` also starts like one ("realm="), but is followed by its value.
    const t68 = header.slice(pos).match(TOKEN68);
    if (t68) {
      const rest = header.slice(pos + t68[0].length).replace(/^[ \t]*/, "");
      if (rest === "" || rest.startsWith(",")) {
        challenge.token68 = t68[0];
        pos += t68[0].length;
        continue;
      }
    }
    // auth-params until something that is not `name=` starts the next challenge.
    while (pos < header.length) {
      skipSpace();
      if (header[pos] === ",") {
        pos++;
        continue;
      }
      const start = pos;
      const name = token();
      skipSpace();
      if (name === "" || header[pos] !== "=") {
        pos = start;
        break;
      }
      pos++;
      skipSpace();
      // Unquoted values are tokens, but servers also send token68 forms such as `nonce=ab==`.
      const value = header[pos] === '"' ? quoted() : unquoted();
      challenge.params.set(name.toLowerCase(), value);
    }
  }
  return out;

  function unquoted(): string {
    const m = header.slice(pos).match(/^[^,\s]*/)!;
    pos += m[0].length;
    return m[0];
  }

  function quoted(): string {
    let value = "";
    pos++; // the opening quote
    while (pos < header.length && header[pos] !== '"') {
      if (header[pos] === "\\" && pos + 1 < header.length) pos++;
      value += header[pos++];
    }
    pos++; // the closing quote, if any
    return value;
  }
}

const ALGORITHMS: Record<string, string> = {
  "md5": "md5",
  "md5-sess": "md5",
  "sha-256": "sha256",
  "sha-256-sess": "sha256",
  "sha-512-256": "sha512-256",
  "sha-512-256-sess": "sha512-256",
};

/**
 * Finds the Digest challenge among those of a `WWW-Authenticate` value. When the server offers
 * several Digest challenges (say SHA-256 and MD5), the first with an algorithm this module
 * supports is taken, as RFC 7616 §3.7 lists them in the server's order of preference.
 *
 * @example
 * ```ts
 * import { parseDigestChallenge } from "./auth.ts";
 * import assert from "node:assert/strict";
 * const c = parseDigestChallenge('Basic realm="r", Digest realm="r", qop="auth,auth-int", nonce="n", opaque="o"');
 * assert.deepEqual(c, { realm: "r", nonce: "n", qop: ["auth", "auth-int"], opaque: "o" });
 * assert.equal(parseDigestChallenge('Basic realm="r"'), null);
 * ```
 *
 * @param wwwAuthenticate The header value (several headers may be joined with ", ").
 * @returns The challenge, or null when there is no usable Digest challenge.
 */
export function parseDigestChallenge(wwwAuthenticate: string): DigestChallenge | null {
  for (const c of parseChallenges(wwwAuthenticate)) {
    if (c.scheme.toLowerCase() !== "digest") continue;
    const nonce = c.params.get("nonce");
    if (nonce === undefined) continue;
    const algorithm = c.params.get("algorithm");
    if (algorithm !== undefined && !(algorithm.toLowerCase() in ALGORITHMS)) continue;
    const out: DigestChallenge = { realm: c.params.get("realm") ?? "", nonce };
    const qop = c.params.get("qop");
    if (qop !== undefined) {
      out.qop = qop.split(",").map((q) => q.trim().toLowerCase()).filter((q) => q !== "");
    }
    if (algorithm !== undefined) out.algorithm = algorithm;
    const opaque = c.params.get("opaque");
    if (opaque !== undefined) out.opaque = opaque;
    if (c.params.get("stale")?.toLowerCase() === "true") out.stale = true;
    if (c.params.get("userhash")?.toLowerCase() === "true") out.userhash = true;
    return out;
  }
  return null;
}

/** Options for {@linkcode digestAuthorization}. */
export interface DigestOptions {
  /** The parsed challenge. */
  challenge: DigestChallenge;
  /** The user name. */
  user: string;
  /** The password. */
  password: string;
  /** The request method. */
  method: string;
  /** The request-target, as written in the request line (e.g. "/dir/index.html?x=1"). */
  uri: string;
  /** The nonce count, how many requests used this nonce. @default 1 */
  nc?: number;
  /** The client nonce. @default 16 random bytes in hex */
  cnonce?: string;
  /** The request body, for qop "auth-int" when the server offers only that. @default empty */
  body?: Uint8Array;
}

/**
 * The `Authorization` value answering a Digest challenge (RFC 7616, and RFC 2617/2069).
 * Algorithms MD5, SHA-256 and SHA-512-256, each also as "-sess"; qop "auth" is preferred,
 * "auth-int" is used when it is the only one offered, and no qop gives the RFC 2069 form.
 *
 * @example
 * ```ts
 * import { digestAuthorization } from "./auth.ts";
 * import assert from "node:assert/strict";
 * // RFC 2617 §3.5
 * const value = digestAuthorization({
 *   challenge: { realm: "testrealm@host.com", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
 *     qop: ["auth", "auth-int"], opaque: "5ccc069c403ebaf9f0171e9517f40e41" },
 *   user: "Mufasa", password: "Circle Of Life", method: "GET", uri: "/dir/index.html",
 *   cnonce: "0a4f113b",
 * });
 * assert.match(value, /response="6629fae49393a05397450978507c4ef1"/);
 * assert.match(value, /nc=00000001/);
 * ```
 *
 * @param o Challenge, credentials and request.
 * @returns The header value.
 * @throws {RangeError} On an algorithm this module does not support.
 */
export function digestAuthorization(o: DigestOptions): string {
  const { challenge, user, password, method, uri } = o;
  const algorithm = challenge.algorithm ?? "MD5";
  const hashName = ALGORITHMS[algorithm.toLowerCase()];
  if (hashName === undefined) throw new RangeError(`Unsupported digest algorithm: "${algorithm}"`);
  const h = (data: string | Uint8Array) => createHash(hashName).update(data).digest("hex");
  const offered = challenge.qop;
  const qop = offered === undefined || offered.length === 0
    ? null
    : offered.includes("auth")
    ? "auth"
    : offered.includes("auth-int")
    ? "auth-int"
    : "auth";
  const cnonce = o.cnonce ?? randomBytes(16).toString("hex");
  const nc = (o.nc ?? 1).toString(16).padStart(8, "0");
  let ha1 = h(`${user}:${challenge.realm}:${password}`);
  if (algorithm.toLowerCase().endsWith("-sess")) ha1 = h(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = qop === "auth-int"
    ? h(`${method}:${uri}:${h(o.body ?? new Uint8Array())}`)
    : h(`${method}:${uri}`);
  const response = qop === null
    ? h(`${ha1}:${challenge.nonce}:${ha2}`)
    : h(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:${qop}:${ha2}`);

  const parts: string[] = [];
  if (challenge.userhash) {
    parts.push(`username=${quote(h(`${user}:${challenge.realm}`))}`);
  } else if (/^[\x20-\x7e]*$/.test(user)) {
    parts.push(`username=${quote(user)}`);
  } else {
    // A name outside ASCII goes in the extended form of RFC 8187 (RFC 7616 §3.4.4).
    parts.push(`username*=UTF-8''${encodeRfc8187(user)}`);
  }
  parts.push(`realm=${quote(challenge.realm)}`, `nonce=${quote(challenge.nonce)}`);
  parts.push(`uri=${quote(uri)}`);
  if (challenge.algorithm !== undefined) parts.push(`algorithm=${challenge.algorithm}`);
  parts.push(`response=${quote(response)}`);
  if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
  if (qop !== null) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  if (challenge.userhash) parts.push("userhash=true");
  return `Digest ${parts.join(", ")}`;
}

function quote(s: string): string {
  return `"${s.replace(/["\\]/g, "\\$&")}"`;
}

function encodeRfc8187(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
