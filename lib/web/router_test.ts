import assert from "node:assert/strict";
import { type MethodMismatch, type RouteMatch, RoutePatternError, Router } from "./router.ts";

function hit<T>(found: RouteMatch<T> | MethodMismatch | undefined): RouteMatch<T> {
  assert.ok(found && "value" in found, "expected a match");
  return found;
}

Deno.test("Router matches static paths, params and the root", () => {
  const r = new Router<string>();
  r.add("GET", "/", "root");
  r.add("GET", "/users", "list");
  r.add("GET", "/users/:id", "one");
  r.add("GET", "/users/:id/posts/:post", "post");
  assert.equal(hit(r.match("GET", "/")).value, "root");
  assert.equal(hit(r.match("GET", "/users")).value, "list");
  assert.deepEqual(hit(r.match("GET", "/users/7")).params, { id: "7" });
  assert.deepEqual(hit(r.match("GET", "/users/7/posts/9")).params, { id: "7", post: "9" });
  assert.equal(r.match("GET", "/users/7/posts"), undefined);
  assert.equal(r.match("GET", "/users/"), undefined, "an empty segment is no param");
  assert.equal(r.match("GET", "/users/7/"), undefined, "trailing slashes are strict");
});

Deno.test("Router prefers literal over param over wildcard, whatever the order", () => {
  const r = new Router<string>();
  r.add("GET", "/files/*", "wild");
  r.add("GET", "/files/:name", "param");
  r.add("GET", "/files/readme", "literal");
  assert.equal(hit(r.match("GET", "/files/readme")).value, "literal");
  assert.equal(hit(r.match("GET", "/files/other")).value, "param");
  assert.deepEqual(hit(r.match("GET", "/files/a/b/c")).params, { "*": "a/b/c" });
});

Deno.test("Router backtracks when a literal branch leads nowhere", () => {
  const r = new Router<string>();
  r.add("GET", "/a/b/c", "literal");
  r.add("GET", "/a/:x/d", "param");
  assert.deepEqual(hit(r.match("GET", "/a/b/d")).params, { x: "b" });
  assert.equal(hit(r.match("GET", "/a/b/c")).value, "literal");
});

Deno.test("Router backtracks by method: a literal route for POST does not hide a GET param route", () => {
  const r = new Router<string>();
  r.add("POST", "/items/new", "create");
  r.add("GET", "/items/:id", "show");
  assert.deepEqual(hit(r.match("GET", "/items/new")).params, { id: "new" });
  assert.equal(hit(r.match("POST", "/items/new")).value, "create");
});

Deno.test("Router handles optional last segments and wildcards taking nothing", () => {
  const r = new Router<string>();
  r.add("GET", "/docs/:page?", "docs");
  r.add("GET", "/static/*", "static");
  assert.deepEqual(hit(r.match("GET", "/docs")).params, {});
  assert.deepEqual(hit(r.match("GET", "/docs/intro")).params, { page: "intro" });
  assert.deepEqual(hit(r.match("GET", "/static")).params, { "*": "" });
  assert.deepEqual(hit(r.match("GET", "/static/")).params, { "*": "" });
  assert.deepEqual(hit(r.match("GET", "/static/css/a.css")).params, { "*": "css/a.css" });
});

Deno.test("Router percent-decodes params and keeps undecodable ones as sent", () => {
  const r = new Router<string>();
  r.add("GET", "/t/:name", "t");
  assert.deepEqual(hit(r.match("GET", "/t/a%20b%2Fc")).params, { name: "a b/c" });
  assert.deepEqual(hit(r.match("GET", "/t/%E0%A4%A")).params, { name: "%E0%A4%A" });
});

Deno.test("Router reports the allowed methods, HEAD from GET, and ALL", () => {
  const r = new Router<string>();
  r.add("GET", "/x/:id", "get");
  r.add("PUT", "/x/:id", "put");
  r.add("ALL", "/any", "any");
  assert.deepEqual(r.match("DELETE", "/x/1"), { allowed: ["GET", "PUT", "HEAD"] });
  assert.equal(hit(r.match("HEAD", "/x/1")).value, "get");
  assert.equal(hit(r.match("PATCH", "/any")).value, "any");
  assert.equal(hit(r.match("GET", "/x/1")).pattern, "/x/:id");
});

Deno.test("Router refuses bad patterns and duplicates", () => {
  const r = new Router<string>();
  assert.throws(() => r.add("GET", "nope", "x"), RoutePatternError);
  assert.throws(() => r.add("GET", "/a/*/b", "x"), RoutePatternError);
  assert.throws(() => r.add("GET", "/a/:b?/c", "x"), RoutePatternError);
  r.add("GET", "/dup", "x");
  assert.throws(() => r.add("GET", "/dup", "y"), RoutePatternError);
});

Deno.test("Router finds one route among many dynamic ones", () => {
  const r = new Router<number>();
  for (let i = 0; i < 100; i++) r.add("GET", `/r${i}/:id/items/:item`, i);
  const found = hit(r.match("GET", "/r57/abc/items/9"));
  assert.equal(found.value, 57);
  assert.deepEqual(found.params, { id: "abc", item: "9" });
});
