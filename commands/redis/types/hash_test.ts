import assert from "node:assert/strict";
import { Hash } from "./hash.ts";

Deno.test("Hash turns into a hashtable past 128 fields and stays one", () => {
  const h = new Hash();
  for (let i = 0; i < 128; i++) h.set(`f${i}`, new Uint8Array(1));
  assert.equal(h.encoding(), "listpack");
  h.set("one-more", new Uint8Array(1));
  assert.equal(h.encoding(), "hashtable");
  h.delete("one-more");
  assert.equal(h.encoding(), "hashtable");
  assert.equal(h.clone().encoding(), "hashtable");
});

Deno.test("Hash agrees with a Map through sets and deletes, by string and by bytes, in order", () => {
  const h = new Hash();
  const model = new Map<string, string>();
  const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const text = (v: string | Uint8Array | undefined) =>
    v === undefined || typeof v === "string" ? v : String.fromCharCode(...v);
  let seed = 3;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  // Through the small form (no index), growth, deletes that leave holes and packing.
  for (let step = 0; step < 20_000; step++) {
    const f = `f${next() % (step < 10_000 ? 2000 : 30)}\xe9`;
    const v = `v${next() % 3}`;
    const op = next() % 5;
    if (op === 0) {
      h.set(f, v);
      model.set(f, v);
    } else if (op === 1) {
      assert.equal(h.setBytes(enc(f), enc(v)), !model.has(f));
      model.set(f, v);
    } else if (op === 2) assert.equal(text(h.getBytes(enc(f))), model.get(f));
    else assert.equal(h.delete(f), model.delete(f));
    if (step % 991 === 0) {
      assert.equal(h.size, model.size);
      assert.deepEqual([...h].map(([k, x]) => [k, text(x)]), [...model]);
      assert.deepEqual([...h.keys()], [...model.keys()]);
      assert.deepEqual([...h.values()].map(text), [...model.values()]);
      for (const k of model.keys()) assert.ok(h.has(k) && h.hasBytes(enc(k)), k);
    }
  }
  for (const k of [...model.keys()]) assert.ok(h.delete(k));
  assert.equal(h.size, 0);
  assert.equal(h.get("f1\xe9"), undefined);
  // A value set again with the same bytes keeps the held object.
  h.setBytes(enc("k"), enc("x".repeat(70)));
  const held = h.get("k");
  h.setBytes(enc("k"), enc("x".repeat(70)));
  assert.equal(h.get("k"), held);
  assert.equal(h.encoding(), "hashtable");
});
