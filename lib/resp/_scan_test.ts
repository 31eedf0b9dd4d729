import assert from "node:assert/strict";
import { ascii, parseInteger } from "./_scan.ts";

const enc = new TextEncoder();
const parse = (s: string) => parseInteger(enc.encode(s), 0, s.length);

Deno.test("parseInteger() follows Redis's string2ll", () => {
  assert.equal(parse("0"), 0);
  assert.equal(parse("123"), 123);
  assert.equal(parse("-5"), -5);
  for (const bad of ["", "-", "+1", "01", "-0", "1a", " 1", "12345678901234567890"]) {
    assert.ok(Number.isNaN(parse(bad)), bad);
  }
});

Deno.test("ascii() reads a range", () => {
  assert.equal(ascii(enc.encode("xPINGx"), 1, 5), "PING");
});
