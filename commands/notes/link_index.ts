/**
 * Which note a wiki link points at, and which notes point at a note.
 *
 * @module
 */

import { type Note, slugify } from "./note.ts";
import { findWikiLinks, type WikiLink } from "./wiki_link.ts";

/** An outgoing link and the note it resolves to, if any. */
export interface ResolvedLink {
  /** The link as written. */
  link: WikiLink;
  /** The note it points at; undefined for a broken link. */
  note?: Note;
}

/** A link that points at a note, and the note it is written in. */
export interface Backlink {
  /** The note holding the link. */
  from: Note;
  /** The link as written. */
  link: WikiLink;
}

/** Links found when a note was read, kept per note object so a changed copy never uses them. */
const knownLinks = new WeakMap<Note, WikiLink[] | (() => WikiLink[])>();

/**
 * Records the wiki links of a note as read, so link queries need not scan its body (which
 * may not even be loaded). Only this exact object uses them: a copy made with a new body
 * is scanned again.
 *
 * @param note A note as read from disk.
 * @param links The links in its body, or a function that makes them when first needed.
 */
export function rememberLinks(note: Note, links: WikiLink[] | (() => WikiLink[])): void {
  knownLinks.set(note, links);
}

const ASCII = /^[ -~]*$/;

function key(text: string): string {
  // NFC changes nothing in ASCII, and normalising 30,000 keys shows up in `backlinks`.
  const trimmed = text.trim();
  return (ASCII.test(trimmed) ? trimmed : trimmed.normalize("NFC")).toLowerCase();
}

/**
 * The wiki-link graph of a set of notes.
 *
 * A link target resolves, case-insensitively, against note titles first, then aliases, then
 * slugs, then ids; when several notes share a key at the same level, the first in the `notes`
 * array wins. As a last resort the slugified target is compared with slugs, so `[[hello world]]`
 * finds the note `hello-world.md`.
 *
 * Notes are told apart by `id`, so a note read again from disk (another object with the same id)
 * still finds its backlinks. Each note's body is scanned once, on first use; backlinks are built
 * for all notes together the first time any are asked for, so the whole graph costs O(total
 * links).
 *
 * @example
 * ```ts
 * import { LinkIndex } from "./link_index.ts";
 * import type { Note } from "./note.ts";
 * import assert from "node:assert/strict";
 * const note = (id: string, title: string, body: string): Note => ({
 *   id, title, body, slug: id, path: `/notes/${id}.md`, created: "", updated: "",
 *   tags: [], aliases: [], extra: {},
 * });
 * const a = note("a", "Alpha", "See [[beta]] and [[Gamma]].");
 * const b = note("b", "Beta", "Back to [[Alpha|the start]].");
 * const c = note("c", "Lonely", "Nobody links here.");
 * const index = new LinkIndex([a, b, c]);
 * assert.equal(index.resolve("BETA"), b);
 * assert.deepEqual(index.links(a).map((l) => l.note?.id), ["b", undefined]);
 * assert.deepEqual(index.backlinks(a).map((l) => l.from.id), ["b"]);
 * assert.deepEqual(index.orphans().map((n) => n.id), ["c"]);
 * ```
 */
export class LinkIndex {
  #notes: readonly Note[];
  /** One map per precedence level: title, alias, slug, id. */
  #levels: Map<string, Note>[];
  /** The last-resort level, slugified slugs; built on the first target the others miss. */
  #slugified: Map<string, Note> | undefined;
  #links = new WeakMap<Note, ResolvedLink[]>();
  /** Backlinks by the id of the note linked to. */
  #backlinks: Map<string, Backlink[]> | undefined;
  #askedOnce = false;

  /**
   * Indexes notes by title, alias, slug and id.
   *
   * @param notes The notes; their order decides ties.
   */
  constructor(notes: readonly Note[]) {
    this.#notes = notes;
    const titles = new Map<string, Note>();
    const aliases = new Map<string, Note>();
    const slugs = new Map<string, Note>();
    const ids = new Map<string, Note>();
    const add = (map: Map<string, Note>, text: string, note: Note) => {
      const k = key(text);
      if (k !== "" && !map.has(k)) map.set(k, note);
    };
    for (const note of notes) {
      add(titles, note.title, note);
      for (const alias of note.aliases) add(aliases, alias, note);
      add(slugs, note.slug, note);
      add(ids, note.id, note);
    }
    this.#levels = [titles, aliases, slugs, ids];
  }

