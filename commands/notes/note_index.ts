/**
 * The "index" read strategy: a cache of every parsed note in `<notes>/.kit/`, checked
 * against each file's size, mtime and inode on every load.
 *
 * Reading 10,000 small files costs far more in system calls than one stat per file plus
 * one read of the cache, and `list` and `search` run many times a day. The cache is two
 * files: `index` (metadata and wiki links, all that `list` and `backlinks` need) and
 * `bodies` (every body, one after another), tied by a generation id so a pair written by
 * two processes at once is never mixed. A file that changed is read again; a cache that
 * cannot be read is rebuilt. The cache is a derived file: losing it loses nothing.
 *
 * Timestamps have a granularity, so a file changed in the same tick as the cache was made
 * could look unchanged. As git does with its index, an entry whose mtime is within
 * {@linkcode RACY_MS} of the moment the cache was made is "racy": it is read again on every
 * load until a later cache outdates it. The same rule lets a load skip listing the folder
 * when the folder's own mtime (which every create, delete and rename bumps) is unchanged and
 * not racy.
 *
 * @module
 */

import { atomicWrite } from "../../lib/fs/atomic_write.ts";
import { join, SEP } from "../../lib/fs/path.ts";
import { decodeUtf8 } from "../../lib/fs/decode_text.ts";
import { Buffer, isAscii } from "node:buffer";
import { withFileBytes } from "../../lib/fs/map_file.ts";
import { readDirEntries } from "../../lib/fs/read_dir.ts";
import { type FileStamp, statStamp, statStamps } from "../../lib/fs/stat_stamp.ts";
import { rememberLinks } from "./link_index.ts";
import { isNoteFile, type Note } from "./note.ts";
import { findWikiLinks, type WikiLink } from "./wiki_link.ts";

const VERSION = "kit-notes-index 9";

/** How close to the cache's making an mtime must be to count as racy, in ms. */
export const RACY_MS = 2000;

/** A wiki link as cached: target, start, end, label (or null), heading (or null). */
type CachedLink = [string, number, number, string | null, string | null];

/**
 * One cached note, as an array because parsing 10,000 arrays is faster than 10,000 objects
 * with repeated keys: file name, mtime ms, size, inode, body length in UTF-8 bytes, id, title, created,
 * updated, tags, aliases, body line, extra keys (null when none), warning (null when none).
 * The entries' wiki links are kept apart, on the index file's last line, and parsed only by
 * commands that follow links: `list` and `search` never pay for them.
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
  extra: Record<string, unknown> | string | null,
  warning: string | null,
];

/** The links of every entry, in entry order, parsed on first use. */
class LazyLinks {
  #text: string;
  #parsed: CachedLink[][] | undefined;

  constructor(text: string) {
    this.#text = text;
  }

  /** The links of entry `at`. */
  of(at: number): WikiLink[] {
    this.#parsed ??= JSON.parse(this.#text) as CachedLink[][];
    return (this.#parsed[at] ?? []).map(([target, start, end, label, heading]) => {
      const link: WikiLink = { target, start, end };
      if (label !== null) link.label = label;
      if (heading !== null) link.heading = heading;
      return link;
    });
  }
}

/** What the cache knows beyond its entries. */
interface Header {
  /** Ties `index` to `bodies`. */
  generation: string;
  /** When the load that wrote the cache started (ms since the epoch). */
  made: number;
  /** The notes folder's mtime, taken before it was listed. */
  dirMtime: number;
  /** `.md` files that could not be read (they are tried again on every load). */
  skipped: string[];
}

/** What the stat of a file says, enough to tell whether it changed. */
type Stamp = FileStamp;

function mtimeOf(stamp: Stamp): Date | null {
  return stamp.mtimeMs === 0 ? null : new Date(stamp.mtimeMs);
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
  /** The clock, for racy-entry checks. @default Date.now */
  now?: () => number;
  /** Bodies from the cache that it rejects are loaded as "" (never decoded). @default undefined */
  bodyFilter?: BodyFilter;
}

