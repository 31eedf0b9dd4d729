/**
 * The conditions `kit notes` callers catch.
 *
 * @module
 */

import type { Note } from "./note.ts";

/** No note answers to a reference. */
export class NoteNotFoundError extends Error {
  override name = "NoteNotFoundError";
  /** The reference that matched nothing. */
  readonly ref: string;

  /** @param ref The id, slug, title or prefix asked for. */
  constructor(ref: string) {
    super(`No note matches "${ref}"`);
    this.ref = ref;
  }
}

/** More than one note answers to a reference. */
export class AmbiguousNoteError extends Error {
  override name = "AmbiguousNoteError";
  /** The reference. */
  readonly ref: string;
  /** The notes it could mean. */
  readonly candidates: Note[];

  /**
   * @param ref The id, slug, title or prefix asked for.
   * @param candidates The notes it matches.
   */
  constructor(ref: string, candidates: Note[]) {
    super(`"${ref}" matches ${candidates.length} notes`);
    this.ref = ref;
    this.candidates = candidates;
  }
}

/** Another process holds a note's lock for too long. */
export class NoteLockedError extends Error {
  override name = "NoteLockedError";

  /** @param path The note file. */
  constructor(path: string) {
    super(`Cannot lock "${path}": another kit process is writing it`);
  }
}
