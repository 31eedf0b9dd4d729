/**
 * `kit notes`: markdown notes on disk.
 *
 * Stage one (`parseArgs` over `spec`) turns argv into plain values and picks a handler;
 * stage two builds the store and palette and runs it. The library does the work; this file only prints.
 *
 * @module
 */

import { join, resolve } from "../../lib/fs/path.ts";
import { type ColorMode, type Palette, palette, useColor } from "../../lib/cli/color.ts";
import { type CommandSpec, parseArgs } from "../../lib/cli/args.ts";
import { answerHelp, ExitSignal, guard } from "../../lib/cli/command.ts";
import { CliError, ExitCode } from "../../lib/cli/error.ts";
import { type Io, readAllText } from "../../lib/cli/io.ts";
import { writeJsonLines } from "../../lib/cli/json.ts";
import { Progress } from "../../lib/cli/progress.ts";
import { promptText } from "../../lib/cli/prompt.ts";
import { dataDir } from "../../lib/fs/dirs.ts";
import { openEditor, page } from "../../lib/cli/editor.ts";
import { formatHits, formatTable } from "./_format.ts";
import { dailyNote, isDate } from "./daily_note.ts";
import { AmbiguousNoteError, NoteNotFoundError } from "./errors.ts";
import { LinkIndex } from "./link_index.ts";
import type { Note } from "./note.ts";
import { renameNote } from "./rename_note.ts";
import { isCaseSensitive, QueryError, type SearchMode, searchNotes } from "./search.ts";
import { substringFilter } from "./body_filter.ts";
import type { BodyFilter } from "./note_index.ts";
import { NoteStore } from "./store.ts";

interface Context {
  io: Io;
  store: NoteStore;
  color: Palette;
  /** Colour for stderr. */
  errColor: Palette;
}

const TOOL = "notes";

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new CliError(`"${value}" is not a whole number`);
  }
  return n;
}

const NOTE_ARG = {
  name: "note",
  description: "id, slug, title, alias or a unique prefix",
  required: true,
};
const JSON_FLAG = { flags: "--json", description: "JSON lines" };

