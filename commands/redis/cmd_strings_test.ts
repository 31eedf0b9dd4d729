import assert from "node:assert/strict";
import { STRING_COMMANDS } from "./cmd_strings.ts";
import { differential } from "./_differential.ts";
import { HAS_REDIS_SERVER } from "./_redis_peer.ts";
import { bulk, err, harness, int, NIL, OK } from "./_test_util.ts";

const s = (line: string) => line.split(" ");

Deno.test("SET options, GET and TTL handling on a fake clock", () => {
  const h = harness(STRING_COMMANDS);
  assert.equal(h.run("SET", "k", "v", "PX", "100"), OK);
  assert.equal(h.run("GET", "k"), bulk("v"));
  h.clock.now += 100;
  assert.equal(h.run("GET", "k"), NIL);
  assert.equal(h.run("SET", "k", "v", "XX"), NIL);
  assert.equal(h.run("SET", "k", "v", "NX", "GET"), NIL);
  assert.equal(h.run("SET", "k", "w", "GET"), bulk("v"));
  assert.equal(h.run("SET", "k", "w", "EX", "0"), err("ERR invalid expire time in 'set' command"));
  assert.equal(h.run("SET", "k", "w", "EX", "1", "PX", "1"), err("ERR syntax error"));
  assert.equal(
    h.run("SET", "k", "w", "EX", "x"),
    err("ERR value is not an integer or out of range"),
  );
  h.run("SET", "t", "1", "EX", "10");
  h.run("INCR", "t");
  assert.equal(h.server.dbs[0].expireAt("t"), h.clock.now + 10_000);
  h.run("SET", "t", "1", "KEEPTTL");
  assert.equal(h.server.dbs[0].expireAt("t"), h.clock.now + 10_000);
  h.run("SET", "t", "1");
  assert.equal(h.server.dbs[0].expireAt("t"), undefined);
});

Deno.test("counters keep 64-bit precision and report overflow", () => {
  const h = harness(STRING_COMMANDS);
  assert.equal(h.run("SET", "n", "9223372036854775806"), OK);
  assert.equal(h.run("INCR", "n"), ":9223372036854775807\r\n");
  assert.equal(h.run("INCR", "n"), err("ERR increment or decrement would overflow"));
  assert.equal(h.run("DECRBY", "m", "-9223372036854775808"), err("ERR decrement would overflow"));
  assert.equal(h.run("INCRBY", "m", "5"), int(5));
});

Deno.test("counters move between the key's record (11 digits) and a held string", () => {
  const h = harness(STRING_COMMANDS);
  assert.equal(h.run("SET", "n", "99999999999"), OK);
  assert.equal(h.run("INCR", "n"), int(100000000000));
  assert.equal(h.run("GET", "n"), bulk("100000000000"));
  assert.equal(h.run("DECR", "n"), int(99999999999));
  assert.equal(h.run("GET", "n"), bulk("99999999999"));
  assert.equal(h.run("INCRBY", "n", "-99999999999"), int(0));
  assert.equal(h.run("DECRBY", "n", "12"), int(-12));
  for (const bad of ["", "-0", "01", "1x", "-", "+1"]) {
    h.run("SET", "b", bad);
    assert.equal(h.run("INCR", "b"), err("ERR value is not an integer or out of range"), bad);
    assert.equal(h.run("GET", "b"), bulk(bad));
  }
});

Deno.test("INCRBYFLOAT computes in long double and prints 17 decimals, as redis-server", () => {
  // 5.6 + 1e3 is 1005.59999999999999998 in the 80-bit format, and 0.1 + 0.2 is exactly 0.3
  // to 17 decimals: redis-server prints both so.
  const h = harness(STRING_COMMANDS);
  h.run("SET", "f", "5.6");
  assert.equal(h.run("INCRBYFLOAT", "f", "1e3"), bulk("1005.59999999999999998"));
  h.run("SET", "g", "0.1");
  assert.equal(h.run("INCRBYFLOAT", "g", "0.2"), bulk("0.3"));
  assert.equal(
    h.run("INCRBYFLOAT", "f", "inf"),
    err("ERR increment would produce NaN or Infinity"),
  );
});

