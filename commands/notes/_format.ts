/**
 * How `kit notes` prints notes and search hits as text. Folder-private: the CLI's printer.
 */

import { displayWidth, type Palette } from "../../lib/cli/color.ts";
import type { Note } from "./note.ts";
import type { NoteHit } from "./search.ts";

/** Cuts text to `width` columns, ending in `…` when cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return "";
  let out = "";
  for (const ch of text) {
    if (displayWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return out + "…";
}

/**
 * A table of notes: id, date, title, tags. On a terminal, titles are cut to fit `columns`.
 *
 * @param notes The notes.
 * @param options Palette, terminal width (undefined: no cutting) and which date to show.
 * @returns The text, one line per note.
 */
export function formatTable(
  notes: Note[],
  options: { color: Palette; columns?: number; date?: "updated" | "created" },
): string {
  const c = options.color;
  const date = options.date ?? "updated";
  let idWidth = 2;
  let titleWidth = 5;
  let tagsWidth = 0;
  const tagTexts = notes.map((note) => note.tags.map((t) => `#${t}`).join(" "));
  // Widths are measured once per cell: at 10,000 notes a second measure shows.
  const idWidths = new Array<number>(notes.length);
  const titleWidths = new Array<number>(notes.length);
  for (let i = 0; i < notes.length; i++) {
    idWidths[i] = displayWidth(notes[i].id);
    titleWidths[i] = displayWidth(notes[i].title);
    idWidth = Math.max(idWidth, idWidths[i]);
    titleWidth = Math.max(titleWidth, titleWidths[i]);
    tagsWidth = Math.max(tagsWidth, displayWidth(tagTexts[i]));
  }
  // On a terminal the row must fit: the title column gives way first, down to 10 columns,
  // keeping room for up to 16 columns of tags; tags are cut last.
  const room = options.columns ? Math.max(4, options.columns - idWidth - 2 - 10 - 2) : Infinity;
  const tagsRoom = tagsWidth > 0 ? Math.min(tagsWidth, 16) + 2 : 0;
  const titleColumn = Math.min(titleWidth, Math.max(Math.min(10, room), room - tagsRoom));
  const lines = new Array<string>(notes.length + 1);
  for (let i = 0; i < notes.length; i++) {
    const note = notes[i];
    let title = note.title;
    let titleW = titleWidths[i];
    let tags = tagTexts[i];
    if (room !== Infinity) {
      title = truncate(title, Math.min(titleColumn, room));
      titleW = displayWidth(title);
      const left = room - titleColumn - 2;
      tags = left >= 2 ? truncate(tags, left) : "";
    }
    const line = `${c.yellow(note.id + spaces(idWidth - idWidths[i]))}  ${
      c.dim(note[date].slice(0, 10).padEnd(10))
    }  ${
      tags ? `${c.bold(title)}${spaces(titleColumn - titleW)}  ${c.cyan(tags)}` : c.bold(title)
    }`;
    lines[i] = line.trimEnd();
  }
  lines[notes.length] = "";
  return lines.join("\n");
}

const SPACES: string[] = [];

/** `n` spaces (none for n <= 0), from a cache: most rows need the same few paddings. */
function spaces(n: number): string {
  if (n <= 0) return "";
  return SPACES[n] ??= " ".repeat(n);
}

/**
 * Marks `ranges` of `text` with `mark`.
 *
 * @param text The text.
 * @param ranges [start, end) ranges, ascending and not overlapping.
 * @param mark The style for a matched run.
 * @returns The marked text.
 */
export function markRanges(
  text: string,
  ranges: [number, number][],
  mark: (s: string) => string,
): string {
  if (ranges.length === 0) return text;
  let out = "";
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at) continue;
    out += text.slice(at, start) + mark(text.slice(start, end));
    at = end;
  }
  return out + text.slice(at);
}

/**
 * Search hits as text, grouped under each note's title (like `rg --heading`):
 * `LINE:text` for matching lines and `LINE-text` for context lines.
 *
 * @param hits The hits.
 * @param options Palette and the terminal width (undefined: lines are not cut).
 * @returns The text.
 */
export function formatHits(hits: NoteHit[], options: { color: Palette; columns?: number }): string {
  const c = options.color;
  const mark = (s: string) => c.bold(c.red(s));
  const parts: string[] = [];
  for (const hit of hits) {
    let block = `${c.bold(c.magenta(markRanges(hit.note.title, hit.titleRanges, mark)))} ${
      c.dim(`${hit.note.slug}.md`)
    }\n`;
    for (const line of hit.lines) {
      const number = `${line.line}${line.context ? "-" : ":"}`;
      let text = line.text;
      let ranges = line.ranges;
      if (options.columns && displayWidth(text) > options.columns - number.length) {
        const cut = cutAround(line.text, line.ranges, options.columns - number.length);
        text = cut.text;
        ranges = line.ranges.map(([s, e]): [number, number] => [s + cut.shift, e + cut.shift])
          .filter(([s, e]) => s >= 0 && e <= text.length);
      }
      block += `${c.green(number)}${markRanges(text, ranges, mark)}\n`;
    }
    parts.push(block);
  }
  return parts.join("\n");
}

/** A window of `text` around its first match, and how far ranges move into it. */
function cutAround(
  text: string,
  ranges: [number, number][],
  width: number,
): { text: string; shift: number } {
  const first = ranges[0]?.[0] ?? 0;
  const start = Math.max(0, first - Math.floor(width / 3));
  const slice = text.slice(start, start + width - 2);
  const lead = start > 0 ? "…" : "";
  return {
    text: lead + slice + (start + width - 2 < text.length ? "…" : ""),
    shift: lead.length - start,
  };
}
