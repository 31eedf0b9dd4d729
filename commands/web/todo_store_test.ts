import assert from "node:assert/strict";
import { openKv } from "../../lib/kv/mod.ts";
import { KvTodoStore, MemoryTodoStore, type TodoStore } from "./todo_store.ts";

const clock = () => new Date("2026-01-02T03:04:05Z");

async function conformance(store: TodoStore) {
  const a = await store.create({ title: "a" });
  const b = await store.create({ title: "b", done: true });
  assert.deepEqual(a, { id: "1", title: "a", done: false, createdAt: "2026-01-02T03:04:05.000Z" });
  assert.equal(b.id, "2");
  assert.deepEqual((await store.list()).map((t) => t.id), ["1", "2"]);
  assert.deepEqual(await store.update("1", { done: true }), { ...a, done: true });
  assert.equal((await store.get("1"))?.done, true);
  assert.equal(await store.update("9", { done: true }), undefined);
  assert.equal(await store.delete("1"), true);
  assert.equal(await store.delete("1"), false);
  assert.equal(await store.get("1"), undefined);
  assert.equal(await store.get("../x"), undefined);
  const many = await Promise.all([1, 2, 3].map((i) => store.create({ title: `m${i}` })));
  assert.deepEqual(many.map((t) => t.id), ["3", "4", "5"], "concurrent creates get distinct ids");
}

Deno.test("MemoryTodoStore keeps todos in creation order", async () => {
  await conformance(new MemoryTodoStore(clock));
});

Deno.test("KvTodoStore behaves the same and survives reopening", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const kv = await openKv(dir, { fsync: "always" });
    await conformance(new KvTodoStore(kv, clock));
    await kv.close();
    const again = await openKv(dir, { fsync: "always" });
    const store = new KvTodoStore(again, clock);
    assert.deepEqual((await store.list()).map((t) => t.title), ["b", "m1", "m2", "m3"]);
    assert.equal((await store.create({ title: "next" })).id, "6", "ids go on after a restart");
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
