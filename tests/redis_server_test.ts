/**
 * `kit redis` as a subprocess, driven by real clients: redis-cli, ioredis, raw sockets and
 * redis-benchmark.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { startRedis } from "./_redis_util.ts";
import { rawExchange, Redis, redisCli, startRedisServer } from "./_redis_peer.ts";
import { ROOT } from "./_util.ts";

function client(port: number): Redis {
  return new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0 });
}

Deno.test("kit redis serves redis-cli, ioredis and raw clients", async (t) => {
  const server = await startRedis();
  const { port } = server;
  try {
    await t.step("redis-cli runs a script", async () => {
      const r = await redisCli(port, [], "SET greeting hello\nGET greeting\nINCR n\nINCRBY n 5\n");
      assert.equal(r.code, 0);
      assert.equal(r.stdout, "OK\nhello\n1\n6\n");
    });

    await t.step("unknown commands and wrong arity get Redis's errors", async () => {
      const r = await redisCli(port, [], "FOO a b\nGET\n");
      assert.equal(
        r.stdout,
        "ERR unknown command 'FOO', with args beginning with: 'a' 'b' \n\n" +
          "ERR wrong number of arguments for 'get' command\n\n",
      );
    });

    await t.step("redis-cli -3 speaks RESP3", async () => {
      const r = await redisCli(port, ["-3", "client", "info"]);
      assert.match(r.stdout, / resp=3 /);
      const raw = await rawExchange(
        port,
        "HELLO 3\r\nCONFIG GET maxmemory\r\nGET none\r\nQUIT\r\n",
      );
      assert.ok(
        raw.endsWith("%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n_\r\n+OK\r\n"),
        JSON.stringify(raw),
      );
    });

    await t.step("ioredis pipelines get their replies in order", async () => {
      const c = client(port);
      await c.connect();
      try {
        const results = await c.pipeline()
          .set("p1", "a")
          .get("p1")
          .incr("p1")
          .append("p1", "b")
          .get("p1")
          .exec();
        assert.deepEqual(results!.map(([e, v]) => e ? e.message : v), [
          "OK",
          "a",
          "ERR value is not an integer or out of range",
          2,
          "ab",
        ]);
      } finally {
        c.disconnect();
      }
    });

    await t.step("pub/sub between two clients, channels and patterns", async () => {
      const sub = client(port);
      const pub = client(port);
      await sub.connect();
      await pub.connect();
      try {
        const got: string[] = [];
        const done = Promise.withResolvers<void>();
        sub.on("message", (ch: string, msg: string) => got.push(`${ch}:${msg}`));
        sub.on("pmessage", (p: string, ch: string, msg: string) => {
          got.push(`${p}|${ch}:${msg}`);
          if (got.length === 3) done.resolve();
        });
        await sub.subscribe("news");
        await sub.psubscribe("n*");
        assert.equal(await pub.publish("news", "one"), 2);
        assert.equal(await pub.publish("nope", "two"), 1);
        await done.promise;
        assert.deepEqual(got, ["news:one", "n*|news:one", "n*|nope:two"]);
        assert.deepEqual(await pub.pubsub("NUMSUB", "news"), ["news", 1]);
      } finally {
        sub.disconnect();
        pub.disconnect();
      }
    });

    await t.step("MULTI/EXEC and a WATCH broken by another client", async () => {
      const a = client(port);
      const b = client(port);
      await a.connect();
      await b.connect();
      try {
        assert.deepEqual(await a.multi().set("t", "1").incr("t").exec(), [[null, "OK"], [
          null,
          2,
        ]]);
        await a.watch("t");
        await b.set("t", "changed");
        assert.equal(await a.multi().set("t", "mine").exec(), null);
        assert.equal(await a.get("t"), "changed");
      } finally {
        a.disconnect();
        b.disconnect();
      }
    });

    await t.step("BLPOP is woken by another client's push", async () => {
      const waiter = client(port);
      const pusher = client(port);
      await waiter.connect();
      await pusher.connect();
      try {
        const popped = waiter.blpop("jobs", 0);
        // The push must come after the pop has blocked: wait for the server to say so.
        while (!(await pusher.info("clients")).includes("blocked_clients:1")) { /* again */ }
        assert.equal(await pusher.rpush("jobs", "j1"), 1);
        assert.deepEqual(await popped, ["jobs", "j1"]);
        assert.equal(await waiter.brpop("empty", 0.05), null);
      } finally {
        waiter.disconnect();
        pusher.disconnect();
      }
    });

    await t.step("redis-benchmark runs against it", async () => {
      const out = await new Deno.Command("redis-benchmark", {
        args: ["-p", String(port), "-q", "-n", "2000", "-t", "set,get,lpush,lpop"],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, text);
      for (const name of ["SET", "GET", "LPUSH", "LPOP"]) {
        assert.match(text, new RegExp(`${name}: [\\d.]+ requests per second`));
      }
    });

    await t.step("a protocol error is answered, then the connection closes", async () => {
      const text = await rawExchange(port, "*1\r\n$4\r\nPING\r\n*x\r\n");
      assert.equal(text, "+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n");
      const bulk = await rawExchange(port, "*1\r\n$999999999999\r\n");
      assert.equal(bulk, "-ERR Protocol error: invalid bulk length\r\n");
    });

    await t.step("QUIT closes after its reply", async () => {
      assert.equal(await rawExchange(port, "PING\r\nQUIT\r\nPING\r\n"), "+PONG\r\n+OK\r\n");
    });
  } finally {
    const { code, stderr } = await server.stop("SIGTERM");
    assert.equal(code, 0, stderr);
    assert.match(stderr, /stopped/);
  }
});