/** The command tree of `kit notes`: parsing, help and completions all come from it. */
export const spec: CommandSpec = {
  name: TOOL,
  aliases: ["rumble"],
  description: "Markdown notes with frontmatter, tags and wiki links",
  options: [
    {
      flags: "--dir <dir>",
      description: "notes folder (default: $KIT_NOTES_DIR or $XDG_DATA_HOME/kit/notes)",
    },
    {
      flags: "--color <when>",
      description: "colour: auto, always or never",
      default: "auto",
      choices: ["auto", "always", "never"],
    },
  ],
  footer: `A note is named by its id, slug, title, alias, or a unique prefix of one of them.

Examples:
  kit notes new "Reading list" --tag books --body "- Dune"
  kit notes list --tag books
  kit notes search dune
  kit notes show reading`,
  commands: [
    {
      name: "new",
      description: "create a note (opens $EDITOR on a terminal when no body is given)",
      arguments: [{ name: "title", description: "the title", variadic: true }],
      options: [
        { flags: "-t, --tag <tag>", description: "add a tag (repeatable)", repeat: true },
        { flags: "-b, --body <text>", description: "the body; - reads standard input" },
        { flags: "--alias <alias>", description: "add an alias (repeatable)", repeat: true },
      ],
    },
    {
      name: "list",
      aliases: ["ls"],
      description: "list notes, newest first",
      options: [
        {
          flags: "-s, --sort <field>",
          description: "updated, created or title",
          default: "updated",
          choices: ["updated", "created", "title"],
        },
        { flags: "-r, --reverse", description: "reverse the order" },
        {
          flags: "-t, --tag <tag>",
          description: "only notes with this tag (repeatable; all must match)",
          repeat: true,
        },
        { flags: "-n, --limit <n>", description: "show at most n notes", parse: wholeNumber },
        JSON_FLAG,
      ],
    },
    {
      name: "search",
      aliases: ["grep"],
      description: "search titles and bodies (smart-case substring by default)",
      arguments: [{
        name: "query",
        description: "what to look for",
        required: true,
        variadic: true,
      }],
      options: [
        { flags: "-e, --regex", description: "the query is a regular expression" },
        { flags: "-f, --fuzzy", description: "fuzzy match, best first" },
        { flags: "-s, --case-sensitive", description: "match case exactly" },
        { flags: "-i, --ignore-case", description: "ignore case" },
        {
          flags: "-t, --tag <tag>",
          description: "only notes with this tag (repeatable)",
          repeat: true,
        },
        {
          flags: "-C, --context <n>",
          description: "lines of context around a match",
          default: 1,
          parse: wholeNumber,
        },
        { flags: "-l, --files", description: "print only the paths of matching notes" },
        { flags: "-n, --limit <n>", description: "show at most n notes", parse: wholeNumber },
        JSON_FLAG,
      ],
    },
    {
      name: "show",
      aliases: ["cat"],
      description: "show a note rendered for the terminal",
      arguments: [NOTE_ARG],
      options: [
        { flags: "--raw", description: "print the file as it is" },
        { flags: "--json", description: "the note as JSON" },
      ],
    },
    { name: "edit", description: "open a note in $VISUAL or $EDITOR", arguments: [NOTE_ARG] },
    {
      name: "tag",
      description: "add or remove tags: tag NOTE add|rm TAG...",
      arguments: [
        NOTE_ARG,
        { name: "action", description: "add or rm", required: true },
        { name: "tags", description: "tags", required: true, variadic: true },
      ],
    },
    { name: "tags", description: "all tags with their counts", options: [JSON_FLAG] },
    {
      name: "rm",
      description: "move a note to the trash (.trash in the notes folder)",
      arguments: [NOTE_ARG],
      options: [{ flags: "--purge", description: "delete it for good" }],
    },
    {
      name: "mv",
      description: "rename a note and rewrite the [[links]] to it",
      arguments: [NOTE_ARG, {
        name: "title",
        description: "the new title",
        required: true,
        variadic: true,
      }],
    },
    {
      name: "daily",
      description: "the day's journal note, made from a template on first use",
      options: [
        { flags: "-d, --date <date>", description: "the day, YYYY-MM-DD (default: today)" },
        { flags: "--print", description: "print the path instead of opening the editor" },
      ],
    },
    {
      name: "links",
      description: "the [[links]] in a note and where they lead",
      arguments: [NOTE_ARG],
      options: [JSON_FLAG],
    },
    {
      name: "backlinks",
      description: "the notes that link to a note",
      arguments: [NOTE_ARG],
      options: [JSON_FLAG],
    },
    { name: "orphans", description: "notes no other note links to", options: [JSON_FLAG] },
    {
      name: "export",
      description: "export notes as standalone HTML pages",
      arguments: [{ name: "notes", description: "notes to export (default: all)", variadic: true }],
      options: [
        { flags: "--html", description: "HTML pages (the only format)" },
        { flags: "-o, --out <dir>", description: "output folder" },
        { flags: "--title <title>", description: "title of the index page", default: "Notes" },
      ],
    },
    {
      name: "sync",
      description: "two-way sync with another notes folder",
      arguments: [{ name: "dir", description: "the other folder", required: true }],
      options: [
        { flags: "-n, --dry-run", description: "show what would change, change nothing" },
        JSON_FLAG,
      ],
    },
    {
      name: "import",
      description: "make notes of plain markdown files (the originals are not touched)",
      arguments: [{
        name: "dir",
        description: "folder of .md, .markdown or .txt files",
        required: true,
      }],
      options: [{
        flags: "-t, --tag <tag>",
        description: "tag every imported note (repeatable)",
        repeat: true,
      }],
    },
  ],
};

// deno-lint-ignore no-explicit-any
type Options = Record<string, any>;
type Args = (string | string[] | undefined)[];

