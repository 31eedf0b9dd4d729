import assert from "node:assert/strict";
import { Config } from "./config.ts";
import { testServer } from "./_server_harness.ts";
import { commandTable } from "./command_table.ts";
import { execute, lookupCommand } from "./dispatch.ts";
import { RespWriter } from "../../lib/resp/mod.ts";
import type { CommandContext } from "./command.ts";
import { ServerState } from "./server_state.ts";
import { Session } from "./session.ts";
import { bulkWorkCount } from "./types/bulk_work.ts";

Deno.test("execute() answers unknown commands and wrong arity with Redis's texts", () => {
  const c = testServer().connect();
  assert.equal(
    c.run("foo", "a", "b"),
    "-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n",
  );
  assert.equal(c.run("get"), "-ERR wrong number of arguments for 'get' command\r\n");
  assert.equal(c.run("PING"), "+PONG\r\n");
});

Deno.test("execute() requires AUTH when requirepass is set", () => {
  const config = new Config();
  config.set("requirepass", "secret");
  const c = testServer({ config }).connect();
  assert.equal(c.run("get", "k"), "-NOAUTH Authentication required.\r\n");
  assert.equal(
    c.run("auth", "nope"),
    "-WRONGPASS invalid username-password pair or user is disabled.\r\n",
  );
  assert.equal(c.run("auth", "secret"), "+OK\r\n");
  assert.equal(c.run("get", "k"), "$-1\r\n");
});

Deno.test("AUTH without a configured password is an error", () => {
  const c = testServer().connect();
  assert.match(c.run("auth", "x"), /^-ERR AUTH <password> called without any password/);
});

Deno.test("MULTI/EXEC runs the queue; a queueing error aborts with EXECABORT", () => {
  const c = testServer().connect();
  assert.equal(c.run("multi"), "+OK\r\n");
  assert.equal(c.run("set", "k", "v"), "+QUEUED\r\n");
  assert.equal(c.run("incr", "k"), "+QUEUED\r\n");
  assert.equal(c.run("get", "k"), "+QUEUED\r\n");
  assert.equal(
    c.run("exec"),
    "*3\r\n+OK\r\n-ERR value is not an integer or out of range\r\n$1\r\nv\r\n",
  );
  c.run("multi");
  assert.equal(c.run("multi"), "-ERR MULTI calls can not be nested\r\n");
  assert.equal(c.run("get"), "-ERR wrong number of arguments for 'get' command\r\n");
  assert.equal(c.run("set", "k", "w"), "+QUEUED\r\n");
  assert.equal(
    c.run("exec"),
    "-EXECABORT Transaction discarded because of previous errors.\r\n",
  );
  assert.equal(c.run("get", "k"), "$1\r\nv\r\n");
  assert.equal(c.run("exec"), "-ERR EXEC without MULTI\r\n");
  assert.equal(c.run("discard"), "-ERR DISCARD without MULTI\r\n");
});

Deno.test("WATCH is broken by another client's write", () => {
  const server = testServer();
  const a = server.connect();
  const b = server.connect();
  a.run("watch", "k");
  b.run("set", "k", "1");
  a.run("multi");
  a.run("set", "k", "2");
  assert.equal(a.run("exec"), "*-1\r\n");
  assert.equal(a.run("get", "k"), "$1\r\n1\r\n");
  // The watch ended with EXEC: the next transaction goes through.
  a.run("multi");
  a.run("set", "k", "3");
  assert.equal(a.run("exec"), "*1\r\n+OK\r\n");
});

Deno.test("WATCH is broken by FLUSHALL and by expiry, not by writes to other keys", () => {
  const server = testServer();
  const a = server.connect();
  const b = server.connect();
  a.run("set", "k", "v");
  a.run("watch", "k");
  b.run("set", "other", "x");
  a.run("multi");
  assert.equal(a.run("exec"), "*0\r\n");

  a.run("watch", "k");
  b.run("flushall");
  a.run("multi");
  assert.equal(a.run("exec"), "*-1\r\n");

  a.run("set", "t", "v", "px", "100");
  a.run("watch", "t");
  server.clock.now += 200;
  a.run("multi");
  a.run("ping");
  assert.equal(a.run("exec"), "*-1\r\n");
});

Deno.test("WATCH inside MULTI is refused, DISCARD drops the queue", () => {
  const c = testServer().connect();
  c.run("multi");
  assert.equal(c.run("watch", "k"), "-ERR WATCH inside MULTI is not allowed\r\n");
  c.run("set", "k", "v");
  assert.equal(c.run("discard"), "+OK\r\n");
  assert.equal(c.run("get", "k"), "$-1\r\n");
});

