import assert from "node:assert/strict";
import { App } from "../app.ts";
import { etag } from "./etag.ts";

Deno.test("etag() tags GET answers and answers 304 on a match, keeping cache headers", async () => {
  const app = new App().use(etag());
  let body = "v1";
  app.get("/", (c) => c.text(body, 200, { "cache-control": "max-age=60", "x-other": "1" }));
  const first = await app.request("/");
  const tag = first.headers.get("etag")!;
  assert.match(tag, /^"[A-Za-z0-9+/]+"$/);
  assert.equal(await first.text(), "v1");
  const again = await app.request("/", { headers: { "if-none-match": `"zzz", ${tag}` } });
  assert.equal(again.status, 304);
  assert.equal(again.body, null);
  assert.equal(again.headers.get("etag"), tag);
  assert.equal(again.headers.get("cache-control"), "max-age=60");
  assert.equal(again.headers.get("x-other"), null);
  body = "v2";
  const changed = await app.request("/", { headers: { "if-none-match": tag } });
  assert.equal(changed.status, 200);
  assert.equal(await changed.text(), "v2");
});

Deno.test("etag() uses the handler's own ETag and skips POST and errors", async () => {
  const app = new App().use(etag({ weak: true }));
  app.get("/own", (c) => c.text("x", 200, { etag: '"mine"' }));
  app.post("/own", () => "posted");
  app.get("/weak", () => "w");
  assert.equal(
    (await app.request("/own", { headers: { "if-none-match": 'W/"mine"' } })).status,
    304,
  );
  const posted = await app.request("/own", { method: "POST" });
  assert.equal(posted.headers.get("etag"), null);
  await posted.body?.cancel();
  const weak = await app.request("/weak");
  assert.match(weak.headers.get("etag")!, /^W\/"/);
  await weak.body?.cancel();
});
