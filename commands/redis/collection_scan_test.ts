import assert from "node:assert/strict";
import { CollectionScans } from "./collection_scan.ts";
import { HASH_COMMANDS } from "./cmd_hashes.ts";
import { SET_COMMANDS } from "./cmd_sets.ts";
import { ZSET_COMMANDS } from "./cmd_zsets.ts";
import { harness } from "./_test_util.ts";

const range = (n: number, prefix = "m") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Runs a scan to its end over a live collection, changing it between steps with `between`. */
function scanAll(
  scans: CollectionScans,
  live: Set<string>,
  count: number,
  between: (step: number) => void = () => {},
): string[] {
  const seen: string[] = [];
  let cursor = 0;
  let steps = 0;
  do {
    const step = scans.step(() => [...live], cursor, count);
    seen.push(...step.members.filter((m) => live.has(m)));
    cursor = step.cursor;
    between(steps++);
  } while (cursor !== 0);
  return seen;
}

Deno.test("CollectionScans: a small collection is one step; a large one every member once", () => {
  const scans = new CollectionScans();
  const small = new Set(range(100));
  assert.deepEqual(scans.step(() => [...small], 0, 10), { members: [...small], cursor: 0 });
  assert.equal(scans.size, 0, "no snapshot kept for a one-step scan");
  const large = new Set(range(1000));
  assert.deepEqual(scanAll(scans, large, 10), [...large]);
  assert.equal(scans.size, 0, "the snapshot goes when the scan ends");
});

Deno.test("CollectionScans: members present throughout are returned once while others come and go", () => {
  const scans = new CollectionScans();
  const live = new Set(range(1000));
  const stable = range(1000).filter((_, i) => i % 3 !== 0);
  const seen = scanAll(scans, live, 37, (step) => {
    // Delete some members that were there at the start, add new ones.
    live.delete(`m${step * 3}`);
    live.add(`new${step}`);
  });
  for (const m of stable) assert.equal(seen.filter((x) => x === m).length, 1, m);
});

Deno.test("CollectionScans: a cursor whose snapshot was dropped goes on from its position", () => {
  const scans = new CollectionScans();
  const members = range(500);
  const first = scans.step(() => members, 0, 100);
  assert.notEqual(first.cursor, 0);
  // Another server (or a restart) knows nothing of the snapshot: the position still counts.
  const elsewhere = new CollectionScans();
  const next = elsewhere.step(() => members, first.cursor, 100);
  assert.deepEqual(next.members, members.slice(100, 200));
  let cursor = next.cursor;
  const rest: string[] = [];
  while (cursor !== 0) {
    const step = elsewhere.step(() => members, cursor, 100);
    rest.push(...step.members);
    cursor = step.cursor;
  }
  assert.deepEqual(rest, members.slice(200));
  assert.deepEqual(elsewhere.step(() => members, 2 ** 32 * 77 + 9999, 10), {
    members: [],
    cursor: 0,
  });
});

Deno.test("HSCAN, SSCAN and ZSCAN walk a large collection in COUNT steps", () => {
  const h = harness(HASH_COMMANDS, SET_COMMANDS, ZSET_COMMANDS);
  const n = 1000;
  for (let i = 0; i < n; i += 100) {
    const fields = range(100, `f${i}_`);
    h.run("HSET", "h", ...fields.flatMap((f) => [f, "v"]));
    h.run("SADD", "s", ...fields);
    h.run("ZADD", "z", ...fields.flatMap((f, j) => [String(i + j), f]));
  }
  for (
    const [cmd, key, stride] of [["HSCAN", "h", 2], ["SSCAN", "s", 1], ["ZSCAN", "z", 2]] as const
  ) {
    const seen = new Set<string>();
    let cursor = "0";
    let steps = 0;
    do {
      const reply = h.run(cmd, key, cursor, "COUNT", "50");
      const parts = reply.split("\r\n");
      cursor = parts[2];
      const items = parts.slice(4).filter((_, i) => i % 2 === 1);
      for (let i = 0; i < items.length; i += stride) seen.add(items[i]);
      steps++;
    } while (cursor !== "0");
    assert.equal(seen.size, n, cmd);
    assert.equal(steps, n / 50, `${cmd} steps`);
  }
});
