import assert from "node:assert/strict";
import {
  type Cookie,
  CookieJar,
  defaultPath,
  domainMatch,
  parseCookieDate,
  parseSetCookie,
  pathMatch,
} from "./cookies.ts";

const T0 = Date.UTC(2020, 0, 1);
const u = (s: string) => new URL(s);

function jarWith(url: string, headers: string[], now = T0): CookieJar {
  const jar = new CookieJar();
  jar.setCookies(u(url), headers, now);
  return jar;
}

Deno.test("parseCookieDate() reads the date forms of RFC 6265 §5.1.1", async (t) => {
  const want = Date.UTC(1994, 10, 6, 8, 49, 37);
  const cases: [string, number | null][] = [
    ["Sun, 06 Nov 1994 08:49:37 GMT", want], // RFC 1123
    ["Sunday, 06-Nov-94 08:49:37 GMT", want], // RFC 850
    ["Sun Nov  6 08:49:37 1994", want], // asctime
    ["Sun, 06-Nov-1994 08:49:37 GMT", want], // Netscape
    ["06 nov 1994 08:49:37", want], // no weekday, lower-case month
    ["Sun, 6 November 1994 8:9:7 GMT", Date.UTC(1994, 10, 6, 8, 9, 7)],
    ["Wed, 09 Jun 2021 10:18:14 GMT", Date.UTC(2021, 5, 9, 10, 18, 14)],
    ["Thu, 01 Jan 70 00:00:00 GMT", 0], // 70..99 -> 19xx
    ["Fri, 01 Jan 30 00:00:00 GMT", Date.UTC(2030, 0, 1)], // 00..69 -> 20xx
    ["Sun, 06 Nov 1994 08:49:37 GMT+0100", want], // zone text is ignored
    ["Sun, 31 Feb 1994 08:49:37 GMT", null], // no such day
    ["Sun, 32 Nov 1994 08:49:37 GMT", null],
    ["Sun, 06 Nov 1994 24:00:00 GMT", null],
    ["Sun, 06 Nov 1600 08:49:37 GMT", null], // before 1601
    ["Sun, 06 Nov 1994", null], // no time
    ["Sun, 06 1994 08:49:37 GMT", null], // no month
    ["", null],
    ["2024-01-02T03:04:05Z", null],
  ];
  for (const [text, expected] of cases) {
    await t.step(JSON.stringify(text), () => assert.equal(parseCookieDate(text), expected));
  }
});

Deno.test("parseSetCookie() splits the pair and reads attributes case-insensitively", () => {
  const c = parseSetCookie(
    " SID = 31d4 d96e ; path=/x ; DOMAIN=.Example.COM; secure; HTTPONLY; SameSite=lax; Foo=bar",
  );
  assert.deepEqual(c, {
    name: "SID",
    value: "31d4 d96e",
    path: "/x",
    domain: "example.com",
    secure: true,
    httpOnly: true,
    sameSite: "Lax",
  });
});

Deno.test("parseSetCookie() ignores headers without a name", () => {
  assert.equal(parseSetCookie("novalue"), null);
  assert.equal(parseSetCookie("=value"), null);
  assert.equal(parseSetCookie(""), null);
  assert.deepEqual(parseSetCookie("a="), {
    name: "a",
    value: "",
    secure: false,
    httpOnly: false,
    sameSite: null,
  });
});

Deno.test("parseSetCookie() keeps '=' inside the value and quotes as they are", () => {
  assert.equal(parseSetCookie("a=b=c")?.value, "b=c");
  assert.equal(parseSetCookie('a="quoted"')?.value, '"quoted"');
});

Deno.test("parseSetCookie() drops invalid attribute values", () => {
  const c = parseSetCookie("a=1; Max-Age=12abc; Expires=never; Domain=; Path=rel; SameSite=weird");
  assert.equal(c?.maxAge, undefined);
  assert.equal(c?.expires, undefined);
  assert.equal(c?.domain, undefined);
  assert.equal(c?.path, undefined);
  assert.equal(c?.sameSite, null);
  // The last valid Max-Age wins, and an invalid Path after a valid one means the default path.
  const d = parseSetCookie("a=1; Max-Age=5; Max-Age=-1; Path=/a; Path=b");
  assert.equal(d?.maxAge, -1);
  assert.equal(d?.path, undefined);
});