Deno.test("kit redis reads a config file and requires AUTH with requirepass", async () => {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "redis.conf");
  await Deno.writeTextFile(file, '# test\nrequirepass s3cret\ntimeout 0\nsave ""\n');
  const server = await startRedis([file, "--databases", "4"]);
  try {
    const denied = await redisCli(server.port, ["get", "k"]);
    assert.equal(denied.stdout, "NOAUTH Authentication required.\n\n");
    const ok = await redisCli(server.port, ["--no-auth-warning", "-a", "s3cret", "select", "3"]);
    assert.equal(ok.stdout, "OK\n");
    const out = await redisCli(server.port, ["--no-auth-warning", "-a", "s3cret", "select", "4"]);
    assert.equal(out.stdout, "ERR DB index is out of range\n\n");
    const save = await redisCli(
      server.port,
      ["--no-auth-warning", "-a", "s3cret"],
      "CONFIG GET save\n",
    );
    assert.equal(save.stdout, "save\n\n");
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kit redis refuses a bad directive with exit code 2", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", join(ROOT, "main.ts"), "redis", "--port", "0", "--nosuch", "1"],
    stdout: "null",
    stderr: "piped",
  });
  const out = await child.output();
  assert.equal(out.code, 2);
  assert.match(new TextDecoder().decode(out.stderr), /kit redis: error: Bad configuration/);
});

Deno.test("SHUTDOWN stops kit redis with exit code 0", async () => {
  const server = await startRedis();
  await redisCli(server.port, ["shutdown", "nosave"]);
  const { code } = await server.exited();
  assert.equal(code, 0);
});

Deno.test("maxclients refuses connections past the limit", async () => {
  const server = await startRedis(["--maxclients", "1"]);
  const first = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  try {
    await first.write(new TextEncoder().encode("PING\r\n"));
    const buf = new Uint8Array(64);
    assert.equal(new TextDecoder().decode(buf.subarray(0, (await first.read(buf))!)), "+PONG\r\n");
    assert.equal(
      await rawExchange(server.port, ""),
      "-ERR max number of clients reached\r\n",
    );
  } finally {
    first.close();
    await server.stop();
  }
});

Deno.test("an idle client is closed after timeout seconds", async () => {
  const server = await startRedis(["--timeout", "1"]);
  try {
    // The server closes the connection by itself: the read ends without a reply.
    assert.equal(await rawExchange(server.port, ""), "");
  } finally {
    await server.stop();
  }
});

Deno.test("a request past client-query-buffer-limit is refused and closed", async () => {
  const server = await startRedis(["--client-query-buffer-limit", "1mb"]);
  try {
    const text = await rawExchange(server.port, "PING\r\n*2\r\n$3\r\nGET\r\n$2000000\r\n");
    assert.equal(text, "+PONG\r\n-ERR Protocol error: query buffer limit reached\r\n");
    assert.equal(await rawExchange(server.port, "PING\r\nQUIT\r\n"), "+PONG\r\n+OK\r\n");
  } finally {
    await server.stop();
  }
});

