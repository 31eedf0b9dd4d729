/**
 * Crash tests of the kv engine: a writer process is killed with SIGKILL at random moments, many
 * rounds over one store; after each, every write it acknowledged under fsync=always is there,
 * every value is the one written, and every batch is there whole or not at all.
 */
import assert from "node:assert/strict";
import { KvError, openKv } from "../lib/kv/mod.ts";
import { valueFor } from "./_kv_crash_writer.ts";

const WRITER = new URL("./_kv_crash_writer.ts", import.meta.url).pathname;
const dec = new TextDecoder();

async function* lines(stream: ReadableStream<Uint8Array<ArrayBuffer>>): AsyncGenerator<string> {
  let buf = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf("\n")) >= 0) {
      yield buf.slice(0, nl);
      buf = buf.slice(nl + 1);
    }
  }
}

interface Expect {
  present: Map<string, boolean>; // key → must be present (true) / absent (false)
  uncertain: Set<string>; // deletes announced but not acknowledged
  batches: Map<string, number>; // acknowledged batch id → size
}

async function runRound(dir: string, round: number, seed: number, stopAfter: number, want: Expect) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WRITER, dir, String(round), String(seed)],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  let acked = 0;
  let killed = false;
  for await (const line of lines(child.stdout)) {
    const [tag, a, b] = line.split(" ");
    if (tag === "ready" && round === 0) {
      // One writer at a time; a read-only open beside it works.
      await assert.rejects(openKv(dir), (e) => e instanceof KvError && e.kind === "locked");
      const ro = await openKv(dir, { readOnly: true });
      await ro.close();
    }
    if (tag === "S") want.present.set(a, true);
    if (tag === "I") want.uncertain.add(a);
    if (tag === "D") {
      want.uncertain.delete(a);
      want.present.set(a, false);
    }
    if (tag === "B") want.batches.set(a, Number(b));
    if (tag !== "ready" && tag !== "I" && ++acked >= stopAfter && !killed) {
      killed = true;
      child.kill("SIGKILL");
    }
  }
  const status = await child.status;
  assert.equal(status.signal, "SIGKILL", `round ${round}: the writer ended by itself`);
}

async function verify(dir: string, want: Expect, label: string, readOnly: boolean) {
  const kv = await openKv(dir, { readOnly });
  try {
    for (const [key, present] of want.present) {
      if (want.uncertain.has(key)) continue;
      const got = kv.get(key);
      if (present) assert.equal(got && dec.decode(got), valueFor(key), `${label}: ${key} lost`);
      else assert.equal(got, null, `${label}: deleted ${key} came back`);
    }
    const batchSeen = new Map<string, number>();
    for (const e of kv.scan()) {
      const key = dec.decode(e.key);
      assert.match(key, /^\d+-(s\d+|b\d+\/\d+\/\d+)$/, `${label}: a key nobody wrote`);
      assert.equal(dec.decode(e.value), valueFor(key), `${label}: ${key} holds another value`);
      const m = /^(\d+-b\d+)\/(\d+)\//.exec(key);
      if (m) batchSeen.set(`${m[1]}/${m[2]}`, (batchSeen.get(`${m[1]}/${m[2]}`) ?? 0) + 1);
    }
    for (const [id, count] of batchSeen) {
      assert.equal(count, Number(id.split("/")[1]), `${label}: batch ${id} is partial`);
    }
    for (const [id, size] of want.batches) {
      assert.equal(batchSeen.get(`${id}/${size}`), size, `${label}: acknowledged batch ${id} lost`);
    }
  } finally {
    await kv.close();
  }
}

