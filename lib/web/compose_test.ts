import assert from "node:assert/strict";
import { compose, toResponse, withHeaders } from "./compose.ts";
import { Context } from "./context.ts";

Deno.test("compose() answers synchronously for a single synchronous handler", () => {
  const run = compose([() => "now"]);
  const out = run(new Context(new Request("http://x/")));
  assert.ok(out instanceof Response);
});

Deno.test("compose() refuses next() called twice", async () => {
  const run = compose([async (_c, next) => {
    await next();
    await next();
  }, () => "x"]);
  await assert.rejects(Promise.resolve(run(new Context(new Request("http://x/")))), /twice/);
});

Deno.test("compose() lets a middleware replace the response", async () => {
  const run = compose([async (c, next) => {
    const inner = await next();
    return c.text(`wrapped ${await inner.text()}`);
  }, () => "inner"]);
  assert.equal(await (await run(new Context(new Request("http://x/")))).text(), "wrapped inner");
});

Deno.test("toResponse() adds pending headers, copying an immutable response", async () => {
  const c = new Context(new Request("http://x/"));
  c.setHeader("x-p", "1");
  const fetched = await fetch("data:text/plain,hi");
  const out = toResponse(c, fetched);
  assert.equal(out.headers.get("x-p"), "1");
  assert.equal(await out.text(), "hi");
  const plain = withHeaders(new Response("y"), new Headers({ "set-cookie": "a=1" }));
  assert.equal(plain.headers.get("set-cookie"), "a=1");
});
