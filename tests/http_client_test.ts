/**
 * The HTTP client against real servers on 127.0.0.1: Deno.serve (JSON echo, redirects, content
 * codings, cookies, digest auth), a TLS server with an openssl certificate, raw TCP servers
 * that send hand-written edge cases, and a small forward proxy.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { join } from "node:path";
import { HttpClient } from "../lib/http/client.ts";
import { HttpError } from "../lib/http/errors.ts";
import { CookieJar } from "../lib/http/cookies.ts";
import { HeadParser } from "../lib/http/head_parser.ts";
import { ChunkedDecoder } from "../lib/http/chunked.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

// ---------------------------------------------------------------------------------------------
// Servers

interface Echo {
  method: string;
  path: string;
  headers: [string, string][];
  body: string;
}

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

/** The Deno.serve app every high-level test uses. */
function app(req: Request): Response | Promise<Response> {
  const url = new URL(req.url);
  const p = url.pathname;
  if (p === "/echo" || p === "/cookies") {
    return req.text().then((body) =>
      Response.json(
        {
          method: req.method,
          path: url.pathname + url.search,
          headers: [...req.headers],
          body,
        } satisfies Echo,
      )
    );
  }
  const hop = /^\/hops\/(\d+)$/.exec(p);
  if (hop) {
    const n = Number(hop[1]);
    if (n === 0) return new Response("arrived");
    return new Response("moving", { status: 302, headers: { Location: `/hops/${n - 1}` } });
  }
  if (p === "/loop") return new Response(null, { status: 302, headers: { Location: "/loop" } });
  if (p === "/see-other") {
    return new Response(null, { status: 303, headers: { Location: "/echo" } });
  }
  if (p === "/temporary") {
    return new Response(null, { status: 307, headers: { Location: "/echo" } });
  }
  if (p === "/gzip") {
    return new Response(new Uint8Array(gzipSync("gzipped text ".repeat(100))), {
      headers: { "Content-Encoding": "gzip" },
    });
  }
  if (p === "/br") {
    return new Response(new Uint8Array(brotliCompressSync("brotli text ".repeat(100))), {
      headers: { "Content-Encoding": "br" },
    });
  }
  if (p === "/login") {
    const headers = new Headers({ Location: "/cookies" });
    headers.append("Set-Cookie", "session=s1; Path=/");
    headers.append("Set-Cookie", "theme=dark; Path=/");
    return new Response(null, { status: 302, headers });
  }
  if (p === "/digest") {
    const auth = req.headers.get("authorization");
    const challenge = 'Digest realm="kit", nonce="n0nce", qop="auth", algorithm=MD5, opaque="op"';
    if (!auth) {
      return new Response("no", { status: 401, headers: { "WWW-Authenticate": challenge } });
    }
    const params = Object.fromEntries(
      [...auth.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)].map((m) => [m[1], m[2] ?? m[3]]),
    );
    const ha1 = md5(`alice:kit:secret`);
    const ha2 = md5(`${req.method}:${params.uri}`);
    const expected = md5(
      `${ha1}:${params.nonce}:${params.nc}:${params.cnonce}:${params.qop}:${ha2}`,
    );
    if (params.response !== expected || params.username !== "alice") {
      return new Response("bad", { status: 401, headers: { "WWW-Authenticate": challenge } });
    }
    return new Response(`welcome ${params.uri}`);
  }
  if (p === "/big") {
    const size = Number(url.searchParams.get("size") ?? 1 << 20);
    const block = new Uint8Array(65536).map((_, i) => i % 251);
    let sent = 0;
    return new Response(
      new ReadableStream({
        pull(c) {
          if (sent >= size) return c.close();
          const n = Math.min(block.length, size - sent);
          c.enqueue(block.slice(0, n));
          sent += n;
        },
      }),
      { headers: { "Content-Length": String(size) } },
    );
  }
  return new Response("not found", { status: 404 });
}

async function withServe(fn: (base: string) => Promise<void>, tls?: { cert: string; key: string }) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {}, ...tls }, app);
  try {
    await fn(`${tls ? "https" : "http"}://${tls ? "localhost" : "127.0.0.1"}:${server.addr.port}`);
  } finally {
    await server.shutdown();
  }
}

/** A raw TCP server running `script` per connection; counts the connections. */
function rawServer(
  script: (conn: Deno.Conn, index: number) => Promise<void>,
  listener: Deno.Listener<Deno.Conn, Deno.NetAddr> = Deno.listen({
    hostname: "127.0.0.1",
    port: 0,
  }),
) {
  const conns = new Set<Deno.Conn>();
  const tasks: Promise<void>[] = [];
  let accepted = 0;
  const loop = (async () => {
    for await (const conn of listener) {
      const i = accepted++;
      conns.add(conn);
      tasks.push(
        script(conn, i).catch(() => {}).finally(() => {
          conns.delete(conn);
          try {
            conn.close();
          } catch { /* closed by the script */ }
        }),
      );
    }
  })().catch(() => {});
  return {
    port: listener.addr.port,
    url: `http://127.0.0.1:${listener.addr.port}`,
    get accepted() {
      return accepted;
    },
    async close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* already closed */ }
      }
      await loop;
      await Promise.all(tasks);
    },
  };
}

