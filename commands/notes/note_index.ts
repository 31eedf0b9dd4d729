/**
 * The "index" read strategy: a cache of every parsed note in `<notes>/.kit/`, checked
 * against each file's size, mtime and inode on every load.
 *
 * Reading 10,000 small files costs far more in system calls than one stat per file plus
 * one read of the cache, and `list` and `search` run many times a day. The cache is two
 * files: `index` (metadata, small, all that `list` needs) and `bodies` (every body, one
 * after another), tied by a generation id so a pair written by two processes at once is
 * never mixed.
 * A file that changed is read again; a cache that cannot be read is rebuilt. The cache is a
 * derived file: losing it loses nothing.
 *
 * @module
 */

import { join, SEP } from "../../lib/fs/path.ts";
import { atomicWrite } from "../../lib/fs/atomic_write.ts";
import { readFileSized } from "../../lib/fs/read_file.ts";
import type { Note } from "./note.ts";

const VERSION = "kit-notes-index 4";

/**
 * One cached note, as an array because parsing 10,000 arrays is faster than 10,000 objects
 * with repeated keys: file name, mtime ms, size, inode, body length, id, title, created,
 * updated, tags, aliases, body line, extra keys (null when none), warning (null when none).
 */
type Entry = [
  f: string,
  m: number,
  s: number,
  i: number | null,
  l: number,
  id: string,
  title: string,
  created: string,
  updated: string,
  tags: string[],
  aliases: string[],
  bodyLine: number,
  extra: Record<string, unknown> | null,
  warning: string | null,
];

/** What the stat of a file says, enough to tell whether it changed. */
interface Stamp {
  m: number;
  s: number;
  i: number | null;
  mtime: Date | null;
}

function toNote(e: Entry, dirSlash: string, body: string): Note {
  const note: Note = {
    id: e[5],
    title: e[6],
    created: e[7],
    updated: e[8],
    tags: e[9],
    aliases: e[10],
    extra: e[12] ?? {},
    slug: e[0].slice(0, -3),
    path: dirSlash + e[0],
    body,
    bodyLine: e[11],
  };
  if (e[13] !== null) note.warning = e[13];
  return note;
}

function toEntry(note: Note, stamp: Stamp): Entry {
  return [
    `${note.slug}.md`,
    stamp.m,
    stamp.s,
    stamp.i,
    note.body.length,
    note.id,
    note.title,
    note.created,
    note.updated,
    note.tags,
    note.aliases,
    note.bodyLine ?? 1,
    Object.keys(note.extra).length > 0 ? note.extra : null,
    note.warning ?? null,
  ];
}

/** Reads one file into a note, or a warning. */
export type ReadNote = (
  path: string,
  slug: string,
  mtime: Date | null,
) => { note: Note } | { warning: string };

/** Options for {@linkcode loadIndexed}. */
export interface LoadIndexedOptions {
  /** Load bodies too; without them each note's body is "". @default true */
  bodies?: boolean;
}

const decoder = new TextDecoder();

function readOrNull(path: string): Uint8Array | null {
  try {
    return readFileSized(path);
  } catch {
    return null;
  }
}

function readIndex(path: string): { generation: string; entries: Entry[] } | undefined {
  try {
    const text = decoder.decode(readFileSized(path));
    const [version, generation, json] = text.split("\n", 3);
    if (version !== VERSION) return undefined;
    return { generation, entries: JSON.parse(json) };
  } catch {
    return undefined;
  }
}

function splitBodies(
  bytes: Uint8Array | null,
  generation: string,
  entries: Entry[],
): string[] | undefined {
  if (!bytes) return undefined;
  const text = decoder.decode(bytes);
  const newline = text.indexOf("\n");
  if (text.slice(0, newline) !== generation) return undefined;
  const bodies: string[] = new Array(entries.length);
  let at = newline + 1;
  for (let i = 0; i < entries.length; i++) {
    bodies[i] = text.slice(at, at + entries[i][4]);
    at += entries[i][4];
  }
  return at === text.length ? bodies : undefined;
}

