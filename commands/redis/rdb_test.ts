import assert from "node:assert/strict";
import type { HeldBytes, RedisValue } from "./db.ts";
import { decodeRdb, intset, listpack, RdbEncoder, RdbError, ziplist } from "./rdb.ts";
import { Hash } from "./types/hash.ts";
import { List } from "./types/list.ts";
import { RSet } from "./types/set.ts";
import { ZSet } from "./types/zset.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let n = 0;
  for (const p of parts) {
    out.set(p, n);
    n += p.length;
  }
  return out;
}

function load(file: Uint8Array, now = 0) {
  const got = new Map<string, { value: RedisValue; expireAt?: number }>();
  const summary = decodeRdb(file, {
    onEntry: (db, key, value, expireAt) => got.set(`${db}:${key}`, { value, expireAt }),
  }, { now });
  return { got, summary };
}

Deno.test("RdbEncoder and decodeRdb round-trip every type, TTLs and databases", () => {
  const list = new List();
  for (const v of ["a", "12", "", "x".repeat(300)]) list.pushBack(enc.encode(v));
  const set = new RSet();
  for (const m of ["1", "b", "-7"]) set.add(m);
  const z = new ZSet();
  z.add("lo", -Infinity);
  z.add("mid", 2.5);
  z.add("hi", 1e300);
  const h = new Hash();
  h.set("f", enc.encode("v"));
  h.set("n", enc.encode("100000"));
  const e = new RdbEncoder();
  e.header({ "redis-ver": "7.0.15", "redis-bits": 64 });
  e.selectDb(0, 5, 1);
  e.entry("s", { type: "string", value: enc.encode("hello") }, 9_000_000_000_000);
  e.entry("l", { type: "list", value: list });
  e.entry("set", { type: "set", value: set });
  e.entry("z", { type: "zset", value: z });
  const head = e.take();
  e.selectDb(15);
  e.entry("h", { type: "hash", value: h });
  const file = concat(head, e.finish());
  const { got, summary } = load(file);
  assert.equal(summary.version, 10);
  assert.equal(summary.keys, 5);
  assert.equal(summary.length, file.length);
  const s = got.get("0:s")!;
  assert.equal(dec.decode(s.value.value as Uint8Array), "hello");
  assert.equal(s.expireAt, 9_000_000_000_000);
  const l = got.get("0:l")!.value.value as List;
  const text = (v: HeldBytes | undefined) => typeof v === "string" ? v : dec.decode(v);
  assert.deepEqual([0, 1, 2, 3].map((i) => text(l.at(i))), ["a", "12", "", "x".repeat(300)]);
  assert.deepEqual([...(got.get("0:set")!.value.value as RSet)].sort(), ["-7", "1", "b"]);
  assert.deepEqual(
    [...(got.get("0:z")!.value.value as ZSet)].map((n) => [n.member, n.score]),
    [["lo", -Infinity], ["mid", 2.5], ["hi", 1e300]],
  );
  const hash = got.get("15:h")!.value.value as Hash;
  assert.equal(hash.get("n"), "100000");
});

Deno.test("RdbEncoder writes integer encoding only for canonical integers", async (t) => {
  for (
    const [text, bytes] of [
      ["7", [0xc0, 7]],
      ["-200", [0xc1, 0x38, 0xff]],
      ["100000", [0xc2, 0xa0, 0x86, 0x01, 0x00]],
      ["007", [3, 48, 48, 55]],
      ["+1", [2, 43, 49]],
      ["99999999999", [11, ...enc.encode("99999999999")]],
    ] as const
  ) {
    await t.step(text, () => {
      const e = new RdbEncoder();
      e.entry("k", { type: "string", value: enc.encode(text) });
      // type byte, key "k" (length 1 + 'k'), then the value.
      assert.deepEqual([...e.take().subarray(3)], bytes);
    });
  }
});

Deno.test("decodeRdb drops expired keys and checks the checksum", () => {
  const e = new RdbEncoder();
  e.header({});
  e.selectDb(0);
  e.entry("old", { type: "string", value: enc.encode("x") }, 1000);
  e.entry("new", { type: "string", value: enc.encode("y") }, 3000);
  const file = e.finish();
  const { got, summary } = load(file, 2000);
  assert.deepEqual([...got.keys()], ["0:new"]);
  assert.equal(summary.expired, 1);
  const bad = file.slice();
  bad[bad.length - 12] ^= 1; // a byte of the last value
  assert.throws(() => load(bad), (err) => err instanceof RdbError && /checksum/.test(err.message));
  // A zero checksum (rdbchecksum no) is not checked.
  const unchecked = file.slice();
  unchecked.fill(0, unchecked.length - 8);
  assert.equal(load(unchecked).got.size, 2);
});

Deno.test("decodeRdb rejects what it cannot load with a clear message", async (t) => {
  const cases: [string, Uint8Array, RegExp][] = [
    ["not an RDB", enc.encode("hello world"), /Wrong signature/],
    ["a newer version", new Uint8Array([...enc.encode("REDIS0099"), 255]), /version 0099/],
    ["truncated", new Uint8Array([...enc.encode("REDIS0010"), 254]), /Unexpected EOF/],
    ["a module type", new Uint8Array([...enc.encode("REDIS0010"), 7, 1, 107]), /module/],
    ["functions", new Uint8Array([...enc.encode("REDIS0010"), 245, 0]), /functions/],
    ["a stream", new Uint8Array([...enc.encode("REDIS0010"), 19, 1, 107]), /stream/],
    ["db out of range", new Uint8Array([...enc.encode("REDIS0010"), 254, 20]), /databases/],
  ];
  for (const [name, bytes, message] of cases) {
    await t.step(name, () => {
      assert.throws(() => load(bytes), (e) => e instanceof RdbError && message.test(e.message));
    });
  }
});

Deno.test("listpack() reads every entry encoding", () => {
  // Entries: 7-bit uint 5, 6-bit string "ab", 13-bit int -2, int16 1000, int32 100000.
  const body = [
    0x05,
    1,
    0x82,
    97,
    98,
    3,
    0xdf,
    0xfe,
    2,
    0xf1,
    0xe8,
    0x03,
    3,
    0xf3,
    0xa0,
    0x86,
    0x01,
    0x00,
    5,
  ];
  const total = 6 + body.length + 1;
  const lp = new Uint8Array([total, 0, 0, 0, 5, 0, ...body, 0xff]);
  assert.deepEqual(listpack(lp).map((b) => dec.decode(b)), ["5", "ab", "-2", "1000", "100000"]);
  assert.throws(() => listpack(lp.subarray(0, lp.length - 1)), RdbError);
});

Deno.test("ziplist() and intset() read the pre-7.0 encodings", () => {
  // Entries: "ab", immediate 3, int16 -300.
  const body = [0, 0x02, 97, 98, 4, 0xf4, 2, 0xc0, 0xd4, 0xfe];
  const total = 10 + body.length + 1;
  const zl = new Uint8Array([total, 0, 0, 0, 0, 0, 0, 0, 3, 0, ...body, 0xff]);
  assert.deepEqual(ziplist(zl).map((b) => dec.decode(b)), ["ab", "3", "-300"]);
  const is = new Uint8Array([2, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 7, 0]);
  assert.deepEqual(intset(is), ["-1", "7"]);
});
