import assert from "node:assert/strict";
import { LEAF_MAX, OrderedIndex } from "./ordered_index.ts";

function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

Deno.test("OrderedIndex matches a sorted array under random inserts and deletes", () => {
  const ix = new OrderedIndex();
  const ref = new Set<string>();
  const r = rng(1);
  for (let i = 0; i < 20000; i++) {
    const k = String.fromCharCode(
      ...Array.from({ length: 1 + Math.floor(r() * 3) }, () => Math.floor(r() * 256)),
    );
    if (r() < 0.3) assert.equal(ix.delete(k), ref.delete(k));
    else {
      const had = ref.has(k);
      ref.add(k);
      assert.equal(ix.insert(k), !had);
    }
  }
  const sorted = [...ref].sort();
  assert.equal(ix.size, sorted.length);
  assert.deepEqual([...ix.range(null, null)], sorted);
  const lo = sorted[100];
  const hi = sorted[5000];
  assert.deepEqual([...ix.range(lo, hi)], sorted.slice(100, 5000));
  assert.deepEqual([...ix.range(lo, hi, true)], sorted.slice(101, 5000));
  assert.deepEqual([...ix.rangeReverse(lo, hi)], sorted.slice(100, 5000).reverse());
});

Deno.test("OrderedIndex.from() builds leaves that take later inserts", () => {
  const keys = Array.from({ length: LEAF_MAX * 5 }, (_, i) => `k${String(i).padStart(6, "0")}`);
  const ix = OrderedIndex.from(keys.slice().reverse());
  ix.insert("k000000a");
  ix.delete("k000003");
  const want = [...keys.filter((k) => k !== "k000003"), "k000000a"].sort();
  assert.deepEqual([...ix.range(null, null)], want);
});

Deno.test("OrderedIndex.range() keeps its place while keys change under it", () => {
  const ix = OrderedIndex.from(
    Array.from({ length: 2000 }, (_, i) => `k${String(i).padStart(4, "0")}`),
  );
  const seen: string[] = [];
  for (const k of ix.range(null, null)) {
    seen.push(k);
    if (k === "k0100") {
      for (let i = 0; i < 600; i++) ix.delete(`k${String(i).padStart(4, "0")}`);
    }
  }
  assert.equal(new Set(seen).size, seen.length);
  assert.ok(seen.includes("k1999"));
});
