import assert from "node:assert/strict";
import { LIST_COMMANDS } from "./cmd_lists.ts";
import { KEY_COMMANDS } from "./cmd_keys.ts";
import { STRING_COMMANDS } from "./cmd_strings.ts";
import { differential } from "./_differential.ts";
import { HAS_REDIS_SERVER } from "./_redis_peer.ts";
import { bulk, bulks, harness, int, WRONG } from "./_test_util.ts";

const s = (line: string) => line.split(" ");

Deno.test("a list grows past its ring buffer and keeps order at both ends", () => {
  const h = harness(LIST_COMMANDS);
  for (let i = 0; i < 50; i++) {
    h.run("RPUSH", "l", `r${i}`);
    h.run("LPUSH", "l", `l${i}`);
  }
  assert.equal(h.run("LLEN", "l"), int(100));
  assert.equal(h.run("LINDEX", "l", "0"), bulk("l49"));
  assert.equal(h.run("LINDEX", "l", "-1"), bulk("r49"));
  assert.equal(h.run("LRANGE", "l", "49", "50"), bulks("l0", "r0"));
  h.run("LINSERT", "l", "BEFORE", "r0", "mid");
  assert.equal(h.run("LRANGE", "l", "49", "51"), bulks("l0", "mid", "r0"));
  h.run("LINSERT", "l", "AFTER", "l45", "x");
  assert.equal(h.run("LRANGE", "l", "3", "5"), bulks("l46", "l45", "x"));
  assert.equal(h.run("LREM", "l", "0", "x"), int(1));
  assert.equal(h.run("LRANGE", "l", "3", "5"), bulks("l46", "l45", "l44"));
});

Deno.test("an emptied list no longer exists and list commands check types", () => {
  const h = harness(LIST_COMMANDS, KEY_COMMANDS, STRING_COMMANDS);
  h.run("RPUSH", "l", "a", "b");
  h.run("LPOP", "l", "2");
  assert.equal(h.run("EXISTS", "l"), int(0));
  h.run("SET", "s", "v");
  assert.equal(h.run("LPUSH", "s", "a"), WRONG);
  h.run("RPUSH", "l", "a");
  assert.equal(h.run("LMOVE", "l", "s", "LEFT", "LEFT"), WRONG);
  assert.equal(h.run("LLEN", "l"), int(1));
});

Deno.test(
  { name: "list commands reply as redis-server 7.0 does", ignore: !HAS_REDIS_SERVER },
  async () => {
    const script = [
      "LPUSH l a b c",
      "RPUSH l d e f",
      "LPUSHX nope a",
      "RPUSHX l g",
      "LRANGE l 0 -1",
      "LRANGE l -3 100",
      "LRANGE l 5 2",
      "LRANGE l -100 -50",
      "LRANGE nope 0 -1",
      "LRANGE l a 1",
      "LINDEX l 0",
      "LINDEX l -1",
      "LINDEX l 100",
      "LINDEX l x",
      "LSET l 1 B",
      "LSET l 100 x",
      "LSET nope 0 x",
      "LLEN l",
      "LPOP l",
      "RPOP l",
      "LPOP l 2",
      "RPOP l 0",
      "LPOP l -1",
      "LPOP nope 1",
      "LPOP nope",
      "LPOP l 1 2",
      "RPUSH m a b a c a d a",
      "LREM m 2 a",
      "LRANGE m 0 -1",
      "LREM m -1 a",
      "LRANGE m 0 -1",
      "LREM m 0 a",
      "LREM nope 0 a",
      "RPUSH p a b c b a b",
      "LPOS p b",
      "LPOS p b RANK 2",
      "LPOS p b RANK -1",
      "LPOS p b COUNT 0",
      "LPOS p b COUNT 2 RANK -1",
      "LPOS p b MAXLEN 2 COUNT 0",
      "LPOS p z",
      "LPOS p z COUNT 1",
      "LPOS nope z COUNT 1",
      "LPOS p b RANK 0",
      "LPOS p b COUNT -1",
      "LPOS p b MAXLEN -1",
      "LPOS p b FOO 1",
      "LPOS p b RANK",
      "LINSERT p BEFORE c X",
      "LINSERT p AFTER c Y",
      "LINSERT p AFTER zz Y",
      "LINSERT p MIDDLE c Y",
      "LINSERT nope AFTER c Y",
      "LRANGE p 0 -1",
      "LTRIM p 1 -2",
      "LRANGE p 0 -1",
      "LTRIM p 5 1",
      "EXISTS p",
      "RPUSH q 1 2 3",
      "LMOVE q r LEFT RIGHT",
      "LMOVE q r RIGHT LEFT",
      "LMOVE q q LEFT RIGHT",
      "LMOVE q r UP DOWN",
      "LMOVE nope r LEFT RIGHT",
      "RPOPLPUSH q r",
      "LRANGE r 0 -1",
      "EXISTS q",
      "SET str x",
      "LLEN str",
      "RPOPLPUSH r str",
      "LRANGE str 0 1",
      "TYPE r",
    ].map(s);
    const mismatches = await differential([LIST_COMMANDS, KEY_COMMANDS, STRING_COMMANDS], script);
    assert.deepEqual(mismatches, []);
  },
);

Deno.test(
  { name: "list replies in RESP3 match redis-server 7.0", ignore: !HAS_REDIS_SERVER },
  async () => {
    const script = [
      "RPUSH l a b c",
      "LPOP nope",
      "LPOP nope 2",
      "LPOP l 0",
      "LRANGE l 0 -1",
      "LPOS l z",
      "LPOS l b COUNT 0",
      "LINDEX l 9",
      "RPOPLPUSH nope x",
    ].map(s);
    const mismatches = await differential([LIST_COMMANDS], script, 3);
    assert.deepEqual(mismatches, []);
  },
);

Deno.test(
  { name: "random list scripts reply as redis-server 7.0 does", ignore: !HAS_REDIS_SERVER },
  async () => {
    let seed = 11;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pick = <T>(a: T[]) => a[rand(a.length)];
    const idx = () => String(rand(14) - 7);
    const mem = () => pick(["a", "b", "c", "d"]);
    const script: string[][] = [];
    for (let i = 0; i < 1500; i++) {
      const commands: string[][] = [
        ["RPUSH", "l", mem(), mem()],
        ["LPUSH", "l", mem()],
        ["LPOP", "l", String(rand(3))],
        ["RPOP", "l"],
        ["LRANGE", "l", idx(), idx()],
        ["LINDEX", "l", idx()],
        ["LSET", "l", idx(), mem()],
        ["LREM", "l", idx(), mem()],
        ["LTRIM", "l", idx(), idx()],
        ["LINSERT", "l", pick(["BEFORE", "AFTER"]), mem(), mem()],
        ["LPOS", "l", mem(), "RANK", pick(["1", "-1", "-2"]), "COUNT", String(rand(3))],
        ["LPOS", "l", mem(), "MAXLEN", String(rand(5))],
        ["LMOVE", "l", pick(["l", "l2"]), pick(["LEFT", "RIGHT"]), pick(["LEFT", "RIGHT"])],
        ["LMOVE", "l2", "l", "LEFT", "RIGHT"],
      ];
      script.push(pick(commands));
    }
    const mismatches = await differential([LIST_COMMANDS], script);
    assert.deepEqual(mismatches.slice(0, 3), []);
  },
);
