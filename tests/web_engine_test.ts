/**
 * kit's HTTP/1.1 server engine against malformed and hostile requests, written byte by byte
 * on raw sockets: request smuggling shapes, oversized heads and bodies, slowloris, invalid
 * chunking, pipelining, early close, 100-continue, keep-alive and graceful shutdown.
 */
import assert from "node:assert/strict";
import { type Handler, type HttpServer, serve, type ServeOptions } from "../lib/http/server.ts";
import { BufferedConn } from "../lib/http/buffered_conn.ts";
import { HeadParser, type ResponseHead } from "../lib/http/head_parser.ts";
import { bodyStream, responseFraming } from "../lib/http/body.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

interface Raw {
  conn: Deno.Conn;
  bc: BufferedConn;
  send(text: string | Uint8Array): Promise<void>;
  /** Reads one response with the shared codec. */
  response(method?: string): Promise<{ head: ResponseHead; body: string }>;
  /** Reads until the server closes; everything received. */
  rest(): Promise<string>;
  close(): void;
}

async function open(server: HttpServer): Promise<Raw> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  const bc = new BufferedConn(conn);
  return {
    conn,
    bc,
    send: (text) => bc.writeAll(typeof text === "string" ? enc.encode(text) : text),
    async response(method = "GET") {
      const parser = HeadParser.response();
      while (true) {
        const chunk = await bc.read();
        if (chunk === null) throw new Error("connection closed before a response");
        const done = parser.push(chunk);
        if (done) {
          bc.unread(done.rest);
          const { framing } = responseFraming(done.head, method);
          const body = await new Response(bodyStream(bc, framing)).text();
          return { head: done.head, body };
        }
      }
    },
    async rest() {
      let out = "";
      while (true) {
        let chunk;
        try {
          chunk = await bc.read();
        } catch {
          break; // reset by the server: what arrived before is the answer
        }
        if (chunk === null) break;
        out += dec.decode(chunk);
      }
      return out;
    },
    close: () => bc.close(),
  };
}

/** Runs `fn` against a server on a free port and always shuts it down. */
async function withServer(
  handler: Handler,
  options: ServeOptions,
  fn: (server: HttpServer) => Promise<void>,
): Promise<void> {
  const server = serve(handler, { port: 0, ...options });
  try {
    await fn(server);
  } finally {
    await server.shutdown(1000);
  }
}

const echo: Handler = async (req) => {
  const body = req.body ? await req.text() : "";
  return new Response(`${req.method} ${new URL(req.url).pathname} ${body}`);
};

/** Sends `request` on a fresh connection and returns the status line of the answer and whether the server closed. */
async function statusOf(server: HttpServer, request: string): Promise<string> {
  const raw = await open(server);
  try {
    await raw.send(request);
    const text = await raw.rest();
    return text.split("\r\n")[0];
  } finally {
    raw.close();
  }
}

