import assert from "node:assert/strict";
import {
  bodyStream,
  type ByteSource,
  expectsContinue,
  keepAlive,
  parseContentLength,
  requestFraming,
  responseFraming,
} from "./body.ts";
import { HttpHeaders } from "./headers.ts";
import { HttpError } from "./errors.ts";
import type { RequestHead, ResponseHead } from "./head_parser.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function res(status: number, headers: [string, string][], version = "HTTP/1.1"): ResponseHead {
  return { version, status, reason: "", headers: new HttpHeaders(headers), raw: new Uint8Array() };
}

function req(headers: [string, string][]): RequestHead {
  return {
    method: "POST",
    target: "/",
    version: "HTTP/1.1",
    headers: new HttpHeaders(headers),
    raw: new Uint8Array(),
  };
}

/** A source that returns `chunks` one per read and records what was pushed back. */
function source(chunks: Uint8Array[]): ByteSource & { back: Uint8Array[] } {
  const queue = [...chunks];
  const back: Uint8Array[] = [];
  return {
    back,
    read: () => Promise.resolve(back.shift() ?? queue.shift() ?? null),
    unread: (b) => void back.unshift(b),
  };
}

/** Splits text into chunks of `size` bytes. */
function pieces(text: string, size: number): Uint8Array[] {
  const bytes = enc.encode(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

Deno.test("parseContentLength() takes one number or equal repeats and refuses the rest", () => {
  assert.equal(parseContentLength(["0"]), 0);
  assert.equal(parseContentLength(["7", "7,7"]), 7);
  for (const bad of [["-1"], ["1.5"], ["abc"], [""], ["1 2"], ["+3"], ["1234567890123456"]]) {
    assert.throws(() => parseContentLength(bad), /invalid Content-Length/, JSON.stringify(bad));
  }
  assert.throws(() => parseContentLength(["3", "4"]), /conflicting Content-Length/);
  assert.throws(() => parseContentLength(["3, 4"]), /conflicting Content-Length/);
});

Deno.test("responseFraming() follows RFC 9112 §6.3", async (t) => {
  const cases: [string, ResponseHead, string, unknown, boolean][] = [
    ["HEAD", res(200, [["Content-Length", "9"]]), "HEAD", { kind: "none" }, true],
    ["1xx", res(103, []), "GET", { kind: "none" }, true],
    ["204", res(204, [["Content-Length", "9"]]), "GET", { kind: "none" }, true],
    ["304", res(304, [["Transfer-Encoding", "chunked"]]), "GET", { kind: "none" }, true],
    ["CONNECT 200", res(200, []), "CONNECT", { kind: "none" }, false],
    ["length", res(200, [["Content-Length", "9"]]), "GET", { kind: "length", length: 9 }, true],
    [
      "chunked",
      res(200, [["Transfer-Encoding", "gzip, chunked"]]),
      "GET",
      { kind: "chunked" },
      true,
    ],
    [
      "TE overrides CL, then close",
      res(200, [["Content-Length", "9"], ["Transfer-Encoding", "chunked"]]),
      "GET",
      {
        kind: "chunked",
      },
      false,
    ],
    ["TE not chunked", res(200, [["Transfer-Encoding", "gzip"]]), "GET", { kind: "close" }, false],
    ["no length", res(200, []), "GET", { kind: "close" }, false],
    [
      "HTTP/1.0 keep-alive",
      res(200, [["Content-Length", "1"], ["Connection", "keep-alive"]], "HTTP/1.0"),
      "GET",
      {
        kind: "length",
        length: 1,
      },
      true,
    ],
    ["HTTP/1.0", res(200, [["Content-Length", "1"]], "HTTP/1.0"), "GET", {
      kind: "length",
      length: 1,
    }, false],
    ["Connection: close", res(200, [["Content-Length", "1"], ["Connection", "Close"]]), "GET", {
      kind: "length",
      length: 1,
    }, false],
  ];
  for (const [name, head, method, framing, alive] of cases) {
    await t.step(name, () => {
      const out = responseFraming(head, method);
      assert.deepEqual(out.framing, framing);
      assert.equal(out.keepAlive, alive);
    });
  }
  await t.step("bad Content-Length", () => {
    assert.throws(() => responseFraming(res(200, [["Content-Length", "x"]]), "GET"), HttpError);
  });
  await t.step("chunked not last", () => {
    assert.throws(
      () => responseFraming(res(200, [["Transfer-Encoding", "chunked, gzip"]]), "GET"),
      /not the last/,
    );
  });
});

Deno.test("requestFraming() refuses ambiguous requests", () => {
  assert.deepEqual(requestFraming(req([])), { kind: "none" });
  assert.deepEqual(requestFraming(req([["Content-Length", "0"]])), { kind: "none" });
  assert.deepEqual(requestFraming(req([["Content-Length", "4"]])), { kind: "length", length: 4 });
  assert.throws(
    () => requestFraming(req([["Content-Length", "4"], ["Transfer-Encoding", "chunked"]])),
    /both/,
  );
  assert.throws(
    () => requestFraming(req([["Transfer-Encoding", "gzip"]])),
    /not ending in chunked/,
  );
  assert.throws(
    () => requestFraming(req([["Content-Length", "4"], ["Content-Length", "5"]])),
    /conflicting/,
  );
});

Deno.test("keepAlive() and expectsContinue()", () => {
  assert.ok(keepAlive("HTTP/1.1", new HttpHeaders([["Connection", "Keep-Alive, Upgrade"]])));
  assert.ok(!keepAlive("HTTP/1.1", new HttpHeaders([["Connection", "upgrade, close"]])));
  assert.ok(!expectsContinue(new HttpHeaders([["Expect", "200-ok"]])));
});

Deno.test("bodyStream() reads a Content-Length body at every chunk size and pushes back the rest", async () => {
  const text = "0123456789abcdefghijNEXT";
  for (let size = 1; size <= text.length; size++) {
    const src = source(pieces(text, size));
    let complete: boolean | null = null;
    const body = bodyStream(src, { kind: "length", length: 20 }, { onEnd: (c) => complete = c });
    assert.equal(await new Response(body).text(), "0123456789abcdefghij");
    assert.equal(complete, true);
    let rest = "";
    for (let c = await src.read(); c !== null; c = await src.read()) rest += dec.decode(c);
    assert.equal(rest, "NEXT", `size ${size}`);
  }
});

Deno.test("bodyStream() fails a truncated Content-Length body with kind body", async () => {
  let complete: boolean | null = null;
  const body = bodyStream(source([enc.encode("abc")]), { kind: "length", length: 10 }, {
    onEnd: (c) => complete = c,
  });
  await assert.rejects(new Response(body).text(), (e: unknown) => {
    assert.ok(e instanceof HttpError);
    assert.equal(e.kind, "body");
    assert.match(e.message, /after 3 of 10 body bytes/);
    return true;
  });
  assert.equal(complete, false);
});

Deno.test("bodyStream() reads a chunked body at every chunk size, with trailers", async () => {
  const text = "4;a=b\r\nWiki\r\n5\r\npedia\r\n0\r\nT: 1\r\n\r\nNEXT";
  for (let size = 1; size <= text.length; size++) {
    const src = source(pieces(text, size));
    let trailers: [string, string][] = [];
    const body = bodyStream(src, { kind: "chunked" }, { onTrailers: (t) => trailers = t });
    assert.equal(await new Response(body).text(), "Wikipedia");
    assert.deepEqual(trailers, [["T", "1"]]);
    let rest = "";
    for (let c = await src.read(); c !== null; c = await src.read()) rest += dec.decode(c);
    assert.equal(rest, "NEXT", `size ${size}`);
  }
});

Deno.test("bodyStream() fails a chunked body cut short", async () => {
  const body = bodyStream(source([enc.encode("5\r\nab")]), { kind: "chunked" });
  await assert.rejects(new Response(body).text(), /inside a chunked body/);
});

Deno.test("bodyStream() reads until close, and gives an empty body for none", async () => {
  let complete: boolean | null = null;
  const body = bodyStream(source(pieces("all of it", 2)), { kind: "close" }, {
    onEnd: (c) => complete = c,
  });
  assert.equal(await new Response(body).text(), "all of it");
  assert.equal(complete, true);
  let ended = false;
  const none = bodyStream(source([enc.encode("x")]), { kind: "none" }, {
    onEnd: () => ended = true,
  });
  assert.equal(await new Response(none).text(), "");
  assert.ok(ended);
});

Deno.test("bodyStream() maps source errors and reports cancel as incomplete", async () => {
  const failing: ByteSource = { read: () => Promise.reject(new Error("boom")), unread: () => {} };
  const body = bodyStream(failing, { kind: "close" }, {
    mapError: (e) => new HttpError("body", String(e)),
  });
  await assert.rejects(
    new Response(body).text(),
    (e: unknown) => e instanceof HttpError && e.kind === "body",
  );
  let complete: boolean | null = null;
  const big = bodyStream(source(pieces("x".repeat(100), 10)), { kind: "length", length: 100 }, {
    onEnd: (c) => complete = c,
  });
  const reader = big.getReader();
  await reader.read();
  await reader.cancel();
  assert.equal(complete, false);
});

Deno.test("bodyStream() pulls only as the reader asks (backpressure)", async () => {
  let reads = 0;
  const src: ByteSource = {
    read: () => {
      reads++;
      return Promise.resolve(new Uint8Array(10));
    },
    unread: () => {},
  };
  const reader = bodyStream(src, { kind: "close" }).getReader();
  await reader.read();
  await reader.read();
  await new Promise((r) => setTimeout(r, 0));
  assert.ok(reads <= 3, `read ${reads} times for 2 chunks`);
  await reader.cancel();
});
