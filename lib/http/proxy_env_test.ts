import assert from "node:assert/strict";
import { HttpError } from "./errors.ts";
import { noProxyMatches, proxyFromEnv } from "./proxy_env.ts";

function envOf(vars: Record<string, string>): (name: string) => string | undefined {
  return (name) => Object.hasOwn(vars, name) ? vars[name] : undefined;
}

function proxy(url: string, vars: Record<string, string>): string | null {
  return proxyFromEnv(new URL(url), envOf(vars))?.href ?? null;
}

Deno.test("proxyFromEnv() uses http_proxy for http and never HTTP_PROXY", () => {
  assert.equal(proxy("http://a.test/", { http_proxy: "http://p:3128" }), "http://p:3128/");
  assert.equal(proxy("http://a.test/", { HTTP_PROXY: "http://p:3128" }), null);
  assert.equal(
    proxy("http://a.test/", { HTTP_PROXY: "http://evil:1", ALL_PROXY: "http://all:2" }),
    "http://all:2/",
  );
  // http_proxy is for http URLs only.
  assert.equal(proxy("https://a.test/", { http_proxy: "http://p:3128" }), null);
});

Deno.test("proxyFromEnv() reads https_proxy, then HTTPS_PROXY, lower case first", () => {
  assert.equal(proxy("https://a.test/", { HTTPS_PROXY: "http://up:1" }), "http://up:1/");
  assert.equal(
    proxy("https://a.test/", { https_proxy: "http://low:1", HTTPS_PROXY: "http://up:1" }),
    "http://low:1/",
  );
  assert.equal(proxy("http://a.test/", { https_proxy: "http://low:1" }), null);
});

Deno.test("proxyFromEnv() falls back to all_proxy, then ALL_PROXY", () => {
  assert.equal(proxy("http://a.test/", { ALL_PROXY: "http://up:1" }), "http://up:1/");
  assert.equal(
    proxy("https://a.test/", { all_proxy: "http://low:1", ALL_PROXY: "http://up:1" }),
    "http://low:1/",
  );
  // The scheme's own variable wins over the fallback.
  assert.equal(
    proxy("https://a.test/", { all_proxy: "http://all:1", HTTPS_PROXY: "http://own:1" }),
    "http://own:1/",
  );
});

Deno.test("proxyFromEnv() treats empty variables as unset", () => {
  assert.equal(
    proxy("https://a.test/", { https_proxy: "", HTTPS_PROXY: "http://up:1" }),
    "http://up:1/",
  );
  assert.equal(proxy("http://a.test/", { http_proxy: "" }), null);
  assert.equal(
    proxy("http://a.test/", { http_proxy: "http://p:1", no_proxy: "", NO_PROXY: "a.test" }),
    null,
  );
});

Deno.test("proxyFromEnv() returns null with no variables or for other schemes", () => {
  assert.equal(proxy("http://a.test/", {}), null);
  assert.equal(proxy("ftp://a.test/", { all_proxy: "http://p:1" }), null);
  assert.equal(proxy("ws://a.test/", { all_proxy: "http://p:1" }), null);
});

Deno.test("proxyFromEnv() completes proxy values the way curl does", async (t) => {
  const cases: [string, string][] = [
    ["proxy.corp:3128", "http://proxy.corp:3128/"],
    ["proxy.corp", "http://proxy.corp:1080/"],
    ["http://proxy.corp", "http://proxy.corp:1080/"],
    ["http://proxy.corp/", "http://proxy.corp:1080/"],
    ["http://proxy.corp:80", "http://proxy.corp/"],
    ["HTTP://Proxy.Corp:8080", "http://proxy.corp:8080/"],
    ["https://proxy.corp", "https://proxy.corp/"],
    ["https://proxy.corp:8443", "https://proxy.corp:8443/"],
    ["http://user:p%40ss@proxy.corp:3128", "http://user:p%40ss@proxy.corp:3128/"],
    ["user:pw@proxy.corp", "http://user:pw@proxy.corp:1080/"],
    ["http://[::1]", "http://[::1]:1080/"],
    ["[::1]:3128", "http://[::1]:3128/"],
    ["http://10.0.0.1:8080/ignored/path", "http://10.0.0.1:8080/ignored/path"],
  ];
  for (const [value, href] of cases) {
    await t.step(value, () => assert.equal(proxy("http://a.test/", { http_proxy: value }), href));
  }
});

