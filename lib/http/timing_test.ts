import assert from "node:assert/strict";
import { emptyTiming, Stopwatch } from "./timing.ts";

Deno.test("Stopwatch measures from its creation on an injected clock", () => {
  let now = 100;
  const clock = new Stopwatch(() => now);
  now = 112.34567;
  assert.equal(clock.elapsed(), 12.346);
});

Deno.test("emptyTiming() has every phase at 0", () => {
  assert.deepEqual(emptyTiming(), { dns: 0, connect: 0, tls: 0, firstByte: 0, total: 0 });
});