Deno.test("engine: keep-alive serves several requests on one connection", async () => {
  await withServer(echo, {}, async (server) => {
    const raw = await open(server);
    for (const path of ["/a", "/b", "/c"]) {
      await raw.send(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      const { head, body } = await raw.response();
      assert.equal(head.status, 200);
      assert.equal(body, `GET ${path} `);
      assert.equal(head.headers.get("connection"), null);
      assert.ok(head.headers.get("date"));
      assert.equal(head.headers.get("server"), null);
    }
    raw.close();
  });
});

Deno.test("engine: pipelined requests are answered in order", async () => {
  const seen: string[] = [];
  let releaseFirst!: () => void;
  const first = new Promise<void>((r) => releaseFirst = r);
  let entered!: () => void;
  const inFirst = new Promise<void>((r) => entered = r);
  const handler: Handler = async (req) => {
    const path = new URL(req.url).pathname;
    seen.push(path);
    if (path === "/1") {
      entered();
      await first;
    }
    return new Response(`${path}:${req.body ? await req.text() : ""}`);
  };
  await withServer(handler, {}, async (server) => {
    const raw = await open(server);
    await raw.send(
      "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n" +
        "POST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" +
        "POST /3 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n" +
        "GET /4 HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    // The second request is not handled before the first is answered.
    await inFirst;
    assert.deepEqual(seen, ["/1"]);
    releaseFirst();
    const bodies = [];
    for (let i = 0; i < 4; i++) bodies.push((await raw.response()).body);
    assert.deepEqual(bodies, ["/1:", "/2:abc", "/3:de", "/4:"]);
    assert.deepEqual(seen, ["/1", "/2", "/3", "/4"]);
    raw.close();
  });
});

Deno.test("engine: request smuggling shapes are refused with 400 and a close", async (t) => {
  let called = 0;
  const handler: Handler = async (req) => {
    called++;
    return await echo(req, undefined as never);
  };
  await withServer(handler, {}, async (server) => {
    const cases: [string, string][] = [
      [
        "Content-Length with Transfer-Encoding",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      ],
      [
        "two different Content-Length values",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
      ],
      [
        "a Content-Length list that disagrees",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\nabcd",
      ],
      ["a negative Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"],
      [
        "a Content-Length with a sign",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc",
      ],
      [
        "Transfer-Encoding not ending in chunked",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
      ],
      [
        "Transfer-Encoding gzip alone",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
      ],
      [
        "obs-fold",
        "GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n",
      ],
      ["bare LF line endings", "GET / HTTP/1.1\nHost: x\n\n"],
      ["space before the colon", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length : 3\r\n\r\nabc"],
      ["a missing Host", "GET / HTTP/1.1\r\n\r\n"],
      ["two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"],
      ["a Host with a path", "GET / HTTP/1.1\r\nHost: a/b@c\r\n\r\n"],
      ["a garbage request line", "HELLO\r\n\r\n"],
      ["an unknown version", "GET / HTTP/2.0\r\nHost: x\r\n\r\n"],
      ["NUL in a header", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n"],
    ];
    for (const [name, request] of cases) {
      await t.step(name, async () => {
        const raw = await open(server);
        await raw.send(request);
        const text = await raw.rest();
        raw.close();
        assert.match(text, /^HTTP\/1\.1 400 Bad Request\r\n/);
        assert.match(text, /\r\nconnection: close\r\n/);
        // Exactly one response: nothing after the refusal was parsed as a request.
        assert.equal(text.split("HTTP/1.1 ").length, 2);
      });
    }
    assert.equal(called, 0);
  });
});

Deno.test("engine: invalid chunked bodies are answered 400", async (t) => {
  await withServer(echo, {}, async (server) => {
    const cases: [string, string][] = [
      ["a non-hex size", "zz\r\nabc\r\n0\r\n\r\n"],
      ["an empty size line", "\r\nabc\r\n0\r\n\r\n"],
      ["a size that overflows", "fffffffffffffffff\r\nabc\r\n0\r\n\r\n"],
      ["data longer than its size", "2\r\nabc\r\n0\r\n\r\n"],
      ["a bare LF after the size", "3\nabc\r\n0\r\n\r\n"],
      ["a negative size", "-3\r\nabc\r\n0\r\n\r\n"],
    ];
    for (const [name, body] of cases) {
      await t.step(name, async () => {
        const status = await statusOf(
          server,
          `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${body}`,
        );
        assert.equal(status, "HTTP/1.1 400 Bad Request");
      });
    }
  });
});

Deno.test("engine: oversized heads are answered 431", async (t) => {
  await withServer(
    echo,
    { limits: { maxLineBytes: 1024, maxHeadBytes: 4096, maxHeaderCount: 20 } },
    async (server) => {
      await t.step("a long request line", async () => {
        const status = await statusOf(
          server,
          `GET /${"a".repeat(2000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
        );
        assert.equal(status, "HTTP/1.1 431 Request Header Fields Too Large");
      });
      await t.step("a long header line", async () => {
        const status = await statusOf(
          server,
          `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(2000)}\r\n\r\n`,
        );
        assert.equal(status, "HTTP/1.1 431 Request Header Fields Too Large");
      });
      await t.step("too many header lines", async () => {
        const many = Array.from({ length: 30 }, (_, i) => `X-${i}: ${i}\r\n`).join("");
        const status = await statusOf(server, `GET / HTTP/1.1\r\nHost: x\r\n${many}\r\n`);
        assert.equal(status, "HTTP/1.1 431 Request Header Fields Too Large");
      });
      await t.step("a head larger than the limit", async () => {
        const lines = Array.from({ length: 10 }, (_, i) => `X-${i}: ${"c".repeat(500)}\r\n`).join(
          "",
        );
        const status = await statusOf(server, `GET / HTTP/1.1\r\nHost: x\r\n${lines}\r\n`);
        assert.equal(status, "HTTP/1.1 431 Request Header Fields Too Large");
      });
      await t.step("an endless header line without a newline", async () => {
        const status = await statusOf(
          server,
          `GET / HTTP/1.1\r\nHost: x\r\nX: ${"d".repeat(3000)}`,
        );
        assert.equal(status, "HTTP/1.1 431 Request Header Fields Too Large");
      });
    },
  );
});

Deno.test("engine: bodies over the limit are answered 413", async (t) => {
  let handled = 0;
  const handler: Handler = async (req) => {
    handled++;
    return new Response(String((await req.arrayBuffer()).byteLength));
  };
  await withServer(handler, { limits: { maxBodyBytes: 1000 } }, async (server) => {
    await t.step("Content-Length over the limit: refused before the handler", async () => {
      const status = await statusOf(
        server,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n",
      );
      assert.equal(status, "HTTP/1.1 413 Content Too Large");
      assert.equal(handled, 0);
    });
    await t.step("a chunked body that grows over the limit", async () => {
      const chunk = `200\r\n${"x".repeat(512)}\r\n`;
      const status = await statusOf(
        server,
        `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${
          chunk.repeat(4)
        }0\r\n\r\n`,
      );
      assert.equal(status, "HTTP/1.1 413 Content Too Large");
    });
    await t.step("a body at the limit is fine", async () => {
      const raw = await open(server);
      await raw.send(
        `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n${"y".repeat(1000)}`,
      );
      assert.equal((await raw.response()).body, "1000");
      raw.close();
    });
  });
});

Deno.test("engine: a slow head (slowloris) gets 408 and a close", async () => {
  await withServer(echo, { timeouts: { headers: 200 } }, async (server) => {
    const raw = await open(server);
    await raw.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    // The server, not the test, decides when: the read ends when the server closes.
    const text = await raw.rest();
    raw.close();
    assert.match(text, /^HTTP\/1\.1 408 Request Timeout\r\n/);
  });
});

Deno.test("engine: an idle keep-alive connection is closed quietly", async () => {
  await withServer(echo, { timeouts: { idle: 200 } }, async (server) => {
    const raw = await open(server);
    await raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert.equal((await raw.response()).head.status, 200);
    assert.equal(await raw.rest(), "");
    raw.close();
  });
});

Deno.test("engine: a client that closes early aborts the request signal", async () => {
  let aborted!: () => void;
  const sawAbort = new Promise<void>((r) => aborted = r);
  let entered!: () => void;
  const inHandler = new Promise<void>((r) => entered = r);
  const handler: Handler = (req, info) => {
    assert.equal(info.signal, info.signal);
    entered();
    return new Promise((resolve) => {
      req.signal.addEventListener("abort", () => {
        aborted();
        resolve(new Response("late"));
      });
    });
  };
  await withServer(handler, {}, async (server) => {
    const raw = await open(server);
    await raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await inHandler;
    raw.close();
    await sawAbort;
  });
});

Deno.test("engine: a client that closes mid-body does not disturb others", async () => {
  let failed!: (e: unknown) => void;
  const bodyFailed = new Promise((r) => failed = r);
  const handler: Handler = async (req) => {
    if (new URL(req.url).pathname === "/upload") {
      try {
        await req.text();
      } catch (error) {
        failed(error);
      }
      return new Response("never read");
    }
    return new Response("ok");
  };
  await withServer(handler, {}, async (server) => {
    const raw = await open(server);
    await raw.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly some");
    raw.close();
    assert.ok(await bodyFailed);
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
    assert.equal(await res.text(), "ok");
  });
});

Deno.test("engine: Expect 100-continue", async (t) => {
  const handler: Handler = async (req) => {
    if (new URL(req.url).pathname === "/deny") return new Response("no", { status: 401 });
    return new Response(`got ${await req.text()}`);
  };
  await withServer(handler, {}, async (server) => {
    await t.step("100 Continue comes when the handler reads the body", async () => {
      const raw = await open(server);
      await raw.send(
        "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n",
      );
      const interim = await raw.bc.read();
      assert.equal(dec.decode(interim!), "HTTP/1.1 100 Continue\r\n\r\n");
      await raw.send("hello");
      const { head, body } = await raw.response();
      assert.equal(head.status, 200);
      assert.equal(body, "got hello");
      raw.close();
    });
    await t.step("a handler that answers without reading sends no 100 and closes", async () => {
      const raw = await open(server);
      await raw.send(
        "POST /deny HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n",
      );
      const text = await raw.rest();
      raw.close();
      assert.match(text, /^HTTP\/1\.1 401 Unauthorized\r\n/);
      assert.doesNotMatch(text, /100 Continue/);
      assert.match(text, /connection: close/);
    });
    await t.step("curl's upload with Expect works end to end", async () => {
      const out = await new Deno.Command("curl", {
        args: [
          "-s",
          "-H",
          "Expect: 100-continue",
          "--data-binary",
          "x".repeat(2048),
          `http://127.0.0.1:${server.addr.port}/up`,
        ],
      }).output();
      assert.equal(dec.decode(out.stdout), `got ${"x".repeat(2048)}`);
    });
  });
});

Deno.test("engine: handler failures become 500 and 503", async (t) => {
  let release!: () => void;
  const hang = new Promise<void>((r) => release = r);
  const errors: unknown[] = [];
  const handler: Handler = async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/throw") throw new Error("boom");
    if (path === "/hang") {
      await hang;
      return new Response("late");
    }
    if (path === "/not-a-response") return "text" as unknown as Response;
    return new Response("ok");
  };
  await withServer(
    handler,
    { timeouts: { handler: 200 }, onError: (e) => void errors.push(e) },
    async (server) => {
      await t.step("a throwing handler gives 500", async () => {
        const res = await fetch(`http://127.0.0.1:${server.addr.port}/throw`);
        assert.equal(res.status, 500);
        await res.body?.cancel();
        assert.match(String(errors.at(-1)), /boom/);
      });
      await t.step("a handler returning something else gives 500", async () => {
        const res = await fetch(`http://127.0.0.1:${server.addr.port}/not-a-response`);
        assert.equal(res.status, 500);
        await res.body?.cancel();
      });
      await t.step("a handler over its deadline gives 503", async () => {
        const res = await fetch(`http://127.0.0.1:${server.addr.port}/hang`);
        assert.equal(res.status, 503);
        assert.equal(res.headers.get("connection"), "close");
        await res.body?.cancel();
        release();
      });
    },
  );
});

