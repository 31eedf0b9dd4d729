/**
 * Turning a note file's text into a {@linkcode Note} and back.
 *
 * @module
 */

import {
  formatFrontmatter,
  parseFrontmatter,
  splitFrontmatter,
  YamlParserNeeded,
} from "./frontmatter.ts";
import type { Note, NoteMeta } from "./note.ts";

const KNOWN = new Set(["id", "title", "created", "updated", "tags", "aliases"]);

/** What a file was stamped with on disk, for fields its frontmatter lacks. */
export interface FileFacts {
  /** Absolute path. */
  path: string;
  /** File name without `.md`. */
  slug: string;
  /** Modification time, used when `created`/`updated` are missing. */
  mtime: Date | null;
}

function asList(value: unknown): string[] {
  if (value === null || value === undefined || value === "") return [];
  const items = Array.isArray(value) ? value : String(value).split(/[,\s]+/);
  return items.map((v) => String(v).trim().replace(/^#/, "")).filter((v) => v !== "");
}

function asTime(value: unknown, fallback: string): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string" && value !== "") return value;
  return fallback;
}

/**
 * A title for a note whose frontmatter has none: its first `# heading`, else its file name.
 *
 * @example
 * ```ts
 * import { fallbackTitle } from "./note_file.ts";
 * import assert from "node:assert/strict";
 * assert.equal(fallbackTitle("my-first_note", "text"), "my first note");
 * assert.equal(fallbackTitle("x", "# Real title\n"), "Real title");
 * ```
 *
 * @param slug The file name without `.md`.
 * @param body The markdown.
 * @returns The title.
 */
export function fallbackTitle(slug: string, body: string): string {
  const heading = /^#[ \t]+(.+?)[ \t#]*$/m.exec(body.slice(0, 4096));
  if (heading) return heading[1];
  return slug.replace(/[-_]+/g, " ").trim() || slug;
}

/**
 * Parses a note file. Broken frontmatter never loses the note: it is returned with the
 * title taken from the file name, the whole text as body and `warning` set.
 *
 * @example
 * ```ts
 * import { parseNote } from "./note_file.ts";
 * import assert from "node:assert/strict";
 * const note = parseNote("---\nid: ab12\ntitle: Hello\ntags: [x]\n---\nBody\n", { path: "/n/hello.md", slug: "hello", mtime: null });
 * assert.equal(note.title, "Hello");
 * assert.deepEqual(note.tags, ["x"]);
 * assert.equal(note.body, "Body\n");
 * ```
 *
 * @param text The file's text.
 * @param facts Path, slug and mtime of the file.
 * @returns The note.
 */
export function parseNote(text: string, facts: FileFacts): Note {
  const { yaml, body } = splitFrontmatter(text);
  const stamp = (facts.mtime ?? new Date(0)).toISOString();
  let data: Record<string, unknown> = {};
  let warning: string | undefined;
  if (yaml !== undefined) {
    try {
      data = parseFrontmatter(yaml);
    } catch (error) {
      if (error instanceof YamlParserNeeded) throw error;
      warning = `Cannot read the frontmatter of "${facts.path}": ${(error as Error).message}`;
    }
  }
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) if (!KNOWN.has(key)) extra[key] = value;
  const noteBody = warning ? text : body;
  const title = typeof data.title === "string" && data.title.trim() !== ""
    ? data.title
    : data.title !== undefined && data.title !== null && typeof data.title !== "string"
    ? String(data.title)
    : fallbackTitle(facts.slug, warning ? "" : noteBody);
  return {
    id: data.id !== undefined && data.id !== null && data.id !== "" ? String(data.id) : facts.slug,
    title,
    created: asTime(data.created, stamp),
    updated: asTime(data.updated, asTime(data.created, stamp)),
    tags: asList(data.tags),
    aliases: asList(data.aliases),
    extra,
    slug: facts.slug,
    path: facts.path,
    body: noteBody,
    bodyLine: countLines(text, text.length - noteBody.length),
    warning,
  };
}

function countLines(text: string, end: number): number {
  let lines = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}

/**
 * Formats a note as file text: frontmatter in kit's key order, then the body.
 *
 * @example
 * ```ts
 * import { formatNote } from "./note_file.ts";
 * import assert from "node:assert/strict";
 * const text = formatNote({ id: "ab12", title: "Hi", created: "c", updated: "u", tags: [], aliases: [], extra: {} }, "Body\n");
 * assert.equal(text, "---\nid: ab12\ntitle: Hi\ncreated: c\nupdated: u\ntags: []\naliases: []\n---\n\nBody\n");
 * ```
 *
 * @param meta The metadata.
 * @param body The markdown body.
 * @returns The file text.
 */
export function formatNote(meta: NoteMeta, body: string): string {
  const yaml = formatFrontmatter({
    id: meta.id,
    title: meta.title,
    created: meta.created,
    updated: meta.updated,
    tags: meta.tags,
    aliases: meta.aliases,
    ...meta.extra,
  });
  return `---\n${yaml}---\n\n${body.replace(/^\n+/, "")}`;
}
