import assert from "node:assert/strict";
import { SET_COMMANDS } from "./cmd_sets.ts";
import { KEY_COMMANDS } from "./cmd_keys.ts";
import { STRING_COMMANDS } from "./cmd_strings.ts";
import { differential } from "./_differential.ts";
import { HAS_REDIS_SERVER } from "./_redis_peer.ts";
import { bulk, harness, int } from "./_test_util.ts";

const s = (line: string) => line.split(" ");

function members(reply: string): string[] {
  return reply.split("\r\n").filter((_, i) => i > 0 && i % 2 === 0).sort();
}

Deno.test("set algebra, SPOP and SRANDMEMBER", () => {
  const h = harness(SET_COMMANDS, KEY_COMMANDS);
  h.run("SADD", "a", "1", "2", "3", "x");
  h.run("SADD", "b", "2", "3", "4");
  assert.deepEqual(members(h.run("SINTER", "a", "b")), ["2", "3"]);
  assert.deepEqual(members(h.run("SUNION", "a", "b")), ["1", "2", "3", "4", "x"]);
  assert.deepEqual(members(h.run("SDIFF", "a", "b")), ["1", "x"]);
  assert.equal(h.run("SUNIONSTORE", "u", "a", "b"), int(5));
  assert.equal(h.run("SINTERCARD", "2", "a", "b", "LIMIT", "1"), int(1));
  const popped = members(h.run("SPOP", "u", "10"));
  assert.deepEqual(popped, ["1", "2", "3", "4", "x"]);
  assert.equal(h.run("EXISTS", "u"), int(0));
  assert.equal(h.run("SRANDMEMBER", "b", "-7").split("\r\n").length, 16);
  assert.deepEqual(members(h.run("SRANDMEMBER", "b", "7")), ["2", "3", "4"]);
  h.session.protocol = 3;
  assert.ok(h.run("SMEMBERS", "b").startsWith("~3\r\n"));
});

Deno.test("OBJECT ENCODING of sets moves intset → listpack → hashtable", () => {
  const h = harness(SET_COMMANDS, KEY_COMMANDS);
  h.run("SADD", "s", "1", "2");
  assert.equal(h.run("OBJECT", "ENCODING", "s"), bulk("intset"));
  h.run("SADD", "s", "a");
  assert.equal(h.run("OBJECT", "ENCODING", "s"), bulk("listpack"));
  for (let i = 0; i < 130; i++) h.run("SADD", "s", `m${i}`);
  assert.equal(h.run("OBJECT", "ENCODING", "s"), bulk("hashtable"));
});

Deno.test(
  { name: "set commands reply as redis-server 7.0 does", ignore: !HAS_REDIS_SERVER },
  async () => {
    const script = [
      "SADD s 3 1 2",
      "SADD s 2 4",
      "SMEMBERS s",
      "SSCAN s 0",
      "SSCAN s 0 MATCH [12]",
      "SCARD s",
      "SISMEMBER s 1",
      "SISMEMBER s 9",
      "SMISMEMBER s 1 9 2",
      "SMISMEMBER nope 1",
      "SREM s 1 9",
      "SREM nope 1",
      "SMEMBERS nope",
      "SADD t 4 5",
      "SINTER s t",
      "SINTER s nope",
      "SDIFF s t",
      "SDIFF nope s",
      "SUNION nope",
      "SINTERSTORE d s t",
      "SMEMBERS d",
      "SINTERSTORE d s nope",
      "EXISTS d",
      "SDIFFSTORE d s t",
      "SMEMBERS d",
      "SINTERCARD 2 s t",
      "SINTERCARD 0 s",
      "SINTERCARD 3 s t",
      "SINTERCARD 2 s t LIMIT -1",
      "SINTERCARD 2 s t FOO",
      "SINTERCARD 1 nope",
      "SMOVE s t 2",
      "SMOVE s t 9",
      "SMOVE nope t 9",
      "SMOVE s s 3",
      "SPOP nope",
      "SPOP nope 2",
      "SPOP s -1",
      "SPOP s 0",
      "SPOP s 1 2",
      "SRANDMEMBER nope",
      "SRANDMEMBER nope 5",
      "SRANDMEMBER s 0",
      "SRANDMEMBER s x",
      "SET str v",
      "SADD str a",
      "SINTER s str",
      "SUNIONSTORE d str",
      "SMOVE s str 3",
      "SREM t 2 4 5",
      "EXISTS t",
    ].map(s);
    const mismatches = await differential([SET_COMMANDS, KEY_COMMANDS, STRING_COMMANDS], script);
    assert.deepEqual(mismatches, []);
  },
);

Deno.test(
  { name: "set replies in RESP3 match redis-server 7.0", ignore: !HAS_REDIS_SERVER },
  async () => {
    const script = [
      "SADD s 1 2 3",
      "SMEMBERS s",
      "SMEMBERS nope",
      "SINTER s nope",
      "SUNION s",
      "SDIFF s",
      "SISMEMBER s 1",
      "SMISMEMBER s 1 9",
      "SPOP nope",
      "SPOP nope 2",
      "SPOP s 0",
      "SRANDMEMBER nope",
      "SRANDMEMBER nope 2",
      "SSCAN s 0",
    ].map(s);
    const mismatches = await differential([SET_COMMANDS], script, 3);
    assert.deepEqual(mismatches, []);
  },
);
