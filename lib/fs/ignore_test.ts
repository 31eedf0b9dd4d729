import assert from "node:assert/strict";
import { GlobSyntaxError } from "./glob.ts";
import {
  Gitignore,
  GITIGNORE_DEFAULTS,
  GitignoreSyntaxError,
  type IgnoreMatch,
  Overrides,
} from "./ignore.ts";
import { walkSync } from "./walk.ts";

/**
 * A case from gitignore(5): the files of a repository (ignore files included; a path ending
 * in `/` is an empty folder), the paths the rules exclude, and the paths they keep. A path
 * inside an excluded folder counts as excluded, as it does for git and for a walk.
 */
interface Case {
  name: string;
  files: Record<string, string>;
  ignored: string[];
  kept: string[];
}

const CASES: Case[] = [
  {
    name: "blank lines and # comments match nothing",
    files: { ".gitignore": "# a comment\n\n   \n#hash\n", "#hash": "", "# a comment": "" },
    ignored: [],
    kept: ["#hash", "# a comment"],
  },
  {
    name: "a backslash escapes a leading # or !",
    files: { ".gitignore": "\\#hash\n\\!bang\n", "#hash": "", "!bang": "", hash: "", bang: "" },
    ignored: ["#hash", "!bang"],
    kept: ["hash", "bang"],
  },
  {
    name: "trailing spaces are dropped unless escaped with a backslash",
    files: { ".gitignore": "spaced   \nescaped\\ \n", spaced: "", "escaped ": "", escaped: "" },
    ignored: ["spaced", "escaped "],
    kept: ["escaped"],
  },
  {
    name: "a pattern without a slash matches a file or folder at any depth",
    files: { ".gitignore": "frotz\n", frotz: "", "a/frotz": "", "a/b/frotz/x": "", frotzy: "" },
    ignored: ["frotz", "a/frotz", "a/b/frotz/", "a/b/frotz/x"],
    kept: ["frotzy", "a/", "a/b/"],
  },
  {
    name: "a leading slash anchors the pattern to the folder of the .gitignore",
    files: { ".gitignore": "/top.txt\n", "top.txt": "", "sub/top.txt": "" },
    ignored: ["top.txt"],
    kept: ["sub/top.txt"],
  },
  {
    name: "a slash in the middle anchors the pattern too",
    files: { ".gitignore": "doc/frotz\n", "doc/frotz": "", "a/doc/frotz": "" },
    ignored: ["doc/frotz"],
    kept: ["a/doc/frotz", "doc/"],
  },
  {
    name: "a trailing slash matches folders only",
    files: { ".gitignore": "frotz/\n", "frotz/x": "", "a/frotz/y": "", "b/frotz": "" },
    ignored: ["frotz/", "frotz/x", "a/frotz/", "a/frotz/y"],
    kept: ["b/frotz", "a/"],
  },
  {
    name: "a leading and a trailing slash: a folder at the top only",
    files: { ".gitignore": "/build/\n", "build/x": "", "sub/build/x": "" },
    ignored: ["build/", "build/x"],
    kept: ["sub/build/", "sub/build/x"],
  },
  {
    name: "* does not match a slash",
    files: { ".gitignore": "doc/*.txt\n", "doc/a.txt": "", "doc/sub/b.txt": "", "a.txt": "" },
    ignored: ["doc/a.txt"],
    kept: ["doc/sub/b.txt", "a.txt"],
  },
  {
    name: "? and [...] match one character",
    files: {
      ".gitignore": "file?.txt\n[Bb]ackup\nx[!0-9]\n",
      "file1.txt": "",
      "file10.txt": "",
      "file.txt": "",
      Backup: "",
      "d/backup": "",
      cBackup: "",
      xa: "",
      x1: "",
    },
    ignored: ["file1.txt", "Backup", "d/backup", "xa"],
    kept: ["file10.txt", "file.txt", "cBackup", "x1"],
  },
  {
    name: "a leading **/ matches in every folder",
    files: {
      ".gitignore": "**/foo\n**/bar/baz\n",
      foo: "",
      "a/foo": "",
      "a/b/foo": "",
      afoo: "",
      "bar/baz": "",
      "x/bar/baz": "",
      "bar/x/baz": "",
    },
    ignored: ["foo", "a/foo", "a/b/foo", "bar/baz", "x/bar/baz"],
    kept: ["afoo", "bar/x/baz"],
  },
  {
    name: "a trailing /** matches everything inside, not the folder itself",
    files: { ".gitignore": "abc/**\n", "abc/x": "", "abc/y/z": "", "abc2/x": "", "x/abc/y": "" },
    ignored: ["abc/x", "abc/y/", "abc/y/z"],
    kept: ["abc/", "abc2/x", "x/abc/y"],
  },
  {
    name: "/**/ matches zero or more folders",
    files: { ".gitignore": "a/**/b\n", "a/b": "", "a/x/b": "", "a/x/y/b": "", ab: "", "x/a/b": "" },
    ignored: ["a/b", "a/x/b", "a/x/y/b"],
    kept: ["ab", "x/a/b", "a/x/"],
  },
  {
    name: "two stars inside a name are ordinary stars",
    files: { ".gitignore": "a**z\n", abz: "", "a.z": "", "d/abz": "", "a/z": "" },
    ignored: ["abz", "a.z", "d/abz"],
    kept: ["a/z"],
  },
  {
    name: "! re-includes what an earlier rule excluded",
    files: { ".gitignore": "*.log\n!keep.log\n", "a.log": "", "sub/b.log": "", "keep.log": "" },
    ignored: ["a.log", "sub/b.log"],
    kept: ["keep.log"],
  },
  {
    name: "the last matching rule wins",
    files: { ".gitignore": "!keep.log\n*.log\n", "keep.log": "", "a.log": "" },
    ignored: ["keep.log", "a.log"],
    kept: [],
  },
  {
    name: "a file inside an excluded folder cannot be re-included",
    files: { ".gitignore": "build/\n!build/keep.txt\n", "build/keep.txt": "", "build/x.txt": "" },
    ignored: ["build/", "build/keep.txt", "build/x.txt"],
    kept: [],
  },
  {
    name: "excluding the folder's content instead lets a file be re-included",
    files: { ".gitignore": "build/*\n!build/keep.txt\n", "build/keep.txt": "", "build/x.txt": "" },
    ignored: ["build/x.txt"],
    kept: ["build/", "build/keep.txt"],
  },
  {
    name: "a deeper .gitignore wins over a shallower one",
    files: {
      ".gitignore": "*.log\n",
      "sub/.gitignore": "!*.log\n",
      "a.log": "",
      "sub/b.log": "",
      "sub/deeper/c.log": "",
    },
    ignored: ["a.log"],
    kept: ["sub/b.log", "sub/deeper/c.log"],
  },
  {
    name: "a nested .gitignore anchors to its own folder",
    files: {
      "sub/.gitignore": "/local.txt\ndata/\n",
      "local.txt": "",
      "sub/local.txt": "",
      "sub/x/local.txt": "",
      "sub/data/d": "",
      "sub/x/data/d": "",
      "data/d": "",
    },
    ignored: ["sub/local.txt", "sub/data/", "sub/data/d", "sub/x/data/", "sub/x/data/d"],
    kept: ["local.txt", "sub/x/local.txt", "data/d"],
  },
  {
    name: "a nested .gitignore's **/ rule stays below its folder",
    files: { "sub/.gitignore": "**/gen\n", gen: "", "sub/gen": "", "sub/a/gen": "" },
    ignored: ["sub/gen", "sub/a/gen"],
    kept: ["gen"],
  },
  {
    name: "* then !*/ then !*.txt keeps only .txt files, at any depth",
    files: {
      ".gitignore": "*\n!*/\n!*.txt\n",
      "a.txt": "",
      "a.md": "",
      "x/b.txt": "",
      "x/b.md": "",
    },
    ignored: [".gitignore", "a.md", "x/b.md"],
    kept: ["a.txt", "x/", "x/b.txt"],
  },
  {
    name: "matching is case-sensitive",
    files: { ".gitignore": "*.TXT\n", "A.TXT": "", "a.txt": "" },
    ignored: ["A.TXT"],
    kept: ["a.txt"],
  },
  {
    name: "dotfiles match like any other name",
    files: { ".gitignore": ".env\n", ".env": "", "sub/.env": "", ".envrc": "" },
    ignored: [".env", "sub/.env"],
    kept: [".envrc"],
  },
];