const HANDLERS: Record<string, (ctx: Context, args: Args, opts: Options) => Promise<number>> = {
  new: (ctx, [title], opts) => cmdNew(ctx, (title as string[]).join(" "), opts as NewFlags),
  list: (ctx, _, opts) => cmdList(ctx, opts as ListFlags),
  search: (ctx, [query], opts) =>
    cmdSearch(ctx, (query as string[]).join(" "), opts as SearchFlags),
  show: (ctx, [ref], opts) => cmdShow(ctx, ref as string, opts),
  edit: (ctx, [ref]) => cmdEdit(ctx, ref as string),
  tag: (ctx, [ref, action, tags]) => cmdTag(ctx, ref as string, action as string, tags as string[]),
  tags: (ctx, _, opts) => cmdTags(ctx, opts),
  rm: (ctx, [ref], opts) => cmdRm(ctx, ref as string, opts),
  mv: (ctx, [ref, title]) => cmdMv(ctx, ref as string, (title as string[]).join(" ")),
  daily: (ctx, _, opts) => cmdDaily(ctx, opts),
  links: (ctx, [ref], opts) => cmdLinks(ctx, ref as string, opts),
  backlinks: (ctx, [ref], opts) => cmdBacklinks(ctx, ref as string, opts),
  orphans: (ctx, _, opts) => cmdOrphans(ctx, opts),
  export: (ctx, [refs], opts) => cmdExport(ctx, refs as string[], opts as ExportFlags),
  sync: (ctx, [dir], opts) => cmdSync(ctx, dir as string, opts),
  import: (ctx, [dir], opts) => cmdImport(ctx, dir as string, opts as { tag: string[] }),
};

/**
 * Runs `kit notes`.
 *
 * @param args Arguments after `notes`.
 * @param io Streams and environment.
 * @returns The exit code.
 */
export async function main(args: string[], io: Io): Promise<number> {
  return await guard(TOOL, io, async () => {
    const parsed = parseArgs(spec, args);
    const helped = await answerHelp(io, spec, parsed);
    if (helped !== null) return helped;
    const opts = parsed.options;
    const mode = opts.color as ColorMode;
    const dir = resolve(
      io.cwd,
      dataDir("notes", {
        env: io.env,
        flag: opts.dir as string | undefined,
        envVar: "KIT_NOTES_DIR",
      }),
    );
    const ctx: Context = {
      io,
      store: new NoteStore(dir, { now: io.now }),
      color: palette(useColor({ mode, isTerminal: io.isTerminal.stdout, env: io.env })),
      errColor: palette(useColor({ mode, isTerminal: io.isTerminal.stderr, env: io.env })),
    };
    try {
      return await HANDLERS[parsed.path[0]](ctx, parsed.args, opts);
    } catch (error) {
      throw await explain(ctx, error);
    }
  });
}

/** Turns library errors into CLI errors with the right exit code and hint. */
async function explain(ctx: Context, error: unknown): Promise<unknown> {
  if (error instanceof NoteNotFoundError) {
    return new CliError(error.message, {
      exitCode: ExitCode.NotFound,
      hint: "see 'kit notes list'",
    });
  }
  if (error instanceof AmbiguousNoteError) {
    await ctx.io.stderr.write(`kit notes: error: ${error.message}:\n`);
    await ctx.io.stderr.write(formatTable(error.candidates, { color: ctx.errColor }));
    return new ExitSignal(ExitCode.Usage);
  }
  if (error instanceof QueryError) return new CliError(error.message);
  return error;
}

async function warn(ctx: Context, warnings: string[]): Promise<void> {
  for (const w of warnings) {
    await ctx.io.stderr.write(`${ctx.errColor.yellow("kit notes: warning:")} ${w}\n`);
  }
}

async function loadNotes(
  ctx: Context,
  options: { bodies?: boolean; bodyFilter?: BodyFilter } = {},
): Promise<Note[]> {
  const { notes, warnings } = await ctx.store.load(options);
  await warn(ctx, warnings);
  return notes;
}

