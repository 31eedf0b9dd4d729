import assert from "node:assert/strict";
import {
  escapeRegex,
  hasUppercase,
  PatternError,
  type TranslateOptions,
  translateRegex,
} from "./rust_regex.ts";

/** Every match of a Rust-syntax pattern in `text`, through the translation. */
function find(pattern: string, text: string, options?: TranslateOptions): string[] {
  const t = translateRegex(pattern, options);
  const regex = new RegExp(t.source, t.ignoreCase ? "giu" : "gu");
  return [...text.matchAll(regex)].map((m) => m[0]);
}

/** Asserts that translating throws a PatternError at `position`. */
function assertPatternError(pattern: string, message: RegExp, position: number): void {
  assert.throws(
    () => translateRegex(pattern),
    (error: unknown) => {
      assert.ok(error instanceof PatternError, String(error));
      assert.equal(error.name, "PatternError");
      assert.ok(error instanceof SyntaxError);
      assert.match(error.message, message);
      assert.equal(error.position, position);
      return true;
    },
  );
}

Deno.test("translateRegex() gives \\w, \\d and \\b Rust's Unicode meaning", async (t) => {
  // In JavaScript \w, \d and \b are ASCII-only even with the u flag; in Rust they are not.
  const cases: [pattern: string, text: string, want: string[]][] = [
    ["\\w+", "h\u00e9llo w\u00f6rld na\u00efve", ["h\u00e9llo", "w\u00f6rld", "na\u00efve"]],
    ["\\w+", "\u03a9\u03bc\u03ad\u03b3\u03b1_1", ["\u03a9\u03bc\u03ad\u03b3\u03b1_1"]],
    ["\\W+", "a, \u00e9!", [", ", "!"]],
    ["\\d+", "x = 42; y = \u0663\u0664", ["42", "\u0663\u0664"]],
    ["\\D+", "a\u0663b", ["a", "b"]],
    ["\\bcaf\u00e9\\b", "caf\u00e9 caf\u00e9s", ["caf\u00e9"]],
    ["\\b\u00e9", "\u00e9 caf\u00e9", ["\u00e9"]],
    ["\\B\u00e9", "\u00e9 caf\u00e9", ["\u00e9"]],
    ["\\bna\u00efve\\b", "na\u00efve", ["na\u00efve"]],
    ["[\\w]+", "\u00e9-x", ["\u00e9", "x"]],
    ["[\\d]+", "\u0663 4", ["\u0663", "4"]],
  ];
  for (const [pattern, text, want] of cases) {
    await t.step(`${pattern} in ${JSON.stringify(text)}`, () => {
      assert.deepEqual(find(pattern, text), want);
    });
  }
});

Deno.test("translateRegex() rewrites Rust-only syntax", async (t) => {
  const cases: [pattern: string, text: string, want: string[]][] = [
    ["(?P<year>\\d{4})", "in 2024", ["2024"]],
    ["\\pL+", "\u03b1\u03b2\u03b31", ["\u03b1\u03b2\u03b3"]],
    ["\\PL+", "12a", ["12"]],
    ["\\pN", "5", ["5"]],
    ["\\p{Greek}+", "abc \u03b1\u03b2\u03b3", ["\u03b1\u03b2\u03b3"]],
    ["\\p{sc=Greek}+", "\u03b1\u03b2", ["\u03b1\u03b2"]],
    ["\\p{Han}", "\u4e2d", ["\u4e2d"]],
    ["\\p{Letter}+", "ab1", ["ab"]],
    ["\\p{Lu}+", "aBC", ["BC"]],
    ["\\x{1F600}", "a\u{1F600}", ["\u{1F600}"]],
    ["\\x{e9}", "\u00e9", ["\u00e9"]],
    ["\\x41", "A", ["A"]],
    ["[\\x{e9}-\\x{ea}]", "\u00ea", ["\u00ea"]],
    ["\\a", "\x07bell", ["\x07"]],
    ["[[:alpha:]]+", "ab1", ["ab"]],
    ["[[:word:]]+", "a_b-", ["a_b"]],
    ["[[:digit:][:upper:]]+", "aB1c", ["B1"]],
    ["[^[:alpha:]]+", "ab12", ["12"]],
    // Negated POSIX classes and \W inside a class are complements JavaScript cannot nest.
    ["[[:^alpha:]]+", "ab12", ["12"]],
    ["[[:^digit:]a]+", "12ab", ["ab"]],
    ["[\\W_]+", "_\u00e9-3", ["_", "-"]],
    ["[^\\W\\d]+", "_\u00e92a", ["_\u00e9", "a"]],
    // Nested classes are unions; && and -- are intersection and difference.
    ["[a[bc]]+", "abcd", ["abc"]],
    ["[^a[^b]]", "abc", ["b"]],
    ["[a-z&&[^aeiou]]+", "bead", ["b", "d"]],
    ["[a-c--b]+", "abc", ["a", "c"]],
    ["[\\d--4]+", "1234", ["123"]],
    ["[a-c~~b-d]+", "abcd", ["a", "d"]],
    // A leading ] is literal, as are a trailing - and escaped brackets.
    ["[]a]+", "]a", ["]a"]],
    ["[^]a]+", "]ab", ["b"]],
    ["[a-]+", "-a", ["-a"]],
    ["[\\[\\]]+", "[]", ["[]"]],
    // Rust reads a lone ] or } as itself.
    ["a]", "a]", ["a]"]],
    ["a}", "a}", ["a}"]],
    ["x{2}", "xxx", ["xx"]],
  ];
  for (const [pattern, text, want] of cases) {
    await t.step(`${pattern} in ${JSON.stringify(text)}`, () => {
      assert.deepEqual(find(pattern, text), want);
    });
  }
});

