import assert from "node:assert/strict";
import { bulk, harness } from "./_testing.ts";
import { COMMANDS } from "./commands.ts";

const OK = { type: "simple", value: "OK" };
const NULL = { type: "null" };
const int = (n: number) => ({ type: "integer", value: n });
const err = (value: string) => ({ type: "error", value });

Deno.test("PING, ECHO and unknown commands answer as Redis does", async () => {
  await using h = await harness();
  assert.equal(await h.raw("PING"), "+PONG\r\n");
  assert.equal(await h.raw("ping", "hi"), "$2\r\nhi\r\n");
  assert.equal(await h.raw("echo", "x"), "$1\r\nx\r\n");
  assert.equal(
    await h.raw("FOO", "a", "b"),
    "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n",
  );
  assert.equal(await h.raw("foo"), "-ERR unknown command 'foo', with args beginning with: \r\n");
  assert.equal(await h.raw("GET"), "-ERR wrong number of arguments for 'get' command\r\n");
  assert.equal(
    await h.raw("ping", "a", "b"),
    "-ERR wrong number of arguments for 'ping' command\r\n",
  );
});

Deno.test("SET and GET store binary values", async () => {
  await using h = await harness();
  const value = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(await h.run("SET", "k", value), OK);
  assert.deepEqual(await h.run("GET", "k"), { type: "bulk", value });
  assert.deepEqual(await h.run("GET", "missing"), NULL);
  assert.deepEqual(h.kv.get("k"), value);
});

Deno.test("SET options: NX, XX, GET, EX, PX, EXAT, PXAT, KEEPTTL", async (t) => {
  await using h = await harness();
  await t.step("NX sets only a missing key", async () => {
    assert.deepEqual(await h.run("SET", "a", "1", "NX"), OK);
    assert.deepEqual(await h.run("SET", "a", "2", "nx"), NULL);
    assert.deepEqual(await h.run("GET", "a"), bulk("1"));
  });
  await t.step("XX sets only an existing key", async () => {
    assert.deepEqual(await h.run("SET", "b", "1", "XX"), NULL);
    assert.deepEqual(await h.run("EXISTS", "b"), int(0));
    assert.deepEqual(await h.run("SET", "a", "3", "XX"), OK);
  });
  await t.step("GET returns the old value", async () => {
    assert.deepEqual(await h.run("SET", "a", "4", "GET"), bulk("3"));
    assert.deepEqual(await h.run("SET", "new", "x", "GET"), NULL);
    assert.deepEqual(await h.run("SET", "a", "5", "NX", "GET"), bulk("4"));
    assert.deepEqual(await h.run("GET", "a"), bulk("4"));
  });
  await t.step("EX and PX set a TTL that expires on the clock", async () => {
    assert.deepEqual(await h.run("SET", "t", "v", "EX", "10"), OK);
    assert.deepEqual(await h.run("TTL", "t"), int(10));
    assert.deepEqual(await h.run("PTTL", "t"), int(10_000));
    assert.deepEqual(await h.run("SET", "p", "v", "PX", "1500"), OK);
    assert.deepEqual(await h.run("TTL", "p"), int(2)); // rounded as Redis does
    h.clock.now += 1500;
    assert.deepEqual(await h.run("GET", "p"), NULL);
    assert.deepEqual(await h.run("TTL", "p"), int(-2));
  });
  await t.step("EXAT and PXAT take absolute times", async () => {
    const at = Math.floor(h.clock.now / 1000) + 100;
    assert.deepEqual(await h.run("SET", "abs", "v", "EXAT", String(at)), OK);
    assert.deepEqual(await h.run("PTTL", "abs"), int(at * 1000 - h.clock.now));
    assert.deepEqual(await h.run("SET", "abs2", "v", "PXAT", String(h.clock.now + 50)), OK);
    assert.deepEqual(await h.run("PTTL", "abs2"), int(50));
  });
  await t.step("a plain SET clears the TTL; KEEPTTL keeps it", async () => {
    await h.run("SET", "k", "v", "EX", "100");
    await h.run("SET", "k", "w", "KEEPTTL");
    assert.deepEqual(await h.run("TTL", "k"), int(100));
    await h.run("SET", "k", "x");
    assert.deepEqual(await h.run("TTL", "k"), int(-1));
  });
  await t.step("bad options", async () => {
    const syntax = err("ERR syntax error");
    assert.deepEqual(await h.run("SET", "k", "v", "NX", "XX"), syntax);
    assert.deepEqual(await h.run("SET", "k", "v", "EX"), syntax);
    assert.deepEqual(await h.run("SET", "k", "v", "EX", "1", "PX", "1"), syntax);
    assert.deepEqual(await h.run("SET", "k", "v", "KEEPTTL", "EX", "1"), syntax);
    assert.deepEqual(await h.run("SET", "k", "v", "BOGUS"), syntax);
    assert.deepEqual(
      await h.run("SET", "k", "v", "EX", "x"),
      err("ERR value is not an integer or out of range"),
    );
    assert.deepEqual(
      await h.run("SET", "k", "v", "EX", "0"),
      err("ERR invalid expire time in 'set' command"),
    );
    assert.deepEqual(
      await h.run("SET", "k", "v", "PX", "-5"),
      err("ERR invalid expire time in 'set' command"),
    );
    assert.deepEqual(await h.run("GET", "k"), bulk("x"), "a rejected SET writes nothing");
  });
});