Deno.test("RESP2 subscribed mode allows only (un)subscribe, PING, QUIT, RESET", () => {
  const server = testServer();
  const sub = server.connect();
  const pub = server.connect();
  assert.equal(
    sub.run("subscribe", "a", "b"),
    "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n",
  );
  assert.equal(
    sub.run("get", "k"),
    "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET " +
      "are allowed in this context\r\n",
  );
  assert.equal(sub.run("ping"), "*2\r\n$4\r\npong\r\n$0\r\n\r\n");
  assert.equal(pub.run("publish", "a", "hi"), ":1\r\n");
  assert.deepEqual(sub.pushed, ["*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n"]);
  assert.equal(
    sub.run("unsubscribe"),
    "*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:0\r\n",
  );
  assert.equal(sub.run("unsubscribe"), "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
  assert.equal(sub.run("get", "k"), "$-1\r\n");
});

Deno.test("RESP3 clients get pushes and may run any command while subscribed", () => {
  const server = testServer();
  const c = server.connect();
  assert.match(c.run("hello", "3"), /^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n/);
  assert.equal(c.run("psubscribe", "n*"), ">3\r\n$10\r\npsubscribe\r\n$2\r\nn*\r\n:1\r\n");
  assert.equal(c.run("get", "k"), "_\r\n");
  // A message to itself lands before the PUBLISH reply, as in Redis.
  assert.equal(
    c.run("publish", "news", "x"),
    ">4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$1\r\nx\r\n:1\r\n",
  );
  assert.equal(c.run("pubsub", "numpat"), ":1\r\n");
});

Deno.test("PUBSUB CHANNELS and NUMSUB", () => {
  const server = testServer();
  const a = server.connect();
  const b = server.connect();
  a.run("subscribe", "news.a", "sport");
  b.run("subscribe", "news.a");
  const c = server.connect();
  assert.equal(c.run("pubsub", "channels", "news.*"), "*1\r\n$6\r\nnews.a\r\n");
  assert.equal(
    c.run("pubsub", "numsub", "news.a", "none"),
    "*4\r\n$6\r\nnews.a\r\n:2\r\n$4\r\nnone\r\n:0\r\n",
  );
});

Deno.test("HELLO rejects unknown protocol versions", () => {
  const c = testServer().connect();
  assert.equal(c.run("hello", "4"), "-NOPROTO unsupported protocol version\r\n");
  assert.equal(
    c.run("hello", "x"),
    "-ERR Protocol version is not an integer or out of range\r\n",
  );
});

Deno.test("SELECT and SWAPDB move between databases", () => {
  const c = testServer().connect();
  c.run("set", "k", "zero");
  assert.equal(c.run("select", "16"), "-ERR DB index is out of range\r\n");
  assert.equal(c.run("select", "x"), "-ERR value is not an integer or out of range\r\n");
  assert.equal(c.run("select", "1"), "+OK\r\n");
  assert.equal(c.run("get", "k"), "$-1\r\n");
  assert.equal(c.run("swapdb", "0", "1"), "+OK\r\n");
  assert.equal(c.run("get", "k"), "$4\r\nzero\r\n");
  assert.equal(c.run("dbsize"), ":1\r\n");
  assert.equal(c.run("swapdb", "0", "x"), "-ERR invalid second DB index\r\n");
});

Deno.test("CONFIG GET and SET follow Redis's replies and errors", () => {
  const c = testServer().connect();
  assert.equal(c.run("config", "get", "maxmemory"), "*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n");
  assert.equal(c.run("config", "set", "maxmemory", "1mb"), "+OK\r\n");
  assert.equal(c.run("config", "get", "maxmemory"), "*2\r\n$9\r\nmaxmemory\r\n$7\r\n1048576\r\n");
  assert.equal(
    c.run("config", "set", "foo", "1"),
    "-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n",
  );
  assert.equal(
    c.run("config", "set", "databases", "3"),
    "-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config\r\n",
  );
  assert.equal(
    c.run("config", "get"),
    "-ERR wrong number of arguments for 'config|get' command\r\n",
  );
});

Deno.test("CLIENT SETNAME, GETNAME, ID and KILL", () => {
  const server = testServer();
  const a = server.connect();
  const b = server.connect();
  assert.equal(a.run("client", "getname"), "$-1\r\n");
  assert.equal(a.run("client", "setname", "worker"), "+OK\r\n");
  assert.equal(a.run("client", "getname"), "$6\r\nworker\r\n");
  assert.equal(
    a.run("client", "setname", "a b"),
    "-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
  );
  assert.equal(a.run("client", "id"), `:${a.session.id}\r\n`);
  assert.match(a.run("client", "list"), /name=worker/);
  let killed = false;
  b.session.kill = () => killed = true;
  assert.equal(a.run("client", "kill", "id", String(b.session.id)), ":1\r\n");
  assert.ok(killed);
});

Deno.test("SLOWLOG records commands slower than the threshold", () => {
  const c = testServer().connect();
  c.run("config", "set", "slowlog-log-slower-than", "0");
  c.run("echo", "x");
  // CONFIG SET itself is logged: the threshold is read after a command runs.
  assert.equal(c.run("slowlog", "len"), ":2\r\n");
  assert.match(c.run("slowlog", "get", "1"), /^\*1\r\n\*6\r\n:2\r\n.*slowlog\r\n\$3\r\nlen/s);
  assert.equal(c.run("slowlog", "reset"), "+OK\r\n");
});

Deno.test("INFO keyspace lists non-empty databases", () => {
  const c = testServer().connect();
  c.run("set", "a", "1");
  c.run("set", "b", "1", "ex", "100");
  assert.match(c.run("info", "keyspace"), /# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\n/);
});

Deno.test("MONITOR clients see every other client's commands", () => {
  const server = testServer();
  const watcher = server.connect();
  const c = server.connect();
  assert.equal(watcher.run("monitor"), "+OK\r\n");
  c.run("set", "k", "a\u00ff\n");
  assert.equal(watcher.pushed.length, 1);
  assert.match(
    watcher.pushed[0],
    /^\+1700000000\.000000 \[0 127\.0\.0\.1:\d+\] "set" "k" "a\\xc3\\xbf\\n"\r\n$/,
  );
});

Deno.test("the active expiry cycle removes expired keys and counts them", () => {
  const server = testServer();
  const c = server.connect();
  for (let i = 0; i < 50; i++) c.run("set", `k${i}`, "v", "px", "10");
  c.run("set", "kept", "v");
  server.clock.now += 100;
  let removed = 0;
  while (server.state.dbs[0].size() > 1) removed += server.state.expireCycle(10);
  assert.equal(removed, 50);
  assert.equal(server.state.stats.expired, 50);
  assert.match(c.run("info", "stats"), /expired_keys:50\r\n/);
});

Deno.test("lookupCommand() finds names in any case, however many are in use", () => {
  const table = commandTable();
  // A table where GET is another command: what a name means is looked up per table.
  const other = new Map([["get", table.get("ping")!]]);
  const names = ["GET", "set", "Incr", "LPUSH", "rpush", "SADD", "hset", "ZADD", "MSET", "ping"];
  const bytes = (s: string) => new TextEncoder().encode(s);
  for (let round = 0; round < 3; round++) {
    for (const name of [...names, ...names.map((n) => n.toUpperCase())]) {
      assert.equal(lookupCommand(table, bytes(name)), table.get(name.toLowerCase()), name);
    }
    assert.equal(lookupCommand(table, bytes("nosuch")), undefined);
    // Another table's commands, for the same names.
    assert.equal(lookupCommand(other, bytes("GET")), table.get("ping"));
  }
});

Deno.test("in a batch, fast commands are timed together and logged only for bulk work", () => {
  // A clock that moves 20 ms at every read: whatever is timed on its own looks slow.
  let now = 1_700_000_000_000;
  const state = new ServerState({ clock: () => (now += 20) });
  state.commands = commandTable();
  const session = new Session(1, "127.0.0.1:1", now);
  session.authenticated = true;
  const out = new RespWriter();
  const ctx: CommandContext = { db: state.dbs[0], server: state, session, out, now: 0 };
  const bytes = (s: string) => new TextEncoder().encode(s);
  const run = (...args: string[]) => execute(ctx, args.map(bytes));
  const logged = () => state.slowlog.map((e) => new TextDecoder().decode(e.args[0])).reverse();

  // Outside a batch every command is timed.
  run("GET", "a");
  assert.deepEqual(logged(), ["GET"]);
  state.slowlog.length = 0;

  ctx.mark = now;
  ctx.untimed = 0;
  for (let i = 0; i < 100; i++) run("GET", `k${i}`);
  assert.deepEqual(logged(), [], "fast commands with small arguments, no bulk work");
  run("KEYS", "*");
  run("SET", "big", "x".repeat(5000));
  assert.deepEqual(logged(), ["KEYS", "SET"], "a slow command and a fast one with big arguments");
  state.slowlog.length = 0;
  // Inserting keys grows the keyspace's index and arrays now and then: those SETs are logged.
  const grew: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const before = bulkWorkCount();
    run("SET", `key:${i}`, "v");
    if (bulkWorkCount() !== before) grew.push(`key:${i}`);
  }
  assert.ok(grew.length >= 2, String(grew.length));
  const keys = state.slowlog.map((e) => new TextDecoder().decode(e.args[1])).reverse();
  assert.deepEqual(keys, grew);
});
