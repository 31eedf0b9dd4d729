import assert from "node:assert/strict";
import { openKv } from "../../lib/kv/mod.ts";
import { Keyspace } from "./keyspace.ts";

const b = (s: string) => new TextEncoder().encode(s);

async function withKv(
  fn: (kv: Awaited<ReturnType<typeof openKv>>, clock: { now: number }) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  const clock = { now: 1_000_000 };
  const kv = await openKv(dir, { fsync: "never", now: () => clock.now, sweepIntervalMs: 0 });
  try {
    await fn(kv, clock);
  } finally {
    await kv.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("Keyspace outside a transaction writes each command's ops on flush", async () => {
  await withKv(async (kv, clock) => {
    const ks = new Keyspace(kv, () => clock.now);
    ks.set(b("a"), b("1"), undefined);
    assert.equal(kv.has("a"), false, "nothing before flush");
    await ks.flush();
    assert.deepEqual(kv.get("a"), b("1"));
    ks.set(b("x"), b("1"), { ttlMs: 500 });
    ks.delete(b("a"));
    await ks.flush();
    assert.equal(kv.has("a"), false);
    assert.equal(kv.expiresAt("x"), clock.now + 500);
    assert.equal(ks.flush(), undefined, "nothing gathered: nothing to wait for");
  });
});

Deno.test("Keyspace inside a transaction: reads see earlier writes, flush is one batch", async () => {
  await withKv(async (kv, clock) => {
    const ks = new Keyspace(kv, () => clock.now);
    await kv.set("a", "old");
    ks.beginTransaction();
    ks.set(b("a"), b("new"), undefined);
    ks.delete(b("gone"));
    assert.deepEqual(ks.get(b("a")), b("new"));
    assert.equal(kv.get("a")?.length, 3);
    ks.expire(b("a"), 1000);
    assert.equal(ks.expiresAt(b("a")), clock.now + 1000);
    ks.set(b("t"), b("v"), { ttlMs: 10 });
    clock.now += 10;
    assert.equal(ks.get(b("t")), null, "expired inside the transaction");
    await ks.flush();
    assert.deepEqual(kv.get("a"), b("new"));
    assert.equal(kv.expiresAt("a"), clock.now - 10 + 1000);
  });
});

Deno.test("Keyspace.abandon() drops gathered writes", async () => {
  await withKv((kv) => {
    const ks = new Keyspace(kv);
    ks.beginTransaction();
    ks.set(b("a"), b("1"), undefined);
    ks.abandon();
    assert.equal(ks.flush(), undefined);
    assert.equal(kv.has("a"), false);
    return Promise.resolve();
  });
});

Deno.test("Keyspace.expire() with a time not in the future deletes", async () => {
  await withKv(async (kv) => {
    const ks = new Keyspace(kv);
    await kv.set("a", "1");
    ks.expire(b("a"), 0);
    await ks.flush();
    assert.equal(kv.has("a"), false);
  });
});
