import assert from "node:assert/strict";
import { Glob, GLOB_DEFAULTS, type GlobOptions, GlobSyntaxError, globToRegExp } from "./glob.ts";

const SEP: GlobOptions = { literalSeparator: true };
const CASE: GlobOptions = { caseInsensitive: true };
const NO_ESCAPE: GlobOptions = { backslashEscape: false };

// [glob, path, matches, options]; most cases are globset's own tests (crates/globset/src/glob.rs).
const CASES: [string, string, boolean, GlobOptions?][] = [
  ["a", "a", true],
  ["a", "b", false],
  ["a*b", "a_b", true],
  ["a*b*c", "abc", true],
  ["a*b*c", "abcd", false],
  ["a*b*c", "a_b_c", true],
  ["a*b*c", "a___b___c", true],
  ["*a*b*", "xbxaxbx", true, SEP],
  ["*a*b*", "xbxax/bx", false, SEP],
  ["*a?b*", "a/b", true],
  ["*a?b*", "a/b", false, SEP],
  ["*[a-c]x*", "zzbx", true, SEP],
  ["*.[ch]*", "a.b.c", true, SEP],
  ["abc*abc*abc", "abcabcabcabcabcabcabc", true],
  [
    "a*a*a*a*a*a*a*a*a",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    true,
  ],
  [
    "a*a*a*a*a*a*a*a*a",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
    false,
  ],
  ["a*b[xyz]c*d", "abxcdbxcddd", true],
  ["*.rs", ".rs", true],
  ["☃", "☃", true],
  ["?", "☃", true],
  ["??", "☃", false],
  // `*` and `?` cross `/` unless literalSeparator.
  ["*", "a/b", true],
  ["*", "a/b", false, SEP],
  ["a?b", "a/b", true],
  ["a?b", "a/b", false, SEP],
  ["*.rs", "src/main.rs", true],
  ["*.rs", "src/main.rs", false, SEP],
  // `**` forms.
  ["**", "a", true],
  ["**", "abcde", true],
  ["**", "", true],
  ["**", ".asdf", true],
  ["**", "/x/.asdf", true],
  ["**/**", "a/b", true, SEP],
  ["**/**/*", "a/b", true, SEP],
  ["**/**/**", "a/b", true, SEP],
  ["**/test", "one/two/test", true],
  ["**/test", "one/test", true],
  ["**/test", "test", true],
  ["**/test", "one/notthis", false],
  ["**/test", "/test", true],
  ["**/.*", ".abc", true],
  ["**/.*", "abc/.abc", true],
  ["**/foo/bar", "foo/bar", true],
  ["**/foo/bar", "x/foo/bar", true],
  ["**/foo/bar", "foofoo/bar", false],
  [".*/**", ".abc/abc", true],
  ["test/**", "test/", true],
  ["test/**", "test/one", true],
  ["test/**", "test/one/two", true],
  ["test/**", "test", false],
  ["some/*/needle.txt", "some/one/needle.txt", true],
  ["some/*/needle.txt", "some/one/two/needle.txt", false, SEP],
  ["some/**/needle.txt", "some/needle.txt", true],
  ["some/**/needle.txt", "some/one/needle.txt", true],
  ["some/**/needle.txt", "some/one/two/needle.txt", true],
  ["some/**/needle.txt", "some/other/notthis.txt", false],
  ["some/**/needle.txt", "someneedle.txt", false],
  ["a/**/b", "a/b", true, SEP],
  ["a/**/b", "a/x/y/b", true, SEP],
  ["a/**/b", "ax/b", false, SEP],
  // `**` glued to a name is two plain stars.
  ["a**b", "axxb", true, SEP],
  ["a**b", "ax/xb", false, SEP],
  ["**a", "xa", true, SEP],
  ["**a", "x/a", false, SEP],
  ["a/**b", "a/xb", true, SEP],
  ["a/**b", "a/x/b", false, SEP],
  // Classes.
  ["[a]", "a", true],
  ["[!a]", "b", true],
  ["[^a]", "b", true],
  ["[!a]", "a", false],
  ["[a-z]", "m", true],
  ["[a-z]", "M", false],
  ["[!a-z]", "M", true],
  ["[-]", "-", true],
  ["[]]", "]", true],
  ["[*]", "*", true],
  ["[!!]", "!", false],
  ["[a-]", "-", true],
  ["[-a-z]", "-", true],
  ["[a-z-]", "q", true],
  ["[]-z]", "a", true],
  ["[--z]", "-", true],
  ["[0-9a-z]", "5", true],
  ["[!0-9a-z]", "A", true],
  ["[\\]", "\\", true],
  // A class matches `/` even when `*` cannot, as in globset.
  ["a[!b]c", "a/c", true, SEP],
  ["a[/]c", "a/c", true, SEP],
  // Alternation.
  ["{a,b}", "a", true],
  ["{a,b}", "b", true],
  ["{a,b}", "c", false],
  ["*.{rs,toml}", "Cargo.toml", true],
  ["*.{rs,toml}", "src/lib.rs", true],
  ["*.{rs,toml}", "lib.js", false],
  ["{**/src/**,foo}", "abc/src/bar", true, SEP],
  ["{**/src/**,foo}", "foo", true, SEP],
  ["{[}],foo}", "}", true],
  ["{foo}", "foo", true],
  ["{*.foo,*.bar,*.wat}", "test.wat", true],
  ["{,a}.c", "a.c", true],
  ["{,a}.c", ".c", false],
  ["a,b", "a,b", true],
  ["a}.c", "a.c", true],
  // Escapes.
  ["\\*", "*", true],
  ["\\*", "x", false],
  ["\\[", "[", true],
  ["\\?", "?", true],
  ["\\a", "a", true],
  ["a\\{b,c}", "a{b,c}", false],
  ["\\{a,b}", "{a,b}", false],
  ["\\{a,b\\}", "{a,b}", true],
  ["a\\b", "a\\b", true, NO_ESCAPE],
  // Case.
  ["*.TXT", "a.txt", true, CASE],
  ["[A-Z]x", "qx", true, CASE],
  ["*.TXT", "a.txt", false],
  // Regex characters are literal.
  ["a.b", "axb", false],
  ["a+b", "a+b", true],
  ["(x)|y", "(x)|y", true],
  ["a$^b", "a$^b", true],
  // globset's regex has `.` stop at a newline.
  ["*", "a\nb", false],
  ["*", "a\nb", true, SEP],
];

