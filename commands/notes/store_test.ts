import assert from "node:assert/strict";
import { join } from "node:path";
import { AmbiguousNoteError, NoteNotFoundError } from "./errors.ts";
import type { Note } from "./note.ts";
import { isNoteFile, NoteStore, resolveNote } from "./store.ts";

const NOW = () => new Date("2026-11-26T09:00:00.000Z");

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kit-store-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function noteFiles(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) if (isNoteFile(entry.name)) names.push(entry.name);
  return names.sort();
}

/** Reads a note back from disk the reference way, body included. */
async function readBack(dir: string, id: string): Promise<Note> {
  const { notes } = await new NoteStore(dir, { strategy: "files" }).load();
  const found = notes.find((n) => n.id === id);
  assert.ok(found, `note ${id} on disk`);
  return found;
}

function note(fields: Partial<Note> & { id: string }): Note {
  const slug = fields.slug ?? fields.id;
  return {
    title: slug,
    created: "",
    updated: "",
    tags: [],
    aliases: [],
    extra: {},
    slug,
    path: `/n/${slug}.md`,
    body: "",
    ...fields,
  };
}

Deno.test("isNoteFile() takes .md files that are not hidden", () => {
  assert.equal(isNoteFile("a.md"), true);
  assert.equal(isNoteFile(".a.md"), false);
  assert.equal(isNoteFile("a.txt"), false);
  assert.equal(isNoteFile("a.md.tmp"), false);
});

Deno.test("NoteStore.create() writes a note with the injected clock", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(join(dir, "notes"), { now: NOW });
    const created = await store.create({ title: "Hello, World!", tags: ["a"], body: "Body\n" });
    assert.equal(created.slug, "hello-world");
    assert.equal(created.path, join(dir, "notes", "hello-world.md"));
    assert.match(created.id, /^[0-9a-z]{8}$/);
    assert.equal(created.created, "2026-11-26T09:00:00.000Z");
    assert.equal(created.updated, "2026-11-26T09:00:00.000Z");
    const read = await readBack(join(dir, "notes"), created.id);
    assert.deepEqual(
      [read.id, read.title, read.tags, read.body, read.created],
      [created.id, "Hello, World!", ["a"], "Body\n", created.created],
    );
  });
});

Deno.test("NoteStore.create() never replaces a file: a taken slug gets -2, -3", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "same.md"), "mine\n");
    const store = new NoteStore(dir, { now: NOW });
    const a = await store.create({ title: "Same" });
    const b = await store.create({ title: "Same" });
    assert.deepEqual([a.slug, b.slug], ["same-2", "same-3"]);
    assert.equal(await Deno.readTextFile(join(dir, "same.md")), "mine\n");
    assert.notEqual(a.id, b.id);
  });
});

Deno.test("NoteStore.create() from 20 stores at once makes 20 distinct notes", async () => {
  await withDir(async (dir) => {
    const created = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) => new NoteStore(dir, { now: NOW }).create({ title: "Race", body: `n${i}\n` }),
      ),
    );
    const slugs = new Set(created.map((n) => n.slug));
    assert.equal(slugs.size, 20);
    assert.equal(new Set(created.map((n) => n.id)).size, 20);
    const files = await noteFiles(dir);
    assert.equal(files.length, 20);
    assert.deepEqual(files, [...slugs].map((s) => `${s}.md`).sort());
    // Each file holds the note its create() returned.
    const { notes } = await new NoteStore(dir, { strategy: "files" }).load();
    const bodies = new Map(notes.map((n) => [n.slug, n.body]));
    for (const n of created) assert.equal(bodies.get(n.slug), n.body);
    // No temp files are left behind.
    for await (const entry of Deno.readDir(dir)) {
      assert.ok(!entry.name.endsWith(".tmp"), entry.name);
    }
  });
});

Deno.test("resolveNote() prefers id, then slug, title, alias, then a prefix", async (t) => {
  const byId = note({ id: "target", slug: "x1", title: "X1" });
  const bySlug = note({ id: "s1", slug: "target", title: "S1" });
  const byTitle = note({ id: "t1", slug: "t1", title: "Target" });
  const byAlias = note({ id: "a1", slug: "a1", title: "A1", aliases: ["TARGET"] });
  const byPrefix = note({ id: "p1", slug: "targeted", title: "P1" });
  const levels: [string, Note[], Note][] = [
    ["id", [byPrefix, byAlias, byTitle, bySlug, byId], byId],
    ["slug", [byPrefix, byAlias, byTitle, bySlug], bySlug],
    ["title", [byPrefix, byAlias, byTitle], byTitle],
    ["alias", [byPrefix, byAlias], byAlias],
    ["prefix", [byPrefix], byPrefix],
  ];
  for (const [level, notes, expected] of levels) {
    await t.step(level, () => assert.equal(resolveNote(notes, "Target"), expected));
  }
  await t.step("case, spaces and .md are ignored", () => {
    assert.equal(resolveNote([bySlug], "  TARGET.md "), bySlug);
  });
  await t.step("a prefix of the title alone", () => {
    assert.equal(resolveNote([byTitle, byAlias], "targ"), byTitle);
  });
});

