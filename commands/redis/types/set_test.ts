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
