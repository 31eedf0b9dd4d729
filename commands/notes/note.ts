/**
 * The note: a markdown file with YAML frontmatter in a notes folder.
 *
 * @module
 */

/** The metadata a note's frontmatter carries. */
export interface NoteMeta {
  /** Stable short id, unique in the folder. */
  id: string;
  /** Human title. */
  title: string;
  /** ISO 8601 creation time. */
  created: string;
  /** ISO 8601 time of the last change. */
  updated: string;
  /** Tags, without `#`. */
  tags: string[];
  /** Other titles the note answers to (wiki links and lookups). */
  aliases: string[];
  /** Frontmatter keys kit does not know, kept in order on rewrite. */
  extra: Record<string, unknown>;
}

/** A note as read from disk. */
export interface Note extends NoteMeta {
  /** File name without `.md`; unique in the folder. */
  slug: string;
  /** Absolute path of the file. */
  path: string;
  /** The markdown after the frontmatter. */
  body: string;
  /** The 1-based line of the file on which `body` starts. @default 1 */
  bodyLine?: number;
  /** Set when the file could not be read as kit wrote it (broken frontmatter): why. */
  warning?: string;
}

/**
 * Turns a title into a file-name slug: lower case, ASCII letters and digits joined by `-`.
 *
 * @example
 * ```ts
 * import { slugify } from "./note.ts";
 * import assert from "node:assert/strict";
 * assert.equal(slugify("Hello, World!"), "hello-world");
 * assert.equal(slugify("Crème brûlée"), "creme-brulee");
 * ```
 *
 * @param title The title.
 * @returns The slug; "note" when nothing is left.
 */
export function slugify(title: string): string {
  const slug = title.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "").slice(0, 80).replace(/-+$/, "");
  return slug || "note";
}

/**
 * Whether a folder entry is a note file: `*.md` and not hidden.
 *
 * @example
 * ```ts
 * import { isNoteFile } from "./note.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isNoteFile("a.md"), true);
 * assert.equal(isNoteFile(".a.md"), false);
 * ```
 *
 * @param name A file name.
 * @returns True for a note file.
 */
export function isNoteFile(name: string): boolean {
  return name.endsWith(".md") && !name.startsWith(".");
}
