import assert from "node:assert/strict";
import { splitArgs } from "./split_args.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function split(s: string): string[] | undefined {
  return splitArgs(enc.encode(s))?.map((a) => dec.decode(a));
}

Deno.test("splitArgs() follows Redis's sdssplitargs", async (t) => {
  const cases: [string, string[] | undefined][] = [
    ["", []],
    ["   ", []],
    ["get k", ["get", "k"]],
    ["  set\tk   v  ", ["set", "k", "v"]],
    ['set "a b" c', ["set", "a b", "c"]],
    ['"\\n\\r\\t\\b\\a\\\\\\"x"', ['\n\r\t\b\x07\\"x']],
    ['"\\x41\\x4a\\xzz"', ["AJxzz"]],
    ["'a\\'b' 'c\\n'", ["a'b", "c\\n"]],
    ['ab"cd"', ["abcd"]],
    ['"" x', ["", "x"]],
    ['"open', undefined],
    ["'open", undefined],
    ['"a"b', undefined],
    ["'a'b", undefined],
  ];
  for (const [input, expected] of cases) {
    await t.step(JSON.stringify(input), () => assert.deepEqual(split(input), expected));
  }
});

Deno.test("splitArgs() keeps bytes that are not UTF-8", () => {
  const line = Uint8Array.of(115, 32, 0xff, 0xfe, 32, 34, 0x80, 34);
  assert.deepEqual(splitArgs(line), [
    Uint8Array.of(115),
    Uint8Array.of(0xff, 0xfe),
    Uint8Array.of(0x80),
  ]);
});
