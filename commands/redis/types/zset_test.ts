import assert from "node:assert/strict";
import { ZSet } from "./zset.ts";

Deno.test("ZSet keeps the Map and the order in step", () => {
  const z = new ZSet();
  assert.ok(z.add("a", 3));
  assert.ok(z.add("b", 1));
  assert.ok(!z.add("a", 0));
  assert.deepEqual([...z].map((n) => n.member), ["a", "b"]);
  assert.equal(z.rank("b"), 1);
  assert.ok(z.delete("a"));
  assert.ok(!z.delete("a"));
  assert.equal(z.size, 1);
  assert.equal(z.order.length, 1);
  assert.equal(z.at(0)?.member, "b");
  const copy = z.clone();
  copy.add("c", 5);
  assert.equal(z.size, 1);
  assert.equal(copy.encoding(), "listpack");
});
