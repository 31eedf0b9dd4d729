import assert from "node:assert/strict";
import { KvError, openKv } from "./mod.ts";
import { acquireLock } from "./lock.ts";

const dec = new TextDecoder();
const text = (b: Uint8Array | null) => (b === null ? null : dec.decode(b));

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "kv_store_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function dataFiles(dir: string) {
  return [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".data")).sort();
}

Deno.test("a reopened store has every write, from hints and from replay", async () => {
  await withDir(async (dir) => {
    const kv = await openKv(dir, { segmentSize: 4096 });
    for (let i = 0; i < 500; i++) await kv.set(`k${i}`, `v${i}`);
    for (let i = 0; i < 500; i += 3) await kv.delete(`k${i}`);
    await kv.set(new Uint8Array([0, 255, 1]), new Uint8Array([9, 8, 7]));
    await kv.close();
    const hinted = await openKv(dir);
    assert.equal(hinted.count(), 500 - 167 + 1);
    assert.equal(text(hinted.get("k1")), "v1");
    assert.equal(hinted.get("k3"), null);
    assert.deepEqual(hinted.get(new Uint8Array([0, 255, 1])), new Uint8Array([9, 8, 7]));
    assert.deepEqual(hinted.warnings, []);
    await hinted.close();
    for (const e of Deno.readDirSync(dir)) {
      if (e.name.endsWith(".hint")) Deno.removeSync(`${dir}/${e.name}`);
    }
    const replayed = await openKv(dir);
    assert.equal(replayed.count(), 334);
    assert.equal(text(replayed.get("k499")), "v499");
    await replayed.close();
  });
});

Deno.test("a second writer is refused; a read-only open works and cannot write", async () => {
  await withDir(async (dir) => {
    const kv = await openKv(dir);
    await kv.set("a", "1");
    await assert.rejects(openKv(dir), (e) => e instanceof KvError && e.kind === "locked");
    const ro = await openKv(dir, { readOnly: true });
    assert.equal(text(ro.get("a")), "1");
    await assert.rejects(ro.set("b", "2"), (e) => e instanceof KvError && e.kind === "read-only");
    await ro.close();
    await kv.close();
    await assert.rejects(kv.set("x", "y"), (e) => e instanceof KvError && e.kind === "closed");
    await (await openKv(dir)).close();
    await assert.rejects(
      openKv(`${dir}/missing`, { readOnly: true }),
      (e) => e instanceof KvError && e.kind === "not-found",
    );
  });
});

Deno.test("TTL: expiry on access, ttl() semantics, persist, sweep and reopen", async () => {
  await withDir(async (dir) => {
    let now = 1_000_000;
    const kv = await openKv(dir, { now: () => now, sweepIntervalMs: 0 });
    await kv.set("a", "1", { ttlMs: 100 });
    await kv.set("b", "2", { expiresAt: now + 200 });
    await kv.set("c", "3");
    assert.equal(kv.ttl("a"), 100);
    assert.equal(kv.ttl("c"), -1);
    assert.equal(kv.ttl("zz"), -2);
    assert.equal(await kv.expire("c", 50), true);
    assert.equal(await kv.expire("b", null), true);
    assert.equal(kv.ttl("b"), -1);
    assert.equal(await kv.expire("missing", 5), false);
    now += 100;
    assert.equal(kv.get("a"), null);
    assert.equal(kv.has("c"), false);
    await kv.set("d", "4", { ttlMs: 10 });
    now += 10;
    assert.equal(kv.sweep(), 1);
    assert.equal(kv.count(), 1);
    await kv.close();
    const again = await openKv(dir, { now: () => now });
    assert.deepEqual([...again.scanKeys()].map(text), ["b"]);
    await again.close();
  });
});

Deno.test("scan and prefix walk keys in byte order with bounds, limit and cursor", async () => {
  await withDir(async (dir) => {
    await using kv = await openKv(dir);
    const keys = ["user:2", "user:10", "user:1", "admin", "user;", "v", "user:\u00ff"];
    for (const k of keys) await kv.set(k, k.toUpperCase());
    const all = [...kv.scanKeys()].map(text);
    assert.deepEqual(all, ["admin", "user:1", "user:10", "user:2", "user:\u00ff", "user;", "v"]);
    assert.deepEqual([...kv.prefix("user:")].map((e) => text(e.value)), [
      "USER:1",
      "USER:10",
      "USER:2",
      "USER:\u00ff".toUpperCase(),
    ]);
    assert.deepEqual([...kv.scanKeys("user:1", "user:2")].map(text), ["user:1", "user:10"]);
    assert.deepEqual([...kv.scanKeys(null, null, { limit: 2, after: "user:1" })].map(text), [
      "user:10",
      "user:2",
    ]);
    assert.deepEqual([...kv.scanKeys("u", null, { reverse: true })].map(text).slice(0, 2), [
      "v",
      "user;",
    ]);
    await kv.set("user:15", "new");
    await kv.delete("user:10");
    assert.deepEqual([...kv.prefixKeys("user:1")].map(text), ["user:1", "user:15"]);
    assert.equal(kv.stats().indexBuilt, true);
  });
});

