import assert from "node:assert/strict";
import { join } from "node:path";
import { LinkIndex } from "./link_index.ts";
import type { Note } from "./note.ts";
import { loadIndexed } from "./note_index.ts";
import { type LoadResult, NoteStore, readNoteFile } from "./store.ts";

/**
 * The "index" strategy is a fast path; "files" reads every file and is the reference. Every
 * test here loads one folder both ways and requires the same answer.
 */

const T0 = new Date("2026-01-01T00:00:00.000Z");

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kit-index-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function write(dir: string, name: string, text: string | Uint8Array, mtime = T0) {
  const path = join(dir, name);
  if (typeof text === "string") await Deno.writeTextFile(path, text);
  else await Deno.writeFile(path, text);
  await Deno.utime(path, mtime, mtime);
}

/** A note with fields that are undefined left out, so an absent and an undefined field agree. */
function plain(note: Note): Record<string, unknown> {
  return Object.fromEntries(Object.entries(note).filter(([, v]) => v !== undefined));
}

function sorted(result: LoadResult): { notes: Record<string, unknown>[]; warnings: string[] } {
  return {
    notes: [...result.notes].sort((a, b) => a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)
      .map(plain),
    warnings: [...result.warnings].sort(),
  };
}

/**
 * Loads `dir` with the reference and with the index (twice: refreshing the cache, then from
 * it) and asserts the same notes and warnings; also that a `bodies: false` load has the same
 * metadata with every body "".
 */
async function assertConforms(dir: string): Promise<LoadResult> {
  const reference = sorted(await new NoteStore(dir, { strategy: "files" }).load());
  const indexed = await new NoteStore(dir, { strategy: "index" }).load();
  assert.deepEqual(sorted(indexed), reference, "index load after a change");
  const again = await new NoteStore(dir, { strategy: "index" }).load();
  assert.deepEqual(sorted(again), reference, "index load from the cache");
  const meta = sorted(await new NoteStore(dir, { strategy: "index" }).load({ bodies: false }));
  assert.deepEqual(meta.warnings, reference.warnings, "warnings without bodies");
  assert.deepEqual(
    meta.notes,
    reference.notes.map((n) => ({ ...n, body: "" })),
    "metadata without bodies",
  );
  return indexed;
}

/** Runs loadIndexed and counts the files it had to read. */
async function countReads(dir: string, bodies = true): Promise<number> {
  let reads = 0;
  await loadIndexed(dir, (path, slug, mtime) => {
    reads++;
    return readNoteFile(path, slug, mtime);
  }, { bodies });
  return reads;
}

const A = "---\nid: aaaa\ntitle: Alpha\ntags: [x, y]\nrating: 5\n---\n\nAlpha body\n";
const B = "# Beta heading\n\nNo frontmatter here.\n";
const C = "---\ntitle: Gamma\naliases:\n  - G\n  - gam\nnested: {a: [1, 2]}\n---\nGamma\n";

