import assert from "node:assert/strict";
import { HeadParser, type RequestHead, type ResponseHead } from "./head_parser.ts";
import { HttpError } from "./errors.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Feeds `bytes` split at `at` and returns the parsed head and the rest. */
function parseSplit<T extends RequestHead | ResponseHead>(
  p: HeadParser<T>,
  bytes: Uint8Array,
  cuts: number[],
) {
  let last = 0;
  for (const cut of [...cuts, bytes.length]) {
    const out = p.push(bytes.subarray(last, cut));
    last = cut;
    if (out) return { ...out, rest: new Uint8Array([...out.rest, ...bytes.subarray(cut)]) };
  }
  return undefined;
}

const RESPONSE = enc.encode(
  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Empty:\r\n\r\nBODY",
);

Deno.test("HeadParser parses a response head split at every byte position", () => {
  for (let i = 0; i <= RESPONSE.length; i++) {
    const out = parseSplit(HeadParser.response(), RESPONSE, [i]);
    assert.ok(out, `split at ${i}`);
    assert.equal(out.head.status, 200);
    assert.equal(out.head.reason, "OK");
    assert.equal(out.head.version, "HTTP/1.1");
    assert.deepEqual(out.head.headers.getAll("set-cookie"), ["a=1", "b=2"]);
    assert.equal(out.head.headers.get("x-empty"), "");
    assert.equal(dec.decode(out.rest), "BODY");
    assert.equal(dec.decode(out.head.raw), dec.decode(RESPONSE).slice(0, -4));
  }
});

Deno.test("HeadParser parses a response head fed one byte at a time", () => {
  const p = HeadParser.response();
  let result;
  for (let i = 0; i < RESPONSE.length && !result; i++) result = p.push(RESPONSE.subarray(i, i + 1));
  assert.ok(result);
  assert.equal(result.head.headers.get("content-type"), "text/plain");
});

