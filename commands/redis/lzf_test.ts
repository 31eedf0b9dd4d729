import assert from "node:assert/strict";
import { lzfDecompress, LzfError } from "./lzf.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("lzfDecompress() copies literals and overlapping back references", () => {
  // 'a' then copy 9 from 1 back: a run of ten a's.
  assert.equal(text(lzfDecompress(new Uint8Array([0, 97, 7 << 5, 0, 0]), 10)), "a".repeat(10));
  assert.equal(text(lzfDecompress(new Uint8Array([1, 104, 105]), 2)), "hi");
});

Deno.test("lzfDecompress() rejects corrupt blocks", () => {
  assert.throws(() => lzfDecompress(new Uint8Array([5, 1]), 6), LzfError);
  assert.throws(() => lzfDecompress(new Uint8Array([1 << 5, 9]), 3), LzfError);
  assert.throws(() => lzfDecompress(new Uint8Array([1, 104, 105]), 3), LzfError);
});
