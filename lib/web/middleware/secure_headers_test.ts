import assert from "node:assert/strict";
import { App } from "../app.ts";
import { secureHeaders } from "./secure_headers.ts";

Deno.test("secureHeaders() sets the defaults, keeps the handler's own and takes a CSP", async () => {
  const app = new App().use(secureHeaders({ "content-security-policy": "default-src 'self'" }));
  app.get("/", (c) => c.text("x", 200, { "x-frame-options": "SAMEORIGIN" }));
  const h = (await app.request("/")).headers;
  assert.equal(h.get("x-content-type-options"), "nosniff");
  assert.equal(h.get("x-frame-options"), "SAMEORIGIN");
  assert.equal(h.get("referrer-policy"), "no-referrer");
  assert.equal(h.get("strict-transport-security"), "max-age=15552000; includeSubDomains");
  assert.equal(h.get("content-security-policy"), "default-src 'self'");
});
