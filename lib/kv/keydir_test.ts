import assert from "node:assert/strict";
import { Keydir } from "./keydir.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

Deno.test("Keydir agrees with a Map under random puts and removes, through growth and rehash", () => {
  const kd = new Keydir(4);
  const ref = new Map<string, number>();
  const r = rng(3);
  for (let i = 0; i < 50_000; i++) {
    const k = `k${Math.floor(r() * 8000)}`;
    const key = enc.encode(k);
    if (r() < 0.35) {
      const slot = kd.lookup(key);
      assert.equal(slot >= 0, ref.has(k));
      if (slot >= 0) kd.remove(slot);
      ref.delete(k);
    } else {
      const slot = kd.put(key, i % 9, i, 30 + (i % 100), 0);
      assert.equal(kd.created, !ref.has(k));
      ref.set(k, i);
      assert.equal(kd.off[slot], i);
    }
  }
  assert.equal(kd.count, ref.size);
  for (const [k, off] of ref) {
    const slot = kd.lookup(enc.encode(k));
    assert.ok(slot >= 0, k);
    assert.equal(kd.off[slot], off);
    assert.equal(dec.decode(kd.key(slot)), k);
  }
  let live = 0;
  for (let s = 0; s < kd.slots; s++) if (kd.len[s] !== 0) live++;
  assert.equal(live, ref.size);
  assert.equal(kd.lookup(enc.encode("never")), -1);
});

Deno.test("Keydir looks up a key inside a larger buffer and tells binary keys apart", () => {
  const kd = new Keydir();
  const a = kd.put(Uint8Array.of(0, 1, 2), 1, 0, 40, 0);
  const b = kd.put(Uint8Array.of(0, 1), 1, 40, 40, 0);
  assert.notEqual(a, b);
  assert.equal(kd.lookup(Uint8Array.of(9, 0, 1, 2, 9), 1, 4), a);
  assert.equal(kd.lookup(Uint8Array.of(0, 1)), b);
  assert.equal(kd.put(Uint8Array.of(0, 1), 2, 80, 41, 99), b);
  assert.equal(kd.created, false);
  assert.equal(kd.exp[b], 99);
  kd.remove(a);
  assert.equal(kd.put(Uint8Array.of(7), 1, 0, 30, 0), a, "a freed slot is reused");
});
