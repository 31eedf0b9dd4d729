/**
 * In-process benchmarks of the `kit notes` engine's named strategies, each against the
 * simple path it replaces (the baseline). Whole-process timings against ripgrep are in
 * bench/notes.sh.
 *
 * ```sh
 * deno bench -A bench/notes_bench.ts
 * ```
 *
 * Unfair in kit's favour: the page cache is warm, and the notes are the regular generated
 * corpus (2,000 notes here, to keep a run short), whose frontmatter is all the simple kind.
 *
 * @module
 */

import { join } from "../lib/fs/path.ts";
import { loadYamlParser, parseFrontmatter } from "../commands/notes/frontmatter.ts";
import { parseYaml } from "../lib/deps/yaml.ts";
import { NoteStore } from "../commands/notes/store.ts";
import { searchNotes } from "../commands/notes/search.ts";
import { LinkIndex } from "../commands/notes/link_index.ts";
import { generateNotes, RARE_WORD } from "./gen_notes.ts";

const COUNT = 2000;
const dir = await Deno.makeTempDir({ prefix: "kit-notes-bench-" });
const generated = generateNotes(COUNT);
for (const note of generated) await Deno.writeTextFile(join(dir, `${note.slug}.md`), note.text);
await loadYamlParser();
// Build the cache once, then age it past the racy window so loads take the fast path.
await new NoteStore(dir).load();
const past = new Date(Date.now() - 60_000);
for await (const e of Deno.readDir(dir)) {
  if (e.isFile) await Deno.utime(join(dir, e.name), past, past);
}
await Deno.utime(dir, past, past);
await new NoteStore(dir).load();
const { notes } = await new NoteStore(dir).load();

const frontmatters = generated.map((n) => n.text.slice(4, n.text.indexOf("\n---\n", 4) + 1));

Deno.bench("frontmatter: full YAML parser", { group: "frontmatter", baseline: true }, () => {
  for (const yaml of frontmatters) parseYaml(yaml, { schema: "core" });
});
Deno.bench("frontmatter: simple line parser", { group: "frontmatter" }, () => {
  for (const yaml of frontmatters) parseFrontmatter(yaml);
});

Deno.bench("load: read every file (files)", { group: "load", baseline: true }, async () => {
  await new NoteStore(dir, { strategy: "files" }).load();
});
Deno.bench("load: cache checked by stat (index)", { group: "load" }, async () => {
  await new NoteStore(dir).load();
});
Deno.bench("load: cache, metadata only (index)", { group: "load" }, async () => {
  await new NoteStore(dir).load({ bodies: false });
});

Deno.bench("search: substring", { group: "search", baseline: true }, () => {
  searchNotes(notes, RARE_WORD);
});
Deno.bench("search: regex", { group: "search" }, () => {
  searchNotes(notes, `${RARE_WORD}|qqqqq`, { mode: "regex" });
});
Deno.bench("search: fuzzy", { group: "search" }, () => {
  searchNotes(notes, "zyzzo geton", { mode: "fuzzy" });
});

Deno.bench("backlinks: scan bodies", { group: "links", baseline: true }, () => {
  const copies = notes.map((n) => ({ ...n }));
  new LinkIndex(copies).backlinks(copies[0]);
});
Deno.bench("backlinks: links cached in the index", { group: "links" }, () => {
  new LinkIndex(notes).backlinks(notes[0]);
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
