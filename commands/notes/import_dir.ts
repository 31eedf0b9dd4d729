/**
 * Reading a folder of existing notes (markdown or plain text) for `kit notes import`.
 *
 * @module
 */

import { basename, extname, join } from "../../lib/fs/path.ts";

/** One file found for import. */
export interface ImportSource {
  /** The file's path: `dir` joined with its path inside `dir`. */
  path: string;
  /** The file's base name without its extension, e.g. `meeting-notes`. */
  name: string;
  /** The text, decoded as UTF-8 (a byte order mark is dropped); "" when skipped. */
  text: string;
  /** The file's modification time, when the platform reports one. */
  mtime: Date | null;
  /** Set when the file was skipped: why, e.g. `Skipped "a.txt": not UTF-8 text`. */
  warning?: string;
}

/** The folder to import from is missing or not a folder. */
export class ImportError extends Error {
  /** Always `"ImportError"`, for telling it apart after a catch. */
  override name = "ImportError";
}

/** File extensions that are imported, lower case. */
const EXTENSIONS = new Set([".md", ".markdown", ".txt"]);

/**
 * Finds every `*.md`, `*.markdown` and `*.txt` file under `dir` (extensions in any case),
 * skipping folders whose names start with `.`, and reads each as UTF-8. A file that is not
 * valid UTF-8 or cannot be read comes back with a `warning` and empty text, so one bad file
 * does not stop an import. Symbolic links to files are followed; to folders, not.
 *
 * @example
 * ```ts
 * import { readImportSources } from "./import_dir.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/Meeting notes.md`, "# Monday\n");
 * await Deno.writeFile(`${dir}/old.txt`, new Uint8Array([0xff, 0xfe, 0x00]));
 *
 * const sources = await readImportSources(dir);
 * assert.deepEqual(sources.map((s) => [s.name, s.text, s.warning]), [
 *   ["Meeting notes", "# Monday\n", undefined],
 *   ["old", "", `Skipped "${dir}/old.txt": not UTF-8 text`],
 * ]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The folder to walk.
 * @returns The files, sorted by path.
 * @throws {ImportError} When `dir` is not a folder.
 */
export async function readImportSources(dir: string): Promise<ImportSource[]> {
  try {
    if (!(await Deno.stat(dir)).isDirectory) throw new Deno.errors.NotADirectory();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      throw new ImportError(`Cannot import: "${dir}" is not a folder`);
    }
    throw error;
  }
  const paths: string[] = [];
  await collect(dir, paths);
  paths.sort();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const sources: ImportSource[] = [];
  for (const path of paths) {
    const name = basename(path, extname(path));
    let bytes: Uint8Array;
    let mtime: Date | null = null;
    try {
      bytes = await Deno.readFile(path);
      mtime = (await Deno.stat(path)).mtime;
    } catch (error) {
      const reason = error instanceof Deno.errors.PermissionDenied
        ? "permission denied"
        : error instanceof Error
        ? error.message
        : String(error);
      sources.push({ path, name, text: "", mtime, warning: `Skipped "${path}": ${reason}` });
      continue;
    }
    try {
      sources.push({ path, name, text: decoder.decode(bytes), mtime });
    } catch {
      sources.push({ path, name, text: "", mtime, warning: `Skipped "${path}": not UTF-8 text` });
    }
  }
  return sources;
}

async function collect(dir: string, out: string[]): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) {
      if (!entry.name.startsWith(".")) await collect(path, out);
      continue;
    }
    if (!EXTENSIONS.has(extname(entry.name).toLowerCase())) continue;
    if (entry.isSymlink) {
      // Follow links to files only: a link to a folder could loop back up the tree.
      const target = await Deno.stat(path).catch(() => undefined);
      if (!target?.isFile) continue;
    }
    out.push(path);
  }
}

/**
 * The title for an imported file: its first `# Heading` (outside fenced code), or else its
 * name with `-` and `_` turned into spaces.
 *
 * @example
 * ```ts
 * import { titleFromMarkdown } from "./import_dir.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(titleFromMarkdown("x", "intro\n\n# Real Title #\n"), "Real Title");
 * assert.equal(titleFromMarkdown("meeting_notes-2024", "no heading"), "meeting notes 2024");
 * ```
 *
 * @param name The file name without extension.
 * @param body The file's text.
 * @returns The title; never empty ("Untitled" when there is nothing to go on).
 */
export function titleFromMarkdown(name: string, body: string): string {
  let fence: string | undefined;
  for (const line of body.split("\n")) {
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      if (fence === undefined) fence = fenceMatch[1];
      else if (fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length) {
        fence = undefined;
      }
      continue;
    }
    if (fence !== undefined) continue;
    const heading = /^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*\r?$/.exec(line);
    if (heading && heading[1].trim() !== "") return heading[1].trim();
  }
  return name.replace(/[-_]+/g, " ").replace(/\s+/g, " ").trim() || "Untitled";
}