Deno.test("DEL, EXISTS, MGET, MSET and DBSIZE", async () => {
  await using h = await harness();
  assert.deepEqual(await h.run("MSET", "a", "1", "b", "2", "c", "3"), OK);
  assert.deepEqual(
    await h.run("MSET", "a", "1", "b"),
    err("ERR wrong number of arguments for 'mset' command"),
  );
  assert.deepEqual(await h.run("MGET", "a", "zz", "c"), {
    type: "array",
    value: [bulk("1"), NULL, bulk("3")],
  });
  assert.deepEqual(await h.run("EXISTS", "a", "a", "zz"), int(2));
  assert.deepEqual(await h.run("DBSIZE"), int(3));
  assert.deepEqual(await h.run("DEL", "a", "a", "zz", "b"), int(2));
  assert.deepEqual(await h.run("DEL", "a"), int(0));
  assert.deepEqual(await h.run("DBSIZE"), int(1));
});

Deno.test("EXPIRE, PEXPIRE, PERSIST, TTL with NX/XX/GT/LT", async () => {
  await using h = await harness();
  await h.run("SET", "k", "v");
  assert.deepEqual(await h.run("TTL", "k"), int(-1));
  assert.deepEqual(await h.run("TTL", "missing"), int(-2));
  assert.deepEqual(await h.run("EXPIRE", "missing", "10"), int(0));
  assert.deepEqual(await h.run("EXPIRE", "k", "10", "XX"), int(0));
  assert.deepEqual(await h.run("EXPIRE", "k", "10", "NX"), int(1));
  assert.deepEqual(await h.run("EXPIRE", "k", "20", "NX"), int(0));
  assert.deepEqual(await h.run("EXPIRE", "k", "5", "GT"), int(0));
  assert.deepEqual(await h.run("EXPIRE", "k", "50", "GT"), int(1));
  assert.deepEqual(await h.run("EXPIRE", "k", "60", "LT"), int(0));
  assert.deepEqual(await h.run("PEXPIRE", "k", "30000", "LT"), int(1));
  assert.deepEqual(await h.run("TTL", "k"), int(30));
  assert.deepEqual(await h.run("PERSIST", "k"), int(1));
  assert.deepEqual(await h.run("PERSIST", "k"), int(0));
  assert.deepEqual(await h.run("TTL", "k"), int(-1));
  assert.deepEqual(
    await h.run("EXPIRE", "k", "1", "NX", "XX"),
    err("ERR NX and XX, GT or LT options at the same time are not compatible"),
  );
  assert.deepEqual(
    await h.run("EXPIRE", "k", "1", "GT", "LT"),
    err("ERR GT and LT options at the same time are not compatible"),
  );
  assert.deepEqual(await h.run("EXPIRE", "k", "1", "FOO"), err("ERR Unsupported option FOO"));
  assert.deepEqual(
    await h.run("EXPIRE", "k", "x"),
    err("ERR value is not an integer or out of range"),
  );
  assert.deepEqual(await h.run("EXPIRE", "k", "0"), int(1), "a past expiry deletes");
  assert.deepEqual(await h.run("EXISTS", "k"), int(0));
  await h.run("SET", "j", "v");
  await h.run("EXPIRE", "j", "2");
  h.clock.now += 2000;
  assert.deepEqual(await h.run("GET", "j"), NULL);
});