/** Reads one request head (and any bytes after it) from a raw connection; null at EOF. */
async function readRequest(conn: Deno.Conn, carry: Uint8Array[] = []) {
  const parser = HeadParser.request();
  for (const c of carry.splice(0)) {
    const out = parser.push(c);
    if (out) return out;
  }
  const buf = new Uint8Array(65536);
  while (true) {
    const n = await conn.read(buf);
    if (n === null) return null;
    const out = parser.push(buf.slice(0, n));
    if (out) return out;
  }
}

async function write(conn: Deno.Conn, text: string | Uint8Array) {
  const bytes = typeof text === "string" ? enc.encode(text) : text;
  let at = 0;
  while (at < bytes.length) at += await conn.write(bytes.subarray(at));
}

/** Reads a raw server's body of `n` bytes after the head. */
async function readBytes(conn: Deno.Conn, first: Uint8Array, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  out.set(first.subarray(0, n));
  let got = Math.min(first.length, n);
  const buf = new Uint8Array(65536);
  while (got < n) {
    const r = await conn.read(buf);
    if (r === null) break;
    out.set(buf.subarray(0, Math.min(r, n - got)), got);
    got += r;
  }
  return out;
}

async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "no error";
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return error.kind;
  }
}

/** A self-signed certificate for localhost and 127.0.0.1 made with openssl. */
async function makeCert(dir: string): Promise<{ cert: string; key: string }> {
  const out = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
      "-days",
      "2",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-addext",
      "basicConstraints=critical,CA:FALSE",
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(out.success, dec.decode(out.stderr));
  return {
    cert: await Deno.readTextFile(join(dir, "cert.pem")),
    key: await Deno.readTextFile(join(dir, "key.pem")),
  };
}

const noProxy = { proxy: null } as const;

// ---------------------------------------------------------------------------------------------
// Deno.serve

Deno.test("client sends httpie's default headers and gets JSON back", async () => {
  await withServe(async (base) => {
    const client = new HttpClient(noProxy);
    try {
      const res = await client.request("GET", `${base}/echo`).query("q", "a b").header(
        "X-Custom",
        "1",
      )
        .header("accept", "text/plain").send();
      assert.equal(res.status, 200);
      const echo = await res.json() as Echo;
      assert.equal(echo.path, "/echo?q=a+b");
      const h = new Map(echo.headers);
      assert.equal(h.get("user-agent"), "kit-http/0.1.0");
      assert.equal(h.get("accept-encoding"), "gzip, deflate, br");
      assert.equal(h.get("accept"), "text/plain");
      assert.equal(h.get("x-custom"), "1");
      const names = res.request.headers.map(([n]) => n);
      assert.deepEqual(names, [
        "Host",
        "User-Agent",
        "Accept-Encoding",
        "accept",
        "Connection",
        "X-Custom",
      ]);
      assert.equal(res.request.headers[0][1], new URL(base).host);
      const timing = await res.done;
      assert.ok(
        timing.connect > 0 && timing.firstByte >= timing.connect &&
          timing.total >= timing.firstByte,
      );
    } finally {
      client.close();
    }
  });
});

Deno.test("client sends JSON, form, multipart and streamed bodies", async () => {
  await withServe(async (base) => {
    const client = new HttpClient(noProxy);
    try {
      const json = await (await client.request("POST", `${base}/echo`).json({ a: [1, "é"] }).send())
        .json() as Echo;
      assert.equal(json.body, '{"a":[1,"é"]}');
      assert.equal(new Map(json.headers).get("content-type"), "application/json");
      assert.equal(new Map(json.headers).get("accept"), "application/json, */*;q=0.5");

      const form =
        await (await client.request("POST", `${base}/echo`).form([["a", "1 2"], ["b", "&"]]).send())
          .json() as Echo;
      assert.equal(form.body, "a=1+2&b=%26");
      assert.match(
        new Map(form.headers).get("content-type")!,
        /^application\/x-www-form-urlencoded/,
      );

      const mp = await (await client.request("POST", `${base}/echo`).multipart([
        { name: "field", value: "v" },
        { name: "file", filename: "a.txt", data: enc.encode("file body") },
      ]).send()).json() as Echo;
      assert.match(new Map(mp.headers).get("content-type")!, /^multipart\/form-data; boundary=/);
      assert.match(mp.body, /file body/);

      const stream = ReadableStream.from([enc.encode("part1-"), enc.encode("part2")]);
      const sres = await client.request("PUT", `${base}/echo`).body(stream).send();
      const streamed = await sres.json() as Echo;
      assert.equal(streamed.body, "part1-part2");
      assert.equal(new Map(streamed.headers).get("transfer-encoding"), "chunked");
      assert.equal(sres.request.body, null);

      const counted = await (await client.request("PUT", `${base}/echo`)
        .body(ReadableStream.from([enc.encode("abc")]), 3).send()).json() as Echo;
      assert.equal(new Map(counted.headers).get("content-length"), "3");
      assert.equal(counted.body, "abc");

      const empty = await (await client.request("POST", `${base}/echo`).send()).json() as Echo;
      assert.equal(new Map(empty.headers).get("content-length"), "0");
    } finally {
      client.close();
    }
  });
});

