import assert from "node:assert/strict";
import { buildMatcher, type MatcherOptions } from "./matcher.ts";
import { PatternError } from "./rust_regex.ts";

/** Every match of the compiled patterns in `text`. */
function find(patterns: string[], text: string, options?: MatcherOptions): string[] {
  return [...text.matchAll(buildMatcher(patterns, options).clone())].map((m) => m[0]);
}

/** Every match in each line of `text` on its own, as rg searches without -U. */
function findInLines(patterns: string[], text: string, options?: MatcherOptions): string[] {
  return text.split("\n").flatMap((line) => find(patterns, line, options));
}

/** Asserts that compiling fails with a PatternError at `position` that names its column. */
function assertPatternError(pattern: string, position: number, message: RegExp): void {
  assert.throws(
    () => buildMatcher([pattern]),
    (error: unknown) => {
      assert.ok(error instanceof PatternError, String(error));
      assert.equal(error.position, position, error.message);
      assert.match(error.message, new RegExp(`at column ${position + 1}: `));
      assert.match(error.message, message);
      return true;
    },
  );
}

Deno.test("buildMatcher() matches ripgrep's patterns", async (t) => {
  // Each case is what `rg -o OPTIONS PATTERN...` printed for the text (ripgrep 13).
  const text = "foo bar\nfoobar\nbar-foo-baz\n_foo\nFoo\nfo\u00f6\nx.y xzy\n";
  const cases: { name: string; patterns: string[]; options?: MatcherOptions; want: string[] }[] = [
    { name: "a regex", patterns: ["fo+"], want: ["foo", "foo", "foo", "foo", "fo"] },
    {
      name: "-F reads . literally",
      patterns: ["x.y"],
      options: { fixedStrings: true },
      want: ["x.y"],
    },
    { name: "without -F . is any char", patterns: ["x.y"], want: ["x.y", "xzy"] },
    {
      name: "several patterns: any may match, leftmost first",
      patterns: ["bar", "foo"],
      want: ["foo", "bar", "foo", "bar", "bar", "foo", "foo"],
    },
    {
      name: "several -F patterns",
      patterns: ["x.y", "_f"],
      options: { fixedStrings: true },
      want: ["_f", "x.y"],
    },
    {
      name: "-w: whole words (_ is a word character)",
      patterns: ["foo"],
      options: { wordRegexp: true },
      want: ["foo", "foo"],
    },
    {
      name: "-w with several patterns",
      patterns: ["foo", "bar"],
      options: { wordRegexp: true },
      want: ["foo", "bar", "bar", "foo"],
    },
    {
      name: "-w: \u00f6 is a word character",
      patterns: ["fo"],
      options: { wordRegexp: true },
      want: [],
    },
    { name: "-x: whole lines", patterns: ["foo"], options: { lineRegexp: true }, want: [] },
    {
      name: "-x with an alternation",
      patterns: ["foobar|_foo"],
      options: { lineRegexp: true },
      want: ["foobar", "_foo"],
    },
    {
      name: "-i",
      patterns: ["FOO"],
      options: { caseMode: "insensitive" },
      want: ["foo", "foo", "foo", "foo", "Foo"],
    },
    {
      name: "-S without uppercase ignores case",
      patterns: ["foo"],
      options: { caseMode: "smart" },
      want: ["foo", "foo", "foo", "foo", "Foo"],
    },
    {
      name: "-S with uppercase is case-sensitive",
      patterns: ["Foo"],
      options: { caseMode: "smart" },
      want: ["Foo"],
    },
    {
      name: "-S: one pattern with uppercase makes them all case-sensitive",
      patterns: ["Foo", "bar"],
      options: { caseMode: "smart" },
      want: ["bar", "bar", "bar", "Foo"],
    },
    {
      name: "-S: an escape such as \\W is not uppercase",
      patterns: ["foo\\W"],
      options: { caseMode: "smart" },
      want: ["foo ", "foo-"],
    },
    {
      name: "-i -F",
      patterns: ["FOO-"],
      options: { caseMode: "insensitive", fixedStrings: true },
      want: ["foo-"],
    },
    // The last two differ from rg 13 on purpose: it joins patterns with a bare "|", so a
    // leading (?i) of the first one reaches them all (and `-e '(a' -e 'b)'` compiles). Here
    // each pattern keeps its own flags.
    {
      name: "(?i) of one pattern among several",
      patterns: ["(?i)FOO", "BAR"],
      want: ["foo", "foo", "foo", "foo", "Foo"],
    },
    {
      name: "(?-i) of one pattern under -i",
      patterns: ["(?-i)Foo", "BAR"],
      options: { caseMode: "insensitive" },
      want: ["bar", "bar", "bar", "Foo"],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => assert.deepEqual(findInLines(c.patterns, text, c.options), c.want));
  }
});

