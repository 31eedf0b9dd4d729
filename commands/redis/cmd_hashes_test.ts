import assert from "node:assert/strict";
import { HASH_COMMANDS } from "./cmd_hashes.ts";
import { KEY_COMMANDS } from "./cmd_keys.ts";
import { STRING_COMMANDS } from "./cmd_strings.ts";
import { differential } from "./_differential.ts";
import { HAS_REDIS_SERVER } from "./_redis_peer.ts";
import { bulk, harness, int } from "./_test_util.ts";

const s = (line: string) => line.split(" ");

Deno.test("HGETALL is a map in RESP3 and HRANDFIELD picks distinct fields", () => {
  const h = harness(HASH_COMMANDS, KEY_COMMANDS);
  h.run("HSET", "h", "a", "1", "b", "2");
  h.session.protocol = 3;
  assert.equal(h.run("HGETALL", "h"), "%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
  const reply = h.run("HRANDFIELD", "h", "5", "WITHVALUES");
  assert.ok(reply.startsWith("*2\r\n*2\r\n"), reply);
  h.session.protocol = 2;
  const fields = h.run("HRANDFIELD", "h", "2");
  assert.ok(fields.includes(bulk("a")) && fields.includes(bulk("b")));
  assert.equal(h.run("HRANDFIELD", "h", "-5").split("\r\n").length, 12);
  assert.equal(h.run("OBJECT", "ENCODING", "h"), bulk("listpack"));
  h.run("HSET", "h", "big", "x".repeat(65));
  assert.equal(h.run("OBJECT", "ENCODING", "h"), bulk("hashtable"));
  h.run("HDEL", "h", "big");
  assert.equal(h.run("OBJECT", "ENCODING", "h"), bulk("hashtable"));
  assert.equal(h.run("HDEL", "h", "a", "b"), int(2));
  assert.equal(h.run("EXISTS", "h"), int(0));
});

Deno.test(
  { name: "hash commands reply as redis-server 7.0 does", ignore: !HAS_REDIS_SERVER },
  async () => {
    const script = [
      "HSET h a 1 b 2",
      "HSET h a 3 c 4",
      "HSET h a",
      "HMSET h d 5",
      "HMSET h d",
      "HGET h a",
      "HGET h z",
      "HGET nope a",
      "HMGET h a z b",
      "HMGET nope a",
      "HGETALL h",
      "HGETALL nope",
      "HKEYS h",
      "HVALS h",
      "HLEN h",
      "HEXISTS h a",
      "HEXISTS h z",
      "HSTRLEN h a",
      "HSTRLEN h z",
      "HSETNX h a 9",
      "HSETNX h e 9",
      "HDEL h a z",
      "HDEL nope a",
      "HINCRBY h n 5",
      "HINCRBY h n -10",
      "HINCRBY h n x",
      "HSET h s abc",
      "HINCRBY h s 1",
      "HSET h big 9223372036854775807",
      "HINCRBY h big 1",
      "HINCRBYFLOAT h f 1.5",
      "HINCRBYFLOAT h f 0.25",
      "HINCRBYFLOAT h f x",
      "HINCRBYFLOAT h s 1",
      "HINCRBYFLOAT h f inf",
      "HSCAN h 0",
      "HSCAN h 0 MATCH [bn]*",
      "HSCAN h 0 COUNT 100",
      "HSCAN h x",
      "HSCAN h 0 FOO",
      "HSCAN nope 0",
      "HRANDFIELD nope",
      "HRANDFIELD nope 3",
      "HRANDFIELD h 0",
      "HRANDFIELD h 1 FOO",
      "HRANDFIELD h x",
      "SET str v",
      "HGET str a",
      "HSET str a 1",
      "HDEL h b c d e n s big f",
      "EXISTS h",
    ].map(s);
    const mismatches = await differential([HASH_COMMANDS, KEY_COMMANDS, STRING_COMMANDS], script);
    assert.deepEqual(mismatches, []);
  },
);

Deno.test(
  { name: "hash replies in RESP3 match redis-server 7.0", ignore: !HAS_REDIS_SERVER },
  async () => {
    const script = [
      "HSET h a 1 b 2",
      "HGETALL h",
      "HGETALL nope",
      "HMGET h a nope",
      "HGET h nope",
      "HKEYS h",
      "HSCAN h 0",
      "HRANDFIELD nope",
      "HRANDFIELD h 0 WITHVALUES",
      "HINCRBYFLOAT h f 1.5",
    ].map(s);
    const mismatches = await differential([HASH_COMMANDS], script, 3);
    assert.deepEqual(mismatches, []);
  },
);
