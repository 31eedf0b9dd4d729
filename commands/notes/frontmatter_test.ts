import assert from "node:assert/strict";
import { parseYaml } from "../../lib/deps/yaml.ts";
import {
  formatFrontmatter,
  formatScalar,
  FrontmatterError,
  loadYamlParser,
  parseFrontmatter,
  parseSimple,
  splitFrontmatter,
  YamlParserNeeded,
} from "./frontmatter.ts";

/** Strings that stress quoting: YAML indicators, words YAML 1.1 or 1.2 read as non-strings. */
const TRICKY = [
  "",
  " ",
  "plain words",
  "a: b",
  "a:b",
  "ends:",
  "x: y: z",
  "#hash",
  "a #b",
  "a#b",
  '"quoted"',
  "'single'",
  "it's",
  "-x",
  "- x",
  "-",
  "---",
  "...",
  "? x",
  "?",
  "!tag",
  "&anchor",
  "*alias",
  "|",
  ">",
  "%",
  "@",
  "`",
  ",comma",
  "a, b",
  "[x]",
  "{x}",
  "x]",
  "yes",
  "No",
  "ON",
  "off",
  "y",
  "n",
  "true",
  "TRUE",
  "False",
  "null",
  "Null",
  "NULL",
  "~",
  "12",
  "+1",
  "-7",
  "08",
  "1.5",
  "1.",
  ".5",
  "1e5",
  "E4",
  "1_000",
  "0x1F",
  "0o17",
  "0b101",
  "+0x1",
  ".inf",
  "+.inf",
  "-.inf",
  ".NaN",
  "12:30",
  "1:02:03",
  "2026-11-26",
  "2026-11-26T10:00:00.000Z",
  "1.2.3",
  "<<",
  "=",
  "Crème brûlée",
  "日本語のノート",
  "emoji 🎉",
  "back\\slash",
  "tab\there",
  "line\nbreak",
  "cr\r\nlf",
  "trailing ",
  " leading",
  "(parens)",
  "./relative/path",
  "+plus",
  "\u00a0nbsp",
  "\ufeffbom",
];

Deno.test("splitFrontmatter() handles fences, BOM, CRLF and missing parts", async (t) => {
  const cases: [string, string, { yaml: string | undefined; body: string }][] = [
    ["plain fences", "---\ntitle: A\n---\nbody\n", { yaml: "title: A\n", body: "body\n" }],
    ["a blank line after the fence is dropped", "---\na: 1\n---\n\nbody\n", {
      yaml: "a: 1\n",
      body: "body\n",
    }],
    ["only one blank line is dropped", "---\na: 1\n---\n\n\nbody", {
      yaml: "a: 1\n",
      body: "\nbody",
    }],
    ["BOM", "\ufeff---\na: 1\n---\nbody", { yaml: "a: 1\n", body: "body" }],
    ["CRLF", "---\r\na: 1\r\n---\r\n\r\nbody\r\n", { yaml: "a: 1\r\n", body: "body\r\n" }],
    ["`...` closes", "---\na: 1\n...\nbody", { yaml: "a: 1\n", body: "body" }],
    ["closing fence at end of file", "---\na: 1\n---", { yaml: "a: 1\n", body: "" }],
    ["empty frontmatter", "---\n---\nbody", { yaml: "", body: "body" }],
    ["no closing fence", "---\na: 1\nbody\n", { yaml: undefined, body: "---\na: 1\nbody\n" }],
    ["no opening fence", "a: 1\n---\nbody", { yaml: undefined, body: "a: 1\n---\nbody" }],
    ["fence with text after it", "--- x\na: 1\n---\n", {
      yaml: undefined,
      body: "--- x\na: 1\n---\n",
    }],
    ["a longer dash line does not close", "---\na: 1\n----\n---\nb", {
      yaml: "a: 1\n----\n",
      body: "b",
    }],
    ["empty text", "", { yaml: undefined, body: "" }],
  ];
  for (const [name, text, expected] of cases) {
    await t.step(name, () => assert.deepEqual(splitFrontmatter(text), expected));
  }
});

Deno.test("parseSimple() reads kit's own output", () => {
  const data = {
    id: "ab12cd34",
    title: "Hello: world",
    created: "2026-11-26T10:00:00.000Z",
    updated: "2026-11-26T12:30:00.000Z",
    tags: ["a", "b-c", "日本"],
    aliases: [],
    count: 3,
    ratio: 0.5,
    done: true,
    nothing: null,
    date: "2026-11-26",
  };
  assert.deepEqual(parseSimple(formatFrontmatter(data)), data);
});

