import assert from "node:assert/strict";
import { NameTable } from "./name_table.ts";

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

for (const dense of [false, true]) {
  Deno.test(`NameTable agrees with a Map of slots through adds and ${dense ? "dense" : "hole-leaving"} removes`, () => {
    const t = new NameTable(2);
    let seed = dense ? 5 : 9;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    // Each name's cell after it holds the name again, to check that cells move with it. Names
    // come in batches that are prefetched first, as the server does with a pipeline's.
    let batch: string[] = [];
    let views: Uint8Array[] = [];
    for (let step = 0; step < 30_000; step++) {
      if (batch.length === 0) {
        batch = Array.from(
          { length: 1 + next() % 20 },
          () => `n${next() % (step < 15_000 ? 4000 : 50)}\xf0`,
        );
        views = batch.map(bytes);
        if (next() % 4 !== 0) t.prefetch(views);
      }
      const name = batch.shift()!;
      const view = views.shift()!;
      const slot = next() % 2 ? t.findName(name) : t.findNameBytes(view);
      if (next() % 3 === 0) {
        if (slot >= 0) t.removeName(slot, dense);
      } else if (slot < 0) {
        const at = next() % 2 ? t.addName(name) : t.addNameBytes(view);
        t.cells[2 * at + 1] = name;
      }
      if (step % 1499 === 0 || step === 29_999) {
        const seen: string[] = [];
        for (let s = 0; s < t.used; s++) {
          const n = t.nameAt(s);
          if (n === undefined) {
            assert.ok(!dense, "a dense table has no holes");
            continue;
          }
          assert.equal(t.cells[2 * s + 1], n);
          assert.equal(t.findName(n), s);
          assert.equal(t.findNameBytes(bytes(n)), s);
          seen.push(n);
        }
        assert.equal(seen.length, t.live);
        assert.equal(new Set(seen).size, seen.length);
        assert.ok(t.used - t.live <= Math.max(16, t.live), "holes are packed away");
      }
    }
    assert.equal(t.findName("absent"), -1);
    assert.equal(t.findNameBytes(bytes("absent")), -1);
  });
}
