import assert from "node:assert/strict";
import type { Note } from "./note.ts";
import { type NoteHit, QueryError, searchNotes } from "./search.ts";

function note(slug: string, body: string, fields: Partial<Note> = {}): Note {
  return {
    id: slug,
    title: slug,
    created: "",
    updated: "",
    tags: [],
    aliases: [],
    extra: {},
    slug,
    path: `/n/${slug}.md`,
    body,
    bodyLine: 1,
    ...fields,
  };
}

/** Each hit as slug and its lines as `LINE:text` or `LINE-text`. */
function summary(hits: NoteHit[]): [string, string[]][] {
  return hits.map((h) => [
    h.note.slug,
    h.lines.map((l) => `${l.line}${l.context ? "-" : ":"}${l.text}`),
  ]);
}

const FRUIT = [
  note("lower", "an apple a day\n"),
  note("upper", "Apple pie\n"),
  note("none", "bananas only\n"),
];

Deno.test("searchNotes() uses smart case unless told otherwise", async (t) => {
  const cases: [string, string, boolean | undefined, string[]][] = [
    ["lower-case query ignores case", "apple", undefined, ["lower", "upper"]],
    ["upper-case query is exact", "Apple", undefined, ["upper"]],
    ["-i ignores case of an upper-case query", "APPLE", false, ["lower", "upper"]],
    ["-s makes a lower-case query exact", "apple", true, ["lower"]],
  ];
  for (const [name, query, caseSensitive, slugs] of cases) {
    await t.step(name, () => {
      assert.deepEqual(
        searchNotes(FRUIT, query, { caseSensitive }).map((h) => h.note.slug),
        slugs,
      );
    });
  }
});

Deno.test("searchNotes() finds substrings literally, with every range on the line", () => {
  const notes = [note("a", "1+1=2 and 1+1 again\nno\n"), note("b", "11\n")];
  const hits = searchNotes(notes, "1+1");
  assert.deepEqual(summary(hits), [["a", ["1:1+1=2 and 1+1 again"]]]);
  assert.deepEqual(hits[0].lines[0].ranges, [[0, 3], [10, 13]]);
  assert.equal(hits[0].score, 1);
});

Deno.test("searchNotes() reads a regex with case flags and unicode", async (t) => {
  const notes = [note("a", "Error: disk full\nwarning: low\nerror 42\nÉcole\n")];
  await t.step("alternation and anchors", () => {
    const hits = searchNotes(notes, "^(error|warning)", { mode: "regex" });
    assert.deepEqual(summary(hits), [["a", [
      "1:Error: disk full",
      "2:warning: low",
      "3:error 42",
    ]]]);
  });
  await t.step("smart case applies to regex", () => {
    const hits = searchNotes(notes, "^Error", { mode: "regex" });
    assert.deepEqual(summary(hits), [["a", ["1:Error: disk full"]]]);
  });
  await t.step("$ anchors at each line end", () => {
    const hits = searchNotes(notes, "\\d+$", { mode: "regex" });
    assert.deepEqual(hits[0].lines.map((l) => [l.line, l.ranges]), [[3, [[6, 8]]]]);
  });
  await t.step("unicode classes", () => {
    const hits = searchNotes(notes, "^\\p{Lu}cole", { mode: "regex" });
    assert.deepEqual(summary(hits), [["a", ["4:École"]]]);
  });
  await t.step("regex characters are literal in substring mode", () => {
    assert.deepEqual(searchNotes(notes, "^(error|warning)"), []);
  });
});

Deno.test("searchNotes() throws QueryError for an invalid regex", () => {
  for (const query of ["(", "[a-", "a{2,1}", "\\"]) {
    assert.throws(() => searchNotes([note("a", "x")], query, { mode: "regex" }), (error) => {
      assert.ok(error instanceof QueryError);
      assert.ok(error instanceof SyntaxError);
      assert.equal(error.name, "QueryError");
      assert.ok(error.message.includes(`"${query}"`), error.message);
      return true;
    });
  }
});

Deno.test("searchNotes() merges overlapping context windows without repeating lines", () => {
  const body = ["one", "two", "hit three", "four", "hit five", "six", "seven", "eight", "hit nine"]
    .join("\n") + "\n";
  const hits = searchNotes([note("a", body)], "hit", { context: 1 });
  assert.deepEqual(summary(hits), [["a", [
    "2-two",
    "3:hit three",
    "4-four",
    "5:hit five",
    "6-six",
    "8-eight",
    "9:hit nine",
  ]]]);
  assert.equal(hits[0].score, 3);
  assert.deepEqual(hits[0].lines.filter((l) => l.context).map((l) => l.ranges), [[], [], [], []]);
});

Deno.test("searchNotes() clips context at the ends of the body", () => {
  const hits = searchNotes([note("a", "hit\nb\nc\nhit")], "hit", { context: 5 });
  assert.deepEqual(summary(hits), [["a", ["1:hit", "2-b", "3-c", "4:hit"]]]);
});

Deno.test("searchNotes() numbers lines from bodyLine and strips CR", () => {
  const hits = searchNotes(
    [note("a", "first\r\nneedle here\r\n", { bodyLine: 6 })],
    "needle",
    { context: 1 },
  );
  assert.deepEqual(summary(hits), [["a", ["6-first", "7:needle here"]]]);
  const fallback = searchNotes([note("b", "x\nneedle", { bodyLine: undefined })], "needle");
  assert.equal(fallback[0].lines[0].line, 2);
});

