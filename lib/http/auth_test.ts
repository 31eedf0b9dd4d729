import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  basicAuthorization,
  bearerAuthorization,
  digestAuthorization,
  type DigestChallenge,
  parseChallenges,
  parseDigestChallenge,
} from "./auth.ts";

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

/** The auth-params of an Authorization value, parsed with the same challenge parser. */
function params(value: string): Map<string, string> {
  const [c] = parseChallenges(value);
  assert.equal(c.scheme, "Digest");
  return c.params;
}

Deno.test("basicAuthorization() encodes user:password as UTF-8 base64", () => {
  assert.equal(basicAuthorization("user", "pass"), "Basic dXNlcjpwYXNz");
  assert.equal(basicAuthorization("", ""), "Basic Og==");
  // RFC 7617 §2.1 example with charset=UTF-8: "test" / "123£".
  assert.equal(basicAuthorization("test", "123\u00a3"), "Basic dGVzdDoxMjPCow==");
  assert.equal(
    basicAuthorization("jürgen", "日本"),
    `Basic ${btoa("j\xc3\xbcrgen:\xe6\x97\xa5\xe6\x9c\xac")}`,
  );
});

Deno.test("bearerAuthorization() sends the token as it is", () => {
  assert.equal(bearerAuthorization("abc.def"), "Bearer abc.def");
});

Deno.test("parseChallenges() reads several challenges with quoted strings and escapes", () => {
  const list = parseChallenges(
    'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple", ' +
      'Negotiate, Bearer abc.DEF~+/==, Digest realm = "x, y" , nonce=abc,,qop="auth"',
  );
  assert.deepEqual(list.map((c) => c.scheme), [
    "Newauth",
    "Basic",
    "Negotiate",
    "Bearer",
    "Digest",
  ]);
  assert.deepEqual([...list[0].params], [["realm", "apps"], ["type", "1"], [
    "title",
    'Login to "apps"',
  ]]);
  assert.equal(list[1].params.get("realm"), "simple");
  assert.equal(list[2].params.size, 0);
  assert.equal(list[3].token68, "abc.DEF~+/==");
  assert.deepEqual([...list[4].params], [["realm", "x, y"], ["nonce", "abc"], ["qop", "auth"]]);
});

Deno.test("parseChallenges() lower-cases parameter names and survives junk", () => {
  const [c] = parseChallenges('Digest REALM="r", Nonce="n"');
  assert.equal(c.params.get("realm"), "r");
  assert.equal(c.params.get("nonce"), "n");
  assert.deepEqual(parseChallenges(""), []);
  assert.deepEqual(parseChallenges(" , ,"), []);
  // An unterminated quoted string takes the rest of the header.
  assert.equal(parseChallenges('Digest realm="open').at(0)?.params.get("realm"), "open");
  assert.deepEqual(parseChallenges('"junk" Basic realm="r"').map((c) => c.scheme), [
    "junk",
    "Basic",
  ]);
});

Deno.test("parseDigestChallenge() picks the Digest challenge among several", () => {
  const c = parseDigestChallenge(
    'Basic realm="b", Digest realm="http-auth@example.org", qop="auth, auth-int", ' +
      'algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", ' +
      'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", stale=TRUE, userhash=false',
  );
  assert.deepEqual(c, {
    realm: "http-auth@example.org",
    nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
    qop: ["auth", "auth-int"],
    algorithm: "SHA-256",
    opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
    stale: true,
  });
});

Deno.test("parseDigestChallenge() skips unsupported algorithms and challenges without a nonce", () => {
  const c = parseDigestChallenge(
    'Digest realm="r", nonce="a", algorithm=SHA-1024, Digest realm="r", algorithm=MD5, ' +
      'Digest realm="r", nonce="c", algorithm=md5-sess',
  );
  assert.equal(c?.nonce, "c");
  assert.equal(c?.algorithm, "md5-sess");
  assert.equal(parseDigestChallenge('Digest realm="r"'), null);
  assert.equal(parseDigestChallenge("Bearer"), null);
  assert.equal(parseDigestChallenge('digest realm="r", nonce="n"')?.nonce, "n");
});

// RFC 7616 §3.9.1.
const rfc7616: DigestChallenge = {
  realm: "http-auth@example.org",
  nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
  qop: ["auth", "auth-int"],
  opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
};
const rfc7616Request = {
  user: "Mufasa",
  password: "Circle of Life",
  method: "GET",
  uri: "/dir/index.html",
  cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
};

