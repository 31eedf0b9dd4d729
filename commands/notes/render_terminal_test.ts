import assert from "node:assert/strict";
import { stripAnsi } from "../../lib/cli/color.ts";
import { DEFAULTS, renderTerminal } from "./render_terminal.ts";

const plain = (markdown: string, width = 40) => renderTerminal(markdown, { color: false, width });
const colored = (markdown: string, width = 40) => renderTerminal(markdown, { color: true, width });

Deno.test("renderTerminal() without colour renders each construct", async (t) => {
  const cases: [string, string, string][] = [
    ["empty", "", "\n"],
    ["headings keep their markers", "# One\n\n### Three", "# One\n\n### Three\n"],
    ["paragraphs", "a\nb\n\nc", "a b\n\nc\n"],
    [
      "wrapping at the width",
      "the quick brown fox jumps over the lazy dog again and again",
      "the quick brown fox jumps over the lazy\ndog again and again\n",
    ],
    ["a long word stays whole", "x " + "y".repeat(50), "x\n" + "y".repeat(50) + "\n"],
    ["hard break", "a  \nb", "a\nb\n"],
    ["emphasis and strong", "*a* _b_ **c** __d__", "a b c d\n"],
    ["strikethrough", "~~gone~~", "~~gone~~\n"],
    ["inline code", "run `ls -la` now", "run `ls -la` now\n"],
    ["entities", "a &amp; b &lt; c &#x41;", "a & b < c A\n"],
    ["escapes", "\\*not em\\*", "*not em*\n"],
    ["link", "[docs](https://example.com)", "docs (https://example.com)\n"],
    ["autolink", "<https://example.com>", "https://example.com\n"],
    ["bare url", "see https://example.com", "see https://example.com\n"],
    ["image", "![a cat](cat.png)", "[image: a cat](cat.png)\n"],
    ["image without alt", "![](cat.png)", "[image](cat.png)\n"],
    ["wiki link", "go [[Home]]", "go [[Home]]\n"],
    ["wiki link label", "go [[Home|home page]]", "go [[home page]]\n"],
    ["wiki link heading", "go [[Home#Intro]]", "go [[Home#Intro]]\n"],
    ["wiki link in code stays literal", "`[[Home]]`", "`[[Home]]`\n"],
    ["unordered list", "- a\n- b", "• a\n• b\n"],
    ["nested list", "- a\n  - b\n    - c\n- d", "• a\n  ◦ b\n    ▪ c\n• d\n"],
    ["ordered list", "1. a\n2. b", "1. a\n2. b\n"],
    ["ordered list from 9", "9. a\n10. b", " 9. a\n10. b\n"],
    ["task list", "- [x] done\n- [ ] todo", "• [x] done\n• [ ] todo\n"],
    ["loose list", "- a\n\n- b", "• a\n\n• b\n"],
    [
      "list item wraps under its text",
      "- the quick brown fox jumps over the lazy dog",
      "• the quick brown fox jumps over the\n  lazy dog\n",
    ],
    ["list item with two paragraphs", "- a\n\n  b", "• a\n\n  b\n"],
    ["block quote", "> a\n>\n> b", "│ a\n│\n│ b\n"],
    ["nested block quote", "> a\n>> b", "│ a\n│\n│ │ b\n"],
    ["list in a quote", "> - a\n> - b", "│ • a\n│ • b\n"],
    ["horizontal rule", "a\n\n---\n\nb", "a\n\n" + "─".repeat(40) + "\n\nb\n"],
    ["fenced code", "```\nx = 1\n\n  y\n```", "  x = 1\n\n    y\n"],
    ["code with a language", "```ts\nconst a = 1;\n```", "  const a = 1;\n"],
    ["code with an unknown language", "```zzz\n<b>\n```", "  <b>\n"],
    ["indented code", "    indented", "  indented\n"],
    [
      "table",
      "| a | b |\n|---|---|\n| 1 | 22 |",
      "┌───┬────┐\n│ a │ b  │\n├───┼────┤\n│ 1 │ 22 │\n└───┴────┘\n",
    ],
    [
      "table alignment",
      "| left | mid | right |\n|:--|:-:|--:|\n| a | b | c |",
      "┌──────┬─────┬───────┐\n" +
      "│ left │ mid │ right │\n" +
      "├──────┼─────┼───────┤\n" +
      "│ a    │  b  │     c │\n" +
      "└──────┴─────┴───────┘\n",
    ],
    [
      "table with inline markup and wide characters",
      "| k | v |\n|---|---|\n| `x` | 日本 |",
      "┌─────┬──────┐\n│ k   │ v    │\n├─────┼──────┤\n│ `x` │ 日本 │\n└─────┴──────┘\n",
    ],
    ["html comment is hidden", "a\n\n<!-- note -->\n\nb", "a\n\nb\n"],
    ["html block is shown", "<div>x</div>", "<div>x</div>\n"],
    ["trailing blank lines", "a\n\n\n\n", "a\n"],
  ];
  for (const [name, markdown, expected] of cases) {
    await t.step(name, () => assert.equal(plain(markdown), expected));
  }
});