Deno.test("SCAN walks every key once with a cursor, MATCH and COUNT", async () => {
  await using h = await harness();
  const keys = Array.from({ length: 35 }, (_, i) => `user:${String(i).padStart(2, "0")}`);
  for (const k of keys) await h.run("SET", k, "v");
  await h.run("SET", "other", "v");
  const seen: string[] = [];
  let cursor = "0";
  let rounds = 0;
  do {
    const reply = await h.run("SCAN", cursor, "MATCH", "user:*", "COUNT", "10");
    assert.equal(reply.type, "array");
    const [next, batch] = (reply as { value: { value: unknown }[] }).value;
    cursor = new TextDecoder().decode(next.value as Uint8Array);
    for (const k of batch.value as { value: Uint8Array }[]) {
      seen.push(new TextDecoder().decode(k.value));
    }
    rounds++;
  } while (cursor !== "0");
  assert.deepEqual(seen, keys);
  assert.ok(rounds >= 4);
  const all = await h.run("SCAN", "0", "COUNT", "1000");
  assert.equal((all as { value: { value: unknown[] }[] }).value[1].value.length, 36);
  const none = await h.run("SCAN", "0", "MATCH", "*9", "TYPE", "hash");
  assert.deepEqual((none as { value: { value: unknown[] }[] }).value[1].value, []);
  assert.deepEqual(await h.run("SCAN", "x"), err("ERR invalid cursor"));
  assert.deepEqual(await h.run("SCAN", "0", "COUNT", "0"), err("ERR syntax error"));
  assert.deepEqual(await h.run("SCAN", "0", "FOO", "1"), err("ERR syntax error"));
  assert.deepEqual(await h.run("SCAN", "0", "COUNT"), err("ERR syntax error"));
});

Deno.test("MULTI/EXEC runs queued commands as one batch; reads see earlier writes", async () => {
  await using h = await harness();
  await h.run("SET", "a", "old");
  assert.deepEqual(await h.run("MULTI"), OK);
  assert.deepEqual(await h.run("SET", "a", "1"), { type: "simple", value: "QUEUED" });
  assert.deepEqual(await h.run("GET", "a"), { type: "simple", value: "QUEUED" });
  await h.run("DEL", "b");
  await h.run("SET", "c", "3", "EX", "100");
  await h.run("SET", "d", "x", "BAD");
  await h.run("EXISTS", "c");
  assert.equal(h.kv.get("a")?.length, 3, "nothing is applied before EXEC");
  assert.deepEqual(await h.run("EXEC"), {
    type: "array",
    value: [OK, bulk("1"), int(0), OK, err("ERR syntax error"), int(1)],
  });
  assert.deepEqual(await h.run("GET", "a"), bulk("1"));
  assert.deepEqual(await h.run("TTL", "c"), int(100));
});