Deno.test("translateRegex() lets escaped punctuation stand for itself outside classes", async (t) => {
  // The u flag rejects \- \# \& \~ and "\ " outside a class; Rust takes them literally.
  for (const c of ["-", "#", "&", "~", " ", "<", ">", "=", "@", "%", ",", ":", ";", "`", "!"]) {
    await t.step(`\\${c}`, () => {
      assert.deepEqual(find(`a\\${c}b`, `a${c}b`), [`a${c}b`]);
    });
  }
  await t.step("inside a class \\- is still a literal dash", () => {
    assert.deepEqual(find("[a\\-z]+", "-az b"), ["-az"]);
  });
});

Deno.test("translateRegex() anchors and . stop only at \\n, as Rust's do", async (t) => {
  // JavaScript's ^, $ and . also treat \r, U+2028 and U+2029 as line ends.
  await t.step("$ does not match before \\r (rg 'foo$' on \"foo\\r\\n\" finds nothing)", () => {
    assert.deepEqual(find("foo$", "foo\r\nfoo\n"), ["foo"]);
    assert.deepEqual(find("foo$", "foo\r"), []);
  });
  await t.step("^ does not match after \\r or U+2028", () => {
    assert.deepEqual(find("^b", "a\rb\nb"), ["b"]);
    assert.deepEqual(find("^y", "x\u2028y"), []);
  });
  await t.step(". matches \\r and U+2028 but not \\n", () => {
    assert.deepEqual(find("a.b", "a\rb a\u2028b a\nb"), ["a\rb", "a\u2028b"]);
  });
  await t.step("(?s) lets . match \\n; so does the dotAll option", () => {
    assert.deepEqual(find("(?s)a.b", "a\nb"), ["a\nb"]);
    assert.deepEqual(find("a.b", "a\nb", { multiline: true, dotAll: true }), ["a\nb"]);
    assert.deepEqual(find("a.b", "a\nb", { multiline: true }), []);
  });
  await t.step("\\A and \\z are the ends of a line, as rg searches lines", () => {
    assert.deepEqual(find("\\Afoo", "foo bar\nfoo"), ["foo", "foo"]);
    assert.deepEqual(find("bar\\z", "bar\nfoo bar"), ["bar", "bar"]);
  });
  await t.step("with multiline, \\A and \\z are the ends of the text", () => {
    assert.deepEqual(find("\\Afoo", "foo bar\nfoo", { multiline: true }), ["foo"]);
    assert.deepEqual(find("bar\\z", "bar\nfoo bar", { multiline: true }), ["bar"]);
    assert.deepEqual(find("^foo", "foo\nfoo", { multiline: true }), ["foo", "foo"]);
  });
});

Deno.test("translateRegex() turns leading inline flags into flags", async (t) => {
  await t.step("(?i)", () => {
    const r = translateRegex("(?i)abc");
    assert.deepEqual([r.source, r.ignoreCase, r.caseSensitive], ["abc", true, false]);
  });
  await t.step("(?-i)", () => {
    const r = translateRegex("(?-i)abc");
    assert.deepEqual([r.ignoreCase, r.caseSensitive], [false, true]);
  });
  await t.step("(?s)", () => {
    const r = translateRegex("(?s)a.b");
    assert.equal(r.dotAll, true);
    assert.ok(new RegExp(r.source, "u").test("a\nb"));
  });
  await t.step("(?x) drops whitespace and comments, not escaped or classed ones", () => {
    assert.deepEqual(find("(?x) a b # a comment\n c", "abc"), ["abc"]);
    assert.deepEqual(find("(?x)a\\ b[ ]c", "a b c"), ["a b c"]);
  });
  await t.step("several groups and letters: (?is)(?x)", () => {
    const r = translateRegex("(?is)(?x) A . B");
    assert.deepEqual([r.ignoreCase, r.dotAll], [true, true]);
    assert.deepEqual(find("(?is)(?x) A . B", "a\nb"), ["a\nb"]);
  });
  await t.step("(?m) and (?u) change nothing: both are always on", () => {
    assert.deepEqual(find("(?mu)^\\w", "\u00e9\nb"), ["\u00e9", "b"]);
  });
});

