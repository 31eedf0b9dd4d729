/**
 * `kit/notes`: markdown notes with YAML frontmatter, tags and wiki links.
 *
 * Layout: `store.ts` reads and writes a notes folder (`note_index.ts` is its cache,
 * `note_file.ts` and `frontmatter.ts` the file format); `search.ts` with `fuzzy.ts` searches;
 * `wiki_link.ts` and `link_index.ts` follow `[[links]]`; `render_terminal.ts`,
 * `render_html.ts` and `export_html.ts` render; `rename_note.ts`, `daily_note.ts`,
 * `import_notes.ts` and `sync.ts` are the operations behind `mv`, `daily`, `import` and
 * `sync`. `cli.ts` is the command line on top.
 *
 * @example
 * ```ts
 * import { NoteStore, searchNotes } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const store = new NoteStore(dir);
 * await store.create({ title: "Groceries", body: "Buy apples\n" });
 * const { notes } = await store.load();
 * assert.equal(searchNotes(notes, "apples")[0].note.title, "Groceries");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
export * from "./note.ts";
export * from "./errors.ts";
export {
  type LoadResult,
  type NewNote,
  NoteStore,
  type NoteStoreOptions,
  resolveNote,
} from "./store.ts";
export { formatNote, parseNote } from "./note_file.ts";
export {
  formatFrontmatter,
  FrontmatterError,
  parseFrontmatter,
  splitFrontmatter,
} from "./frontmatter.ts";
export {
  type LineHit,
  type NoteHit,
  QueryError,
  type SearchMode,
  searchNotes,
  type SearchOptions,
} from "./search.ts";
export { type FuzzyMatch, fuzzyMatch } from "./fuzzy.ts";
export { findWikiLinks, rewriteWikiLinks, type WikiLink } from "./wiki_link.ts";
export { LinkIndex } from "./link_index.ts";
export { renderTerminal, type TerminalRenderOptions } from "./render_terminal.ts";
export { type HtmlRenderOptions, renderHtml } from "./render_html.ts";
export { exportHtml, type ExportHtmlOptions, type ExportResult } from "./export_html.ts";
export { renameNote, type RenameResult } from "./rename_note.ts";
export { dailyNote, fillTemplate } from "./daily_note.ts";
export { importNotes, type ImportOptions, type ImportResult } from "./import_notes.ts";
export { type SyncAction, syncFolders, type SyncOptions, type SyncReport } from "./sync.ts";