Deno.test("digestAuthorization() matches RFC 7616 §3.9.1 with SHA-256", () => {
  const value = digestAuthorization({
    challenge: { ...rfc7616, algorithm: "SHA-256" },
    ...rfc7616Request,
  });
  const p = params(value);
  assert.equal(
    p.get("response"),
    "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
  );
  assert.equal(p.get("username"), "Mufasa");
  assert.equal(p.get("realm"), "http-auth@example.org");
  assert.equal(p.get("uri"), "/dir/index.html");
  assert.equal(p.get("algorithm"), "SHA-256");
  assert.equal(p.get("qop"), "auth");
  assert.equal(p.get("nc"), "00000001");
  assert.equal(p.get("cnonce"), rfc7616Request.cnonce);
  assert.equal(p.get("opaque"), rfc7616.opaque);
  // qop, nc and algorithm are tokens, not quoted strings (RFC 7616 §3.4).
  assert.match(value, /, qop=auth, nc=00000001, /);
  assert.match(value, /, algorithm=SHA-256, /);
});

Deno.test("digestAuthorization() matches RFC 7616 §3.9.1 with MD5", () => {
  const value = digestAuthorization({
    challenge: { ...rfc7616, algorithm: "MD5" },
    ...rfc7616Request,
  });
  assert.equal(params(value).get("response"), "8ca523f5e9506fed4657c9700eebdbec");
});

Deno.test("digestAuthorization() matches RFC 2617 §3.5", () => {
  const value = digestAuthorization({
    challenge: {
      realm: "testrealm@host.com",
      nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
      qop: ["auth", "auth-int"],
      opaque: "5ccc069c403ebaf9f0171e9517f40e41",
    },
    user: "Mufasa",
    password: "Circle Of Life",
    method: "GET",
    uri: "/dir/index.html",
    nc: 1,
    cnonce: "0a4f113b",
  });
  assert.equal(
    value,
    'Digest username="Mufasa", realm="testrealm@host.com", ' +
      'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", ' +
      'response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41", ' +
      'qop=auth, nc=00000001, cnonce="0a4f113b"',
  );
});

Deno.test("digestAuthorization() without qop uses the RFC 2069 response and sends no nc", () => {
  const challenge = { realm: "r", nonce: "n" };
  const value = digestAuthorization({
    challenge,
    user: "u",
    password: "p",
    method: "GET",
    uri: "/",
  });
  const p = params(value);
  assert.equal(p.get("response"), md5(`${md5("u:r:p")}:n:${md5("GET:/")}`));
  assert.equal(p.has("nc"), false);
  assert.equal(p.has("cnonce"), false);
  assert.equal(p.has("qop"), false);
  assert.equal(p.has("algorithm"), false);
  assert.equal(p.has("opaque"), false);
});

Deno.test("digestAuthorization() computes the -sess variants", async (t) => {
  for (const [algorithm, hash] of [["MD5-sess", "md5"], ["SHA-256-sess", "sha256"]]) {
    await t.step(algorithm, () => {
      const h = (s: string) => createHash(hash).update(s).digest("hex");
      const value = digestAuthorization({
        challenge: { realm: "r", nonce: "n", qop: ["auth"], algorithm },
        user: "u",
        password: "p",
        method: "POST",
        uri: "/x?y=1",
        nc: 2,
        cnonce: "c",
      });
      const ha1 = h(`${h("u:r:p")}:n:c`);
      const expected = h(`${ha1}:n:00000002:c:auth:${h("POST:/x?y=1")}`);
      const p = params(value);
      assert.equal(p.get("response"), expected);
      assert.equal(p.get("algorithm"), algorithm);
    });
  }
});

Deno.test("digestAuthorization() formats nc as 8 lower-case hex digits", () => {
  const challenge = { realm: "r", nonce: "n", qop: ["auth"] };
  const base = { challenge, user: "u", password: "p", method: "GET", uri: "/", cnonce: "c" };
  assert.equal(params(digestAuthorization({ ...base, nc: 255 })).get("nc"), "000000ff");
  assert.equal(params(digestAuthorization({ ...base, nc: 0x1234abcd })).get("nc"), "1234abcd");
});

Deno.test("digestAuthorization() makes a fresh random cnonce by default", () => {
  const challenge = { realm: "r", nonce: "n", qop: ["auth"] };
  const base = { challenge, user: "u", password: "p", method: "GET", uri: "/" };
  const a = params(digestAuthorization(base)).get("cnonce");
  const b = params(digestAuthorization(base)).get("cnonce");
  assert.match(a ?? "", /^[0-9a-f]{32}$/);
  assert.notEqual(a, b);
});

