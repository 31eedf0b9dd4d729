import assert from "node:assert/strict";
import { HashesAhead, hashOf, hashOfBytes, heldEquals } from "./held.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("HashesAhead keeps each view's hash, a view repeated in a row included", () => {
  const a = bytes("myhash");
  const b = bytes("other");
  const alsoA = bytes("myhash"); // the same bytes, another view
  const near = bytes("myhasi"); // the same length, other bytes
  const views = [b, a, a, a, b, b, alsoA, a, near, near, b];
  const ahead = new HashesAhead();
  const hashes = ahead.fill(views, 1, views.length - 1);
  views.slice(1).forEach((view, i) => assert.equal(hashes[i], hashOfBytes(view), `view ${i}`));
  for (const view of views.slice(1)) assert.equal(ahead.hashOf(view), hashOfBytes(view));
  assert.equal(ahead.hashOf(bytes("not filled")), hashOfBytes(bytes("not filled")));
  assert.equal(hashOfBytes(a), hashOf("myhash"));
  assert.notEqual(hashOfBytes(a), hashOfBytes(b));
});

Deno.test("heldEquals compares text and bytes with bytes", () => {
  assert.ok(heldEquals("ab", bytes("ab")));
  assert.ok(!heldEquals("ab", bytes("ac")));
  assert.ok(!heldEquals("ab", bytes("abc")));
  assert.ok(heldEquals(new Uint8Array([0, 255]), new Uint8Array([0, 255])));
  assert.ok(!heldEquals(bytes("ab"), bytes("ba")));
});
