import assert from "node:assert/strict";
import { Database, RAW_STRINGS, type RedisValue, typeOf } from "./db.ts";
import { entrySize } from "./memory.ts";
import { List } from "./types/list.ts";

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

Deno.test("Database holds short ASCII strings as JS strings and other strings as bytes", () => {
  const { db } = setup();
  db.set("short", str("abc"));
  db.set("high", { type: "string", value: new Uint8Array([0xff]) });
  db.set("long", str("x".repeat(100)));
  assert.equal(db.lookup("short"), "abc");
  assert.ok(db.lookup("high") instanceof Uint8Array);
  assert.ok(db.lookup("long") instanceof Uint8Array);
  // get() still hands out bytes, whatever the storage.
  assert.deepEqual(db.get("short"), str("abc"));
  assert.equal(typeOf(db.lookup("short")!), "string");
});

Deno.test("Database holds values of up to 11 ASCII bytes in the key's record", () => {
  const { db, clock, touched } = setup();
  const enc = new TextEncoder();
  const read = (key: string) => {
    const at = db.shortValue(key);
    return at < 0
      ? at
      : new TextDecoder().decode(db.records.subarray(at + 1, at + 1 + db.records[at]));
  };
  db.putBytes("a", enc.encode("12345678901"));
  db.putBytes("b", enc.encode("123456789012"));
  db.putBytes("c", new Uint8Array([0xff]));
  db.putBytes("d", new Uint8Array(0));
  db.put("e", "hello");
  assert.equal(read("a"), "12345678901");
  assert.equal(read("b"), -2);
  assert.equal(read("c"), -2);
  assert.equal(read("d"), "");
  assert.equal(read("e"), "hello");
  assert.equal(read("missing"), -1);
  assert.equal(db.lookup("a"), "12345678901");
  assert.equal(db.lookup("b"), "123456789012");
  assert.deepEqual(db.lookup("c"), new Uint8Array([0xff]));
  assert.deepEqual(db.get("d"), str(""));
  assert.deepEqual(touched, ["a", "b", "c", "d", "e"]);
  // The argument's buffer may change after the write; the record keeps its own copy.
  const arg = enc.encode("xyz");
  db.putBytes("a", arg);
  arg.fill(0);
  assert.equal(db.peek("a"), "xyz");
  // From the record to a held value and back, the size accounted following.
  db.putBytes("a", enc.encode("y".repeat(40)));
  assert.equal(db.lookup("a"), "y".repeat(40));
  assert.equal(read("a"), -2);
  db.putBytes("a", enc.encode("z"));
  assert.equal(read("a"), "z");
  const sizes = [["a", "z"], ["b", "123456789012"], ["d", ""], ["e", "hello"]] as const;
  let total = entrySize("c", new Uint8Array([0xff]));
  for (const [key, value] of sizes) total += entrySize(key, value);
  assert.equal(db.memory(), total);
  // A read through shortValue is an access; a TTL is kept only when asked.
  clock.now += 1_000;
  read("e");
  assert.equal(db.idleTime("e"), 0);
  db.setExpire("e", clock.now + 10_000);
  db.putBytes("e", enc.encode("kept"), true);
  assert.equal(db.expireAt("e"), clock.now + 10_000);
  db.putBytes("e", enc.encode("gone"));
  assert.equal(db.expireAt("e"), undefined);
  for (const key of ["a", "b", "c", "d", "e"]) assert.ok(db.delete(key));
  assert.equal(db.memory(), 0);
});

Deno.test("Database keeps strings built in place (RAW_STRINGS) as bytes", () => {
  const { db } = setup();
  const raw = new TextEncoder().encode("ab");
  RAW_STRINGS.add(raw);
  db.set("r", { type: "string", value: raw });
  assert.equal(db.lookup("r"), raw);
});

Deno.test("Database.memory() follows sets, overwrites, in-place changes and deletes", () => {
  const { db } = setup();
  assert.equal(db.memory(), 0);
  db.set("a", str("1"));
  const one = db.memory();
  assert.equal(one, entrySize("a", "1"));
  db.set("a", str("x".repeat(60)));
  assert.equal(db.memory(), entrySize("a", "x".repeat(60)));
  const list = new List();
  db.put("l", list);
  const empty = db.memory();
  for (let i = 0; i < 100; i++) list.pushBack(new Uint8Array(100));
  db.touch("l");
  assert.ok(db.memory() > empty + 100 * 100);
  db.delete("l");
  db.delete("a");
  assert.equal(db.memory(), 0);
});

Deno.test("Database.idleTime() counts from the last read or write; peek() does not touch", () => {
  const { db, clock } = setup();
  db.set("a", str("1"));
  clock.now += 5_000;
  assert.equal(db.idleTime("a"), 5_000);
  db.peek("a");
  db.has("a");
  assert.equal(db.idleTime("a"), 5_000);
  db.lookup("a");
  assert.equal(db.idleTime("a"), 0);
  clock.now += 1_000;
  db.set("a", str("2"));
  assert.equal(db.idleTime("a"), 0);
  assert.equal(db.idleTime("missing"), undefined);
});

