import assert from "node:assert/strict";
import { RSet } from "./set.ts";

Deno.test("RSet removes by swapping and picks random members", () => {
  const s = new RSet();
  for (let i = 0; i < 10; i++) s.add(String(i));
  assert.ok(s.delete("3"));
  assert.ok(!s.has("3"));
  assert.equal(s.size, 9);
  for (let i = 0; i < 20; i++) assert.ok(s.has(s.random()!));
  assert.equal(s.encoding(), "intset");
  const copy = s.clone();
  copy.add("x".repeat(65));
  assert.equal(copy.encoding(), "hashtable");
  assert.equal(s.encoding(), "intset");
  assert.equal(new RSet().random(), undefined);
});

Deno.test("RSet agrees with a Set through adds and removes, by string and by bytes", () => {
  const s = new RSet();
  const model = new Set<string>();
  const enc = (m: string) => Uint8Array.from(m, (c) => c.charCodeAt(0));
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  // Through the small form (no index), growth, removals that leave tombstones, and back.
  for (let step = 0; step < 20_000; step++) {
    const m = `m${next() % (step < 10_000 ? 3000 : 40)}\xff`;
    const op = next() % 4;
    if (op === 0) assert.equal(s.add(m), !model.has(m) && !!model.add(m));
    else if (op === 1) assert.equal(s.addBytes(enc(m)), !model.has(m) && !!model.add(m));
    else assert.equal(s.delete(m), model.delete(m));
    if (step % 997 === 0) {
      assert.equal(s.size, model.size);
      assert.deepEqual([...s].sort(), [...model].sort());
      for (const x of model) assert.ok(s.has(x) && s.hasBytes(enc(x)), x);
    }
  }
  assert.equal(s.size, model.size);
  for (const x of model) assert.ok(s.delete(x));
  assert.equal(s.size, 0);
  assert.ok(!s.has("m1\xff") && !s.hasBytes(enc("m1\xff")));
  assert.equal(s.encoding(), "hashtable");
});
