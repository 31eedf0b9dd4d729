import assert from "node:assert/strict";
import { compileReplacement } from "./replacement.ts";

// The match of `(?P<n>[a-z])([a-z])(\d)` in "ab12cd": "ab1", group 1 (named n) "a", group 2 "b",
// group 3 "1".
const MATCH = /(?<n>[a-z])([a-z])(\d)/u.exec("ab12cd")!;

Deno.test("compileReplacement() expands templates as rg --replace does", async (t) => {
  // Each expectation is what `rg -r TEMPLATE '(?P<n>[a-z])([a-z])(\d)'` printed (ripgrep 13)
  // for the line "ab12cd", minus the unmatched tail "2cd".
  const cases: [template: string, want: string][] = [
    ["X", "X"],
    ["", ""],
    ["$0", "ab1"],
    ["$2", "b"],
    ["$1$2", "ab"],
    ["${1}${2}", "ab"],
    // `$` takes the longest run of [_0-9A-Za-z] as the group name: "1a" is no group.
    ["$1a", ""],
    ["${1}a", "aa"],
    ["$n", "a"],
    ["${n}x", "ax"],
    ["$n_1", ""],
    ["$name", ""],
    ["$10", ""],
    ["$$", "$"],
    ["$$1", "$1"],
    // A `$` that names nothing stays as it is.
    ["x$", "x$"],
    ["${}", "${}"],
    ["${1", "${1"],
    ["$-1", "$-1"],
    ["$ 1", "$ 1"],
    ["$\u00e9", "$\u00e9"],
  ];
  for (const [template, want] of cases) {
    await t.step(JSON.stringify(template), () => {
      assert.equal(compileReplacement(template)(MATCH), want);
    });
  }
});

Deno.test("compileReplacement() gives a function to call once per match", () => {
  const replace = compileReplacement("<$1>");
  const out = "k=1, j=22".replace(/(\d+)/gu, (...args) => {
    const m = Object.assign([args[0], args[1]], { index: args[2], input: args[3] });
    return replace(m as unknown as RegExpExecArray);
  });
  assert.equal(out, "k=<1>, j=<22>");
});

Deno.test("compileReplacement() reads an unmatched optional group as empty", () => {
  const m = /a(b)?(?<c>c)?/u.exec("a")!;
  assert.equal(compileReplacement("[$1|${c}]")(m), "[|]");
});
