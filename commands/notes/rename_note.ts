/**
 * Renaming a note and rewriting the wiki links that point at it.
 *
 * @module
 */

import { LinkIndex } from "./link_index.ts";
import type { Note } from "./note.ts";
import { slugify } from "./note.ts";
import type { NoteStore } from "./store.ts";
import { findWikiLinks, rewriteWikiLinks } from "./wiki_link.ts";

/** What {@linkcode renameNote} did. */
export interface RenameResult {
  /** The renamed note. */
  note: Note;
  /** Notes whose links were rewritten. */
  rewritten: Note[];
}

/**
 * Gives a note a new title and a file named after it, and rewrites every `[[link]]` that
 * resolved to it so it keeps resolving (labels are kept).
 *
 * @example
 * ```ts
 * import { NoteStore } from "./store.ts";
 * import { renameNote } from "./rename_note.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const store = new NoteStore(dir);
 * const a = await store.create({ title: "Old" });
 * await store.create({ title: "B", body: "see [[Old|here]]\n" });
 * const { rewritten } = await renameNote(store, a, "New");
 * assert.equal(rewritten[0].body, "see [[New|here]]\n");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param store The notes folder.
 * @param note The note to rename.
 * @param title The new title.
 * @returns The renamed note and the notes rewritten.
 */
export async function renameNote(
  store: NoteStore,
  note: Note,
  title: string,
): Promise<RenameResult> {
  const { notes } = await store.load();
  const index = new LinkIndex(notes);
  const retarget = (target: string) =>
    index.resolve(target)?.path === note.path ? title : undefined;
  const rewritten: Note[] = [];
  for (const other of notes) {
    if (other.path === note.path) continue;
    if (!findWikiLinks(other.body).some((link) => retarget(link.target))) continue;
    rewritten.push(
      await store.update(other, (n) => ({ ...n, body: rewriteWikiLinks(n.body, retarget) })),
    );
  }
  const path = await store.moveFile(note, slugify(title));
  const moved: Note = { ...note, path, slug: path.slice(store.dir.length + 1, -3) };
  // Links inside the note itself that named its old title follow it too.
  const renamed = await store.update(moved, (n) => ({
    ...n,
    title,
    body: rewriteWikiLinks(n.body, retarget),
  }));
  store.invalidate();
  return { note: renamed, rewritten };
}