Deno.test("client follows redirect chains, stops loops, and returns 3xx without follow", async () => {
  await withServe(async (base) => {
    const client = new HttpClient(noProxy);
    try {
      const seen: string[] = [];
      const intermediate: number[] = [];
      const res = await client.request("GET", `${base}/hops/3`).follow()
        .onRequest((s) => seen.push(s.target)).onResponse((r) => intermediate.push(r.status))
        .send();
      assert.equal(await res.text(), "arrived");
      assert.deepEqual(seen, ["/hops/3", "/hops/2", "/hops/1", "/hops/0"]);
      assert.deepEqual(intermediate, [302, 302, 302]);
      assert.deepEqual(res.redirects.map((r) => r.location), ["/hops/2", "/hops/1", "/hops/0"]);
      assert.equal(res.url.pathname, "/hops/0");

      const loop = client.request("GET", `${base}/loop`).follow(5).send();
      assert.equal(await kindOf(loop), "too-many-redirects");

      const plain = await client.request("GET", `${base}/hops/1`).send();
      assert.equal(plain.status, 302);
      assert.equal(plain.headers.get("location"), "/hops/0");
      await plain.bytes();

      const seeOther = await client.request("POST", `${base}/see-other`).body("x").follow().send();
      const echo = await seeOther.json() as Echo;
      assert.equal(echo.method, "GET");
      assert.equal(echo.body, "");

      const temp = await client.request("POST", `${base}/temporary`).body("keep me").follow()
        .send();
      const kept = await temp.json() as Echo;
      assert.equal(kept.method, "POST");
      assert.equal(kept.body, "keep me");
    } finally {
      client.close();
    }
  });
});

Deno.test("client decodes gzip and br bodies, and leaves them with decompress(false)", async () => {
  await withServe(async (base) => {
    const client = new HttpClient(noProxy);
    try {
      assert.equal(
        await (await client.request("GET", `${base}/gzip`).send()).text(),
        "gzipped text ".repeat(100),
      );
      assert.equal(
        await (await client.request("GET", `${base}/br`).send()).text(),
        "brotli text ".repeat(100),
      );
      const raw = await client.request("GET", `${base}/gzip`).decompress(false).send();
      const bytes = await raw.bytes();
      assert.equal(bytes[0], 0x1f);
      assert.ok(!raw.request.headers.some(([n]) => n === "Accept-Encoding"));
    } finally {
      client.close();
    }
  });
});

Deno.test("client stores cookies on every hop and sends them on the next", async () => {
  await withServe(async (base) => {
    const jar = new CookieJar();
    const client = new HttpClient({ ...noProxy, cookieJar: jar });
    try {
      const res = await client.request("GET", `${base}/login`).follow().send();
      const echo = await res.json() as Echo;
      assert.equal(new Map(echo.headers).get("cookie"), "session=s1; theme=dark");
      assert.deepEqual(jar.all().map((c) => c.name).sort(), ["session", "theme"]);
      const again =
        await (await client.request("GET", `${base}/cookies`).header("Cookie", "mine=1").send())
          .json() as Echo;
      assert.equal(new Map(again.headers).get("cookie"), "mine=1; session=s1; theme=dark");
    } finally {
      client.close();
    }
  });
});

Deno.test("client answers a digest challenge once, and Basic/Bearer go out as headers", async () => {
  await withServe(async (base) => {
    const client = new HttpClient(noProxy);
    try {
      const statuses: number[] = [];
      const sent: number[] = [];
      const res = await client.request("GET", `${base}/digest?x=1`).digestAuth("alice", "secret")
        .onResponse((r) => statuses.push(r.status)).onRequest(() => sent.push(1)).send();
      assert.equal(res.status, 200);
      assert.equal(await res.text(), "welcome /digest?x=1");
      assert.deepEqual(statuses, [401]);
      assert.equal(sent.length, 2);
      const wrong = await client.request("GET", `${base}/digest`).digestAuth("alice", "nope")
        .send();
      assert.equal(wrong.status, 401);
      await wrong.bytes();

      const basic = await (await client.request("GET", `${base}/echo`).basicAuth("u", "p").send())
        .json() as Echo;
      assert.equal(new Map(basic.headers).get("authorization"), "Basic dTpw");
      const bearer = await (await client.request("GET", `${base}/echo`).bearerAuth("t0k").send())
        .json() as Echo;
      assert.equal(new Map(bearer.headers).get("authorization"), "Bearer t0k");
    } finally {
      client.close();
    }
  });
});

