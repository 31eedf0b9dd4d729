/**
 * The notes folder: reading every note, resolving references, and writing notes safely.
 *
 * Every write goes through a temp file and a rename, so a crash or a second kit process
 * never leaves half a note. Read-modify-write operations (tagging, editing metadata) hold
 * a per-note lock file so two processes changing one note both land.
 *
 * @module
 */

import { join } from "../../lib/fs/path.ts";
import { atomicWrite } from "../../lib/fs/atomic_write.ts";
import { AmbiguousNoteError, NoteLockedError, NoteNotFoundError } from "./errors.ts";
import { type Note, type NoteMeta, slugify } from "./note.ts";
import { formatNote, parseNote } from "./note_file.ts";
import { loadYamlParser, YamlParserNeeded } from "./frontmatter.ts";
import { type BodyFilter, listNoteFiles, loadIndexed } from "./note_index.ts";

export { isNoteFile } from "./note.ts";

/** Options for {@linkcode NoteStore}. */
export interface NoteStoreOptions {
  /** The clock for `created`/`updated`. @default () => new Date() */
  now?: () => Date;
  /**
   * How notes are read: "index" keeps a cache in `.kit/index` validated by each file's size
   * and mtime; "files" reads every file (the reference). @default "index"
   */
  strategy?: "index" | "files";
}

/** Defaults for {@linkcode NoteStoreOptions}. */
export const DEFAULTS = {
  now: () => new Date(),
  strategy: "index",
} satisfies NoteStoreOptions;

/** What reading the folder found. */
export interface LoadResult {
  /** Every readable note. */
  notes: Note[];
  /** One line per file that was skipped or read with trouble. */
  warnings: string[];
}

/** Fields for a new note. */
export interface NewNote {
  /** The title. */
  title: string;
  /** The markdown body. @default "" */
  body?: string;
  /** Tags. @default [] */
  tags?: string[];
  /** Aliases. @default [] */
  aliases?: string[];
  /** Force a slug instead of one made from the title. */
  slug?: string;
  /** Creation time. @default now */
  created?: string;
  /** Update time. @default created */
  updated?: string;
  /** Extra frontmatter keys. */
  extra?: Record<string, unknown>;
}

const decoder = new TextDecoder("utf-8", { fatal: true });
const ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz";

/** Makes an 8-character random id of lower-case letters and digits. */
function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let id = "";
  for (const b of bytes) id += ID_CHARS[b % 36];
  return id;
}

/**
 * Reads one note file; returns a warning instead when it is not UTF-8 or cannot be read.
 *
 * @param path Absolute path.
 * @param slug File name without `.md`.
 * @param mtime The file's mtime, if known.
 * @returns The note or a warning.
 */
export function readNoteFile(
  path: string,
  slug: string,
  mtime: Date | null,
): { note: Note } | { warning: string } {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch (error) {
    return { warning: `Cannot read "${path}": ${(error as Error).message}` };
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { warning: `Skipped "${path}": not UTF-8 text` };
  }
  return { note: parseNote(text, { path, slug, mtime }) };
}

