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

Deno.test("List keeps short strings in its byte ring and others as held, in any mix", () => {
  let seed = 777;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const text = (v: HeldBytes | undefined) =>
    v === undefined ? undefined : typeof v === "string" ? v : String.fromCharCode(...v);
  // Short and long ASCII, text with bytes past ASCII (held as bytes), empty.
  // As held.ts holds them: ASCII as text, anything else as bytes.
  const held = (v: string) => ([...v].every((c) => c.charCodeAt(0) < 128) ? v : enc(v));
  const value = (v: number) =>
    [String(v), `long:${"y".repeat(12)}${v}`, `\xe9${v}`, "", "x".repeat(15)][v % 5];
  const list = new List();
  const model: string[] = [];
  for (let step = 0; step < 20_000; step++) {
    const v = value(rand(100_000));
    const op = rand(9);
    if (op === 0) {
      list.pushFront(held(v));
      model.unshift(v);
    } else if (op === 1) list.pushBackBytes(enc(v)), model.push(v);
    else if (op === 2) list.pushFrontBytes(enc(v)), model.unshift(v);
    else if (op === 3) assert.equal(text(list.popFront()), model.shift());
    else if (op === 4) assert.equal(text(list.popBack()), model.pop());
    else if (op === 5) {
      const i = rand(model.length + 1);
      list.insert(i, held(v));
      model.splice(i, 0, v);
    } else if (op === 6 && model.length > 0) {
      const i = rand(model.length);
      list.removeAt(i);
      model.splice(i, 1);
    } else if (op === 7 && model.length > 0) {
      const i = rand(model.length);
      list.set(i, held(v));
      model[i] = v;
    } else if (model.length > 0) {
      const i = rand(model.length);
      assert.equal(text(list.at(i)), model[i]);
    }
    if (step % 997 === 0) {
      assert.deepEqual([...list.range()].map(text), model);
      assert.equal(list.bytes, model.reduce((n, s) => n + s.length, 0));
      // Short ASCII elements are read from the ring, the others are not there.
      for (let i = 0; i < model.length; i++) {
        const at = list.shortAt(i);
        const short = model[i].length <= 15 && held(model[i]) === model[i];
        assert.equal(at >= 0, short, model[i]);
        if (at >= 0) {
          const ring = list.ring;
          assert.equal(String.fromCharCode(...ring.subarray(at + 1, at + 1 + ring[at])), model[i]);
        }
      }
    } else if (step % 13 === 0 && model.length > 0) {
      // Dropping reads nothing and keeps the byte count.
      if (step % 2) list.dropFront(), model.shift();
      else list.dropBack(), model.pop();
    }
  }
  assert.deepEqual([...list.rangeReverse()].map(text), model.slice().reverse());
  assert.deepEqual([...list.clone().range()].map(text), model);
  // What comes back: text for ASCII, bytes for the rest.
  list.replace(["ab", enc("\xff")]);
  list.pushBackBytes(enc("cd"));
  assert.deepEqual([...list.range()], ["ab", enc("\xff"), "cd"]);
});
