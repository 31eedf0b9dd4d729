import assert from "node:assert/strict";
import { requestMethod, requestUrl, urlPath } from "./_request_target.ts";

const TARGETS = [
  "/",
  "/json",
  "/api/v2/res98/1234/items/abc",
  "/a/b?x=1&y=2",
  "/a?b=/c?d",
  "//double//slash",
  "/%7Euser/%20x",
  "/a/./b",
  "/a/../b",
  "/a/%2e%2E/b",
  "/.well-known/x",
  "/a\\b",
  "/a|b^c",
  "/a'b?c'd",
  '/q?x="y"',
  "/a`b{c}",
  "/p#frag",
  "/p?q#frag",
  "/é",
  "/a<b>",
];
const HOSTS = [
  "h",
  "H.Example",
  "127.0.0.1:8000",
  "127.1",
  "h:80",
  "h:443",
  "[::1]:8080",
  "x.y:0080",
];

Deno.test("requestUrl() agrees with Request.url", async (t) => {
  for (const scheme of ["http", "https"]) {
    for (const host of HOSTS) {
      await t.step(`${scheme} ${host}`, () => {
        for (const target of TARGETS) {
          const reference = new Request(`${scheme}://${host}${target}`).url;
          const url = requestUrl(scheme, host, target);
          assert.equal(url, reference, `${scheme}://${host}${target}`);
          assert.equal(urlPath(url), new URL(reference).pathname);
        }
      });
    }
  }
});

Deno.test("requestUrl() throws where Request would", () => {
  assert.throws(() => requestUrl("http", "h:99999", "/"), TypeError);
  assert.throws(() => new Request("http://h:99999/"), TypeError);
});

Deno.test("requestMethod() agrees with Request.method", () => {
  for (
    const method of [
      "GET",
      "get",
      "Post",
      "head",
      "options",
      "put",
      "delete",
      "PATCH",
      "patch",
      "PROPFIND",
      "x-y",
    ]
  ) {
    assert.equal(requestMethod(method), new Request("http://h/", { method }).method);
  }
  for (const method of ["CONNECT", "trace", "Track"]) {
    assert.throws(() => requestMethod(method), TypeError);
    assert.throws(() => new Request("http://h/", { method }), TypeError);
  }
});