function noteJson(note: Note): Record<string, unknown> {
  return {
    id: note.id,
    slug: note.slug,
    title: note.title,
    path: note.path,
    created: note.created,
    updated: note.updated,
    tags: note.tags,
    aliases: note.aliases,
  };
}

function columns(ctx: Context): number | undefined {
  return ctx.io.isTerminal.stdout ? ctx.io.columns : undefined;
}

interface NewFlags {
  tag: string[];
  body?: string;
  alias: string[];
}

async function cmdNew(ctx: Context, title: string, opts: NewFlags): Promise<number> {
  const { io } = ctx;
  if (title.trim() === "") {
    title = (await promptText(io, "Title:"))?.trim() ?? "";
    if (title === "") {
      throw new CliError("A new note needs a title", { hint: 'kit notes new "My title"' });
    }
  }
  let body = opts.body;
  if (body === "-") body = await readAllText(io.stdin);
  const editAfter = body === undefined && io.isTerminal.stdin && io.isTerminal.stdout;
  const note = await ctx.store.create({
    title: title.trim(),
    body: body ?? `# ${title.trim()}\n\n`,
    tags: opts.tag.map((t) => t.replace(/^#/, "")),
    aliases: opts.alias,
  });
  if (editAfter) await editNote(ctx, note);
  await io.stdout.write(`${note.path}\n`);
  return ExitCode.Ok;
}

interface ListFlags {
  sort: string;
  reverse?: boolean;
  tag: string[];
  limit?: number;
  json?: boolean;
}

async function cmdList(ctx: Context, opts: ListFlags): Promise<number> {
  let notes = await loadNotes(ctx, { bodies: false });
  const tags = opts.tag.map((t) => t.replace(/^#/, "").toLowerCase());
  if (tags.length > 0) {
    notes = notes.filter((n) => tags.every((t) => n.tags.some((x) => x.toLowerCase() === t)));
  }
  const key = opts.sort as "updated" | "created" | "title";
  notes = sortNotes(notes, key);
  if (opts.reverse) notes.reverse();
  if (opts.limit !== undefined) notes = notes.slice(0, opts.limit);
  if (opts.json) {
    await writeJsonLines(ctx.io, notes.map(noteJson));
  } else {
    await ctx.io.stdout.write(
      formatTable(notes, {
        color: ctx.color,
        columns: columns(ctx),
        date: key === "created" ? "created" : "updated",
      }),
    );
  }
  return ExitCode.Ok;
}

/** Newest first for dates, A to Z for titles; ties by slug. */
function sortNotes(notes: Note[], key: "updated" | "created" | "title"): Note[] {
  if (key === "title") {
    const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
    const keyed = notes.map((note) => ({ note, title: note.title }));
    return keyed.sort((a, b) =>
      collator.compare(a.title, b.title) || (a.note.slug < b.note.slug ? -1 : 1)
    )
      .map((k) => k.note);
  }
  // Comparing the dates as strings is right for ISO 8601 in UTC, which kit writes.
  const keyed = notes.map((note) => ({ note, at: note[key] }));
  return keyed.sort((a, b) =>
    a.at < b.at
      ? 1
      : a.at > b.at
      ? -1
      : a.note.slug < b.note.slug
      ? -1
      : a.note.slug > b.note.slug
      ? 1
      : 0
  ).map((k) => k.note);
}

interface SearchFlags {
  regex?: boolean;
  fuzzy?: boolean;
  caseSensitive?: boolean;
  ignoreCase?: boolean;
  tag: string[];
  context: number;
  files?: boolean;
  limit?: number;
  json?: boolean;
}

async function cmdSearch(ctx: Context, query: string, opts: SearchFlags): Promise<number> {
  if (opts.regex && opts.fuzzy) throw new CliError("Choose one of --regex and --fuzzy");
  const mode: SearchMode = opts.fuzzy ? "fuzzy" : opts.regex ? "regex" : "substring";
  const caseSensitive = opts.caseSensitive ? true : opts.ignoreCase ? false : undefined;
  // A substring can be looked for in the cached bytes, so only bodies holding it are decoded.
  const bodyFilter = mode === "substring"
    ? substringFilter(query, isCaseSensitive(query, caseSensitive))
    : undefined;
  const notes = await loadNotes(ctx, { bodyFilter });
  let hits = searchNotes(notes, query, {
    mode,
    caseSensitive,
    tags: opts.tag.map((t) => t.replace(/^#/, "")),
    context: opts.context,
  });
  if (opts.limit !== undefined) hits = hits.slice(0, opts.limit);
  if (opts.json) {
    await writeJsonLines(
      ctx.io,
      hits.map((h) => ({
        ...noteJson(h.note),
        score: h.score,
        titleRanges: h.titleRanges,
        lines: h.lines,
      })),
    );
  } else if (opts.files) {
    await ctx.io.stdout.write(hits.map((h) => `${h.note.path}\n`).join(""));
  } else {
    await ctx.io.stdout.write(formatHits(hits, { color: ctx.color, columns: columns(ctx) }));
  }
  return hits.length > 0 ? ExitCode.Ok : ExitCode.NotFound;
}

async function cmdShow(ctx: Context, ref: string, opts: { raw?: boolean; json?: boolean }) {
  const notes = await loadNotes(ctx, { bodies: false });
  const note = await ctx.store.read(await ctx.store.resolve(ref));
  if (opts.json) {
    await ctx.io.stdout.write(JSON.stringify({ ...noteJson(note), body: note.body }) + "\n");
    return ExitCode.Ok;
  }
  if (opts.raw) {
    await ctx.io.stdout.write(await Deno.readFile(note.path));
    return ExitCode.Ok;
  }
  const { renderTerminal } = await import("./render_terminal.ts");
  const index = new LinkIndex(notes);
  const c = ctx.color;
  const meta = [note.id, note.updated.slice(0, 10), ...note.tags.map((t) => `#${t}`)].join("  ");
  const width = Math.min(ctx.io.isTerminal.stdout ? ctx.io.columns : 80, 100);
  const body = renderTerminal(note.body, {
    color: c.enabled,
    width,
    linkExists: (target) => index.resolve(target) !== undefined,
  });
  const header = /^\s*#\s/.test(note.body)
    ? c.dim(meta) + "\n\n"
    : `${c.bold(c.underline(note.title))}\n${c.dim(meta)}\n\n`;
  await page(ctx.io, header + body);
  return ExitCode.Ok;
}

async function editNote(ctx: Context, note: Note): Promise<Note> {
  const before = await Deno.readTextFile(note.path);
  await openEditor(ctx.io, note.path);
  let after: string;
  try {
    after = await Deno.readTextFile(note.path);
  } catch {
    throw new CliError(`The note "${note.path}" is gone after editing`);
  }
  if (after === before) return note;
  ctx.store.invalidate();
  const saved = await ctx.store.update(note, (n) => n).catch(async (error: Error) => {
    await warn(ctx, [`${error.message}; the file is kept as you wrote it`]);
    return note;
  });
  return saved;
}

async function cmdEdit(ctx: Context, ref: string): Promise<number> {
  await loadNotes(ctx, { bodies: false });
  const note = await ctx.store.resolve(ref);
  await editNote(ctx, note);
  return ExitCode.Ok;
}

async function cmdTag(ctx: Context, ref: string, action: string, tags: string[]): Promise<number> {
  if (action !== "add" && action !== "rm") {
    throw new CliError(`tag takes add or rm, not "${action}"`, {
      hint: "kit notes tag NOTE add TAG",
    });
  }
  const clean = tags.map((t) => t.replace(/^#/, "").trim()).filter((t) => t !== "");
  await loadNotes(ctx, { bodies: false });
  const note = await ctx.store.resolve(ref);
  const saved = await ctx.store.update(note, (n) => {
    const current = new Set(n.tags);
    const before = current.size;
    for (const t of clean) action === "add" ? current.add(t) : current.delete(t);
    if (current.size === before && clean.every((t) => n.tags.includes(t) === (action === "add"))) {
      return undefined;
    }
    return { ...n, tags: [...current] };
  });
  await ctx.io.stdout.write(`${saved.tags.map((t) => `#${t}`).join(" ")}\n`);
  return ExitCode.Ok;
}

async function cmdTags(ctx: Context, opts: { json?: boolean }): Promise<number> {
  const counts = new Map<string, number>();
  for (const note of await loadNotes(ctx, { bodies: false })) {
    for (const tag of new Set(note.tags)) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  }
  const rows = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (opts.json) {
    await writeJsonLines(ctx.io, rows.map(([tag, count]) => ({ tag, count })));
  } else {
    const width = Math.max(1, ...rows.map(([, n]) => String(n).length));
    await ctx.io.stdout.write(
      rows.map(([tag, n]) => `${String(n).padStart(width)}  ${ctx.color.cyan(`#${tag}`)}\n`).join(
        "",
      ),
    );
  }
  return ExitCode.Ok;
}

async function cmdRm(ctx: Context, ref: string, opts: { purge?: boolean }): Promise<number> {
  await loadNotes(ctx, { bodies: false });
  const note = await ctx.store.resolve(ref);
  const where = await ctx.store.remove(note, opts);
  await ctx.io.stderr.write(
    where ? `Moved "${note.title}" to ${where}\n` : `Deleted "${note.title}" (${note.path})\n`,
  );
  return ExitCode.Ok;
}

async function cmdMv(ctx: Context, ref: string, title: string): Promise<number> {
  if (title.trim() === "") throw new CliError("mv needs a new title");
  await loadNotes(ctx);
  const note = await ctx.store.resolve(ref);
  const { note: renamed, rewritten } = await renameNote(ctx.store, note, title.trim());
  await ctx.io.stdout.write(`${renamed.path}\n`);
  if (rewritten.length > 0) {
    await ctx.io.stderr.write(
      `Rewrote links in ${rewritten.length} note${rewritten.length === 1 ? "" : "s"}\n`,
    );
  }
  return ExitCode.Ok;
}

async function cmdDaily(ctx: Context, opts: { date?: string; print?: boolean }): Promise<number> {
  const date = opts.date ?? localDate(ctx.io.now());
  if (!isDate(date)) throw new CliError(`"${date}" is not a date`, { hint: "use YYYY-MM-DD" });
  await loadNotes(ctx, { bodies: false });
  const { note, created } = await dailyNote(ctx.store, date);
  if (created) await ctx.io.stderr.write(`Created ${note.path}\n`);
  if (!opts.print && ctx.io.isTerminal.stdin && ctx.io.isTerminal.stdout) {
    await editNote(ctx, note);
  } else {
    await ctx.io.stdout.write(`${note.path}\n`);
  }
  return ExitCode.Ok;
}

function localDate(now: Date): string {
  const offset = now.getTimezoneOffset() * 60_000;
  return new Date(now.getTime() - offset).toISOString().slice(0, 10);
}

async function cmdLinks(ctx: Context, ref: string, opts: { json?: boolean }): Promise<number> {
  const notes = await loadNotes(ctx, { bodies: false });
  const note = await ctx.store.resolve(ref);
  const links = new LinkIndex(notes).links(note);
  if (opts.json) {
    await writeJsonLines(
      ctx.io,
      links.map(({ link, note: to }) => ({
        target: link.target,
        label: link.label ?? null,
        note: to ? noteJson(to) : null,
      })),
    );
  } else {
    const c = ctx.color;
    await ctx.io.stdout.write(
      links.map(({ link, note: to }) =>
        to
          ? `[[${link.target}]] → ${c.bold(to.title)} ${c.dim(`${to.slug}.md`)}\n`
          : `[[${link.target}]] ${c.red("✗ broken: no such note")}\n`
      ).join(""),
    );
  }
  return ExitCode.Ok;
}

async function cmdBacklinks(ctx: Context, ref: string, opts: { json?: boolean }): Promise<number> {
  const notes = await loadNotes(ctx, { bodies: false });
  const note = await ctx.store.resolve(ref);
  const seen = new Set<string>();
  const from = new LinkIndex(notes).backlinks(note).map((b) => b.from)
    .filter((n) => !seen.has(n.path) && seen.add(n.path));
  await printNotes(ctx, from, opts);
  return ExitCode.Ok;
}

async function cmdOrphans(ctx: Context, opts: { json?: boolean }): Promise<number> {
  const notes = await loadNotes(ctx, { bodies: false });
  await printNotes(ctx, new LinkIndex(notes).orphans(), opts);
  return ExitCode.Ok;
}

async function printNotes(ctx: Context, notes: Note[], opts: { json?: boolean }): Promise<void> {
  if (opts.json) await writeJsonLines(ctx.io, notes.map(noteJson));
  else await ctx.io.stdout.write(formatTable(notes, { color: ctx.color, columns: columns(ctx) }));
}

interface ExportFlags {
  html?: boolean;
  out?: string;
  title: string;
}

async function cmdExport(ctx: Context, refs: string[], opts: ExportFlags): Promise<number> {
  if (!opts.html) {
    throw new CliError("Choose an export format", { hint: "kit notes export --html --out DIR" });
  }
  if (!opts.out) throw new CliError("export needs --out DIR");
  const notes = await loadNotes(ctx);
  const chosen = refs.length === 0
    ? notes
    : await Promise.all(refs.map((r) => ctx.store.resolve(r)));
  const { exportHtml } = await import("./export_html.ts");
  const progress = new Progress(ctx.io, { label: "Exporting", total: chosen.length });
  const outDir = resolve(ctx.io.cwd, opts.out);
  const result = await exportHtml(chosen, {
    outDir,
    title: opts.title,
    allNotes: notes,
    onProgress: (done) => void progress.set(done),
  });
  await progress.done();
  await ctx.io.stderr.write(
    `Exported ${result.pages} note${result.pages === 1 ? "" : "s"} to ${
      join(outDir, "index.html")
    }\n`,
  );
  return ExitCode.Ok;
}

async function cmdSync(
  ctx: Context,
  dir: string,
  opts: { dryRun?: boolean; json?: boolean },
): Promise<number> {
  const { syncFolders } = await import("./sync.ts");
  await Deno.mkdir(ctx.store.dir, { recursive: true });
  const report = await syncFolders(ctx.store.dir, resolve(ctx.io.cwd, dir), {
    dryRun: opts.dryRun,
    now: ctx.io.now,
  });
  const actions = report.actions.filter((a) => a.kind !== "unchanged");
  if (opts.json) {
    await writeJsonLines(ctx.io, actions);
  } else {
    await ctx.io.stdout.write(
      actions.map((a) =>
        `${a.kind.padEnd(14)} ${a.name}${
          a.conflictName ? ` (other version: ${a.conflictName})` : ""
        }\n`
      ).join(""),
    );
    await ctx.io.stderr.write(
      `${opts.dryRun ? "Would make" : "Made"} ${actions.length} change${
        actions.length === 1 ? "" : "s"
      }\n`,
    );
  }
  return ExitCode.Ok;
}

async function cmdImport(ctx: Context, dir: string, opts: { tag: string[] }): Promise<number> {
  const { importNotes } = await import("./import_notes.ts");
  await loadNotes(ctx, { bodies: false });
  const result = await importNotes(ctx.store, resolve(ctx.io.cwd, dir), { tags: opts.tag });
  await ctx.io.stdout.write(result.notes.map((n) => `${n.path}\n`).join(""));
  await warn(ctx, result.warnings);
  await ctx.io.stderr.write(
    `Imported ${result.notes.length} note${result.notes.length === 1 ? "" : "s"}${
      result.warnings.length ? `, skipped ${result.warnings.length}` : ""
    }\n`,
  );
  return result.warnings.length > 0 ? ExitCode.Usage : ExitCode.Ok;
}