/**
 * A notes folder.
 *
 * @example
 * ```ts
 * import { NoteStore } from "./store.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const store = new NoteStore(dir);
 * const note = await store.create({ title: "First note", tags: ["a"] });
 * assert.equal(note.slug, "first-note");
 * assert.equal((await store.resolve("first")).id, note.id);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class NoteStore {
  /** The folder. */
  readonly dir: string;
  #now: () => Date;
  #strategy: "index" | "files";
  #loaded?: LoadResult;
  #loadedBodies = false;

  /**
   * @param dir The notes folder (created on first write).
   * @param options Clock and read strategy.
   */
  constructor(dir: string, options: NoteStoreOptions = {}) {
    this.dir = dir;
    this.#now = options.now ?? DEFAULTS.now;
    this.#strategy = options.strategy ?? DEFAULTS.strategy;
  }

  /** The current time as ISO 8601. */
  now(): string {
    return this.#now().toISOString();
  }

  /**
   * Reads every note in the folder (a missing folder has none), sorted by slug. Loaded once
   * and kept; {@linkcode invalidate} forgets it.
   *
   * @param options `bodies: false` skips bodies (each is "") for commands that need only
   * metadata; `bodyFilter` loads as "" the cached bodies it rejects, for a search (such a
   * load is not kept). @default { bodies: true }
   * @returns The notes and warnings for the files skipped.
   */
  async load(options: { bodies?: boolean; bodyFilter?: BodyFilter } = {}): Promise<LoadResult> {
    const bodies = options.bodies ?? true;
    if (this.#loaded && (this.#loadedBodies || !bodies)) return this.#loaded;
    let result: LoadResult;
    try {
      result = await this.#load(bodies, options.bodyFilter);
    } catch (error) {
      if (!(error instanceof YamlParserNeeded)) throw error;
      await loadYamlParser();
      result = await this.#load(bodies, options.bodyFilter);
    }
    for (const note of result.notes) if (note.warning) result.warnings.push(note.warning);
    if (options.bodyFilter === undefined) {
      this.#loaded = result;
      this.#loadedBodies = bodies;
    }
    return result;
  }

  async #load(bodies: boolean, bodyFilter: BodyFilter | undefined): Promise<LoadResult> {
    let result: LoadResult;
    if (this.#strategy === "index") {
      result = await loadIndexed(this.dir, readNoteFile, { bodies, bodyFilter });
    } else {
      result = { notes: [], warnings: [] };
      for (const name of this.#noteNames()) {
        const slug = name.slice(0, -3);
        const path = join(this.dir, name);
        let mtime: Date | null = null;
        try {
          mtime = Deno.statSync(path).mtime;
        } catch { /* gone since listing */ }
        const read = readNoteFile(path, slug, mtime);
        if ("note" in read) result.notes.push(read.note);
        else result.warnings.push(read.warning);
      }
    }
    return result;
  }

  #noteNames(): string[] {
    try {
      return listNoteFiles(this.dir);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw error;
    }
  }

  /** Reads one note's file now; the full YAML parser is loaded only if the note needs it. */
  async #readNow(note: Note): Promise<Note> {
    let result: ReturnType<typeof readNoteFile>;
    try {
      result = readNoteFile(note.path, note.slug, null);
    } catch (error) {
      if (!(error instanceof YamlParserNeeded)) throw error;
      await loadYamlParser();
      result = readNoteFile(note.path, note.slug, null);
    }
    if ("warning" in result) throw new Error(result.warning);
    return result.note;
  }

  /** Forgets what was loaded, so the next {@linkcode load} reads the folder again. */
  invalidate(): void {
    this.#loaded = undefined;
  }

  /**
   * Finds the note a reference names: exact id, slug, title or alias first (case-insensitive),
   * then a unique prefix of one of them. Only metadata is loaded for this: the body may be
   * "" unless the folder was loaded with bodies; {@linkcode read} gets it.
   *
   * @param ref An id, slug, title, alias or a prefix of one.
   * @returns The note.
   * @throws {NoteNotFoundError} When nothing matches.
   * @throws {AmbiguousNoteError} When several notes match equally well.
   */
  async resolve(ref: string): Promise<Note> {
    const { notes } = await this.load({ bodies: false });
    return resolveNote(notes, ref);
  }

  /**
   * Reads a note's file again, body included.
   *
   * @param note The note (as listed, perhaps without its body).
   * @returns The note as it is on disk now.
   * @throws {Error} When the file cannot be read or is not UTF-8.
   */
  async read(note: Note): Promise<Note> {
    return await this.#readNow(note);
  }

  /**
   * Creates a note with a unique slug and id; never replaces an existing file.
   *
   * @param fields Title, body, tags and the rest.
   * @returns The note as written.
   */
  async create(fields: NewNote): Promise<Note> {
    const { notes } = await this.load({ bodies: false });
    await Deno.mkdir(this.dir, { recursive: true });
    const ids = new Set(notes.map((n) => n.id));
    let id = randomId();
    while (ids.has(id)) id = randomId();
    const created = fields.created ?? this.now();
    const meta: NoteMeta = {
      id,
      title: fields.title,
      created,
      updated: fields.updated ?? created,
      tags: fields.tags ?? [],
      aliases: fields.aliases ?? [],
      extra: fields.extra ?? {},
    };
    let body = fields.body ?? "";
    if (body !== "" && !body.endsWith("\n")) body += "\n";
    const text = formatNote(meta, body);
    const base = fields.slug ?? slugify(fields.title);
    const path = await this.#writeNew(base, text);
    const slug = path.slice(this.dir.length + 1, -3);
    const note: Note = { ...meta, slug, path, body: body.replace(/^\n+/, "") };
    notes.push(note);
    return note;
  }

  /** Writes `text` under the first free `<base>[-N].md`, exclusively: a hard link fails if the name exists. */
  async #writeNew(base: string, text: string): Promise<string> {
    const temp = join(this.dir, `.new-${Deno.pid}-${randomId()}.tmp`);
    await atomicWrite(temp, text);
    try {
      for (let n = 1;; n++) {
        const path = join(this.dir, `${n === 1 ? base : `${base}-${n}`}.md`);
        try {
          await Deno.link(temp, path);
          return path;
        } catch (error) {
          if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
        }
      }
    } finally {
      await Deno.remove(temp).catch(() => {});
    }
  }

  /**
   * Writes a note's metadata and body back to its file, atomically.
   *
   * @param note The note with its new fields.
   * @param options `touch` sets `updated` to now. @default { touch: true }
   * @returns The note as written.
   */
  async save(note: Note, options: { touch?: boolean } = {}): Promise<Note> {
    const saved: Note = { ...note, updated: options.touch === false ? note.updated : this.now() };
    await atomicWrite(note.path, formatNote(saved, saved.body));
    return { ...saved, body: saved.body.replace(/^\n+/, ""), warning: undefined };
  }

  /**
   * Re-reads a note under its lock, lets `change` edit it, and writes it back.
   * Two processes updating one note both land, one after the other.
   *
   * @param note The note to change.
   * @param change Returns the changed note, or undefined to leave it as it is.
   * @returns The note as written (or as read, when unchanged).
   */
  async update(note: Note, change: (note: Note) => Note | undefined): Promise<Note> {
    return await this.withLock(note.path, async () => {
      const current = await this.#readNow(note);
      if (current.warning) throw new Error(current.warning);
      const changed = change(current);
      return changed ? await this.save(changed) : current;
    });
  }

  /**
   * Runs `fn` while holding the lock file of `path` (`.kit/locks/<name>.lock`). A lock older
   * than 30 s is taken to be left by a crashed process and broken.
   *
   * @param path The file to lock.
   * @param fn The work.
   * @returns What `fn` returns.
   */
  async withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
    const dir = join(this.dir, ".kit", "locks");
    await Deno.mkdir(dir, { recursive: true });
    const lock = join(dir, `${path.slice(this.dir.length + 1).replaceAll("/", "_")}.lock`);
    for (let attempt = 0;; attempt++) {
      try {
        const file = await Deno.open(lock, { write: true, createNew: true });
        file.close();
        break;
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
        const age = Date.now() - ((await Deno.stat(lock).catch(() => null))?.mtime?.getTime() ?? 0);
        if (age > 30_000) await Deno.remove(lock).catch(() => {});
        else if (attempt > 1000) throw new NoteLockedError(path);
        else await new Promise((r) => setTimeout(r, 5 + Math.random() * 10));
      }
    }
    try {
      return await fn();
    } finally {
      await Deno.remove(lock).catch(() => {});
    }
  }

  /**
   * Moves a note to `.trash/` in the folder, or deletes it when `purge`.
   *
   * @param note The note.
   * @param options `purge` deletes instead. @default { purge: false }
   * @returns Where the note went, or undefined when purged.
   */
  async remove(note: Note, options: { purge?: boolean } = {}): Promise<string | undefined> {
    if (options.purge) {
      await Deno.remove(note.path);
      return undefined;
    }
    const trash = join(this.dir, ".trash");
    await Deno.mkdir(trash, { recursive: true });
    for (let n = 1;; n++) {
      const target = join(trash, `${n === 1 ? note.slug : `${note.slug}-${n}`}.md`);
      try {
        await Deno.lstat(target);
      } catch {
        await Deno.rename(note.path, target);
        return target;
      }
    }
  }

  /**
   * Renames a note's file to a new slug (first free `<slug>[-N].md`), keeping its content.
   *
   * @param note The note.
   * @param slug The wanted slug.
   * @returns The new path.
   */
  async moveFile(note: Note, slug: string): Promise<string> {
    if (slug === note.slug) return note.path;
    const text = await Deno.readTextFile(note.path);
    const path = await this.#writeNew(slug, text);
    await Deno.remove(note.path);
    return path;
  }
}

