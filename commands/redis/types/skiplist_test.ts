import assert from "node:assert/strict";
import { SkipList } from "./skiplist.ts";

Deno.test("SkipList ranks, byRank and range searches agree with a sorted array", () => {
  const sl = new SkipList();
  const model: [number, string][] = [];
  for (let i = 0; i < 500; i++) {
    const score = (i * 37) % 50;
    sl.insert(score, `m${i}`);
    model.push([score, `m${i}`]);
  }
  for (let i = 0; i < 500; i += 4) {
    assert.ok(sl.delete((i * 37) % 50, `m${i}`));
    model.splice(model.findIndex(([, m]) => m === `m${i}`), 1);
  }
  assert.ok(!sl.delete(0, "absent"));
  model.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
  assert.equal(sl.length, model.length);
  model.forEach(([score, member], r) => {
    assert.equal(sl.rank(score, member), r + 1);
    assert.equal(sl.byRank(r + 1)?.member, member);
  });
  const range = { min: 10, max: 20, minex: true, maxex: false };
  const inRange = model.filter(([s]) => s > 10 && s <= 20);
  assert.equal(sl.firstInScore(range)?.member, inRange[0][1]);
  assert.equal(sl.lastInScore(range)?.member, inRange[inRange.length - 1][1]);
  assert.equal(sl.firstInScore({ min: 60, max: 70, minex: false, maxex: false }), null);
  assert.equal(sl.tail?.member, model[model.length - 1][1]);
});

Deno.test("SkipList lexical ranges", () => {
  const sl = new SkipList();
  for (const m of ["a", "b", "c", "d"]) sl.insert(0, m);
  const r = { min: "b", max: "d", minex: false, maxex: true };
  assert.equal(sl.firstInLex(r)?.member, "b");
  assert.equal(sl.lastInLex(r)?.member, "c");
  assert.equal(sl.firstInLex({ min: null, max: null, minex: false, maxex: false })?.member, "a");
  assert.equal(
    sl.firstInLex({ min: null, max: null, minex: false, maxex: false, minPlus: true }),
    null,
  );
});