Deno.test("searchNotes() reports a title-only match with no lines", () => {
  const hits = searchNotes([note("a", "nothing here\n", { title: "Shopping list" })], "list");
  assert.equal(hits.length, 1);
  assert.deepEqual(hits[0].titleRanges, [[9, 13]]);
  assert.deepEqual(hits[0].lines, []);
  assert.equal(hits[0].score, 0);
});

Deno.test("searchNotes() keeps only notes with every tag asked for", async (t) => {
  const notes = [
    note("ab", "text", { tags: ["a", "B"] }),
    note("a", "text", { tags: ["a"] }),
    note("b", "text", { tags: ["b"] }),
    note("none", "text"),
  ];
  const cases: [string[], string[]][] = [
    [[], ["ab", "a", "b", "none"]],
    [["a"], ["ab", "a"]],
    [["a", "b"], ["ab"]],
    [["A", "b"], ["ab"]],
    [["c"], []],
  ];
  for (const [tags, slugs] of cases) {
    await t.step(tags.join(",") || "no tags", () => {
      for (const mode of ["substring", "regex", "fuzzy"] as const) {
        const found = searchNotes(notes, "text", { tags, mode }).map((h) => h.note.slug);
        assert.deepEqual(found.sort(), [...slugs].sort(), mode);
      }
    });
  }
});

Deno.test("searchNotes() keeps the given order for substring and regex", () => {
  const notes = [note("z", "match"), note("a", "match"), note("m", "match")];
  assert.deepEqual(searchNotes(notes, "match").map((h) => h.note.slug), ["z", "a", "m"]);
  assert.deepEqual(
    searchNotes(notes, "mat.h", { mode: "regex" }).map((h) => h.note.slug),
    ["z", "a", "m"],
  );
});

Deno.test("searchNotes() zero-length regex matches end and mark nothing empty", async (t) => {
  const notes = [note("a", "axxb\n\nplain 🎉 text\n", { title: "T" })];
  for (const query of ["^", "$", "x*", "\\b", "(?=a)", "", "🎉*"]) {
    await t.step(JSON.stringify(query), () => {
      for (const hit of searchNotes(notes, query, { mode: "regex", context: 1 })) {
        for (const [start, end] of [...hit.titleRanges, ...hit.lines.flatMap((l) => l.ranges)]) {
          assert.ok(end > start, `empty range [${start}, ${end})`);
        }
      }
    });
  }
  await t.step("x* still finds its non-empty match", () => {
    const hits = searchNotes(notes, "x*", { mode: "regex" });
    assert.deepEqual(hits[0].lines.map((l) => [l.line, l.ranges]), [[1, [[1, 3]]], [3, [[
      11,
      12,
    ]]]]);
  });
});

Deno.test("searchNotes() fuzzy ranks title matches above body matches", () => {
  const notes = [
    note("body", "we discussed the project plan today\n", { title: "Monday" }),
    note("title", "nothing relevant\n", { title: "Project plan" }),
    note("neither", "unrelated\n", { title: "Other" }),
  ];
  const hits = searchNotes(notes, "project plan", { mode: "fuzzy" });
  assert.deepEqual(hits.map((h) => h.note.slug), ["title", "body"]);
  assert.ok(hits[0].score > hits[1].score);
  assert.deepEqual(hits[0].titleRanges, [[0, 7], [8, 12]]);
  assert.deepEqual(hits[1].lines.map((l) => l.line), [1]);
});

Deno.test("searchNotes() fuzzy puts the better match first", () => {
  const notes = [
    note("scattered", "f-x-o-x-o-x-b-a-r\n"),
    note("tight", "foobar\n"),
    note("words", "foo bar\n"),
  ];
  const hits = searchNotes(notes, "foobar", { mode: "fuzzy" });
  assert.equal(hits[0].note.slug, "tight");
  assert.equal(hits.at(-1)!.note.slug, "scattered");
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score);
});

Deno.test("searchNotes() fuzzy needs every term, in any order, on one line", () => {
  const notes = [
    note("one-line", "tomatoes and basil\n"),
    note("reversed", "basil and tomatoes\n"),
    note("split", "tomatoes\nbasil\n"),
    note("half", "tomatoes only\n"),
  ];
  const hits = searchNotes(notes, "tomato basil", { mode: "fuzzy" });
  assert.deepEqual(hits.map((h) => h.note.slug).sort(), ["one-line", "reversed"]);
  const line = hits.find((h) => h.note.slug === "one-line")!.lines[0];
  assert.equal(line.text, "tomatoes and basil");
  assert.deepEqual(line.ranges, [[0, 6], [13, 18]]);
});

Deno.test("searchNotes() fuzzy reports at most fuzzyLines lines, in file order", () => {
  const body = "apple\nxxx\napple pie\nap\napple\napp le\n";
  const [hit] = searchNotes([note("a", body, { bodyLine: 3 })], "apple", {
    mode: "fuzzy",
    fuzzyLines: 2,
  });
  assert.equal(hit.lines.length, 2);
  assert.ok(hit.lines[0].line < hit.lines[1].line);
  for (const line of hit.lines) assert.ok(line.line >= 3);
});

Deno.test("searchNotes() fuzzy follows smart case", () => {
  const notes = [note("a", "readme\n"), note("b", "ReadMe\n")];
  assert.deepEqual(
    searchNotes(notes, "RM", { mode: "fuzzy" }).map((h) => h.note.slug),
    ["b"],
  );
  assert.deepEqual(
    searchNotes(notes, "rm", { mode: "fuzzy" }).map((h) => h.note.slug).sort(),
    ["a", "b"],
  );
});
