import assert from "node:assert/strict";
import { crc32c } from "./crc32c.ts";

const enc = new TextEncoder();

// Vectors from RFC 3720 (iSCSI) appendix B.4 and the common "123456789" check value.
Deno.test("crc32c() matches the published check values", () => {
  assert.equal(crc32c(enc.encode("123456789")), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
  assert.equal(crc32c(new Uint8Array(0)), 0);
});

Deno.test("crc32c() in pieces equals crc32c() of the whole", () => {
  const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31 + 7) & 0xff);
  for (const cut of [0, 1, 7, 8, 9, 500, 999, 1000]) {
    const first = crc32c(data, 0, cut);
    assert.equal(crc32c(data, cut, data.length, first), crc32c(data), `cut at ${cut}`);
  }
});

Deno.test("crc32c() changes on any single bit flip", () => {
  const data = enc.encode("a record with a key and a value");
  const good = crc32c(data);
  for (let bit = 0; bit < data.length * 8; bit++) {
    const copy = data.slice();
    copy[bit >> 3] ^= 1 << (bit & 7);
    assert.notEqual(crc32c(copy), good);
  }
});

Deno.test("crc32c() gives the same result at every alignment of a long input", () => {
  const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 131 + 3) & 0xff);
  const want = crc32c(data.slice(7, 4007).slice());
  for (let shift = 0; shift < 8; shift++) {
    const buf = new Uint8Array(5000 + shift);
    buf.set(data, shift);
    assert.equal(crc32c(buf, shift + 7, shift + 4007), want, `shift ${shift}`);
    assert.equal(crc32c(buf.subarray(shift + 7, shift + 4007)), want, `view shift ${shift}`);
  }
  // The byte-at-a-time reference, from the definition.
  let c = ~0;
  for (const byte of data.subarray(7, 4007)) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  assert.equal(want, ~c >>> 0);
});