Deno.test("domainMatch(), pathMatch() and defaultPath() follow §5.1.3 and §5.1.4", () => {
  assert.equal(domainMatch("example.com", "example.com"), true);
  assert.equal(domainMatch("a.b.example.com", "example.com"), true);
  assert.equal(domainMatch("example.com", "www.example.com"), false);
  assert.equal(domainMatch("notexample.com", "example.com"), false);
  assert.equal(domainMatch("10.0.0.1", "0.0.1"), false);
  assert.equal(domainMatch("10.0.0.1", "10.0.0.1"), true);
  assert.equal(pathMatch("/", "/"), true);
  assert.equal(pathMatch("/a/b", "/a"), true);
  assert.equal(pathMatch("/a/b", "/a/"), true);
  assert.equal(pathMatch("/ab", "/a"), false);
  assert.equal(pathMatch("/a", "/a/b"), false);
  assert.equal(defaultPath("/"), "/");
  assert.equal(defaultPath("/a/"), "/a");
  assert.equal(defaultPath("/a/b/"), "/a/b");
  assert.equal(defaultPath("no-slash"), "/");
});

Deno.test("CookieJar follows the examples of RFC 6265 §3.1", async (t) => {
  await t.step("a host-only cookie", () => {
    const jar = jarWith("http://example.com/", ["SID=31d4d96e407aad42"]);
    assert.equal(jar.cookieHeader(u("http://example.com/"), T0), "SID=31d4d96e407aad42");
    assert.equal(jar.cookieHeader(u("http://www.example.com/"), T0), null);
    assert.equal(jar.all(T0)[0].hostOnly, true);
  });
  await t.step("a domain cookie reaches sub-domains", () => {
    const jar = jarWith("http://example.com/", [
      "SID=31d4d96e407aad42; Path=/; Domain=example.com",
    ]);
    assert.equal(jar.cookieHeader(u("http://www.example.com/x"), T0), "SID=31d4d96e407aad42");
    assert.equal(jar.all(T0)[0].hostOnly, false);
  });
  await t.step("Secure and HttpOnly cookies", () => {
    const jar = jarWith("https://example.com/", [
      "SID=31d4d96e407aad42; Path=/; Secure; HttpOnly",
      "lang=en-US; Path=/; Domain=example.com",
    ]);
    assert.equal(
      jar.cookieHeader(u("https://example.com/"), T0),
      "SID=31d4d96e407aad42; lang=en-US",
    );
    assert.equal(jar.cookieHeader(u("http://example.com/"), T0), "lang=en-US");
    assert.equal(jar.all(T0)[0].httpOnly, true);
  });
  await t.step("a persistent cookie, then its deletion with a past Expires", () => {
    const jar = jarWith("http://example.com/", [
      "lang=en-US; Expires=Wed, 09 Jun 2021 10:18:14 GMT",
    ]);
    assert.equal(jar.all(T0)[0].expires, Date.UTC(2021, 5, 9, 10, 18, 14));
    jar.setCookies(u("http://example.com/"), ["lang=; Expires=Sun, 06 Nov 1994 08:49:37 GMT"], T0);
    assert.equal(jar.cookieHeader(u("http://example.com/"), T0), null);
    assert.equal(jar.toJSON().length, 0);
  });
});

Deno.test("CookieJar lets Max-Age win over Expires, wherever it is written", () => {
  const jar = jarWith("http://example.com/", [
    "a=1; Max-Age=10; Expires=Sun, 06 Nov 1994 08:49:37 GMT",
    "b=2; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Max-Age=10",
  ]);
  assert.deepEqual(jar.all(T0).map((c) => [c.name, c.expires]), [["a", T0 + 10_000], [
    "b",
    T0 + 10_000,
  ]]);
  assert.equal(jar.cookieHeader(u("http://example.com/"), T0 + 9_999), "a=1; b=2");
  assert.equal(jar.cookieHeader(u("http://example.com/"), T0 + 10_000), null);
});

Deno.test("CookieJar deletes a cookie on Max-Age=0 and on a negative Max-Age", () => {
  const jar = jarWith("http://example.com/", ["a=1", "b=2", "c=3"]);
  jar.setCookies(u("http://example.com/"), ["a=x; Max-Age=0", "b=x; Max-Age=-5"], T0);
  assert.equal(jar.cookieHeader(u("http://example.com/"), T0), "c=3");
  // A deleting header for a cookie the jar does not hold stores nothing.
  jar.setCookies(u("http://example.com/"), ["d=1; Max-Age=0"], T0);
  assert.equal(jar.all(T0).length, 1);
});