Deno.test("parseSimple() reads comments, blank lines, quoted values and CRLF", () => {
  assert.deepEqual(
    parseSimple("# comment\n\na: 'it''s'\r\nb: \"x\\ty\"\r\nc:\nd: ~\ne: [1, x y, -2]\n"),
    { a: "it's", b: "x\ty", c: null, d: null, e: [1, "x y", -2] },
  );
});

Deno.test("parseSimple() returns undefined for what it does not handle", async (t) => {
  const cases: [string, string][] = [
    ["block list", "tags:\n  - a\n  - b\n"],
    ["nested map", "a:\n  b: 1\n"],
    ["anchor", "a: &x 1\nb: *x\n"],
    ["tag", "a: !!str 1\n"],
    ["literal block", "a: |\n  text\n"],
    ["folded block", "a: >\n  text\n"],
    ["multi-line plain scalar", "a: one\n  two\n"],
    ["multi-line quoted scalar", 'a: "one\n  two"\n'],
    ["flow map", "a: {b: 1}\n"],
    ["quoted list item", "a: [x, 'y']\n"],
    ["empty list item", "a: [x, , y]\n"],
    ["inline comment", "a: b # c\n"],
    ["value with `: `", "a: b: c\n"],
    ["value ending in `:`", "a: Re:\n"],
    ["value with `:` and a tab", "a: b:\tc\n"],
    ["value starting with `,`", "a: ,b\n"],
    ["value `- x`", "a: - x\n"],
    ["value `? x`", "a: ? x\n"],
    ["duplicate key", "a: 1\na: 2\n"],
    ["indented key", " a: 1\n"],
    ["no space after colon", "a:b\n"],
    ["quoted key", '"a": 1\n'],
    ["hex number", "a: 0x1F\n"],
    ["signed number", "a: +1\n"],
    ["exponent", "a: 1e5\n"],
    ["long integer", "a: 12345678901234567890\n"],
    ["capitalised boolean", "a: True\n"],
    ["capitalised null", "a: NULL\n"],
    ["infinity", "a: .inf\n"],
    ["unbalanced single quote", "a: 'x'y'\n"],
    ["bad JSON escape", 'a: "\\x41"\n'],
  ];
  for (const [name, yaml] of cases) {
    await t.step(name, () => assert.equal(parseSimple(yaml), undefined));
  }
});

Deno.test("parseFrontmatter() agrees with the full YAML parser", async (t) => {
  await loadYamlParser();
  const inputs = [
    "",
    "# only a comment\n",
    "title: A\n",
    "title: 'A ''quoted'' title'\n",
    'title: "esc\\u00e9"\n',
    "n: 12\nf: 1.5\nneg: -3\nb: false\nz: null\nt: ~\nempty:\n",
    "tags: [a, b, c d]\n",
    "tags: []\n",
    "tags:\n  - a\n  - b\n",
    "nested:\n  a: 1\n  b: [x]\n",
    "anchor: &x v\ncopy: *x\n",
    "text: |\n  line one\n  line two\n",
    "a: b # comment\n",
    "hex: 0x1F\noct: 0o17\nplus: +1\nexp: 1e5\ndot: 1.\n",
    "t: True\nT: TRUE\nf: FALSE\nn: Null\nN: NULL\n",
    "inf: .inf\nninf: -.inf\nnan: .nan\n",
    "big: 12345678901234567890\n",
    "date: 2026-11-26\ntime: 12:30\n",
    "created: 2026-11-26T10:00:00.000Z\n",
    "dash: -x\nq: what?\nurl: http://example.com/a#b\n",
    "crlf: yes\r\nlist: [1, 2]\r\n",
    "unicode: Crème brûlée 日本\n",
  ];
  for (const yaml of inputs) {
    await t.step(JSON.stringify(yaml), () => {
      const expected = parseYaml(yaml, { schema: "core" }) ?? {};
      assert.deepEqual(parseFrontmatter(yaml), expected);
    });
  }
});

