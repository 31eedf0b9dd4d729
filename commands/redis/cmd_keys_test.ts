import assert from "node:assert/strict";
import { KEY_COMMANDS } from "./cmd_keys.ts";
import { STRING_COMMANDS } from "./cmd_strings.ts";
import { LIST_COMMANDS } from "./cmd_lists.ts";
import { HASH_COMMANDS } from "./cmd_hashes.ts";
import { differential } from "./_differential.ts";
import { HAS_REDIS_SERVER } from "./_redis_peer.ts";
import { bulk, bulks, err, harness, int, NIL, OK } from "./_test_util.ts";

const s = (line: string) => line.split(" ");

Deno.test("EXPIRE options, TTL and PTTL on a fake clock", () => {
  const h = harness(KEY_COMMANDS, STRING_COMMANDS);
  h.run("SET", "k", "v");
  assert.equal(h.run("TTL", "k"), int(-1));
  assert.equal(h.run("TTL", "nope"), int(-2));
  assert.equal(h.run("EXPIRE", "k", "10", "XX"), int(0));
  assert.equal(h.run("EXPIRE", "k", "10", "GT"), int(0));
  assert.equal(h.run("EXPIRE", "k", "10", "LT"), int(1));
  assert.equal(h.run("EXPIRE", "k", "20", "NX"), int(0));
  assert.equal(h.run("EXPIRE", "k", "5", "GT"), int(0));
  assert.equal(h.run("EXPIRE", "k", "20", "GT"), int(1));
  h.clock.now += 1_499;
  assert.equal(h.run("PTTL", "k"), int(18_501));
  assert.equal(h.run("TTL", "k"), int(19));
  assert.equal(
    h.run("EXPIRETIME", "k"),
    int(Math.floor((h.clock.now - 1_499 + 20_000 + 500) / 1000)),
  );
  h.clock.now += 18_501;
  assert.equal(h.run("GET", "k"), NIL);
  assert.equal(h.run("EXISTS", "k"), int(0));
});

Deno.test("SCAN walks every key with MATCH and TYPE", () => {
  const h = harness(KEY_COMMANDS, STRING_COMMANDS);
  for (let i = 0; i < 25; i++) h.run("SET", `key:${i}`, "v");
  const seen: string[] = [];
  let cursor = "0";
  do {
    const reply = h.run("SCAN", cursor, "MATCH", "key:1*", "COUNT", "7", "TYPE", "string");
    const m = /^\*2\r\n\$\d+\r\n(\d+)\r\n\*\d+\r\n(.*)$/s.exec(reply)!;
    cursor = m[1];
    for (const k of m[2].split("\r\n").filter((x) => x.startsWith("key:"))) seen.push(k);
  } while (cursor !== "0");
  assert.deepEqual(seen.sort(), [
    "key:1",
    "key:10",
    "key:11",
    "key:12",
    "key:13",
    "key:14",
    "key:15",
    "key:16",
    "key:17",
    "key:18",
    "key:19",
  ]);
  assert.equal(h.run("SCAN", "x"), err("ERR invalid cursor"));
  assert.equal(h.run("SCAN", "0", "COUNT", "0"), err("ERR syntax error"));
});

Deno.test("COPY and MOVE between databases keep the TTL", () => {
  const h = harness(KEY_COMMANDS, STRING_COMMANDS);
  h.run("SET", "k", "v", "EX", "100");
  assert.equal(h.run("COPY", "k", "k"), err("ERR source and destination objects are the same"));
  assert.equal(h.run("COPY", "k", "k", "DB", "16"), err("ERR DB index is out of range"));
  assert.equal(h.run("COPY", "k", "k", "DB", "1"), int(1));
  assert.equal(h.run("COPY", "k", "k", "DB", "1"), int(0));
  assert.equal(h.run("COPY", "k", "k", "DB", "1", "REPLACE"), int(1));
  assert.equal(h.server.dbs[1].expireAt("k"), h.clock.now + 100_000);
  assert.equal(h.run("MOVE", "k", "1"), int(0));
  assert.equal(h.run("MOVE", "k", "0"), err("ERR source and destination objects are the same"));
  h.run("SET", "m", "v");
  assert.equal(h.run("MOVE", "m", "2"), int(1));
  assert.equal(h.run("EXISTS", "m"), int(0));
  h.session.dbIndex = 2;
  assert.equal(h.run("GET", "m"), bulk("v"));
  assert.equal(h.run("RANDOMKEY"), bulk("m"));
  h.session.dbIndex = 3;
  assert.equal(h.run("RANDOMKEY"), NIL);
});