Deno.test("proxyFromEnv() keeps the proxy credentials for Proxy-Authorization", () => {
  const url = proxyFromEnv(new URL("http://a.test/"), envOf({ http_proxy: "http://u:p@proxy:1" }));
  assert.equal(url?.username, "u");
  assert.equal(url?.password, "p");
});

Deno.test("proxyFromEnv() refuses proxies it cannot speak to and malformed values", async (t) => {
  const cases: [string, RegExp][] = [
    ["socks5://proxy:1080", /unsupported proxy scheme in http_proxy: "socks5"/],
    ["socks5h://proxy", /unsupported proxy scheme/],
    ["http://", /invalid proxy URL in http_proxy: "http:\/\/"/],
    ["http://exa mple:1", /invalid proxy URL/],
    ["http://[::1:1", /invalid proxy URL/],
  ];
  for (const [value, message] of cases) {
    await t.step(value, () => {
      assert.throws(() => proxy("http://a.test/", { http_proxy: value }), (e) => {
        assert.ok(e instanceof HttpError);
        assert.equal(e.kind, "invalid-request");
        assert.match(e.message, message);
        return true;
      });
    });
  }
});

Deno.test("proxyFromEnv() does not read NO_PROXY when there is no proxy, nor complain", () => {
  assert.equal(proxy("http://a.test/", { no_proxy: "*" }), null);
});

Deno.test("proxyFromEnv() lets no_proxy win over NO_PROXY", () => {
  const vars = { http_proxy: "http://p:1", no_proxy: "other.test", NO_PROXY: "a.test" };
  assert.equal(proxy("http://a.test/", vars), "http://p:1/");
  assert.equal(proxy("http://other.test/", vars), null);
});

Deno.test("noProxyMatches() matches names as curl does", async (t) => {
  const cases: [string, string, boolean][] = [
    ["http://example.com/", "example.com", true],
    ["http://www.example.com/", "example.com", true],
    ["http://a.b.example.com/", "example.com", true],
    ["http://notexample.com/", "example.com", false],
    ["http://example.com.evil/", "example.com", false],
    ["http://example.com/", ".example.com", true],
    ["http://www.example.com/", ".example.com", true],
    ["http://www.example.com/", "*.example.com", true],
    ["http://EXAMPLE.com/", "Example.COM", true],
    ["http://example.com./", "example.com", true],
    ["http://example.com/", "example.com.", true],
    ["http://example.com/", "www.example.com", false],
    ["http://localhost:8080/", "localhost", true],
    ["http://example.com/", " other.test , example.com ", true],
    ["http://example.com/", ",,,", false],
    ["http://example.com/", "", false],
    ["http://example.com/", "*", true],
    ["http://example.com/", "other.test,*", true],
    ["http://example.com/", ".", false],
  ];
  for (const [url, list, expected] of cases) {
    await t.step(
      `${url} in "${list}"`,
      () => assert.equal(noProxyMatches(new URL(url), list), expected),
    );
  }
});