/**
 * Resolves a reference among `notes`: exact id, slug, title or alias (case-insensitive), then
 * a unique prefix of id, slug or title.
 *
 * @param notes The notes to look in.
 * @param ref The reference.
 * @returns The note.
 * @throws {NoteNotFoundError} When nothing matches.
 * @throws {AmbiguousNoteError} When several notes match at the best level.
 */
export function resolveNote(notes: Note[], ref: string): Note {
  const wanted = ref.trim().toLowerCase().replace(/\.md$/, "");
  if (wanted === "") throw new NoteNotFoundError(ref);
  const levels: ((n: Note) => boolean)[] = [
    (n) => n.id.toLowerCase() === wanted,
    (n) => n.slug.toLowerCase() === wanted,
    (n) => n.title.toLowerCase() === wanted,
    (n) => n.aliases.some((a) => a.toLowerCase() === wanted),
    (n) =>
      n.id.toLowerCase().startsWith(wanted) || n.slug.toLowerCase().startsWith(wanted) ||
      n.title.toLowerCase().startsWith(wanted),
  ];
  for (const matches of levels) {
    const found = notes.filter(matches);
    if (found.length === 1) return found[0];
    if (found.length > 1) throw new AmbiguousNoteError(ref, found);
  }
  throw new NoteNotFoundError(ref);
}