/**
 * Says from a body's UTF-8 bytes, `bytes[start, end)`, whether it can hold a match, so that a
 * search decodes only the bodies that can. It is called in file order with increasing
 * ranges of the same bytes, so it may remember how far it has looked.
 */
export type BodyFilter = (bytes: Uint8Array, start: number, end: number) => boolean;

// JSON has no Infinity, NaN or -0, which YAML writes `.inf`, `.nan` and `-0`: the extra keys
// holding one are kept as a JSON string with those numbers as marked strings (and strings that
// happen to start with the mark marked too, so nothing is mistaken for a number).
const MARK = "\u0000kit:";

function encodeExtra(extra: Record<string, unknown>): Record<string, unknown> | string {
  let special = false;
  const text = JSON.stringify(extra, (_key, value) => {
    if (typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0))) {
      special = true;
      return `${MARK}n${Object.is(value, -0) ? "-0" : value}`;
    }
    return typeof value === "string" && value.startsWith(MARK) ? `${MARK}s${value}` : value;
  });
  return special ? text : extra;
}

function decodeExtra(text: string): Record<string, unknown> {
  return JSON.parse(text, (_key, value) => {
    if (typeof value !== "string" || !value.startsWith(MARK)) return value;
    const rest = value.slice(MARK.length + 1);
    return value[MARK.length] === "n" ? Number(rest) : rest;
  });
}

function toNote(
  e: Entry,
  dirSlash: string,
  body: string,
  links: (() => WikiLink[]) | undefined,
): Note {
  const note: Note = {
    id: e[5],
    title: e[6],
    created: e[7],
    updated: e[8],
    tags: e[9],
    aliases: e[10],
    extra: typeof e[12] === "string" ? decodeExtra(e[12]) : e[12] ?? {},
    slug: e[0].slice(0, -3),
    path: dirSlash + e[0],
    body,
    bodyLine: e[11],
  };
  if (e[13] !== null) note.warning = e[13];
  if (links) rememberLinks(note, links);
  return note;
}

function toEntry(note: Note, stamp: Stamp): Entry {
  return [
    `${note.slug}.md`,
    stamp.mtimeMs,
    stamp.size,
    stamp.ino,
    Buffer.byteLength(note.body, "utf8"),
    note.id,
    note.title,
    note.created,
    note.updated,
    note.tags,
    note.aliases,
    note.bodyLine ?? 1,
    Object.keys(note.extra).length > 0 ? encodeExtra(note.extra) : null,
    note.warning ?? null,
  ];
}

function linksOf(note: Note): CachedLink[] {
  return findWikiLinks(note.body).map((l) => [
    l.target,
    l.start,
    l.end,
    l.label ?? null,
    l.heading ?? null,
  ]);
}

function readIndex(
  path: string,
): { header: Header; entries: Entry[]; links: LazyLinks } | undefined {
  try {
    const text = withFileBytes(path, decodeUtf8);
    const first = text.indexOf("\n");
    const second = text.indexOf("\n", first + 1);
    const third = text.indexOf("\n", second + 1);
    if (text.slice(0, first) !== VERSION || third === -1) return undefined;
    return {
      header: JSON.parse(text.slice(first + 1, second)),
      entries: JSON.parse(text.slice(second + 1, third)),
      links: new LazyLinks(text.slice(third + 1)),
    };
  } catch {
    return undefined;
  }
}

function readBodies(
  path: string,
  generation: string,
  entries: Entry[],
  filter: BodyFilter | undefined,
): string[] | undefined {
  try {
    return withFileBytes(path, (bytes) => splitBodies(bytes, generation, entries, filter));
  } catch {
    return undefined;
  }
}