Deno.test("noProxyMatches() matches host:port entries on that port only", async (t) => {
  const cases: [string, string, boolean][] = [
    ["http://example.com:8080/", "example.com:8080", true],
    ["http://example.com:8081/", "example.com:8080", false],
    ["http://example.com/", "example.com:80", true],
    ["https://example.com/", "example.com:443", true],
    ["https://example.com/", "example.com:80", false],
    ["http://www.example.com:8080/", ".example.com:8080", true],
    ["http://127.0.0.1:9000/", "127.0.0.1:9000", true],
    ["http://127.0.0.1:9001/", "127.0.0.1:9000", false],
    ["http://[::1]:9000/", "[::1]:9000", true],
    ["http://[::1]:9001/", "[::1]:9000", false],
  ];
  for (const [url, list, expected] of cases) {
    await t.step(
      `${url} in "${list}"`,
      () => assert.equal(noProxyMatches(new URL(url), list), expected),
    );
  }
});

Deno.test("noProxyMatches() compares IP addresses as addresses, with CIDR ranges", async (t) => {
  const cases: [string, string, boolean][] = [
    ["http://127.0.0.1/", "127.0.0.1", true],
    ["http://127.0.0.1/", "127.0.0.2", false],
    ["http://127.0.0.1/", "localhost", false],
    ["http://10.1.2.3/", "10.0.0.0/8", true],
    ["http://11.1.2.3/", "10.0.0.0/8", false],
    ["http://192.168.5.9/", "192.168.0.0/16", true],
    ["http://192.168.5.9/", "192.168.4.0/23", true],
    ["http://192.168.6.9/", "192.168.4.0/23", false],
    ["http://192.168.5.9/", "0.0.0.0/0", true],
    ["http://192.168.5.9/", "192.168.5.9/32", true],
    ["http://192.168.5.9/", "192.168.5.9/33", false],
    ["http://192.168.5.9/", "192.168.5.9/x", false],
    // Names do not tail-match addresses: "0.0.1" is not a domain of 10.0.0.1.
    ["http://10.0.0.1/", "0.0.1", false],
    ["http://10.0.0.1/", ".0.0.1", false],
    // The URL parser normalises other IPv4 spellings first.
    ["http://0x7f.1/", "127.0.0.1", true],
    ["http://[::1]/", "::1", true],
    ["http://[::1]/", "[::1]", true],
    ["http://[::1]/", "0:0:0:0:0:0:0:1", true],
    ["http://[::2]/", "::1", false],
    ["http://[2001:db8::5]/", "2001:db8::/32", true],
    ["http://[2001:db9::5]/", "2001:db8::/32", false],
    ["http://[2001:db8:ff00::1]/", "2001:db8:ff00::/40", true],
    ["http://[2001:db8:fe00::1]/", "2001:db8:ff00::/40", false],
    ["http://[2001:db8:fe00::1]/", "2001:db8:ff00::/39", true],
    ["http://[::ffff:1.2.3.4]/", "::ffff:1.2.3.4", true],
    ["http://[::ffff:1.2.3.4]/", "::ffff:1.2.3.0/120", true],
    ["http://[::1]/", "127.0.0.1", false],
    ["http://127.0.0.1/", "::1", false],
    ["http://[fe80::1]/", "fe80::1::2", false],
  ];
  for (const [url, list, expected] of cases) {
    await t.step(
      `${url} in "${list}"`,
      () => assert.equal(noProxyMatches(new URL(url), list), expected),
    );
  }
});

Deno.test("proxyFromEnv() skips the proxy for hosts in NO_PROXY", () => {
  const vars = {
    http_proxy: "http://p:1",
    https_proxy: "http://p:1",
    NO_PROXY: "localhost,127.0.0.0/8,::1,.corp.example,api.test:8443",
  };
  assert.equal(proxy("http://localhost:3000/", vars), null);
  assert.equal(proxy("http://127.3.2.1/", vars), null);
  assert.equal(proxy("http://[::1]:8080/", vars), null);
  assert.equal(proxy("https://git.corp.example/", vars), null);
  assert.equal(proxy("https://api.test:8443/", vars), null);
  assert.equal(proxy("https://api.test/", vars), "http://p:1/");
  assert.equal(proxy("http://example.com/", vars), "http://p:1/");
});
