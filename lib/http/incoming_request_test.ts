import assert from "node:assert/strict";
import { IncomingRequest } from "./incoming_request.ts";
import { HttpHeaders } from "./headers.ts";
import { serveIncoming } from "./server.ts";
import type { ConnInfo } from "./server.ts";

const INFO = {
  remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 1 },
  localAddr: { transport: "tcp", hostname: "127.0.0.1", port: 2 },
  secure: false,
  signal: new AbortController().signal,
} as ConnInfo;

Deno.test("IncomingRequest builds its Request once, on first use", () => {
  let builds = 0;
  const incoming = new IncomingRequest(
    "GET",
    "http://h/a/b?x=1",
    new HttpHeaders([["Host", "h"]]),
    INFO,
    () => {
      builds++;
      return new Request("http://h/a/b?x=1");
    },
  );
  assert.equal(incoming.path, "/a/b");
  assert.equal(incoming.headers.get("host"), "h");
  assert.equal(incoming.built, false);
  assert.equal(builds, 0);
  const first = incoming.request;
  assert.equal(incoming.request, first);
  assert.equal(builds, 1);
  assert.equal(incoming.built, true);
});

/** Sends one raw request to a serveIncoming server; returns what the handler saw and the reply. */
async function exchange(request: string): Promise<{ seen: IncomingRequest; text: string }> {
  let seen: IncomingRequest | undefined;
  const server = serveIncoming((incoming) => {
    seen = incoming;
    return new Response(`${incoming.method} ${incoming.path}`);
  }, { port: 0, date: false });
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await conn.write(new TextEncoder().encode(request));
    const text = new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
    return { seen: seen!, text };
  } finally {
    await server.shutdown();
  }
}

Deno.test("serveIncoming() hands over method, URL and path as the Request would hold them", async (t) => {
  const cases = [
    ["GET /a/b?q=1 HTTP/1.1\r\nHost: Example.COM:80", "GET", "http://example.com/a/b?q=1"],
    ["get /a/../b HTTP/1.1\r\nHost: h", "GET", "http://h/b"],
    ["PATCH /x/%2e%2E/y HTTP/1.1\r\nHost: h:8080", "PATCH", "http://h:8080/y"],
    ["OPTIONS * HTTP/1.1\r\nHost: h", "OPTIONS", "http://h/*"],
    ["GET http://other/p?z HTTP/1.1\r\nHost: h", "GET", "http://other/p?z"],
  ];
  for (const [head, method, url] of cases) {
    await t.step(head.split("\r\n")[0], async () => {
      const { seen, text } = await exchange(`${head}\r\nConnection: close\r\n\r\n`);
      assert.equal(seen.built, false);
      assert.equal(seen.method, method);
      assert.equal(seen.url, url);
      assert.equal(seen.path, new URL(url).pathname);
      assert.match(text, new RegExp(`\r\n\r\n${method} ${seen.path.replace("*", "\\*")}$`));
      const request = seen.request;
      assert.equal(request.method, method);
      assert.equal(request.url, url);
    });
  }
});

Deno.test("serveIncoming() still refuses TRACE and a bad Host before the handler", async () => {
  for (const head of ["TRACE / HTTP/1.1\r\nHost: h", "GET / HTTP/1.1\r\nHost: h:99999"]) {
    const { seen, text } = await exchange(`${head}\r\n\r\n`);
    assert.equal(seen, undefined);
    assert.match(text, /^HTTP\/1\.1 400 Bad Request\r\n/);
  }
});

Deno.test("serveIncoming() gives the body through the built Request", async () => {
  const server = serveIncoming(async (incoming) => {
    return new Response(`got ${await incoming.request.text()}`);
  }, { port: 0 });
  const res = await fetch(`http://127.0.0.1:${server.addr.port}/`, { method: "POST", body: "abc" });
  assert.equal(await res.text(), "got abc");
  await server.shutdown();
});