function splitBodies(
  bytes: Uint8Array,
  generation: string,
  entries: Entry[],
  filter: BodyFilter | undefined,
): string[] | undefined {
  const newline = bytes.indexOf(0x0a);
  if (newline === -1 || decodeUtf8(bytes.subarray(0, newline)) !== generation) return undefined;
  let total = newline + 1;
  for (const entry of entries) total += entry[4];
  if (total !== bytes.length) return undefined;
  const bodies: string[] = new Array(entries.length);
  let at = newline + 1;
  if (filter === undefined && isAscii(bytes)) {
    // One decoding of the whole file, sliced: for ASCII, bytes and characters line up.
    const text = decodeUtf8(bytes);
    for (let i = 0; i < entries.length; i++) {
      bodies[i] = text.slice(at, at + entries[i][4]);
      at += entries[i][4];
    }
    return bodies;
  }
  for (let i = 0; i < entries.length; i++) {
    const end = at + entries[i][4];
    bodies[i] = filter && !filter(bytes, at, end) ? "" : decodeUtf8(bytes.subarray(at, end));
    at = end;
  }
  return bodies;
}

/**
 * The note files of a folder, sorted: `*.md` files (or links to them) not starting with `.`.
 *
 * @param dir The notes folder.
 * @returns File names.
 * @throws {Deno.errors.NotFound} When the folder does not exist.
 */
export function listNoteFiles(dir: string): string[] {
  const names: string[] = [];
  for (const entry of readDirEntries(dir)) {
    if ((entry.isFile || entry.isSymlink) && isNoteFile(entry.name)) names.push(entry.name);
  }
  return names.sort();
}

/**
 * Loads every note of `dir` through the cache, refreshing the cache when a file changed.
 *
 * @param dir The notes folder (an absolute path).
 * @param read Reads one file the reference way.
 * @param options Whether bodies are wanted, and the clock.
 * @returns The notes, sorted by file name, and warnings for skipped files.
 */
