/**
 * Notes as a folder of standalone HTML pages that link to each other and work from `file://`.
 *
 * @module
 */

import { dirname, join } from "../../lib/fs/path.ts";
import { atomicWrite } from "../../lib/fs/atomic_write.ts";
import { LinkIndex } from "./link_index.ts";
import { type Note, slugify } from "./note.ts";
import { escapeHtml, renderHtml } from "./render_html.ts";

/** Options for {@linkcode exportHtml}. */
export interface ExportHtmlOptions {
  /** The folder to write into; created when missing. */
  outDir: string;
  /** The site title, shown on every page. @default "Notes" */
  title?: string;
  /**
   * Writes one file. The default creates the folder and replaces the file atomically; a writer
   * that does nothing backs `--dry-run` (and tests).
   *
   * @default mkdir -p, then atomicWrite without fsync
   */
  writeFile?: (path: string, data: string) => Promise<void>;
  /**
   * Every note in the folder, when `notes` is a part of it: wiki links resolve against these,
   * as they do everywhere else. A link to a note that is not exported renders as broken, and
   * only exported notes appear in backlinks, indexes and tag pages.
   *
   * @default the exported notes
   */
  allNotes?: Note[];
  /** How many files are written at once. @default 64 */
  concurrency?: number;
  /**
   * Called after each note page is written, for a progress bar.
   *
   * @param done Note pages written so far.
   * @param total Note pages to write.
   */
  onProgress?: (done: number, total: number) => void;
}

/** What {@linkcode exportHtml} wrote. */
export interface ExportResult {
  /** The number of note pages (one per distinct note). */
  pages: number;
  /** Every file written, as `outDir` joined with its relative path, in a stable order. */
  files: string[];
}

/** A file to write: its path relative to the output folder and a function making its text. */
interface Job {
  path: string;
  render: () => string;
}

interface Tag {
  /** The file name under `tags/`, without `.html`. */
  slug: string;
  /** The tags as written that share this slug (`C++` and `c` both slugify to `c`). */
  names: string[];
  notes: Note[];
}

const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });

/**
 * Exports notes as HTML: one page per note (`<slug>.html`, with title, tags, dates, the body with
 * wiki links resolved to the other pages, and a "Linked from" list of backlinks), `index.html`
 * listing every note by title, `tags/index.html` and one `tags/<tag>.html` per tag, and a shared
 * `style.css` with light and dark colours. Links are relative, so the folder works from
 * `file://` or any web server.
 *
 * File names come from {@linkcode slugify}, so no note or tag can name a path outside `outDir`;
 * clashes get `-2`, `-3`, ... (`index` is taken by the index page). Titles and tags are escaped;
 * raw HTML inside a note's markdown passes through, as markdown allows.
 *
 * @example
 * ```ts
 * import { exportHtml } from "./export_html.ts";
 * import type { Note } from "./note.ts";
 * import assert from "node:assert/strict";
 * const note = (id: string, title: string, body: string): Note => ({
 *   id, title, body, slug: id, path: `/notes/${id}.md`, created: "2024-05-01T10:00:00Z",
 *   updated: "2024-05-02T10:00:00Z", tags: ["demo"], aliases: [], extra: {},
 * });
 * const written = new Map<string, string>();
 * const result = await exportHtml([note("a", "Alpha", "See [[Beta]]."), note("b", "Beta", "")], {
 *   outDir: "site",
 *   writeFile: (path, data) => Promise.resolve(void written.set(path, data)),
 * });
 * assert.equal(result.pages, 2);
 * assert.ok(written.get("site/a.html")?.includes('<a class="wikilink" href="b.html">Beta</a>'));
 * assert.ok(written.has("site/tags/demo.html"));
 * ```
 *
 * @param selected The notes to export (a note given twice is exported once).
 * @param options The output folder, site title and writer.
 * @returns How many note pages were written, and every file's path.
 */
export async function exportHtml(
  selected: Note[],
  options: ExportHtmlOptions,
): Promise<ExportResult> {
  // A note named twice (`export a a`) gets one page.
  const notes = [...new Map(selected.map((note) => [note.id, note])).values()];
  const siteTitle = options.title ?? "Notes";
  const writeFile = options.writeFile ?? fileWriter();
  const index = new LinkIndex(options.allNotes ?? notes);
  const pageOf = pageNames(notes);
  const tags = collectTags(notes);
  const tagOf = new Map<string, Tag>();
  for (const tag of tags) for (const name of tag.names) tagOf.set(name, tag);
  const sorted = [...notes].sort((a, b) =>
    collator.compare(titleOf(a), titleOf(b)) || collator.compare(a.slug, b.slug)
  );

  const hrefs = new Map<string, string | undefined>();
  const jobs: Job[] = [{ path: "style.css", render: () => STYLE }];
  jobs.push({
    path: "index.html",
    render: () => indexPage(sorted, siteTitle, pageOf, tagOf),
  });
  jobs.push({ path: "tags/index.html", render: () => tagIndexPage(tags, siteTitle) });
  for (const tag of tags) {
    jobs.push({ path: `tags/${tag.slug}.html`, render: () => tagPage(tag, siteTitle, pageOf) });
  }
  for (const note of notes) {
    jobs.push({
      path: `${pageOf.get(note.id)}.html`,
      render: () => notePage(note, siteTitle, index, pageOf, tagOf, hrefs),
    });
  }

  const files = jobs.map((job) => join(options.outDir, job.path));
  const firstPage = jobs.length - notes.length;
  let done = 0;
  await runPool(jobs.length, options.concurrency ?? 64, async (i) => {
    await writeFile(files[i], jobs[i].render());
    if (i >= firstPage) options.onProgress?.(++done, notes.length);
  });
  return { pages: notes.length, files };
}