Deno.test("engine: response framing", async (t) => {
  const handler: Handler = (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/stream") {
      const parts = ["one ", "two ", "three"];
      return new Response(
        new ReadableStream({
          pull(c) {
            const p = parts.shift();
            if (p === undefined) c.close();
            else c.enqueue(enc.encode(p));
          },
        }),
      );
    }
    if (path === "/empty") return new Response(null, { status: 204 });
    if (path === "/declared") {
      return new Response(ReadableStream.from([enc.encode("ab"), enc.encode("cd")]), {
        headers: { "content-length": "4" },
      });
    }
    return new Response("fixed body");
  };
  await withServer(handler, {}, async (server) => {
    await t.step("a stream of unknown length goes chunked to HTTP/1.1", async () => {
      const raw = await open(server);
      await raw.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
      const { head, body } = await raw.response();
      assert.equal(head.headers.get("transfer-encoding"), "chunked");
      assert.equal(body, "one two three");
      // Still usable afterwards.
      await raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      assert.equal((await raw.response()).body, "fixed body");
      raw.close();
    });
    await t.step("a stream goes close-delimited to HTTP/1.0", async () => {
      const raw = await open(server);
      await raw.send("GET /stream HTTP/1.0\r\n\r\n");
      const text = await raw.rest();
      raw.close();
      assert.doesNotMatch(text, /transfer-encoding/i);
      assert.match(text, /connection: close\r\n\r\none two three$/);
    });
    await t.step("HTTP/1.0 keep-alive with a known length", async () => {
      const raw = await open(server);
      await raw.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      const { head, body } = await raw.response();
      assert.equal(head.headers.get("connection"), "keep-alive");
      assert.equal(body, "fixed body");
      raw.close();
    });
    await t.step("HEAD gets the length and no body", async () => {
      const raw = await open(server);
      await raw.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
      const head = await raw.response("HEAD");
      assert.equal(head.head.headers.get("content-length"), "10");
      assert.equal(head.body, "");
      assert.equal((await raw.response()).body, "fixed body");
      raw.close();
    });
    await t.step("204 has no length and no body", async () => {
      const raw = await open(server);
      await raw.send("GET /empty HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      const text = await raw.rest();
      raw.close();
      assert.match(text, /^HTTP\/1\.1 204 No Content\r\n/);
      assert.doesNotMatch(text, /content-length|transfer-encoding/i);
      assert.ok(text.endsWith("\r\n\r\n"));
    });
    await t.step("a declared Content-Length streams without chunking", async () => {
      const raw = await open(server);
      await raw.send("GET /declared HTTP/1.1\r\nHost: x\r\n\r\n");
      const { head, body } = await raw.response();
      assert.equal(head.headers.get("content-length"), "4");
      assert.equal(head.headers.get("transfer-encoding"), null);
      assert.equal(body, "abcd");
      raw.close();
    });
    await t.step("a GET with a body has it read and dropped", async () => {
      const raw = await open(server);
      await raw.send(
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyzGET / HTTP/1.1\r\nHost: x\r\n\r\n",
      );
      assert.equal((await raw.response()).body, "fixed body");
      assert.equal((await raw.response()).body, "fixed body");
      raw.close();
    });
  });
});

