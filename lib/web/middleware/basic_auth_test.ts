import assert from "node:assert/strict";
import { App } from "../app.ts";
import { basicAuth } from "./basic_auth.ts";

const auth = (s: string) => ({ headers: { authorization: `Basic ${btoa(s)}` } });

Deno.test("basicAuth() challenges, refuses wrong passwords and accepts right ones", async () => {
  const app = new App().use(basicAuth({ users: { ada: "pw:with:colons" }, realm: "r" }));
  app.get("/", (c) => c.var.user);
  const none = await app.request("/");
  assert.equal(none.status, 401);
  assert.equal(none.headers.get("www-authenticate"), 'Basic realm="r", charset="UTF-8"');
  assert.equal((await app.request("/", auth("ada:wrong"))).status, 401);
  assert.equal((await app.request("/", auth("bob:pw:with:colons"))).status, 401);
  assert.equal((await app.request("/", { headers: { authorization: "Basic !!!" } })).status, 401);
  assert.equal(await (await app.request("/", auth("ada:pw:with:colons"))).text(), "ada");
});

Deno.test("basicAuth() takes a verifier", async () => {
  const app = new App().use(basicAuth({ verify: (u, p) => u === p }));
  app.get("/", () => "in");
  assert.equal((await app.request("/", auth("x:x"))).status, 200);
  assert.equal((await app.request("/", auth("x:y"))).status, 401);
});