  /** The notes, in the order given. */
  get notes(): readonly Note[] {
    return this.#notes;
  }

  /**
   * Finds the note a wiki-link target names.
   *
   * @param target The target, as in `[[target]]` (no `#heading` or `|label`).
   * @returns The note, or undefined when none matches.
   */
  resolve(target: string): Note | undefined {
    const k = key(target);
    if (k === "") return undefined;
    for (const level of this.#levels) {
      const note = level.get(k);
      if (note !== undefined) return note;
    }
    if (this.#slugified === undefined) {
      this.#slugified = new Map();
      for (const note of this.#notes) {
        const s = slugify(note.slug);
        if (s !== "" && !this.#slugified.has(s)) this.#slugified.set(s, note);
      }
    }
    return this.#slugified.get(slugify(k));
  }

  /**
   * The wiki links a note holds, each with the note it resolves to.
   *
   * @param note A note (need not be in the index; its links resolve against the index).
   * @returns The links in source order.
   */
  links(note: Note): ResolvedLink[] {
    let links = this.#links.get(note);
    if (links === undefined) {
      const known = knownLinks.get(note);
      const found = typeof known === "function" ? known() : known ?? findWikiLinks(note.body);
      links = found.map((link) => {
        const target = this.resolve(link.target);
        return target === undefined ? { link } : { link, note: target };
      });
      this.#links.set(note, links);
    }
    return links;
  }

  /**
   * The links other notes hold to this note, in the order of the notes and then of the links
   * (one entry per link, so a note linking twice appears twice). A note's links to itself are
   * left out.
   *
   * @param note A note of the index, or any note with the same id.
   * @returns The links pointing at it; empty for a note not in the index.
   */
  backlinks(note: Note): Backlink[] {
    // Asking about one note need not build the whole graph: only a link whose text could name
    // this note is resolved, which spares making an object for every link in the folder. From
    // the second question on (an export asks about every note) the graph pays for itself.
    if (this.#backlinks !== undefined || this.#askedOnce) {
      return this.#allBacklinks().get(note.id) ?? [];
    }
    this.#askedOnce = true;
    const names = new Set([note.title, ...note.aliases, note.slug, note.id].map(key));
    const slug = slugify(note.slug);
    const found: Backlink[] = [];
    for (const from of this.#notes) {
      if (from.id === note.id) continue;
      for (const link of this.#rawLinks(from)) {
        const k = key(link.target);
        const maybe = names.has(k) ||
          (slug !== "" && this.#levels.every((level) => !level.has(k)) && slugify(k) === slug);
        if (maybe && this.resolve(link.target)?.id === note.id) found.push({ from, link });
      }
    }
    return found;
  }

  #rawLinks(note: Note): WikiLink[] {
    const resolved = this.#links.get(note);
    if (resolved !== undefined) return resolved.map((r) => r.link);
    const known = knownLinks.get(note);
    return typeof known === "function" ? known() : known ?? findWikiLinks(note.body);
  }

  /**
   * The notes no other note links to (a note linking only to itself is still an orphan).
   *
   * @returns Those notes, in the order given.
   */
  orphans(): Note[] {
    const backlinks = this.#allBacklinks();
    return this.#notes.filter((note) => !backlinks.has(note.id));
  }

  #allBacklinks(): Map<string, Backlink[]> {
    if (this.#backlinks !== undefined) return this.#backlinks;
    const all = new Map<string, Backlink[]>();
    for (const from of this.#notes) {
      for (const { link, note } of this.links(from)) {
        if (note === undefined || note.id === from.id) continue;
        let list = all.get(note.id);
        if (list === undefined) all.set(note.id, list = []);
        list.push({ from, link });
      }
    }
    this.#backlinks = all;
    return all;
  }
}
