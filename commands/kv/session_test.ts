import assert from "node:assert/strict";
import { Session } from "./session.ts";

Deno.test("Session starts in RESP2, outside MULTI, unnamed", () => {
  const s = new Session(3, "127.0.0.1:9", 1000);
  assert.equal(s.protocol, 2);
  assert.equal(s.name, null);
  assert.equal(s.inMulti, false);
  assert.equal(s.createdAt, 1000);
  s.queue = [];
  assert.equal(s.inMulti, true);
});
