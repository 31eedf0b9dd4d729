import assert from "node:assert/strict";
import { App } from "../app.ts";
import { jwt, JwtError, signJwt, verifyJwt } from "./jwt.ts";

const HS = { alg: "HS256" as const, key: "secret" };

Deno.test("verifyJwt() checks a token made elsewhere (RFC 7519's HS256 example shape)", async () => {
  // Signed by an independent implementation (jwt.io's default example, secret "your-256-bit-secret").
  const token =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
  const payload = await verifyJwt(token, { alg: "HS256", key: "your-256-bit-secret" });
  assert.equal(payload.name, "John Doe");
  await assert.rejects(verifyJwt(token, { alg: "HS256", key: "other" }), /Bad signature/);
});

Deno.test("verifyJwt() refuses expired, early, malformed and alg-swapped tokens", async () => {
  const now = () => 1_000_000_000;
  const expired = await signJwt({ exp: 999_999 }, HS);
  await assert.rejects(verifyJwt(expired, { ...HS, now }), /expired/);
  assert.ok(await verifyJwt(expired, { ...HS, now, leeway: 1 }));
  const early = await signJwt({ nbf: 1_000_001 }, HS);
  await assert.rejects(verifyJwt(early, { ...HS, now }), /not valid yet/);
  await assert.rejects(verifyJwt("a.b", HS), JwtError);
  await assert.rejects(verifyJwt("a.b.c", HS), JwtError);
  const none = `${btoa('{"alg":"none"}').replace(/=+$/, "")}.${btoa("{}").replace(/=+$/, "")}.`;
  await assert.rejects(verifyJwt(none, HS), /algorithm none/);
});

Deno.test("RS256 tokens sign with a private key and verify with the public key (PEM and JWK)", async () => {
  const pair = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  );
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
  const pem = `-----BEGIN PUBLIC KEY-----\n${
    btoa(String.fromCharCode(...spki))
  }\n-----END PUBLIC KEY-----`;
  const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const token = await signJwt({ sub: "rs" }, { alg: "RS256", key: pair.privateKey });
  assert.equal((await verifyJwt(token, { alg: "RS256", key: pem })).sub, "rs");
  assert.equal((await verifyJwt(token, { alg: "RS256", key: jwk })).sub, "rs");
  await assert.rejects(verifyJwt(token, HS), /algorithm RS256/);
  const tampered = token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
  await assert.rejects(verifyJwt(tampered, { alg: "RS256", key: pem }), JwtError);
});

Deno.test("jwt() sets the payload and answers 401 with the reason", async () => {
  const app = new App().use(jwt(HS));
  app.get("/", (c) => ({ sub: c.var.jwtPayload.sub }));
  const token = await signJwt({ sub: "ada" }, HS);
  const ok = await app.request("/", { headers: { authorization: `Bearer ${token}` } });
  assert.deepEqual(await ok.json(), { sub: "ada" });
  const bad = await app.request("/", { headers: { authorization: `Bearer ${token}x` } });
  assert.equal(bad.status, 401);
  assert.match(bad.headers.get("www-authenticate")!, /invalid_token/);
  await bad.body?.cancel();
});
