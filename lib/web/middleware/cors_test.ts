import assert from "node:assert/strict";
import { App } from "../app.ts";
import { cors } from "./cors.ts";

Deno.test("cors() with defaults allows any origin on simple requests", async () => {
  const app = new App().use(cors());
  app.get("/", () => "x");
  const response = await app.request("/", { headers: { origin: "https://a.example" } });
  assert.equal(response.headers.get("access-control-allow-origin"), "*");
  assert.equal(response.headers.get("vary"), null);
  await response.body?.cancel();
});

Deno.test("cors() answers preflights for routes without an OPTIONS handler", async () => {
  const app = new App().use(cors({ origin: ["https://a.example"], credentials: true, maxAge: 60 }));
  app.put("/items/:id", () => "x");
  const preflight = await app.request("/items/1", {
    method: "OPTIONS",
    headers: {
      origin: "https://a.example",
      "access-control-request-method": "PUT",
      "access-control-request-headers": "content-type, x-token",
    },
  });
  assert.equal(preflight.status, 204);
  const h = preflight.headers;
  assert.equal(h.get("access-control-allow-origin"), "https://a.example");
  assert.equal(h.get("access-control-allow-credentials"), "true");
  assert.equal(h.get("access-control-allow-headers"), "content-type, x-token");
  assert.equal(h.get("access-control-max-age"), "60");
  assert.match(h.get("vary")!, /Origin/);
});

Deno.test("cors() refuses an origin not on the list", async () => {
  const app = new App().use(cors({ origin: ["https://a.example"], exposeHeaders: ["x-total"] }));
  app.get("/", () => "x");
  const other = await app.request("/", { headers: { origin: "https://evil.example" } });
  assert.equal(other.headers.get("access-control-allow-origin"), null);
  assert.equal(other.headers.get("access-control-expose-headers"), null);
  const good = await app.request("/", { headers: { origin: "https://a.example" } });
  assert.equal(good.headers.get("access-control-expose-headers"), "x-total");
  await other.body?.cancel();
  await good.body?.cancel();
});
