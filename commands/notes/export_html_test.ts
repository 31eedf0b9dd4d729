import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { exportHtml } from "./export_html.ts";
import type { Note } from "./note.ts";

function note(slug: string, fields: Partial<Note> = {}): Note {
  return {
    id: slug,
    title: slug,
    slug,
    path: `/notes/${slug}.md`,
    body: "",
    created: "2024-03-01T09:00:00Z",
    updated: "2024-03-02T10:30:00Z",
    tags: [],
    aliases: [],
    extra: {},
    ...fields,
  };
}

const NOTES: Note[] = [
  note("alpha", {
    title: "Alpha",
    tags: ["project", "C++"],
    body: "# Intro\n\nSee [[Beta]], [[beta-alias|the alias]] and [[Missing page]].\n\n`[[Beta]]`\n",
  }),
  note("beta", {
    title: "Beta",
    aliases: ["beta-alias"],
    tags: ["project"],
    body: "Back: [[Alpha]]",
  }),
  note("evil", { title: "<script>alert(1)</script>", tags: ["<b>"], body: "[[Alpha#Intro]]" }),
];

function memoryWriter(files: Map<string, string>): (path: string, data: string) => Promise<void> {
  return (path, data) => {
    files.set(path, data);
    return Promise.resolve();
  };
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kit_export_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

Deno.test("exportHtml() writes pages, indexes and a stylesheet", async () => {
  await withTempDir(async (dir) => {
    const result = await exportHtml(NOTES, { outDir: dir });
    assert.equal(result.pages, 3);
    const relativeFiles = result.files.map((f) => relative(dir, f)).sort();
    assert.deepEqual(relativeFiles, [
      "alpha.html",
      "beta.html",
      "evil.html",
      "index.html",
      "style.css",
      "tags/b.html",
      "tags/c.html",
      "tags/index.html",
      "tags/project.html",
    ]);
    for (const file of result.files) assert.ok(await exists(file), file);
  });
});

Deno.test("exportHtml() pages are standalone HTML5 whose relative links all resolve", async () => {
  await withTempDir(async (dir) => {
    const result = await exportHtml(NOTES, { outDir: dir, title: "My notes" });
    for (const file of result.files.filter((f) => f.endsWith(".html"))) {
      const html = await Deno.readTextFile(file);
      assert.ok(html.startsWith('<!doctype html>\n<html lang="en">'), file);
      assert.ok(html.includes('<meta charset="utf-8">'), file);
      assert.ok(html.includes("My notes"), file);
      assert.ok(html.trimEnd().endsWith("</html>"), file);
      for (const [, href] of html.matchAll(/(?:href|src)="([^"]*)"/g)) {
        assert.ok(!/^[a-z]+:|^\//i.test(href), `${file}: ${href} is relative`);
        const target = resolve(dirname(file), href.replace(/[#?].*$/, ""));
        assert.ok(target.startsWith(dir), `${file}: ${href} stays inside`);
        assert.ok(await exists(target), `${file}: ${href} exists`);
      }
    }
  });
});

Deno.test("exportHtml() note page links notes, marks broken links and lists backlinks", async () => {
  await withTempDir(async (dir) => {
    await exportHtml(NOTES, { outDir: dir });
    const alpha = await Deno.readTextFile(join(dir, "alpha.html"));
    assert.ok(alpha.includes('<a class="wikilink" href="beta.html">Beta</a>'));
    assert.ok(alpha.includes('<a class="wikilink" href="beta.html">the alias</a>'));
    assert.ok(
      alpha.includes(
        '<span class="wikilink broken" title="No note named &quot;Missing page&quot;">' +
          "Missing page</span>",
      ),
    );
    assert.ok(alpha.includes("<code>[[Beta]]</code>"), "code stays literal");
    assert.ok(alpha.includes('<a href="tags/project.html">#project</a>'));
    assert.ok(alpha.includes('<time datetime="2024-03-01T09:00:00Z">2024-03-01</time>'));
    assert.match(alpha, /<h2>Linked from<\/h2>\n<ul>\n<li><a href="beta.html">Beta<\/a><\/li>\n/);
    assert.ok(
      alpha.includes('<li><a href="evil.html">&lt;script&gt;alert(1)&lt;/script&gt;</a></li>'),
    );
    const beta = await Deno.readTextFile(join(dir, "beta.html"));
    assert.equal(
      beta.match(/<li><a href="alpha.html">Alpha<\/a><\/li>/g)?.length,
      1,
      "one entry per note",
    );
    const evil = await Deno.readTextFile(join(dir, "evil.html"));
    assert.ok(!evil.includes("Linked from"), "no backlinks, no section");
  });
});

Deno.test("exportHtml() escapes titles and tags everywhere", async () => {
  const written = new Map<string, string>();
  await exportHtml(NOTES, { outDir: "out", writeFile: memoryWriter(written) });
  for (const [path, html] of written) {
    if (!path.endsWith(".html")) continue;
    assert.ok(!html.includes("<script>"), path);
    assert.ok(!html.includes("#<b>"), path);
  }
  const evil = written.get(join("out", "evil.html"))!;
  assert.ok(evil.includes("<title>&lt;script&gt;alert(1)&lt;/script&gt; · Notes</title>"));
  assert.ok(evil.includes("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
  assert.ok(evil.includes('<a href="tags/b.html">#&lt;b&gt;</a>'));
});

Deno.test("exportHtml() lists notes by title and tags with their notes", async () => {
  const written = new Map<string, string>();
  await exportHtml(NOTES, { outDir: "out", writeFile: memoryWriter(written) });
  const index = written.get(join("out", "index.html"))!;
  const order = [...index.matchAll(/<li><a href="([a-z-]+)\.html">/g)].map((m) => m[1]);
  assert.deepEqual(order, ["evil", "alpha", "beta"]);
  assert.ok(index.includes("3 notes"));
  const project = written.get(join("out", "tags", "project.html"))!;
  assert.ok(project.includes('<li><a href="../alpha.html">Alpha</a></li>'));
  assert.ok(project.includes('<li><a href="../beta.html">Beta</a></li>'));
  assert.ok(project.includes('<link rel="stylesheet" href="../style.css">'));
  const tags = written.get(join("out", "tags", "index.html"))!;
  assert.ok(tags.includes('<a href="project.html">#project</a> <span class="count">2</span>'));
});

Deno.test("exportHtml() keeps every file inside outDir and names unique", async () => {
  const notes = [
    note("../../etc/passwd", { title: "Escape", tags: ["../x", "/abs"] }),
    note("index", { title: "Index note" }),
    note("Same Name"),
    note("same-name"),
  ];
  const written: string[] = [];
  const result = await exportHtml(notes, {
    outDir: "/tmp/out",
    writeFile: (p) => (written.push(p), Promise.resolve()),
  });
  assert.deepEqual(written.sort(), [...result.files].sort());
  assert.equal(new Set(written).size, written.length, "no file written twice");
  for (const path of written) assert.ok(path.startsWith("/tmp/out/") && !path.includes(".."), path);
  assert.ok(written.includes("/tmp/out/etc-passwd.html"));
  assert.ok(written.includes("/tmp/out/index-2.html"), "a note cannot replace index.html");
  assert.ok(
    written.includes("/tmp/out/same-name.html") && written.includes("/tmp/out/same-name-2.html"),
  );
  assert.ok(written.includes("/tmp/out/tags/x.html") && written.includes("/tmp/out/tags/abs.html"));
});

Deno.test("exportHtml() writes with bounded concurrency", async () => {
  const notes = Array.from({ length: 50 }, (_, i) => note(`n${i}`));
  let running = 0;
  let most = 0;
  const result = await exportHtml(notes, {
    outDir: "out",
    concurrency: 4,
    writeFile: async () => {
      most = Math.max(most, ++running);
      await Promise.resolve();
      running--;
    },
  });
  assert.equal(result.files.length, 53);
  assert.equal(most, 4);
});

Deno.test("exportHtml() stops at the first failed write", async () => {
  let calls = 0;
  await assert.rejects(
    exportHtml([note("a"), note("b")], {
      outDir: "out",
      concurrency: 1,
      writeFile: () => {
        calls++;
        return Promise.reject(new Error("disk full"));
      },
    }),
    /disk full/,
  );
  assert.equal(calls, 1);
});

Deno.test("exportHtml() exports no notes as an empty site", async () => {
  const written = new Map<string, string>();
  const result = await exportHtml([], {
    outDir: "out",
    writeFile: memoryWriter(written),
  });
  assert.equal(result.pages, 0);
  assert.deepEqual([...written.keys()].map((p) => relative("out", p)).sort(), [
    "index.html",
    "style.css",
    "tags/index.html",
  ]);
  assert.ok(written.get(join("out", "index.html"))!.includes("0 notes"));
});

Deno.test("exportHtml() exports a part of the notes, resolving links against all", async () => {
  const written = new Map<string, string>();
  const progress: [number, number][] = [];
  // Copies, as when the chosen notes are read again: notes are matched by id.
  const chosen = [{ ...NOTES[0] }, { ...NOTES[2] }, { ...NOTES[0] }];
  const result = await exportHtml(chosen, {
    outDir: "out",
    allNotes: NOTES,
    writeFile: memoryWriter(written),
    onProgress: (done, total) => progress.push([done, total]),
  });
  assert.equal(result.pages, 2);
  assert.ok(!written.has(join("out", "beta.html")));
  assert.deepEqual(progress, [[1, 2], [2, 2]]);
  const alpha = written.get(join("out", "alpha.html"))!;
  assert.ok(
    alpha.includes('<span class="wikilink broken" title="No note named &quot;Beta&quot;">'),
  );
  assert.ok(alpha.includes('<li><a href="evil.html">'), "backlink from an exported note");
  assert.ok(!alpha.includes('href="beta.html"'), "no backlink to a page that is not exported");
  const project = written.get(join("out", "tags", "project.html"))!;
  assert.ok(!project.includes("beta.html"));
});

Deno.test("exportHtml() does not repeat a title the body opens with as its heading", async () => {
  const files = new Map<string, string>();
  const notes = [
    note("same", { title: "Same title", body: "# Same title\n\nText.\n" }),
    note("other", { title: "Other", body: "# A different heading\n\nText.\n" }),
  ];
  await exportHtml(notes, { outDir: "/out", writeFile: memoryWriter(files) });
  const same = files.get(join("/out", "same.html"))!;
  assert.equal(same.match(/<h1[^>]*>Same title<\/h1>/g)?.length, 1);
  const other = files.get(join("/out", "other.html"))!;
  assert.match(other, /<h1>Other<\/h1>/);
  assert.match(other, /<h1[^>]*>A different heading<\/h1>/);
});