Deno.test("loadIndexed() matches the files strategy through a sequence of changes", async (t) => {
  await withDir(async (dir) => {
    await write(dir, "alpha.md", A);
    await write(dir, "beta.md", B);
    await write(dir, "gamma.md", C);
    await write(dir, "ignored.txt", "not a note");
    await write(dir, ".hidden.md", "hidden");

    await t.step("first load builds the cache", async () => {
      const { notes } = await assertConforms(dir);
      assert.deepEqual(notes.map((n) => n.slug), ["alpha", "beta", "gamma"]);
      assert.equal(await countReads(dir), 0);
    });

    await t.step("no change reads no file", async () => {
      await assertConforms(dir);
      assert.equal(await countReads(dir), 0);
      assert.equal(await countReads(dir, false), 0);
    });

    await t.step("an edit that keeps the size but changes the mtime", async () => {
      const edited = A.replace("Alpha body", "Alpha BODY");
      assert.equal(edited.length, A.length);
      await write(dir, "alpha.md", edited, new Date(T0.getTime() + 5_000));
      const { notes } = await assertConforms(dir);
      assert.equal(notes.find((n) => n.slug === "alpha")!.body, "Alpha BODY\n");
    });

    await t.step("an atomic rewrite that keeps the size and the mtime", async () => {
      const before = await Deno.stat(join(dir, "beta.md"));
      const rewritten = B.replace("Beta", "Bet2");
      assert.equal(rewritten.length, B.length);
      await write(dir, ".beta.tmp", rewritten, before.mtime!);
      await Deno.rename(join(dir, ".beta.tmp"), join(dir, "beta.md"));
      const after = await Deno.stat(join(dir, "beta.md"));
      assert.equal(after.size, before.size);
      assert.equal(after.mtime!.getTime(), before.mtime!.getTime());
      assert.notEqual(after.ino, before.ino);
      assert.equal(await countReads(dir), 1);
      const { notes } = await assertConforms(dir);
      assert.equal(notes.find((n) => n.slug === "beta")!.title, "Bet2 heading");
    });

    await t.step("an added file", async () => {
      await write(dir, "delta.md", "---\ntitle: Delta\n---\nD\n");
      assert.equal(await countReads(dir), 1);
      const { notes } = await assertConforms(dir);
      assert.ok(notes.some((n) => n.title === "Delta"));
    });

    await t.step("a deleted file", async () => {
      await Deno.remove(join(dir, "delta.md"));
      const { notes } = await assertConforms(dir);
      assert.ok(!notes.some((n) => n.title === "Delta"));
    });

    await t.step("a file with broken YAML", async () => {
      await write(dir, "broken.md", "---\ntitle: [oops\n---\nbody\n");
      const { notes, warnings } = await assertConforms(dir);
      const broken = notes.find((n) => n.slug === "broken")!;
      assert.ok(broken.warning);
      assert.equal(broken.body, "---\ntitle: [oops\n---\nbody\n");
      assert.ok(warnings.includes(broken.warning));
    });

    await t.step("a file that is not UTF-8", async () => {
      await write(dir, "latin1.md", new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]));
      const { notes, warnings } = await assertConforms(dir);
      assert.ok(!notes.some((n) => n.slug === "latin1"));
      assert.ok(warnings.includes(`Skipped "${join(dir, "latin1.md")}": not UTF-8 text`));
      await Deno.remove(join(dir, "latin1.md"));
      await assertConforms(dir);
    });

    await t.step("a corrupt .kit/index", async () => {
      await Deno.writeTextFile(join(dir, ".kit", "index"), "garbage\x00\nnot json");
      assert.equal(await countReads(dir), 4);
      await Deno.writeTextFile(join(dir, ".kit", "index"), "kit-notes-index 4\ngen\n[[1,2");
      await assertConforms(dir);
      assert.equal(await countReads(dir), 0);
    });

    let oldBodies = "";
    await t.step(".kit/bodies from another generation", async () => {
      oldBodies = await Deno.readTextFile(join(dir, ".kit", "bodies"));
      await write(dir, "alpha.md", A.replace("Alpha body", "Alpha three"), T0);
      await assertConforms(dir);
      assert.notEqual(await Deno.readTextFile(join(dir, ".kit", "bodies")), oldBodies);
      await Deno.writeTextFile(join(dir, ".kit", "bodies"), oldBodies);
      const { notes } = await assertConforms(dir);
      assert.equal(notes.find((n) => n.slug === "alpha")!.body, "Alpha three\n");
    });

    await t.step(".kit/bodies of this generation but the wrong length", async () => {
      const bodies = await Deno.readTextFile(join(dir, ".kit", "bodies"));
      await Deno.writeTextFile(join(dir, ".kit", "bodies"), bodies.slice(0, -3));
      await assertConforms(dir);
      await Deno.writeTextFile(join(dir, ".kit", "bodies"), bodies + "extra");
      await assertConforms(dir);
    });

    await t.step("a missing .kit/bodies", async () => {
      await Deno.remove(join(dir, ".kit", "bodies"));
      await assertConforms(dir);
      // Metadata alone comes from the index without reading a note.
      await Deno.remove(join(dir, ".kit", "bodies"));
      assert.equal(await countReads(dir, false), 0);
      await assertConforms(dir);
    });

    await t.step("a missing .kit folder", async () => {
      await Deno.remove(join(dir, ".kit"), { recursive: true });
      await assertConforms(dir);
    });
  });
});

