import assert from "node:assert/strict";
import { join } from "node:path";
import { atomicWrite } from "./atomic_write.ts";

/** Runs `fn` with a fresh temporary folder and removes it afterwards. */
async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kit_atomic_write_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) out.push(entry.name);
  return out.sort();
}

const posix = Deno.build.os !== "windows";

Deno.test("atomicWrite() creates a new file with text", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "a.txt");
    await atomicWrite(path, "héllo 日本\n");
    assert.equal(await Deno.readTextFile(path), "héllo 日本\n");
    assert.deepEqual(await names(dir), ["a.txt"]);
  });
});

Deno.test("atomicWrite() writes bytes as they are", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "a.bin");
    const bytes = new Uint8Array(256).map((_, i) => i);
    await atomicWrite(path, bytes);
    assert.deepEqual(await Deno.readFile(path), bytes);
  });
});

Deno.test("atomicWrite() writes an empty file", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "empty");
    await atomicWrite(path, "");
    assert.equal((await Deno.stat(path)).size, 0);
  });
});

Deno.test("atomicWrite() replaces a file, shorter content included", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "a.txt");
    await Deno.writeTextFile(path, "a much longer old content\n");
    await atomicWrite(path, "new\n");
    assert.equal(await Deno.readTextFile(path), "new\n");
    assert.deepEqual(await names(dir), ["a.txt"]);
  });
});

Deno.test("atomicWrite() leaves no temporary files after many writes", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "a.txt");
    await Promise.all(Array.from({ length: 20 }, (_, i) => atomicWrite(path, `${i}`)));
    for (let i = 0; i < 5; i++) await atomicWrite(path, `last ${i}`, { fsync: false });
    assert.equal(await Deno.readTextFile(path), "last 4");
    assert.deepEqual(await names(dir), ["a.txt"]);
  });
});

Deno.test({
  name: "atomicWrite() keeps the mode of the file it replaces",
  ignore: !posix,
  async fn(t) {
    // 0o666 and 0o664 are wider than the usual umask of 0o022, which must not narrow them.
    for (const mode of [0o600, 0o640, 0o664, 0o666, 0o755]) {
      await t.step(mode.toString(8), async () => {
        await withTempDir(async (dir) => {
          const path = join(dir, "a.txt");
          await Deno.writeTextFile(path, "old");
          await Deno.chmod(path, mode);
          await atomicWrite(path, "new");
          assert.equal((await Deno.stat(path)).mode! & 0o777, mode);
          assert.equal(await Deno.readTextFile(path), "new");
        });
      });
    }
  },
});

Deno.test({
  name: "atomicWrite() gives a new file the mode option",
  ignore: !posix,
  async fn() {
    await withTempDir(async (dir) => {
      const path = join(dir, "secret");
      await atomicWrite(path, "x", { mode: 0o600 });
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    });
  },
});

Deno.test("atomicWrite() fails when the folder does not exist and leaves nothing", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "missing", "a.txt");
    await assert.rejects(atomicWrite(path, "x"), Deno.errors.NotFound);
    assert.deepEqual(await names(dir), []);
  });
});

Deno.test("atomicWrite() fails over a folder and removes its temporary file", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "sub");
    await Deno.mkdir(join(path, "inside"), { recursive: true });
    await assert.rejects(atomicWrite(path, "x"));
    assert.deepEqual(await names(dir), ["sub"]);
    assert.deepEqual(await names(path), ["inside"]);
  });
});
