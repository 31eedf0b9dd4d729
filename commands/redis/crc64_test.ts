import assert from "node:assert/strict";
import { Crc64, crc64 } from "./crc64.ts";

Deno.test("crc64() matches Redis's test vector and the empty input", () => {
  assert.equal(crc64(new TextEncoder().encode("123456789")), 0xe9c6d914c4b8d9can);
  assert.equal(crc64(new Uint8Array()), 0n);
});

Deno.test("Crc64.bytes() is the value little-endian, as the RDB trailer stores it", () => {
  const crc = new Crc64();
  crc.update(new TextEncoder().encode("123456789"));
  assert.deepEqual(
    [...crc.bytes()],
    [0xca, 0xd9, 0xb8, 0xc4, 0x14, 0xd9, 0xc6, 0xe9],
  );
});
