import assert from "node:assert/strict";
import { openTunnel, proxyAuthorization } from "./proxy_tunnel.ts";
import { BufferedConn, type Transport } from "./buffered_conn.ts";
import { HttpError } from "./errors.ts";

const enc = new TextEncoder();

function fakeProxy(answer: string) {
  let written = "";
  const chunks = [enc.encode(answer)];
  const t: Transport = {
    read(p) {
      const c = chunks.shift();
      if (!c) return Promise.resolve(null);
      p.set(c);
      return Promise.resolve(c.length);
    },
    write(p) {
      written += new TextDecoder().decode(p);
      return Promise.resolve(p.length);
    },
    close() {},
  };
  return { conn: new BufferedConn(t), written: () => written };
}

Deno.test("openTunnel() sends CONNECT with the authority and accepts a 2xx", async () => {
  const proxy = fakeProxy("HTTP/1.1 200 Connection Established\r\n\r\n");
  const head = await openTunnel(proxy.conn, "::1", 443, "Basic eA==");
  assert.equal(head.status, 200);
  assert.equal(
    proxy.written(),
    "CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\nProxy-Authorization: Basic eA==\r\n\r\n",
  );
});

Deno.test("openTunnel() reports a refusal and an early close as connect errors", async () => {
  await assert.rejects(
    openTunnel(
      fakeProxy("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n").conn,
      "a",
      443,
      null,
    ),
    (e: unknown) =>
      e instanceof HttpError && e.kind === "connect" &&
      /407 Proxy Authentication Required/.test(e.message),
  );
  await assert.rejects(
    openTunnel(fakeProxy("").conn, "a", 443, null),
    (e: unknown) => e instanceof HttpError && e.kind === "connect",
  );
});

Deno.test("proxyAuthorization() decodes percent-escapes in the user info", () => {
  assert.equal(
    proxyAuthorization(new URL("http://us%40r:p%3Ass@p:1")),
    `Basic ${btoa("us@r:p:ss")}`,
  );
});
