import assert from "node:assert/strict";
import {
  decodeRecord,
  encodeRecord,
  FLAG_TOMBSTONE,
  HEADER_SIZE,
  keyFromString,
  keyToString,
  recordSize,
} from "./format.ts";

const enc = new TextEncoder();

function record(key: string, value: string, ts = 1_700_000_000_123, exp = 0, flags = 0) {
  const k = enc.encode(key);
  const v = enc.encode(value);
  const out = new Uint8Array(recordSize(k.length, v.length));
  encodeRecord(out, 0, k, v, ts, exp, flags);
  return out;
}

Deno.test("encodeRecord() lays out the header little-endian as documented", () => {
  const r = record("ab", "xyz", 0x0102_0304_0506, 7, 0);
  assert.equal(r.length, HEADER_SIZE + 5);
  assert.deepEqual([...r.subarray(4, 12)], [6, 5, 4, 3, 2, 1, 0, 0]);
  assert.deepEqual([...r.subarray(12, 20)], [7, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...r.subarray(20, 29)], [2, 0, 0, 0, 3, 0, 0, 0, 0]);
  assert.equal(new TextDecoder().decode(r.subarray(29)), "abxyz");
});

Deno.test("decodeRecord() reads back every field", () => {
  const d = decodeRecord(
    record("key", "value", 123456789012, 987654321098, FLAG_TOMBSTONE & 0),
    0,
  )!;
  assert.equal(d.timestamp, 123456789012);
  assert.equal(d.expiry, 987654321098);
  assert.equal(new TextDecoder().decode(d.key), "key");
  assert.equal(new TextDecoder().decode(d.value), "value");
  assert.equal(d.size, HEADER_SIZE + 8);
});

Deno.test("decodeRecord() returns undefined for every cut short of the whole record", () => {
  const r = record("key", "value");
  for (let n = 0; n < r.length; n++) assert.equal(decodeRecord(r.subarray(0, n), 0), undefined);
});

Deno.test("decodeRecord() returns null for every single bit flip", () => {
  const r = record("key", "value");
  for (let bit = 0; bit < r.length * 8; bit++) {
    const c = r.slice();
    c[bit >> 3] ^= 1 << (bit & 7);
    const d = decodeRecord(c, 0);
    // A flip in a length field may make the record look longer than the bytes: torn, not loaded.
    assert.ok(d === null || d === undefined, `bit ${bit}`);
  }
});

Deno.test("decodeRecord() refuses unknown flags and tombstones with values", () => {
  const bad = record("k", "v", 1, 0, 16);
  assert.equal(decodeRecord(bad, 0), null);
  const k = enc.encode("k");
  const t = new Uint8Array(recordSize(1, 1));
  encodeRecord(t, 0, k, enc.encode("v"), 1, 0, FLAG_TOMBSTONE);
  assert.equal(decodeRecord(t, 0), null);
});

Deno.test("keyToString() keeps byte order for short and long keys", () => {
  const keys = [[0], [0, 0], [1], [255], [255, 0], Array.from({ length: 100 }, (_, i) => i)];
  for (const k of keys) {
    const b = Uint8Array.from(k);
    assert.deepEqual(keyFromString(keyToString(b)), b);
  }
  assert.ok(keyToString(Uint8Array.of(0x7f)) < keyToString(Uint8Array.of(0x80)));
  assert.ok(keyToString(Uint8Array.of(1)) < keyToString(Uint8Array.of(1, 0)));
});
