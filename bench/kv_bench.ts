/**
 * The kit kv engine beside Deno KV and SQLite (node:sqlite) on the same machine, in one run:
 * sequential writes, random reads, a 90/10 read/write mix and range scans over a store of
 * 1,000,000 keys with 100-byte values; then opening that store from its hint files, and the
 * memory the keydir takes per key.
 *
 * ```sh
 * deno bench -A --v8-flags=--expose-gc bench/kv_bench.ts                      # 1,000,000 keys
 * KV_BENCH_KEYS=100000 deno bench -A --v8-flags=--expose-gc bench/kv_bench.ts  # a quick run
 * ```
 *
 * Durability of each write, stated in each bench's name:
 * - kit kv `fsync=interval` (the default): a set resolves once its record reached the OS with
 *   write(2) — it survives the process dying, not a power cut; an fsync runs every 100 ms.
 * - SQLite: WAL with synchronous=NORMAL and one transaction per insert — the same guarantee
 *   (commits reach the WAL with write(2); fsync at checkpoints).
 * - Deno KV: its local SQLite backend as `Deno.openKv(path)` sets it up, one commit per set.
 * - kit kv `fsync=always` is measured too, with 100 writes in flight sharing fsyncs.
 *
 * Where it is unfair: every store fits in the page cache, so reads measure the code path and
 * not the disk; kit kv's reads are synchronous while Deno KV's are async by API, which costs
 * it a promise per get; Deno KV and SQLite keep keys on disk, kit kv keeps every key in RAM
 * (that is the Bitcask trade, and the memory per key says what it costs).
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import { openKv } from "../lib/kv/mod.ts";

const N = Number(Deno.env.get("KV_BENCH_KEYS") ?? 1_000_000);
const OPS = 1000; // operations per timed iteration
const root = await Deno.makeTempDir({ prefix: "kit-kv-bench-" });
const keyOf = (i: number) => `key:${String(i).padStart(9, "0")}`;
const value = new Uint8Array(100).map((_, i) => (i * 37 + 11) & 0xff);
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const randomKey = () => keyOf(Math.floor(random() * N));

// ---- populate the three stores with the same N keys

const kitDir = `${root}/kit`;
{
  const kv = await openKv(kitDir, { fsync: "never" });
  for (let i = 0; i < N; i++) kv.set(keyOf(i), value);
  await kv.close();
}
// A copy that stays closed, for the open bench: the writes below grow kitDir.
const openDir = `${root}/kit-open`;
await Deno.mkdir(openDir);
for (const e of Deno.readDirSync(kitDir)) {
  if (e.name !== "LOCK") await Deno.copyFile(`${kitDir}/${e.name}`, `${openDir}/${e.name}`);
}
// ---- opening from hints, and memory per key: measured in fresh processes, so that nothing
// this one allocated (the population above, the other stores) muddles the heap figures.

const probeCode = `
import { openKv } from ${JSON.stringify(new URL("../lib/kv/mod.ts", import.meta.url).href)};
gc();
const before = Deno.memoryUsage();
let t = performance.now();
const kv = await openKv(${JSON.stringify(openDir)}, { readOnly: true });
const openMs = performance.now() - t;
gc();
const after = Deno.memoryUsage();
t = performance.now();
kv.scanKeys(null, null, { limit: 1 }).next();
const indexMs = performance.now() - t;
gc();
const indexed = Deno.memoryUsage();
const n = kv.count();
console.log(JSON.stringify({
  n,
  openMs,
  tables: kv.stats().keydirBytes / n,
  heap: (after.heapUsed + after.external - before.heapUsed - before.external) / n,
  rss: (after.rss - before.rss) / n,
  indexMs,
  index: (indexed.heapUsed - after.heapUsed) / n,
}));
await kv.close();
`;
const probes: Record<string, number>[] = [];
for (let i = 0; i < 3; i++) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      "--v8-flags=--expose-gc",
      `--config=${new URL("../deno.json", import.meta.url).pathname}`,
      probeCode,
    ],
    stderr: "inherit",
  }).output();
  probes.push(JSON.parse(new TextDecoder().decode(out.stdout)));
}
const median = (k: string) => probes.map((p) => p[k]).sort((a, b) => a - b)[1];
const note =
  `${probes[0].n} keys, medians of 3 fresh processes: open ${median("openMs").toFixed(0)} ms;` +
  ` keydir tables ${median("tables").toFixed(0)} B/key, heap+external ${
    median("heap").toFixed(0)
  }` +
  ` B/key, RSS ${median("rss").toFixed(0)} B/key; ordered index built in` +
  ` ${median("indexMs").toFixed(0)} ms, +${median("index").toFixed(0)} B/key`;

const kit = await openKv(kitDir, { fsync: "interval", mergeRatio: 0 });
// The scans below measure walking the index, not building it (that is in the note above).
kit.scanKeys(null, null, { limit: 1 }).next();

const denoKv = await Deno.openKv(`${root}/denokv.sqlite`);
for (let i = 0; i < N; i += 500) {
  const op = denoKv.atomic();
  for (let j = i; j < Math.min(N, i + 500); j++) op.set(["k", keyOf(j)], value);
  await op.commit();
}

const db = new DatabaseSync(`${root}/sqlite.db`);
db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
db.exec("CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID");
const insert = db.prepare("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)");
const select = db.prepare("SELECT v FROM kv WHERE k = ?");
const range = db.prepare("SELECT k, v FROM kv WHERE k >= ? ORDER BY k LIMIT 100");
db.exec("BEGIN");
for (let i = 0; i < N; i++) insert.run(keyOf(i), value);
db.exec("COMMIT");

// ---- sequential writes

let next = N;
Deno.bench({
  name: "kit kv set, fsync=interval (reaches the OS; fsync every 100 ms)",
  group: "sequential writes ×1000",
  baseline: true,
  async fn() {
    for (let i = 0; i < OPS; i++) await kit.set(keyOf(next++), value);
  },
});
Deno.bench({
  name: "Deno KV set (its SQLite defaults, one commit per set)",
  group: "sequential writes ×1000",
  async fn() {
    for (let i = 0; i < OPS; i++) await denoKv.set(["k", keyOf(next++)], value);
  },
});
Deno.bench({
  name: "SQLite insert (WAL, synchronous=NORMAL, one transaction per insert)",
  group: "sequential writes ×1000",
  fn() {
    for (let i = 0; i < OPS; i++) insert.run(keyOf(next++), value);
  },
});

const alwaysKv = await openKv(`${root}/always`, { fsync: "always" });
Deno.bench({
  name: "kit kv set, fsync=always, 100 in flight (group commit; survives power loss)",
  group: "durable writes ×1000",
  async fn() {
    for (let i = 0; i < OPS; i += 100) {
      const writes: Promise<void>[] = [];
      for (let j = 0; j < 100; j++) writes.push(alwaysKv.set(keyOf(next++), value));
      await Promise.all(writes);
    }
  },
});

// ---- random reads

let sink = 0;
Deno.bench({
  name: "kit kv get",
  group: "random reads ×1000",
  baseline: true,
  fn() {
    for (let i = 0; i < OPS; i++) sink += kit.get(randomKey())!.length;
  },
});
Deno.bench({
  name: "Deno KV get",
  group: "random reads ×1000",
  async fn() {
    for (let i = 0; i < OPS; i++) {
      sink += ((await denoKv.get(["k", randomKey()])).value as Uint8Array).length;
    }
  },
});
Deno.bench({
  name: "SQLite select",
  group: "random reads ×1000",
  fn() {
    for (let i = 0; i < OPS; i++) sink += (select.get(randomKey())!.v as Uint8Array).length;
  },
});

// ---- 90/10 mix (writes overwrite existing keys)

Deno.bench({
  name: "kit kv, fsync=interval",
  group: "90% get / 10% set ×1000",
  baseline: true,
  async fn() {
    for (let i = 0; i < OPS; i++) {
      if (i % 10 === 9) await kit.set(randomKey(), value);
      else sink += kit.get(randomKey())!.length;
    }
  },
});
Deno.bench({
  name: "Deno KV",
  group: "90% get / 10% set ×1000",
  async fn() {
    for (let i = 0; i < OPS; i++) {
      if (i % 10 === 9) await denoKv.set(["k", randomKey()], value);
      else sink += ((await denoKv.get(["k", randomKey()])).value as Uint8Array).length;
    }
  },
});
Deno.bench({
  name: "SQLite (WAL, synchronous=NORMAL)",
  group: "90% get / 10% set ×1000",
  fn() {
    for (let i = 0; i < OPS; i++) {
      if (i % 10 === 9) insert.run(randomKey(), value);
      else sink += (select.get(randomKey())!.v as Uint8Array).length;
    }
  },
});

// ---- range scans: 100 entries (keys and values) from a random key, 10 scans per iteration

Deno.bench({
  name: "kit kv scan (ordered index built before timing)",
  group: "range scans of 100 ×10",
  baseline: true,
  fn() {
    for (let s = 0; s < 10; s++) {
      for (const e of kit.scan(randomKey(), null, { limit: 100 })) sink += e.value.length;
    }
  },
});
Deno.bench({
  name: "Deno KV list",
  group: "range scans of 100 ×10",
  async fn() {
    for (let s = 0; s < 10; s++) {
      const it = denoKv.list({ start: ["k", randomKey()], end: ["k", "l"] }, { limit: 100 });
      for await (const e of it) sink += (e.value as Uint8Array).length;
    }
  },
});
Deno.bench({
  name: "SQLite select range",
  group: "range scans of 100 ×10",
  fn() {
    for (let s = 0; s < 10; s++) {
      for (const row of range.all(randomKey())) sink += (row.v as Uint8Array).length;
    }
  },
});

// ---- opening

Deno.bench({
  name: `kit kv open from hint files, read-only (${note})`,
  group: "open",
  n: 5,
  warmup: 1,
  async fn() {
    const kv = await openKv(openDir, { readOnly: true });
    sink += kv.count();
    await kv.close();
  },
});

// Deno.bench has no teardown hook: the stores are left open (the process exit releases them)
// and only the temporary folder is removed, synchronously, on the way out.
globalThis.addEventListener("unload", () => {
  denoKv.close();
  db.close();
  try {
    Deno.removeSync(root, { recursive: true });
  } catch { /* best effort */ }
  if (sink === -1) throw new Error("unreachable");
});