Deno.test("globToRegExp() matches as globset does", async (t) => {
  for (const [glob, path, expected, options] of CASES) {
    const label = `${JSON.stringify(glob)} ${expected ? "matches" : "does not match"} ${
      JSON.stringify(path)
    }${options ? ` with ${JSON.stringify(options)}` : ""}`;
    await t.step(label, () => {
      assert.equal(globToRegExp(glob, options).test(path), expected);
      const compiled = new Glob(glob, options);
      assert.equal(compiled.test(path), expected, "Glob.test");
      assert.equal(compiled.testAt(`./x/${path}`, 4), expected, "Glob.testAt");
    });
  }
});

Deno.test("globToRegExp() rejects what globset rejects, with its reasons", async (t) => {
  const errors: [string, string][] = [
    ["[", "unclosed character class; missing ']'"],
    ["[]", "unclosed character class; missing ']'"],
    ["[!", "unclosed character class; missing ']'"],
    ["[!]", "unclosed character class; missing ']'"],
    ["[z-a]", "invalid range; 'z' > 'a'"],
    ["[z--]", "invalid range; 'z' > '-'"],
    ["{a,b", "unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?)"],
    ["{a,{b,c}}", "nested alternate groups are not allowed"],
    ["a\\", "dangling '\\'"],
  ];
  for (const [glob, reason] of errors) {
    await t.step(JSON.stringify(glob), () => {
      assert.throws(() => globToRegExp(glob), (error) => {
        assert.ok(error instanceof GlobSyntaxError);
        assert.ok(error instanceof SyntaxError);
        assert.equal(error.glob, glob);
        assert.equal(error.reason, reason);
        assert.equal(error.message, `Invalid glob "${glob}": ${reason}`);
        return true;
      });
    });
  }
});

