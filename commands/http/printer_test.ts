import assert from "node:assert/strict";
import { palette } from "../../lib/cli/color.ts";
import {
  formatBody,
  formatJson,
  formatMeta,
  formatRequestHead,
  formatResponseHead,
  formatTiming,
  isBinary,
} from "./printer.ts";

const plain = { colors: palette(false) };
const colored = { colors: palette(true), format: true };
const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("formatRequestHead() is the wire bytes unformatted, LF lines when formatted", () => {
  const head = {
    method: "POST",
    target: "/p?q=1",
    version: "HTTP/1.1",
    headers: [["Host", "x:1"], ["Content-Length", "2"]] as [string, string][],
  };
  assert.equal(
    formatRequestHead(head, plain),
    "POST /p?q=1 HTTP/1.1\r\nHost: x:1\r\nContent-Length: 2\r\n\r\n",
  );
  assert.equal(
    formatRequestHead(head, { ...plain, format: true }),
    "POST /p?q=1 HTTP/1.1\nHost: x:1\nContent-Length: 2\n\n",
  );
});

Deno.test("formatRequestHead() and formatResponseHead() colour exactly", () => {
  const req = formatRequestHead(
    { method: "GET", target: "/", version: "HTTP/1.1", headers: [["A", "b"]] },
    colored,
  );
  assert.equal(
    req,
    "\x1b[32mGET\x1b[39m \x1b[36m/\x1b[39m \x1b[34mHTTP\x1b[39m/\x1b[34m1.1\x1b[39m\n" +
      "\x1b[36mA\x1b[39m: b\n\n",
  );
  const res = formatResponseHead(
    { version: "HTTP/1.1", status: 404, reason: "Not Found", headers: [] },
    colored,
  );
  assert.equal(
    res,
    "\x1b[34mHTTP\x1b[39m/\x1b[34m1.1\x1b[39m \x1b[31m404\x1b[39m \x1b[31mNot Found\x1b[39m\n\n",
  );
  const ok = formatResponseHead(
    { version: "HTTP/1.0", status: 200, reason: "", headers: [] },
    plain,
  );
  assert.equal(ok, "HTTP/1.0 200\r\n\r\n");
});

Deno.test("formatJson() indents by four spaces like Python's json.dumps(indent=4)", () => {
  const text =
    '{"a": 1, "b": [true, null, {"c": "d"}], "e": [], "f": {}, "g": 1.50, "h": "\\u00e9\\n"}';
  assert.equal(
    formatJson(text, palette(false)),
    `{
    "a": 1,
    "b": [
        true,
        null,
        {
            "c": "d"
        }
    ],
    "e": [],
    "f": {},
    "g": 1.50,
    "h": "é\\n"
}`,
  );
  assert.equal(formatJson("[]", palette(false)), "[]");
  assert.equal(formatJson('"s"', palette(false)), '"s"');
  assert.equal(formatJson("{", palette(false)), null);
  assert.equal(formatJson("", palette(false)), null);
});

Deno.test("formatJson() colours keys, strings, numbers and literals", () => {
  assert.equal(
    formatJson('{"k":"v","n":-2e3,"t":false}', palette(true)),
    '{\n    \x1b[34m"k"\x1b[39m: \x1b[33m"v"\x1b[39m,\n    \x1b[34m"n"\x1b[39m: \x1b[36m-2e3\x1b[39m,\n' +
      '    \x1b[34m"t"\x1b[39m: \x1b[35mfalse\x1b[39m\n}',
  );
});

Deno.test("formatBody() formats JSON by type or content, and leaves other text alone", () => {
  const json = enc('{"a":1}');
  assert.equal(
    formatBody(json, { ...plain, format: true, contentType: "application/json" }),
    '{\n    "a": 1\n}',
  );
  assert.equal(
    formatBody(json, { ...plain, format: true, contentType: "text/plain" }),
    '{\n    "a": 1\n}',
  );
  assert.equal(formatBody(json, { ...plain, format: true, contentType: "image/x" }), '{"a":1}');
  assert.equal(
    formatBody(json, { ...plain, format: false, contentType: "application/json" }),
    '{"a":1}',
  );
  assert.equal(formatBody(enc("<p>"), { ...plain, format: true, contentType: "text/html" }), "<p>");
  const latin1 = new Uint8Array([0xe9]);
  assert.equal(
    formatBody(latin1, { ...plain, contentType: "text/plain; charset=iso-8859-1" }),
    "é",
  );
});

Deno.test("isBinary() looks for a NUL byte", () => {
  assert.equal(isBinary(new Uint8Array([1, 2, 0])), true);
  assert.equal(isBinary(enc("text")), false);
});

Deno.test("formatMeta() and formatTiming() print exact lines", () => {
  assert.equal(formatMeta({ elapsedMs: 1500 }, plain), "Elapsed time: 1.5s\n");
  assert.equal(
    formatTiming({ dns: 0.5, connect: 1, tls: 0, firstByte: 2.25, total: 4, size: 2000000 }, plain),
    "dns        0.500 ms\n" +
      "connect    1.000 ms\n" +
      "tls        0.000 ms\n" +
      "first byte 2.250 ms\n" +
      "total      4.000 ms\n" +
      "size       2000000 bytes\n" +
      "speed      500.0 MB/s\n",
  );
});

Deno.test("formatJson without re-indenting colours the tokens and keeps the layout as sent", () => {
  const sent = '{"name" : "kit",\n  "list":[1, 2.50, true, null], "u": "\\u00e9"}';
  const coloured = formatJson(sent, palette(true), false)!;
  assert.notEqual(coloured, sent);
  // deno-lint-ignore no-control-regex
  assert.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ""), sent);
  assert.ok(coloured.includes('\x1b[34m"name"'), "keys in blue");
});
