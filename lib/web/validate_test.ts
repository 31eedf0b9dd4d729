import assert from "node:assert/strict";
import { z } from "../deps/zod.ts";
import { App } from "./app.ts";
import { type StandardSchemaV1, validate } from "./validate.ts";

const Todo = z.object({ title: z.string().min(1), tags: z.array(z.string()).optional() });

function post(body: string, type = "application/json"): RequestInit {
  return { method: "POST", body, headers: { "content-type": type } };
}

Deno.test("validate() passes zod's output to the handler", async () => {
  const app = new App();
  app.post("/todos", validate("json", Todo), (c) => ({ got: c.valid("json").title }));
  const response = await app.request("/todos", post('{"title":"milk"}'));
  assert.deepEqual(await response.json(), { got: "milk" });
});

Deno.test("validate() answers 400 naming the failing field and path", async () => {
  const app = new App();
  app.post("/todos", validate("json", Todo), () => "never");
  const response = await app.request("/todos", post('{"title":"","tags":["a",3]}'));
  assert.equal(response.status, 400);
  const body = await response.json();
  assert.equal(body.target, "json");
  assert.deepEqual(body.issues.map((i: { path: string }) => i.path), ["title", "tags.1"]);
  assert.match(body.error, /^Invalid json: title: /);
});

Deno.test("validate() answers 400 for a body that is not JSON", async () => {
  const app = new App();
  app.post("/todos", validate("json", Todo), () => "never");
  const response = await app.request("/todos", post("{oops"));
  assert.equal(response.status, 400);
  assert.match((await response.json()).error, /not JSON/);
});

Deno.test("validate() checks query, params, headers, cookies and forms, with coercion", async () => {
  const app = new App();
  app.get(
    "/items/:id",
    validate("params", z.object({ id: z.coerce.number().int() })),
    validate("query", z.object({ limit: z.coerce.number().max(50).default(10) })),
    validate("header", z.object({ "x-client": z.string() })),
    validate("cookie", z.object({ sid: z.string().length(3) })),
    (c) => ({
      id: c.valid("params").id,
      limit: c.valid("query").limit,
      client: c.valid("header")["x-client"],
      sid: c.valid("cookie").sid,
    }),
  );
  app.post("/form", validate("form", z.object({ name: z.string() })), (c) => c.valid("form").name);
  const headers = { "x-client": "cli", cookie: "sid=abc" };
  const ok = await app.request("/items/12?limit=5", { headers });
  assert.deepEqual(await ok.json(), { id: 12, limit: 5, client: "cli", sid: "abc" });
  const badQuery = await app.request("/items/12?limit=99", { headers });
  assert.equal(badQuery.status, 400);
  assert.equal((await badQuery.json()).issues[0].path, "limit");
  const badParam = await app.request("/items/x", { headers });
  assert.equal((await badParam.json()).target, "params");
  const noHeader = await app.request("/items/1", { headers: { cookie: "sid=abc" } });
  assert.equal((await noHeader.json()).issues[0].path, "x-client");
  const form = await app.request("/form", {
    method: "POST",
    body: new URLSearchParams("name=ada"),
  });
  assert.equal(await form.text(), "ada");
});

Deno.test("validate() awaits asynchronous Standard Schemas", async () => {
  const even: StandardSchemaV1<unknown, { n: number }> = {
    "~standard": {
      version: 1,
      vendor: "test",
      validate: (v) =>
        Promise.resolve(
          (v as { n: number }).n % 2 === 0
            ? { value: v as { n: number } }
            : { issues: [{ message: "odd", path: [{ key: "n" }] }] },
        ),
    },
  };
  const app = new App();
  app.post("/", validate("json", even), (c) => ({ n: c.valid("json").n }));
  assert.deepEqual(await (await app.request("/", post('{"n":2}'))).json(), { n: 2 });
  const odd = await app.request("/", post('{"n":3}'));
  assert.deepEqual((await odd.json()).issues, [{ path: "n", message: "odd" }]);
});