Deno.test("client streams a large body with backpressure and matches curl byte for byte", async () => {
  await withServe(async (base) => {
    const client = new HttpClient(noProxy);
    try {
      const res = await client.request("GET", `${base}/big?size=3000000`).send();
      const hash = createHash("sha256");
      let n = 0;
      for await (const chunk of res.body) {
        hash.update(chunk);
        n += chunk.length;
      }
      assert.equal(n, 3000000);
      const curl = await new Deno.Command("curl", { args: ["-s", `${base}/big?size=3000000`] })
        .output();
      assert.ok(curl.success);
      assert.equal(hash.digest("hex"), createHash("sha256").update(curl.stdout).digest("hex"));
    } finally {
      client.close();
    }
  });
});

Deno.test("chunks() streams through one reused buffer, and the connection stays usable", async () => {
  const server = keepAliveServer();
  const client = new HttpClient(noProxy);
  try {
    let text = "";
    const res = await client.request("GET", server.url).send();
    for await (const chunk of res.chunks()) text += dec.decode(chunk);
    assert.equal(text, "conn 0 req 0");
    assert.equal(await (await client.request("GET", server.url).send()).text(), "conn 0 req 1");
    assert.equal(server.accepted, 1);
  } finally {
    client.close();
    await server.close();
  }
  await withServe(async (base) => {
    const client = new HttpClient(noProxy);
    try {
      const res = await client.request("GET", `${base}/big?size=5000000`).send();
      const hash = createHash("sha256");
      let n = 0;
      for await (const chunk of res.chunks()) {
        hash.update(chunk);
        n += chunk.length;
      }
      assert.equal(n, 5000000);
      const whole = await (await client.request("GET", `${base}/big?size=5000000`).send()).bytes();
      assert.equal(hash.digest("hex"), createHash("sha256").update(whole).digest("hex"));
      // Leaving the loop early drops the rest of the body.
      const early = await client.request("GET", `${base}/big?size=5000000`).send();
      for await (const _ of early.chunks()) break;
      const timing = await early.done;
      assert.ok(timing.total > 0);
      // Decoded bodies go through the decoder's own buffers.
      let gz = "";
      for await (const chunk of (await client.request("GET", `${base}/gzip`).send()).chunks()) {
        gz += dec.decode(chunk, { stream: true });
      }
      assert.equal(gz, "gzipped text ".repeat(100));
    } finally {
      client.close();
    }
  });
});

