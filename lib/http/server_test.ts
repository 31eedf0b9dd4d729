import assert from "node:assert/strict";
import { serve } from "./server.ts";

Deno.test("serve() listens on a free port and reports it", async () => {
  let listened: Deno.NetAddr | null = null;
  const server = serve(() => new Response("ok"), { port: 0, onListen: (a) => listened = a });
  assert.equal(server.addr.hostname, "127.0.0.1");
  assert.ok(server.addr.port > 0);
  assert.deepEqual(listened, server.addr);
  const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
  assert.equal(await res.text(), "ok");
  await server.shutdown();
  await server.finished;
});

Deno.test("serve() takes an existing listener", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const server = serve((req) => new Response(req.method), { listener });
  const res = await fetch(`http://127.0.0.1:${server.addr.port}/`, { method: "PUT" });
  assert.equal(await res.text(), "PUT");
  await server.shutdown();
});

Deno.test("serve() closes connections beyond maxConnections", async () => {
  const server = serve(() => new Response("ok"), { port: 0, limits: { maxConnections: 1 } });
  const first = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  await first.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  const buf = new Uint8Array(1024);
  assert.ok((await first.read(buf))! > 0);
  const second = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  assert.equal(await second.read(buf), null);
  second.close();
  first.close();
  await server.shutdown();
});

Deno.test("serve() shuts down through await using", async () => {
  let port = 0;
  {
    await using server = serve(() => new Response("ok"), { port: 0 });
    port = server.addr.port;
    await (await fetch(`http://127.0.0.1:${port}/`)).body?.cancel();
  }
  await assert.rejects(Deno.connect({ hostname: "127.0.0.1", port }));
});

Deno.test("serve() sends what onError returns for a failed handler", async () => {
  const server = serve(() => {
    throw new RangeError("bad");
  }, { port: 0, onError: (e) => new Response(`handled ${(e as Error).name}`, { status: 418 }) });
  const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
  assert.equal(res.status, 418);
  assert.equal(await res.text(), "handled RangeError");
  await server.shutdown();
});