Deno.test("resolveNote() throws AmbiguousNoteError with the candidates", async (t) => {
  const a = note({ id: "a1", slug: "alpha-one", title: "Alpha" });
  const b = note({ id: "a2", slug: "alpha-two", title: "Alpha" });
  await t.step("same title", () => {
    assert.throws(() => resolveNote([a, b], "alpha"), (error) => {
      assert.ok(error instanceof AmbiguousNoteError);
      assert.equal(error.name, "AmbiguousNoteError");
      assert.equal(error.ref, "alpha");
      assert.deepEqual(error.candidates, [a, b]);
      return true;
    });
  });
  await t.step("shared prefix", () => {
    assert.throws(() => resolveNote([a, b], "alpha-"), (error) => {
      assert.ok(error instanceof AmbiguousNoteError);
      assert.deepEqual(error.candidates, [a, b]);
      return true;
    });
  });
  await t.step("a better level is not ambiguous", () => {
    assert.equal(resolveNote([a, b], "alpha-two"), b);
  });
});

Deno.test("resolveNote() throws NoteNotFoundError when nothing matches", async (t) => {
  const notes = [note({ id: "abc" })];
  for (const ref of ["zzz", "", "   ", "bc"]) {
    await t.step(JSON.stringify(ref), () => {
      assert.throws(() => resolveNote(notes, ref), (error) => {
        assert.ok(error instanceof NoteNotFoundError);
        assert.equal(error.name, "NoteNotFoundError");
        assert.equal(error.ref, ref);
        return true;
      });
    });
  }
});

Deno.test("NoteStore.resolve() finds notes on disk by prefix and alias", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(dir, { now: NOW });
    const a = await store.create({ title: "Meeting notes", aliases: ["standup"] });
    await store.create({ title: "Groceries" });
    const fresh = new NoteStore(dir);
    assert.equal((await fresh.resolve("meet")).id, a.id);
    assert.equal((await fresh.resolve("STANDUP")).id, a.id);
    await assert.rejects(() => fresh.resolve("nothing"), NoteNotFoundError);
  });
});

Deno.test("NoteStore.load() of a missing folder has no notes", async () => {
  await withDir(async (dir) => {
    for (const strategy of ["index", "files"] as const) {
      const result = await new NoteStore(join(dir, "missing"), { strategy }).load();
      assert.deepEqual(result, { notes: [], warnings: [] });
    }
  });
});

Deno.test("NoteStore.load() is kept until invalidate()", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(dir, { strategy: "files" });
    assert.equal((await store.load()).notes.length, 0);
    await Deno.writeTextFile(join(dir, "a.md"), "# A\n");
    assert.equal((await store.load()).notes.length, 0);
    store.invalidate();
    assert.equal((await store.load()).notes.length, 1);
  });
});

Deno.test("NoteStore.save() writes the note and touches updated", async () => {
  await withDir(async (dir) => {
    let time = new Date("2026-01-01T00:00:00.000Z");
    const store = new NoteStore(dir, { now: () => time });
    const created = await store.create({ title: "A", body: "one\n" });
    time = new Date("2026-02-02T00:00:00.000Z");
    const saved = await store.save({ ...created, body: "\ntwo\n", tags: ["t"] });
    assert.equal(saved.updated, "2026-02-02T00:00:00.000Z");
    assert.equal(saved.body, "two\n");
    const kept = await store.save({ ...saved, title: "B" }, { touch: false });
    assert.equal(kept.updated, "2026-02-02T00:00:00.000Z");
    const read = await readBack(dir, created.id);
    assert.deepEqual([read.title, read.tags, read.body, read.updated, read.created], [
      "B",
      ["t"],
      "two\n",
      "2026-02-02T00:00:00.000Z",
      "2026-01-01T00:00:00.000Z",
    ]);
  });
});

