/**
 * JSON Web Tokens (RFC 7519) signed with HS256 or RS256, checked through WebCrypto.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { Middleware, Next } from "../compose.ts";
import { HttpError } from "../http_error.ts";

/** The algorithms supported. */
export type JwtAlgorithm = "HS256" | "RS256";

/**
 * A key: for HS256 the shared secret (text or bytes); for RS256 a `CryptoKey`, a JWK, or a
 * PEM (`PUBLIC KEY` to verify, `PRIVATE KEY` (PKCS#8) to sign).
 */
export type JwtKey = string | Uint8Array | CryptoKey | JsonWebKey;

/** A token's claims. */
export interface JwtPayload {
  /** Subject. */
  sub?: string;
  /** Expiry, seconds since the epoch. */
  exp?: number;
  /** Not before, seconds since the epoch. */
  nbf?: number;
  /** Issued at. */
  iat?: number;
  /** Other claims. */
  [claim: string]: unknown;
}

/** Thrown by {@linkcode verifyJwt} for a token that does not verify. */
export class JwtError extends Error {
  override name = "JwtError";
}

/** Options of {@linkcode verifyJwt} and {@linkcode jwt}. */
export interface JwtOptions {
  /** The algorithm tokens must use; a token naming another is refused. */
  alg: JwtAlgorithm;
  /** The secret (HS256) or public key (RS256). */
  key: JwtKey;
  /** Seconds of clock skew tolerated for `exp` and `nbf`. @default 0 */
  leeway?: number;
  /** The clock, in milliseconds. @default Date.now */
  now?: () => number;
}

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new JwtError("Malformed token");
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
}

function pemBytes(pem: string): Uint8Array<ArrayBuffer> {
  const body = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  return Uint8Array.from(atob(body), (ch) => ch.charCodeAt(0));
}

const keyCache = new WeakMap<object, CryptoKey>();
const secretCache = new Map<string, CryptoKey>();