/**
 * Loads every note of `dir` through the cache, refreshing the cache when a file changed.
 *
 * @param dir The notes folder (an absolute path).
 * @param read Reads one file the reference way.
 * @param options Whether bodies are wanted.
 * @returns The notes, sorted by file name, and warnings for skipped files.
 */
export async function loadIndexed(
  dir: string,
  read: ReadNote,
  options: LoadIndexedOptions = {},
): Promise<{ notes: Note[]; warnings: string[] }> {
  const wantBodies = options.bodies ?? true;
  // Plain concatenation: path.join normalises every call, which shows up at 10,000 files.
  const dirSlash = dir.endsWith(SEP) ? dir : dir + SEP;
  const names: string[] = [];
  try {
    for (const entry of Deno.readDirSync(dir)) {
      if (
        (entry.isFile || entry.isSymlink) && entry.name.endsWith(".md") &&
        !entry.name.startsWith(".")
      ) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { notes: [], warnings: [] };
    throw error;
  }
  names.sort();
  const index = readIndex(join(dir, ".kit", "index"));
  const cached = new Map<string, number>();
  if (index) { for (let i = 0; i < index.entries.length; i++) cached.set(index.entries[i][0], i); }

  const warnings: string[] = [];
  // Per name: the cache position of a valid entry, or a freshly read note.
  const found: (number | Note)[] = [];
  const stamps: Stamp[] = [];
  let changed = !index || index.entries.length !== names.length;
  for (const name of names) {
    const path = dirSlash + name;
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(path);
    } catch (error) {
      warnings.push(`Cannot read "${path}": ${(error as Error).message}`);
      continue;
    }
    const stamp = { m: info.mtime?.getTime() ?? 0, s: info.size, i: info.ino, mtime: info.mtime };
    const at = cached.get(name);
    const entry = at === undefined ? undefined : index!.entries[at];
    if (entry && entry[1] === stamp.m && entry[2] === stamp.s && entry[3] === stamp.i) {
      found.push(at!);
      stamps.push(stamp);
      continue;
    }
    changed = true;
    const result = read(path, name.slice(0, -3), info.mtime);
    if ("warning" in result) {
      warnings.push(result.warning);
      continue;
    }
    found.push(result.note);
    stamps.push(stamp);
  }

  let bodies: string[] | undefined;
  if (index && (wantBodies || changed)) {
    bodies = splitBodies(readOrNull(join(dir, ".kit", "bodies")), index.generation, index.entries);
  }
  const notes: Note[] = [];
  const noteStamps: Stamp[] = [];
  for (let k = 0; k < found.length; k++) {
    const item = found[k];
    if (typeof item !== "number") {
      notes.push(item);
      noteStamps.push(stamps[k]);
      continue;
    }
    const entry = index!.entries[item];
    if (bodies === undefined && (wantBodies || changed)) {
      // The bodies file is missing or from another generation: read the note itself.
      changed = true;
      const result = read(dirSlash + entry[0], entry[0].slice(0, -3), stamps[k].mtime);
      if ("warning" in result) {
        warnings.push(result.warning);
      } else {
        notes.push(result.note);
        noteStamps.push(stamps[k]);
      }
      continue;
    }
    notes.push(toNote(entry, dirSlash, bodies?.[item] ?? ""));
    noteStamps.push(stamps[k]);
  }
  if (changed) await writeCache(dir, notes, noteStamps);
  return { notes, warnings };
}

async function writeCache(dir: string, notes: Note[], stamps: Stamp[]): Promise<void> {
  const generation = crypto.randomUUID();
  const entries = notes.map((note, k) => toEntry(note, stamps[k]));
  const bodies = notes.map((note) => note.body).join("");
  try {
    await Deno.mkdir(join(dir, ".kit"), { recursive: true });
    await atomicWrite(join(dir, ".kit", "bodies"), `${generation}\n${bodies}`, { fsync: false });
    await atomicWrite(
      join(dir, ".kit", "index"),
      `${VERSION}\n${generation}\n${JSON.stringify(entries)}`,
      { fsync: false },
    );
  } catch { /* a read-only folder still lists; the cache is only a speed-up */ }
}
