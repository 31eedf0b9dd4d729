import assert from "node:assert/strict";
import { HintWriter, readHint } from "./hint.ts";

function sample() {
  const w = new HintWriter();
  for (let i = 0; i < 1000; i++) {
    w.add(
      new TextEncoder().encode(`key-${i}`),
      1000 + i,
      i % 3 ? 0 : 5000 + i,
      i * 40,
      40,
      i % 10 === 0 ? 1 : 0,
    );
  }
  return w.finish(40_000).slice();
}

Deno.test("readHint() returns every entry written, in order", () => {
  const seen: [string, number, number, number, number, number][] = [];
  assert.equal(
    readHint(
      sample(),
      40_000,
      (b, at, n, ts, exp, off, size, flags) =>
        seen.push([new TextDecoder().decode(b.subarray(at, at + n)), ts, exp, off, size, flags]),
    ),
    true,
  );
  assert.equal(seen.length, 1000);
  assert.deepEqual(seen[3], ["key-3", 1003, 5003, 120, 40, 0]);
  assert.deepEqual(seen[10], ["key-10", 1010, 0, 400, 40, 1]);
});

Deno.test("readHint() visits nothing for a damaged, cut or mismatched file", () => {
  const good = sample();
  let visits = 0;
  const count = () => visits++;
  for (const at of [0, 5, 100, good.length - 20, good.length - 1]) {
    const bad = good.slice();
    bad[at] ^= 0x10;
    assert.equal(readHint(bad, 40_000, count), false, `flip at ${at}`);
  }
  assert.equal(readHint(good.subarray(0, good.length - 1), 40_000, count), false);
  assert.equal(readHint(good, 39_999, count), false);
  assert.equal(visits, 0);
});
