import assert from "node:assert/strict";
import { join } from "node:path";
import { renameNote } from "./rename_note.ts";
import { NoteStore } from "./store.ts";

const NOW = () => new Date("2026-11-26T09:00:00.000Z");

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kit-rename-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function bodyOf(dir: string, slug: string): Promise<string> {
  const { notes } = await new NoteStore(dir, { strategy: "files" }).load();
  const found = notes.find((n) => n.slug === slug);
  assert.ok(found, `${slug}.md`);
  return found.body;
}

function noteNames(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".md")).sort();
}

Deno.test("renameNote() rewrites links by title, alias, slug, label and heading", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(dir, { now: NOW });
    const old = await store.create({ title: "Old Name", aliases: ["Oldie"] });
    await store.create({ title: "Other" });
    await store.create({
      title: "Linker",
      body: [
        "By title [[Old Name]] and [[old name]].",
        "By alias [[Oldie]], by slug [[old-name]], by id [[" + old.id + "]].",
        "Label [[Old Name|see here]] and heading [[Old Name#Part two]] and both [[Oldie#H|x]].",
        "Spacing [[ Old Name ]] is kept. Unrelated [[Other]] and broken [[Missing]].",
        "",
      ].join("\n"),
    });
    const { note, rewritten } = await renameNote(store, old, "New Name");
    assert.deepEqual(rewritten.map((n) => n.slug), ["linker"]);
    assert.equal(
      await bodyOf(dir, "linker"),
      [
        "By title [[New Name]] and [[New Name]].",
        "By alias [[New Name]], by slug [[New Name]], by id [[New Name]].",
        "Label [[New Name|see here]] and heading [[New Name#Part two]] and both [[New Name#H|x]].",
        "Spacing [[ New Name ]] is kept. Unrelated [[Other]] and broken [[Missing]].",
        "",
      ].join("\n"),
    );
    assert.equal(note.title, "New Name");
    assert.equal(note.id, old.id);
    assert.deepEqual(note.aliases, ["Oldie"]);
  });
});

Deno.test("renameNote() leaves links inside code alone", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(dir, { now: NOW });
    const old = await store.create({ title: "Old" });
    const body = [
      "Real [[Old]] link, code `[[Old]]` span.",
      "",
      "```",
      "[[Old]] in a fence",
      "```",
      "",
      "~~~md",
      "[[Old|x]]",
      "~~~",
      "",
    ].join("\n");
    await store.create({ title: "Code", body });
    await renameNote(store, old, "New");
    assert.equal(
      await bodyOf(dir, "code"),
      body.replace("Real [[Old]]", "Real [[New]]"),
    );
  });
});

Deno.test("renameNote() renames the file and follows the note's own self-links", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(dir, { now: NOW });
    const old = await store.create({
      title: "Old Title",
      body: "I am [[Old Title]]; see [[Old Title#top|the top]].\n",
    });
    const { note, rewritten } = await renameNote(store, old, "Fresh Title");
    assert.deepEqual(rewritten, []);
    assert.equal(note.slug, "fresh-title");
    assert.equal(note.path, join(dir, "fresh-title.md"));
    assert.deepEqual(noteNames(dir), ["fresh-title.md"]);
    assert.equal(note.body, "I am [[Fresh Title]]; see [[Fresh Title#top|the top]].\n");
    const { notes } = await new NoteStore(dir, { strategy: "files" }).load();
    assert.deepEqual(
      notes.map((n) => [n.id, n.title, n.body]),
      [[old.id, "Fresh Title", note.body]],
    );
  });
});

Deno.test("renameNote() moves to -2 when the new slug is taken", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(dir, { now: NOW });
    const old = await store.create({ title: "Old" });
    const taken = await store.create({ title: "Something else", slug: "new" });
    await store.create({ title: "Ref", body: "[[Old]]\n" });
    const { note } = await renameNote(store, old, "New");
    assert.equal(note.slug, "new-2");
    assert.deepEqual(noteNames(dir), ["new-2.md", "new.md", "ref.md"]);
    assert.equal(await bodyOf(dir, "ref"), "[[New]]\n");
    const { notes } = await new NoteStore(dir, { strategy: "files" }).load();
    assert.equal(notes.find((n) => n.slug === "new")!.id, taken.id);
  });
});

Deno.test("renameNote() leaves links to other notes with similar names alone", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(dir, { now: NOW });
    const old = await store.create({ title: "Plan" });
    await store.create({ title: "Plan B" });
    await store.create({ title: "Ref", body: "[[Plan B]] and [[Plan]]\n" });
    const { rewritten } = await renameNote(store, old, "Roadmap");
    assert.deepEqual(rewritten.map((n) => n.slug), ["ref"]);
    assert.equal(await bodyOf(dir, "ref"), "[[Plan B]] and [[Roadmap]]\n");
  });
});
