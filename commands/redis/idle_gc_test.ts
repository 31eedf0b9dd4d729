import assert from "node:assert/strict";
import { IdleCollector } from "./idle_gc.ts";

Deno.test("IdleCollector collects only after a quiet spell, and only when the heap grew", () => {
  let heap = 100;
  let runs = 0;
  const c = new IdleCollector({
    quietMs: 1000,
    growth: 50,
    heapUsed: () => heap,
    gc: () => {
      runs++;
      heap = 110;
    },
  });
  c.tick(0, 1);
  assert.equal(c.tick(2000, 1), false, "quiet, but the heap did not grow");
  heap = 300;
  assert.equal(c.tick(2500, 9), false, "commands ran since the last tick");
  assert.equal(c.tick(3000, 9), false, "quiet for 500 ms only");
  assert.equal(c.tick(3600, 9), true);
  assert.equal(runs, 1);
  assert.equal(c.tick(5000, 9), false, "the heap has not grown since");
});

Deno.test("IdleCollector does nothing without a collector", () => {
  const c = new IdleCollector({ gc: null, heapUsed: () => 1e9 });
  assert.equal(c.tick(0, 0), false);
  assert.equal(c.tick(10_000, 0), false);
});

Deno.test("IdleCollector reaches V8's full collection in this runtime", () => {
  let before = 0;
  const c = new IdleCollector({ quietMs: 0, growth: 0, heapUsed: () => before });
  c.tick(0, 0);
  before = 1;
  // With the real collector present, a quiet tick after growth collects.
  assert.equal(c.tick(1, 0), true);
});

Deno.test("IdleCollector.collect() runs at once when the heap grew, busy or not", () => {
  let heap = 100;
  let runs = 0;
  const c = new IdleCollector({
    growth: 50,
    heapUsed: () => heap,
    gc: () => {
      runs++;
      heap = 100;
    },
  });
  assert.equal(c.collect(), false, "the heap did not grow");
  heap = 400;
  c.tick(0, 7);
  assert.equal(c.collect(), true);
  assert.equal(runs, 1);
  assert.equal(c.collect(), false);
  assert.equal(new IdleCollector({ gc: null, heapUsed: () => 1e9 }).collect(), false);
});
