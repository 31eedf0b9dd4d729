import assert from "node:assert/strict";
import { fuzzyMatch, highlightPositions, OPTIMAL_MAX_LENGTH } from "./fuzzy.ts";

function score(pattern: string, text: string): number {
  const match = fuzzyMatch(pattern, text);
  assert.ok(match, `"${pattern}" should match "${text}"`);
  return match.score;
}

/**
 * fzf's scoring of given positions, written plainly: the reference both strategies are
 * checked against.
 */
function scorePositions(text: string, positions: number[]): number {
  const classOf = (c: string | undefined): string =>
    c === undefined || /\s/.test(c)
      ? "white"
      : "/,:;|".includes(c)
      ? "delimiter"
      : /[a-z]/.test(c)
      ? "lower"
      : /[A-Z]/.test(c)
      ? "upper"
      : /[0-9]/.test(c)
      ? "number"
      : "nonword";
  const bonusAt = (i: number): number => {
    const prev = classOf(text[i - 1]);
    const cls = classOf(text[i]);
    const word = cls !== "white" && cls !== "nonword";
    if (word && prev === "white") return 10;
    if (word && prev === "delimiter") return 9;
    if (word && prev === "nonword") return 8;
    if ((prev === "lower" && cls === "upper") || (prev !== "number" && cls === "number")) return 7;
    if (cls === "nonword" || cls === "delimiter") return 8;
    if (cls === "white") return 10;
    return 0;
  };
  let total = 0;
  let firstBonus = 0;
  for (let p = 0; p < positions.length; p++) {
    const i = positions[p];
    let bonus = bonusAt(i);
    if (p > 0 && positions[p - 1] === i - 1) {
      if (bonus >= 8 && bonus > firstBonus) firstBonus = bonus;
      bonus = Math.max(bonus, firstBonus, 4);
    } else {
      firstBonus = bonus;
      if (p > 0) total += -3 - (i - positions[p - 1] - 2);
    }
    total += 16 + (p === 0 ? 2 * bonus : bonus);
  }
  return total;
}

Deno.test("fuzzyMatch() ranks a word start above the middle of a word", () => {
  assert.ok(score("fb", "foo bar") > score("fb", "afbx"));
  assert.ok(score("bar", "foo-bar") > score("bar", "foobar"));
  assert.ok(score("bar", "foo/bar") > score("bar", "foobar"));
  assert.ok(score("bar", "foo bar") >= score("bar", "foo_bar"));
});

Deno.test("fuzzyMatch() ranks adjacent characters above spread ones", () => {
  assert.ok(score("abc", "xabcx") > score("abc", "xaxbxcx"));
  assert.ok(score("note", "my notebook") > score("note", "no time"));
});

Deno.test("fuzzyMatch() gives camelCase humps a bonus", () => {
  assert.ok(score("gh", "getHandler") > score("gh", "xgxh"));
  assert.deepEqual(fuzzyMatch("gh", "getHandler")?.positions, [0, 3]);
});

Deno.test("fuzzyMatch() scores exactly as fzf does", () => {
  // f at the start: 16 + 2 * 10; gap of three: -3 - 1 - 1; b after a space: 16 + 10.
  assert.deepEqual(fuzzyMatch("fb", "foo bar"), { score: 57, positions: [0, 4] });
  // f mid-word: 16; b adjacent: 16 + 4.
  assert.deepEqual(fuzzyMatch("fb", "afbx"), { score: 36, positions: [1, 2] });
});

Deno.test("fuzzyMatch() returns exact positions", () => {
  assert.deepEqual(fuzzyMatch("kit", "the kit tool")?.positions, [4, 5, 6]);
  assert.deepEqual(fuzzyMatch("ktl", "the kit tool")?.positions, [4, 8, 11]);
  assert.deepEqual(fuzzyMatch("a", "a")?.positions, [0]);
});

Deno.test("fuzzyMatch() returns undefined when the pattern does not match", () => {
  assert.equal(fuzzyMatch("xyz", "foo bar"), undefined);
  assert.equal(fuzzyMatch("ba", "ab"), undefined);
  assert.equal(fuzzyMatch("abc", "ab"), undefined);
  assert.equal(fuzzyMatch("a", ""), undefined);
});

Deno.test("fuzzyMatch() matches everything with an empty pattern", () => {
  assert.deepEqual(fuzzyMatch("", "anything"), { score: 0, positions: [] });
  assert.deepEqual(fuzzyMatch("   ", ""), { score: 0, positions: [] });
});

Deno.test("fuzzyMatch() uses smart case", async (t) => {
  await t.step("a lower-case pattern ignores case", () => {
    assert.deepEqual(fuzzyMatch("readme", "README.md")?.positions, [0, 1, 2, 3, 4, 5]);
  });
  await t.step("an upper-case letter makes the pattern case-sensitive", () => {
    assert.equal(fuzzyMatch("Readme", "README.md"), undefined);
    assert.deepEqual(fuzzyMatch("ReadMe", "ReadMe.md")?.positions, [0, 1, 2, 3, 4, 5]);
  });
  await t.step("each term decides for itself", () => {
    assert.ok(fuzzyMatch("Kit notes", "Kit NOTES"));
    assert.equal(fuzzyMatch("kit Notes", "KIT NOTES"), undefined);
  });
  await t.step("the option overrides it", () => {
    assert.ok(fuzzyMatch("Readme", "README.md", { caseSensitive: false }));
    assert.equal(fuzzyMatch("readme", "README.md", { caseSensitive: true }), undefined);
  });
});

