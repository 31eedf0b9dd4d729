/**
 * The journal note of a day, made from a template the first time it is asked for.
 *
 * @module
 */

import { join } from "../../lib/fs/path.ts";
import type { Note } from "./note.ts";
import type { NoteStore } from "./store.ts";
import { resolveNote } from "./store.ts";
import { NoteNotFoundError } from "./errors.ts";

/** The template used when `.kit/templates/daily.md` does not exist. */
export const DEFAULT_DAILY_TEMPLATE =
  "# {{weekday}}, {{date}}\n\n## Tasks\n\n- [ ] \n\n## Notes\n\n";

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/**
 * Fills `{{date}}`, `{{weekday}}`, `{{yesterday}}` and `{{tomorrow}}` in a template.
 *
 * @example
 * ```ts
 * import { fillTemplate } from "./daily_note.ts";
 * import assert from "node:assert/strict";
 * assert.equal(fillTemplate("{{weekday}} {{date}} [[{{yesterday}}]]", "2026-11-26"), "Thursday 2026-11-26 [[2026-11-25]]");
 * ```
 *
 * @param template The template text.
 * @param date The day, YYYY-MM-DD.
 * @returns The filled text.
 */
export function fillTemplate(template: string, date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  const shift = (days: number) =>
    new Date(day.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  return template.replaceAll("{{date}}", date)
    .replaceAll("{{weekday}}", WEEKDAYS[day.getUTCDay()])
    .replaceAll("{{yesterday}}", shift(-1))
    .replaceAll("{{tomorrow}}", shift(1));
}

/** Checks a YYYY-MM-DD date. */
export function isDate(text: string): boolean {
  if (!/^\d{4}-\d\d-\d\d$/.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}

/**
 * Finds the day's note (slug and title `YYYY-MM-DD`, tag `daily`), creating it from the
 * template on first use.
 *
 * @param store The notes folder.
 * @param date The day, YYYY-MM-DD.
 * @returns The note and whether it was created now.
 */
export async function dailyNote(
  store: NoteStore,
  date: string,
): Promise<{ note: Note; created: boolean }> {
  const { notes } = await store.load({ bodies: false });
  try {
    const found = resolveNote(notes.filter((n) => n.slug === date || n.title === date), date);
    return { note: found, created: false };
  } catch (error) {
    if (!(error instanceof NoteNotFoundError)) throw error;
  }
  let template = DEFAULT_DAILY_TEMPLATE;
  try {
    template = await Deno.readTextFile(join(store.dir, ".kit", "templates", "daily.md"));
  } catch { /* no template of the user's: the default */ }
  const note = await store.create({
    title: date,
    slug: date,
    body: fillTemplate(template, date),
    tags: ["daily"],
  });
  return { note, created: true };
}