// Connection, server, transaction and blocking-command errors, run through redis-cli against
// both servers: kit's replies must be redis-server's, byte for byte.
const SCRIPT = `PING a b
ECHO
HELLO 2 SETNAME x
CLIENT GETNAME
CLIENT NOSUCH
CONFIG GET timeout
CONFIG SET maxmemory 10x
CONFIG SET timeout
CONFIG SET nosuch 1
SELECT -1
SELECT 1
SWAPDB 0 99
SWAPDB 0 x
MULTI
EXEC
EXEC
DISCARD
WATCH
MULTI
WATCH a
SET a 1
GET a b
EXEC
MULTI
SET a 2
BLPOP nolist 0
INCR a
EXEC
SUBSCRIBE
PUBSUB NUMPAT
PUBSUB NUMSUB x
PUBSUB CHANNELS
SLOWLOG GET -2
BLPOP a
BLPOP a b
BLPOP l x
BLPOP l -1
BLMOVE a b up left 0
BZPOPMIN z -1
FLUSHDB x
AUTH a b c
AUTH x
COMMAND GETKEYS set a b
COMMAND COUNTX
SHUTDOWN ABORT
CLIENT KILL 1.2.3.4:5
CLIENT KILL ID 99999
CLIENT LIST TYPE foo
HELLO 3 AUTH default wrong
HELLO 4
TIME x
DBSIZE
FLUSHALL
UNWATCH
`;

Deno.test("kit redis answers like redis-server 7.0", async () => {
  const kit = await startRedis();
  const peer = await startRedisServer();
  try {
    const ours = await redisCli(kit.port, [], SCRIPT);
    const theirs = await redisCli(peer.port, [], SCRIPT);
    // Client ids differ: redis-server numbers its internal clients too.
    const ids = (text: string) => text.replace(/^id( |\n)\d+$/gm, "id$1N");
    assert.equal(ids(ours.stdout), ids(theirs.stdout));
    assert.match(ours.stdout, /unsupported protocol version/);
    // RESP3 pub/sub on one connection: pushes, replies and their order. The channels are named
    // in UNSUBSCRIBE: without names Redis answers in its hash table's order, which is seeded
    // per process.
    const resp3 = "HELLO 3\r\nSUBSCRIBE c d\r\nPUBLISH c x\r\nGET nokey\r\nPING\r\n" +
      "UNSUBSCRIBE c d\r\nQUIT\r\n";
    const after = (text: string) => text.slice(text.indexOf(">3\r\n"));
    const ours3 = after(await rawExchange(kit.port, resp3));
    assert.equal(ours3, after(await rawExchange(peer.port, resp3)));
    assert.match(ours3, /^>3\r\n\$9\r\nsubscribe\r\n/);
  } finally {
    await kit.stop();
    await peer.stop();
  }
});

Deno.test("pipelines of member commands on one key answer as redis-server does", async () => {
  // The server fetches a pipelined batch's keys and members ahead of running it; batches here
  // mix commands, keys, types, deletes and re-creates of the keys within one batch.
  let seed = 11;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  const lines: string[] = [];
  for (let i = 0; i < 300; i++) {
    lines.push(`SADD s m${i}`, `HSET h f${i} v${i}`, `ZADD z ${i} m${i}`);
  }
  const shapes = [
    () => `SADD s m${next(400)}`,
    () => `SISMEMBER s m${next(400)}`,
    () => `SREM s m${next(400)}`,
    () => `HSET h f${next(400)} w${next(9)}`,
    () => `HGET h f${next(400)}`,
    () => `HDEL h f${next(400)}`,
    () => `ZADD z ${next(1000)} m${next(400)}`,
    () => `ZSCORE z m${next(400)}`,
    () => `ZREM z m${next(400)}`,
    () => `SADD h m${next(400)}`,
    () => `GET s`,
    () => `DEL ${["s", "h", "z"][next(3)]}`,
  ];
  for (let run = 0; run < 200; run++) {
    // Mostly runs of one command on one key, as benchmarks and clients send them.
    const shape = shapes[next(shapes.length)];
    const length = 1 + next(40);
    for (let i = 0; i < length; i++) {
      lines.push(next(10) === 0 ? shapes[next(shapes.length)]() : shape());
    }
  }
  lines.push("QUIT");
  const script = lines.join("\r\n") + "\r\n";
  const dump = "SMEMBERS s\r\nHGETALL h\r\nZRANGE z 0 -1 WITHSCORES\r\nQUIT\r\n";
  const kit = await startRedis();
  const peer = await startRedisServer();
  try {
    assert.equal(await rawExchange(kit.port, script), await rawExchange(peer.port, script));
    // Members come back in hash-table order: compare them sorted.
    const sorted = (text: string) => text.split("\r\n").sort().join("\n");
    const ours = await rawExchange(kit.port, dump);
    assert.equal(sorted(ours), sorted(await rawExchange(peer.port, dump)));
    assert.ok(ours.length > 1000, ours);
  } finally {
    await kit.stop();
    await peer.stop();
  }
});