async function importKey(
  alg: JwtAlgorithm,
  key: JwtKey,
  use: "sign" | "verify",
): Promise<CryptoKey> {
  if (key instanceof CryptoKey) return key;
  if (alg === "HS256") {
    if (typeof key === "object" && !(key instanceof Uint8Array)) {
      throw new TypeError("HS256 takes a secret string or bytes");
    }
    const cacheKey = typeof key === "string" ? key : undefined;
    const cached = cacheKey !== undefined ? secretCache.get(cacheKey) : keyCache.get(key as object);
    if (cached) return cached;
    const raw = typeof key === "string" ? encoder.encode(key) : new Uint8Array(key);
    const imported = await crypto.subtle.importKey(
      "raw",
      raw,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    if (cacheKey !== undefined) {
      if (secretCache.size > 100) secretCache.clear();
      secretCache.set(cacheKey, imported);
    } else keyCache.set(key as object, imported);
    return imported;
  }
  const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  if (typeof key === "string") {
    const isPrivate = key.includes("PRIVATE KEY");
    return await crypto.subtle.importKey(
      isPrivate ? "pkcs8" : "spki",
      pemBytes(key),
      algorithm,
      false,
      [use],
    );
  }
  if (key instanceof Uint8Array) throw new TypeError("RS256 takes a CryptoKey, a JWK or a PEM");
  const cached = keyCache.get(key);
  if (cached) return cached;
  const imported = await crypto.subtle.importKey("jwk", key, algorithm, false, [use]);
  keyCache.set(key, imported);
  return imported;
}

function cryptoAlgorithm(alg: JwtAlgorithm): string {
  return alg === "HS256" ? "HMAC" : "RSASSA-PKCS1-v1_5";
}

/**
 * Signs a payload into a compact JWT.
 *
 * @example
 * ```ts
 * import { signJwt, verifyJwt } from "./jwt.ts";
 * import assert from "node:assert/strict";
 * const token = await signJwt({ sub: "ada" }, { alg: "HS256", key: "s3cret" });
 * const payload = await verifyJwt(token, { alg: "HS256", key: "s3cret" });
 * assert.equal(payload.sub, "ada");
 * ```
 *
 * @param payload The claims.
 * @param options The algorithm and the secret or private key.
 * @returns The token.
 */
export async function signJwt(
  payload: JwtPayload,
  options: { alg: JwtAlgorithm; key: JwtKey },
): Promise<string> {
  const head = base64url(encoder.encode(JSON.stringify({ alg: options.alg, typ: "JWT" })));
  const body = base64url(encoder.encode(JSON.stringify(payload)));
  const key = await importKey(options.alg, options.key, "sign");
  const signature = await crypto.subtle.sign(
    cryptoAlgorithm(options.alg),
    key,
    encoder.encode(`${head}.${body}`),
  );
  return `${head}.${body}.${base64url(new Uint8Array(signature))}`;
}

/**
 * Verifies a compact JWT: the algorithm named in its header must be the one expected, the
 * signature must hold, and `exp`/`nbf` must allow the current time.
 *
 * @param token The token.
 * @param options The algorithm, key, leeway and clock.
 * @returns The payload.
 * @throws {JwtError} For a malformed, forged, expired or not-yet-valid token.
 */
export async function verifyJwt(token: string, options: JwtOptions): Promise<JwtPayload> {
  const parts = token.split(".");
  if (parts.length !== 3) throw new JwtError("Malformed token");
  let header: { alg?: unknown };
  let payload: JwtPayload;
  try {
    header = JSON.parse(new TextDecoder().decode(fromBase64url(parts[0])));
    payload = JSON.parse(new TextDecoder().decode(fromBase64url(parts[1])));
  } catch {
    throw new JwtError("Malformed token");
  }
  if (header.alg !== options.alg) {
    throw new JwtError(`Token algorithm ${String(header.alg)} is not ${options.alg}`);
  }
  if (typeof payload !== "object" || payload === null) throw new JwtError("Malformed token");
  const key = await importKey(options.alg, options.key, "verify");
  const ok = await crypto.subtle.verify(
    cryptoAlgorithm(options.alg),
    key,
    fromBase64url(parts[2]),
    encoder.encode(`${parts[0]}.${parts[1]}`),
  );
  if (!ok) throw new JwtError("Bad signature");
  const now = (options.now ?? Date.now)() / 1000;
  const leeway = options.leeway ?? 0;
  if (typeof payload.exp === "number" && now > payload.exp + leeway) {
    throw new JwtError("Token expired");
  }
  if (typeof payload.nbf === "number" && now < payload.nbf - leeway) {
    throw new JwtError("Token not valid yet");
  }
  return payload;
}

/**
 * Requires `Authorization: Bearer <jwt>` that verifies; sets `c.var.jwtPayload`. A missing or
 * bad token answers 401.
 *
 * @example
 * ```ts
 * import { App } from "../app.ts";
 * import { jwt, signJwt } from "./jwt.ts";
 * import assert from "node:assert/strict";
 * const app = new App().use(jwt({ alg: "HS256", key: "s3cret" }));
 * app.get("/me", (c) => ({ sub: c.var.jwtPayload.sub }));
 * const token = await signJwt({ sub: "ada" }, { alg: "HS256", key: "s3cret" });
 * const ok = await app.request("/me", { headers: { authorization: `Bearer ${token}` } });
 * assert.deepEqual(await ok.json(), { sub: "ada" });
 * assert.equal((await app.request("/me")).status, 401);
 * ```
 *
 * @param options The algorithm, key, leeway and clock.
 * @returns The middleware.
 */
export function jwt(options: JwtOptions): Middleware<{ Variables: { jwtPayload: JwtPayload } }> {
  return async function jwt(c: Context, next: Next) {
    const match = /^Bearer +(\S+)$/i.exec(c.req.headers.get("authorization") ?? "");
    if (!match) {
      throw new HttpError(401, "Authentication required", {
        headers: { "www-authenticate": 'Bearer realm="kit"' },
      });
    }
    let payload: JwtPayload;
    try {
      payload = await verifyJwt(match[1], options);
    } catch (error) {
      if (!(error instanceof JwtError)) throw error;
      throw new HttpError(401, error.message, {
        headers: {
          "www-authenticate":
            `Bearer realm="kit", error="invalid_token", error_description="${error.message}"`,
        },
      });
    }
    c.set("jwtPayload", payload);
    await next();
  };
}
