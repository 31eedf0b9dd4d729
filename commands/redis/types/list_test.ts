import assert from "node:assert/strict";
import type { HeldBytes } from "./held.ts";
import { List } from "./list.ts";

const b = (n: number) => new Uint8Array([n & 255, n >> 8]);
const num = (v: HeldBytes | undefined) =>
  v === undefined ? undefined : typeof v === "string" ? Number(v) : v[0] | (v[1] << 8);

Deno.test("List matches an array model under random operations", () => {
  // A fixed-seed generator keeps the test reproducible.
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const list = new List();
  const model: number[] = [];
  for (let step = 0; step < 5000; step++) {
    const op = rand(7);
    const v = rand(60000);
    if (op === 0) {
      list.pushFront(b(v));
      model.unshift(v);
    } else if (op === 1) {
      list.pushBack(b(v));
      model.push(v);
    } else if (op === 2) {
      assert.equal(num(list.popFront()), model.shift());
    } else if (op === 3) {
      assert.equal(num(list.popBack()), model.pop());
    } else if (op === 4) {
      const i = rand(model.length + 1);
      list.insert(i, b(v));
      model.splice(i, 0, v);
    } else if (op === 5 && model.length > 0) {
      const i = rand(model.length);
      list.removeAt(i);
      model.splice(i, 1);
    } else if (model.length > 0) {
      const i = rand(model.length);
      list.set(i, b(v));
      model[i] = v;
    }
    assert.equal(list.length, model.length);
  }
  assert.deepEqual([...list.range()].map(num), model);
  assert.deepEqual([...list.rangeReverse()].map(num), model.slice().reverse());
  assert.equal(list.bytes, model.length * 2);
});

Deno.test("List.trim() keeps the inner range and clone() copies", () => {
  const list = new List();
  for (let i = 0; i < 10; i++) list.pushBack(b(i));
  const copy = list.clone();
  list.trim(2, 4);
  assert.deepEqual([...list.range()].map(num), [2, 3, 4]);
  assert.equal(copy.length, 10);
  list.trim(5, 1);
  assert.equal(list.length, 0);
  assert.equal(list.bytes, 0);
});
