import assert from "node:assert/strict";
import { join } from "node:path";
import { importNotes } from "./import_notes.ts";
import { ImportError } from "./import_dir.ts";
import { NoteStore } from "./store.ts";

const MTIME = new Date("2025-05-06T07:08:09.000Z");
const NOW = () => new Date("2026-11-26T09:00:00.000Z");

async function withDirs(fn: (src: string, dir: string) => Promise<void>): Promise<void> {
  const src = await Deno.makeTempDir({ prefix: "kit-import-src-" });
  const dir = await Deno.makeTempDir({ prefix: "kit-import-notes-" });
  try {
    await fn(src, dir);
  } finally {
    await Deno.remove(src, { recursive: true });
    await Deno.remove(dir, { recursive: true });
  }
}

async function write(dir: string, name: string, text: string | Uint8Array): Promise<void> {
  const path = join(dir, name);
  await Deno.mkdir(join(path, ".."), { recursive: true });
  if (typeof text === "string") await Deno.writeTextFile(path, text);
  else await Deno.writeFile(path, text);
  await Deno.utime(path, MTIME, MTIME);
}

Deno.test("importNotes() keeps a file's own frontmatter", async () => {
  await withDirs(async (src, dir) => {
    await write(
      src,
      "with-yaml.md",
      "---\ntitle: Kept Title\ntags: [a, b]\naliases: Other name\ncreated: 2020-01-01T00:00:00Z\n" +
        "updated: 2021-01-01T00:00:00Z\nid: ignored\nrating: 4\nsource:\n  url: https://x\n---\n\nBody\n",
    );
    const { notes, warnings } = await importNotes(new NoteStore(dir, { now: NOW }), src);
    assert.deepEqual(warnings, []);
    assert.equal(notes.length, 1);
    const [note] = notes;
    assert.deepEqual(
      [note.title, note.tags, note.aliases, note.created, note.updated, note.slug],
      [
        "Kept Title",
        ["a", "b"],
        ["Other", "name"],
        "2020-01-01T00:00:00Z",
        "2021-01-01T00:00:00Z",
        "kept-title",
      ],
    );
    assert.notEqual(note.id, "ignored");
    assert.deepEqual(note.extra, { rating: 4, source: { url: "https://x" } });
    assert.equal(note.body, "Body\n");
    // What was written reads back the same.
    const { notes: read } = await new NoteStore(dir, { strategy: "files" }).load();
    assert.deepEqual(
      [read[0].id, read[0].title, read[0].tags, read[0].extra, read[0].body],
      [note.id, note.title, note.tags, note.extra, "Body\n"],
    );
  });
});

Deno.test("importNotes() dates a file without frontmatter by its mtime", async () => {
  await withDirs(async (src, dir) => {
    await write(src, "plain_note.txt", "No heading here\n");
    await write(src, "sub/headed.md", "intro\n# The Heading\n");
    const { notes } = await importNotes(new NoteStore(dir, { now: NOW }), src);
    assert.deepEqual(
      notes.map((n) => [n.title, n.created, n.updated]),
      [
        ["plain note", MTIME.toISOString(), MTIME.toISOString()],
        ["The Heading", MTIME.toISOString(), MTIME.toISOString()],
      ],
    );
    assert.equal(notes[1].body, "intro\n# The Heading\n");
  });
});

Deno.test("importNotes() merges extra tags without duplicates", async () => {
  await withDirs(async (src, dir) => {
    await write(src, "a.md", "---\ntags: x, imported\n---\nA\n");
    await write(src, "b.md", "B\n");
    const { notes } = await importNotes(new NoteStore(dir, { now: NOW }), src, {
      tags: ["imported", "batch"],
    });
    assert.deepEqual(notes.map((n) => n.tags), [["x", "imported", "batch"], ["imported", "batch"]]);
  });
});

Deno.test("importNotes() reports a file that is not UTF-8 and goes on", async () => {
  await withDirs(async (src, dir) => {
    await write(src, "bad.md", new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    await write(src, "good.md", "# Good\n");
    const { notes, warnings } = await importNotes(new NoteStore(dir, { now: NOW }), src);
    assert.deepEqual(notes.map((n) => n.title), ["Good"]);
    assert.deepEqual(warnings, [`Skipped "${join(src, "bad.md")}": not UTF-8 text`]);
  });
});

Deno.test("importNotes() keeps the whole text of a file with broken frontmatter", async () => {
  await withDirs(async (src, dir) => {
    const text = "---\ntitle: [broken\n---\n# Heading\n";
    await write(src, "broken.md", text);
    const { notes } = await importNotes(new NoteStore(dir, { now: NOW }), src);
    assert.equal(notes[0].body, text);
    assert.equal(notes[0].title, "Heading");
    assert.equal(notes[0].created, MTIME.toISOString());
  });
});

Deno.test("importNotes() gives clashing titles distinct files", async () => {
  await withDirs(async (src, dir) => {
    await write(src, "one.md", "# Same\n");
    await write(src, "two.md", "# Same\n");
    const { notes } = await importNotes(new NoteStore(dir, { now: NOW }), src);
    assert.deepEqual(notes.map((n) => n.slug), ["same", "same-2"]);
  });
});

Deno.test("importNotes() rejects a folder that does not exist", async () => {
  await withDirs(async (src, dir) => {
    await assert.rejects(
      () => importNotes(new NoteStore(dir), join(src, "missing")),
      ImportError,
    );
  });
});