Deno.test("client refuses CR, LF or NUL in a method, URL, header name or value before sending", async () => {
  const server = rawServer(async () => {});
  const client = new HttpClient(noProxy);
  try {
    assert.throws(() => client.request("GET", server.url).header("X", "a\r\nB: c"), HttpError);
    assert.throws(() => client.request("GET", server.url).header("X\n", "a"), HttpError);
    assert.throws(() => client.request("GET", server.url).header("X", "a\0"), HttpError);
    assert.equal(
      await kindOf(client.request("GET", `${server.url}/a\r\nX: y`).send()),
      "invalid-request",
    );
    assert.equal(await kindOf(client.request("GET\r\n", server.url).send()), "invalid-request");
    assert.equal(await kindOf(client.request("G T", server.url).send()), "invalid-request");
    assert.equal(await kindOf(client.request("GET", "ftp://x/").send()), "invalid-request");
    assert.equal(server.accepted, 0);
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("build() shows what would be sent without connecting", async () => {
  const client = new HttpClient(noProxy);
  const { sent, head, body } = await client.request("POST", "http://127.0.0.1:9/x?y=1").header(
    "X",
    "1",
  )
    .body("hi").build();
  assert.equal(sent.target, "/x?y=1");
  assert.equal(dec.decode(body!), "hi");
  assert.equal(
    dec.decode(head),
    "POST /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:9\r\nUser-Agent: kit-http/0.1.0\r\nAccept-Encoding: gzip, deflate, br\r\n" +
      "Accept: */*\r\nConnection: keep-alive\r\nX: 1\r\nContent-Length: 2\r\n\r\n",
  );
  client.close();
});

// ---------------------------------------------------------------------------------------------
// TLS

Deno.test("TLS: a self-signed certificate fails by default, passes with caCerts and with insecure", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kit_http_tls_" });
  try {
    const pem = await makeCert(dir);
    await withServe(async (base) => {
      const client = new HttpClient(noProxy);
      try {
        const failing = client.request("GET", `${base}/echo`).send();
        await assert.rejects(
          failing,
          (e: unknown) => e instanceof HttpError && e.kind === "certificate",
        );
        const trusted = await client.request("GET", `${base}/echo`).tls({ caCerts: [pem.cert] })
          .send();
        assert.equal(trusted.status, 200);
        await trusted.bytes();
        const t = await trusted.done;
        assert.ok(t.tls >= t.connect && t.tls > 0);
        const insecure = await client.request("GET", `${base}/echo`).tls({ insecure: true }).send();
        assert.equal(((await insecure.json()) as Echo).method, "GET");
        // With a client certificate the connection goes through Deno.connectTls.
        const withCert = await client.request("GET", `${base}/echo`)
          .tls({ caCerts: [pem.cert], cert: pem.cert, key: pem.key }).send();
        assert.equal(withCert.status, 200);
        await withCert.bytes();
        const byIp = await client.request("GET", base.replace("localhost", "127.0.0.1") + "/echo")
          .tls({ caCerts: [pem.cert] }).send();
        assert.equal(byIp.status, 200);
        await byIp.bytes();
      } finally {
        client.close();
      }
    }, pem);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------------------------------------
// Raw TCP edge cases

Deno.test("raw: chunked body with extensions and trailers", async () => {
  const server = rawServer(async (conn) => {
    await readRequest(conn);
    await write(conn, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=1\r\nhello\r\n");
    await write(conn, "6;b\r\n world\r\n0\r\nX-Sum: 11\r\n\r\n");
    await readRequest(conn);
  });
  const client = new HttpClient(noProxy);
  try {
    const res = await client.request("GET", server.url).send();
    assert.equal(await res.text(), "hello world");
    assert.deepEqual(res.trailers, [["X-Sum", "11"]]);
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("raw: a body without length is read until close, and the connection is not reused", async () => {
  const server = rawServer(async (conn) => {
    await readRequest(conn);
    await write(conn, "HTTP/1.1 200 OK\r\n\r\nuntil");
    await write(conn, " close");
  });
  const client = new HttpClient(noProxy);
  try {
    assert.equal(await (await client.request("GET", server.url).send()).text(), "until close");
    assert.equal(await (await client.request("GET", server.url).send()).text(), "until close");
    assert.equal(server.accepted, 2);
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("raw: 1xx responses before the final one are skipped and kept", async () => {
  const server = rawServer(async (conn) => {
    await readRequest(conn);
    await write(
      conn,
      "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n",
    );
    await write(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  });
  const client = new HttpClient(noProxy);
  try {
    const res = await client.request("GET", server.url).send();
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "ok");
    assert.deepEqual(res.informational.map((i) => i.status), [103, 102]);
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("raw: a truncated body fails with kind body", async () => {
  const server = rawServer(async (conn) => {
    await readRequest(conn);
    await write(conn, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
  });
  const client = new HttpClient(noProxy);
  try {
    const res = await client.request("GET", server.url).send();
    await assert.rejects(
      res.text(),
      (e: unknown) => e instanceof HttpError && e.kind === "body" && /9 of 100/.test(e.message),
    );
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("raw: a slow drip of head and body finishes fine", async () => {
  const response = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
  const server = rawServer(async (conn) => {
    await readRequest(conn);
    for (const byte of enc.encode(response)) {
      await write(conn, new Uint8Array([byte]));
      await new Promise((r) => setTimeout(r, 1));
    }
  });
  const client = new HttpClient(noProxy);
  try {
    const res = await client.request("GET", server.url).timeout({ headers: 10000, body: 10000 })
      .send();
    assert.equal(await res.text(), "0123456789");
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("raw: a server that never answers ends in a headers timeout", async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => release = r);
  const server = rawServer(async (conn) => {
    await readRequest(conn);
    await held;
  });
  const client = new HttpClient(noProxy);
  try {
    const error = await client.request("GET", server.url).timeout({ headers: 150 }).send().catch((
      e,
    ) => e);
    assert.ok(error instanceof HttpError);
    assert.equal(error.kind, "timeout");
    assert.equal(error.phase, "headers");
    assert.equal(error.message, "timed out after 150 ms waiting for the response headers");
  } finally {
    release();
    client.close();
    await server.close();
  }
});

Deno.test("raw: a total timeout stops a body that never ends", async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => release = r);
  const server = rawServer(async (conn) => {
    await readRequest(conn);
    await write(conn, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npart");
    await held;
  });
  const client = new HttpClient(noProxy);
  try {
    const res = await client.request("GET", server.url).timeout({ total: 200 }).send();
    const error = await res.text().catch((e) => e);
    assert.ok(error instanceof HttpError, String(error));
    assert.equal(error.kind, "timeout");
    assert.equal(error.phase, "total");
  } finally {
    release();
    client.close();
    await server.close();
  }
});

Deno.test("raw: an abort signal stops the request mid-body with kind aborted", async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => release = r);
  const server = rawServer(async (conn) => {
    await readRequest(conn);
    await write(conn, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npart");
    await held;
  });
  const client = new HttpClient(noProxy);
  try {
    const controller = new AbortController();
    const res = await client.request("GET", server.url).signal(controller.signal).send();
    const reader = res.body.getReader();
    assert.equal(dec.decode((await reader.read()).value), "part");
    const next = reader.read();
    controller.abort();
    const error = await next.catch((e) => e);
    assert.ok(error instanceof HttpError);
    assert.equal(error.kind, "aborted");
  } finally {
    release();
    client.close();
    await server.close();
  }
});

Deno.test("raw: a garbage status line is a protocol error showing the bytes", async () => {
  const server = rawServer(async (conn) => {
    await readRequest(conn);
    await write(conn, "HTP/1.1 200 OK\r\n\r\n");
  });
  const client = new HttpClient(noProxy);
  try {
    const error = await client.request("GET", server.url).send().catch((e) => e);
    assert.ok(error instanceof HttpError);
    assert.equal(error.kind, "protocol");
    assert.equal(error.message, 'invalid status line: "HTP/1.1 200 OK\\r\\n"');
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("raw: a header over the limit is a protocol error; an empty reply too", async () => {
  const server = rawServer(async (conn, i) => {
    await readRequest(conn);
    if (i === 0) await write(conn, `HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(70000)}\r\n\r\n`);
  });
  const client = new HttpClient(noProxy);
  try {
    const big = await client.request("GET", server.url).send().catch((e) => e);
    assert.ok(big instanceof HttpError && big.kind === "protocol", String(big));
    assert.match(big.message, /header line longer than 16384 bytes/);
    const empty = await client.request("GET", server.url).send().catch((e) => e);
    assert.ok(empty instanceof HttpError && empty.kind === "protocol");
    assert.match(empty.message, /empty reply from server/);
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("raw: an unknown content coding fails with kind body", async () => {
  const server = rawServer(async (conn) => {
    await readRequest(conn);
    await write(
      conn,
      "HTTP/1.1 200 OK\r\nContent-Encoding: zstd-x\r\nContent-Length: 3\r\n\r\nabc",
    );
  });
  const client = new HttpClient(noProxy);
  try {
    assert.equal(
      await kindOf(client.request("GET", server.url).send().then((r) => r.text())),
      "body",
    );
    const raw = await client.request("GET", server.url).decompress(false).send();
    assert.equal(await raw.text(), "abc");
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("raw: conflicting Content-Length is refused", async () => {
  const server = rawServer(async (conn) => {
    await readRequest(conn);
    await write(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc");
  });
  const client = new HttpClient(noProxy);
  try {
    const error = await client.request("GET", server.url).send().catch((e) => e);
    assert.ok(error instanceof HttpError && error.kind === "protocol");
    assert.match(error.message, /conflicting Content-Length/);
  } finally {
    client.close();
    await server.close();
  }
});

/** A keep-alive raw server answering every request on a connection with its count. */
function keepAliveServer(onRequest?: (index: number, n: number) => "answer" | "close") {
  return rawServer(async (conn, index) => {
    const carry: Uint8Array[] = [];
    for (let n = 0;; n++) {
      const req = await readRequest(conn, carry);
      if (!req) return;
      if (req.rest.length > 0) carry.push(req.rest);
      if (onRequest?.(index, n) === "close") return;
      const body = `conn ${index} req ${n}`;
      const payload = req.head.method === "HEAD" ? "" : body;
      await write(conn, `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${payload}`);
    }
  });
}

Deno.test("keep-alive: sequential requests reuse one connection", async () => {
  const server = keepAliveServer();
  const client = new HttpClient(noProxy);
  try {
    for (let i = 0; i < 5; i++) {
      const res = await client.request("GET", server.url).send();
      assert.equal(await res.text(), `conn 0 req ${i}`);
      const timing = await res.done;
      if (i > 0) assert.equal(timing.connect, 0);
    }
    assert.equal(server.accepted, 1);
    // HEAD and 204-like answers without bodies keep the connection too.
    const head = await client.request("HEAD", server.url).send();
    assert.equal(head.headers.get("content-length"), "12");
    assert.equal(await head.text(), "");
    assert.equal(await (await client.request("GET", server.url).send()).text(), "conn 0 req 6");
    assert.equal(server.accepted, 1);
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("keep-alive: concurrent requests open up to maxConnectionsPerHost connections", async () => {
  const server = keepAliveServer();
  const client = new HttpClient({ ...noProxy, maxConnectionsPerHost: 2 });
  try {
    const all = await Promise.all(
      Array.from(
        { length: 6 },
        () => client.request("GET", server.url).send().then((r) => r.text()),
      ),
    );
    assert.equal(all.length, 6);
    assert.ok(server.accepted <= 2, `accepted ${server.accepted}`);
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("keep-alive: a stale pooled connection is retried transparently for GET, not for POST", async () => {
  // Connection 0 answers its first request, then dies on the second without a byte.
  const server = keepAliveServer((index, n) => index === 0 && n === 1 ? "close" : "answer");
  const client = new HttpClient(noProxy);
  try {
    assert.equal(await (await client.request("GET", server.url).send()).text(), "conn 0 req 0");
    assert.equal(await (await client.request("GET", server.url).send()).text(), "conn 1 req 0");
    assert.equal(server.accepted, 2);
  } finally {
    client.close();
    await server.close();
  }
  const server2 = keepAliveServer((index, n) => index === 0 && n === 1 ? "close" : "answer");
  const client2 = new HttpClient(noProxy);
  try {
    assert.equal(
      await (await client2.request("POST", server2.url).body("a").send()).text(),
      "conn 0 req 0",
    );
    const error = await client2.request("POST", server2.url).body("b").send().catch((e) => e);
    assert.ok(error instanceof HttpError, String(error));
    assert.equal(server2.accepted, 1);
  } finally {
    client2.close();
    await server2.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 100-continue

Deno.test("100-continue: the body waits for 100, and a final answer means no body", async () => {
  const server = rawServer(async (conn, i) => {
    const req = await readRequest(conn);
    if (!req) return;
    assert.equal(req.head.headers.get("expect"), "100-continue");
    assert.equal(req.rest.length, 0); // nothing sent before the go-ahead
    if (i === 0) {
      await write(conn, "HTTP/1.1 100 Continue\r\n\r\n");
      const body = await readBytes(conn, req.rest, 5);
      await write(conn, `HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n${dec.decode(body)}`);
    } else {
      await write(conn, "HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n");
    }
  });
  const client = new HttpClient(noProxy);
  try {
    const ok = await client.request("PUT", server.url).body("hello").expectContinue().send();
    assert.equal(await ok.text(), "hello");
    const refused = await client.request("PUT", server.url).body("hello").expectContinue().send();
    assert.equal(refused.status, 417);
    await refused.bytes();
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("100-continue: a server that ignores Expect gets the body after the short wait", async () => {
  const server = rawServer(async (conn) => {
    const req = await readRequest(conn);
    if (!req) return;
    const body = await readBytes(conn, req.rest, 5);
    await write(conn, `HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n${dec.decode(body)}`);
  });
  const client = new HttpClient(noProxy);
  try {
    const res = await client.request("PUT", server.url).body("later").expectContinue()
      .timeout({ continue: 50 }).send();
    assert.equal(await res.text(), "later");
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("raw: an answer sent before the whole body was taken is returned, not the broken pipe", async () => {
  const server = rawServer(async (conn) => {
    await readRequest(conn);
    await write(
      conn,
      "HTTP/1.1 413 Content Too Large\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbig",
    );
    // Stop reading: the client's large body cannot be delivered.
  });
  const client = new HttpClient(noProxy);
  try {
    const res = await client.request("POST", server.url).body(new Uint8Array(32 << 20)).send();
    assert.equal(res.status, 413);
    assert.equal(await res.text(), "big");
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("raw: a chunked request body arrives as the server's decoder expects", async () => {
  let got = "";
  const server = rawServer(async (conn) => {
    const req = await readRequest(conn);
    if (!req) return;
    const d = new ChunkedDecoder();
    let out = d.push(req.rest);
    const buf = new Uint8Array(4096);
    while (true) {
      for (const piece of out.data) got += dec.decode(piece);
      if (out.done) break;
      const n = await conn.read(buf);
      if (n === null) break;
      out = d.push(buf.slice(0, n));
    }
    await write(conn, "HTTP/1.1 204 No Content\r\n\r\n");
  });
  const client = new HttpClient(noProxy);
  try {
    const res = await client.request("POST", server.url)
      .body(ReadableStream.from(["a", "bc", "def"].map((s) => enc.encode(s)))).send();
    assert.equal(res.status, 204);
    assert.equal(got, "abcdef");
  } finally {
    client.close();
    await server.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Proxy

/** A forward proxy: CONNECT tunnels and absolute-form requests (one per connection). */
function forwardProxy(seen: string[], pem?: { cert: string; key: string }) {
  const listener = pem ? Deno.listenTls({ hostname: "127.0.0.1", port: 0, ...pem }) : undefined;
  return rawServer(async (client) => {
    const req = await readRequest(client);
    if (!req) return;
    const { method, target } = req.head;
    seen.push(`${method} ${target}`);
    let host: string, port: number;
    if (method === "CONNECT") {
      const m = /^(.*):(\d+)$/.exec(target)!;
      host = m[1] === "localhost" ? "127.0.0.1" : m[1];
      port = Number(m[2]);
    } else {
      const url = new URL(target);
      host = url.hostname;
      port = Number(url.port || 80);
    }
    const upstream = await Deno.connect({ hostname: host, port });
    try {
      if (method === "CONNECT") {
        await write(client, "HTTP/1.1 200 Connection Established\r\n\r\n");
      } else {
        const url = new URL(target);
        const headers = req.head.headers.entries().filter(([n]) =>
          !/^(connection|proxy-authorization)$/i.test(n)
        );
        let head = `${method} ${url.pathname}${url.search} HTTP/1.1\r\n`;
        for (const [n, v] of [...headers, ["Connection", "close"]]) head += `${n}: ${v}\r\n`;
        await write(upstream, head + "\r\n");
        if (req.rest.length) await write(upstream, req.rest);
      }
      const pipe = async (from: Deno.Conn, to: Deno.Conn) => {
        const buf = new Uint8Array(65536);
        try {
          while (true) {
            const n = await from.read(buf);
            if (n === null) break;
            await write(to, buf.subarray(0, n));
          }
        } catch { /* the other side went away */ }
        try {
          await to.closeWrite();
        } catch { /* closed */ }
      };
      await Promise.all([pipe(client, upstream), pipe(upstream, client)]);
    } finally {
      upstream.close();
    }
  }, listener);
}

Deno.test("proxy: absolute-form for http and a CONNECT tunnel for https", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kit_http_proxy_" });
  const seen: string[] = [];
  const proxy = forwardProxy(seen);
  try {
    await withServe(async (base) => {
      const client = new HttpClient({ proxy: proxy.url });
      try {
        const res = await client.request("GET", `${base}/echo?a=1`).send();
        assert.equal(res.request.target, `${base}/echo?a=1`);
        assert.equal(((await res.json()) as Echo).path, "/echo?a=1");
      } finally {
        client.close();
      }
      // From the environment, with the same effect.
      const envClient = new HttpClient({
        env: (n) => n.toLowerCase() === "http_proxy" ? proxy.url : undefined,
      });
      try {
        const res = await envClient.request("GET", `${base}/echo`).send();
        await res.bytes();
        assert.equal(res.request.target, `${base}/echo`);
      } finally {
        envClient.close();
      }
    });
    const pem = await makeCert(dir);
    await withServe(async (base) => {
      const client = new HttpClient({ proxy: proxy.url, tls: { caCerts: [pem.cert] } });
      try {
        const res = await client.request("GET", `${base}/echo`).send();
        assert.equal(res.request.target, "/echo");
        assert.equal(((await res.json()) as Echo).method, "GET");
        const insecure = await client.request("GET", `${base}/echo`).tls({
          insecure: true,
          caCerts: [],
        }).send();
        assert.equal(insecure.status, 200);
        await insecure.bytes();
      } finally {
        client.close();
      }
    }, pem);
    // An https:// proxy: TLS to the proxy, then TLS to the origin inside it.
    const tlsSeen: string[] = [];
    const tlsProxy = forwardProxy(tlsSeen, pem);
    try {
      await withServe(async (base) => {
        const client = new HttpClient({
          proxy: `https://localhost:${tlsProxy.port}`,
          tls: { caCerts: [pem.cert] },
        });
        try {
          const res = await client.request("GET", `${base}/echo`).send();
          assert.equal(((await res.json()) as Echo).method, "GET");
        } finally {
          client.close();
        }
      }, pem);
      await withServe(async (base) => {
        const client = new HttpClient({
          proxy: `https://localhost:${tlsProxy.port}`,
          tls: { caCerts: [pem.cert] },
        });
        try {
          const res = await client.request("GET", `${base}/echo`).send();
          assert.equal(res.request.target, `${base}/echo`);
          assert.equal(((await res.json()) as Echo).path, "/echo");
        } finally {
          client.close();
        }
      });
    } finally {
      await tlsProxy.close();
    }
    assert.ok(tlsSeen.some((s) => /^CONNECT localhost:\d+$/.test(s)), tlsSeen.join("\n"));
    assert.ok(tlsSeen.some((s) => /^GET http:/.test(s)), tlsSeen.join("\n"));
    assert.ok(
      seen.some((s) => /^GET http:\/\/127\.0\.0\.1:\d+\/echo\?a=1$/.test(s)),
      seen.join("\n"),
    );
    assert.ok(seen.some((s) => /^CONNECT localhost:\d+$/.test(s)), seen.join("\n"));
  } finally {
    await proxy.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("connect errors: refused port and unknown host", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const client = new HttpClient(noProxy);
  try {
    const refused = await client.request("GET", `http://127.0.0.1:${port}/`).send().catch((e) => e);
    assert.ok(refused instanceof HttpError);
    assert.equal(refused.kind, "connect");
    assert.equal(refused.message, `connection refused: 127.0.0.1:${port}`);
    assert.equal(await kindOf(client.request("GET", "http://no-such-host.invalid/").send()), "dns");
  } finally {
    client.close();
  }
});