Deno.test("digestAuthorization() uses auth-int with the body hash when only that is offered", () => {
  const body = new TextEncoder().encode("hello");
  const value = digestAuthorization({
    challenge: { realm: "r", nonce: "n", qop: ["auth-int"] },
    user: "u",
    password: "p",
    method: "PUT",
    uri: "/f",
    cnonce: "c",
    body,
  });
  const ha2 = md5(`PUT:/f:${md5("hello")}`);
  assert.equal(params(value).get("response"), md5(`${md5("u:r:p")}:n:00000001:c:auth-int:${ha2}`));
  assert.equal(params(value).get("qop"), "auth-int");
});

Deno.test("digestAuthorization() hashes the user name when the server asks for userhash", () => {
  const h = (s: string) => createHash("sha256").update(s).digest("hex");
  const value = digestAuthorization({
    challenge: { ...rfc7616, algorithm: "SHA-256", userhash: true },
    ...rfc7616Request,
  });
  const p = params(value);
  assert.equal(p.get("username"), h("Mufasa:http-auth@example.org"));
  assert.equal(p.get("userhash"), "true");
  // The response is the same as without userhash: the hash covers the real name.
  assert.equal(
    p.get("response"),
    "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
  );
});

Deno.test("digestAuthorization() escapes quotes and sends non-ASCII names as username*", () => {
  const challenge = { realm: 'a "quoted" \\ realm', nonce: "n" };
  const quoted = digestAuthorization({
    challenge,
    user: 'x"y',
    password: "p",
    method: "GET",
    uri: "/",
  });
  assert.match(quoted, /username="x\\"y", realm="a \\"quoted\\" \\\\ realm"/);
  assert.equal(params(quoted).get("realm"), 'a "quoted" \\ realm');
  const utf8 = digestAuthorization({
    challenge,
    user: "Jäsøn Doe",
    password: "p",
    method: "GET",
    uri: "/",
  });
  assert.match(utf8, /^Digest username\*=UTF-8''J%C3%A4s%C3%B8n%20Doe, /);
});

Deno.test("digestAuthorization() rejects an unsupported algorithm", () => {
  assert.throws(
    () =>
      digestAuthorization({
        challenge: { realm: "r", nonce: "n", algorithm: "SHA-1024" },
        user: "u",
        password: "p",
        method: "GET",
        uri: "/",
      }),
    RangeError,
  );
});

Deno.test("parseChallenges() keeps unquoted token68-like values whole", () => {
  const [c, d] = parseChallenges("Digest realm=plain, nonce=abc/def==, qop=auth, Basic realm=x");
  assert.equal(c.params.get("realm"), "plain");
  assert.equal(c.params.get("nonce"), "abc/def==");
  assert.equal(c.params.get("qop"), "auth");
  assert.equal(d.scheme, "Basic");
  assert.equal(d.params.get("realm"), "x");
});

Deno.test("parseDigestChallenge() reads challenges from several joined headers", () => {
  // Two WWW-Authenticate headers joined with ", " as the client does.
  const joined = ['Basic realm="b"', 'Digest realm="d", nonce="n1", algorithm=SHA-256'].join(", ");
  assert.deepEqual(parseDigestChallenge(joined), { realm: "d", nonce: "n1", algorithm: "SHA-256" });
});

Deno.test("digestAuthorization() with an empty qop list answers without qop", () => {
  const value = digestAuthorization({
    challenge: { realm: "r", nonce: "n", qop: [] },
    user: "u",
    password: "p",
    method: "GET",
    uri: "/",
  });
  assert.equal(params(value).has("qop"), false);
  assert.equal(params(value).get("response"), md5(`${md5("u:r:p")}:n:${md5("GET:/")}`));
});

Deno.test("digestAuthorization() supports SHA-512-256", () => {
  const h = (s: string) => createHash("sha512-256").update(s).digest("hex");
  const value = digestAuthorization({
    challenge: { realm: "r", nonce: "n", qop: ["auth"], algorithm: "SHA-512-256" },
    user: "u",
    password: "p",
    method: "GET",
    uri: "/",
    cnonce: "c",
  });
  assert.equal(params(value).get("response"), h(`${h("u:r:p")}:n:00000001:c:auth:${h("GET:/")}`));
});