Deno.test(
  { name: "string commands reply as redis-server 7.0 does", ignore: !HAS_REDIS_SERVER },
  async () => {
    const script = [
      "GET missing",
      "SET a hello",
      "APPEND a _world",
      "STRLEN a",
      "GETRANGE a 0 4",
      "GETRANGE a -5 -1",
      "GETRANGE a 0 -100",
      "GETRANGE a 5 2",
      "GETRANGE a -1 -5",
      "GETRANGE missing 0 -1",
      "SETRANGE a 20 XY",
      "GET a",
      "SETRANGE b 0 ",
      "SETRANGE a -1 x",
      "INCR a",
      "INCRBY c 10",
      "DECR c",
      "DECRBY c 3",
      "INCRBY c 1.5",
      "SET f 10.50",
      "INCRBYFLOAT f 0.1",
      "INCRBYFLOAT f -5",
      "INCRBYFLOAT f abc",
      "INCRBYFLOAT a 1",
      "SET f 3.0e3",
      "INCRBYFLOAT f 1.5",
      "SETNX a x",
      "SETNX d x",
      "MSET k1 v1 k2 v2",
      "MSET k1",
      "MGET k1 k2 missing",
      "MSETNX k1 x k9 y",
      "MSETNX k8 x k9 y",
      "GETSET k1 new",
      "GETDEL k1",
      "GETDEL k1",
      "GETEX k2",
      "GETEX k2 EX 100",
      "GETEX k2 PERSIST",
      "GETEX k2 EX 0",
      "GETEX k2 FOO",
      "SETEX s 0 x",
      "SETEX s 10 x",
      "PSETEX s 1000 x",
      "SETEX s -1 x",
      "SETBIT bits 7 1",
      "SETBIT bits 7 0",
      "SETBIT bits 100 1",
      "SETBIT bits 1 2",
      "SETBIT bits -1 1",
      "GETBIT bits 100",
      "GETBIT bits 10000",
      "SET bc foobar",
      "BITCOUNT bc",
      "BITCOUNT bc 0 0",
      "BITCOUNT bc 1 1",
      "BITCOUNT bc 1 -2",
      "BITCOUNT bc 5 30 BIT",
      "BITCOUNT bc 0",
      "BITCOUNT bc 0 1 WORD",
      "BITCOUNT missing",
      "SET bp \xff\xf0\x00",
      "BITPOS bp 0",
      "BITPOS bp 1 2",
      "BITPOS bp 1 1 -1 BIT",
      "SET ones \xff\xff",
      "BITPOS ones 0",
      "BITPOS ones 0 0 -1",
      "BITPOS missing 0",
      "BITPOS missing 1",
      "BITPOS bp 2",
      "SET x1 abc",
      "SET x2 ab",
      "BITOP AND dst x1 x2",
      "GET dst",
      "BITOP OR dst x1 x2",
      "GET dst",
      "BITOP XOR dst x1 x2 missing",
      "GET dst",
      "BITOP NOT dst x1",
      "GET dst",
      "BITOP NOT dst x1 x2",
      "BITOP FOO dst x1",
      "BITOP AND dst missing",
      "GET dst",
      "SET big 1 EXAT 1",
      "GET big",
      "SET e1 v NX XX",
      "SET e1 v KEEPTTL EX 10",
    ].map((line) => line === "SETRANGE b 0 " ? ["SETRANGE", "b", "0", ""] : s(line));
    const mismatches = await differential([STRING_COMMANDS], script);
    assert.deepEqual(mismatches, []);
  },
);

Deno.test(
  { name: "string replies in RESP3 match redis-server 7.0", ignore: !HAS_REDIS_SERVER },
  async () => {
    const script = [
      "GET nope",
      "SET k v",
      "SET k w GET",
      "SET k2 v NX GET",
      "SET k v XX",
      "SET nope v XX",
      "MGET k nope",
      "INCRBYFLOAT f 1.5",
      "GETDEL nope",
    ].map(s);
    const mismatches = await differential([STRING_COMMANDS], script, 3);
    assert.deepEqual(mismatches, []);
  },
);

Deno.test("GET and INCR count one access whether the value is in the key's record or not", () => {
  const h = harness(STRING_COMMANDS);
  const db = h.server.dbs[0];
  db.lfu = true;
  // Every access moves the LFU counter when the draw is 0.
  const random = Math.random;
  Math.random = () => 0;
  try {
    for (const value of ["short", "a value too long for the record", "12", "1234567890123"]) {
      h.run("SET", "k", value);
      const before = db.frequency("k")!;
      h.run("GET", "k");
      assert.equal(db.frequency("k"), before + 1, `GET of ${value}`);
      if (/^\d+$/.test(value)) {
        h.run("INCR", "k");
        assert.equal(db.frequency("k"), before + 2, `INCR of ${value}`);
      }
      db.delete("k");
    }
  } finally {
    Math.random = random;
  }
});