Deno.test("OBJECT ENCODING names strings by content", () => {
  const h = harness(KEY_COMMANDS, STRING_COMMANDS);
  h.run("SET", "i", "12345");
  h.run("SET", "e", "x".repeat(44));
  h.run("SET", "r", "x".repeat(45));
  assert.equal(h.run("OBJECT", "ENCODING", "i"), bulk("int"));
  assert.equal(h.run("OBJECT", "ENCODING", "e"), bulk("embstr"));
  assert.equal(h.run("OBJECT", "ENCODING", "r"), bulk("raw"));
  assert.equal(h.run("OBJECT", "ENCODING", "nope"), NIL);
  assert.equal(h.run("KEYS", "[ie]"), bulks("i", "e"));
  assert.equal(h.run("RENAME", "i", "j"), OK);
});

Deno.test(
  { name: "key commands reply as redis-server 7.0 does", ignore: !HAS_REDIS_SERVER },
  async () => {
    const script = [
      "SET a 1",
      "SET b 2",
      "DEL a b c a",
      "SET a 1",
      "EXISTS a a b",
      "UNLINK a",
      "TYPE a",
      "SET a 1",
      "TYPE a",
      "RENAME nope x",
      "RENAME a a",
      "RENAME a b",
      "GET b",
      "RENAMENX b b",
      "SET c 3",
      "RENAMENX b c",
      "RENAMENX b d",
      "EXPIRE d 100",
      "TTL d",
      "RENAME d e",
      "TTL e",
      "PERSIST e",
      "PERSIST e",
      "TTL e",
      "EXPIRE e 10 NX XX",
      "EXPIRE e 10 GT LT",
      "EXPIRE e 10 FOO",
      "EXPIRE e abc",
      "EXPIRE e 9223372036854775807",
      "EXPIRE nope 10",
      "EXPIRE e -1",
      "EXISTS e",
      "SET f 1",
      "EXPIREAT f 1",
      "EXISTS f",
      "SET g 1",
      "EXPIRETIME g",
      "PEXPIRETIME nope",
      "PEXPIREAT g 99999999999999",
      "PEXPIRETIME g",
      "EXPIRETIME g",
      "TOUCH g nope g",
      "COPY g h",
      "GET h",
      "PEXPIRETIME h",
      "COPY g h",
      "COPY g h REPLACE",
      "COPY g h DB x",
      "COPY g h FOO",
      "MOVE g x",
      "MOVE g 99",
      "OBJECT ENCODING g",
      "APPEND ap 12",
      "OBJECT ENCODING ap",
      "APPEND ap 3",
      "OBJECT ENCODING ap",
      "SETRANGE sr 0 5",
      "OBJECT ENCODING sr",
      "SETBIT sb 1 1",
      "OBJECT ENCODING sb",
      "SET fl 1.5",
      "INCRBYFLOAT fl 1",
      "OBJECT ENCODING fl",
      "SET n 5",
      "INCR n",
      "OBJECT ENCODING n",
      "GETSET n abc",
      "OBJECT ENCODING n",
      "OBJECT FOO g",
      "OBJECT ENCODING",
      "OBJECT REFCOUNT g",
      "KEYS nomatch*",
      "SCAN 0 MATCH nomatch",
      "SCAN 0 FOO",
    ].map(s);
    const mismatches = await differential([KEY_COMMANDS, STRING_COMMANDS], script);
    assert.deepEqual(mismatches, []);
  },
);

Deno.test(
  { name: "key replies in RESP3 match redis-server 7.0", ignore: !HAS_REDIS_SERVER },
  async () => {
    const script = [
      "SET k v",
      "TYPE k",
      "TYPE nope",
      "RANDOMKEY",
      "DEL k",
      "RANDOMKEY",
      "OBJECT ENCODING nope",
      "SCAN 0",
      "TTL nope",
    ].map(s);
    const mismatches = await differential([KEY_COMMANDS, STRING_COMMANDS], script, 3);
    assert.deepEqual(mismatches, []);
  },
);

Deno.test("an expired key is never served, whatever its type", () => {
  const h = harness(KEY_COMMANDS, STRING_COMMANDS, LIST_COMMANDS, HASH_COMMANDS);
  h.run("RPUSH", "l", "a");
  h.run("HSET", "h", "f", "v");
  h.run("SET", "s", "v");
  for (const k of ["l", "h", "s"]) assert.equal(h.run("PEXPIRE", k, "5"), int(1));
  h.clock.now += 5;
  assert.equal(h.run("LLEN", "l"), int(0));
  assert.equal(h.run("HGET", "h", "f"), NIL);
  assert.equal(h.run("TYPE", "s"), "+none\r\n");
  assert.equal(h.run("KEYS", "*"), "*0\r\n");
  assert.equal(h.run("SCAN", "0"), "*2\r\n$1\r\n0\r\n*0\r\n");
  assert.equal(h.server.dbs[0].size(), 0);
});