export async function loadIndexed(
  dir: string,
  read: ReadNote,
  options: LoadIndexedOptions = {},
): Promise<{ notes: Note[]; warnings: string[] }> {
  const wantBodies = options.bodies ?? true;
  const started = (options.now ?? Date.now)();
  // Plain concatenation: path.join normalises every call, which shows up at 10,000 files.
  const dirSlash = dir.endsWith(SEP) ? dir : dir + SEP;
  let dirMtime: number;
  try {
    dirMtime = Deno.statSync(dir).mtime?.getTime() ?? 0;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { notes: [], warnings: [] };
    throw error;
  }
  const index = readIndex(join(dir, ".kit", "index"));
  const racyBefore = index ? index.header.made - RACY_MS : 0;

  let names: string[];
  let changed: boolean;
  // Whether `names` is the cache's entries in their order, so name n is entry n.
  let asCached = false;
  if (index && index.header.dirMtime === dirMtime && dirMtime < racyBefore) {
    // No file was created, deleted or renamed since the cache was made. The entries were
    // written in name order, so only skipped files make a sort necessary.
    names = index.entries.map((e) => e[0]);
    if (index.header.skipped.length > 0) names = [...names, ...index.header.skipped].sort();
    else asCached = true;
    changed = false;
  } else {
    names = listNoteFiles(dir);
    changed = !index || index.header.dirMtime !== dirMtime;
  }
  const cached = new Map<string, number>();
  if (index && !asCached) {
    for (let i = 0; i < index.entries.length; i++) cached.set(index.entries[i][0], i);
  }

  const warnings: string[] = [];
  const skipped: string[] = [];
  // Per name: the cache position of a valid entry, or a freshly read note; its stamp is in
  // `stamps` at three numbers per item (no object per file: at 10,000 notes the collector
  // would otherwise cost as much as the stat calls).
  const found: (number | Note)[] = [];
  const batch = statStamps(dir, names);
  const stamps = new Float64Array(names.length * 3);
  for (let n = 0; n < names.length; n++) {
    const name = names[n];
    const path = dirSlash + name;
    let mtimeMs: number, size: number, ino: number;
    if (batch !== null && !Number.isNaN(batch[n * 3])) {
      mtimeMs = batch[n * 3];
      size = batch[n * 3 + 1];
      ino = batch[n * 3 + 2];
    } else {
      try {
        ({ mtimeMs, size, ino } = statStamp(path));
      } catch (error) {
        changed = true;
        if (!(error instanceof Deno.errors.NotFound)) {
          warnings.push(`Cannot read "${path}": ${(error as Error).message}`);
          skipped.push(name);
        }
        continue;
      }
    }
    const at = asCached ? n : cached.get(name);
    const entry = at === undefined ? undefined : index!.entries[at];
    let item: number | Note;
    if (
      entry && entry[1] === mtimeMs && entry[2] === size && entry[3] === ino &&
      mtimeMs < racyBefore
    ) {
      item = at!;
    } else {
      changed = true;
      const result = read(path, name.slice(0, -3), mtimeMs === 0 ? null : new Date(mtimeMs));
      if ("warning" in result) {
        warnings.push(result.warning);
        skipped.push(name);
        continue;
      }
      item = result.note;
    }
    const k = found.length * 3;
    stamps[k] = mtimeMs;
    stamps[k + 1] = size;
    stamps[k + 2] = ino;
    found.push(item);
  }
  const stampOf = (k: number): Stamp => ({
    mtimeMs: stamps[k * 3],
    size: stamps[k * 3 + 1],
    ino: stamps[k * 3 + 2],
  });

  let bodies: string[] | undefined;
  if (index && (wantBodies || changed)) {
    // A filter empties bodies, so it applies only when nothing will be written back.
    bodies = readBodies(
      join(dir, ".kit", "bodies"),
      index.header.generation,
      index.entries,
      changed ? undefined : options.bodyFilter,
    );
  }
  const notes: Note[] = [];
  // The found item each note came from, for its stamp when the cache is written back.
  const noteItems: number[] = [];
  for (let k = 0; k < found.length; k++) {
    const item = found[k];
    if (typeof item !== "number") {
      notes.push(item);
      noteItems.push(k);
      continue;
    }
    const entry = index!.entries[item];
    if (bodies === undefined && (wantBodies || changed)) {
      // The bodies file is missing or from another generation: read the note itself.
      changed = true;
      const result = read(dirSlash + entry[0], entry[0].slice(0, -3), mtimeOf(stampOf(k)));
      if ("warning" in result) {
        warnings.push(result.warning);
        skipped.push(entry[0]);
      } else {
        notes.push(result.note);
        noteItems.push(k);
      }
      continue;
    }
    // With its body loaded a note's links are found by scanning it, if anyone asks; without
    // it, the cached links stand in.
    const links = index!.links;
    const body = bodies?.[item] ?? "";
    notes.push(toNote(entry, dirSlash, body, wantBodies ? undefined : () => links.of(item)));
    noteItems.push(k);
  }
  if (changed) {
    const header: Header = { generation: crypto.randomUUID(), made: started, dirMtime, skipped };
    await writeCache(dir, header, notes, noteItems.map(stampOf));
  }
  // Notes read from their files carry bodies; the caller asked for none (their links stay known).
  if (!wantBodies) {
    for (const note of notes) {
      if (note.body === "") continue;
      rememberLinks(note, findWikiLinks(note.body));
      note.body = "";
    }
  }
  return { notes, warnings };
}

async function writeCache(
  dir: string,
  header: Header,
  notes: Note[],
  stamps: Stamp[],
): Promise<void> {
  const entries = notes.map((note, k) => toEntry(note, stamps[k]));
  const bodies = notes.map((note) => note.body).join("");
  try {
    await Deno.mkdir(join(dir, ".kit"), { recursive: true });
    await atomicWrite(join(dir, ".kit", "bodies"), `${header.generation}\n${bodies}`, {
      fsync: false,
    });
    await atomicWrite(
      join(dir, ".kit", "index"),
      `${VERSION}\n${JSON.stringify(header)}\n${JSON.stringify(entries)}\n${
        JSON.stringify(notes.map(linksOf))
      }`,
      { fsync: false },
    );
  } catch { /* a read-only folder still lists; the cache is only a speed-up */ }
}