Deno.test("loadIndexed() keeps every kind of frontmatter value the files strategy reads", async () => {
  await withDir(async (dir) => {
    await write(
      dir,
      "values.md",
      [
        "---",
        "id: 12345",
        "title: 2026",
        "created: 2026-11-26",
        "tags: 'a, b'",
        "aliases: [x]",
        "count: 3",
        "ratio: -1.5",
        "flag: false",
        "nothing: null",
        "list: [1, two, true]",
        "map: {k: v, n: [1]}",
        'text: "line\\nbreak"',
        "big: 12345678901234567890",
        "inf: .inf",
        "nan: .nan",
        "negzero: -0",
        'marked: "\\u0000kit:n5"',
        "---",
        "",
        "Body with unicode: 日本語 and emoji 🎉",
        "",
      ].join("\n"),
    );
    await write(dir, "crlf.md", "---\r\ntitle: CRLF\r\n---\r\n\r\nline one\r\nline two\r\n");
    await write(dir, "bom.md", "\ufeff---\ntitle: BOM\n---\nbody");
    await write(dir, "empty.md", "");
    await assertConforms(dir);
    await assertConforms(dir);
  });
});

Deno.test("loadIndexed() of a missing folder has no notes and writes nothing", async () => {
  await withDir(async (dir) => {
    const missing = join(dir, "missing");
    assert.deepEqual(await loadIndexed(missing, readNoteFile), { notes: [], warnings: [] });
    await assert.rejects(() => Deno.stat(missing), Deno.errors.NotFound);
  });
});

Deno.test("loadIndexed() with bodies: false leaves every body empty", async () => {
  await withDir(async (dir) => {
    await write(dir, "a.md", A);
    await write(dir, "b.md", B);
    await new NoteStore(dir).load();
    const { notes } = await loadIndexed(dir, readNoteFile, { bodies: false });
    assert.deepEqual(notes.map((n) => [n.slug, n.body]), [["a", ""], ["b", ""]]);
    assert.deepEqual(notes.map((n) => n.title), ["Alpha", "Beta heading"]);
  });
});

Deno.test("loadIndexed() with bodies: false still knows every note's links", async () => {
  await withDir(async (dir) => {
    await write(dir, "a.md", "# A\n\nSee [[B]] and [[C|c]].\n");
    await write(dir, "b.md", "# B\n\nBack to [[A]].\n");
    await write(dir, "c.md", "# C\n\n[[A]] again.\n");
    const full = (await new NoteStore(dir).load()).notes;
    // c.md changes, so it is read from its file rather than the cache.
    await write(dir, "c.md", "# C\n\n[[B]] again.\n", new Date(T0.getTime() + 1_000));
    const meta = (await loadIndexed(dir, readNoteFile, { bodies: false })).notes;
    assert.deepEqual(meta.map((n) => n.body), ["", "", ""]);
    const backlinks = (notes: Note[], slug: string) => {
      const index = new LinkIndex(notes);
      return index.backlinks(notes.find((n) => n.slug === slug)!).map((l) => l.from.slug);
    };
    assert.deepEqual(backlinks(full, "a"), ["b", "c"]);
    assert.deepEqual(backlinks(meta, "a"), ["b"]);
    assert.deepEqual(backlinks(meta, "b"), ["a", "c"]);
  });
});

Deno.test("loadIndexed() with a bodyFilter decodes only the cached bodies it passes", async () => {
  await withDir(async (dir) => {
    await write(dir, "a.md", A);
    await write(dir, "b.md", "---\ntitle: Bé\n---\nrésumé 日本語 naïve\n");
    await write(dir, "c.md", C);
    const seen: string[] = [];
    const filter = (bytes: Uint8Array, start: number, end: number) => {
      const body = new TextDecoder().decode(bytes.subarray(start, end));
      seen.push(body);
      return body.includes("日本");
    };
    // A load that writes the cache must keep every body.
    const first = await loadIndexed(dir, readNoteFile, { bodyFilter: filter });
    assert.deepEqual(seen, []);
    // Making the .kit folder may have changed the folder's mtime (or not, within one tick of
    // the clock), which makes the next load write the cache again; after that it is settled.
    await loadIndexed(dir, readNoteFile);
    await loadIndexed(dir, readNoteFile);
    assert.ok(first.notes.every((n) => n.body !== ""));
    const { notes } = await loadIndexed(dir, readNoteFile, { bodyFilter: filter });
    // Each body reaches the filter exactly as its file has it, after the frontmatter.
    assert.deepEqual(seen, first.notes.map((n) => n.body));
    assert.deepEqual(notes.map((n) => [n.slug, n.body]), [
      ["a", ""],
      ["b", "résumé 日本語 naïve\n"],
      ["c", ""],
    ]);
    // The cache it read is whole: a load without the filter has every body.
    assert.deepEqual(sorted(await new NoteStore(dir).load()), sorted(first));
  });
});
