import assert from "node:assert/strict";
import { Database, type RedisValue } from "./db.ts";

function str(s: string): RedisValue {
  return { type: "string", value: new TextEncoder().encode(s) };
}

function setup(): { db: Database; clock: { now: number }; touched: string[] } {
  const clock = { now: 1_000_000 };
  const db = new Database(0, () => clock.now);
  const touched: string[] = [];
  db.onTouch = (k) => touched.push(k);
  return { db, clock, touched };
}

Deno.test("Database.get() deletes a key whose TTL has passed and tells onTouch", () => {
  const { db, clock, touched } = setup();
  db.set("a", str("1"));
  assert.ok(db.setExpire("a", clock.now + 10));
  assert.equal(db.expireAt("a"), clock.now + 10);
  clock.now += 9;
  assert.ok(db.has("a"));
  clock.now += 1;
  touched.length = 0;
  assert.equal(db.get("a"), undefined);
  assert.deepEqual(touched, ["a"]);
  assert.equal(db.size(), 0);
});

Deno.test("Database.set() clears the TTL unless keepTtl", () => {
  const { db, clock } = setup();
  db.set("a", str("1"));
  db.setExpire("a", clock.now + 10);
  db.set("a", str("2"), { keepTtl: true });
  assert.equal(db.expireAt("a"), clock.now + 10);
  db.set("a", str("3"));
  assert.equal(db.expireAt("a"), undefined);
  assert.equal(db.setExpire("missing", clock.now + 10), false);
});

Deno.test("Database.setExpire() with a past time deletes the key", () => {
  const { db, clock } = setup();
  db.set("a", str("1"));
  assert.ok(db.setExpire("a", clock.now - 1));
  assert.equal(db.has("a"), false);
});

Deno.test("Database.scan() returns every key present throughout despite churn", () => {
  const { db } = setup();
  for (let i = 0; i < 1000; i++) db.set(`k${i}`, str("v"));
  const seen = new Set<string>();
  let cursor = 0;
  let round = 0;
  do {
    const step = db.scan(cursor, 10);
    for (const k of step.keys) seen.add(k);
    cursor = step.cursor;
    // Delete and add keys between steps, enough to trigger compaction.
    for (let j = 0; j < 10; j++) db.delete(`k${500 + round * 10 + j}`);
    db.set(`new${round}`, str("v"));
    round++;
  } while (cursor !== 0);
  for (let i = 0; i < 500; i++) assert.ok(seen.has(`k${i}`), `k${i}`);
});

Deno.test("Database.activeExpireCycle() removes expired keys", () => {
  const { db, clock } = setup();
  for (let i = 0; i < 100; i++) {
    db.set(`k${i}`, str("v"));
    db.setExpire(`k${i}`, clock.now + (i < 90 ? 5 : 1_000));
  }
  clock.now += 10;
  let removed = 0;
  for (let i = 0; i < 10 && removed < 90; i++) removed += db.activeExpireCycle(1_000);
  assert.equal(removed, 90);
  assert.equal(db.size(), 10);
});

Deno.test("Database.randomKey(), keys(), flush() and swap()", () => {
  const { db, touched } = setup();
  assert.equal(db.randomKey(), undefined);
  db.set("a", str("1"));
  db.set("b", str("2"));
  assert.ok(["a", "b"].includes(db.randomKey()!));
  assert.deepEqual([...db.keys()].sort(), ["a", "b"]);
  const other = new Database(1, () => 0);
  db.swap(other);
  assert.equal(db.size(), 0);
  assert.equal(other.size(), 2);
  touched.length = 0;
  other.onTouch = (k) => touched.push(k);
  other.flush();
  assert.deepEqual(touched.sort(), ["a", "b"]);
  assert.equal(other.size(), 0);
});