/** The default writer: makes each folder once, then replaces the file atomically. */
function fileWriter(): (path: string, data: string) => Promise<void> {
  const folders = new Map<string, Promise<void>>();
  return async (path, data) => {
    const dir = dirname(path);
    let made = folders.get(dir);
    if (made === undefined) folders.set(dir, made = Deno.mkdir(dir, { recursive: true }));
    await made;
    // No fsync: an export is rebuilt from the notes at will, and an fsync per file would
    // dominate the time of exporting thousands of notes.
    await atomicWrite(path, data, { fsync: false });
  };
}

/**
 * Runs `task(0..count-1)` with at most `limit` running at once, in order of index. After a
 * failure no new task starts, and the first error is thrown.
 */
async function runPool(
  count: number,
  limit: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < count) {
      const i = next++;
      try {
        await task(i);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker);
  await Promise.all(workers);
}

/** Gives each note a unique, safe page name, by note id. */
function pageNames(notes: Note[]): Map<string, string> {
  const taken = new Set(["index"]);
  const names = new Map<string, string>();
  for (const note of notes) {
    if (!names.has(note.id)) names.set(note.id, unique(slugify(note.slug), taken));
  }
  return names;
}

function unique(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}

/** Groups notes by tag slug, in tag order. */
function collectTags(notes: Note[]): Tag[] {
  const bySlug = new Map<string, Tag>();
  const taken = new Set(["index"]);
  for (const note of notes) {
    for (const name of new Set(note.tags)) {
      const base = slugify(name);
      let tag = bySlug.get(base);
      if (tag === undefined) {
        tag = { slug: unique(base, taken), names: [], notes: [] };
        bySlug.set(base, tag);
      }
      if (!tag.names.includes(name)) tag.names.push(name);
      if (tag.notes[tag.notes.length - 1] !== note) tag.notes.push(note);
    }
  }
  const tags = [...bySlug.values()];
  for (const tag of tags) {
    tag.notes.sort((a, b) => collator.compare(titleOf(a), titleOf(b)));
  }
  return tags.sort((a, b) => collator.compare(a.names[0], b.names[0]));
}

function titleOf(note: Note): string {
  return note.title.trim() || note.slug;
}

function day(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : iso;
}

function layout(title: string, siteTitle: string, root: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${root}style.css">
</head>
<body>
<header class="site"><a class="home" href="${root}index.html">${
    escapeHtml(siteTitle)
  }</a> <a href="${root}tags/index.html">Tags</a></header>
<main>
${main}
</main>
</body>
</html>
`;
}

function tagLinks(note: Note, root: string, tagOf: Map<string, Tag>): string {
  if (note.tags.length === 0) return "";
  const items = [...new Set(note.tags)].map((name) =>
    `<li><a href="${root}tags/${tagOf.get(name)!.slug}.html">#${escapeHtml(name)}</a></li>`
  );
  return `<ul class="tags">${items.join("")}</ul>`;
}

function notePage(
  note: Note,
  siteTitle: string,
  index: LinkIndex,
  pageOf: Map<string, string>,
  tagOf: Map<string, Tag>,
  hrefs: Map<string, string | undefined>,
): string {
  const title = titleOf(note);
  // A body that opens with the title as its own `# heading` would show it twice.
  const heading = /^\s*#[ \t]+(.+?)[ \t#]*(?:\n|$)/.exec(note.body);
  const source = heading && heading[1].trim() === note.title.trim()
    ? note.body.slice(heading[0].length)
    : note.body;
  const body = renderHtml(source, {
    linkHref: (target) => {
      // Many notes link to the same few targets: resolve each target once.
      if (hrefs.has(target)) return hrefs.get(target);
      const page = pageOf.get(index.resolve(target)?.id ?? "");
      const href = page === undefined ? undefined : `${page}.html`;
      hrefs.set(target, href);
      return href;
    },
  });
  const time = (iso: string) =>
    `<time datetime="${escapeHtml(iso)}">${escapeHtml(day(iso))}</time>`;
  const dates = [
    note.created ? `Created ${time(note.created)}` : "",
    note.updated ? `Updated ${time(note.updated)}` : "",
  ].filter(Boolean).join(" · ");
  const parts = [`<article>`, `<h1>${escapeHtml(title)}</h1>`];
  if (dates) parts.push(`<p class="meta">${dates}</p>`);
  const tags = tagLinks(note, "", tagOf);
  if (tags) parts.push(tags);
  parts.push(`<div class="content">\n${body}</div>`, `</article>`);
  const seen = new Set<string>();
  const from: string[] = [];
  for (const link of index.backlinks(note)) {
    if (seen.has(link.from.id) || !pageOf.has(link.from.id)) continue;
    seen.add(link.from.id);
    from.push(
      `<li><a href="${pageOf.get(link.from.id)}.html">${escapeHtml(titleOf(link.from))}</a></li>`,
    );
  }
  if (from.length > 0) {
    parts.push(
      `<section class="backlinks">\n<h2>Linked from</h2>\n<ul>\n${
        from.join("\n")
      }\n</ul>\n</section>`,
    );
  }
  return layout(`${title} · ${siteTitle}`, siteTitle, "", parts.join("\n"));
}

