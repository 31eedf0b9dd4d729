import assert from "node:assert/strict";
import type { RespValue } from "./value.ts";
import { encode, RespWriter } from "./writer.ts";

const dec = new TextDecoder();
const enc = new TextEncoder();
const bulk = (s: string): RespValue => ({ type: "bulk", value: enc.encode(s) });

Deno.test("encode() writes each type in RESP3 and its RESP2 stand-in", async (t) => {
  const cases: [RespValue, string, string][] = [
    [{ type: "simple", value: "OK" }, "+OK\r\n", "+OK\r\n"],
    [{ type: "error", value: "ERR x" }, "-ERR x\r\n", "-ERR x\r\n"],
    [{ type: "integer", value: -7 }, ":-7\r\n", ":-7\r\n"],
    [
      { type: "integer", value: 2n ** 63n - 1n },
      ":9223372036854775807\r\n",
      ":9223372036854775807\r\n",
    ],
    [bulk("héllo"), "$6\r\nhéllo\r\n", "$6\r\nhéllo\r\n"],
    [{ type: "null" }, "_\r\n", "$-1\r\n"],
    [{ type: "null", array: true }, "_\r\n", "*-1\r\n"],
    [{ type: "boolean", value: true }, "#t\r\n", ":1\r\n"],
    [{ type: "boolean", value: false }, "#f\r\n", ":0\r\n"],
    [{ type: "double", value: 1.5 }, ",1.5\r\n", "$3\r\n1.5\r\n"],
    [{ type: "double", value: -Infinity }, ",-inf\r\n", "$4\r\n-inf\r\n"],
    [{ type: "bignum", value: 10n ** 30n }, `(${10n ** 30n}\r\n`, `$31\r\n${10n ** 30n}\r\n`],
    [{ type: "bulkError", value: "SYNTAX bad" }, "!10\r\nSYNTAX bad\r\n", "-SYNTAX bad\r\n"],
    [{ type: "verbatim", format: "txt", value: "hi" }, "=6\r\ntxt:hi\r\n", "$2\r\nhi\r\n"],
    [
      { type: "array", value: [bulk("a"), { type: "null" }] },
      "*2\r\n$1\r\na\r\n_\r\n",
      "*2\r\n$1\r\na\r\n$-1\r\n",
    ],
    [
      { type: "map", value: [[bulk("k"), { type: "integer", value: 1 }]] },
      "%1\r\n$1\r\nk\r\n:1\r\n",
      "*2\r\n$1\r\nk\r\n:1\r\n",
    ],
    [{ type: "set", value: [bulk("a")] }, "~1\r\n$1\r\na\r\n", "*1\r\n$1\r\na\r\n"],
    [{ type: "push", value: [bulk("a")] }, ">1\r\n$1\r\na\r\n", "*1\r\n$1\r\na\r\n"],
    [
      { type: "integer", value: 1, attributes: [[bulk("a"), bulk("b")]] },
      "|1\r\n$1\r\na\r\n$1\r\nb\r\n:1\r\n",
      ":1\r\n",
    ],
  ];
  for (const [value, resp3, resp2] of cases) {
    await t.step(`${value.type} ${resp3.slice(0, 12).replace(/\r\n/g, "\\r\\n")}`, () => {
      assert.equal(dec.decode(encode(value, 3)), resp3);
      assert.equal(dec.decode(encode(value, 2)), resp2);
    });
  }
});

Deno.test("RespWriter turns CR and LF in simple strings and errors into spaces", () => {
  const out = new RespWriter();
  out.error("ERR a\r\nb");
  out.simple("x\ny");
  assert.equal(dec.decode(out.bytes()), "-ERR a  b\r\n+x y\r\n");
});

Deno.test("RespWriter grows past its initial capacity and keeps earlier bytes", () => {
  const out = new RespWriter(8);
  const big = "x".repeat(100_000);
  out.bulk("first");
  out.bulk(big);
  out.integer(12345678901);
  const text = dec.decode(out.bytes());
  assert.equal(text, `$5\r\nfirst\r\n$100000\r\n${big}\r\n:12345678901\r\n`);
});

Deno.test("RespWriter truncate() withdraws a reply begun and reset() empties", () => {
  const out = new RespWriter();
  out.ok();
  const mark = out.length;
  out.arrayHeader(3);
  out.truncate(mark);
  out.null();
  assert.equal(dec.decode(out.bytes()), "+OK\r\n$-1\r\n");
  out.reset();
  assert.equal(out.length, 0);
});

Deno.test("RespWriter writes bulk strings of bytes as they are", () => {
  const out = new RespWriter();
  out.bulk(Uint8Array.of(0, 255, 13, 10));
  assert.deepEqual(out.bytes(), Uint8Array.of(36, 52, 13, 10, 0, 255, 13, 10, 13, 10));
});

Deno.test("RespWriter bulkLatin1 writes one byte per char, past its initial capacity", () => {
  const out = new RespWriter(4);
  out.bulkLatin1("hi\xff\r");
  out.bulkLatin1("y".repeat(300));
  assert.deepEqual(
    out.bytes().subarray(0, 10),
    Uint8Array.of(36, 52, 13, 10, 104, 105, 255, 13, 13, 10),
  );
  assert.equal(dec.decode(out.bytes().subarray(10)), `$300\r\n${"y".repeat(300)}\r\n`);
});

Deno.test("RespWriter bulkRange writes a region of a buffer, past its initial capacity", () => {
  const out = new RespWriter(4);
  const data = Uint8Array.of(1, 2, 104, 105, 255, 3);
  out.bulkRange(data, 2, 5);
  out.bulkRange(data, 6, 6);
  out.bulkRange(new Uint8Array(300).fill(121), 0, 300);
  assert.deepEqual(
    out.bytes().subarray(0, 14),
    Uint8Array.of(36, 51, 13, 10, 104, 105, 255, 13, 10, 36, 48, 13, 10, 13),
  );
  assert.equal(dec.decode(out.bytes().subarray(15)), `$300\r\n${"y".repeat(300)}\r\n`);
});

Deno.test("RespWriter writes integers of every size and sign as Redis does", () => {
  const values = [0, 7, 10, 99, 100, 999_999_999, 1e9, 123_456_789_012, -1, -42, 2 ** 53, 1.5];
  const out = new RespWriter(4);
  for (const n of values) out.integer(n);
  out.integer(-9223372036854775808n);
  assert.equal(
    dec.decode(out.bytes()),
    values.map((n) => `:${n}\r\n`).join("") + ":-9223372036854775808\r\n",
  );
});
