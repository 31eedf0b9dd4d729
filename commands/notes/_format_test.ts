import assert from "node:assert/strict";
import { displayWidth, palette, stripAnsi } from "../../lib/cli/color.ts";
import { formatHits, formatTable, markRanges, truncate } from "./_format.ts";
import type { Note } from "./note.ts";
import type { NoteHit } from "./search.ts";

const PLAIN = palette(false);
const COLOR = palette(true);

function note(id: string, title: string, tags: string[] = []): Note {
  return {
    id,
    title,
    tags,
    created: "2026-01-02T00:00:00.000Z",
    updated: "2026-11-26T10:00:00.000Z",
    aliases: [],
    extra: {},
    slug: id,
    path: `/n/${id}.md`,
    body: "",
  };
}

const NOTES = [
  note("ab12", "Short", ["a"]),
  note("c", "A much longer title here", ["x", "y"]),
  note("d", "No tags"),
  note("e", "日本語のタイトル", ["t"]),
];

Deno.test("truncate() cuts to a width and ends in …", async (t) => {
  const cases: [string, number, string][] = [
    ["hello world", 5, "hell…"],
    ["hello", 5, "hello"],
    ["hello", 10, "hello"],
    ["日本語", 4, "日…"],
    ["日本語", 6, "日本語"],
    ["", 3, ""],
  ];
  for (const [text, width, expected] of cases) {
    await t.step(`${text} in ${width}`, () => {
      assert.equal(truncate(text, width), expected);
      assert.ok(displayWidth(truncate(text, width)) <= width);
    });
  }
});

Deno.test("formatTable() aligns ids, dates, titles and tags", () => {
  assert.equal(
    formatTable(NOTES, { color: PLAIN }),
    [
      "ab12  2026-11-26  Short                     #a",
      "c     2026-11-26  A much longer title here  #x #y",
      "d     2026-11-26  No tags",
      "e     2026-11-26  日本語のタイトル          #t",
      "",
    ].join("\n"),
  );
});

Deno.test("formatTable() shows the created date when asked", () => {
  assert.equal(
    formatTable([note("ab", "T")], { color: PLAIN, date: "created" }),
    "ab  2026-01-02  T\n",
  );
});

Deno.test("formatTable() of no notes is empty", () => {
  assert.equal(formatTable([], { color: PLAIN }), "");
});

Deno.test("formatTable() cuts long titles to the terminal width", () => {
  const out = formatTable(
    [note("ab12", "A very long title that goes on and on and on and on"), note("c", "Short")],
    { color: PLAIN, columns: 50 },
  );
  const lines = out.trimEnd().split("\n");
  assert.equal(lines[0], "ab12  2026-11-26  A very long title that goes on …");
  assert.equal(lines[1], "c     2026-11-26  Short");
  for (const line of lines) assert.ok(displayWidth(line) <= 50, line);
});

Deno.test("formatTable() rows with tags fit the terminal at every width", () => {
  const long = {
    ...note("aaaa1111", "A very long title that goes on and on"),
    tags: ["alpha", "beta"],
  };
  const notes = [long, note("b", "Short")];
  for (let columns = 30; columns <= 120; columns++) {
    for (const line of formatTable(notes, { color: PLAIN, columns }).trimEnd().split("\n")) {
      assert.ok(displayWidth(line) <= columns, `${columns}: ${line}`);
    }
  }
  const wide = formatTable(notes, { color: PLAIN, columns: 120 });
  assert.match(wide, /A very long title that goes on and on {2}#alpha #beta\n/);
});

Deno.test("formatTable() does not cut without a terminal width", () => {
  const title = "x".repeat(300);
  assert.equal(formatTable([note("ab", title)], { color: PLAIN }), `ab  2026-11-26  ${title}\n`);
});

Deno.test("formatTable() colours only when the palette does", () => {
  const out = formatTable(NOTES, { color: COLOR });
  assert.notEqual(out, formatTable(NOTES, { color: PLAIN }));
  assert.equal(stripAnsi(out), formatTable(NOTES, { color: PLAIN }));
});

Deno.test("markRanges() marks each range and skips overlapping ones", async (t) => {
  const mark = (s: string) => `[${s}]`;
  const cases: [[number, number][], string][] = [
    [[], "abcdef"],
    [[[0, 1], [2, 4]], "[a]b[cd]ef"],
    [[[0, 6]], "[abcdef]"],
    [[[4, 6]], "abcd[ef]"],
    [[[1, 3], [2, 5]], "a[bc]def"],
  ];
  for (const [ranges, expected] of cases) {
    await t.step(JSON.stringify(ranges), () => {
      assert.equal(markRanges("abcdef", ranges, mark), expected);
    });
  }
});

const HITS: NoteHit[] = [
  {
    note: note("ab12", "Shopping"),
    score: 1,
    titleRanges: [[0, 4]],
    lines: [
      { line: 3, text: "before", ranges: [], context: true },
      { line: 4, text: "a shop here", ranges: [[2, 6]] },
      { line: 5, text: "after", ranges: [], context: true },
    ],
  },
  { note: note("d", "Shop notes"), score: 0, titleRanges: [[0, 4]], lines: [] },
];

Deno.test("formatHits() groups lines under a heading, `:` for matches and `-` for context", () => {
  assert.equal(
    formatHits(HITS, { color: PLAIN }),
    "Shopping ab12.md\n3-before\n4:a shop here\n5-after\n\nShop notes d.md\n",
  );
});

Deno.test("formatHits() marks matched ranges in colour", () => {
  const out = formatHits(HITS, { color: COLOR });
  assert.equal(stripAnsi(out), formatHits(HITS, { color: PLAIN }));
  const mark = COLOR.bold(COLOR.red("shop"));
  assert.ok(out.includes(`a ${mark} here`), JSON.stringify(out));
  assert.ok(out.includes(COLOR.green("4:")));
  assert.ok(out.includes(COLOR.green("3-")));
});

Deno.test("formatHits() cuts a long line around its first match", () => {
  const text = "x".repeat(50) + "needle" + "y".repeat(50);
  const hit: NoteHit = {
    note: note("c", "Long"),
    score: 1,
    titleRanges: [],
    lines: [{ line: 10, text, ranges: [[50, 56]] }],
  };
  const plain = formatHits([hit], { color: PLAIN, columns: 30 });
  assert.equal(plain, "Long c.md\n10:…xxxxxxxxxneedleyyyyyyyyyy…\n");
  const colored = formatHits([hit], { color: COLOR, columns: 30 });
  assert.ok(colored.includes(COLOR.bold(COLOR.red("needle"))), JSON.stringify(colored));
  assert.equal(stripAnsi(colored), plain);
});

Deno.test("formatHits() leaves short lines whole with a width", () => {
  assert.equal(
    formatHits(HITS, { color: PLAIN, columns: 80 }),
    formatHits(HITS, { color: PLAIN }),
  );
});

Deno.test("formatHits() of no hits is empty", () => {
  assert.equal(formatHits([], { color: PLAIN }), "");
});