Deno.test("Glob finds the name, extension and literal fast paths", () => {
  const facts = (glob: string, options: GlobOptions = SEP) => {
    const g = new Glob(glob, options);
    return [g.basename, g.extension, g.literal];
  };
  assert.deepEqual(facts("**/node_modules"), ["node_modules", undefined, undefined]);
  assert.deepEqual(facts("**/*.rs"), [undefined, ".rs", undefined]);
  assert.deepEqual(facts("*.rs", {}), [undefined, ".rs", undefined]);
  // With literalSeparator, `*.rs` matches top-level names only: no fast path.
  assert.deepEqual(facts("*.rs"), [undefined, undefined, undefined]);
  assert.deepEqual(facts("**/*.tar.gz"), [undefined, undefined, undefined]);
  assert.deepEqual(facts("src/main.rs"), [undefined, undefined, "src/main.rs"]);
  assert.deepEqual(facts("**/a/b"), [undefined, undefined, undefined]);
  assert.deepEqual(facts("**/Name", { ...SEP, caseInsensitive: true }), [
    undefined,
    undefined,
    undefined,
  ]);
});

Deno.test("Glob fast paths agree with the regular expression", () => {
  const globs = ["**/foo", "**/*.rs", "*.rs", "a/b", "**/.*", "**/*.", "**/x.y"];
  const paths = ["foo", "a/foo", "afoo", "a/b/foo/c", ".rs", "x.rs", "a/x.rs", "a.rs/b", "a/b"]
    .concat(["x.", "a/x.y", "ax.y", ".x", "a/.x", "a/b/"]);
  for (const glob of globs) {
    for (const options of [SEP, {}]) {
      const compiled = new Glob(glob, options);
      for (const path of paths) {
        const expected = compiled.regExp.test(path);
        assert.equal(compiled.test(path), expected, `${glob} ${path} ${JSON.stringify(options)}`);
        assert.equal(compiled.testAt(`x/${path}`, 2), expected, `${glob} x/${path}`);
        const name = path.slice(path.lastIndexOf("/") + 1);
        assert.equal(compiled.testEntry(path, 0, path.length - name.length), expected);
      }
    }
  }
});

Deno.test("globToRegExp() stays fast on many stars that fail to match", () => {
  // A plain translation backtracks through every split: minutes for this one.
  const started = performance.now();
  assert.ok(!globToRegExp("a*a*a*a*a*a*a*a*a").test(`${"a".repeat(200)}b`));
  assert.ok(!globToRegExp("*a*b*c*d*e*f", { literalSeparator: true }).test("ab".repeat(500)));
  assert.ok(globToRegExp("*a*b*c*d*e*f", { literalSeparator: true }).test("abcdef".repeat(50)));
  assert.ok(performance.now() - started < 1000);
});

Deno.test("testAt() matches the part of the path after the offset only", () => {
  const glob = new Glob("src/*.ts", SEP);
  assert.ok(glob.testAt("./repo/src/a.ts", "./repo/".length));
  assert.ok(!glob.testAt("./repo/src/a.ts", 0));
  assert.ok(!glob.testAt("./repo/src/a.ts", "./repo/s".length));
});

Deno.test("GLOB_DEFAULTS are the documented ones", () => {
  assert.deepEqual(GLOB_DEFAULTS, {
    caseInsensitive: false,
    literalSeparator: false,
    backslashEscape: true,
  });
});