Deno.test("engine: a client that stops reading does not make the server buffer without bound", async () => {
  let produced = 0;
  let cancelled!: () => void;
  const wasCancelled = new Promise<void>((r) => cancelled = r);
  const handler: Handler = () =>
    new Response(
      new ReadableStream({
        pull(c) {
          produced += 65536;
          c.enqueue(new Uint8Array(65536));
        },
        cancel() {
          cancelled();
        },
      }, { highWaterMark: 0 }),
    );
  await withServer(handler, { timeouts: { write: 300 } }, async (server) => {
    const raw = await open(server);
    await raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    // Never read: the write stalls, the write timeout closes the connection, the body is cancelled.
    await wasCancelled;
    raw.close();
  });
  // Socket buffers hold a few MiB at most; an unbounded server would have produced far more.
  assert.ok(produced < 64 * 1024 * 1024, `produced ${produced} bytes`);
});

Deno.test("engine: graceful shutdown finishes in-flight requests and closes idle connections", async () => {
  let release!: () => void;
  const slow = new Promise<void>((r) => release = r);
  let entered!: () => void;
  const inHandler = new Promise<void>((r) => entered = r);
  const server = serve(async (req) => {
    if (new URL(req.url).pathname === "/slow") {
      entered();
      await slow;
    }
    return new Response("done");
  }, { port: 0 });
  const idle = await open(server);
  await idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  assert.equal((await idle.response()).body, "done");
  const busy = await open(server);
  await busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  await inHandler;
  const stopped = server.shutdown(5000);
  // The idle connection is closed at once; the busy one still gets its answer.
  assert.equal(await idle.rest(), "");
  await assert.rejects(Deno.connect({ hostname: "127.0.0.1", port: server.addr.port }));
  release();
  const { head, body } = await busy.response();
  assert.equal(body, "done");
  assert.equal(head.headers.get("connection"), "close");
  assert.equal(await busy.rest(), "");
  await stopped;
  idle.close();
  busy.close();
});