Deno.test("parseFrontmatter(formatFrontmatter()) gives back every string", async (t) => {
  await loadYamlParser();
  for (const s of TRICKY) {
    await t.step(JSON.stringify(s), () => {
      const text = formatFrontmatter({ k: s, list: [s, "x"] });
      assert.equal(parseFrontmatter(text).k, s);
      assert.deepEqual(parseFrontmatter(text).list, [s, "x"]);
      // The simple parser either reads it right or hands it on; it never reads it wrong.
      const simple = parseSimple(text);
      if (simple) assert.deepEqual(simple, { k: s, list: [s, "x"] });
      // Other YAML readers, 1.2 and 1.1, read the same strings. A 1.1 reader takes kit's
      // plain ISO timestamps for timestamps, which name the same instant.
      for (const options of [{ schema: "core" }, { version: "1.1" }] as const) {
        const yaml = parseYaml(text, options) as Record<string, unknown>;
        const k = yaml.k instanceof Date ? yaml.k.toISOString() : yaml.k;
        assert.equal(k, s, `${JSON.stringify(options)} reads ${text}`);
        const list = (yaml.list as unknown[]).map((v) => v instanceof Date ? v.toISOString() : v);
        assert.deepEqual(list, [s, "x"], `${JSON.stringify(options)} reads ${text}`);
      }
    });
  }
});

Deno.test("formatFrontmatter() round-trips numbers, booleans, null, lists and nested values", async () => {
  await loadYamlParser();
  const data = {
    n: 42,
    f: -1.25,
    yes: true,
    no: false,
    none: null,
    mixed: [1, "two", true, null, "a, b", "[c]"],
    nested: { a: [1, { b: "c: d" }] },
    deep: [[1, 2], ["x"]],
  };
  const text = formatFrontmatter(data);
  assert.deepEqual(parseFrontmatter(text), data);
  assert.deepEqual(parseYaml(text, { schema: "core" }), data);
});

Deno.test("formatFrontmatter() writes keys in order and skips undefined", () => {
  assert.equal(
    formatFrontmatter({ b: "x", a: undefined, c: [], d: new Date("2026-11-26T00:00:00Z") }),
    'b: x\nc: []\nd: "2026-11-26T00:00:00.000Z"\n',
  );
});

Deno.test("formatScalar() quotes only what needs it", async (t) => {
  const cases: [unknown, string][] = [
    ["plain", "plain"],
    ["two words", "two words"],
    ["Crème", "Crème"],
    ["a: b", '"a: b"'],
    ["yes", '"yes"'],
    ["12:30", '"12:30"'],
    ["2026-11-26", '"2026-11-26"'],
    ["0x1F", '"0x1F"'],
    ["+.inf", '"+.inf"'],
    ["", '""'],
    [3, "3"],
    [true, "true"],
    [null, "null"],
    [undefined, "null"],
  ];
  for (const [value, expected] of cases) {
    await t.step(String(value), () => assert.equal(formatScalar(value), expected));
  }
});

Deno.test("parseFrontmatter() throws FrontmatterError with the line for broken YAML", async () => {
  await loadYamlParser();
  assert.throws(
    () => parseFrontmatter("title: A\ntags: [a, b\nother: x\n"),
    (error) => {
      assert.ok(error instanceof FrontmatterError);
      assert.ok(error instanceof SyntaxError);
      assert.equal(error.name, "FrontmatterError");
      assert.equal(typeof error.line, "number");
      assert.ok(error.line >= 2, `line ${error.line}`);
      assert.match(error.message, /\(line \d+\)$/);
      return true;
    },
  );
});

Deno.test("parseFrontmatter() rejects frontmatter that is not a mapping", async () => {
  await loadYamlParser();
  for (const yaml of ["- a\n- b\n", "just text\n"]) {
    assert.throws(() => parseFrontmatter(yaml), FrontmatterError);
  }
});

Deno.test("FrontmatterError carries its line in the message", () => {
  const error = new FrontmatterError("Bad thing", 4);
  assert.equal(error.line, 4);
  assert.equal(error.message, "Bad thing (line 4)");
  assert.ok(error instanceof SyntaxError);
});

Deno.test("YamlParserNeeded is a named Error", () => {
  const error = new YamlParserNeeded();
  assert.ok(error instanceof Error);
  assert.equal(error.name, "YamlParserNeeded");
  assert.match(error.message, /loadYamlParser\(\)/);
});

Deno.test("parseFrontmatter() reads full YAML once loadYamlParser() has run", async () => {
  // Loading is idempotent and module-wide, so whether an earlier test loaded it does not matter.
  await loadYamlParser();
  await loadYamlParser();
  assert.deepEqual(parseFrontmatter("tags:\n  - a\n  - b\n"), { tags: ["a", "b"] });
});

Deno.test("parseFrontmatter() needs no YAML parser for simple frontmatter", () => {
  // Simple text never reaches the full parser, loaded or not.
  assert.deepEqual(parseFrontmatter("title: A\ntags: [x]\n"), { title: "A", tags: ["x"] });
});
