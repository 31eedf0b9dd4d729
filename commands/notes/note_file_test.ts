import assert from "node:assert/strict";
import { loadYamlParser } from "./frontmatter.ts";
import type { Note } from "./note.ts";
import { fallbackTitle, type FileFacts, formatNote, parseNote } from "./note_file.ts";

const MTIME = new Date("2026-11-26T08:00:00.000Z");

function facts(slug = "my-note", mtime: Date | null = MTIME): FileFacts {
  return { path: `/notes/${slug}.md`, slug, mtime };
}

Deno.test("parseNote() fills defaults from the file: id from slug, dates from mtime", () => {
  const note = parseNote("Just text\n", facts());
  assert.deepEqual(note, {
    id: "my-note",
    title: "my note",
    created: "2026-11-26T08:00:00.000Z",
    updated: "2026-11-26T08:00:00.000Z",
    tags: [],
    aliases: [],
    extra: {},
    slug: "my-note",
    path: "/notes/my-note.md",
    body: "Just text\n",
    bodyLine: 1,
    warning: undefined,
  });
});

Deno.test("parseNote() uses the epoch when the mtime is unknown", () => {
  const note = parseNote("x", facts("a", null));
  assert.equal(note.created, "1970-01-01T00:00:00.000Z");
  assert.equal(note.updated, "1970-01-01T00:00:00.000Z");
});

Deno.test("parseNote() takes `updated` from `created` when only that is set", () => {
  const note = parseNote("---\ncreated: 2020-01-02T03:04:05Z\n---\nx", facts());
  assert.equal(note.created, "2020-01-02T03:04:05Z");
  assert.equal(note.updated, "2020-01-02T03:04:05Z");
});

Deno.test("parseNote() takes the title from the first heading, then the file name", async (t) => {
  const cases: [string, string, string][] = [
    ["heading", "intro\n# The Heading ##\nmore", "The Heading"],
    ["heading with tabs", "#\tTabbed\t\n", "Tabbed"],
    ["## is not a title heading", "## Sub\n", "my note"],
    ["#tag is not a heading", "#tag\n", "my note"],
    ["no heading", "text", "my note"],
    ["frontmatter wins", "---\ntitle: From YAML\n---\n# Heading\n", "From YAML"],
    ["empty title falls back", '---\ntitle: ""\n---\n# Heading\n', "Heading"],
    ["blank title falls back", '---\ntitle: "  "\n---\n', "my note"],
    ["numeric title", "---\ntitle: 2026\n---\n", "2026"],
    ["null title falls back", "---\ntitle:\n---\n# H\n", "H"],
  ];
  for (const [name, text, title] of cases) {
    await t.step(name, () => assert.equal(parseNote(text, facts()).title, title));
  }
});

Deno.test("fallbackTitle() turns dashes and underscores into spaces", () => {
  assert.equal(fallbackTitle("a--b__c", ""), "a b c");
  assert.equal(fallbackTitle("---", ""), "---");
});

Deno.test("parseNote() reads tags and aliases as a list or a string", async (t) => {
  await loadYamlParser();
  const cases: [string, string, string[]][] = [
    ["flow list", "tags: [a, b]", ["a", "b"]],
    ["comma string", 'tags: "a, b"', ["a", "b"]],
    ["space string", "tags: a b", ["a", "b"]],
    ["#tags in a string", 'tags: "#a #b"', ["a", "b"]],
    ["#tags in a list", 'tags: ["#a", b]', ["a", "b"]],
    ["block list", "tags:\n  - a\n  - b", ["a", "b"]],
    ["numbers", "tags: [1, 2]", ["1", "2"]],
    ["single word", "tags: one", ["one"]],
    ["empty string", 'tags: ""', []],
    ["null", "tags:", []],
    ["empty items dropped", 'tags: ["", "#", x]', ["x"]],
  ];
  for (const [name, yaml, tags] of cases) {
    await t.step(name, () => {
      assert.deepEqual(parseNote(`---\n${yaml}\n---\n`, facts()).tags, tags);
      const aliasYaml = yaml.replace(/^tags:/, "aliases:");
      assert.deepEqual(parseNote(`---\n${aliasYaml}\n---\n`, facts()).aliases, tags);
    });
  }
});

