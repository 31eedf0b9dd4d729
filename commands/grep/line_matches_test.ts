import assert from "node:assert/strict";
import { lineMatches } from "./line_matches.ts";

/** `[index, text]` of each match. */
function spans(source: string, text: string, atEnd?: boolean): [number, string][] {
  return lineMatches(new RegExp(source, "gu"), text, { atEnd }).map((m) => [m.index, m[0]]);
}

Deno.test("lineMatches() finds every non-overlapping match in order", () => {
  assert.deepEqual(spans("foo", "foofoo foo"), [[0, "foo"], [3, "foo"], [7, "foo"]]);
  assert.deepEqual(spans("a+", "baaac aa"), [[1, "aaa"], [6, "aa"]]);
  assert.deepEqual(spans("zzz", "no match here"), []);
  assert.deepEqual(spans("x", ""), []);
});

Deno.test("lineMatches() keeps capture groups on each match", () => {
  const [m] = lineMatches(/(?<key>\w+)=(\d+)/gu, "  width=80");
  assert.equal(m.index, 2);
  assert.equal(m.groups?.key, "width");
  assert.equal(m[2], "80");
});

Deno.test("lineMatches() iterates empty matches as Rust's regex crate does for rg", async (t) => {
  // What rg 13 reports (rg --json / -o / --count-matches), one line at a time; `atEnd` is
  // whether the line has a newline after it.
  const cases: { source: string; text: string; atEnd?: boolean; want: [number, string][] }[] = [
    // rg -o 'x*' on "ab\n": empty matches at 0, 1 and 2 (before the newline).
    { source: "x*", text: "ab", want: [[0, ""], [1, ""], [2, ""]] },
    // On a last line without newline the one at the very end is dropped.
    { source: "x*", text: "ab", atEnd: false, want: [[0, ""], [1, ""]] },
    // An empty match right where a match ended is skipped: "xx" then nothing at 2.
    { source: "x*", text: "xx", want: [[0, "xx"]] },
    { source: "x*", text: "axx", want: [[0, ""], [1, "xx"]] },
    { source: "x*", text: "xxaxx", want: [[0, "xx"], [3, "xx"]] },
    // rg -r Y 'a|' on "xxaxx" prints YxYxYxYxY: empty, empty, "a", (skipped), empty, empty.
    {
      source: "a|",
      text: "xxaxx",
      want: [[0, ""], [1, ""], [2, "a"], [4, ""], [5, ""]],
    },
    { source: "^", text: "abc", want: [[0, ""]] },
    { source: "$", text: "abc", want: [[3, ""]] },
    { source: "$", text: "abc", atEnd: false, want: [] },
    { source: "x*", text: "", want: [[0, ""]] },
    { source: "x*", text: "", atEnd: false, want: [] },
  ];
  for (const c of cases) {
    await t.step(`/${c.source}/ in ${JSON.stringify(c.text)} (atEnd ${c.atEnd ?? true})`, () => {
      assert.deepEqual(spans(c.source, c.text, c.atEnd), c.want);
    });
  }
});

Deno.test("lineMatches() steps over a whole code point after an empty match", () => {
  // Half a surrogate pair is never a position: three positions in "a😀", not four.
  assert.deepEqual(spans("x*", "a\u{1F600}"), [[0, ""], [1, ""], [3, ""]]);
  assert.deepEqual(spans("", "\u{1F600}\u{1F600}"), [[0, ""], [2, ""], [4, ""]]);
});

Deno.test("lineMatches() starts from 0 whatever lastIndex the regex was left with", () => {
  const regex = /o/gu;
  regex.lastIndex = 5;
  assert.deepEqual(lineMatches(regex, "foo").map((m) => m.index), [1, 2]);
  assert.deepEqual(lineMatches(regex, "foo").map((m) => m.index), [1, 2]);
});