/** The answer of a set of ignore files for a path: its folders first, as a walk meets them. */
function ignoredByRules(rules: Map<string, Gitignore>, path: string): boolean {
  const parts = path.replace(/\/$/, "").split("/");
  for (let i = 1; i <= parts.length; i++) {
    const isDir = i < parts.length || path.endsWith("/");
    let answer: IgnoreMatch = "none";
    // The deepest .gitignore with a say decides.
    for (let j = i - 1; j >= 0 && answer === "none"; j--) {
      const folder = parts.slice(0, j).join("/");
      const file = rules.get(folder);
      if (file) answer = file.matched(parts.slice(j, i).join("/"), isDir);
    }
    if (answer === "ignore") return true;
  }
  return false;
}

async function git(cwd: string, args: string[], stdin = ""): Promise<string> {
  const command = new Deno.Command("git", {
    args,
    cwd,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    // No user or system configuration: no global excludes file, no core.ignoreCase.
    env: {
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      HOME: cwd,
      XDG_CONFIG_HOME: cwd,
    },
  });
  const child = command.spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const output = await child.output();
  // check-ignore exits 1 when nothing is ignored.
  if (output.code > 1) throw new Error(new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout);
}

async function makeRepo(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "kit_ignore_" });
  await git(dir, ["init", "-q"]);
  for (const [path, text] of Object.entries(files)) {
    const full = `${dir}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    if (!path.endsWith("/")) await Deno.writeTextFile(full, text);
  }
  return dir;
}

Deno.test("Gitignore follows gitignore(5), and git check-ignore agrees", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, async () => {
      const dir = await makeRepo(c.files);
      try {
        const rules = new Map<string, Gitignore>();
        for (const [path, text] of Object.entries(c.files)) {
          if (path === ".gitignore" || path.endsWith("/.gitignore")) {
            rules.set(path.slice(0, Math.max(0, path.lastIndexOf("/"))), new Gitignore(text));
          }
        }
        for (const path of c.ignored) assert.ok(ignoredByRules(rules, path), `${path} is ignored`);
        for (const path of c.kept) assert.ok(!ignoredByRules(rules, path), `${path} is kept`);

        // git's own verdict on the same paths; git finds out itself which are folders (and
        // reads "abc/" as the folder's content, so the slash goes).
        const bare = (paths: string[]) => paths.map((path) => path.replace(/\/$/, ""));
        const all = bare([...c.ignored, ...c.kept]);
        const out = await git(
          dir,
          ["check-ignore", "--no-index", "--stdin"],
          all.join("\n") + "\n",
        );
        const byGit = out.split("\n").filter((line) => line !== "").sort();
        assert.deepEqual(byGit, bare(c.ignored).sort(), "git check-ignore");

        // The walk keeps exactly the files git lists as untracked and not ignored.
        const listed = await git(dir, ["ls-files", "--others", "--exclude-standard"]);
        const byWalk = [...walkSync(dir, { hidden: true, gitGlobal: false, sort: true })]
          .map((entry) => entry.path.slice(dir.length + 1))
          .filter((path) => !path.startsWith(".git/"));
        assert.deepEqual(byWalk, listed.split("\n").filter((line) => line !== "").sort());
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
});

Deno.test("Gitignore.matched() answers ignore, whitelist or none", () => {
  const rules = new Gitignore("*.o\n!keep.o\nbuild/\n");
  assert.equal(rules.matched("a.o", false), "ignore");
  assert.equal(rules.matched("src/keep.o", false), "whitelist");
  assert.equal(rules.matched("a.c", false), "none");
  assert.equal(rules.matched("build", true), "ignore");
  assert.equal(rules.matched("build", false), "none");
  // Only the path itself: the walker never looks inside an ignored folder.
  assert.equal(rules.matched("build/a.c", false), "none");
});

Deno.test("Gitignore keeps each rule's glob as ripgrep rewrites it", () => {
  const rules = new Gitignore("# c\nfoo\n/bar\n!baz/\na/b\n**/c\nd/**\n\\!e\n");
  assert.deepEqual(
    rules.rules.map((r) => [r.original, r.glob, r.whitelist, r.dirOnly, r.line]),
    [
      ["foo", "**/foo", false, false, 2],
      ["/bar", "bar", false, false, 3],
      ["!baz/", "**/baz", true, true, 4],
      ["a/b", "a/b", false, false, 5],
      ["**/c", "**/c", false, false, 6],
      ["d/**", "d/**/*", false, false, 7],
      ["\\!e", "**/!e", false, false, 8],
    ],
  );
});

Deno.test("Gitignore reads CRLF files, a byte order mark, and case-insensitively on request", () => {
  const crlf = new Gitignore("\ufeffa.tmp\r\nb.tmp\r\n");
  assert.equal(crlf.matched("a.tmp", false), "ignore");
  assert.equal(crlf.matched("b.tmp", false), "ignore");
  const anyCase = new Gitignore("*.html\n", { caseInsensitive: true });
  assert.equal(anyCase.matched("INDEX.HTML", false), "ignore");
  assert.equal(new Gitignore("*.html\n").matched("INDEX.HTML", false), "none");
});

Deno.test("Gitignore keeps ripgrep 13's quirks where it differs from git", () => {
  // Braces alternate (git reads them literally).
  const braces = new Gitignore("*.{c,h}\n");
  assert.equal(braces.matched("main.c", false), "ignore");
  assert.equal(braces.matched("x.{c,h}", false), "none");
  // A lone `!` becomes `**`, re-including everything.
  const bang = new Gitignore("*\n!\n");
  assert.equal(bang.matched("anything", false), "whitelist");
  // Trailing tabs are trimmed like spaces.
  assert.equal(new Gitignore("tab\t\n").matched("tab", false), "ignore");
});

Deno.test("Gitignore records lines that do not parse and keeps the rest", () => {
  const rules = new Gitignore("[ab\n*.log\n{x\ny\\\n", { source: "./.gitignore" });
  assert.equal(rules.rules.length, 1);
  assert.deepEqual(rules.errors.map((e) => [e.line, e.glob]), [[1, "**/[ab"], [3, "**/{x"], [
    4,
    "**/y\\",
  ]]);
  assert.ok(rules.errors[0] instanceof GitignoreSyntaxError);
  assert.equal(
    rules.errors[0].message,
    `Invalid glob "**/[ab" in "./.gitignore" line 1: unclosed character class; missing ']'`,
  );
  assert.ok(rules.errors[0].cause instanceof GlobSyntaxError);
  assert.equal(rules.matched("a.log", false), "ignore");
});

Deno.test("Gitignore.addLine() appends a rule after the others", () => {
  const rules = new Gitignore("*.log\n");
  assert.equal(rules.isEmpty, false);
  rules.addLine("!a.log");
  assert.equal(rules.matched("a.log", false), "whitelist");
  assert.equal(rules.addLine("# comment"), undefined);
  assert.equal(new Gitignore().isEmpty, true);
  assert.equal(new Gitignore().matched("x", false), "none");
});

Deno.test("Gitignore.matchEntry() matches from an offset, as the walker calls it", () => {
  const rules = new Gitignore("/src/*.o\n*.tmp\nlogs/\n");
  const path = "./repo/src/a.o";
  assert.equal(rules.matchEntry(path, "./repo/".length, "a.o", false), "ignore");
  assert.equal(rules.matchEntry(path, "./".length, "a.o", false), "none");
  assert.equal(rules.matchEntry("./x/b.tmp", 2, "b.tmp", false), "ignore");
  assert.equal(rules.matchEntry("./x/logs", 2, "logs", true), "ignore");
});

Deno.test("GITIGNORE_DEFAULTS are the documented ones", () => {
  assert.deepEqual(GITIGNORE_DEFAULTS, { caseInsensitive: false, source: "" });
});

// ripgrep's own tests of its overrides (crates/ignore/src/overrides.rs, version 13).
Deno.test("Overrides include, exclude and leave folders alone", async (t) => {
  const of = (globs: string[]) => new Overrides(globs, { root: "/home/andrew/foo" });
  await t.step("empty", () => {
    const ov = of([]);
    assert.equal(ov.isEmpty, true);
    assert.equal(ov.matched("a.foo", false), "none");
    assert.equal(ov.matched("", false), "none");
  });
  await t.step("simple", () => {
    const ov = of(["*.foo", "!*.bar"]);
    assert.equal(ov.matched("a.foo", false), "whitelist");
    assert.equal(ov.matched("a.foo", true), "whitelist");
    assert.equal(ov.matched("a.rs", false), "ignore");
    assert.equal(ov.matched("a.rs", true), "none");
    assert.equal(ov.matched("a.bar", false), "ignore");
    assert.equal(ov.matched("a.bar", true), "ignore");
  });
  await t.step("only excludes", () => {
    const ov = of(["!*.bar"]);
    assert.equal(ov.hasIncludes, false);
    assert.equal(ov.matched("a.rs", false), "none");
    assert.equal(ov.matched("a.bar", false), "ignore");
  });
  await t.step("precedence", () => {
    const ov = of(["*.foo", "!*.bar.foo"]);
    assert.equal(ov.matched("a.foo", false), "whitelist");
    assert.equal(ov.matched("a.baz", false), "ignore");
    assert.equal(ov.matched("a.bar.foo", false), "ignore");
  });
  await t.step("gitignore syntax", () => {
    const ov = of(["/foo", "bar/*.rs", "baz/**"]);
    assert.equal(ov.matched("bar/lib.rs", false), "whitelist");
    assert.equal(ov.matched("bar/wat/lib.rs", false), "ignore");
    assert.equal(ov.matched("wat/bar/lib.rs", false), "ignore");
    assert.equal(ov.matched("foo", false), "whitelist");
    assert.equal(ov.matched("wat/foo", false), "ignore");
    assert.equal(ov.matched("baz", false), "ignore");
    assert.equal(ov.matched("baz/a", false), "whitelist");
    assert.equal(ov.matched("baz/a/b", false), "whitelist");
  });
  await t.step("folders are not excluded for matching no glob", () => {
    const ov = of(["*.rs"]);
    assert.equal(ov.matched("foo.rs", false), "whitelist");
    assert.equal(ov.matched("foo", false), "ignore");
    assert.equal(ov.matched("foo", true), "none");
    assert.equal(ov.matched("src/foo.rs", false), "whitelist");
    assert.equal(ov.matched("src/foo", true), "none");
  });
  await t.step("an anchored glob matches from the root only", () => {
    assert.equal(of(["!/bar"]).matched("./foo/bar", false), "none");
    assert.equal(of(["/bar/*.rs"]).matched("/home/andrew/foo/bar/a.rs", false), "whitelist");
    assert.equal(of(["/bar/*.rs"]).matched("./bar/a.rs", false), "whitelist");
    assert.equal(of(["/bar/*.rs"]).matched("/elsewhere/bar/a.rs", false), "ignore");
  });
  await t.step("case", () => {
    const ov = new Overrides([{ glob: "*.html", caseInsensitive: true }]);
    assert.equal(ov.matched("foo.HTML", false), "whitelist");
    assert.equal(ov.matched("foo.htm", false), "ignore");
    assert.equal(of(["*.html"]).matched("foo.HTML", false), "ignore");
    const all = new Overrides(["*.html"], { caseInsensitive: true });
    assert.equal(all.matched("foo.HTML", false), "whitelist");
  });
  await t.step("comments and blank globs are skipped", () => {
    const ov = of(["#x", "  "]);
    assert.equal(ov.isEmpty, true);
  });
  await t.step("a bad glob throws", () => {
    assert.throws(() => of(["{a"]), GlobSyntaxError);
    assert.throws(() => of(["[a"]), GlobSyntaxError);
  });
  await t.step("add() chains", () => {
    const ov = new Overrides().add("*.ts").add("*.TS", true);
    assert.equal(ov.matched("a.ts", false), "whitelist");
    assert.equal(ov.matched("b.Ts", false), "whitelist");
  });
});