Deno.test("parseNote() keeps unknown keys in order and formatNote() writes them back", () => {
  const text = "---\nid: ab12\ntitle: T\ncreated: c\nupdated: u\ntags: [x]\naliases: []\n" +
    'zeta: 1\nalpha: [p, q]\nnested: {"a":1}\n---\n\nBody\n';
  const note = parseNote(text, facts());
  assert.deepEqual(Object.keys(note.extra), ["zeta", "alpha", "nested"]);
  assert.deepEqual(note.extra, { zeta: 1, alpha: ["p", "q"], nested: { a: 1 } });
  assert.equal(formatNote(note, note.body), text);
});

Deno.test("formatNote() and parseNote() round-trip metadata", async () => {
  await loadYamlParser();
  const meta = {
    id: "00112233",
    title: "Title: with # and 'quotes'",
    created: "2026-11-26T10:00:00.000Z",
    updated: "2026-11-27T10:00:00.000Z",
    tags: ["a", "yes", "12:30"],
    aliases: ["Other name", "2026-11-26"],
    extra: { rating: 5, draft: false, note: "- dash" },
  };
  const text = formatNote(meta, "\n\n# Body\n");
  const note = parseNote(text, facts());
  const { slug: _s, path: _p, body, bodyLine, warning, ...read } = note;
  assert.deepEqual(read, meta);
  assert.equal(body, "# Body\n");
  assert.equal(warning, undefined);
  assert.equal(text.split("\n")[bodyLine! - 1], "# Body");
});

Deno.test("parseNote() sets bodyLine to the file line the body starts on", async (t) => {
  const cases: [string, string, number][] = [
    ["no frontmatter", "a\nb\n", 1],
    ["frontmatter then blank line", "---\nid: x\n---\n\nbody\n", 5],
    ["frontmatter then body", "---\nid: x\n---\nbody\n", 4],
    ["CRLF", "---\r\nid: x\r\n---\r\n\r\nbody\r\n", 5],
    ["BOM", "\ufeff---\nid: x\n---\nbody", 4],
    ["empty frontmatter", "---\n---\nbody", 3],
  ];
  for (const [name, text, line] of cases) {
    await t.step(name, () => {
      const note = parseNote(text, facts());
      assert.equal(note.bodyLine, line);
      assert.ok(note.body.startsWith("body") || note.body === text);
    });
  }
});

Deno.test("parseNote() keeps a note with broken YAML and warns", async () => {
  await loadYamlParser();
  const text = "---\ntitle: [unclosed\ntags: x\n---\n# Heading\nBody\n";
  const note = parseNote(text, facts("broken-note"));
  assert.match(note.warning ?? "", /^Cannot read the frontmatter of "\/notes\/broken-note\.md": /);
  assert.equal(note.body, text);
  assert.equal(note.bodyLine, 1);
  assert.equal(note.title, "broken note");
  assert.equal(note.id, "broken-note");
  assert.deepEqual(note.tags, []);
  assert.deepEqual(note.extra, {});
});

Deno.test("parseNote() warns when the frontmatter is not a mapping", async () => {
  await loadYamlParser();
  const note = parseNote("---\n- a\n- b\n---\nx\n", facts());
  assert.match(note.warning ?? "", /not a mapping/);
});

Deno.test("parseNote() reads non-string ids as strings", () => {
  const note: Note = parseNote("---\nid: 1234\n---\n", facts());
  assert.equal(note.id, "1234");
  assert.equal(parseNote('---\nid: ""\n---\n', facts()).id, "my-note");
});
