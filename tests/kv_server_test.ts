import assert from "node:assert/strict";
import { join } from "node:path";
import { startKvServer } from "./_kv_util.ts";
import { Redis, redisCli, startRedisServer } from "./_redis_peer.ts";
import { kit } from "./_util.ts";

async function withStore(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kit-kv-it-" });
  try {
    await fn(join(dir, "store"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("redis-cli talks to kit kv serve: strings, TTLs, SCAN, errors, pipes", async () => {
  await withStore(async (dir) => {
    const server = await startKvServer(dir);
    try {
      const cli = (...args: string[]) => redisCli(server.port, args);
      assert.equal((await cli("PING")).stdout, "PONG\n");
      assert.equal((await cli("SET", "greeting", "hello world")).stdout, "OK\n");
      assert.equal((await cli("GET", "greeting")).stdout, "hello world\n");
      assert.equal((await cli("SET", "greeting", "x", "NX")).stdout, "\n");
      assert.equal((await cli("SET", "t", "v", "EX", "100")).stdout, "OK\n");
      assert.equal((await cli("TTL", "t")).stdout, "100\n");
      assert.equal((await cli("MSET", "a", "1", "b", "2")).stdout, "OK\n");
      assert.equal((await cli("MGET", "a", "nope", "b")).stdout, "1\n\n2\n");
      assert.equal((await cli("EXISTS", "a", "b", "c")).stdout, "2\n");
      assert.equal((await cli("DEL", "a", "c")).stdout, "1\n");
      assert.equal((await cli("DBSIZE")).stdout, "3\n");
      assert.equal((await cli("--scan", "--pattern", "g*")).stdout, "greeting\n");
      assert.equal(
        (await cli("FOO", "bar")).stdout,
        "ERR unknown command 'FOO', with args beginning with: 'bar' \n\n",
      );
      assert.equal(
        (await cli("GET")).stdout,
        "ERR wrong number of arguments for 'get' command\n\n",
      );
      assert.equal(
        (await cli("SET", "k", "v", "EX", "0")).stdout,
        "ERR invalid expire time in 'set' command\n\n",
      );
      assert.match((await cli("INFO", "server")).stdout, /redis_version:/);
      const piped = await redisCli(server.port, [], "SET p 1\nINCR p\nGET p\n");
      assert.equal(
        piped.stdout,
        "OK\nERR unknown command 'INCR', with args beginning with: 'p' \n\n1\n",
      );
      const resp3 = await redisCli(server.port, ["-3", "GET", "nope"]);
      assert.equal(resp3.code, 0);
      const pipe = await redisCli(
        server.port,
        ["--pipe"],
        "*3\r\n$3\r\nSET\r\n$2\r\nk1\r\n$2\r\nv1\r\n".repeat(500),
      );
      assert.match(pipe.stdout, /errors: 0, replies: 500/);
    } finally {
      const { code, stderr } = await server.stop();
      assert.equal(code, 0, stderr);
      assert.match(stderr, /stopped; store flushed/);
    }
  });
});

Deno.test("redis-cli prints the same for kit kv serve as for redis-server", async () => {
  await withStore(async (dir) => {
    const server = await startKvServer(dir);
    const redis = await startRedisServer();
    try {
      const script = [
        "SET a 1",
        "SET a 2 NX",
        "SET a 3 XX GET",
        "SET b x EX 100",
        "TTL b",
        "PTTL nope",
        "EXPIRE b 50 GT",
        "EXPIRE b 10 NX XX",
        "PERSIST b",
        "MSET c 1 d",
        "MSET c 1 d 2",
        "MGET a b c zz",
        "EXISTS a a zz",
        "DEL a zz",
        "GET a",
        "SET k v PX 0",
        "SET k v EX abc",
        "SET k v FOO",
        "GET",
        "NOSUCH x y",
        "ECHO hello",
        "PING",
        "PING x",
        "SELECT 0",
        "MULTI",
        "SET t 1",
        "GET t",
        "EXEC",
        "EXEC",
        "DISCARD",
        "SCAN x",
        "SCAN 0 COUNT 0",
        "CLIENT SETNAME a\\ b",
        "CLIENT SETNAME worker",
        "CLIENT GETNAME",
        "CLIENT NOPE",
        "HELLO 4",
        "HELLO x",
        "DBSIZE",
      ].join("\n") + "\n";
      for (const protocol of ["-2", "-3"]) {
        const ours = await redisCli(server.port, [protocol], script);
        const theirs = await redisCli(redis.port, [protocol], script);
        assert.equal(ours.stdout, theirs.stdout, `redis-cli ${protocol}`);
      }
    } finally {
      await redis.stop();
      await server.stop();
    }
  });
});

Deno.test("ioredis works against kit kv serve", async () => {
  await withStore(async (dir) => {
    const server = await startKvServer(dir);
    const redis = new Redis({ port: server.port, lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await redis.connect();
      assert.equal(await redis.set("user:1", "Ada"), "OK");
      assert.equal(await redis.get("user:1"), "Ada");
      assert.equal(await redis.set("user:2", "Grace", "EX", 60), "OK");
      assert.equal(await redis.ttl("user:2"), 60);
      assert.equal(await redis.set("user:1", "x", "NX"), null);
      const buf = Buffer.from([0, 1, 2, 255]);
      await redis.set("bin", buf);
      assert.deepEqual(await redis.getBuffer("bin"), buf);
      assert.deepEqual(await redis.mget("user:1", "nope"), ["Ada", null]);
      assert.equal(await redis.mset({ a: "1", b: "2" }), "OK");
      assert.equal(await redis.exists("a", "b", "nope"), 2);
      assert.equal(await redis.expire("a", 100), 1);
      assert.equal(await redis.pexpire("a", 5000), 1);
      assert.ok((await redis.pttl("a")) <= 5000);
      assert.equal(await redis.del("a", "b"), 2);
      const keys: string[] = [];
      let cursor = "0";
      do {
        const [next, batch] = await redis.scan(cursor, "MATCH", "user:*", "COUNT", 1);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== "0");
      assert.deepEqual(keys.sort(), ["user:1", "user:2"]);
      assert.equal(await redis.dbsize(), 3);
      const pipeline = redis.pipeline();
      for (let i = 0; i < 100; i++) pipeline.set(`p${i}`, String(i));
      pipeline.get("p99");
      const results = await pipeline.exec();
      assert.deepEqual(results!.at(-1), [null, "99"]);
      await assert.rejects(redis.call("NOSUCH"), /unknown command 'NOSUCH'/);
      // ioredis speaks RESP2 only; HELLO 2 is what a RESP3-aware client sends first.
      const hello = await redis.call("HELLO", "2") as unknown[];
      assert.deepEqual(hello.slice(0, 6), ["server", "redis", "version", "7.2.4", "proto", 2]);
      await redis.client("SETNAME", "tester");
      assert.equal(await redis.client("GETNAME"), "tester");
    } finally {
      await redis.quit();
    }
    const { code } = await server.stop();
    assert.equal(code, 0);
  });
});

Deno.test("MULTI/EXEC is atomic: a concurrent reader never sees half a transaction", async () => {
  await withStore(async (dir) => {
    const server = await startKvServer(dir, ["--fsync", "always"]);
    const writer = new Redis({ port: server.port, lazyConnect: true });
    const reader = new Redis({ port: server.port, lazyConnect: true });
    try {
      await writer.connect();
      await reader.connect();
      await writer.mset({ x: "0", y: "0" });
      let done = false;
      const writes = (async () => {
        for (let i = 1; i <= 200; i++) {
          const result = await writer.multi().set("x", String(i)).set("y", String(i)).get("x")
            .exec();
          assert.deepEqual(result, [[null, "OK"], [null, "OK"], [null, String(i)]]);
        }
        done = true;
      })();
      let reads = 0;
      while (!done) {
        const [x, y] = await reader.mget("x", "y");
        assert.equal(x, y, "both keys of one transaction or neither");
        reads++;
      }
      await writes;
      assert.ok(reads > 0);
      assert.deepEqual(await reader.mget("x", "y"), ["200", "200"]);
      // An error while queueing aborts the whole transaction.
      await assert.rejects(writer.multi().set("x", "bad").call("GET").exec(), /EXECABORT/);
      assert.equal(await reader.get("x"), "200");
    } finally {
      await writer.quit();
      await reader.quit();
    }
    await server.stop();
  });
});

Deno.test("with --fsync always, every acknowledged write survives SIGKILL", async () => {
  await withStore(async (dir) => {
    const server = await startKvServer(dir, ["--fsync", "always"]);
    const redis = new Redis({ port: server.port, lazyConnect: true });
    await redis.connect();
    for (let i = 0; i < 50; i++) await redis.set(`k${i}`, `v${i}`);
    await redis.multi().set("t1", "a").set("t2", "b").exec();
    redis.disconnect();
    const killed = await server.stop("SIGKILL");
    assert.notEqual(killed.code, 0);
    const again = await startKvServer(dir);
    try {
      for (const [key, value] of [["k0", "v0"], ["k49", "v49"], ["t1", "a"], ["t2", "b"]]) {
        assert.equal((await redisCli(again.port, ["GET", key])).stdout, `${value}\n`);
      }
      assert.equal((await redisCli(again.port, ["DBSIZE"])).stdout, "52\n");
    } finally {
      assert.equal((await again.stop("SIGINT")).code, 0);
    }
  });
});

Deno.test("bad input on one connection never affects another or crashes the server", async () => {
  await withStore(async (dir) => {
    const server = await startKvServer(dir);
    try {
      const good = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      const buf = new Uint8Array(1024);
      const inputs = [
        "*1\r\n$999999999999\r\n",
        "*2147483648\r\n",
        '\x00\xff\xfe garbage "\r\n',
        "*1\r\n$4\r\nPI", // then closed mid-command
      ];
      for (const input of inputs) {
        const bad = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
        await bad.write(new TextEncoder().encode(input));
        bad.close();
        await good.write(new TextEncoder().encode("PING\r\n"));
        const n = await good.read(buf);
        assert.equal(new TextDecoder().decode(buf.subarray(0, n!)), "+PONG\r\n");
      }
      const bad = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      await bad.write(new TextEncoder().encode("*1\r\n$-7\r\n"));
      const n = await bad.read(buf);
      assert.equal(
        new TextDecoder().decode(buf.subarray(0, n!)),
        "-ERR Protocol error: invalid bulk length\r\n",
      );
      assert.equal(await bad.read(buf), null, "closed after the error, as Redis does");
      bad.close();
      good.close();
    } finally {
      const { code, stderr } = await server.stop("SIGINT");
      assert.equal(code, 0, stderr);
    }
  });
});

Deno.test("while kit kv serve holds the store, CLI reads work and writes are refused", async () => {
  await withStore(async (dir) => {
    const server = await startKvServer(dir, ["--fsync", "always"]);
    try {
      assert.equal((await redisCli(server.port, ["SET", "shared", "yes"])).stdout, "OK\n");
      const read = await kit(["kv", "--dir", dir, "get", "shared"]);
      assert.deepEqual(read, { code: 0, stdout: "yes", stderr: "" });
      const write = await kit(["kv", "--dir", dir, "set", "shared", "no"]);
      assert.equal(write.code, 2);
      assert.match(write.stderr, /^kit kv: error: .*locked/);
      assert.match(write.stderr, /\nhint: .*redis-cli/);
    } finally {
      await server.stop();
    }
  });
});

Deno.test("SIGTERM shuts down gracefully: exit 0 and the store flushed, even with --fsync never", async () => {
  await withStore(async (dir) => {
    const server = await startKvServer(dir, ["--fsync", "never"]);
    const piped = await redisCli(server.port, [], "SET a 1\nMSET b 2 c 3\nDEL c\n");
    assert.equal(piped.stdout, "OK\nOK\n1\n");
    const { code, stderr } = await server.stop("SIGTERM");
    assert.equal(code, 0);
    assert.match(stderr, /stopped; store flushed/);
    const exported = await kit(["kv", "--dir", dir, "export"]);
    assert.deepEqual(exported.stdout.trim().split("\n").map((l) => JSON.parse(l).key), ["a", "b"]);
  });
});
