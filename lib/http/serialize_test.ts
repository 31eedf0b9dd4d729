import assert from "node:assert/strict";
import { serializeRequestHead, serializeResponseHead } from "./serialize.ts";
import { HttpError } from "./errors.ts";

const dec = new TextDecoder();

Deno.test("serializeRequestHead() writes the request line and headers in order", () => {
  const bytes = serializeRequestHead("PUT", "http://a/b", [["Host", "a"], ["X", "1"], ["x", "2"]]);
  assert.equal(dec.decode(bytes), "PUT http://a/b HTTP/1.1\r\nHost: a\r\nX: 1\r\nx: 2\r\n\r\n");
});

Deno.test("serializeRequestHead() writes UTF-8 header values", () => {
  const bytes = serializeRequestHead("GET", "/", [["X", "é"]]);
  assert.deepEqual([...bytes.subarray(19, 21)], [0xc3, 0xa9]);
});

Deno.test("serializeRequestHead() refuses CR, LF and NUL everywhere", async (t) => {
  const cases: [string, string, [string, string][]][] = [
    ["GET\r\n", "/", []],
    ["GET", "/a\r\nX: y", []],
    ["GET", "/a b", []],
    ["GET", "", []],
    ["GET", "/", [["X\r\nY", "1"]]],
    ["GET", "/", [["X", "1\r\nY: 2"]]],
    ["GET", "/", [["X", "1\0"]]],
    ["GET", "/", [["X", "1\n"]]],
    ["GET", "/", [["", "1"]]],
  ];
  for (const [method, target, headers] of cases) {
    await t.step(JSON.stringify([method, target, headers]), () => {
      const e = assert.throws(() => serializeRequestHead(method, target, headers), HttpError);
      void e;
      try {
        serializeRequestHead(method, target, headers);
      } catch (error) {
        assert.equal((error as HttpError).kind, "invalid-request");
      }
    });
  }
});

Deno.test("serializeResponseHead() writes a status line and refuses bad input", () => {
  assert.equal(
    dec.decode(serializeResponseHead(200, "OK", [], "HTTP/1.0")),
    "HTTP/1.0 200 OK\r\n\r\n",
  );
  assert.throws(() => serializeResponseHead(99, "x", []), RangeError);
  assert.throws(() => serializeResponseHead(200, "a\r\nb", []), RangeError);
  assert.throws(() => serializeResponseHead(200, "OK", [["A", "\n"]]), HttpError);
});
