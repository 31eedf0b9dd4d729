import assert from "node:assert/strict";
import { join } from "node:path";
import { dailyNote, DEFAULT_DAILY_TEMPLATE, fillTemplate, isDate } from "./daily_note.ts";
import { NoteStore } from "./store.ts";

const NOW = () => new Date("2026-11-26T09:00:00.000Z");

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kit-daily-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("fillTemplate() fills date, weekday, yesterday and tomorrow", async (t) => {
  const cases: [string, string, string][] = [
    ["{{weekday}} {{date}}", "2026-11-26", "Thursday 2026-11-26"],
    ["{{yesterday}} {{tomorrow}}", "2026-03-01", "2026-02-28 2026-03-02"],
    ["{{yesterday}} {{tomorrow}}", "2024-03-01", "2024-02-29 2024-03-02"],
    ["{{yesterday}}|{{tomorrow}}", "2026-01-01", "2025-12-31|2026-01-02"],
    ["{{date}} and {{date}}", "2026-11-29", "2026-11-29 and 2026-11-29"],
    ["{{weekday}}", "2026-11-29", "Sunday"],
    ["no placeholders {{other}}", "2026-11-26", "no placeholders {{other}}"],
  ];
  for (const [template, date, expected] of cases) {
    await t.step(
      `${template} on ${date}`,
      () => assert.equal(fillTemplate(template, date), expected),
    );
  }
});

Deno.test("isDate() accepts only real YYYY-MM-DD days", async (t) => {
  const cases: [string, boolean][] = [
    ["2026-11-26", true],
    ["2024-02-29", true],
    ["2026-02-29", false],
    ["2026-13-01", false],
    ["2026-11-31", false],
    ["2026-1-01", false],
    ["26-11-26", false],
    ["2026-11-26T00:00", false],
    ["today", false],
    ["", false],
  ];
  for (const [text, expected] of cases) {
    await t.step(text || "empty", () => assert.equal(isDate(text), expected));
  }
});

Deno.test("dailyNote() makes the day's note from the default template once", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(dir, { now: NOW });
    const first = await dailyNote(store, "2026-11-26");
    assert.equal(first.created, true);
    assert.deepEqual(
      [first.note.slug, first.note.title, first.note.tags],
      ["2026-11-26", "2026-11-26", ["daily"]],
    );
    assert.equal(first.note.body, fillTemplate(DEFAULT_DAILY_TEMPLATE, "2026-11-26"));
    assert.ok(first.note.body.startsWith("# Thursday, 2026-11-26\n"));
    assert.equal(first.note.created, "2026-11-26T09:00:00.000Z");

    const again = await dailyNote(new NoteStore(dir, { now: NOW }), "2026-11-26");
    assert.equal(again.created, false);
    assert.equal(again.note.id, first.note.id);
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".md"));
    assert.deepEqual(names, ["2026-11-26.md"]);
  });
});

Deno.test("dailyNote() uses the folder's own template", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(join(dir, ".kit", "templates"), { recursive: true });
    await Deno.writeTextFile(
      join(dir, ".kit", "templates", "daily.md"),
      "Journal for {{weekday}}\n\n[[{{yesterday}}]] · [[{{tomorrow}}]]\n",
    );
    const { note, created } = await dailyNote(new NoteStore(dir, { now: NOW }), "2026-11-26");
    assert.equal(created, true);
    assert.equal(note.body, "Journal for Thursday\n\n[[2026-11-25]] · [[2026-11-27]]\n");
  });
});

Deno.test("dailyNote() finds a note titled with the date under another file name", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(dir, { now: NOW });
    const existing = await store.create({ title: "2026-11-26", slug: "thursday" });
    await store.create({ title: "2026-11-26 retro" });
    const { note, created } = await dailyNote(new NoteStore(dir, { now: NOW }), "2026-11-26");
    assert.equal(created, false);
    assert.equal(note.id, existing.id);
  });
});

Deno.test("dailyNote() does not take a note whose title only starts with the date", async () => {
  await withDir(async (dir) => {
    const store = new NoteStore(dir, { now: NOW });
    await store.create({ title: "2026-11-26 retro" });
    const { note, created } = await dailyNote(store, "2026-11-26");
    assert.equal(created, true);
    assert.equal(note.slug, "2026-11-26");
  });
});
