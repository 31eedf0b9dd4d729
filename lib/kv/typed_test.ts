import assert from "node:assert/strict";
import { openKv } from "./store.ts";
import { TypedKv } from "./typed.ts";

Deno.test("TypedKv round-trips msgpack values and survives reopening", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const values: Record<string, unknown> = {
      obj: { a: 1, nested: { b: [1, "two", null, true] } },
      big: 2n ** 70n,
      date: new Date(1_700_000_000_000),
      bytes: new Uint8Array([0, 255]),
      str: "héllo",
      float: 1.5,
    };
    const kv = await openKv(dir);
    const t = new TypedKv(kv);
    for (const [k, v] of Object.entries(values)) await t.set(k, v);
    await kv.close();
    const again = await openKv(dir);
    const t2 = again.typed();
    for (const [k, v] of Object.entries(values)) assert.deepEqual(t2.get(k), v, k);
    assert.equal(t2.get("missing"), undefined);
    assert.deepEqual([...t2.scan("b", "c")].map((e) => e.value), [values.big, values.bytes]);
    // msgpack has one map type: a Map is stored as a map and read back as a plain object.
    await t2.set("m", new Map([["k", 1]]));
    assert.deepEqual(t2.get("m"), { k: 1 });
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