Deno.test("batch() applies everything and rejects invalid input before writing anything", async () => {
  await withDir(async (dir) => {
    await using kv = await openKv(dir, { maxValueSize: 10 });
    await kv.set("gone", "x");
    await kv.batch([
      { type: "set", key: "a", value: "1" },
      { type: "delete", key: "gone" },
      { type: "set", key: "b", value: "2", ttlMs: 60_000 },
    ]);
    assert.deepEqual([...kv.scanKeys()].map(text), ["a", "b"]);
    const before = kv.stats().dataBytes;
    await assert.rejects(
      kv.batch([{ type: "set", key: "c", value: "1" }, {
        type: "set",
        key: "d",
        value: "x".repeat(11),
      }]),
      (e) => e instanceof KvError && e.kind === "too-large",
    );
    assert.equal(kv.has("c"), false);
    assert.equal(kv.stats().dataBytes, before);
  });
});

Deno.test("merge() compacts sealed segments while writes go on, and survives reopening", async () => {
  await withDir(async (dir) => {
    const kv = await openKv(dir, { segmentSize: 2048, mergeRatio: 0 });
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 50; i++) await kv.set(`k${i}`, `r${round}-${i}`);
    }
    for (let i = 0; i < 10; i++) await kv.delete(`k${i}`);
    const before = kv.stats();
    const merging = kv.merge();
    // Writes and reads while the merge copies.
    const writes: Promise<unknown>[] = [];
    for (let i = 10; i < 20; i++) writes.push(kv.set(`k${i}`, `during-${i}`));
    writes.push(kv.delete("k20"));
    assert.equal(text(kv.get("k30")), "r9-30");
    await Promise.all(writes);
    const r = await merging;
    assert.ok(r.segmentsIn > 1);
    assert.ok(r.bytesAfter < r.bytesBefore);
    assert.ok(kv.stats().deadBytes < before.deadBytes);
    const check = (s: typeof kv) => {
      assert.equal(s.count(), 39);
      assert.equal(text(s.get("k15")), "during-15");
      assert.equal(text(s.get("k30")), "r9-30");
      assert.equal(s.get("k20"), null);
      assert.equal(s.get("k5"), null);
    };
    check(kv);
    await kv.close();
    assert.ok(dataFiles(dir).some((n) => !n.endsWith("-0000.data")));
    const again = await openKv(dir);
    check(again);
    assert.deepEqual(again.warnings, []);
    await again.close();
  });
});

Deno.test("a flipped bit in a segment skips that record, reports it, and get() never returns garbage", async () => {
  await withDir(async (dir) => {
    const kv = await openKv(dir);
    for (let i = 0; i < 10; i++) await kv.set(`k${i}`, `value-${i}`);
    await kv.close();
    for (const e of Deno.readDirSync(dir)) {
      if (e.name.endsWith(".hint")) Deno.removeSync(`${dir}/${e.name}`);
    }
    const [file] = dataFiles(dir);
    const bytes = Deno.readFileSync(`${dir}/${file}`);
    const recordSize = bytes.length / 10;
    bytes[recordSize * 4 + 33] ^= 0x04;
    Deno.writeFileSync(`${dir}/${file}`, bytes);
    const again = await openKv(dir);
    assert.equal(again.get("k4"), null);
    assert.equal(again.count(), 9);
    assert.deepEqual(again.warnings.map((w) => [w.kind, w.offset]), [["skipped", recordSize * 4]]);
    await again.close();
  });
});

Deno.test("a torn tail is cut off with a warning and appends go on after it", async () => {
  await withDir(async (dir) => {
    const kv = await openKv(dir);
    for (let i = 0; i < 3; i++) await kv.set(`k${i}`, `v${i}`);
    await kv.close();
    for (const e of Deno.readDirSync(dir)) {
      if (e.name.endsWith(".hint")) Deno.removeSync(`${dir}/${e.name}`);
    }
    const [file] = dataFiles(dir);
    const size = Deno.statSync(`${dir}/${file}`).size;
    Deno.truncateSync(`${dir}/${file}`, size - 3);
    const again = await openKv(dir);
    assert.deepEqual(again.warnings.map((w) => w.kind), ["truncated"]);
    assert.equal(Deno.statSync(`${dir}/${file}`).size, (size / 3) * 2);
    assert.equal(again.get("k2"), null);
    await again.set("k2", "again");
    await again.close();
    const third = await openKv(dir);
    assert.equal(text(third.get("k2")), "again");
    assert.deepEqual(third.warnings, []);
    await third.close();
  });
});

