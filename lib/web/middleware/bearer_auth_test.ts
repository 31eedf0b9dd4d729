import assert from "node:assert/strict";
import { App } from "../app.ts";
import { bearerAuth } from "./bearer_auth.ts";

Deno.test("bearerAuth() tells a missing token from an invalid one", async () => {
  const app = new App().use(bearerAuth({ tokens: ["good-token"] }));
  app.get("/", (c) => c.var.token);
  const none = await app.request("/");
  assert.equal(none.status, 401);
  assert.equal(none.headers.get("www-authenticate"), 'Bearer realm="kit"');
  const bad = await app.request("/", { headers: { authorization: "Bearer bad-token" } });
  assert.equal(bad.status, 401);
  assert.match(bad.headers.get("www-authenticate")!, /invalid_token/);
  const ok = await app.request("/", { headers: { authorization: "bearer good-token" } });
  assert.equal(await ok.text(), "good-token");
});
