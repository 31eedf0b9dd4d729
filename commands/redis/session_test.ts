import assert from "node:assert/strict";
import { Session } from "./session.ts";

Deno.test("Session counts channels and patterns as subscriptions", () => {
  const s = new Session(1, "127.0.0.1:1", 5);
  s.channels.add("a");
  s.patterns.add("b*");
  assert.equal(s.subscriptionCount, 2);
  assert.equal(s.lastInteraction, 5);
});

Deno.test("Session is in MULTI once it has a queue", () => {
  const s = new Session(1, "127.0.0.1:1", 0);
  s.queue = [];
  assert.equal(s.inMulti, true);
});
