import assert from "node:assert/strict";
import { readFileSized } from "./read_file.ts";

/** Runs `fn` with a fresh temporary file and removes it afterwards. */
async function withTempFile(fn: (path: string) => Promise<void> | void): Promise<void> {
  const path = await Deno.makeTempFile({ prefix: "kit_read_file_test_" });
  try {
    await fn(path);
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("readFileSized() reads an empty file as no bytes", async () => {
  await withTempFile((path) => {
    assert.equal(readFileSized(path).length, 0);
  });
});

Deno.test("readFileSized() reads a file of one byte", async () => {
  await withTempFile(async (path) => {
    await Deno.writeFile(path, new Uint8Array([7]));
    assert.deepEqual(readFileSized(path), new Uint8Array([7]));
  });
});

Deno.test("readFileSized() reads a file larger than 1 MB exactly", async () => {
  await withTempFile(async (path) => {
    // Not a power of two, and with a pattern that shows a shifted or repeated block.
    const bytes = new Uint8Array(3 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 12)) & 0xff;
    await Deno.writeFile(path, bytes);
    const read = readFileSized(path);
    assert.equal(read.length, bytes.length);
    assert.ok(read.every((b, i) => b === bytes[i]));
  });
});

Deno.test("readFileSized() keeps multi-byte UTF-8 intact", async () => {
  await withTempFile(async (path) => {
    const text = "héllo 日本語 🎉\n".repeat(1000);
    await Deno.writeTextFile(path, text);
    assert.equal(new TextDecoder("utf-8", { fatal: true }).decode(readFileSized(path)), text);
  });
});

Deno.test("readFileSized() throws NotFound for a missing file", () => {
  assert.throws(() => readFileSized("/nonexistent/kit/read_file_test"), Deno.errors.NotFound);
});
