import assert from "node:assert/strict";
import { LinkIndex, rememberLinks } from "./link_index.ts";
import { findWikiLinks } from "./wiki_link.ts";
import type { Note } from "./note.ts";

function note(id: string, fields: Partial<Note> = {}): Note {
  return {
    id,
    title: id,
    slug: id,
    path: `/notes/${id}.md`,
    body: "",
    created: "2024-01-01T00:00:00Z",
    updated: "2024-01-01T00:00:00Z",
    tags: [],
    aliases: [],
    extra: {},
    ...fields,
  };
}

Deno.test("LinkIndex.resolve() matches title, alias, slug, id in that order", async (t) => {
  const byTitle = note("n1", { title: "Shared", slug: "one" });
  const byAlias = note("n2", { title: "Two", aliases: ["shared", "Other Name"], slug: "two" });
  const bySlug = note("n3", { title: "Three", slug: "shared" });
  const byId = note("shared", { title: "Four", slug: "four" });
  const later = note("n5", { title: "SHARED", slug: "five" });
  const index = new LinkIndex([byTitle, byAlias, bySlug, byId, later]);
  const cases: [string, string, Note | undefined][] = [
    ["title beats alias, slug and id; first note wins", "shared", byTitle],
    ["case-insensitive title", "tWo", byAlias],
    ["alias", "other name", byAlias],
    ["slug", "three", bySlug],
    ["slug of another note", "five", later],
    ["id", "n3", bySlug],
    ["surrounding spaces", "  Four ", byId],
    ["unknown", "nope", undefined],
    ["empty", "", undefined],
  ];
  for (const [name, target, expected] of cases) {
    await t.step(name, () => assert.equal(index.resolve(target), expected));
  }
});

Deno.test("LinkIndex.resolve() falls back to the slugified target", () => {
  const hello = note("x1", { title: "Hello, World!", slug: "hello-world" });
  const index = new LinkIndex([hello]);
  assert.equal(index.resolve("hello world"), hello);
  assert.equal(index.resolve("Hello World"), hello);
});

Deno.test("LinkIndex.resolve() prefers an alias over a slug", () => {
  const a = note("a", { slug: "target" });
  const b = note("b", { aliases: ["target"] });
  assert.equal(new LinkIndex([a, b]).resolve("target"), b);
});

Deno.test("LinkIndex.links() resolves each outgoing link", () => {
  const a = note("a", { body: "[[b]] [[missing|m]] `[[b]]` [[a]]" });
  const b = note("b");
  const index = new LinkIndex([a, b]);
  const links = index.links(a);
  assert.deepEqual(links.map((l) => [l.link.target, l.note?.id]), [
    ["b", "b"],
    ["missing", undefined],
    ["a", "a"],
  ]);
  assert.equal(index.links(a), links, "cached");
});

Deno.test("LinkIndex.backlinks() lists links from other notes", () => {
  const a = note("a", { body: "[[c]] and again [[C]]" });
  const b = note("b", { body: "[[c#part]] [[b]]" });
  const c = note("c", { body: "[[c]] self" });
  const index = new LinkIndex([a, b, c]);
  assert.deepEqual(index.backlinks(c).map((l) => [l.from.id, l.link.start]), [
    ["a", 0],
    ["a", 16],
    ["b", 0],
  ]);
  assert.deepEqual(index.backlinks(b), [], "a self-link is not a backlink");
  assert.deepEqual(index.backlinks(note("stranger")), []);
  assert.equal(index.backlinks({ ...c }).length, 3, "a copy of a note is the same note");
});

Deno.test("LinkIndex.orphans() ignores self-links", () => {
  const a = note("a", { body: "[[b]]" });
  const b = note("b", { body: "[[a]]" });
  const c = note("c", { body: "[[c]] [[a]]" });
  const d = note("d");
  assert.deepEqual(new LinkIndex([a, b, c, d]).orphans().map((n) => n.id), ["c", "d"]);
});

Deno.test("LinkIndex handles 10,000 notes quickly", () => {
  const notes: Note[] = [];
  for (let i = 0; i < 10_000; i++) {
    notes.push(note(`n${i}`, { body: `[[n${(i + 1) % 10_000}]] [[n${(i * 7) % 10_000}]]` }));
  }
  const index = new LinkIndex(notes);
  assert.equal(index.orphans().length, 0);
  assert.equal(index.backlinks(notes[1])[0].from, notes[0]);
});

Deno.test("LinkIndex.backlinks() for one note agrees with the whole graph", () => {
  const titles = ["Alpha", "Beta", "Gamma ray", "hello-world", "Delta"];
  const notes: Note[] = titles.map((title, i) => ({
    id: `n${i}`,
    title,
    slug: title.toLowerCase().replace(/ /g, "-"),
    path: `/n/${i}.md`,
    body: "",
    created: "",
    updated: "",
    tags: [],
    aliases: i === 4 ? ["D"] : [],
    extra: {},
  }));
  // Every note links to every name form of every other note, and to nothing.
  const forms = ["Alpha", "beta", "GAMMA RAY", "hello world", "d", "n1", "gamma-ray", "Nowhere"];
  for (const note of notes) note.body = forms.map((f) => `[[${f}]]`).join(" ") + "\n";
  const one = notes.map((n) => new LinkIndex(notes).backlinks(n));
  const graph = new LinkIndex(notes);
  graph.orphans();
  const all = notes.map((n) => graph.backlinks(n));
  const shape = (lists: { from: Note; link: { target: string } }[][]) =>
    lists.map((list) => list.map((b) => `${b.from.id}:${b.link.target}`));
  assert.deepEqual(shape(one), shape(all));
  assert.ok(all.flat().length > 20);
});

Deno.test("LinkIndex.backlinks() asked for every note reads each note's links a bounded number of times (regression: export took minutes)", () => {
  const count = 3000;
  const notes: Note[] = Array.from({ length: count }, (_, i) => ({
    id: `n${i}`,
    title: `Note ${i}`,
    slug: `note-${i}`,
    path: `/n/${i}.md`,
    body: `[[Note ${(i + 1) % count}]] [[Note ${(i * 7) % count}]]\n`,
    created: "",
    updated: "",
    tags: [],
    aliases: [],
    extra: {},
  }));
  let reads = 0;
  for (const note of notes) {
    const links = findWikiLinks(note.body);
    rememberLinks(note, () => {
      reads++;
      return links;
    });
  }
  const index = new LinkIndex(notes);
  let total = 0;
  for (const note of notes) total += index.backlinks(note).length;
  assert.ok(reads <= 2 * count, `links were read ${reads} times for ${count} notes`);
  assert.equal(total, 2 * count - notes.filter((_n, i) => (i * 7) % count === i).length);
});