function indexPage(
  sorted: Note[],
  siteTitle: string,
  pageOf: Map<string, string>,
  tagOf: Map<string, Tag>,
): string {
  const items = sorted.map((note) =>
    `<li><a href="${pageOf.get(note.id)}.html">${escapeHtml(titleOf(note))}</a>${
      tagLinks(note, "", tagOf)
    }</li>`
  );
  const count = `${sorted.length} ${sorted.length === 1 ? "note" : "notes"}`;
  return layout(
    siteTitle,
    siteTitle,
    "",
    `<h1>${escapeHtml(siteTitle)}</h1>
<p class="meta">${count} · <a href="tags/index.html">All tags</a></p>
<ul class="notes">
${items.join("\n")}
</ul>`,
  );
}

function tagIndexPage(tags: Tag[], siteTitle: string): string {
  const items = tags.map((tag) =>
    `<li><a href="${tag.slug}.html">${
      tag.names.map((name) => `#${escapeHtml(name)}`).join(", ")
    }</a> <span class="count">${tag.notes.length}</span></li>`
  );
  return layout(
    `Tags · ${siteTitle}`,
    siteTitle,
    "../",
    `<h1>Tags</h1>
<ul class="tag-list">
${items.join("\n")}
</ul>`,
  );
}

function tagPage(tag: Tag, siteTitle: string, pageOf: Map<string, string>): string {
  const name = tag.names.map((n) => `#${n}`).join(", ");
  const items = tag.notes.map((note) =>
    `<li><a href="../${pageOf.get(note.id)}.html">${escapeHtml(titleOf(note))}</a></li>`
  );
  return layout(
    `${name} · ${siteTitle}`,
    siteTitle,
    "../",
    `<h1>${escapeHtml(name)}</h1>
<p class="meta">${tag.notes.length} ${tag.notes.length === 1 ? "note" : "notes"} · ` +
      `<a href="index.html">All tags</a></p>
<ul class="notes">
${items.join("\n")}
</ul>`,
  );
}

const STYLE = `:root {
  color-scheme: light dark;
  --fg: #1f2328;
  --bg: #ffffff;
  --muted: #656d76;
  --link: #0969da;
  --broken: #cf222e;
  --code-bg: #f6f8fa;
  --border: #d0d7de;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #e6edf3;
    --bg: #0d1117;
    --muted: #8d96a0;
    --link: #4493f8;
    --broken: #f85149;
    --code-bg: #161b22;
    --border: #30363d;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0 auto;
  max-width: 46rem;
  padding: 1rem 1.25rem 4rem;
  font: 1rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg);
  background: var(--bg);
}
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
header.site { display: flex; gap: 1rem; padding-bottom: .5rem; border-bottom: 1px solid var(--border); }
header.site .home { font-weight: 600; }
h1, h2, h3 { line-height: 1.25; }
.meta, .count { color: var(--muted); font-size: .9rem; }
ul.tags { display: inline-flex; flex-wrap: wrap; gap: .5rem; list-style: none; margin: 0 0 0 .5rem; padding: 0; font-size: .85rem; }
article > ul.tags { margin: 0 0 1rem; }
ul.notes li, ul.tag-list li { margin: .25rem 0; }
.wikilink.broken { color: var(--broken); text-decoration: underline dashed; cursor: help; }
pre, code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--code-bg); border-radius: 4px; }
code { padding: .1em .3em; }
pre { padding: .75rem 1rem; overflow-x: auto; }
pre code { padding: 0; }
blockquote { margin: 0; padding: 0 1rem; color: var(--muted); border-left: .25rem solid var(--border); }
table { border-collapse: collapse; }
th, td { padding: .3rem .75rem; border: 1px solid var(--border); }
img { max-width: 100%; }
hr { border: 0; border-top: 1px solid var(--border); }
.backlinks { margin-top: 3rem; padding-top: .5rem; border-top: 1px solid var(--border); }
.backlinks h2 { font-size: 1rem; color: var(--muted); }
`;