Deno.test("HeadParser parses a request head split at every two positions", () => {
  const bytes = enc.encode("POST /a?b=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
  for (let i = 0; i <= bytes.length; i += 3) {
    for (let j = i; j <= bytes.length; j += 5) {
      const out = parseSplit(HeadParser.request(), bytes, [i, j]);
      assert.ok(out);
      assert.equal(out.head.method, "POST");
      assert.equal(out.head.target, "/a?b=1");
      assert.equal(dec.decode(out.rest), "abc");
    }
  }
});

Deno.test("HeadParser accepts bare LF line endings in responses", () => {
  const out = HeadParser.response().push(enc.encode("HTTP/1.0 404 Not Found\nA: 1\n\nx"))!;
  assert.equal(out.head.status, 404);
  assert.equal(out.head.version, "HTTP/1.0");
  assert.equal(out.head.headers.get("a"), "1");
  assert.equal(dec.decode(out.rest), "x");
});

Deno.test("HeadParser refuses bare LF line endings in requests", () => {
  assert.throws(() => HeadParser.request().push(enc.encode("GET / HTTP/1.1\nHost: x\n\n")), /CRLF/);
});

Deno.test("HeadParser refuses obs-fold in both kinds", () => {
  assert.throws(
    () => HeadParser.response().push(enc.encode("HTTP/1.1 200 OK\r\nA: 1\r\n  folded\r\n\r\n")),
    /obs-fold/,
  );
  assert.throws(
    () => HeadParser.request().push(enc.encode("GET / HTTP/1.1\r\nA: 1\r\n\tfolded\r\n\r\n")),
    /obs-fold/,
  );
});

Deno.test("HeadParser reports a garbage status line with its bytes, before the head ends", () => {
  const p = HeadParser.response();
  try {
    p.push(enc.encode("HTP/1.1 200 OK\r\n"));
    assert.fail("no error");
  } catch (e) {
    assert.ok(e instanceof HttpError);
    assert.equal(e.kind, "protocol");
    assert.equal(e.message, 'invalid status line: "HTP/1.1 200 OK\\r\\n"');
    assert.equal(dec.decode(e.bytes), "HTP/1.1 200 OK\r\n");
  }
  // Even the first bytes alone are enough to tell.
  assert.throws(() => HeadParser.response().push(enc.encode("<ht")), /invalid status line/);
});

Deno.test("HeadParser refuses malformed status and request lines", async (t) => {
  for (
    const line of [
      "HTTP/2 200 OK",
      "HTTP/1.1 20 OK",
      "HTTP/1.1 abc OK",
      "HTTP/1.1",
      "HTTP/1.1 099 x",
    ]
  ) {
    await t.step(line, () => {
      assert.throws(
        () => HeadParser.response().push(enc.encode(`${line}\r\n\r\n`)),
        /invalid status line/,
      );
    });
  }
  for (
    const line of [
      "GET /",
      "GET  / HTTP/1.1",
      "G(T / HTTP/1.1",
      "GET / HTTP/1.2",
      "GET /a b HTTP/1.1",
    ]
  ) {
    await t.step(line, () => {
      assert.throws(() => HeadParser.request().push(enc.encode(`${line}\r\n\r\n`)), HttpError);
    });
  }
});

Deno.test("HeadParser accepts a status line without a reason phrase", () => {
  const out = HeadParser.response().push(enc.encode("HTTP/1.1 204\r\n\r\n"))!;
  assert.equal(out.head.status, 204);
  assert.equal(out.head.reason, "");
});

Deno.test("HeadParser refuses bad header lines", async (t) => {
  const cases: [string, RegExp][] = [
    ["NoColon", /invalid header line/],
    [": empty-name", /invalid header line/],
    ["Bad Name: x", /invalid header name/],
    ["A: x\ry", /CR or NUL/],
    ["A: x\0y", /CR or NUL/],
  ];
  for (const [line, error] of cases) {
    await t.step(JSON.stringify(line), () => {
      assert.throws(
        () => HeadParser.response().push(enc.encode(`HTTP/1.1 200 OK\r\n${line}\r\n\r\n`)),
        error,
      );
    });
  }
});

Deno.test("HeadParser drops whitespace before the colon in responses, refuses it in requests", () => {
  const out = HeadParser.response().push(enc.encode("HTTP/1.1 200 OK\r\nA : 1\r\n\r\n"))!;
  assert.equal(out.head.headers.get("a"), "1");
  assert.throws(
    () => HeadParser.request().push(enc.encode("GET / HTTP/1.1\r\nA : 1\r\n\r\n")),
    /invalid header name/,
  );
});

Deno.test("HeadParser enforces the line length limit, even on an unfinished line", () => {
  const p = HeadParser.response({ maxLineLength: 64 });
  assert.throws(
    () => p.push(enc.encode(`HTTP/1.1 200 OK\r\nX: ${"a".repeat(100)}\r\n\r\n`)),
    /longer than 64 bytes/,
  );
  const q = HeadParser.response({ maxLineLength: 64 });
  q.push(enc.encode("HTTP/1.1 200 OK\r\nX: "));
  assert.throws(() => q.push(enc.encode("a".repeat(100))), /longer than 64 bytes/);
});

Deno.test("HeadParser enforces the header count and head size limits", () => {
  const many = Array.from({ length: 11 }, (_, i) => `H${i}: v`).join("\r\n");
  assert.throws(
    () =>
      HeadParser.response({ maxHeaders: 10 }).push(
        enc.encode(`HTTP/1.1 200 OK\r\n${many}\r\n\r\n`),
      ),
    /more than 10 header lines/,
  );
  const p = HeadParser.response({ maxHeadSize: 100 });
  assert.throws(() => {
    for (let i = 0; i < 20; i++) {
      p.push(enc.encode(`H${i}: vvvvvvvv\r\n`.replace(/^/, i === 0 ? "HTTP/1.1 200 OK\r\n" : "")));
    }
  }, /head larger than 100 bytes/);
});

Deno.test("HeadParser skips empty lines before the start line", () => {
  const out = HeadParser.response().push(enc.encode("\r\nHTTP/1.1 200 OK\r\n\r\n"))!;
  assert.equal(out.head.status, 200);
});

Deno.test("HeadParser decodes UTF-8 header values and keeps invalid bytes as latin1", () => {
  const utf = HeadParser.response().push(
    new Uint8Array([...enc.encode("HTTP/1.1 200 OK\r\nX: "), 0xc3, 0xa9, 13, 10, 13, 10]),
  )!;
  assert.equal(utf.head.headers.get("x"), "é");
  const raw = HeadParser.response().push(
    new Uint8Array([...enc.encode("HTTP/1.1 200 OK\r\nX: "), 0xe9, 13, 10, 13, 10]),
  )!;
  assert.equal(raw.head.headers.get("x"), "\u00e9");
});

Deno.test("HeadParser.received() shows what came before an early close", () => {
  const p = HeadParser.response();
  p.push(enc.encode("HTTP/1.1 200 OK\r\nA"));
  assert.equal(dec.decode(p.received()), "HTTP/1.1 200 OK\r\nA");
  assert.equal(p.empty, false);
});
