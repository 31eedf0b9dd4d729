import assert from "node:assert/strict";
import { HttpError } from "./errors.ts";
import { isRedirect, redirectStep } from "./redirect.ts";

const BODY: [string, string][] = [
  ["Content-Type", "application/json"],
  ["Content-Length", "2"],
  ["Accept", "*/*"],
];

function step(
  method: string,
  status: number,
  location: string,
  from = "http://example.com/a/b?q=1",
  headers: [string, string][] = BODY,
) {
  return redirectStep({ method, url: new URL(from), headers }, status, location);
}

Deno.test("isRedirect() is true for 301, 302, 303, 307 and 308 only", () => {
  assert.deepEqual(
    [200, 300, 301, 302, 303, 304, 305, 306, 307, 308, 309, 400].filter(isRedirect),
    [301, 302, 303, 307, 308],
  );
});

Deno.test("redirectStep() sets method and body for each status and method", async (t) => {
  // [status, method] -> [next method, body kept]
  const table: [number, string, string, boolean][] = [
    [301, "GET", "GET", true],
    [301, "HEAD", "HEAD", true],
    [301, "POST", "GET", false],
    [301, "PUT", "PUT", true],
    [301, "DELETE", "DELETE", true],
    [301, "PATCH", "PATCH", true],
    [302, "GET", "GET", true],
    [302, "HEAD", "HEAD", true],
    [302, "POST", "GET", false],
    [302, "PUT", "PUT", true],
    [302, "DELETE", "DELETE", true],
    [302, "OPTIONS", "OPTIONS", true],
    [303, "GET", "GET", false],
    [303, "HEAD", "HEAD", false],
    [303, "POST", "GET", false],
    [303, "PUT", "GET", false],
    [303, "DELETE", "GET", false],
    [303, "PATCH", "GET", false],
    [307, "GET", "GET", true],
    [307, "HEAD", "HEAD", true],
    [307, "POST", "POST", true],
    [307, "PUT", "PUT", true],
    [307, "DELETE", "DELETE", true],
    [308, "GET", "GET", true],
    [308, "HEAD", "HEAD", true],
    [308, "POST", "POST", true],
    [308, "PUT", "PUT", true],
    [308, "PATCH", "PATCH", true],
  ];
  for (const [status, method, nextMethod, keepBody] of table) {
    await t.step(`${status} ${method}`, () => {
      const next = step(method, status, "/next");
      assert.equal(next.method, nextMethod);
      assert.equal(next.keepBody, keepBody);
      assert.equal(next.url.href, "http://example.com/next");
      const names = next.headers.map(([n]) => n);
      if (keepBody) assert.deepEqual(names, ["Content-Type", "Content-Length", "Accept"]);
      else assert.deepEqual(names, ["Accept"]);
    });
  }
});

Deno.test("redirectStep() compares the method case-insensitively but keeps its spelling", () => {
  assert.equal(step("post", 302, "/x").method, "GET");
  assert.equal(step("head", 303, "/x").method, "head");
  assert.equal(step("put", 307, "/x").method, "put");
});

Deno.test("redirectStep() drops every body header with the body", () => {
  const headers: [string, string][] = [
    ["content-type", "text/plain"],
    ["Transfer-Encoding", "chunked"],
    ["Content-Encoding", "gzip"],
    ["Content-Language", "en"],
    ["Content-Location", "/x"],
    ["Expect", "100-continue"],
    ["X-Keep", "1"],
  ];
  assert.deepEqual(step("POST", 303, "/x", undefined, headers).headers, [["X-Keep", "1"]]);
  assert.deepEqual(step("POST", 307, "/x", undefined, headers).headers, headers);
});

Deno.test("redirectStep() resolves relative locations against the previous URL", async (t) => {
  const from = "https://example.com:8443/a/b/c?q=1";
  const cases: [string, string][] = [
    ["/root", "https://example.com:8443/root"],
    ["sibling", "https://example.com:8443/a/b/sibling"],
    ["../up", "https://example.com:8443/a/up"],
    ["./", "https://example.com:8443/a/b/"],
    ["?only=query", "https://example.com:8443/a/b/c?only=query"],
    ["//cdn.example.net/x", "https://cdn.example.net/x"],
    ["http://other.test/p", "http://other.test/p"],
    ["  /trimmed  ", "https://example.com:8443/trimmed"],
    ["/with space/é", "https://example.com:8443/with%20space/%C3%A9"],
    ["", "https://example.com:8443/a/b/c?q=1"],
  ];
  for (const [location, href] of cases) {
    await t.step(JSON.stringify(location), () => {
      assert.equal(step("GET", 302, location, from).url.href, href);
    });
  }
});

