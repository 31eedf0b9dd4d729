import assert from "node:assert/strict";
import { withFileBytes } from "./map_file.ts";

Deno.test("withFileBytes hands over a file's exact bytes, large or empty", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const big = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 31) & 0xff);
    await Deno.writeFile(`${dir}/big`, big);
    await Deno.writeFile(`${dir}/empty`, new Uint8Array());
    assert.ok(withFileBytes(`${dir}/big`, (bytes) =>
      bytes.length === big.length &&
      bytes.every((b, i) => b === big[i])));
    assert.equal(withFileBytes(`${dir}/empty`, (bytes) => bytes.length), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("withFileBytes throws Deno's error for a missing file", () => {
  assert.throws(() => withFileBytes("/nonexistent/kit-map", () => 0), Deno.errors.NotFound);
});

Deno.test("withFileBytes returns what the callback returns, and rethrows what it throws", async () => {
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(path, "abc");
    assert.equal(withFileBytes(path, (bytes) => new TextDecoder().decode(bytes)), "abc");
    assert.throws(() =>
      withFileBytes(path, () => {
        throw new RangeError("inside");
      }), RangeError);
  } finally {
    await Deno.remove(path);
  }
});
