import assert from "node:assert/strict";
import { readInto } from "./read_into.ts";

const ffi = Deno.build.os === "linux" || Deno.build.os === "darwin";

Deno.test({
  name: "readInto() reads a file that fits, and declines one that does not",
  ignore: !ffi,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${dir}/small.txt`, "héllo\n");
      await Deno.writeFile(`${dir}/big.bin`, new Uint8Array(100).fill(7));
      const buffer = new Uint8Array(64);
      const n = readInto(`${dir}/small.txt`, buffer);
      assert.equal(n, 7);
      assert.equal(new TextDecoder().decode(buffer.subarray(0, n)), "héllo\n");
      assert.equal(readInto(`${dir}/big.bin`, buffer), undefined);
      assert.equal(readInto(`${dir}/missing`, buffer), undefined);
      assert.equal(readInto(dir, buffer), undefined, "a folder cannot be read");
      await Deno.writeFile(`${dir}/empty`, new Uint8Array(0));
      assert.equal(readInto(`${dir}/empty`, buffer), 0);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "readInto() reads a path with non-ASCII characters",
  ignore: !ffi,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${dir}/naïve 名前.txt`, "x");
      assert.equal(readInto(`${dir}/naïve 名前.txt`, new Uint8Array(8)), 1);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("cPath ends ASCII and non-ASCII paths with a NUL after their UTF-8 bytes", async () => {
  const { cPath } = await import("./_libc.ts");
  const ascii = cPath("/tmp/a.txt")!;
  assert.deepEqual([...ascii.subarray(0, 11)], [...new TextEncoder().encode("/tmp/a.txt"), 0]);
  const wide = cPath("/tmp/é")!;
  assert.deepEqual([...wide.subarray(0, 8)], [...new TextEncoder().encode("/tmp/é"), 0]);
  assert.equal(cPath("x".repeat(5000)), null);
});