Deno.test("renderTerminal() without colour writes no escape codes", () => {
  const markdown = "# T\n\n**b** *i* ~~s~~ `c` [l](u) [[W]] [[X]]\n\n> q\n\n- [x] t\n\n" +
    "| a |\n|---|\n| b |\n\n---\n\n```ts\nconst x = 1;\n```\n";
  const out = renderTerminal(markdown, { color: false, width: 40, linkExists: (t) => t === "W" });
  assert.ok(!out.includes("\x1b"), JSON.stringify(out));
  assert.ok(out.includes("[[X]]✗"));
});

Deno.test("renderTerminal() with colour styles headings, emphasis and links", async (t) => {
  await t.step("level-1 heading is bold and underlined, without markers", () => {
    const out = colored("# Title");
    assert.ok(out.includes("\x1b[1m") && out.includes("\x1b[4m"), JSON.stringify(out));
    assert.equal(stripAnsi(out), "Title\n");
  });
  await t.step("level-2 heading is bold, not underlined", () => {
    const out = colored("## Sub");
    assert.ok(out.includes("\x1b[1m") && !out.includes("\x1b[4m"), JSON.stringify(out));
  });
  await t.step("emphasis", () => {
    assert.equal(
      colored("**b** *i* ~~s~~"),
      "\x1b[1mb\x1b[22m \x1b[3mi\x1b[23m \x1b[9ms\x1b[29m\n",
    );
  });
  await t.step("inline code drops its backticks", () => {
    assert.equal(colored("`c`"), "\x1b[33mc\x1b[39m\n");
  });
  await t.step("link url is dim", () => {
    assert.equal(colored("[l](u)"), "\x1b[4ml\x1b[24m \x1b[2m(u)\x1b[22m\n");
  });
  await t.step("wiki link is cyan and underlined", () => {
    assert.equal(colored("[[Home|home]]"), "\x1b[36m\x1b[4mhome\x1b[24m\x1b[39m\n");
  });
  await t.step("broken wiki link is red with a marker", () => {
    const out = renderTerminal("[[Gone]]", { color: true, width: 40, linkExists: () => false });
    assert.equal(out, "\x1b[31m\x1b[4mGone\x1b[24m\x1b[39m\x1b[31m✗\x1b[39m\n");
  });
  await t.step("linkExists gets the bare target", () => {
    const seen: string[] = [];
    renderTerminal("[[A#h|x]] [[ B ]]", {
      color: true,
      width: 40,
      linkExists: (t) => (seen.push(t), true),
    });
    assert.deepEqual(seen, ["A", "B"]);
  });
});

Deno.test("renderTerminal() colours code by syntax", () => {
  const out = colored('```ts\n// note\nconst s = "a<b" + 42;\n```');
  assert.ok(out.includes("\x1b[35mconst\x1b[39m"), JSON.stringify(out)); // keyword: magenta
  assert.ok(out.includes('\x1b[32m"a<b"\x1b[39m'), "string green, entities decoded");
  assert.ok(out.includes("\x1b[33m42\x1b[39m"), "number yellow");
  assert.ok(out.includes("\x1b[90m// note\x1b[39m"), "comment gray");
  assert.equal(stripAnsi(out), '  // note\n  const s = "a<b" + 42;\n');
});

Deno.test("renderTerminal() leaves code in an unknown language plain", () => {
  assert.equal(colored("```nope\nconst x\n```"), "  const x\n");
});

Deno.test("renderTerminal() keeps styles from leaking across wrapped lines", () => {
  const out = colored("- **one two three four five six seven**", 20);
  const lines = out.trimEnd().split("\n");
  assert.equal(lines.length, 2);
  assert.ok(lines[0].endsWith("\x1b[0m"), JSON.stringify(lines[0]));
  assert.ok(lines[1].startsWith("  \x1b[1m"), "indent stays unstyled, bold reopens");
  assert.equal(stripAnsi(out), "• one two three four\n  five six seven\n");
});

Deno.test("renderTerminal() wraps by display width", () => {
  assert.equal(plain("日本語 日本語 日本語", 14), "日本語 日本語\n日本語\n");
});

Deno.test("renderTerminal() ends with exactly one newline", () => {
  for (const markdown of ["a", "a\n", "a\n\n\n", "```\nx\n```\n\n", "- a\n\n"]) {
    const out = plain(markdown);
    assert.ok(out.endsWith("\n") && !out.endsWith("\n\n"), JSON.stringify(out));
  }
});

Deno.test("DEFAULTS render without colour at 80 columns", () => {
  assert.equal(
    renderTerminal("x ".repeat(50), DEFAULTS),
    "x ".repeat(39) + "x\n" + "x ".repeat(9) + "x\n",
  );
});