Deno.test("redirectStep() keeps the original fragment when the Location has none", async (t) => {
  const from = "http://example.com/page#section-2";
  const cases: [string, string][] = [
    ["/other", "http://example.com/other#section-2"],
    ["/other#top", "http://example.com/other#top"],
    ["https://b.test/x", "https://b.test/x#section-2"],
    // An explicit empty fragment replaces the inherited one.
    ["/other#", "http://example.com/other#"],
  ];
  for (const [location, href] of cases) {
    await t.step(location, () => assert.equal(step("GET", 301, location, from).url.href, href));
  }
  assert.equal(step("GET", 301, "/x", "http://example.com/").url.href, "http://example.com/x");
});

Deno.test("redirectStep() strips credentials from the Location and the inherited URL", () => {
  const next = step("GET", 302, "https://user:secret@other.test/x");
  assert.equal(next.url.href, "https://other.test/x");
  assert.equal(next.url.username, "");
  assert.equal(next.url.password, "");
  const relative = step("GET", 302, "/x", "http://u:p@example.com/a");
  assert.equal(relative.url.href, "http://example.com/x");
});

Deno.test("redirectStep() keeps credentials on a same-origin hop", () => {
  const headers: [string, string][] = [
    ["Authorization", "Basic dTpw"],
    ["Cookie", "a=1"],
    ["Proxy-Authorization", "Basic cA=="],
    ["Accept", "*/*"],
  ];
  const next = step("GET", 302, "/elsewhere", "http://example.com/", headers);
  assert.deepEqual(next.headers, headers);
  // The default port written out is the same origin.
  assert.deepEqual(
    step("GET", 302, "http://example.com:80/x", "http://example.com/", headers).headers,
    headers,
  );
});

Deno.test("redirectStep() drops credentials and Host on a hop to another origin", async (t) => {
  const headers: [string, string][] = [
    ["authorization", "Bearer t"],
    ["Host", "example.com"],
    ["COOKIE", "a=1"],
    ["Proxy-Authorization", "Basic cA=="],
    ["X-Custom", "kept"],
  ];
  const targets = [
    "https://example.com/x", // scheme differs
    "http://example.com:8080/x", // port differs
    "http://www.example.com/x", // host differs
    "http://EVIL.test/x",
  ];
  for (const target of targets) {
    await t.step(target, () => {
      const next = step("GET", 307, target, "http://example.com/", headers);
      assert.deepEqual(next.headers, [["X-Custom", "kept"]]);
    });
  }
});

Deno.test("redirectStep() drops both body and credentials on a cross-origin 303", () => {
  const headers: [string, string][] = [...BODY, ["Authorization", "Basic x"], ["Cookie", "c=1"]];
  const next = step("POST", 303, "https://other.test/done", "https://example.com/form", headers);
  assert.deepEqual(next.headers, [["Accept", "*/*"]]);
  assert.equal(next.method, "GET");
});

Deno.test("redirectStep() does not change the previous headers array", () => {
  const headers: [string, string][] = [["Authorization", "x"], ["Content-Type", "y"]];
  step("POST", 303, "https://other.test/", "http://example.com/", headers);
  assert.deepEqual(headers, [["Authorization", "x"], ["Content-Type", "y"]]);
});

Deno.test("redirectStep() throws HttpError protocol on bad or non-http locations", async (t) => {
  const cases = [
    "http://",
    "http://exa mple.com/",
    "https://[::1/",
    "ftp://example.com/file",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "data:text/plain,hi",
    "mailto:a@b.c",
  ];
  for (const location of cases) {
    await t.step(location, () => {
      assert.throws(() => step("GET", 302, location), (e) => {
        assert.ok(e instanceof HttpError);
        assert.equal(e.kind, "protocol");
        assert.ok(e.message.includes(JSON.stringify(location)), e.message);
        return true;
      });
    });
  }
});
