import assert from "node:assert/strict";
import { concat } from "./concat.ts";

Deno.test("concat() joins views in order and always returns a new array", () => {
  const backing = Uint8Array.of(9, 1, 2, 3, 9);
  const one = backing.subarray(1, 4);
  const joined = concat([one, new Uint8Array(0), Uint8Array.of(4)]);
  assert.deepEqual(joined, Uint8Array.of(1, 2, 3, 4));
  const copy = concat([one]);
  assert.deepEqual(copy, one);
  copy[0] = 7;
  assert.equal(one[0], 1, "a single part is copied, not shared");
  assert.deepEqual(concat([]), new Uint8Array(0));
});
