import assert from "node:assert/strict";
import { ScoreOrder } from "./score_order.ts";

type Pair = [number, string];

function sorted(model: Pair[]): Pair[] {
  return [...model].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

function contents(order: ScoreOrder): Pair[] {
  const out: Pair[] = [];
  order.walk(0, false, (member, score) => out.push([score, member]) > 0);
  return out;
}

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

Deno.test("ScoreOrder agrees with a sorted array through splits, merges and moves", () => {
  const order = new ScoreOrder();
  let model: Pair[] = [];
  const next = random(7);
  const scores = new Map<string, number>();
  // Enough pairs for many blocks, scores with many ties so members break them.
  for (let round = 0; round < 20_000; round++) {
    const member = `m${Math.floor(next() * 3000)}`;
    const score = Math.floor(next() * 200) - 100;
    const old = scores.get(member);
    if (old !== undefined && next() < 0.4) {
      assert.ok(order.delete(old, member));
      scores.delete(member);
      model = model.filter(([, m]) => m !== member);
    } else if (old !== undefined) {
      assert.ok(order.delete(old, member));
      order.insert(score, member);
      scores.set(member, score);
      model = model.map((p) => p[1] === member ? [score, member] : p);
    } else {
      order.insert(score, member);
      scores.set(member, score);
      model.push([score, member]);
    }
    if (round % 997 === 0) {
      const want = sorted(model);
      assert.deepEqual(contents(order), want);
      assert.equal(order.length, want.length);
      want.forEach(([s, m], rank) => {
        assert.equal(order.rank(s, m), rank);
        assert.deepEqual(order.at(rank), { member: m, score: s });
      });
    }
  }
  assert.equal(order.delete(0, "absent"), false);
  assert.equal(order.rank(0, "absent"), -1);
});

Deno.test("ScoreOrder removes down to nothing and grows again", () => {
  const order = new ScoreOrder();
  for (let i = 0; i < 1000; i++) order.insert(i, `m${i}`);
  for (let i = 0; i < 1000; i++) assert.ok(order.delete(i, `m${i}`));
  assert.equal(order.length, 0);
  assert.equal(order.at(0), undefined);
  assert.equal(order.delete(1, "m1"), false);
  order.insert(5, "x");
  assert.deepEqual(contents(order), [[5, "x"]]);
});

Deno.test("ScoreOrder walks both ways from any rank and stops when told", () => {
  const order = new ScoreOrder();
  for (let i = 0; i < 500; i++) order.insert(i % 50, `m${String(i).padStart(3, "0")}`);
  const all = contents(order);
  for (const from of [0, 1, 127, 128, 250, 499]) {
    const up: Pair[] = [];
    order.walk(from, false, (m, s) => up.push([s, m]) < 10);
    assert.deepEqual(up, all.slice(from, from + 10));
    const down: Pair[] = [];
    order.walk(from, true, (m, s) => down.push([s, m]) < 10);
    assert.deepEqual(down, all.slice(Math.max(0, from - 9), from + 1).reverse());
  }
  let visited = 0;
  order.walk(500, false, () => ++visited > 0);
  order.walk(-1, true, () => ++visited > 0);
  assert.equal(visited, 0);
  assert.deepEqual([...order.pairs()].map((p) => [p.score, p.member]), all);
});

Deno.test("ScoreOrder score bounds give the first and last rank in range", () => {
  const order = new ScoreOrder();
  const model: Pair[] = [];
  for (let i = 0; i < 700; i++) {
    order.insert((i * 37) % 100, `m${i}`);
    model.push([(i * 37) % 100, `m${i}`]);
  }
  const want = sorted(model);
  for (
    const [min, minex] of [[10, true], [10, false], [-5, false], [99, true], [200, false]] as const
  ) {
    const first = want.findIndex(([s]) => minex ? s > min : s >= min);
    assert.equal(
      order.firstAtOrAbove({ min, minex, max: 0, maxex: false }),
      first < 0 ? 700 : first,
    );
  }
  for (
    const [max, maxex] of [[20, true], [20, false], [-1, false], [0, true], [99, false]] as const
  ) {
    let last = -1;
    want.forEach(([s], i) => {
      if (maxex ? s < max : s <= max) last = i;
    });
    assert.equal(order.lastAtOrBelow({ min: 0, minex: false, max, maxex }), last);
  }
});

Deno.test("ScoreOrder lexical bounds over members of one score", () => {
  const order = new ScoreOrder();
  const members = Array.from({ length: 400 }, (_, i) => `k${String(i).padStart(4, "0")}`);
  for (const m of [...members].reverse()) order.insert(0, m);
  assert.equal(
    order.firstLexAtOrAbove({ min: "k0100", minex: false, max: null, maxex: false }),
    100,
  );
  assert.equal(
    order.firstLexAtOrAbove({ min: "k0100", minex: true, max: null, maxex: false }),
    101,
  );
  assert.equal(order.firstLexAtOrAbove({ min: null, minex: false, max: null, maxex: false }), 0);
  assert.equal(order.firstLexAtOrAbove({ min: "z", minex: false, max: null, maxex: false }), 400);
  assert.equal(order.lastLexAtOrBelow({ min: null, minex: false, max: "k0300", maxex: true }), 299);
  assert.equal(
    order.lastLexAtOrBelow({ min: null, minex: false, max: "k0300", maxex: false }),
    300,
  );
  assert.equal(order.lastLexAtOrBelow({ min: null, minex: false, max: "a", maxex: false }), -1);
});