Deno.test("fsync always: concurrent writes share fsyncs and all resolve", async () => {
  await withDir(async (dir) => {
    await using kv = await openKv(dir, { fsync: "always" });
    await Promise.all(Array.from({ length: 200 }, (_, i) => kv.set(`k${i}`, "v")));
    assert.equal(kv.count(), 200);
  });
});

Deno.test("typed() round-trips msgpack values", async () => {
  await withDir(async (dir) => {
    await using kv = await openKv(dir);
    const t = kv.typed();
    const v = {
      url: "https://x",
      depth: 2,
      tags: ["a"],
      at: new Date(0),
      bytes: new Uint8Array([1]),
    };
    await t.set("page", v);
    assert.deepEqual(t.get("page"), v);
    await t.batch([{ type: "set", key: "n", value: 5 }, { type: "delete", key: "page" }]);
    assert.deepEqual([...t.prefix("")].map((e) => e.value), [5]);
  });
});

Deno.test("a merge starts by itself once dead bytes pass mergeRatio", async () => {
  await withDir(async (dir) => {
    const kv = await openKv(dir, { segmentSize: 1024, mergeRatio: 0.5, mergeMinBytes: 2048 });
    let written = 0;
    for (let i = 0; i < 400; i++) {
      await kv.set(`k${i % 10}`, "x".repeat(50));
      written += 29 + `k${i % 10}`.length + 50;
    }
    await kv.close(); // waits for a merge still running
    const names = dataFiles(dir);
    assert.ok(names.some((n) => !n.endsWith("-0000.data")), `no merge output in ${names}`);
    const again = await openKv(dir);
    assert.equal(again.count(), 10);
    await again.merge();
    assert.ok(again.stats().dataBytes < written / 10);
    assert.equal(again.count(), 10);
    await again.close();
  });
});

Deno.test("a damaged hint file is ignored and its segment replayed", async () => {
  await withDir(async (dir) => {
    const kv = await openKv(dir);
    for (let i = 0; i < 20; i++) await kv.set(`k${i}`, `v${i}`);
    await kv.close();
    const hint = [...Deno.readDirSync(dir)].find((e) => e.name.endsWith(".hint"))!.name;
    const bytes = Deno.readFileSync(`${dir}/${hint}`);
    bytes[40] ^= 0x20;
    Deno.writeFileSync(`${dir}/${hint}`, bytes);
    const again = await openKv(dir);
    assert.deepEqual(again.warnings.map((w) => w.kind), ["hint-ignored"]);
    assert.equal(again.count(), 20);
    assert.equal(text(again.get("k7")), "v7");
    await again.close();
  });
});

Deno.test("expire() with ms <= 0 deletes, and set() with a past expiresAt deletes", async () => {
  await withDir(async (dir) => {
    await using kv = await openKv(dir, { now: () => 5000 });
    await kv.set("a", "1");
    await kv.set("b", "2");
    assert.equal(await kv.expire("a", 0), true);
    assert.equal(kv.has("a"), false);
    await kv.set("b", "3", { expiresAt: 4000 });
    assert.equal(kv.has("b"), false);
    await assert.rejects(kv.set("", "x"), (e) => e instanceof KvError && e.kind === "too-large");
  });
});

Deno.test("merge inputs left beside its output (a crash before step 4) replay to the same state", async () => {
  await withDir(async (dir) => {
    const kv = await openKv(dir, { segmentSize: 512, mergeRatio: 0 });
    for (let i = 0; i < 200; i++) await kv.set(`k${i % 20}`, `v${i}`);
    for (let i = 0; i < 20; i += 4) await kv.delete(`k${i}`);
    await kv.close();
    const reopened = await openKv(dir, { segmentSize: 512, mergeRatio: 0 });
    const inputs = new Map(
      dataFiles(dir).map((n) => [n, Deno.readFileSync(`${dir}/${n}`)] as const),
    );
    await reopened.merge();
    const want = [...reopened.scan()].map((e) => `${text(e.key)}=${text(e.value)}`);
    await reopened.close();
    const names = [...inputs.keys()];
    // Every newest suffix of the inputs, as deleting them oldest first would leave it.
    for (let from = 0; from < names.length; from++) {
      for (const n of names.slice(from)) Deno.writeFileSync(`${dir}/${n}`, inputs.get(n)!);
      const again = await openKv(dir, { readOnly: true });
      const got = [...again.scan()].map((e) => `${text(e.key)}=${text(e.value)}`);
      assert.deepEqual(got, want, `inputs from ${names[from]} on left behind`);
      await again.close();
      for (const n of names.slice(from)) Deno.removeSync(`${dir}/${n}`);
    }
  });
});

Deno.test("openKv waits briefly for a lock that is being released", async () => {
  await withDir(async (dir) => {
    // A lock released 30 ms later, as when a process being started elsewhere in this one
    // holds a copy of the descriptor until it execs.
    const held = acquireLock(dir);
    const release = setTimeout(() => held.close(), 30);
    try {
      await (await openKv(dir)).close();
    } finally {
      clearTimeout(release);
    }
  });
});
