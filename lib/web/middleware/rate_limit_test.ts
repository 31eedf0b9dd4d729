import assert from "node:assert/strict";
import { App } from "../app.ts";
import { rateLimit } from "./rate_limit.ts";

Deno.test("rateLimit() keeps one bucket per key and refills with the clock", async () => {
  let now = 0;
  const app = new App().use(
    rateLimit({
      capacity: 2,
      refillPerSecond: 0.5,
      key: (c) => c.header("x-user") ?? "",
      now: () => now,
    }),
  );
  app.get("/", () => "ok");
  const as = (user: string) => app.request("/", { headers: { "x-user": user } });
  const first = await as("a");
  assert.equal(first.headers.get("ratelimit-remaining"), "1");
  assert.equal((await as("a")).status, 200);
  const limited = await as("a");
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("retry-after"), "2");
  await limited.body?.cancel();
  assert.equal((await as("b")).status, 200, "another key has its own bucket");
  now += 1000;
  assert.equal((await as("a")).status, 429, "half a token is not enough");
  now += 1000;
  assert.equal((await as("a")).status, 200);
});

Deno.test("rateLimit() forgets the least recently used keys beyond maxKeys", async () => {
  const app = new App().use(
    rateLimit({
      capacity: 1,
      refillPerSecond: 0.001,
      key: (c) => c.header("x-user")!,
      now: () => 0,
      maxKeys: 2,
    }),
  );
  app.get("/", () => "ok");
  const as = (user: string) => app.request("/", { headers: { "x-user": user } });
  assert.equal((await as("a")).status, 200);
  assert.equal((await as("b")).status, 200);
  assert.equal((await as("c")).status, 200);
  assert.equal((await as("a")).status, 200, "a's bucket was evicted, so it starts full");
  assert.equal((await as("c")).status, 429);
});