Deno.test("NoteStore.update() from 10 stores at once keeps every change", async () => {
  await withDir(async (dir) => {
    const created = await new NoteStore(dir, { now: NOW }).create({ title: "Shared" });
    await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) =>
          new NoteStore(dir, { now: NOW }).update(created, (n) => ({
            ...n,
            tags: [...n.tags, `tag${i}`],
          })),
      ),
    );
    const read = await readBack(dir, created.id);
    assert.deepEqual(
      [...read.tags].sort(),
      Array.from({ length: 10 }, (_, i) => `tag${i}`).sort(),
    );
    assert.deepEqual(await noteFiles(dir), ["shared.md"]);
    assert.deepEqual([...Deno.readDirSync(join(dir, ".kit", "locks"))], []);
  });
});

Deno.test("NoteStore.update() leaves the file alone when change returns undefined", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(dir, { now: NOW });
    const created = await store.create({ title: "A", body: "x\n" });
    const before = await Deno.readTextFile(created.path);
    const result = await store.update(created, () => undefined);
    assert.equal(result.id, created.id);
    assert.equal(await Deno.readTextFile(created.path), before);
  });
});

Deno.test("NoteStore.update() refuses a note whose frontmatter is broken", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "bad.md"), "---\ntags: [x\n---\nbody\n");
    const store = new NoteStore(dir);
    const bad = await store.resolve("bad");
    assert.ok(bad.warning);
    await assert.rejects(() => store.update(bad, (n) => n), /Cannot read the frontmatter/);
    assert.equal(await Deno.readTextFile(join(dir, "bad.md")), "---\ntags: [x\n---\nbody\n");
  });
});

Deno.test("NoteStore.withLock() breaks a lock older than 30 s", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(dir);
    const locks = join(dir, ".kit", "locks");
    await Deno.mkdir(locks, { recursive: true });
    const lock = join(locks, "stale.md.lock");
    await Deno.writeTextFile(lock, "");
    const old = new Date(Date.now() - 60_000);
    await Deno.utime(lock, old, old);
    const result = await store.withLock(join(dir, "stale.md"), async () => {
      // The lock is held again, now by this call.
      assert.ok((await Deno.stat(lock)).mtime!.getTime() > old.getTime());
      return 42;
    });
    assert.equal(result, 42);
    await assert.rejects(() => Deno.stat(lock), Deno.errors.NotFound);
  });
});

Deno.test("NoteStore.withLock() releases the lock when the work throws", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(dir);
    const path = join(dir, "a.md");
    await assert.rejects(
      () => store.withLock(path, () => Promise.reject(new Error("boom"))),
      /boom/,
    );
    assert.equal(await store.withLock(path, () => Promise.resolve("again")), "again");
  });
});

Deno.test("NoteStore.remove() moves notes to .trash under unique names", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(dir, { now: NOW });
    const first = await store.create({ title: "Gone", body: "first\n" });
    assert.equal(await store.remove(first), join(dir, ".trash", "gone.md"));
    const second = await store.create({ title: "Gone", body: "second\n" });
    assert.equal(second.slug, "gone");
    assert.equal(await store.remove(second), join(dir, ".trash", "gone-2.md"));
    assert.deepEqual(await noteFiles(dir), []);
    assert.match(await Deno.readTextFile(join(dir, ".trash", "gone.md")), /first/);
    assert.match(await Deno.readTextFile(join(dir, ".trash", "gone-2.md")), /second/);
    // Trashed notes are not notes of the folder.
    assert.deepEqual((await new NoteStore(dir).load()).notes, []);
  });
});

Deno.test("NoteStore.remove() with purge deletes the file", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(dir, { now: NOW });
    const created = await store.create({ title: "Purged" });
    assert.equal(await store.remove(created, { purge: true }), undefined);
    assert.deepEqual(await noteFiles(dir), []);
    await assert.rejects(() => Deno.stat(join(dir, ".trash")), Deno.errors.NotFound);
  });
});

Deno.test("NoteStore.moveFile() renames to the first free slug and keeps the text", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(dir, { now: NOW });
    const a = await store.create({ title: "A", body: "a body\n" });
    await store.create({ title: "Taken" });
    const text = await Deno.readTextFile(a.path);
    const moved = await store.moveFile(a, "fresh");
    assert.equal(moved, join(dir, "fresh.md"));
    assert.equal(await Deno.readTextFile(moved), text);
    const clash = await store.moveFile({ ...a, path: moved, slug: "fresh" }, "taken");
    assert.equal(clash, join(dir, "taken-2.md"));
    assert.deepEqual(await noteFiles(dir), ["taken-2.md", "taken.md"]);
    assert.equal(await store.moveFile({ ...a, path: clash, slug: "taken-2" }, "taken-2"), clash);
  });
});
