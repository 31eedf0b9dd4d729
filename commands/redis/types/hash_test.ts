import assert from "node:assert/strict";
import { Hash } from "./hash.ts";

Deno.test("Hash turns into a hashtable past 128 fields and stays one", () => {
  const h = new Hash();
  for (let i = 0; i < 128; i++) h.set(`f${i}`, new Uint8Array(1));
  assert.equal(h.encoding(), "listpack");
  h.set("one-more", new Uint8Array(1));
  assert.equal(h.encoding(), "hashtable");
  h.delete("one-more");
  assert.equal(h.encoding(), "hashtable");
  assert.equal(h.clone().encoding(), "hashtable");
});
