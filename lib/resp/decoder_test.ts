import assert from "node:assert/strict";
import { decodeFrame, RespDecoder } from "./decoder.ts";
import { RespProtocolError } from "./errors.ts";
import type { RespValue } from "./value.ts";
import { encode } from "./writer.ts";

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);

function decodeAll(input: string | Uint8Array, limits = {}): RespValue[] {
  const decoder = new RespDecoder(limits);
  decoder.push(typeof input === "string" ? bytes(input) : input);
  const out: RespValue[] = [];
  for (let v = decoder.next(); v !== undefined; v = decoder.next()) out.push(v);
  return out;
}

const bulk = (s: string): RespValue => ({ type: "bulk", value: bytes(s) });
const int = (n: number): RespValue => ({ type: "integer", value: n });

Deno.test("RespDecoder decodes every RESP3 type", async (t) => {
  const cases: [string, RespValue][] = [
    ["+OK\r\n", { type: "simple", value: "OK" }],
    ["-ERR bad\r\n", { type: "error", value: "ERR bad" }],
    [":-42\r\n", int(-42)],
    [":9223372036854775807\r\n", { type: "integer", value: 9223372036854775807n }],
    ["$5\r\nhe\r\no\r\n", bulk("he\r\no")],
    ["$0\r\n\r\n", bulk("")],
    ["$-1\r\n", { type: "null" }],
    ["*-1\r\n", { type: "null", array: true }],
    ["_\r\n", { type: "null" }],
    ["#t\r\n", { type: "boolean", value: true }],
    ["#f\r\n", { type: "boolean", value: false }],
    [",3.25\r\n", { type: "double", value: 3.25 }],
    [",-1e10\r\n", { type: "double", value: -1e10 }],
    [",inf\r\n", { type: "double", value: Infinity }],
    [",-inf\r\n", { type: "double", value: -Infinity }],
    ["(3492890328409238509324850943850943825024385\r\n", {
      type: "bignum",
      value: 3492890328409238509324850943850943825024385n,
    }],
    ["!21\r\nSYNTAX invalid syntax\r\n", { type: "bulkError", value: "SYNTAX invalid syntax" }],
    ["=15\r\ntxt:Some string\r\n", { type: "verbatim", format: "txt", value: "Some string" }],
    ["*2\r\n:1\r\n$1\r\na\r\n", { type: "array", value: [int(1), bulk("a")] }],
    ["*0\r\n", { type: "array", value: [] }],
    ["%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n", {
      type: "map",
      value: [[{ type: "simple", value: "a" }, int(1)], [{ type: "simple", value: "b" }, int(2)]],
    }],
    ["~2\r\n:1\r\n:2\r\n", { type: "set", value: [int(1), int(2)] }],
    [">2\r\n+message\r\n+hi\r\n", {
      type: "push",
      value: [{ type: "simple", value: "message" }, { type: "simple", value: "hi" }],
    }],
    ["*2\r\n*1\r\n*0\r\n%0\r\n", {
      type: "array",
      value: [{ type: "array", value: [{ type: "array", value: [] }] }, { type: "map", value: [] }],
    }],
  ];
  for (const [input, expected] of cases) {
    await t.step(JSON.stringify(input), () => assert.deepEqual(decodeAll(input), [expected]));
  }
  await t.step("nan", () => {
    const [v] = decodeAll(",nan\r\n");
    assert.ok(v.type === "double" && Number.isNaN(v.value));
  });
});

Deno.test("RespDecoder attaches an attribute to the value after it, at any level", () => {
  const [top] = decodeAll("|1\r\n+ttl\r\n:3\r\n*2\r\n|1\r\n+a\r\n#t\r\n:1\r\n:2\r\n");
  assert.deepEqual(top.attributes, [[{ type: "simple", value: "ttl" }, int(3)]]);
  assert.equal(top.type, "array");
  const items = (top as { value: RespValue[] }).value;
  assert.equal(items.length, 2);
  assert.deepEqual(items[0], {
    ...int(1),
    attributes: [[{ type: "simple", value: "a" }, { type: "boolean", value: true }]],
  });
  assert.deepEqual(items[1], int(2));
});