Deno.test("Database.frequency() starts at 5, grows with accesses and decays per minute", () => {
  const { db, clock } = setup();
  db.lfu = true;
  db.set("a", str("1"));
  assert.equal(db.frequency("a"), 5);
  // The first increments past the initial value are certain (probability 1 / (0 * 10 + 1)).
  db.lookup("a");
  assert.equal(db.frequency("a"), 6);
  for (let i = 0; i < 1000; i++) db.lookup("a");
  const hot = db.frequency("a")!;
  assert.ok(hot > 6 && hot < 255, String(hot));
  clock.now += 3 * 60_000;
  assert.equal(db.frequency("a"), hot - 3);
});

Deno.test("Database.sampleKeys() draws live keys, or keys with a TTL round-robin", () => {
  const { db, clock } = setup();
  for (let i = 0; i < 50; i++) db.set(`k${i}`, str("v"));
  for (let i = 0; i < 5; i++) db.setExpire(`k${i}`, clock.now + 1000);
  const sample = db.sampleKeys(10, false);
  assert.equal(sample.length, 10);
  for (const k of sample) assert.ok(db.has(k));
  const volatile = new Set([...db.sampleKeys(5, true), ...db.sampleKeys(5, true)]);
  assert.deepEqual([...volatile].sort(), ["k0", "k1", "k2", "k3", "k4"]);
});

Deno.test("Database grows and shrinks its index through many keys, with or without tags", () => {
  for (const taggedSlots of [undefined, 3001]) {
    growAndShrink(new Database(0, () => 1, { taggedSlots }));
  }
});

function growAndShrink(db: Database): void {
  for (let i = 0; i < 10_000; i++) {
    db.set(`key:${String(i).padStart(12, "0")}`, str("xxx"));
    // Every key so far is found between the index's rebuilds too.
    if (i % 1000 === 1) {
      for (let j = 0; j <= i; j++) assert.ok(db.has(`key:${String(j).padStart(12, "0")}`));
    }
  }
  assert.equal(db.size(), 10_000);
  for (let i = 0; i < 10_000; i += 2) assert.ok(db.delete(`key:${String(i).padStart(12, "0")}`));
  assert.equal(db.size(), 5_000);
  for (let i = 0; i < 10_000; i++) {
    assert.equal(db.has(`key:${String(i).padStart(12, "0")}`), i % 2 === 1);
  }
  assert.equal([...db.keys()].length, 5_000);
  const bytes = new TextEncoder();
  for (let i = 0; i < 10_000; i++) {
    const name = `key:${String(i).padStart(12, "0")}`;
    const key = db.key(bytes.encode(name));
    assert.equal(key, name);
    assert.equal(db.lookup(key), i % 2 === 1 ? "xxx" : undefined);
  }
  for (let i = 1; i < 10_000; i += 2) db.delete(`key:${String(i).padStart(12, "0")}`);
  assert.equal(db.size(), 0);
  assert.equal(db.memory(), 0);
}

Deno.test("Database.key() names present, deleted, absent, binary and long keys as latin1 does", () => {
  const db = new Database(0, () => 1000);
  const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const names = ["a", "key:000000000001", "bin\x00\xff\r\n", "x".repeat(100), ""];
  for (const name of names) db.set(name, { type: "string", value: bytes("v") });
  for (let i = 0; i < 200; i++) db.set(`filler:${i}`, { type: "string", value: bytes("v") });
  db.delete("a");
  for (const name of [...names, "absent", "key:000000000002"]) {
    const key = db.key(bytes(name));
    assert.equal(key, name);
    assert.equal(db.has(key), name !== "a" && names.includes(name));
  }
});

Deno.test("Database.key() after prefetch() names every key right, in or out of order", () => {
  const db = new Database(0, () => 1000);
  const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const present = new Set<string>();
  let seed = 7;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  for (let round = 0; round < 300; round++) {
    // Names of several lengths, some past the longest prefetched, some repeated in a batch.
    const names = Array.from(
      { length: 1 + random(40) },
      () => random(10) === 0 ? "long:".repeat(20) + random(50) : `k:${random(500)}`,
    );
    const views = names.map(bytes);
    db.prefetch(views);
    // Taken mostly in order, with skips and repeats, and writes that grow or shrink the index.
    for (let i = 0; i < views.length; i++) {
      const j = random(4) === 0 ? random(views.length) : i;
      const key = db.key(views[j]);
      assert.equal(key, names[j]);
      if (random(3) === 0) {
        db.set(key, { type: "string", value: bytes("v") });
        present.add(key);
      } else if (random(5) === 0) {
        db.delete(key);
        present.delete(key);
      }
      assert.equal(db.has(key), present.has(key));
    }
  }
  assert.equal(db.size(), present.size);
});
