import assert from "node:assert/strict";
import { formatDouble, parseFloat64 } from "./bytes.ts";

const b = (s: string) => new TextEncoder().encode(s);

Deno.test("parseFloat64() accepts what strtod does and rejects NaN and spaces", () => {
  assert.equal(parseFloat64(b("1")), 1);
  assert.equal(parseFloat64(b(".5")), 0.5);
  assert.equal(parseFloat64(b("5.")), 5);
  assert.equal(parseFloat64(b("+inf")), Infinity);
  assert.equal(parseFloat64(b("-Infinity")), -Infinity);
  for (const bad of ["", "nan", "1 ", "0x10", "abc", "1e"]) {
    assert.equal(parseFloat64(b(bad)), undefined, bad);
  }
});

Deno.test("formatDouble() writes Redis's text", () => {
  assert.equal(formatDouble(1.5), "1.5");
  assert.equal(formatDouble(-3), "-3");
  assert.equal(formatDouble(123456789012345680000), "1.2345678901234568e+20");
  assert.equal(formatDouble(0.0001), "0.0001");
  assert.equal(formatDouble(0.1), "0.10000000000000001");
  assert.equal(formatDouble(12345.5), "12345.5");
  assert.equal(formatDouble(-1.1), "-1.1000000000000001");
  assert.equal(formatDouble(Infinity), "inf");
});
