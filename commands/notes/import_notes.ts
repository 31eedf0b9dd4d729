/**
 * Importing plain markdown files as notes. The originals are only read.
 *
 * @module
 */

import { loadYamlParser, parseFrontmatter, splitFrontmatter } from "./frontmatter.ts";
import { readImportSources, titleFromMarkdown } from "./import_dir.ts";
import type { Note } from "./note.ts";
import type { NoteStore } from "./store.ts";

/** Options for {@linkcode importNotes}. */
export interface ImportOptions {
  /** Tags added to every imported note. @default [] */
  tags?: string[];
}

/** What {@linkcode importNotes} did. */
export interface ImportResult {
  /** The notes made. */
  notes: Note[];
  /** One line per file skipped. */
  warnings: string[];
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string" && value !== "") return value.split(/[,\s]+/).filter(Boolean);
  return [];
}

/**
 * Makes a note of every markdown or text file under `dir`. A file's own frontmatter
 * (title, tags, aliases, created) is kept; otherwise the title is its first heading or its
 * name and `created` its mtime.
 *
 * @example
 * ```ts
 * import { NoteStore } from "./store.ts";
 * import { importNotes } from "./import_notes.ts";
 * import assert from "node:assert/strict";
 * const src = await Deno.makeTempDir();
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${src}/hello-world.md`, "Hi\n");
 * const { notes } = await importNotes(new NoteStore(dir), src);
 * assert.equal(notes[0].title, "hello world");
 * await Deno.remove(src, { recursive: true });
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param store The notes folder to import into.
 * @param dir The folder to import from.
 * @param options Extra tags.
 * @returns The notes made and warnings for skipped files.
 */
export async function importNotes(
  store: NoteStore,
  dir: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  await loadYamlParser();
  const sources = await readImportSources(dir);
  const notes: Note[] = [];
  const warnings: string[] = [];
  for (const source of sources) {
    if (source.warning) {
      warnings.push(source.warning);
      continue;
    }
    let { yaml, body } = splitFrontmatter(source.text);
    let data: Record<string, unknown> = {};
    if (yaml !== undefined) {
      try {
        data = parseFrontmatter(yaml);
      } catch {
        body = source.text;
      }
    }
    const { title, tags, aliases, created, updated, id: _id, ...extra } = data;
    const mtime = source.mtime?.toISOString();
    notes.push(
      await store.create({
        title: typeof title === "string" && title.trim()
          ? title.trim()
          : titleFromMarkdown(source.name, body),
        body,
        tags: [...new Set([...list(tags), ...(options.tags ?? [])])],
        aliases: list(aliases),
        created: typeof created === "string"
          ? created
          : created instanceof Date
          ? created.toISOString()
          : mtime,
        updated: typeof updated === "string" ? updated : mtime,
        extra,
      }),
    );
  }
  return { notes, warnings };
}
