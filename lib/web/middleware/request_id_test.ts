import assert from "node:assert/strict";
import { App } from "../app.ts";
import { requestId } from "./request_id.ts";

Deno.test("requestId() keeps a sane client id and replaces a hostile one", async () => {
  let n = 0;
  const app = new App().use(requestId({ generate: () => `gen-${++n}` }));
  app.get("/", (c) => c.var.requestId);
  const kept = await app.request("/", { headers: { "x-request-id": "abc-123" } });
  assert.equal(await kept.text(), "abc-123");
  assert.equal(kept.headers.get("x-request-id"), "abc-123");
  const replaced = await app.request("/", { headers: { "x-request-id": "a b<script>" } });
  assert.equal(await replaced.text(), "gen-1");
  const made = await app.request("/");
  assert.equal(made.headers.get("x-request-id"), "gen-2");
  await made.body?.cancel();
});
