import assert from "node:assert/strict";
import { Marked } from "../../lib/deps/marked.ts";
import { findWikiLinks, rewriteWikiLinks, WIKI_LINK_EXTENSION } from "./wiki_link.ts";

function targets(markdown: string): (string | undefined)[][] {
  return findWikiLinks(markdown).map((l) => [l.target, l.label, l.heading]);
}

Deno.test("findWikiLinks() reads targets, labels and headings", async (t) => {
  const cases: [string, string, (string | undefined)[][]][] = [
    ["plain", "a [[Target]] b", [["Target", undefined, undefined]]],
    ["label", "[[Target|the label]]", [["Target", "the label", undefined]]],
    ["heading", "[[Target#Part two]]", [["Target", undefined, "Part two"]]],
    ["heading and label", "[[Target#Part|lbl]]", [["Target", "lbl", "Part"]]],
    ["trimmed", "[[  Spaced out  |  x  ]]", [["Spaced out", "x", undefined]]],
    ["empty label", "[[T|]]", [["T", undefined, undefined]]],
    ["escaped pipe in a table", "| [[T\\|lbl]] |", [["T", "lbl", undefined]]],
    ["two on a line", "[[A]][[B]]", [["A", undefined, undefined], ["B", undefined, undefined]]],
    ["triple bracket", "[[[A]]", [["A", undefined, undefined]]],
    ["empty target", "[[]] [[ ]] [[#h]] [[|x]]", []],
    ["newline inside", "[[A\nB]]", []],
    ["unclosed", "[[A and more", []],
    ["escaped", "\\[[A]]", []],
    ["unicode", "[[Crème brûlée]]", [["Crème brûlée", undefined, undefined]]],
  ];
  for (const [name, markdown, expected] of cases) {
    await t.step(name, () => assert.deepEqual(targets(markdown), expected));
  }
});

Deno.test("findWikiLinks() skips code", async (t) => {
  const cases: [string, string, string[]][] = [
    ["inline code", "`[[A]]` [[B]]", ["B"]],
    ["double backtick span", "`` a ` [[A]] `` [[B]]", ["B"]],
    ["unclosed backtick is literal", "` [[A]]", ["A"]],
    ["span does not cross a blank line", "` a\n\n[[A]] `", ["A"]],
    ["backtick fence", "```\n[[A]]\n```\n[[B]]", ["B"]],
    ["tilde fence", "~~~md\n[[A]]\n~~~\n[[B]]", ["B"]],
    ["longer closing fence", "````\n```\n[[A]]\n`````\n[[B]]", ["B"]],
    ["shorter fence does not close", "````\n```\n[[A]]\n````\n[[B]]", ["B"]],
    ["unclosed fence runs to the end", "[[A]]\n```\n[[B]]", ["A"]],
    ["fence in a list", "- ```\n  [[A]]\n  ```\n- [[B]]", ["B"]],
    ["fence in a quote", "> ```\n> [[A]]\n> ```\n> [[B]]", ["B"]],
    ["backticks mid-line are not a fence", "x ``` [[A]] ``` [[B]]", ["B"]],
    ["info string with a backtick is not a fence", "``` a ` [[A]]\n[[B]]", ["A", "B"]],
  ];
  for (const [name, markdown, expected] of cases) {
    await t.step(
      name,
      () => assert.deepEqual(findWikiLinks(markdown).map((l) => l.target), expected),
    );
  }
});

Deno.test("findWikiLinks() reports the offsets of the whole link", () => {
  const markdown = "x [[A|b]] y [[C#d]]";
  for (const link of findWikiLinks(markdown)) {
    const raw = markdown.slice(link.start, link.end);
    assert.ok(raw.startsWith("[[") && raw.endsWith("]]"), raw);
  }
  assert.deepEqual(findWikiLinks(markdown).map((l) => [l.start, l.end]), [[2, 9], [12, 19]]);
});

Deno.test("rewriteWikiLinks() changes only targets", async (t) => {
  const rename = (target: string) => target.toLowerCase() === "old" ? "New Name" : undefined;
  const cases: [string, string, string][] = [
    ["plain", "a [[Old]] b", "a [[New Name]] b"],
    ["keeps label and heading", "[[Old#Sec|see]]", "[[New Name#Sec|see]]"],
    ["keeps spacing", "[[ Old | x ]]", "[[ New Name | x ]]"],
    ["keeps an escaped pipe", "| [[Old\\|x]] |", "| [[New Name\\|x]] |"],
    ["leaves others", "[[Other]] [[old]]", "[[Other]] [[New Name]]"],
    ["leaves code", "`[[Old]]`\n```\n[[Old]]\n```\n", "`[[Old]]`\n```\n[[Old]]\n```\n"],
    ["no links", "nothing here", "nothing here"],
  ];
  for (const [name, markdown, expected] of cases) {
    await t.step(name, () => assert.equal(rewriteWikiLinks(markdown, rename), expected));
  }
});

Deno.test("rewriteWikiLinks() returns the same string when nothing changes", () => {
  const markdown = "[[A]] and [[B]]";
  assert.equal(rewriteWikiLinks(markdown, (t) => t), markdown);
});

Deno.test("WIKI_LINK_EXTENSION tokenises links outside code only", () => {
  const marked = new Marked({ extensions: [WIKI_LINK_EXTENSION] });
  const found: string[] = [];
  marked.walkTokens(
    marked.lexer("[[A]] `[[B]]`\n\n```\n[[C]]\n```\n\n- [[D|d]]\n\n\\[[E]]"),
    (t) => {
      if (t.type === "wikilink") found.push(t.target);
    },
  );
  assert.deepEqual(found, ["A", "D"]);
});

Deno.test("findWikiLinks() scans 2 MB in linear time", () => {
  const note = "Some text with [[A link]] and `code [[not]]` and more words here.\n".repeat(30);
  const big = note.repeat(1000);
  const links = findWikiLinks(big);
  assert.equal(links.length, 30_000);
  // Pathological input: many "[[" with no "]]" and many unmatched backticks.
  assert.deepEqual(findWikiLinks("[[ x ".repeat(50_000) + "` ".repeat(1000)), []);
});