Deno.test({
  name: "kv: writers killed with SIGKILL lose no acknowledged write and no batch half",
  sanitizeResources: true,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "kv_crash_" });
    const seed0 = Number(Deno.env.get("KV_CRASH_SEED") ?? Date.now() % 100000);
    const rounds = Number(Deno.env.get("KV_CRASH_ROUNDS") ?? 15);
    let seed = seed0;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const want: Expect = { present: new Map(), uncertain: new Set(), batches: new Map() };
    try {
      for (let round = 0; round < rounds; round++) {
        const stopAfter = 1 + Math.floor(random() * 300);
        await runRound(dir, round, Math.floor(random() * 1e9), stopAfter, want);
        await verify(dir, want, `seed ${seed0} round ${round} (read-only)`, true);
      }
      await verify(dir, want, `seed ${seed0} final`, false);
      assert.ok(want.present.size > rounds, "the writers wrote something");
      assert.ok(want.batches.size > 0, "the writers wrote batches");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("kv: flipping any byte of a closed store never loads a wrong value", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kv_flip_" });
  try {
    const kv = await openKv(dir);
    const keys = Array.from({ length: 20 }, (_, i) => `0-s${i}`);
    for (const k of keys) await kv.set(k, valueFor(k));
    await kv.batch(
      [0, 1, 2].map((j) => ({ type: "set", key: `0-b99/3/${j}`, value: valueFor(`0-b99/3/${j}`) })),
    );
    await kv.close();
    const files = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) =>
      /\.(data|hint)$/.test(n)
    );
    const originals = new Map(files.map((f) => [f, Deno.readFileSync(`${dir}/${f}`)]));
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let trial = 0; trial < 60; trial++) {
      const file = files[trial % files.length];
      const bytes = originals.get(file)!.slice();
      const at = Math.floor(random() * bytes.length);
      bytes[at] ^= 1 << Math.floor(random() * 8);
      for (const [f, b] of originals) Deno.writeFileSync(`${dir}/${f}`, f === file ? bytes : b);
      const ro = await openKv(dir, { readOnly: true });
      try {
        let batch = 0;
        for (const e of ro.scan()) {
          const key = dec.decode(e.key);
          assert.equal(dec.decode(e.value), valueFor(key), `flip at ${file}:${at}`);
          if (key.startsWith("0-b99/")) batch++;
        }
        assert.ok(batch === 0 || batch === 3, `flip at ${file}:${at}: batch of ${batch}`);
        assert.ok(
          ro.count() >= 20 - 1 + (batch ? 3 : 0),
          `flip at ${file}:${at} lost more than one`,
        );
      } catch (e) {
        // A flip inside a record that the hint points at is caught on read, never returned.
        if (!(e instanceof KvError && e.kind === "corrupt")) throw e;
      } finally {
        await ro.close();
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kv: merges run while reads and writes go on, and their result survives reopening", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kv_merge_" });
  try {
    const kv = await openKv(dir, { segmentSize: 4096, mergeRatio: 0, fsync: "never" });
    const model = new Map<string, string>();
    let i = 0;
    const write = async () => {
      const k = `k${i % 400}`;
      if (i % 7 === 0) {
        await kv.delete(k);
        model.delete(k);
      } else {
        await kv.set(k, `v${i}`);
        model.set(k, `v${i}`);
      }
      i++;
    };
    const check = (store: typeof kv, label: string) => {
      for (const [k, v] of model) assert.equal(dec.decode(store.get(k)!), v, `${label}: ${k}`);
      assert.equal(store.count(), model.size, label);
    };
    while (i < 3000) await write();
    let during = 0;
    for (let round = 0; round < 5; round++) {
      const deadBefore = kv.stats().deadBytes;
      let done = false;
      const merging = kv.merge().finally(() => done = true);
      while (!done) {
        await write();
        during++;
        for (let r = 0; r < 5; r++) {
          const k = `k${(i * 31 + r * 17) % 400}`;
          const got = kv.get(k);
          assert.equal(got && dec.decode(got), model.get(k) ?? null, `read of ${k} during a merge`);
        }
        // Yield to the event loop so the merge's file operations interleave with these writes.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      const result = await merging;
      assert.ok(result.segmentsIn > 0);
      assert.ok(kv.stats().deadBytes < deadBefore, `round ${round} left dead bytes behind`);
      check(kv, `after merge ${round}`);
      for (let n = 0; n < 500; n++) await write();
    }
    assert.ok(during >= 5, "writes went on while merging");
    await kv.close();
    const again = await openKv(dir);
    check(again, "reopened");
    assert.deepEqual(again.warnings, []);
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