Deno.test("RespDecoder resumes a nested value cut at every byte", () => {
  const text = "*3\r\n%1\r\n+k\r\n$3\r\nabc\r\n~1\r\n,1.5\r\n|1\r\n+x\r\n+y\r\n:7\r\n+next\r\n";
  const whole = decodeAll(text);
  assert.equal(whole.length, 2);
  for (let cut = 0; cut <= text.length; cut++) {
    const decoder = new RespDecoder();
    const got: RespValue[] = [];
    decoder.push(bytes(text.slice(0, cut)));
    for (let v = decoder.next(); v; v = decoder.next()) got.push(v);
    decoder.push(bytes(text.slice(cut)));
    for (let v = decoder.next(); v; v = decoder.next()) got.push(v);
    assert.deepEqual(got, whole, `cut at ${cut}`);
    assert.equal(decoder.partial, false);
  }
});

Deno.test("RespDecoder reports a partial value", () => {
  const decoder = new RespDecoder();
  decoder.push(bytes("*2\r\n:1\r\n"));
  assert.equal(decoder.next(), undefined);
  assert.equal(decoder.partial, true);
});

Deno.test("RespDecoder round-trips what RespWriter writes, in RESP2 and RESP3", () => {
  const value: RespValue = {
    type: "array",
    value: [bulk("x"), int(5), { type: "null" }, { type: "array", value: [bulk("")] }],
  };
  assert.deepEqual(decodeAll(encode(value, 3)), [value]);
  assert.deepEqual(decodeAll(encode(value, 2)), [value]);
  const map: RespValue = { type: "map", value: [[bulk("a"), { type: "double", value: 2.5 }]] };
  assert.deepEqual(decodeAll(encode(map, 3)), [map]);
  assert.deepEqual(decodeAll(encode(map, 2)), [{ type: "array", value: [bulk("a"), bulk("2.5")] }]);
});

Deno.test("RespDecoder rejects malformed input and broken limits", async (t) => {
  const cases: [string, string, Record<string, number>?][] = [
    ["?\r\n", "Protocol error: unexpected byte '?'"],
    ["$x\r\n", "Protocol error: invalid bulk length"],
    ["$-2\r\n", "Protocol error: invalid bulk length"],
    ["$3\r\nabcde\r\n", "Protocol error: bulk string not followed by CRLF"],
    ["$11\r\n", "Protocol error: invalid bulk length", { maxBulkLength: 10 }],
    ["*3\r\n", "Protocol error: invalid multibulk length", { maxAggregateLength: 2 }],
    ["%-1\r\n", "Protocol error: invalid multibulk length"],
    ["*1\r\n*1\r\n*1\r\n:1\r\n", "Protocol error: nesting too deep", { maxDepth: 2 }],
    ["+" + "a".repeat(100), "Protocol error: too big line", { maxInlineLength: 50 }],
    [":12a\r\n", "Protocol error: invalid integer"],
    ["#x\r\n", "Protocol error: invalid boolean"],
    ["_x\r\n", "Protocol error: invalid null"],
    [",1.2.3x\r\n", "Protocol error: invalid double"],
    ["(12a\r\n", "Protocol error: invalid big number"],
    ["=2\r\nab\r\n", "Protocol error: invalid verbatim string"],
    ["+a\rb\r\n", "Protocol error: expected LF after CR"],
  ];
  for (const [input, message, limits] of cases) {
    await t.step(message, () => {
      assert.throws(
        () => decodeAll(input, limits),
        (e: unknown) => e instanceof RespProtocolError && e.message === message,
      );
    });
  }
});

Deno.test("RespDecoder parses a deep array that reaches the depth limit exactly", () => {
  const [v] = decodeAll("*1\r\n*1\r\n:1\r\n", { maxDepth: 2 });
  assert.deepEqual(v, { type: "array", value: [{ type: "array", value: [int(1)] }] });
});

Deno.test("decodeFrame() returns undefined on a partial bulk string", () => {
  assert.equal(decodeFrame(bytes("$10\r\nabc")), undefined);
  assert.deepEqual(decodeFrame(bytes(":1\r\n:2\r\n")), { value: int(1), length: 4 });
});

Deno.test("RespDecoder decodes a large array pushed in many chunks without re-parsing", () => {
  const n = 50_000;
  let text = `*${n}\r\n`;
  for (let i = 0; i < n; i++) text += `:${i}\r\n`;
  const data = bytes(text);
  const decoder = new RespDecoder();
  let value: RespValue | undefined;
  for (let i = 0; i < data.length; i += 100) {
    decoder.push(data.subarray(i, i + 100));
    value = decoder.next() ?? value;
  }
  assert.equal(value?.type, "array");
  assert.equal((value as { value: RespValue[] }).value.length, n);
});
