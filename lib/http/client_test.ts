import assert from "node:assert/strict";
import { HttpClient, USER_AGENT } from "./client.ts";
import { HttpError } from "./errors.ts";

const dec = new TextDecoder();

Deno.test("build() writes httpie's default headers, Host first, user headers overriding by name", async () => {
  const client = new HttpClient({ proxy: null });
  const { sent, head } = await client.request("GET", "http://example.com:8080/p?q=1#frag")
    .header("user-agent", "mine/1").header("X-A", "1").build();
  assert.deepEqual(sent.headers, [
    ["Host", "example.com:8080"],
    ["user-agent", "mine/1"],
    ["Accept-Encoding", "gzip, deflate, br"],
    ["Accept", "*/*"],
    ["Connection", "keep-alive"],
    ["X-A", "1"],
  ]);
  assert.equal(sent.target, "/p?q=1");
  assert.ok(dec.decode(head).startsWith("GET /p?q=1 HTTP/1.1\r\nHost: example.com:8080\r\n"));
  client.close();
});

Deno.test("build() leaves out omitted defaults and Accept-Encoding without decompression", async () => {
  const client = new HttpClient({ proxy: null });
  const { sent } = await client.request("GET", "http://a/").omitHeader("user-agent").decompress(
    false,
  ).build();
  assert.deepEqual(sent.headers.map(([n]) => n), ["Host", "Accept", "Connection"]);
  client.close();
});

Deno.test("build() frames bodies: bytes by length, streams chunked, POST without body gets 0", async () => {
  const client = new HttpClient({ proxy: null });
  const bytes = await client.request("PUT", "http://a/").body("héllo").build();
  assert.deepEqual(bytes.sent.headers.at(-1), ["Content-Length", "6"]);
  assert.equal(bytes.sent.bodyLength, 6);
  const stream = await client.request("POST", "http://a/").body(
    ReadableStream.from([new Uint8Array(1)]),
  ).build();
  assert.deepEqual(stream.sent.headers.at(-1), ["Transfer-Encoding", "chunked"]);
  assert.equal(stream.body, null);
  const empty = await client.request("POST", "http://a/").build();
  assert.deepEqual(empty.sent.headers.at(-1), ["Content-Length", "0"]);
  const get = await client.request("GET", "http://a/").build();
  assert.ok(!get.sent.headers.some(([n]) => n === "Content-Length"));
  client.close();
});

Deno.test("build() sets JSON and form content types, Expect, and auth headers", async () => {
  const client = new HttpClient({ proxy: null });
  const json = await client.request("POST", "http://a/").json([1]).expectContinue().basicAuth(
    "u",
    "p",
  ).build();
  const h = new Map(json.sent.headers);
  assert.equal(h.get("Accept"), "application/json, */*;q=0.5");
  assert.equal(h.get("Content-Type"), "application/json");
  assert.equal(h.get("Expect"), "100-continue");
  assert.equal(h.get("Authorization"), "Basic dTpw");
  const form = await client.request("POST", "http://a/").form([["a", "b c"]]).bearerAuth("t")
    .build();
  assert.equal(dec.decode(form.body!), "a=b+c");
  assert.equal(new Map(form.sent.headers).get("Authorization"), "Bearer t");
  client.close();
});

Deno.test("builder refuses bad methods, URLs and header values with invalid-request", async () => {
  const client = new HttpClient({ proxy: null });
  for (
    const [method, url] of [["GET", "http://a/\n"], ["GET", "nope"], ["GET", "file:///etc"], [
      "BAD METHOD",
      "http://a/",
    ]]
  ) {
    await assert.rejects(
      client.request(method, url).build(),
      (e: unknown) => e instanceof HttpError && e.kind === "invalid-request",
      `${method} ${url}`,
    );
  }
  assert.throws(() => client.request("GET", "http://a/").header("A", "\r"), HttpError);
  assert.equal(USER_AGENT, "kit-http/0.1.0");
  client.close();
});
