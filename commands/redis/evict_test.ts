import assert from "node:assert/strict";
import { OOM, performEvictions, STARTUP_MEMORY, syncPolicy, usedMemory } from "./evict.ts";
import { entrySize } from "./memory.ts";
import { ServerState } from "./server_state.ts";
import { testServer } from "./_server_harness.ts";

const VALUE = "x".repeat(1000);
/** What one `k<n>` key with VALUE costs, to set maxmemory in keys. */
const PER_KEY = entrySize("k00", new Uint8Array(1000));

function fill(server: ServerState, n: number, clock?: { now: number }): void {
  for (let i = 0; i < n; i++) {
    server.dbs[0].set(`k${String(i).padStart(2, "0")}`, {
      type: "string",
      value: new TextEncoder().encode(VALUE),
    });
    if (clock) clock.now += 1000;
  }
}

function limit(server: ServerState, keys: number, policy: string): void {
  server.config.set("maxmemory", String(STARTUP_MEMORY + keys * PER_KEY));
  server.config.set("maxmemory-policy", policy);
}

Deno.test("performEvictions() does nothing without maxmemory or under it", () => {
  const server = new ServerState();
  fill(server, 10);
  assert.equal(performEvictions(server), true);
  limit(server, 10, "allkeys-lru");
  assert.equal(performEvictions(server), true);
  assert.equal(server.dbs[0].size(), 10);
  assert.equal(server.stats.evicted, undefined);
});

Deno.test("allkeys-lru evicts the keys idle longest", () => {
  const { state: server, clock } = testServer();
  fill(server, 40, clock);
  // Touch the first ten: now they are the most recent.
  for (let i = 0; i < 10; i++) server.dbs[0].lookup(`k0${i}`);
  server.config.set("maxmemory-samples", "40");
  limit(server, 20, "allkeys-lru");
  assert.equal(performEvictions(server), true);
  assert.equal(server.dbs[0].size(), 20);
  assert.equal(server.stats.evicted, 20);
  // With every key sampled the pool picks exactly the oldest: k10..k29 go.
  for (let i = 0; i < 10; i++) assert.ok(server.dbs[0].has(`k0${i}`), `k0${i}`);
  for (let i = 30; i < 40; i++) assert.ok(server.dbs[0].has(`k${i}`), `k${i}`);
  assert.ok(usedMemory(server) <= server.config.number("maxmemory"));
});

Deno.test("volatile-lru and volatile-ttl only evict keys with a TTL, and fail without one", () => {
  for (const policy of ["volatile-lru", "volatile-ttl", "volatile-random"]) {
    const { state: server, clock } = testServer();
    fill(server, 20, clock);
    const db = server.dbs[0];
    for (let i = 0; i < 5; i++) db.setExpire(`k0${i}`, clock.now + 100_000 - i * 1000);
    limit(server, 17, policy);
    assert.equal(performEvictions(server), true, policy);
    assert.equal(db.size(), 17, policy);
    for (let i = 5; i < 20; i++) assert.ok(db.has(`k${String(i).padStart(2, "0")}`), policy);
    if (policy === "volatile-ttl") {
      // The keys expiring soonest go first: k04, k03, k02.
      assert.deepEqual([0, 1, 2, 3, 4].map((i) => db.has(`k0${i}`)), [
        true,
        true,
        false,
        false,
        false,
      ]);
    }
    limit(server, 10, policy);
    assert.equal(performEvictions(server), false, policy);
    assert.equal(db.size(), 15, policy);
  }
});

Deno.test("allkeys-random evicts until under the limit; noeviction fails", () => {
  const server = new ServerState();
  fill(server, 30);
  limit(server, 10, "allkeys-random");
  assert.equal(performEvictions(server), true);
  assert.equal(server.dbs[0].size(), 10);
  limit(server, 5, "noeviction");
  assert.equal(performEvictions(server), false);
  assert.equal(server.dbs[0].size(), 10);
});

Deno.test("allkeys-lfu keeps the keys read most", () => {
  const { state: server, clock } = testServer();
  server.config.set("maxmemory-policy", "allkeys-lfu");
  // The dispatcher does this on every command: new keys start with an LFU counter.
  syncPolicy(server);
  fill(server, 20, clock);
  for (let n = 0; n < 50; n++) for (let i = 0; i < 5; i++) server.dbs[0].lookup(`k0${i}`);
  server.config.set("maxmemory-samples", "20");
  limit(server, 5, "allkeys-lfu");
  assert.equal(performEvictions(server), true);
  for (let i = 0; i < 5; i++) assert.ok(server.dbs[0].has(`k0${i}`), `k0${i}`);
});

Deno.test("a denyoom command is refused with OOM when nothing can be evicted", () => {
  const t = testServer();
  const c = t.connect();
  for (let i = 0; i < 10; i++) assert.equal(c.run("SET", `k${i}`, VALUE), "+OK\r\n");
  assert.equal(c.run("CONFIG", "SET", "maxmemory", String(STARTUP_MEMORY + 100)), "+OK\r\n");
  assert.equal(c.run("SET", "k", "v"), `-${OOM}\r\n`);
  // Reads and deletes still run: they do not grow memory.
  assert.equal(c.run("GET", "k1"), `$1000\r\n${VALUE}\r\n`);
  assert.equal(c.run("DEL", "k1"), ":1\r\n");
  // Inside MULTI the refusal aborts the transaction at EXEC.
  assert.equal(c.run("MULTI"), "+OK\r\n");
  assert.equal(c.run("SET", "k", "v"), `-${OOM}\r\n`);
  assert.equal(c.run("EXEC"), "-EXECABORT Transaction discarded because of previous errors.\r\n");
  // A queued write makes EXEC itself a denyoom command once memory is full.
  assert.equal(c.run("CONFIG", "SET", "maxmemory", "0"), "+OK\r\n");
  assert.equal(c.run("MULTI"), "+OK\r\n");
  assert.equal(c.run("SET", "k", "v"), "+QUEUED\r\n");
  assert.equal(c.run("CONFIG", "SET", "maxmemory", String(STARTUP_MEMORY + 100)), "+QUEUED\r\n");
  assert.equal(c.run("EXEC"), "*2\r\n+OK\r\n+OK\r\n");
  assert.equal(c.run("MULTI"), "+OK\r\n");
  assert.equal(c.run("SET", "k2", "v"), `-${OOM}\r\n`);
  assert.equal(c.run("DISCARD"), "+OK\r\n");
});

Deno.test("an evicted key breaks a WATCH and counts in INFO stats", () => {
  const t = testServer();
  const c = t.connect();
  const other = t.connect();
  assert.equal(c.run("SET", "watched", VALUE), "+OK\r\n");
  assert.equal(c.run("WATCH", "watched"), "+OK\r\n");
  assert.equal(
    other.run("CONFIG", "SET", "maxmemory-policy", "allkeys-random", "maxmemory", "1"),
    "+OK\r\n",
  );
  // The next command of any client evicts; with a 1-byte limit everything goes.
  assert.equal(other.run("PING"), "+PONG\r\n");
  assert.equal(t.state.dbs[0].size(), 0);
  assert.equal(c.run("MULTI"), "+OK\r\n");
  assert.equal(c.run("PING"), "+QUEUED\r\n");
  assert.equal(c.run("EXEC"), "*-1\r\n");
  assert.match(other.run("INFO", "stats"), /evicted_keys:1\r\n/);
});