Deno.test("buildMatcher() lets patterns span lines only in multiline mode", () => {
  const text = "one\ntwo\nthree\n";
  assert.deepEqual(find(["o\\nt"], text, { multiline: true }), ["o\nt"]);
  assert.deepEqual(find(["o\nt"], text, { multiline: true, fixedStrings: true }), ["o\nt"]);
  // . stops at a newline unless --multiline-dotall; (?s) does the same for one pattern.
  assert.deepEqual(find(["e.t"], "one\ntwo", { multiline: true }), []);
  assert.deepEqual(find(["e.t"], "one\ntwo", { multiline: true, multilineDotall: true }), [
    "e\nt",
  ]);
  assert.deepEqual(find(["(?s)e.t", "x"], "one\ntwo", { multiline: true }), ["e\nt"]);
  // --multiline-dotall means nothing without -U.
  assert.deepEqual(find(["e.t"], "one\ntwo", { multilineDotall: true }), []);
  for (const options of [{}, { fixedStrings: true }]) {
    assert.throws(
      () => buildMatcher(["a\nb"], options),
      (error: unknown) => error instanceof PatternError && error.position === 1,
    );
  }
});

Deno.test("buildMatcher() names its strategy", async (t) => {
  await t.step("a plain literal is found with indexOf", () => {
    const m = buildMatcher(["needle"]);
    assert.equal(m.strategy, "literal");
    assert.equal(m.literal, "needle");
  });
  await t.step("-F text with regex syntax is still a literal", () => {
    const m = buildMatcher(["a.b*(c)"], { fixedStrings: true });
    assert.equal(m.strategy, "literal");
    assert.equal(m.literal, "a.b*(c)");
  });
  await t.step("escaped syntax in a regex is a literal too", () => {
    assert.equal(buildMatcher(["a\\.b"]).literal, "a.b");
    assert.equal(buildMatcher(["a\\-b"]).literal, "a-b");
  });
  await t.step("-w over a literal finds it with indexOf and checks the neighbours", () => {
    const m = buildMatcher(["needle"], { wordRegexp: true });
    assert.equal(m.strategy, "word-literal");
    assert.equal(m.literal, "needle");
    assert.equal(buildMatcher(["ne+dle"], { wordRegexp: true }).strategy, "regex");
  });
  for (
    const [name, patterns, options] of [
      ["a regex", ["ne+dle"], {}],
      ["-i", ["needle"], { caseMode: "insensitive" }],
      ["-x", ["needle"], { lineRegexp: true }],
      ["several patterns", ["a", "b"], {}],
      ["an anchor", ["^needle"], {}],
      ["an empty pattern", [""], {}],
    ] as [string, string[], MatcherOptions][]
  ) {
    await t.step(`${name} needs the regex`, () => {
      const m = buildMatcher(patterns, options);
      assert.equal(m.strategy, "regex");
      assert.equal(m.literal, undefined);
    });
  }
  await t.step("no pattern at all (an empty -f file) never matches", () => {
    const m = buildMatcher([]);
    assert.equal(m.strategy, "never");
    assert.equal(m.clone().test("anything\n"), false);
  });
});

Deno.test("buildMatcher() literal and regex strategies find the same matches", () => {
  // The literal fast path must agree with the general regex it stands in for.
  const text = "a.b a*b\nxa.bx a.b.\n";
  for (const literal of ["a.b", "a*b", "b\n", "x"]) {
    const fast = buildMatcher([literal], { fixedStrings: true, multiline: true });
    assert.equal(fast.strategy, "literal");
    const indexOf: number[] = [];
    for (
      let i = text.indexOf(fast.literal!);
      i >= 0;
      i = text.indexOf(fast.literal!, i + literal.length)
    ) {
      indexOf.push(i);
    }
    assert.deepEqual([...text.matchAll(fast.clone())].map((m) => m.index), indexOf, literal);
  }
});

