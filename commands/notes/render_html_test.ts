import assert from "node:assert/strict";
import { renderHtml } from "./render_html.ts";

const hrefs: Record<string, string> = { Home: "home.html", "A & B": "a-b.html?x=1&y=2" };
const render = (markdown: string) =>
  renderHtml(markdown, { linkHref: (target) => hrefs[target] }).trimEnd();

Deno.test("renderHtml() renders wiki links", async (t) => {
  const cases: [string, string, string][] = [
    ["link", "[[Home]]", '<p><a class="wikilink" href="home.html">Home</a></p>'],
    ["label", "[[Home|go home]]", '<p><a class="wikilink" href="home.html">go home</a></p>'],
    ["heading", "[[Home#Top]]", '<p><a class="wikilink" href="home.html">Home#Top</a></p>'],
    [
      "broken",
      "[[Nope]]",
      '<p><span class="wikilink broken" title="No note named &quot;Nope&quot;">Nope</span></p>',
    ],
    [
      "escaped label and href",
      "[[A & B|<b>x</b>]]",
      '<p><a class="wikilink" href="a-b.html?x=1&amp;y=2">&lt;b&gt;x&lt;/b&gt;</a></p>',
    ],
    [
      "escaped broken target",
      '[[<script>"]]',
      '<p><span class="wikilink broken" title="No note named &quot;&lt;script&gt;&quot;&quot;">' +
      "&lt;script&gt;&quot;</span></p>",
    ],
    ["inline code stays literal", "`[[Home]]`", "<p><code>[[Home]]</code></p>"],
    ["fenced code stays literal", "```\n[[Home]]\n```", "<pre><code>[[Home]]\n</code></pre>"],
    ["escaped bracket", "\\[[Home]]", "<p>[[Home]]</p>"],
    [
      "in a list",
      "- [[Home]]",
      '<ul>\n<li><a class="wikilink" href="home.html">Home</a></li>\n</ul>',
    ],
    [
      "in a table cell",
      "| a |\n|---|\n| [[Home]] |",
      "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody><tr>\n" +
      '<td><a class="wikilink" href="home.html">Home</a></td>\n</tr>\n</tbody></table>',
    ],
    ["in emphasis", "*[[Home]]*", '<p><em><a class="wikilink" href="home.html">Home</a></em></p>'],
  ];
  for (const [name, markdown, expected] of cases) {
    await t.step(name, () => assert.equal(render(markdown), expected));
  }
});

Deno.test("renderHtml() renders GitHub-flavoured markdown", () => {
  assert.equal(render("~~x~~"), "<p><del>x</del></p>");
  assert.equal(
    render("- [x] done"),
    '<ul>\n<li><input checked="" disabled="" type="checkbox"> done</li>\n</ul>',
  );
  assert.equal(render("a <b> & c"), "<p>a <b> &amp; c</p>");
});

Deno.test("renderHtml() asks linkHref once per link, with the bare target", () => {
  const seen: string[] = [];
  renderHtml("[[A#h|x]] [[ B ]] `[[C]]`", { linkHref: (t) => (seen.push(t), undefined) });
  assert.deepEqual(seen, ["A", "B"]);
});

Deno.test("renderHtml() keeps no state between calls", () => {
  const one = renderHtml("[[X]]", { linkHref: () => "one.html" });
  const two = renderHtml("[[X]]", { linkHref: () => undefined });
  assert.ok(one.includes('href="one.html"'));
  assert.ok(two.includes("broken"));
});

Deno.test("renderHtml() may be called from inside linkHref", () => {
  const html = renderHtml("[[A]] [[B]]", {
    linkHref: (target) => {
      renderHtml("[[Inner]]", { linkHref: () => "inner.html" });
      return target === "A" ? "a.html" : undefined;
    },
  });
  assert.ok(html.includes('href="a.html"') && html.includes("broken"), html);
});