Deno.test("CookieJar keeps session cookies until told otherwise", () => {
  const jar = jarWith("http://example.com/", ["s=1"]);
  assert.equal(jar.all(T0)[0].expires, null);
  assert.equal(jar.cookieHeader(u("http://example.com/"), T0 + 1e12), "s=1");
});

Deno.test("CookieJar ignores a leading dot in Domain and compares it case-insensitively", () => {
  const jar = jarWith("http://WWW.Example.com/", ["a=1; Domain=.EXAMPLE.com"]);
  assert.equal(jar.all(T0)[0].domain, "example.com");
  assert.equal(jar.cookieHeader(u("http://example.com/"), T0), "a=1");
  assert.equal(jar.cookieHeader(u("http://other.example.com/"), T0), "a=1");
});

Deno.test("CookieJar rejects a Domain that does not cover the request host", () => {
  const jar = jarWith("http://www.example.com/", [
    "a=1; Domain=other.com",
    "b=2; Domain=sub.www.example.com",
    "c=3; Domain=ample.com",
  ]);
  assert.equal(jar.all(T0).length, 0);
});

Deno.test("CookieJar refuses domain cookies on public suffixes", async (t) => {
  await t.step("a single-label domain", () => {
    assert.equal(jarWith("http://example.com/", ["a=1; Domain=com"]).all(T0).length, 0);
  });
  await t.step("a known multi-label suffix", () => {
    assert.equal(jarWith("http://shop.co.uk/", ["a=1; Domain=co.uk"]).all(T0).length, 0);
  });
  await t.step("the suffix itself as host turns it into a host-only cookie", () => {
    const jar = jarWith("http://localhost:8080/", ["a=1; Domain=localhost"]);
    const [c] = jar.all(T0);
    assert.equal(c.hostOnly, true);
    assert.equal(c.domain, "localhost");
    assert.equal(jar.cookieHeader(u("http://localhost/"), T0), "a=1");
  });
});

Deno.test("CookieJar treats IP addresses as exact hosts", () => {
  const jar = jarWith("http://192.168.0.10/", [
    "a=1",
    "b=2; Domain=168.0.10",
    "c=3; Domain=192.168.0.10",
  ]);
  assert.deepEqual(jar.all(T0).map((c) => c.name), ["a", "c"]);
  assert.equal(jar.cookieHeader(u("http://192.168.0.10/"), T0), "a=1; c=3");
  assert.equal(jar.cookieHeader(u("http://10.192.168.0.10.example/"), T0), null);
  const v6 = jarWith("http://[::1]:8000/", ["d=4"]);
  assert.equal(v6.cookieHeader(u("http://[::1]/"), T0), "d=4");
});

Deno.test("CookieJar ignores ports: cookies are shared by all ports of a host", () => {
  const jar = jarWith("http://example.com:8080/", ["a=1"]);
  assert.equal(jar.cookieHeader(u("http://example.com:9090/"), T0), "a=1");
});

Deno.test("CookieJar uses the default path of the request when Path is missing", () => {
  const jar = jarWith("http://example.com/docs/guide/intro", ["a=1", "b=2; Path=/"]);
  assert.equal(jar.all(T0)[0].path, "/docs/guide");
  assert.equal(jar.cookieHeader(u("http://example.com/docs/guide/other"), T0), "a=1; b=2");
  assert.equal(jar.cookieHeader(u("http://example.com/docs/guide"), T0), "a=1; b=2");
  assert.equal(jar.cookieHeader(u("http://example.com/docs/guides"), T0), "b=2");
  assert.equal(jar.cookieHeader(u("http://example.com/docs"), T0), "b=2");
});

Deno.test("CookieJar ignores the query when matching paths", () => {
  const jar = jarWith("http://example.com/a/b?x=/c/d", ["a=1"]);
  assert.equal(jar.all(T0)[0].path, "/a");
  assert.equal(jar.cookieHeader(u("http://example.com/a/z?q=1"), T0), "a=1");
});

