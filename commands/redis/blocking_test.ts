import assert from "node:assert/strict";
import { Blocking, type Waiter } from "./blocking.ts";
import { Session } from "./session.ts";

function waiter(id: number, keys: string[], items: Map<string, number>, log: string[]): Waiter {
  const session = new Session(id, "127.0.0.1:1", 0);
  return {
    session,
    db: 0,
    keys,
    attempt() {
      for (const k of keys) {
        const n = items.get(k) ?? 0;
        if (n > 0) {
          items.set(k, n - 1);
          log.push(`${id}:${k}`);
          return true;
        }
      }
      return false;
    },
    timeout: () => log.push(`${id}:timeout`),
  };
}

Deno.test("Blocking serves waiters in arrival order", async () => {
  const b = new Blocking();
  const items = new Map<string, number>();
  const log: string[] = [];
  const first = b.block(waiter(1, ["a"], items, log), 0);
  const second = b.block(waiter(2, ["b", "a"], items, log), 0);
  items.set("a", 1);
  b.touched(0, "a");
  b.serveReady();
  await first;
  assert.deepEqual(log, ["1:a"]);
  assert.equal(b.size, 1);
  items.set("a", 1);
  b.touched(0, "a");
  b.serveReady();
  await second;
  assert.deepEqual(log, ["1:a", "2:a"]);
  assert.equal(b.size, 0);
});

Deno.test("Blocking ignores writes to keys nobody waits on, and drop() ends a wait", async () => {
  const b = new Blocking();
  const items = new Map<string, number>([["x", 1]]);
  const log: string[] = [];
  const w = waiter(1, ["a"], items, log);
  const done = b.block(w, 0);
  b.touched(0, "x");
  b.touched(1, "a");
  b.serveReady();
  assert.deepEqual(log, []);
  b.drop(w.session);
  await done;
  assert.equal(b.size, 0);
});

Deno.test("Blocking times a waiter out", async () => {
  const b = new Blocking();
  const log: string[] = [];
  await b.block(waiter(1, ["a"], new Map(), log), 5);
  assert.deepEqual(log, ["1:timeout"]);
});
