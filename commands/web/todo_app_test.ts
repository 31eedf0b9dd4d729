import assert from "node:assert/strict";
import { todoApp } from "./todo_app.ts";
import { MemoryTodoStore } from "./todo_store.ts";

const AUTH = { authorization: "Bearer tok", "content-type": "application/json" };

function app() {
  return todoApp({ store: new MemoryTodoStore(() => new Date(0)), token: "tok" });
}

Deno.test("todo app: create, read, filter, change and delete", async () => {
  const a = app();
  const made = await a.request("/api/todos", {
    method: "POST",
    headers: AUTH,
    body: '{"title":" milk "}',
  });
  assert.equal(made.status, 201);
  assert.equal(made.headers.get("location"), "/api/todos/1");
  assert.equal((await made.json()).title, "milk", "titles are trimmed");
  await a.request("/api/todos", {
    method: "POST",
    headers: AUTH,
    body: '{"title":"eggs","done":true}',
  });
  assert.deepEqual(
    (await (await a.request("/api/todos?done=true")).json()).map((t: { title: string }) => t.title),
    ["eggs"],
  );
  const changed = await a.request("/api/todos/1", {
    method: "PATCH",
    headers: AUTH,
    body: '{"done":true}',
  });
  assert.equal((await changed.json()).done, true);
  assert.equal((await a.request("/api/todos/1", { method: "DELETE", headers: AUTH })).status, 204);
  const gone = await a.request("/api/todos/1");
  assert.equal(gone.status, 404);
  assert.deepEqual(await gone.json(), { error: "No todo 1" });
});

Deno.test("todo app: changes need the token; bad input names the field", async () => {
  const a = app();
  const anonymous = await a.request("/api/todos", { method: "POST", body: '{"title":"x"}' });
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
  const empty = await a.request("/api/todos", {
    method: "POST",
    headers: AUTH,
    body: '{"title":"","done":"yes"}',
  });
  assert.equal(empty.status, 400);
  assert.deepEqual((await empty.json()).issues.map((i: { path: string }) => i.path), [
    "title",
    "done",
  ]);
  const nothing = await a.request("/api/todos/1", { method: "PATCH", headers: AUTH, body: "{}" });
  assert.equal(nothing.status, 400);
  await nothing.body?.cancel();
  const huge = await a.request("/api/todos", {
    method: "POST",
    headers: { ...AUTH, "content-length": "70000" },
    body: JSON.stringify({ title: "x".repeat(69986) }),
  });
  assert.equal(huge.status, 413);
  await huge.body?.cancel();
  const badQuery = await a.request("/api/todos?done=maybe");
  assert.equal((await badQuery.json()).issues[0].path, "done");
});

Deno.test("todo app: the page, its assets and the OpenAPI document", async () => {
  const a = app();
  const page = await a.request("/");
  assert.match(await page.text(), /<script type="module" src="\/app.js">/);
  assert.equal(page.headers.get("content-security-policy"), "default-src 'self'");
  assert.equal(
    (await a.request("/app.js")).headers.get("content-type"),
    "text/javascript; charset=utf-8",
  );
  const spec = await (await a.request("/openapi.json")).json();
  assert.deepEqual(Object.keys(spec.paths), ["/api/todos", "/api/todos/{id}"]);
  assert.deepEqual(Object.keys(spec.paths["/api/todos/{id}"]), ["get", "patch", "delete"]);
  assert.deepEqual(spec.paths["/api/todos"].post.security, [{ bearer: [] }]);
  assert.equal(
    spec.paths["/api/todos"].post.requestBody.content["application/json"].schema.properties.title
      .type,
    "string",
  );
  const missing = await a.request("/nope");
  assert.deepEqual(await missing.json(), { error: "No route for GET /nope" });
});
