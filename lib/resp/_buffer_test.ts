import assert from "node:assert/strict";
import { bulkRoom, ReadBuffer } from "./_buffer.ts";

Deno.test("ReadBuffer never overwrites bytes already handed out", () => {
  const b = new ReadBuffer();
  b.push(new Uint8Array(60_000).fill(1));
  const view = b.buf.subarray(0, 10);
  b.pos = b.end; // everything read
  b.push(new Uint8Array(10_000).fill(2)); // does not fit behind: a new buffer
  assert.deepEqual(view, new Uint8Array(10).fill(1));
  assert.equal(b.length, 10_000);
  assert.equal(b.base, 60_000);
});

Deno.test("ReadBuffer.ensureCapacity() makes room for a large value at once", () => {
  const b = new ReadBuffer();
  b.push(Uint8Array.of(7, 8));
  b.ensureCapacity(1_000_000);
  assert.ok(b.buf.length - b.pos >= 1_000_000);
  assert.deepEqual(b.buf.subarray(b.pos, b.end), Uint8Array.of(7, 8));
});

Deno.test("ReadBuffer reserve() and commit() read without a copy", () => {
  const b = new ReadBuffer();
  const region = b.reserve(4);
  region.set([1, 2, 3]);
  b.commit(3);
  assert.equal(b.length, 3);
});

Deno.test("bulkRoom() reserves a declared size only as the data arrives", () => {
  assert.equal(bulkRoom(100, 0), 100);
  assert.equal(bulkRoom(512 * 1024 * 1024, 0), 1024 * 1024);
  assert.equal(bulkRoom(512 * 1024 * 1024, 3 * 1024 * 1024), 6 * 1024 * 1024);
  assert.equal(bulkRoom(10 * 1024 * 1024, 8 * 1024 * 1024), 10 * 1024 * 1024);
});