Deno.test("CookieJar orders the Cookie header by longer path, then earlier creation", () => {
  const jar = new CookieJar();
  jar.setCookies(u("http://example.com/"), ["z=1; Path=/"], T0);
  jar.setCookies(u("http://example.com/"), ["y=2; Path=/a/b", "x=3; Path=/a"], T0 + 1);
  jar.setCookies(u("http://example.com/"), ["w=4; Path=/a"], T0 + 2);
  jar.setCookies(u("http://example.com/"), ["v=5; Path=/"], T0 - 1 + 0); // older clock, created earlier
  assert.equal(
    jar.cookieHeader(u("http://example.com/a/b/c"), T0 + 3),
    "y=2; x=3; w=4; v=5; z=1",
  );
});

Deno.test("CookieJar keeps the order a server sent when creation times are equal", () => {
  const jar = jarWith("http://example.com/", ["c=1", "a=2", "b=3"]);
  assert.equal(jar.cookieHeader(u("http://example.com/"), T0), "c=1; a=2; b=3");
});

Deno.test("CookieJar replaces a cookie with the same name, domain and path, keeping its creation", () => {
  const jar = new CookieJar();
  jar.setCookies(u("http://example.com/"), ["a=1", "b=2"], T0);
  jar.setCookies(u("http://example.com/"), ["a=new; HttpOnly"], T0 + 1000);
  const [a, b] = jar.all(T0 + 1000);
  assert.equal(a.value, "new");
  assert.equal(a.created, T0);
  assert.equal(a.httpOnly, true);
  assert.equal(b.name, "b");
  assert.equal(jar.cookieHeader(u("http://example.com/"), T0 + 1000), "a=new; b=2");
});

Deno.test("CookieJar keeps cookies apart that differ in path or domain", () => {
  const jar = jarWith("http://www.example.com/x/y", [
    "a=1",
    "a=2; Path=/",
    "a=3; Domain=example.com; Path=/",
  ]);
  assert.equal(jar.all(T0).length, 3);
  assert.equal(jar.cookieHeader(u("http://www.example.com/x/z"), T0), "a=1; a=2; a=3");
});

Deno.test("CookieJar does not take Secure cookies from plain http", () => {
  const jar = jarWith("http://example.com/", ["a=1; Secure"]);
  assert.equal(jar.all(T0).length, 0);
});

Deno.test("CookieJar sends Secure cookies over https only", () => {
  const jar = jarWith("https://example.com/", ["a=1; Secure", "b=2"]);
  assert.equal(jar.cookieHeader(u("https://example.com/"), T0), "a=1; b=2");
  assert.equal(jar.cookieHeader(u("http://example.com/"), T0), "b=2");
});

Deno.test("CookieJar keeps plain http from overwriting a Secure cookie", () => {
  const jar = jarWith("https://example.com/", ["a=secret; Secure; Path=/"]);
  jar.setCookies(u("http://example.com/"), ["a=evil; Path=/"], T0);
  jar.setCookies(u("http://example.com/"), ["a=evil; Path=/sub"], T0);
  assert.deepEqual(jar.all(T0).map((c) => c.value), ["secret"]);
  // https may replace it.
  jar.setCookies(u("https://example.com/"), ["a=next; Secure; Path=/"], T0);
  assert.deepEqual(jar.all(T0).map((c) => c.value), ["next"]);
});

Deno.test("CookieJar enforces the __Secure- and __Host- prefixes", () => {
  const jar = jarWith("https://www.example.com/", [
    "__Secure-a=1; Secure",
    "__Secure-b=1",
    "__Host-c=1; Secure; Path=/",
    "__Host-d=1; Secure; Path=/; Domain=example.com",
    "__Host-e=1; Secure",
    "__Host-f=1; Path=/",
  ]);
  assert.deepEqual(jar.all(T0).map((c) => c.name), ["__Secure-a", "__Host-c"]);
});

Deno.test("CookieJar keeps SameSite as given", () => {
  const jar = jarWith("https://example.com/", [
    "a=1; SameSite=Strict",
    "b=1; samesite=NONE; Secure",
    "c=1",
  ]);
  assert.deepEqual(jar.all(T0).map((c) => c.sameSite), ["Strict", "None", null]);
});

Deno.test("CookieJar.all() drops cookies as they expire", () => {
  const jar = jarWith("http://example.com/", ["a=1; Max-Age=1", "b=2; Max-Age=2", "c=3"]);
  assert.equal(jar.all(T0 + 1500).length, 2);
  assert.equal(jar.all(T0 + 2000).length, 1);
});

Deno.test("CookieJar.cookieHeader() with a trailing-dot host matches the plain host", () => {
  const jar = jarWith("http://example.com./", ["a=1"]);
  assert.equal(jar.cookieHeader(u("http://example.com/"), T0), "a=1");
});