Deno.test("translateRegex() scopes inline flags in mid-pattern to their group", async (t) => {
  // What rg -o prints for each pattern (ripgrep 13).
  const cases: [pattern: string, text: string, want: string[]][] = [
    ["(?i)h(?-i)ELLO", "HELLO hello hELLO", ["HELLO", "hELLO"]],
    ["a(?i)b", "ab aB Ab", ["ab", "aB"]],
    // The flag lasts to the end of its group, and through later branches of it.
    ["a(?i)b|C", "c C ab", ["c", "C", "ab"]],
    ["(a(?i)b)c", "aBc aBC", ["aBc"]],
    ["(?i:A)b", "ab AB", ["ab"]],
    ["(?s:a.)b.", "a\nb\n a\nbc", ["a\nbc"]],
  ];
  for (const [pattern, text, want] of cases) {
    await t.step(`${pattern} in ${JSON.stringify(text)}`, () => {
      assert.deepEqual(find(pattern, text, { multiline: true }), want);
    });
  }
});

Deno.test("translateRegex() rejects a literal newline unless multiline, naming its position", async (t) => {
  await t.step("the escape \\n", () => {
    assertPatternError("ab\\nc", /the literal "\\n" is not allowed/, 2);
  });
  await t.step("a newline character", () => {
    assertPatternError("abc\nd", /the literal "\\n" is not allowed/, 3);
  });
  await t.step("inside a class", () => {
    assertPatternError("x[a\\n]", /the literal "\\n" is not allowed/, 3);
  });
  await t.step("after leading flags the position is still in the whole pattern", () => {
    assertPatternError("(?i)a\\n", /the literal "\\n" is not allowed/, 5);
  });
  await t.step("allowed with multiline", () => {
    assert.deepEqual(find("e\\nt", "one\ntwo", { multiline: true }), ["e\nt"]);
    assert.deepEqual(find("[\\n]", "a\nb", { multiline: true }), ["\n"]);
  });
});

Deno.test("translateRegex() reports what JavaScript cannot express, with its position", async (t) => {
  await t.step("an unknown flag (rg: column 3 of '(?z)a')", () => {
    assertPatternError("(?z)a", /unrecognized flag "z"/, 2);
  });
  await t.step("an unknown flag in a group", () => {
    assertPatternError("a(?q:b)", /unrecognized flag "q"/, 3);
  });
  await t.step("(?U), which swaps greediness", () => {
    assertPatternError("(?U)a+", /swapping greediness/, 2);
  });
  await t.step("(?x) in mid-pattern", () => {
    assertPatternError("a(?x)b", /"x" is only supported at the start/, 3);
  });
  await t.step("a trailing backslash (rg: column 2 of 'a\\')", () => {
    assertPatternError("a\\", /incomplete escape sequence/, 1);
  });
  await t.step("an unclosed class (rg: column 1 of '[a')", () => {
    assertPatternError("[a", /unclosed character class/, 0);
  });
  await t.step("an unclosed Unicode class", () => {
    assertPatternError("x\\p{Greek", /unclosed Unicode class/, 1);
  });
});

Deno.test("hasUppercase() finds the uppercase letters smart case looks for", async (t) => {
  // rg -S treats the pattern as case-sensitive exactly when these are true (ripgrep 13).
  const cases: [pattern: string, want: boolean][] = [
    ["foo", false],
    ["Foo", true],
    ["fOo", true],
    ["FOO", true],
    ["x[A-Z]", true],
    ["x[a-z]", false],
    ["foo\\W", false],
    ["\\p{Lu}", false],
    ["\\PL", false],
    ["\\pL", false],
    ["[[:upper:]]", false],
    ["[[:^upper:]]", false],
    // \x41 is "A"; a group's name is not text.
    ["\\x41", true],
    ["f\\x{4F}", true],
    ["\\x61", false],
    ["(?P<Name>foo)", false],
    ["(?<Name>foo)", false],
    ["\\\\W", true],
    ["\u00c9t\u00e9", true],
    ["\u00e9t\u00e9", false],
  ];
  for (const [pattern, want] of cases) {
    await t.step(pattern, () => assert.equal(hasUppercase(pattern), want));
  }
});

Deno.test("escapeRegex() escapes exactly the syntax characters", () => {
  const text = "a.b*c+d?e^f$g(h)i[j]k{l}m|n\\o/p-q#r";
  const source = escapeRegex(text);
  assert.equal(source, "a\\.b\\*c\\+d\\?e\\^f\\$g\\(h\\)i\\[j\\]k\\{l\\}m\\|n\\\\o\\/p-q#r");
  // The u flag accepts the result, and it matches only the text itself.
  const regex = new RegExp(`^${source}$`, "u");
  assert.ok(regex.test(text));
  assert.ok(!regex.test(text.replace(".", "x")));
  assert.equal(escapeRegex(""), "");
  assert.equal(escapeRegex("h\u00e9llo"), "h\u00e9llo");
});
