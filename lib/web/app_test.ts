import assert from "node:assert/strict";
import { App } from "./app.ts";
import { HttpError } from "./http_error.ts";
import { RoutePatternError } from "./router.ts";
import { IncomingRequest } from "../http/incoming_request.ts";
import { HttpHeaders } from "../http/headers.ts";
import type { ConnInfo } from "../http/server.ts";

Deno.test("App turns handler values into responses", async () => {
  const app = new App();
  app.get("/text", () => "hi");
  app.get("/json", () => ({ a: 1 }));
  app.get("/null", () => null);
  app.get("/bytes", () => new Uint8Array([1, 2]));
  app.get("/async", async () => await Promise.resolve("later"));
  app.get("/status", (c) => c.json({ created: true }, 201));
  assert.equal(await (await app.request("/text")).text(), "hi");
  assert.deepEqual(await (await app.request("/json")).json(), { a: 1 });
  assert.equal((await app.request("/null")).status, 204);
  assert.deepEqual(
    new Uint8Array(await (await app.request("/bytes")).arrayBuffer()),
    new Uint8Array([1, 2]),
  );
  assert.equal(await (await app.request("/async")).text(), "later");
  assert.equal((await app.request("/status")).status, 201);
});

Deno.test("App answers 404, 405 with Allow, OPTIONS with Allow, and HEAD from GET", async () => {
  const app = new App();
  app.get("/thing", (c) => c.text("body", 200, { "x-h": "1" }));
  app.post("/thing", () => "made");
  const missing = await app.request("/nothing");
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
  const wrong = await app.request("/thing", { method: "DELETE" });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get("allow"), "GET, POST, HEAD");
  await wrong.body?.cancel();
  const options = await app.request("/thing", { method: "OPTIONS" });
  assert.equal(options.status, 204);
  assert.equal(options.headers.get("allow"), "GET, POST, HEAD");
  const head = await app.request("/thing", { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("x-h"), "1");
  assert.equal(head.body, null);
});

Deno.test("App runs middleware as an onion, app-wide and by pattern, in use() order", async () => {
  const trail: string[] = [];
  const app = new App();
  app.get("/api/x", () => {
    trail.push("handler");
    return "x";
  });
  app.use(async (_c, next) => {
    trail.push("a in");
    await next();
    trail.push("a out");
  });
  app.use("/api/*", async (_c, next) => {
    trail.push("api in");
    await next();
    trail.push("api out");
  });
  app.get("/other", () => "o");
  await app.request("/api/x");
  assert.deepEqual(trail, ["a in", "api in", "handler", "api out", "a out"]);
  trail.length = 0;
  await app.request("/other");
  assert.deepEqual(trail, ["a in", "a out"]);
  trail.length = 0;
  const missing = await app.request("/api/none");
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
  assert.deepEqual(trail, ["a in", "api in", "api out", "a out"], "404s pass the middleware too");
});

Deno.test("App route middleware can answer early or change the response", async () => {
  const app = new App();
  const deny = () => new Response("denied", { status: 403 });
  app.get("/closed", deny, () => "never");
  app.get("/tagged", async (c, next) => {
    await next();
    c.res!.headers.set("x-tag", "t");
  }, () => "open");
  assert.equal((await app.request("/closed")).status, 403);
  const tagged = await app.request("/tagged");
  assert.equal(tagged.headers.get("x-tag"), "t");
  assert.equal(await tagged.text(), "open");
});

Deno.test("App mounts apps and groups with their own middleware", async () => {
  const api = new App();
  api.use(async (c, next) => {
    await next();
    c.res!.headers.set("x-api", "1");
  });
  api.get("/", () => "api root");
  api.get("/users/:id", (c) => ({ id: c.params.id }));
  const app = new App();
  app.get("/", () => "root");
  app.route("/api", api);
  app.group("/admin", (admin) => admin.get("/stats", () => "stats"));
  assert.equal(await (await app.request("/api")).text(), "api root");
  const user = await app.request("/api/users/5");
  assert.deepEqual(await user.json(), { id: "5" });
  assert.equal(user.headers.get("x-api"), "1");
  const root = await app.request("/");
  assert.equal(root.headers.get("x-api"), null, "a mounted app's middleware stay inside it");
  assert.equal(await root.text(), "root");
  assert.equal(await (await app.request("/admin/stats")).text(), "stats");
  assert.deepEqual(app.routes().map((r) => `${r.method} ${r.path}`), [
    "GET /",
    "GET /api",
    "GET /api/users/:id",
    "GET /admin/stats",
  ]);
});

Deno.test("App mounts a plain fetch handler with the prefix cut off", async () => {
  const app = new App();
  app.mount("/ext", (req) => new Response(new URL(req.url).pathname));
  assert.equal(await (await app.request("/ext/a/b?q=1")).text(), "/a/b");
  assert.equal(await (await app.request("/ext")).text(), "/");
});