Deno.test("CookieJar round-trips through JSON with session and persistent cookies", () => {
  const jar = new CookieJar();
  jar.setCookies(u("https://example.com/a/b"), ["s=1", "p=2; Max-Age=3600; Secure; HttpOnly"], T0);
  jar.setCookies(u("https://example.com/"), ["later=3; Domain=example.com; SameSite=Lax"], T0 + 5);
  const saved: Cookie[] = JSON.parse(JSON.stringify(jar));
  assert.equal(saved.length, 3);
  const copy = CookieJar.fromJSON(saved);
  assert.deepEqual(copy.toJSON(), jar.toJSON());
  assert.equal(
    copy.cookieHeader(u("https://www.example.com/a/x"), T0 + 10),
    "later=3",
  );
  assert.equal(copy.cookieHeader(u("https://example.com/a/x"), T0 + 10), "s=1; p=2; later=3");
});

Deno.test("CookieJar.fromJSON() orders by creation and skips malformed entries", () => {
  const base = {
    domain: "example.com",
    hostOnly: true,
    path: "/",
    expires: null,
    secure: false,
    httpOnly: false,
    sameSite: null,
  };
  const jar = CookieJar.fromJSON([
    { ...base, name: "late", value: "1", created: 20 },
    { ...base, name: "early", value: "2", created: 10 },
    { name: 5, value: "x" } as unknown as Cookie,
    null as unknown as Cookie,
  ]);
  assert.equal(jar.cookieHeader(u("http://example.com/")), "early=2; late=1");
  assert.equal(CookieJar.fromJSON("nonsense" as unknown as Cookie[]).toJSON().length, 0);
});

Deno.test("CookieJar.set() seeds host-only and domain cookies with defaults", () => {
  const jar = new CookieJar();
  jar.set({ name: "a", value: "1", domain: "Example.com", created: T0 });
  jar.set({ name: "b", value: "2", domain: ".example.com", created: T0 + 1 });
  jar.set({
    name: "c",
    value: "3",
    domain: "example.com",
    path: "/api",
    secure: true,
    created: T0 + 2,
  });
  const [a, b] = jar.toJSON();
  assert.deepEqual(a, {
    name: "a",
    value: "1",
    domain: "example.com",
    hostOnly: true,
    path: "/",
    expires: null,
    secure: false,
    httpOnly: false,
    sameSite: null,
    created: T0,
  });
  assert.equal(b.hostOnly, false);
  assert.equal(jar.cookieHeader(u("http://www.example.com/"), T0), "b=2");
  assert.equal(jar.cookieHeader(u("https://example.com/api"), T0), "c=3; a=1; b=2");
  // Same name, domain and path: replaced, not added.
  jar.set({ name: "a", value: "9", domain: "example.com", created: T0 + 50 });
  assert.equal(jar.cookieHeader(u("http://example.com/"), T0), "a=9; b=2");
});

Deno.test("CookieJar matches percent-encoded paths as the URL writes them", () => {
  const jar = jarWith("http://example.com/", ["a=1; Path=/caf%C3%A9"]);
  assert.equal(jar.cookieHeader(u("http://example.com/café/menu"), T0), "a=1");
  assert.equal(jar.cookieHeader(u("http://example.com/cafe"), T0), null);
});

Deno.test("CookieJar trims spaces and tabs around names and values, not inside", () => {
  const jar = jarWith("http://example.com/", ["\t a b \t=\t c d \t; Path=/"]);
  assert.equal(jar.cookieHeader(u("http://example.com/"), T0), "a b=c d");
});

Deno.test("CookieJar lets a later header in the same response replace an earlier one", () => {
  const jar = jarWith("http://example.com/", ["a=1", "a=2"]);
  assert.equal(jar.cookieHeader(u("http://example.com/"), T0), "a=2");
  const deleted = jarWith("http://example.com/", ["a=1", "a=; Max-Age=0"]);
  assert.equal(deleted.cookieHeader(u("http://example.com/"), T0), null);
});

Deno.test("CookieJar caps a huge Max-Age instead of overflowing", () => {
  const jar = jarWith("http://example.com/", ["a=1; Max-Age=99999999999999999999"]);
  const [c] = jar.all(T0);
  assert.equal(c.expires, 8.64e15);
  assert.equal(new Date(c.expires!).getTime(), 8.64e15);
});
