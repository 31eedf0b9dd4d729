/**
 * `kit redis` driven by the `redis` npm client (node-redis), in RESP2 and RESP3: commands,
 * pipelines, transactions with WATCH, pub/sub and blocking pops.
 */

import assert from "node:assert/strict";
import { createClient, WatchError } from "redis";
import { startRedis } from "./_redis_util.ts";

type Client = ReturnType<typeof createClient>;

async function connect(port: number, resp: 2 | 3): Promise<Client> {
  const client = createClient({
    socket: { host: "127.0.0.1", port, reconnectStrategy: false },
    RESP: resp,
  });
  client.on("error", () => {/* a failed command rejects its promise; nothing else to do */});
  await client.connect();
  return client as Client;
}

for (const resp of [2, 3] as const) {
  Deno.test(`kit redis serves the redis npm client over RESP${resp}`, async (t) => {
    const server = await startRedis();
    const clients: Client[] = [];
    const open = async () => {
      const c = await connect(server.port, resp);
      clients.push(c);
      return c;
    };
    try {
      const c = await open();

      await t.step(`the connection speaks RESP${resp}`, async () => {
        const info = String(await c.sendCommand(["CLIENT", "INFO"]));
        assert.match(info, new RegExp(` resp=${resp} `));
      });

      await t.step("strings, hashes, sorted sets and their reply types", async () => {
        assert.equal(await c.set("s", "v", { expiration: { type: "EX", value: 100 } }), "OK");
        assert.equal(await c.get("s"), "v");
        assert.ok((await c.ttl("s")) > 90);
        assert.equal(await c.incrBy("n", 5), 5);
        assert.equal(await c.hSet("h", { a: "1", b: "2" }), 2);
        assert.deepEqual({ ...(await c.hGetAll("h")) }, { a: "1", b: "2" });
        assert.equal(await c.zAdd("z", [{ score: 2, value: "b" }, { score: 1.5, value: "a" }]), 2);
        assert.deepEqual(await c.zRangeWithScores("z", 0, -1), [
          { value: "a", score: 1.5 },
          { value: "b", score: 2 },
        ]);
        assert.equal(await c.zScore("z", "b"), 2);
        await assert.rejects(c.lPush("s", "x"), /WRONGTYPE/);
      });

      await t.step("commands sent in one tick are pipelined and answered in order", async () => {
        const replies = await Promise.all(
          Array.from({ length: 200 }, (_, i) => c.rPush("pipe", String(i))),
        );
        assert.deepEqual(replies, Array.from({ length: 200 }, (_, i) => i + 1));
        assert.deepEqual(await c.lRange("pipe", 0, 2), ["0", "1", "2"]);
        const results = await c.multi().set("p", "1").incr("p").get("p").execAsPipeline();
        assert.deepEqual(results, ["OK", 2, "2"]);
      });

      await t.step("MULTI/EXEC, and a WATCH broken by another client", async () => {
        assert.deepEqual(await c.multi().set("t", "1").incr("t").exec(), ["OK", 2]);
        const other = await open();
        await c.watch("t");
        await other.set("t", "changed");
        await assert.rejects(c.multi().set("t", "mine").exec(), WatchError);
        assert.equal(await c.get("t"), "changed");
      });

      await t.step("pub/sub on channels and patterns", async () => {
        const sub = await open();
        const got: string[] = [];
        const done = Promise.withResolvers<void>();
        const note = (line: string) => {
          got.push(line);
          if (got.length === 3) done.resolve();
        };
        await sub.subscribe("news", (message, channel) => note(`${channel}:${message}`));
        await sub.pSubscribe("n*", (message, channel) => note(`n*|${channel}:${message}`));
        assert.equal(await c.publish("news", "one"), 2);
        assert.equal(await c.publish("nope", "two"), 1);
        await done.promise;
        assert.deepEqual(got.sort(), ["n*|news:one", "n*|nope:two", "news:one"]);
        assert.deepEqual({ ...(await c.pubSubNumSub("news")) }, { news: 1 });
      });

      await t.step("BLPOP is woken by another client's push", async () => {
        const waiter = await open();
        const popped = waiter.blPop("jobs", 0);
        // The push must come after the pop has blocked: wait for the server to say so.
        while (!(await c.info("clients")).includes("blocked_clients:1")) { /* again */ }
        assert.equal(await c.rPush("jobs", "j1"), 1);
        assert.deepEqual({ ...(await popped) }, { key: "jobs", element: "j1" });
        assert.equal(await waiter.brPop("empty", 0.05), null);
      });
    } finally {
      for (const c of clients) c.destroy();
      await server.stop();
    }
  });
}
