import assert from "node:assert/strict";
import { testServer } from "./_server_harness.ts";

Deno.test("BLPOP answers at once when a list has elements", () => {
  const c = testServer().connect();
  c.run("rpush", "b", "1", "2");
  assert.equal(c.run("blpop", "a", "b", "0"), "*2\r\n$1\r\nb\r\n$1\r\n1\r\n");
  assert.equal(c.session.blocked, null);
});

Deno.test("BLPOP blocks until another client pushes, oldest waiter first", async () => {
  const server = testServer();
  const first = server.connect();
  const second = server.connect();
  const pusher = server.connect();
  assert.equal(first.run("blpop", "q", "0"), "");
  assert.equal(second.run("brpop", "q", "0"), "");
  assert.equal(server.state.blocking.size, 2);
  assert.equal(pusher.run("rpush", "q", "x", "y"), ":2\r\n");
  await first.session.blocked;
  await second.session.blocked;
  assert.deepEqual(first.pushed, ["*2\r\n$1\r\nq\r\n$1\r\nx\r\n"]);
  assert.deepEqual(second.pushed, ["*2\r\n$1\r\nq\r\n$1\r\ny\r\n"]);
  assert.equal(pusher.run("exists", "q"), ":0\r\n");
});

Deno.test("BLMOVE and BRPOPLPUSH move once served", async () => {
  const server = testServer();
  const a = server.connect();
  const b = server.connect();
  assert.equal(a.run("blmove", "src", "dst", "left", "right", "0"), "");
  b.run("lpush", "src", "v");
  await a.session.blocked;
  assert.deepEqual(a.pushed, ["$1\r\nv\r\n"]);
  assert.equal(b.run("lrange", "dst", "0", "-1"), "*1\r\n$1\r\nv\r\n");
  assert.equal(a.run("brpoplpush", "dst", "src", "0"), "$1\r\nv\r\n");
});

Deno.test("blocking pops inside MULTI answer null at once", () => {
  const c = testServer().connect();
  c.run("multi");
  c.run("blpop", "none", "0");
  c.run("blmove", "none", "x", "left", "left", "0");
  assert.equal(c.run("exec"), "*2\r\n*-1\r\n$-1\r\n");
  assert.equal(c.session.blocked, null);
});

Deno.test("a blocked pop times out with a null", async () => {
  const c = testServer().connect();
  c.run("blpop", "none", "0.01");
  await c.session.blocked;
  assert.deepEqual(c.pushed, ["*-1\r\n"]);
});

Deno.test("blocking pops check their timeout", () => {
  const c = testServer().connect();
  assert.equal(c.run("blpop", "k", "x"), "-ERR timeout is not a float or out of range\r\n");
  assert.equal(c.run("blpop", "k", "-1"), "-ERR timeout is negative\r\n");
  c.run("set", "s", "v");
  assert.equal(
    c.run("blpop", "s", "0"),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
  );
});

Deno.test("a disconnected waiter is not served", async () => {
  const server = testServer();
  const gone = server.connect();
  const other = server.connect();
  gone.run("blpop", "q", "0");
  server.state.disconnect(gone.session);
  await gone.session.blocked;
  other.run("rpush", "q", "kept");
  assert.deepEqual(gone.pushed, []);
  assert.equal(other.run("llen", "q"), ":1\r\n");
});

Deno.test("BZPOPMIN and BZPOPMAX pop at once or when a member is added", async () => {
  const server = testServer();
  const a = server.connect();
  const b = server.connect();
  b.run("zadd", "z", "1", "one", "2", "two");
  assert.equal(a.run("bzpopmax", "z", "0"), "*3\r\n$1\r\nz\r\n$3\r\ntwo\r\n$1\r\n2\r\n");
  a.run("hello", "3");
  assert.equal(a.run("bzpopmin", "z", "0"), "*3\r\n$1\r\nz\r\n$3\r\none\r\n,1\r\n");
  assert.equal(a.run("bzpopmin", "z", "0"), "");
  b.run("zadd", "z", "1.5", "x");
  await a.session.blocked;
  assert.deepEqual(a.pushed, ["*3\r\n$1\r\nz\r\n$1\r\nx\r\n,1.5\r\n"]);
});
