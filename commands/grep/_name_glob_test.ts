import assert from "node:assert/strict";
import { NameGlobError, NameGlobSet, nameGlobToRegExp, toByteString } from "./_name_glob.ts";

/** ripgrep 13 is the reference; without it the comparisons are skipped. */
const rgVersion = await new Deno.Command("rg", { args: ["--version"], stdout: "piped" })
  .output()
  .then((out) => new TextDecoder().decode(out.stdout), () => "");
const hasRg13 = rgVersion.startsWith("ripgrep 13.");

const NAMES = [
  "a",
  "b",
  "x",
  "ab",
  "ac",
  "Ab",
  "a-b",
  "a.b",
  "a.y",
  "aXb",
  "a{b",
  "a}",
  "x,y",
  ".x",
  "*",
  "[",
  "]",
  "^",
  "{",
  "é",
  "éé",
  "main.rs",
  ".rs",
  "lib.RS",
  "x.tar.gz",
  "README",
  "README.md",
  "MIT-LICENSE.txt",
  "Makefile",
  "gnumakefile",
];

const GLOBS = [
  "a}",
  "[]a]",
  "[!a]",
  "[^a]",
  "[a-]",
  "x,y",
  "{}",
  "{a,}",
  "{a,}b",
  "{,a}b",
  "\\*",
  "?",
  "??",
  "[!]]",
  "[]-a]",
  "[[]",
  "[{]",
  "a*b",
  "a**b",
  "**/a",
  "**",
  "*/a",
  "a/**",
  "[a-c]c",
  "[A-a]b",
  "{a,b}",
  "a\\b",
  "[é]",
  "[é][é]",
  "é?",
  "[\\]]",
  "[\\!a]",
  ".*",
  "a[-]b",
  "*.rs",
  "*.{rs,gz}",
  "*.gz",
  "*.tar.gz",
  "*README",
  "README*",
  "*[.-]LICEN[CS]E*",
  "[Gg][Nn][Uu]makefile",
  "[Mm]akefile",
  "*.[0-9]",
  "{*.md,Makefile}",
];

const BAD_GLOBS = ["*.[", "*.{a", "*.[z-a]", "*.{a,{b,c}}", "*.x\\", "[a--]"];

/** The names `rg --files -t t` lists for a type made of one glob, or rg's error. */
async function rgMatches(dir: string, glob: string): Promise<{ names: string[]; error: string }> {
  const out = await new Deno.Command("rg", {
    args: [
      "--files",
      "--hidden",
      "--no-ignore",
      "--sort",
      "path",
      "--type-add",
      `t:${glob}`,
      "-t",
      "t",
    ],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  const names = decoder.decode(out.stdout).split("\n").filter((line) => line !== "");
  return { names, error: decoder.decode(out.stderr).trim() };
}

Deno.test({
  name: "NameGlobSet matches the same names as ripgrep 13 for each glob",
  ignore: !hasRg13,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "kit_name_glob_test_" });
    try {
      for (const name of NAMES) await Deno.writeTextFile(`${dir}/${name}`, "");
      for (const glob of GLOBS) {
        const set = new NameGlobSet();
        set.add(glob);
        const matches = set.compile();
        const ours = NAMES.filter(matches).sort();
        const theirs = (await rgMatches(dir, glob)).names.sort();
        assert.deepEqual(ours, theirs, `glob ${glob}`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "NameGlobError carries ripgrep 13's message for each bad glob",
  ignore: !hasRg13,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "kit_name_glob_test_" });
    try {
      for (const glob of BAD_GLOBS) {
        const { error } = await rgMatches(dir, glob);
        assert.throws(() => new NameGlobSet().add(glob), (e) => {
          assert.ok(e instanceof NameGlobError);
          assert.equal(e.message, error);
          return true;
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("NameGlobSet's fast paths agree with the plain RegExp of each glob", () => {
  for (const glob of GLOBS) {
    const set = new NameGlobSet();
    set.add(glob);
    const matches = set.compile();
    const regex = nameGlobToRegExp(glob);
    for (const name of NAMES) {
      assert.equal(matches(name), regex.test(toByteString(name)), `${glob} on ${name}`);
    }
  }
});

Deno.test("NameGlobSet combines globs of every strategy", () => {
  const set = new NameGlobSet();
  for (const glob of ["Makefile", "*.rs", "*.{c,h}", "*.tar.gz", "README*", "[Mm]akefile"]) {
    set.add(glob);
  }
  const matches = set.compile();
  for (const name of ["Makefile", "makefile", "a.rs", ".rs", "x.c", "x.h", "a.tar.gz", "READMEx"]) {
    assert.ok(matches(name), name);
  }
  for (const name of ["a.rsx", "x.cc", "a.gz", "xREADME", "rs", "Makefile2", "a.tar.gz.bak"]) {
    assert.ok(!matches(name), name);
  }
});

Deno.test("NameGlobSet with no globs matches nothing", () => {
  assert.equal(new NameGlobSet().compile()("a"), false);
});

Deno.test("NameGlobSet keeps a glob with many expansions in the RegExp", () => {
  const set = new NameGlobSet();
  set.add("{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}.txt");
  const matches = set.compile();
  assert.ok(matches("abcd.txt"));
  assert.ok(!matches("abce.txt"));
});

Deno.test("toByteString() spells a name's UTF-8 bytes", () => {
  assert.equal(toByteString("plain.rs"), "plain.rs");
  assert.equal(toByteString("日"), "\xe6\x97\xa5");
  assert.equal(toByteString("🎉"), "\xf0\x9f\x8e\x89");
});