Deno.test("engine: shutdown past its deadline closes what is left", async () => {
  let entered!: () => void;
  const inHandler = new Promise<void>((r) => entered = r);
  let aborted = false;
  const server = serve((req) =>
    new Promise<Response>((resolve) => {
      entered();
      req.signal.addEventListener("abort", () => {
        aborted = true;
        resolve(new Response("aborted"));
      });
    }), { port: 0 });
  const raw = await open(server);
  await raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  await inHandler;
  await server.shutdown(100);
  assert.ok(aborted);
  raw.close();
});

Deno.test("engine: an abort signal shuts the server down", async () => {
  const controller = new AbortController();
  const server = serve(() => new Response("x"), { port: 0, signal: controller.signal });
  controller.abort();
  await server.finished;
});

Deno.test("engine: request URL, headers and connection info", async () => {
  let seen: { url: string; host: string | null; remote: string; secure: boolean } | null = null;
  await withServer(
    (req, info) => {
      seen = {
        url: req.url,
        host: req.headers.get("x-multi"),
        remote: info.remoteAddr.hostname,
        secure: info.secure,
      };
      return new Response("ok");
    },
    {},
    async (server) => {
      const raw = await open(server);
      await raw.send(
        "GET /p?q=1 HTTP/1.1\r\nHost: example.test:8080\r\nX-Multi: a\r\nX-Multi: b\r\n\r\n",
      );
      await raw.response();
      assert.deepEqual(seen, {
        url: "http://example.test:8080/p?q=1",
        host: "a, b",
        remote: "127.0.0.1",
        secure: false,
      });
      await raw.send("GET http://other.test/abs HTTP/1.1\r\nHost: other.test\r\n\r\n");
      await raw.response();
      assert.equal(seen!.url, "http://other.test/abs");
      raw.close();
    },
  );
});

Deno.test("engine: TLS through Deno.listenTls", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const gen = await new Deno.Command("openssl", {
      args: [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-addext",
        "basicConstraints=critical,CA:FALSE",
        "-keyout",
        `${dir}/key.pem`,
        "-out",
        `${dir}/cert.pem`,
      ],
      stdout: "null",
      stderr: "null",
    }).output();
    assert.ok(gen.success);
    const cert = await Deno.readTextFile(`${dir}/cert.pem`);
    const key = await Deno.readTextFile(`${dir}/key.pem`);
    const server = serve((req, info) => new Response(`${info.secure} ${req.url}`), {
      port: 0,
      tls: { cert, key },
    });
    try {
      const client = Deno.createHttpClient({ caCerts: [cert] });
      const res = await fetch(`https://localhost:${server.addr.port}/tls`, { client });
      assert.equal(await res.text(), `true https://localhost:${server.addr.port}/tls`);
      client.close();
      const out = await new Deno.Command("curl", {
        args: ["-s", "--cacert", `${dir}/cert.pem`, `https://localhost:${server.addr.port}/curl`],
      }).output();
      assert.equal(dec.decode(out.stdout), `true https://localhost:${server.addr.port}/curl`);
    } finally {
      await server.shutdown();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
