/**
 * maxmemory in `kit redis` as a subprocess, driven by redis-cli: OOM under noeviction, and the
 * eviction policies with INFO's figures. Limits are set from INFO's used_memory after a fill,
 * so the tests do not depend on kit's per-key constants.
 */

import assert from "node:assert/strict";
import { startRedis } from "./_redis_util.ts";
import { redisCli } from "./_redis_peer.ts";

/** Starts kit redis (in a folder of its own) with persistence off. */
function start(args: string[] = []) {
  return startRedis(["--save", "", "--appendonly", "no", ...args]);
}

const VALUE = "x".repeat(10_000);

async function cli(port: number, script: string): Promise<string[]> {
  const r = await redisCli(port, [], script);
  assert.equal(r.code, 0, r.stderr);
  // Only the last newline goes: a nil reply is an empty line.
  return r.stdout.replace(/\n$/, "").split("\n");
}

async function info(port: number, field: string): Promise<number> {
  const [text] = [
    (await redisCli(port, ["info", "memory"])).stdout +
    (await redisCli(port, ["info", "stats"])).stdout,
  ];
  const m = new RegExp(`^${field}:(\\d+)`, "m").exec(text);
  assert.ok(m, field);
  return Number(m[1]);
}

/** Writes keys k0..k(n-1) with 10 KB values. */
function fill(n: number, ttl = false): string {
  let script = "";
  for (let i = 0; i < n; i++) script += `SET k${i} ${VALUE}${ttl ? " EX 1000" : ""}\n`;
  return script;
}

/** A maxmemory that holds about `keys` more of the filled keys than the startup figure. */
async function limitFor(port: number, filled: number, keys: number): Promise<number> {
  const startup = await info(port, "used_memory_startup");
  const used = await info(port, "used_memory");
  // Half a key of slack, so rounding never costs one more eviction.
  return startup + Math.floor(((used - startup) / filled) * (keys + 0.5));
}

Deno.test("maxmemory with noeviction refuses writes with OOM and still serves reads", async () => {
  const server = await start(["--maxmemory-policy", "noeviction"]);
  try {
    await cli(server.port, fill(10));
    const max = await limitFor(server.port, 10, 5);
    assert.deepEqual(
      await cli(server.port, `CONFIG SET maxmemory ${max}\nSET a b\nGET k1\nDEL k1\n`),
      [
        "OK",
        "OOM command not allowed when used memory > 'maxmemory'.",
        "",
        VALUE,
        "1",
      ],
    );
    assert.equal((await cli(server.port, "DBSIZE\n"))[0], "9");
  } finally {
    await server.stop();
  }
});

Deno.test("allkeys-lfu evicts the keys read least, and INFO counts them", async () => {
  const server = await start([
    "--maxmemory-policy",
    "allkeys-lfu",
    "--maxmemory-samples",
    "20",
  ]);
  try {
    const { port } = server;
    await cli(port, fill(20));
    // One read moves a counter from 5 to 6 for certain; the others stay at 5.
    await cli(port, "GET k3\nGET k7\nGET k11\n");
    assert.deepEqual(await cli(port, "OBJECT FREQ k3\nOBJECT FREQ k4\n"), ["6", "5"]);
    const max = await limitFor(port, 20, 10);
    await cli(port, `CONFIG SET maxmemory ${max}\nSET new v\n`);
    const dbsize = Number((await cli(port, "DBSIZE\n"))[0]);
    assert.ok(dbsize <= 11 && dbsize >= 8, String(dbsize));
    assert.deepEqual(await cli(port, "EXISTS k3\nEXISTS k7\nEXISTS k11\nEXISTS new\n"), [
      "1",
      "1",
      "1",
      "1",
    ]);
    assert.equal(await info(port, "evicted_keys"), 21 - dbsize);
  } finally {
    await server.stop();
  }
});

Deno.test("allkeys-lru and allkeys-random keep used_memory under a limit set at run time", async () => {
  for (const policy of ["allkeys-lru", "allkeys-random"]) {
    const server = await start(["--maxmemory-policy", policy]);
    try {
      const { port } = server;
      await cli(port, fill(20));
      const max = await limitFor(port, 20, 10);
      // Every write succeeds: eviction makes room before each one.
      const replies = await cli(port, `CONFIG SET maxmemory ${max}\n${fill(30)}`);
      assert.deepEqual(replies, Array(31).fill("OK"), policy);
      const dbsize = Number((await cli(port, "DBSIZE\n"))[0]);
      assert.ok(dbsize <= 10 && dbsize >= 8, `${policy}: ${dbsize}`);
      // Memory is checked before each command, as in Redis: the last SET may go past the
      // limit by its own key.
      const used = await info(port, "used_memory");
      assert.ok(used <= max + 11_000, `${policy}: ${used} > ${max}`);
    } finally {
      await server.stop();
    }
  }
});

Deno.test("volatile-ttl evicts keys with a TTL only, soonest first, then refuses", async () => {
  const server = await start(["--maxmemory-policy", "volatile-ttl"]);
  try {
    const { port } = server;
    let script = fill(10);
    for (let i = 10; i < 15; i++) script += `SET k${i} ${VALUE} EX ${1000 + i}\n`;
    await cli(port, script);
    const max = await limitFor(port, 15, 12);
    assert.deepEqual(await cli(port, `CONFIG SET maxmemory ${max}\nSET a b\n`), ["OK", "OK"]);
    // k10..k12 expire soonest; the 10 keys without a TTL are never evicted.
    assert.deepEqual(await cli(port, "EXISTS k10 k11 k12\nEXISTS k13 k14\nEXISTS k0 k9\n"), [
      "0",
      "2",
      "2",
    ]);
    const tight = await limitFor(port, 13, 5);
    assert.deepEqual(await cli(port, `CONFIG SET maxmemory ${tight}\nSET b c\n`), [
      "OK",
      "OOM command not allowed when used memory > 'maxmemory'.",
      "",
    ]);
    assert.equal((await cli(port, "EXISTS k0 k1 k2 k3 k4 k5 k6 k7 k8 k9\n"))[0], "10");
  } finally {
    await server.stop();
  }
});

Deno.test("MEMORY USAGE and INFO memory answer", async () => {
  const server = await start();
  try {
    const { port } = server;
    const [ok, usage, missing] = await cli(
      port,
      "SET key:000000000001 xxx\nMEMORY USAGE key:000000000001\nMEMORY USAGE nope\n",
    );
    assert.equal(ok, "OK");
    assert.ok(Number(usage) > 16 && Number(usage) < 200, usage);
    assert.equal(missing, "");
    assert.ok(await info(port, "used_memory_rss") > 0);
    assert.equal(await info(port, "evicted_keys"), 0);
  } finally {
    await server.stop();
  }
});