Deno.test("fuzzyMatch() requires every space-separated term", () => {
  const match = fuzzyMatch("bar foo", "foo bar");
  assert.ok(match);
  assert.deepEqual(match.positions, [0, 1, 2, 4, 5, 6]);
  assert.equal(match.score, score("bar", "foo bar") + score("foo", "foo bar"));
  assert.equal(fuzzyMatch("foo baz", "foo bar"), undefined);
  assert.equal(fuzzyMatch("baz foo", "foo bar"), undefined);
});

Deno.test("fuzzyMatch() merges overlapping term positions", () => {
  assert.deepEqual(fuzzyMatch("ab b", "xab")?.positions, [1, 2]);
});

Deno.test("fuzzyMatch() picks the best placement on short texts", () => {
  // The window scan would take the first f; the optimal alignment takes the word "fb".
  assert.deepEqual(fuzzyMatch("fb", "fxxxxbar fb")?.positions, [9, 10]);
  assert.deepEqual(fuzzyMatch("fb", "fxxxxbar fb", { strategy: "window" })?.positions, [0, 5]);
  assert.deepEqual(fuzzyMatch("ab", "Axab")?.positions, [0, 3]);
});

Deno.test("fuzzyMatch() strategies agree with the reference scoring", () => {
  // A small deterministic generator over an alphabet full of boundaries and humps.
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const alphabet = "abcAB -_/1";
  for (let round = 0; round < 2000; round++) {
    let text = "";
    for (let i = next(24); i > 0; i--) text += alphabet[next(alphabet.length)];
    let pattern = "";
    for (let i = 1 + next(3); i > 0; i--) pattern += "abc1"[next(4)];
    const optimal = fuzzyMatch(pattern, text);
    const window = fuzzyMatch(pattern, text, { strategy: "window" });
    assert.equal(optimal === undefined, window === undefined, `${pattern} / ${text}`);
    if (!optimal || !window) continue;
    assert.equal(optimal.score, scorePositions(text, optimal.positions), `${pattern} / ${text}`);
    assert.equal(window.score, scorePositions(text, window.positions), `${pattern} / ${text}`);
    assert.ok(optimal.score >= window.score, `${pattern} / ${text}`);
    for (let i = 0; i < pattern.length; i++) {
      assert.equal(text[optimal.positions[i]].toLowerCase(), pattern[i]);
    }
  }
});

Deno.test("fuzzyMatch() does not break on non-ASCII text", () => {
  assert.deepEqual(fuzzyMatch("é", "CAFÉ")?.positions, [3]);
  assert.deepEqual(fuzzyMatch("😀x", "a😀bx")?.positions, [1, 2, 4]);
  assert.ok(fuzzyMatch("ber", "Über alles"));
  assert.ok(fuzzyMatch("日本", "こんにちは 日本語"));
  assert.equal(fuzzyMatch("ß", "STRASSE"), undefined);
  assert.deepEqual(fuzzyMatch("stan", "İstanbul")?.positions, [1, 2, 3, 4]);
  assert.deepEqual(fuzzyMatch("lone", "\ud800 lone \udc00")?.positions, [2, 3, 4, 5]);
});

Deno.test("fuzzyMatch() handles a 100 KB text with the window scan", () => {
  const text = "lorem ipsum ".repeat(5000) + "Fuzzy Bear" + " dolor sit".repeat(5000);
  assert.ok(text.length > 100_000 && text.length > OPTIMAL_MAX_LENGTH);
  const match = fuzzyMatch("fuzb", text);
  assert.ok(match);
  const at = text.indexOf("Fuzzy Bear");
  assert.deepEqual(match.positions, [at, at + 1, at + 2, at + 6]);
  assert.equal(match.score, scorePositions(text, match.positions));
  assert.equal(fuzzyMatch("fuzbq", text), undefined);
  assert.ok(fuzzyMatch("ld", "l" + "x".repeat(200_000) + "d")!.score < 0);
});

Deno.test("highlightPositions() wraps runs of matched characters", () => {
  const mark = (s: string) => `<${s}>`;
  assert.equal(highlightPositions("foo bar", [0, 4, 5], mark), "<f>oo <ba>r");
  assert.equal(highlightPositions("abc", [0, 1, 2], mark), "<abc>");
  assert.equal(highlightPositions("abc", [], mark), "abc");
  assert.equal(highlightPositions("abc", [2, 9], mark), "ab<c>");
  assert.equal(highlightPositions("a😀b", [1], mark), "a<😀>b");
  assert.equal(highlightPositions("a😀b", [2, 3], mark), "a<😀b>");
});
