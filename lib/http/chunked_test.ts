import assert from "node:assert/strict";
import { ChunkedDecoder, chunkedEncoder, encodeChunk, encodeLastChunk } from "./chunked.ts";
import { HttpError } from "./errors.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Decodes `bytes` pushed in pieces cut at `cuts`; returns data, rest and the decoder. */
function decodeSplit(bytes: Uint8Array, cuts: number[], lenient = false) {
  const d = new ChunkedDecoder({ lenient });
  let data = "";
  let rest = "";
  let done = false;
  let last = 0;
  for (const cut of [...cuts, bytes.length]) {
    const out = d.push(bytes.subarray(last, cut));
    last = cut;
    for (const piece of out.data) data += dec.decode(piece);
    if (done && (out.data.length > 0)) throw new Error("data after done");
    if (out.done) {
      rest += dec.decode(out.rest);
      done = true;
    }
  }
  return { data, rest, done, decoder: d };
}

const BODY = enc.encode(
  "5;name=value;flag\r\nhello\r\n7\r\n, world\r\nA\r\n0123456789\r\n0;last\r\nX-Checksum: 42\r\nX-Other: a b\r\n\r\nHTTP/1.1 200",
);

Deno.test("ChunkedDecoder decodes with extensions and trailers, split at every byte position", () => {
  for (let i = 0; i <= BODY.length; i++) {
    const { data, rest, done, decoder } = decodeSplit(BODY, [i]);
    assert.ok(done, `split at ${i}`);
    assert.equal(data, "hello, world0123456789");
    assert.equal(rest, "HTTP/1.1 200");
    assert.deepEqual(decoder.trailers, [["X-Checksum", "42"], ["X-Other", "a b"]]);
    assert.deepEqual(decoder.extensions, ["name=value;flag", "last"]);
  }
});

Deno.test("ChunkedDecoder decodes one byte at a time", () => {
  const cuts = Array.from({ length: BODY.length }, (_, i) => i);
  const { data, done } = decodeSplit(BODY, cuts);
  assert.ok(done);
  assert.equal(data, "hello, world0123456789");
});

Deno.test("ChunkedDecoder passes data through as views without copying", () => {
  const bytes = enc.encode("3\r\nabc\r\n0\r\n\r\n");
  const out = new ChunkedDecoder().push(bytes);
  assert.equal(out.data[0].buffer, bytes.buffer);
});

Deno.test("ChunkedDecoder accepts upper-case hex and whitespace before an extension", () => {
  const { data, done } = decodeSplit(enc.encode("A \t;x\r\n0123456789\r\n0\r\n\r\n"), []);
  assert.ok(done);
  assert.equal(data.length, 10);
});

Deno.test("ChunkedDecoder refuses bare LF unless lenient", () => {
  const bytes = enc.encode("3\nabc\n0\n\n");
  assert.throws(() => decodeSplit(bytes, []), /CRLF/);
  assert.equal(decodeSplit(bytes, [], true).data, "abc");
});

Deno.test("ChunkedDecoder refuses malformed input", async (t) => {
  const cases: [string, RegExp][] = [
    ["x\r\n", /invalid chunk size/],
    ["\r\n", /invalid chunk size/],
    ["-1\r\n", /invalid chunk size/],
    ["3 x\r\nabc\r\n", /invalid chunk size/],
    ["3\r\nabcd\r\n", /longer than its size/],
    ["FFFFFFFFFFFFFFFF\r\n", /chunk size too large/],
    ["0\r\nBad Trailer\r\n\r\n", /invalid chunked trailer/],
    ["1;a\0b\r\nx\r\n", /invalid chunk extension/],
  ];
  for (const [text, error] of cases) {
    await t.step(JSON.stringify(text), () => {
      const e = assert.throws(() => new ChunkedDecoder().push(enc.encode(text)), error);
      void e;
    });
  }
});

Deno.test("ChunkedDecoder bounds the size line, even without a line end", () => {
  const d = new ChunkedDecoder({ maxLineLength: 32 });
  assert.throws(() => d.push(enc.encode("1;" + "e".repeat(40))), /longer than 32 bytes/);
});

Deno.test("ChunkedDecoder bounds the trailers in size and count", () => {
  const big = new ChunkedDecoder({ maxTrailerSize: 64 });
  assert.throws(
    () => big.push(enc.encode(`0\r\nX: ${"v".repeat(100)}`)),
    /trailers larger than 64 bytes/,
  );
  const many = new ChunkedDecoder({ maxTrailers: 2 });
  assert.throws(
    () => many.push(enc.encode("0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n")),
    /more than 2 chunked trailers/,
  );
});

Deno.test("ChunkedDecoder errors are protocol HttpErrors carrying the bytes", () => {
  try {
    new ChunkedDecoder().push(enc.encode("zz\r\n"));
    assert.fail();
  } catch (e) {
    assert.ok(e instanceof HttpError);
    assert.equal(e.kind, "protocol");
    assert.equal(dec.decode(e.bytes), "zz\r\n");
  }
});

Deno.test("encodeChunk and encodeLastChunk round-trip through the decoder", () => {
  const parts = [
    encodeChunk(enc.encode("abc"), "x=1"),
    encodeChunk(new Uint8Array(300).fill(65)),
    encodeLastChunk([["T", "1"]]),
  ];
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const d = new ChunkedDecoder();
  const out = d.push(all);
  assert.ok(out.done);
  assert.equal(out.data.reduce((n, p) => n + p.length, 0), 303);
  assert.deepEqual(d.trailers, [["T", "1"]]);
  assert.deepEqual(d.extensions, ["x=1"]);
});

Deno.test("encodeChunk refuses empty data and CR/LF in an extension; encodeLastChunk bad trailers", () => {
  assert.throws(() => encodeChunk(new Uint8Array(0)), RangeError);
  assert.throws(() => encodeChunk(enc.encode("a"), "x\r\ny"), /invalid chunk extension/);
  assert.throws(() => encodeLastChunk([["T", "a\nb"]]), /invalid header value/);
});

Deno.test("chunkedEncoder() frames a stream and skips empty chunks", async () => {
  const out = ReadableStream.from([enc.encode("ab"), new Uint8Array(0), enc.encode("cde")])
    .pipeThrough(chunkedEncoder());
  assert.equal(await new Response(out).text(), "2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n");
});
