import assert from "node:assert/strict";
import { join } from "node:path";
import { ImportError, readImportSources, titleFromMarkdown } from "./import_dir.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kit-import-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("readImportSources() walks folders for markdown and text files", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(join(dir, "work", "2024"), { recursive: true });
    await Deno.mkdir(join(dir, ".git"));
    await Deno.writeTextFile(join(dir, "a.md"), "A");
    await Deno.writeTextFile(join(dir, "work", "b.markdown"), "B");
    await Deno.writeTextFile(join(dir, "work", "2024", "c.TXT"), "C");
    await Deno.writeTextFile(join(dir, "work", "image.png"), "not text");
    await Deno.writeTextFile(join(dir, ".git", "hidden.md"), "hidden");
    const when = new Date("2024-05-06T07:08:09Z");
    await Deno.utime(join(dir, "a.md"), when, when);

    const sources = await readImportSources(dir);
    assert.deepEqual(sources.map((s) => [s.path, s.name, s.text, s.warning]), [
      [join(dir, "a.md"), "a", "A", undefined],
      [join(dir, "work", "2024", "c.TXT"), "c", "C", undefined],
      [join(dir, "work", "b.markdown"), "b", "B", undefined],
    ]);
    assert.equal(sources[0].mtime?.getTime(), when.getTime());
  });
});

Deno.test("readImportSources() skips a file that is not UTF-8 with a warning", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "latin1.txt");
    await Deno.writeFile(path, new Uint8Array([0x63, 0x61, 0x66, 0xe9])); // "café" in Latin-1
    await Deno.writeTextFile(join(dir, "ok.md"), "\ufeffcafé");
    const [latin1, ok] = await readImportSources(dir);
    assert.equal(latin1.text, "");
    assert.equal(latin1.warning, `Skipped "${path}": not UTF-8 text`);
    assert.equal(ok.text, "café");
    assert.equal(ok.warning, undefined);
  });
});

Deno.test("readImportSources() follows links to files but not to folders", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(join(dir, "sub"));
    await Deno.writeTextFile(join(dir, "sub", "real.md"), "R");
    await Deno.symlink(join(dir, "sub", "real.md"), join(dir, "link.md"));
    await Deno.symlink(dir, join(dir, "sub", "loop"));
    await Deno.symlink(join(dir, "gone.md"), join(dir, "broken.md"));
    const sources = await readImportSources(dir);
    assert.deepEqual(sources.map((s) => s.path), [
      join(dir, "link.md"),
      join(dir, "sub", "real.md"),
    ]);
  });
});

Deno.test("readImportSources() throws ImportError for a missing folder", async () => {
  await withDir(async (dir) => {
    const missing = join(dir, "missing");
    await assert.rejects(readImportSources(missing), {
      name: "ImportError",
      message: `Cannot import: "${missing}" is not a folder`,
    });
    await Deno.writeTextFile(join(dir, "file.md"), "x");
    await assert.rejects(readImportSources(join(dir, "file.md")), ImportError);
  });
});

Deno.test("titleFromMarkdown() takes the first level-one heading", async (t) => {
  const cases: [string, string, string][] = [
    ["first heading", "# One\n# Two\n", "One"],
    ["after text", "intro\n\n#  Spaced  \n", "Spaced"],
    ["closing hashes", "# Title ##\n", "Title"],
    ["hash inside", "# C# tips\n", "C# tips"],
    ["CRLF", "# Windows\r\nbody\r\n", "Windows"],
    ["indented up to three", "   # Indented\n", "Indented"],
    ["not level two", "## Sub\n# Main\n", "Main"],
    ["not a hashtag", "#tag\n# Real\n", "Real"],
    ["not in a code fence", "```sh\n# comment\n```\n# After\n", "After"],
    ["not in a tilde fence", "~~~\n# comment\n~~~\n", "my note"],
  ];
  for (const [label, body, title] of cases) {
    await t.step(label, () => assert.equal(titleFromMarkdown("my_note", body), title));
  }
});

Deno.test("titleFromMarkdown() falls back to the file name", () => {
  assert.equal(titleFromMarkdown("meeting-notes_2024", ""), "meeting notes 2024");
  assert.equal(titleFromMarkdown("a--b__c", "#\n# \n"), "a b c");
  assert.equal(titleFromMarkdown("Already Nice", "text"), "Already Nice");
  assert.equal(titleFromMarkdown("---", ""), "Untitled");
});