Deno.test("App turns thrown errors into responses through onError", async () => {
  const app = new App();
  app.get("/http", () => {
    throw new HttpError(418, "teapot");
  });
  app.get("/boom", () => {
    throw new Error("secret detail");
  });
  app.get("/async-boom", async () => {
    await Promise.resolve();
    throw new Error("later");
  });
  const teapot = await app.request("/http");
  assert.equal(teapot.status, 418);
  assert.deepEqual(await teapot.json(), { error: "teapot" });
  const boom = await app.request("/boom");
  assert.equal(boom.status, 500);
  assert.equal(await boom.text(), "Internal Server Error", "no detail leaks by default");
  const seen: string[] = [];
  app.onError((error, c) => {
    seen.push((error as Error).message);
    return c.json({ oops: true }, 500);
  });
  assert.deepEqual(await (await app.request("/async-boom")).json(), { oops: true });
  assert.deepEqual(seen, ["later"]);
});

Deno.test("App uses a custom not-found handler and a base path", async () => {
  const app = new App({ basePath: "/v2" });
  app.get("/ping", () => "pong");
  app.notFound((c) => c.text(`nothing at ${c.path}`, 404));
  assert.equal(await (await app.request("/v2/ping")).text(), "pong");
  const missing = await app.request("/ping");
  assert.equal(missing.status, 404);
  assert.equal(await missing.text(), "nothing at /ping");
});

Deno.test("App sees routes added after the first request", async () => {
  const app = new App();
  app.get("/a", () => "a");
  assert.equal((await app.request("/a")).status, 200);
  app.get("/b", () => "b");
  assert.equal(await (await app.request("/b")).text(), "b");
});

Deno.test("App refuses a handler that returns nothing", async () => {
  const app = new App();
  app.get("/", () => undefined);
  assert.equal((await app.request("/")).status, 500);
});

Deno.test("App.listen() serves on Deno.serve and shuts down on the signal", async () => {
  const app = new App();
  app.get("/who/:name", (c) => `hi ${c.params.name} from ${c.info.remoteAddr.hostname}`);
  const controller = new AbortController();
  const server = await app.listen({ port: 0, signal: controller.signal });
  const response = await fetch(`http://127.0.0.1:${server.addr.port}/who/ada`);
  assert.equal(await response.text(), "hi ada from 127.0.0.1");
  controller.abort();
  await server.finished;
});

Deno.test("App refuses a malformed pattern where it is registered", () => {
  const app = new App();
  assert.throws(() => app.get("no-slash", () => ""), RoutePatternError);
  assert.throws(() => app.get("/a/*/b", () => ""), RoutePatternError);
});

Deno.test("App.fetchIncoming() routes without a Request until a handler reads c.req", async () => {
  const app = new App();
  app.get("/users/:id", (c) => ({ id: c.params.id, q: c.query("q"), ua: c.header("user-agent") }));
  app.post("/echo", async (c) => await c.bodyText());
  app.use("/logged/*", async (c, next) => {
    c.set("url", c.req.url);
    await next();
  });
  app.get("/logged/x", (c) => c.get("url") as string);
  let builds = 0;
  const incoming = (method: string, target: string, body?: string) => {
    const url = `http://h${target}`;
    return new IncomingRequest(
      method,
      url,
      new HttpHeaders([["User-Agent", "t"]]),
      { remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 1 } } as ConnInfo,
      () => {
        builds++;
        return new Request(url, { method, body, headers: { "user-agent": "t" } });
      },
    );
  };
  const user = await app.fetchIncoming(incoming("GET", "/users/7?q=z"));
  assert.deepEqual(await user.json(), { id: "7", q: "z", ua: "t" });
  assert.equal(builds, 0);
  assert.equal((await app.fetchIncoming(incoming("DELETE", "/users/7"))).status, 405);
  assert.equal((await app.fetchIncoming(incoming("GET", "/none"))).status, 404);
  assert.equal(builds, 0);
  assert.equal(await (await app.fetchIncoming(incoming("POST", "/echo", "abc"))).text(), "abc");
  assert.equal(
    await (await app.fetchIncoming(incoming("GET", "/logged/x"))).text(),
    "http://h/logged/x",
  );
  assert.equal(builds, 2);
});

Deno.test("App.listen() on kit's engine answers from the parsed request", async () => {
  const app = new App();
  app.get("/who/:name", (c) => `hi ${c.params.name} from ${c.info.remoteAddr.hostname}`);
  app.get("/json", (c) => c.json({ ok: true }));
  const controller = new AbortController();
  const server = await app.listen({ port: 0, engine: "kit", signal: controller.signal });
  const base = `http://127.0.0.1:${server.addr.port}`;
  assert.equal(await (await fetch(`${base}/who/ada`)).text(), "hi ada from 127.0.0.1");
  const json = await fetch(`${base}/json`);
  assert.equal(json.headers.get("content-type"), "application/json");
  assert.equal(json.headers.get("content-length"), "11");
  assert.deepEqual(await json.json(), { ok: true });
  const head = await fetch(`${base}/json`, { method: "HEAD" });
  assert.equal(head.headers.get("content-length"), "11");
  assert.equal(await head.text(), "");
  controller.abort();
  await server.finished;
});