Deno.test("buildMatcher() gives independent clones of one global regex", () => {
  const m = buildMatcher(["o"]);
  assert.ok(m.regex.global);
  assert.ok(m.regex.unicode || m.regex.unicodeSets);
  // No m or s flag: translateRegex spells out ^, $ and . itself.
  assert.ok(!m.regex.multiline && !m.regex.dotAll);
  const a = m.clone();
  const b = m.clone();
  assert.notEqual(a, b);
  a.exec("foo");
  assert.equal(a.lastIndex, 2);
  assert.equal(b.lastIndex, 0);
  assert.equal(a.source, m.regex.source);
});

Deno.test("buildMatcher() reports an invalid regex with rg's column", async (t) => {
  // rg's caret column for each pattern (ripgrep 13, `rg PATTERN`), 1-based; position is 0-based.
  const cases: [pattern: string, position: number, message: RegExp][] = [
    ["a(b", 1, /unterminated group/],
    ["x)", 1, /unmatched '\)'/i],
    ["*a", 0, /nothing to repeat/],
    ["[z-a]", 1, /range out of order/],
    ["x[b-a]", 2, /range out of order/],
    ["a{2,1}", 1, /numbers out of order/],
    ["\\p{Nope}", 0, /invalid property name/],
    ["ab\\pQ", 2, /invalid property name/],
    ["(?P<n>a)(?P<n>b)", 4, /duplicate capture group name/],
    ["x(?P<ab>a)(?P<ab>b)", 5, /duplicate capture group name/],
    ["[a", 0, /unclosed character class/],
    ["a\\", 1, /incomplete escape sequence/],
    ["(?z)a", 2, /unrecognized flag/],
  ];
  for (const [pattern, position, message] of cases) {
    await t.step(pattern, () => assertPatternError(pattern, position, message));
  }
  await t.step("the message names the pattern", () => {
    assert.throws(() => buildMatcher(["ok", "a(b"]), /regex parse error in "a\(b" at column 2/);
  });
});

Deno.test("buildMatcher() says when a regex may run on bytes read one per char", () => {
  assert.equal(buildMatcher(["needle"]).byteSafe, true);
  assert.equal(buildMatcher(["^needle$"]).byteSafe, true);
  assert.equal(buildMatcher(["needle"], { lineRegexp: true }).byteSafe, true);
  // . would take one byte of a multi-byte character; \w and \pL need decoded text.
  assert.equal(buildMatcher(["a.b"]).byteSafe, false);
  assert.equal(buildMatcher(["\\w+"]).byteSafe, false);
  assert.equal(buildMatcher(["\u00e9"]).byteSafe, false);
  // Under -i, k also matches the Kelvin sign K (U+212A).
  assert.equal(buildMatcher(["kit"], { caseMode: "insensitive" }).byteSafe, false);
  assert.equal(buildMatcher(["bar"], { caseMode: "insensitive" }).byteSafe, true);
});

Deno.test("buildMatcher() prefilters alternatives on what they share", () => {
  assert.deepEqual(buildMatcher(["malloc|calloc|realloc"]).requiredLiterals, ["alloc"]);
  assert.deepEqual(buildMatcher(["foo", "bar"]).requiredLiterals, ["foo", "bar"]);
  assert.deepEqual(buildMatcher(["abcx|abcy"]).requiredLiterals, ["abc"]);
  // Under -i: lower-case ASCII runs free of k and s (the Kelvin sign and the long s fold to
  // them), and nothing when a run is too short to scan for.
  const caseless = (p: string[]) => buildMatcher(p, { caseMode: "insensitive" });
  assert.deepEqual(caseless(["Unicode"]).requiredLiterals, ["unicode"]);
  assert.equal(caseless(["Unicode"]).literalsIgnoreCase, true);
  assert.deepEqual(caseless(["mask_résumé"]).requiredLiterals, ["ma"]);
  assert.deepEqual(caseless(["SIGCHLD|sigkill"]).requiredLiterals, ["igchld", "ill"]);
  assert.deepEqual(caseless(["MALLOC|Calloc"]).requiredLiterals, ["alloc"]);
  assert.deepEqual(caseless(["ab|cd"]).requiredLiterals, ["ab", "cd"]);
  assert.equal(caseless(["a|cd"]).requiredLiterals, undefined);
  assert.equal(caseless(["ks"]).requiredLiterals, undefined);
  assert.equal(buildMatcher(["(?i)foo", "Bar"]).requiredLiterals, undefined);
});
