import assert from "node:assert/strict";
import { openConnection, originOf, poolKey, tlsError } from "./connection.ts";
import { Stopwatch } from "./timing.ts";
import { HttpError } from "./errors.ts";

Deno.test("originOf() fills default ports and strips IPv6 brackets", () => {
  assert.deepEqual(originOf(new URL("http://a.example/x")), {
    scheme: "http",
    hostname: "a.example",
    port: 80,
  });
  assert.deepEqual(originOf(new URL("https://[::1]:8443/")), {
    scheme: "https",
    hostname: "::1",
    port: 8443,
  });
});

Deno.test("poolKey() separates direct and proxied connections", () => {
  const origin = { scheme: "https" as const, hostname: "a", port: 443 };
  assert.notEqual(poolKey(origin, null), poolKey(origin, new URL("http://proxy:3128")));
});

Deno.test("tlsError() tells certificate problems from other TLS failures", () => {
  assert.equal(
    tlsError(new Error("invalid peer certificate: UnknownIssuer"), "h").kind,
    "certificate",
  );
  assert.equal(tlsError(new Error("received fatal alert: HandshakeFailure"), "h").kind, "tls");
  const original = new HttpError("timeout", "x", { phase: "tls" });
  assert.equal(tlsError(original, "h"), original);
});

Deno.test("openConnection() connects, times the phases and reads through the buffered conn", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = (async () => {
    const conn = await listener.accept();
    await conn.write(new TextEncoder().encode("hi"));
    conn.close();
  })();
  const { connection, timing } = await openConnection(
    { scheme: "http", hostname: "127.0.0.1", port: listener.addr.port },
    { clock: new Stopwatch() },
  );
  assert.equal(timing.dns, 0);
  assert.ok(timing.connect > 0);
  assert.equal(timing.tls, 0);
  assert.equal(connection.absoluteForm, false);
  assert.equal(new TextDecoder().decode((await connection.io.read())!), "hi");
  connection.close();
  await accepted;
  listener.close();
});

Deno.test("openConnection() resolves localhost through the system resolver", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept().then((c) => c.close());
  const { connection, timing } = await openConnection(
    { scheme: "http", hostname: "localhost", port: listener.addr.port },
    { clock: new Stopwatch() },
  );
  assert.ok(timing.dns > 0 && timing.connect >= timing.dns);
  connection.close();
  await accepted;
  listener.close();
});

Deno.test("openConnection() marks proxied http connections for the absolute form", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept().then((c) => c.close());
  const { connection } = await openConnection(
    { scheme: "http", hostname: "example.invalid", port: 80 },
    { clock: new Stopwatch(), proxy: new URL(`http://u:p@127.0.0.1:${listener.addr.port}`) },
  );
  assert.ok(connection.absoluteForm);
  assert.equal(connection.proxyAuthorization, "Basic dTpw");
  connection.close();
  await accepted;
  listener.close();
});
