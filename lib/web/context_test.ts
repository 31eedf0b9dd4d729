import assert from "node:assert/strict";
import { Context, pathOf } from "./context.ts";
import { HttpError } from "./http_error.ts";
import { IncomingRequest } from "../http/incoming_request.ts";
import { HttpHeaders } from "../http/headers.ts";
import { staticBodyOf } from "../http/static_body.ts";

Deno.test("pathOf() cuts the path without parsing the URL", () => {
  assert.equal(pathOf("http://h/"), "/");
  assert.equal(pathOf("https://h:443/a%20b/c?x=1#f"), "/a%20b/c");
  assert.equal(pathOf("http://h/a#frag"), "/a");
});

Deno.test("Context reads query, headers and cookies", () => {
  const c = new Context(
    new Request("http://x/p?a=1&a=2&b=%20z", {
      headers: { cookie: 'sid=abc%3D; theme="dark"; sid=second', "x-k": "v" },
    }),
  );
  assert.equal(c.query("a"), "1");
  assert.deepEqual(c.queryAll("a"), ["1", "2"]);
  assert.deepEqual(c.queries(), { a: "1", b: " z" });
  assert.equal(c.query("none"), undefined);
  assert.equal(c.header("X-K"), "v");
  assert.equal(c.cookie("sid"), "abc=");
  assert.equal(c.cookie("theme"), "dark");
  assert.equal(c.path, "/p");
  assert.equal(c.url.hostname, "x");
});

Deno.test("Context reads a JSON body once and answers 400 for bad JSON", async () => {
  const c = new Context(new Request("http://x/", { method: "POST", body: '{"a":1}' }));
  assert.deepEqual(await c.bodyJson(), { a: 1 });
  assert.deepEqual(await c.bodyJson(), { a: 1 }, "the second read gets the same value");
  await assert.rejects(c.bodyText(), TypeError);
  const bad = new Context(new Request("http://x/", { method: "POST", body: "{nope" }));
  await assert.rejects(bad.bodyJson(), (e: unknown) => e instanceof HttpError && e.status === 400);
});

Deno.test("Context reads urlencoded and multipart forms, repeated fields as arrays", async () => {
  const urlencoded = new Context(
    new Request("http://x/", { method: "POST", body: new URLSearchParams("a=1&a=2&b=3") }),
  );
  assert.deepEqual(await urlencoded.bodyForm(), { a: ["1", "2"], b: "3" });
  const form = new FormData();
  form.set("title", "t");
  form.set("file", new File(["hello"], "h.txt", { type: "text/plain" }));
  const multipart = new Context(new Request("http://x/", { method: "POST", body: form }));
  const fields = await multipart.bodyForm();
  assert.equal(fields.title, "t");
  assert.ok(fields.file instanceof File);
  assert.equal(await (fields.file as File).text(), "hello");
  const notForm = new Context(new Request("http://x/", { method: "POST", body: "x" }));
  await assert.rejects(
    notForm.bodyForm(),
    (e: unknown) => e instanceof HttpError && e.status === 400,
  );
});

Deno.test("Context response helpers carry status, type and pending headers", async () => {
  const c = new Context(new Request("http://x/"));
  assert.equal(c.text("hi").headers.get("content-type"), "text/plain;charset=UTF-8");
  assert.equal(c.json({ a: 1 }).headers.get("content-type"), "application/json");
  assert.equal(c.html("<p>").headers.get("content-type"), "text/html; charset=utf-8");
  const redirect = c.redirect("/there", 303);
  assert.equal(redirect.status, 303);
  assert.equal(redirect.headers.get("location"), "/there");
  c.status(201);
  c.setHeader("x-a", "1");
  c.setCookie("sid", "a b", { maxAge: 60 });
  const response = c.json({ ok: true });
  assert.equal(response.status, 201);
  assert.equal(response.headers.get("x-a"), "1");
  assert.equal(
    response.headers.get("set-cookie"),
    "sid=a%20b; Path=/; Max-Age=60; HttpOnly; SameSite=Lax",
  );
  assert.deepEqual(await response.json(), { ok: true });
});

Deno.test("Context keeps middleware variables and validated values", () => {
  const c = new Context<Record<string, string>, { Variables: { user: string } }>(
    new Request("http://x/"),
  );
  c.set("user", "ada");
  assert.equal(c.get("user"), "ada");
  assert.equal(c.var.user, "ada");
  c.setValid("json", { n: 1 });
  assert.deepEqual(c.valid("json"), { n: 1 });
});

Deno.test("Context answers from kit's incoming request without building a Request", () => {
  let builds = 0;
  const url = "http://x/p?a=1";
  const incoming = new IncomingRequest(
    "GET",
    url,
    new HttpHeaders([["Cookie", "sid=abc"], ["X-K", "v"]]),
    { remoteAddr: { hostname: "10.0.0.1", port: 5 } } as unknown as IncomingRequest["info"],
    () => {
      builds++;
      return new Request(url, { headers: { cookie: "sid=abc", "x-k": "v" } });
    },
  );
  const c = new Context(incoming, { id: "7" });
  assert.equal(c.method, "GET");
  assert.equal(c.path, "/p");
  assert.equal(c.query("a"), "1");
  assert.equal(c.header("x-k"), "v");
  assert.equal(c.cookie("sid"), "abc");
  assert.equal(c.info.remoteAddr.hostname, "10.0.0.1");
  assert.equal(builds, 0);
  assert.equal(c.req.headers.get("x-k"), "v");
  assert.equal(c.req, c.req);
  assert.equal(builds, 1);
  // A middleware may replace the request; the context reads the new one from then on.
  c.req = new Request("http://x/q", { method: "POST", headers: { "x-k": "w" } });
  assert.equal(c.method, "POST");
  assert.equal(c.header("x-k"), "w");
});

Deno.test("Context marks responses made from strings on kit's engine only", async () => {
  assert.equal(staticBodyOf(new Context(new Request("http://x/")).text("hi")), undefined);
  const url = "http://x/";
  const c = new Context(
    new IncomingRequest(
      "GET",
      url,
      new HttpHeaders(),
      {} as IncomingRequest["info"],
      () => new Request(url),
    ),
  );
  assert.equal(staticBodyOf(c.text("hi")), "hi");
  assert.equal(staticBodyOf(c.json({ a: 1 })), '{"a":1}');
  assert.equal(staticBodyOf(c.html("<p>", 201)), "<p>");
  const stream = c.body(ReadableStream.from([new Uint8Array([1])]));
  assert.equal(staticBodyOf(stream), undefined);
  const read = c.text("x");
  assert.equal(await read.text(), "x");
  assert.equal(staticBodyOf(read), undefined);
});
