import assert from "node:assert/strict";
import { serve, type ServeOptions } from "./server.ts";
import { markStaticBody } from "./static_body.ts";

/** Sends raw bytes with Connection: close semantics and returns everything the server wrote. */
async function exchange(
  handler: (req: Request) => Response | Promise<Response>,
  request: string,
  options: ServeOptions = {},
): Promise<string> {
  const server = serve(handler, { port: 0, date: false, ...options });
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await conn.write(new TextEncoder().encode(request));
    return new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
  } finally {
    await server.shutdown();
  }
}

Deno.test("ServerConnection writes a known-length response in exact bytes", async () => {
  const text = await exchange(
    () => new Response("hi", { status: 201, headers: { "X-Kit": "1" } }),
    "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
  );
  assert.equal(
    text,
    "HTTP/1.1 201 Created\r\ncontent-type: text/plain;charset=UTF-8\r\nx-kit: 1\r\n" +
      "content-length: 2\r\nconnection: close\r\n\r\nhi",
  );
});

Deno.test("ServerConnection chunks a streamed body to HTTP/1.1", async () => {
  const enc = new TextEncoder();
  const text = await exchange(
    () => new Response(ReadableStream.from([enc.encode("ab"), enc.encode("cde")])),
    "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
  );
  assert.equal(
    text,
    "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n" +
      "5\r\nabcde\r\n0\r\n\r\n",
  );
});

Deno.test("ServerConnection adds a Date header by default and never a Server header", async () => {
  const text = await exchange(
    () => new Response(null),
    "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    { date: true },
  );
  assert.match(text, /\r\ndate: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT\r\n/);
  assert.doesNotMatch(text, /server:/i);
  assert.match(text, /content-length: 0\r\n/);
});

Deno.test("ServerConnection skips up to a few empty lines before a request", async () => {
  const text = await exchange(
    () => new Response("ok"),
    "\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
  );
  assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
});

Deno.test("ServerConnection answers OPTIONS * and refuses authority-form", async () => {
  let url = "";
  const ok = await exchange((req) => {
    url = req.url;
    return new Response(null, { status: 204 });
  }, "OPTIONS * HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
  assert.match(ok, /^HTTP\/1\.1 204 No Content\r\n/);
  assert.equal(url, "http://h/*");
  const refused = await exchange(
    () => new Response("no"),
    "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n",
  );
  assert.match(refused, /^HTTP\/1\.1 400 Bad Request\r\n/);
});

Deno.test("ServerConnection writes a marked string body with the head in exact bytes", async () => {
  const marked = () =>
    markStaticBody(new Response("h\u00e9llo", { headers: { "x-k": "1" } }), "h\u00e9llo");
  const text = await exchange(marked, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  assert.equal(
    text,
    "HTTP/1.1 200 OK\r\ncontent-type: text/plain;charset=UTF-8\r\nx-k: 1\r\n" +
      "content-length: 6\r\nconnection: close\r\n\r\nh\u00e9llo",
  );
  const head = await exchange(marked, "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  assert.match(head, /content-length: 6\r\nconnection: close\r\n\r\n$/);
  const json = await exchange(
    () => markStaticBody(Response.json({ a: 1 }), true),
    "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
  );
  assert.match(json, /content-length: 7\r\nconnection: close\r\n\r\n\{"a":1\}$/);
});

Deno.test("ServerConnection sends a marked body that was read or resized the general way", async () => {
  const read = await exchange(async () => {
    const response = markStaticBody(new Response("abc"), "abc");
    const copy = new Response(await response.text(), response);
    return copy;
  }, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  assert.match(read, /content-length: 3\r\nconnection: close\r\n\r\nabc$/);
  // A stated length wins over the mark: a shorter one cuts the body, as for any response.
  const stated = await exchange(
    () => markStaticBody(new Response("abcdef", { headers: { "content-length": "3" } }), "abcdef"),
    "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
  );
  assert.match(stated, /content-length: 3\r\nconnection: close\r\n\r\nabc$/);
});