Deno.test("MULTI errors: EXECABORT, nesting, EXEC and DISCARD without MULTI", async () => {
  await using h = await harness();
  assert.deepEqual(await h.run("EXEC"), err("ERR EXEC without MULTI"));
  assert.deepEqual(await h.run("DISCARD"), err("ERR DISCARD without MULTI"));
  await h.run("MULTI");
  assert.deepEqual(await h.run("MULTI"), err("ERR MULTI calls can not be nested"));
  await h.run("SET", "a", "1");
  assert.deepEqual(await h.run("GET"), err("ERR wrong number of arguments for 'get' command"));
  assert.deepEqual(
    await h.run("EXEC"),
    err("EXECABORT Transaction discarded because of previous errors."),
  );
  assert.deepEqual(await h.run("GET", "a"), NULL);
  await h.run("MULTI");
  await h.run("SET", "a", "1");
  assert.deepEqual(await h.run("DISCARD"), OK);
  assert.deepEqual(await h.run("GET", "a"), NULL);
  await h.run("MULTI");
  assert.deepEqual(await h.run("EXEC"), { type: "array", value: [] });
});

Deno.test("HELLO switches the protocol and replies with a map", async () => {
  await using h = await harness();
  const reply = await h.run("HELLO", "3", "AUTH", "default", "pw", "SETNAME", "app");
  assert.equal(reply.type, "map");
  const fields = Object.fromEntries(
    (reply as { value: [{ value: Uint8Array }, { value: unknown }][] }).value.map((
      [k, v],
    ) => [new TextDecoder().decode(k.value), v.value]),
  );
  assert.equal(fields.proto, 3);
  assert.equal(fields.id, 1);
  assert.equal(h.session.protocol, 3);
  assert.equal(h.session.name, "app");
  assert.equal(await h.raw("GET", "nope"), "_\r\n");
  assert.deepEqual(await h.run("HELLO", "4"), err("NOPROTO unsupported protocol version"));
  assert.deepEqual(
    await h.run("HELLO", "x"),
    err("ERR Protocol version is not an integer or out of range"),
  );
  assert.deepEqual(await h.run("HELLO", "2", "FOO"), err("ERR Syntax error in HELLO option 'FOO'"));
  await h.run("HELLO", "2");
  assert.equal(await h.raw("GET", "nope"), "$-1\r\n");
});

Deno.test("CLIENT, SELECT, AUTH, COMMAND, INFO, QUIT", async () => {
  await using h = await harness();
  assert.deepEqual(await h.run("CLIENT", "SETNAME", "worker"), OK);
  assert.deepEqual(await h.run("CLIENT", "GETNAME"), bulk("worker"));
  assert.deepEqual(
    await h.run("CLIENT", "SETNAME", "a b"),
    err("ERR Client names cannot contain spaces, newlines or special characters."),
  );
  assert.deepEqual(await h.run("CLIENT", "ID"), int(1));
  assert.deepEqual(await h.run("CLIENT", "SETINFO", "LIB-NAME", "ioredis"), OK);
  assert.deepEqual(
    await h.run("CLIENT", "FOO"),
    err("ERR unknown subcommand 'FOO'. Try CLIENT HELP."),
  );
  assert.deepEqual(await h.run("SELECT", "0"), OK);
  assert.deepEqual(await h.run("SELECT", "1"), err("ERR DB index is out of range"));
  assert.match(
    (await h.run("AUTH", "pw") as { value: string }).value,
    /^ERR AUTH <password> called/,
  );
  assert.deepEqual(await h.run("COMMAND", "COUNT"), int(COMMANDS.size));
  assert.deepEqual(await h.run("COMMAND", "DOCS"), { type: "array", value: [] });
  const info = await h.run("COMMAND", "INFO", "get", "nope");
  assert.equal((info as { value: unknown[] }).value.length, 2);
  const all = await h.run("COMMAND");
  assert.equal((all as { value: unknown[] }).value.length, COMMANDS.size);
  await h.run("SET", "k", "v");
  const text = new TextDecoder().decode((await h.run("INFO") as { value: Uint8Array }).value);
  assert.match(text, /^# Server\r\nredis_version:/);
  assert.match(text, /\r\nloading:0\r\n/);
  assert.match(text, /db0:keys=1,/);
  const only = new TextDecoder().decode(
    (await h.run("INFO", "keyspace") as { value: Uint8Array }).value,
  );
  assert.equal(only, "# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n");
  assert.deepEqual(await h.run("QUIT"), OK);
  assert.equal(h.session.closing, true);
});
