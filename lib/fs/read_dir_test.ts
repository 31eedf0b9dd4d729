import assert from "node:assert/strict";
import { readDirEntries } from "./read_dir.ts";

function plain(entries: Iterable<Deno.DirEntry>) {
  return [...entries]
    .map(({ name, isFile, isDirectory, isSymlink }) => ({ name, isFile, isDirectory, isSymlink }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

Deno.test("readDirEntries lists what Deno.readDirSync lists, types and odd names included", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/plain.txt`, "");
    await Deno.writeTextFile(`${dir}/.hidden`, "");
    await Deno.writeTextFile(`${dir}/résumé 日本.md`, "");
    await Deno.writeTextFile(`${dir}/emoji 🦕`, "");
    await Deno.mkdir(`${dir}/sub`);
    await Deno.symlink(`${dir}/plain.txt`, `${dir}/link`);
    await Deno.symlink(`${dir}/missing`, `${dir}/broken`);
    // More entries than one 64 KiB buffer holds, so the listing takes several calls.
    for (let i = 0; i < 2500; i++) {
      await Deno.writeTextFile(`${dir}/sub/file-${i}-${"x".repeat(20)}`, "");
    }
    assert.deepEqual(plain(readDirEntries(dir)), plain(Deno.readDirSync(dir)));
    assert.deepEqual(plain(readDirEntries(`${dir}/sub`)), plain(Deno.readDirSync(`${dir}/sub`)));
    assert.equal(readDirEntries(`${dir}/sub`).length, 2500);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readDirEntries throws Deno's errors: a missing folder, a file", async () => {
  const file = await Deno.makeTempFile();
  try {
    assert.throws(() => readDirEntries("/nonexistent/kit-read-dir"), Deno.errors.NotFound);
    assert.throws(() => readDirEntries(file), Error);
  } finally {
    await Deno.remove(file);
  }
});
