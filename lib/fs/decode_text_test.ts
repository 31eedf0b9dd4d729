import assert from "node:assert/strict";
import { decodeUtf8 } from "./decode_text.ts";

Deno.test("decodeUtf8() gives what TextDecoder gives, ASCII or not", () => {
  const cases = ["", "ascii only\n", "naïve café 😀", "a\u0000b", "\u007f"];
  for (const text of cases) {
    const bytes = new TextEncoder().encode(text);
    assert.equal(decodeUtf8(bytes), new TextDecoder().decode(bytes));
  }
  const invalid = new Uint8Array([0x61, 0xff, 0x62]);
  assert.equal(decodeUtf8(invalid), new TextDecoder().decode(invalid));
});

Deno.test("decodeUtf8() decodes a view into a larger buffer", () => {
  const bytes = new TextEncoder().encode("xxhelloxx").subarray(2, 7);
  assert.equal(decodeUtf8(bytes), "hello");
});
