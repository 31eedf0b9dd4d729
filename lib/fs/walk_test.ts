import assert from "node:assert/strict";
import { withTree } from "./_test_util.ts";
import { Overrides } from "./ignore.ts";
import {
  walk,
  WALK_DEFAULTS,
  type WalkEntry,
  WalkError,
  type WalkOptions,
  walkSync,
} from "./walk.ts";

/** The walk's paths below `root`, in walk order; no global excludes file, errors thrown. */
function paths(root: string, options: WalkOptions = {}): string[] {
  const onError = (error: WalkError) => {
    throw error;
  };
  return [...walkSync(root, { gitGlobal: false, sort: true, onError, ...options })]
    .map((entry) => entry.path.slice(root.length + 1));
}

Deno.test("walkSync() yields a root that is a file as is, even hidden or ignored", async () => {
  await withTree({ ".git/": "", ".gitignore": "*.log\n", ".a.log": "" }, (dir) => {
    const entries = [...walkSync(`${dir}/.a.log`)];
    assert.deepEqual(entries, [{ path: `${dir}/.a.log`, name: ".a.log", depth: 0 }]);
  });
});

Deno.test("walkSync() gives depth, name and the root joined with one slash", async () => {
  await withTree({ "a/b/c.txt": "", "d.txt": "" }, (dir) => {
    const entries: WalkEntry[] = [...walkSync(dir, { sort: true })];
    assert.deepEqual(entries, [
      { path: `${dir}/a/b/c.txt`, name: "c.txt", depth: 3 },
      { path: `${dir}/d.txt`, name: "d.txt", depth: 1 },
    ]);
    assert.deepEqual([...walkSync(`${dir}/`, { sort: true })].map((e) => e.path), [
      `${dir}/a/b/c.txt`,
      `${dir}/d.txt`,
    ]);
  });
});

Deno.test("walkSync() walks a folder's content where the folder appears, depth-first", async () => {
  const files = { "a.txt": "", "a/x": "", "b/y/z": "", "b/a": "", "c": "" };
  await withTree(files, (dir) => {
    assert.deepEqual(paths(dir), ["a/x", "a.txt", "b/a", "b/y/z", "c"]);
  });
});

Deno.test("walkSync() sorts names by their UTF-8 bytes", async () => {
  const names = ["😀", "ｚ", "é", "a", "B", "_"];
  await withTree(Object.fromEntries(names.map((n) => [n, ""])), (dir) => {
    // Code point order puts U+FF5A before U+1F600, which UTF-16 order does not.
    assert.deepEqual(paths(dir), ["B", "_", "a", "é", "ｚ", "😀"]);
  });
});

Deno.test("walkSync() skips hidden files and folders unless hidden, and walks .git then", async () => {
  const files = { ".env": "", ".cache/x": "", ".git/HEAD": "", "a": "" };
  await withTree(files, (dir) => {
    assert.deepEqual(paths(dir), ["a"]);
    assert.deepEqual(paths(dir, { hidden: true }), [".cache/x", ".env", ".git/HEAD", "a"]);
  });
});

Deno.test("walkSync() applies git's rules only inside a repository unless requireGit is false", async () => {
  const files = {
    ".gitignore": "*.log\n",
    ".ignore": "*.tmp\n",
    "a.log": "",
    "b.tmp": "",
    "c": "",
  };
  await withTree(files, async (dir) => {
    // .ignore files need no repository.
    assert.deepEqual(paths(dir), ["a.log", "c"]);
    assert.deepEqual(paths(dir, { requireGit: false }), ["c"]);
    await Deno.mkdir(`${dir}/.git`);
    assert.deepEqual(paths(dir), ["c"]);
    assert.deepEqual(paths(dir, { gitIgnore: false }), ["a.log", "c"]);
    assert.deepEqual(paths(dir, { dotIgnore: false }), ["b.tmp", "c"]);
  });
});

Deno.test("walkSync() ranks ignore files as ripgrep does", async () => {
  // Each kind re-includes or excludes what the kinds below it decided.
  const files = {
    ".git/info/exclude": "c.txt\nd.txt\ne.txt\nf.txt\n",
    ".gitignore": "!d.txt\n!e.txt\n!f.txt\n",
    ".ignore": "e.txt\nf.txt\n",
    ".rgignore": "!e.txt\n!g.txt\n",
    "explicit": "*.txt\n",
    "global": "!b.txt\n!c.txt\n!d.txt\n!e.txt\n!f.txt\n",
    "a.txt": "",
    "b.txt": "",
    "c.txt": "",
    "d.txt": "",
    "e.txt": "",
    "f.txt": "",
    "g.txt": "",
  };
  await withTree(files, (dir) => {
    const options: WalkOptions = {
      ignoreFiles: [`${dir}/explicit`],
      gitGlobal: true,
      gitGlobalFile: `${dir}/global`,
      ignoreFileNames: [".rgignore"],
    };
    const txt = (o: WalkOptions) => paths(dir, o).filter((p) => p.endsWith(".txt"));
    assert.deepEqual(txt(options), ["b.txt", "d.txt", "e.txt", "g.txt"]);
    assert.deepEqual(txt({ ...options, ignoreFileNames: [] }), ["b.txt", "d.txt"]);
    assert.deepEqual(txt({ ...options, dotIgnore: false }), ["b.txt", "d.txt", "e.txt", "f.txt"]);
    // ripgrep's --no-ignore-dot: .ignore off, .rgignore still read.
    assert.deepEqual(txt({ ...options, dotIgnore: false, customIgnore: true }), [
      "b.txt",
      "d.txt",
      "e.txt",
      "f.txt",
      "g.txt",
    ]);
    assert.deepEqual(txt({ ...options, gitExclude: false }), [
      "b.txt",
      "c.txt",
      "d.txt",
      "e.txt",
      "g.txt",
    ]);
    assert.deepEqual(txt({ ...options, gitGlobal: false }), ["d.txt", "e.txt", "g.txt"]);
  });
});

Deno.test("walkSync() lets later ignoreFiles and ignoreFileNames win", async () => {
  const files = { ".git/": "", ".one": "x\n", ".two": "!x\n", i1: "y\n", i2: "!y\n", x: "", y: "" };
  await withTree(files, (dir) => {
    assert.deepEqual(paths(dir, { ignoreFileNames: [".one", ".two"] }), ["i1", "i2", "x", "y"]);
    assert.deepEqual(paths(dir, { ignoreFileNames: [".two", ".one"] }), ["i1", "i2", "y"]);
    const ignoreFiles = [`${dir}/i1`, `${dir}/i2`];
    assert.deepEqual(paths(dir, { ignoreFiles }), ["i1", "i2", "x", "y"]);
    assert.deepEqual(paths(dir, { ignoreFiles: ignoreFiles.toReversed() }), ["i1", "i2", "x"]);
  });
});

Deno.test("walkSync() lets a deeper ignore file win and anchors it to its folder", async () => {
  const files = {
    ".git/": "",
    ".gitignore": "*.log\n/top\n",
    "sub/.gitignore": "!*.log\n/own\n",
    "a.log": "",
    "top": "",
    "own": "",
    "sub/b.log": "",
    "sub/top": "",
    "sub/own": "",
    "sub/x/own": "",
  };
  await withTree(files, (dir) => {
    assert.deepEqual(paths(dir), ["own", "sub/b.log", "sub/top", "sub/x/own"]);
  });
});

Deno.test("walkSync() stops a .gitignore at a nested repository but not a .ignore", async () => {
  const files = {
    ".git/": "",
    ".gitignore": "*.log\n",
    ".ignore": "*.tmp\n",
    "inner/.git/": "",
    "inner/a.log": "",
    "inner/b.tmp": "",
    "c.log": "",
  };
  await withTree(files, (dir) => {
    assert.deepEqual(paths(dir), ["inner/a.log"]);
  });
});

Deno.test("walkSync() reads exclude through a linked worktree's .git file", async () => {
  await withTree({ "main/.git/info/exclude": "x\n", "wt/x": "", "wt/y": "" }, async (dir) => {
    await Deno.mkdir(`${dir}/main/.git/worktrees/wt`, { recursive: true });
    await Deno.writeTextFile(`${dir}/main/.git/worktrees/wt/commondir`, "../..\n");
    await Deno.writeTextFile(`${dir}/wt/.git`, `gitdir: ${dir}/main/.git/worktrees/wt\n`);
    assert.deepEqual(paths(`${dir}/wt`), ["y"]);
  });
});

Deno.test("walkSync() applies the ignore files of the root's parents, unless parents is false", async () => {
  const files = {
    ".git/": "",
    ".gitignore": "*.log\n/sub/anchored\n",
    "sub/a.log": "",
    "sub/anchored": "",
    "sub/x/anchored": "",
    "sub/keep": "",
  };
  await withTree(files, (dir) => {
    assert.deepEqual(paths(`${dir}/sub`), ["keep", "x/anchored"]);
    assert.deepEqual(paths(`${dir}/sub`, { parents: false }), [
      "a.log",
      "anchored",
      "keep",
      "x/anchored",
    ]);
  });
});

Deno.test("walkSync() matches parent rules for relative roots too", async () => {
  const files = {
    ".git/": "",
    ".gitignore": "/sub/anchored\n*.log\n",
    "sub/anchored": "",
    "sub/a.log": "",
    "sub/keep": "",
  };
  await withTree(files, async (dir) => {
    const walkUrl = new URL("./walk.ts", import.meta.url).href;
    const code = `import { walkSync } from "${walkUrl}";
      for (const root of Deno.args) for (const e of walkSync(root, { gitGlobal: false })) console.log(e.path);`;
    const run = async (cwd: string, roots: string[]) => {
      const command = new Deno.Command(Deno.execPath(), {
        args: ["eval", "--no-config", code, ...roots],
        cwd,
        stdout: "piped",
      });
      return new TextDecoder().decode((await command.output()).stdout).split("\n").filter(Boolean);
    };
    assert.deepEqual(await run(`${dir}/sub`, ["."]), ["./keep"]);
    assert.deepEqual(await run(`${dir}/sub`, ["./"]), ["./keep"]);
    assert.deepEqual(await run(dir, ["sub"]), ["sub/keep"]);
    assert.deepEqual(await run(dir, ["./sub/"]), ["./sub/keep"]);
  });
});

Deno.test("walkSync() stops at maxDepth", async () => {
  await withTree({ "a": "", "b/c": "", "b/d/e": "" }, (dir) => {
    assert.deepEqual(paths(dir, { maxDepth: 0 }), []);
    assert.deepEqual(paths(dir, { maxDepth: 1 }), ["a"]);
    assert.deepEqual(paths(dir, { maxDepth: 2 }), ["a", "b/c"]);
    assert.deepEqual(paths(dir, { maxDepth: Infinity }), ["a", "b/c", "b/d/e"]);
  });
});

Deno.test("walkSync() skips files over maxFilesize", async () => {
  await withTree({ small: "1234", big: "12345" }, (dir) => {
    assert.deepEqual(paths(dir, { maxFilesize: 4 }), ["small"]);
  });
});

Deno.test({
  name: "walkSync() skips links unless followLinks, and reports loops and broken links",
  ignore: Deno.build.os === "windows",
}, async () => {
  await withTree({ "real/f": "", "file": "" }, async (dir) => {
    await Deno.symlink(`${dir}/real`, `${dir}/dirlink`);
    await Deno.symlink(`${dir}/file`, `${dir}/filelink`);
    await Deno.symlink(`${dir}/nowhere`, `${dir}/broken`);
    await Deno.symlink(dir, `${dir}/real/up`);
    assert.deepEqual(paths(dir), ["file", "real/f"]);

    const errors: WalkError[] = [];
    const found = [
      ...walkSync(dir, { followLinks: true, sort: true, onError: (e) => errors.push(e) }),
    ]
      .map((e) => e.path.slice(dir.length + 1));
    assert.deepEqual(found, ["dirlink/f", "file", "filelink", "real/f"]);
    assert.deepEqual(errors.map((e) => [e.kind, e.path.slice(dir.length + 1)]), [
      ["io", "broken"],
      ["loop", "dirlink/up"],
      ["loop", "real/up"],
    ]);
    assert.equal(
      errors[2].message,
      `Cannot follow "${dir}/real/up": it points to its ancestor "${dir}"`,
    );
    assert.equal(errors[0].message, `Cannot read "${dir}/broken": no such file or directory`);
    assert.ok(errors[0] instanceof WalkError && errors[0].name === "WalkError");
  });
});

Deno.test("walkSync() checks overrides first: they include past hidden and ignore rules", async () => {
  const files = {
    ".git/": "",
    ".gitignore": "*.log\n",
    ".hidden.ts": "",
    "a.ts": "",
    "b.log": "",
    "c.md": "",
    "src/d.ts": "",
    "src/e_test.ts": "",
    "skip/f.ts": "",
  };
  await withTree(files, (dir) => {
    const overrides = new Overrides(["*.ts", "*.log", "!*_test.ts", "!skip"]);
    assert.deepEqual(paths(dir, { overrides }), [".hidden.ts", "a.ts", "b.log", "src/d.ts"]);
    // An exclude-only set leaves everything else to the other rules.
    assert.deepEqual(paths(dir, { overrides: new Overrides(["!*.md"]) }), [
      "a.ts",
      "skip/f.ts",
      "src/d.ts",
      "src/e_test.ts",
    ]);
    // Globs with a slash match from the current folder, or from an absolute root's start.
    const anchored = new Overrides([`/${dir.slice(1)}/src/*.ts`.slice(1)], { root: "/" });
    assert.deepEqual(paths(dir, { overrides: anchored }), ["src/d.ts", "src/e_test.ts"]);
  });
});

Deno.test("walkSync() calls filter for files that pass the ignore rules", async () => {
  const files = {
    ".git/": "",
    ".gitignore": "*.log\n",
    ".h.ts": "",
    "a.ts": "",
    "b.md": "",
    "c.log": "",
    "d/": "",
  };
  await withTree(files, (dir) => {
    const seen: string[] = [];
    const filter = (path: string, name: string) => {
      seen.push(name);
      assert.ok(path.endsWith(`/${name}`));
      return name.endsWith(".ts") ? "include" as const : "exclude" as const;
    };
    // "include" lets a hidden file through, as a type match does in ripgrep.
    assert.deepEqual(paths(dir, { filter }), [".h.ts", "a.ts"]);
    assert.deepEqual(seen.sort(), [".gitignore", ".h.ts", "a.ts", "b.md"]);
  });
});

Deno.test("walkSync() reports bad ignore rules and unreadable folders, and goes on", async () => {
  await withTree(
    { ".ignore": "[x\n*.tmp\n", "a.tmp": "", "b": "", "locked/c": "" },
    async (dir) => {
      const errors: WalkError[] = [];
      const check = () => {
        errors.length = 0;
        return [...walkSync(dir, { sort: true, onError: (e) => errors.push(e) })]
          .map((e) => e.path.slice(dir.length + 1));
      };
      assert.deepEqual(check(), ["b", "locked/c"]);
      assert.equal(errors.length, 1);
      assert.equal(errors[0].kind, "ignore");
      assert.equal(errors[0].path, `${dir}/.ignore`);
      assert.match(
        errors[0].message,
        /^Invalid glob "\*\*\/\[x" in ".*\/\.ignore" line 1: unclosed/,
      );
      if (Deno.build.os !== "windows" && Deno.uid() !== 0) {
        await Deno.chmod(`${dir}/locked`, 0o000);
        try {
          assert.deepEqual(check(), ["b"]);
          assert.equal(
            errors[1].message,
            `Cannot list the folder "${dir}/locked": permission denied`,
          );
        } finally {
          await Deno.chmod(`${dir}/locked`, 0o755);
        }
      }
    },
  );
});

Deno.test("walk() yields what walkSync() yields", async () => {
  await withTree({ "a": "", "b/c": "", ".d": "" }, async (dir) => {
    const found: string[] = [];
    for await (const entry of walk(dir, { sort: true })) found.push(entry.path);
    assert.deepEqual(found, [...walkSync(dir, { sort: true })].map((e) => e.path));
  });
});

Deno.test("WALK_DEFAULTS are the documented ones", () => {
  assert.deepEqual(WALK_DEFAULTS, {
    hidden: false,
    gitIgnore: true,
    gitExclude: true,
    gitGlobal: true,
    dotIgnore: true,
    ignoreFileNames: [],
    ignoreFiles: [],
    parents: true,
    requireGit: true,
    maxDepth: Infinity,
    followLinks: false,
    maxFilesize: Infinity,
    sort: false,
  });
});

/** The installed ripgrep, when it is version 13, whose behaviour the walker copies. */
const RG_13 = (() => {
  try {
    const output = new Deno.Command("rg", { args: ["--version"], stdout: "piped" }).outputSync();
    return new TextDecoder().decode(output.stdout).startsWith("ripgrep 13.");
  } catch {
    return false;
  }
})();

/** A repository with most of what ignore rules can meet, for the comparison with ripgrep. */
const RG_TREE: Record<string, string> = {
  "repo/.git/info/exclude": "excluded.txt\n!excl-white.log\n",
  "repo/.gitignore": [
    "# comment",
    "*.log",
    "!important.log",
    "/build/",
    "docs/*.tmp",
    "**/cache/",
    "temp?",
    "foo/**/bar",
    "secret/",
    "!secret/keep.txt",
    "\\#hash",
    "trailing\\ ",
    "spaced   ",
    "*.{c,h}",
    "!.env",
    "abc/**",
    "[Bb]ackup*",
    "*.o",
    "!keep.o",
    "",
  ].join("\n"),
  "repo/.ignore": "ignored-by-dotignore.txt\n!important2.log\nsub/deep/dotig/\n",
  "repo/.rgignore": "!rgwhite.log\n",
  "repo/sub/.gitignore": "!*.log\n/local.txt\ndata/\n",
  "repo/sub/nested/.git/info/exclude": "n.txt\n",
  "home/.gitconfig": "[core]\n\texcludesFile = ~/.gexcl\n",
  "home/.gexcl": "globally.txt\n",
  ".ignore": "parentign.txt\n",
  "norepo/.gitignore": "*.txt\n",
  "norepo/.ignore": "i.md\n",
};
for (
  const path of [
    "a.txt b.log important.log important2.log rgwhite.log excl-white.log excluded.txt",
    "ignored-by-dotignore.txt build/out.txt sub/build/out.txt docs/x.tmp docs/y.txt",
    "docs/sub/z.tmp cache/c.txt sub/cache/c.txt x/cache/y/c.txt cachefile temp1 temp12",
    "tempX/in.txt foo/bar foo/a/bar foo/a/b/bar/in.txt foo/barx secret/keep.txt",
    "secret/other.txt #hash trailing%20 spaced main.c main.h main.cc .env .other .hdir/f",
    ".hdir/.env abc/x abc/y/z abc2/x Backup1 backup2 cBackup sub/a.log sub/local.txt",
    "sub/x/local.txt sub/data/d.txt sub/x/data/d.txt sub/deep/a.log sub/deep/b.txt",
    "sub/deep/dotig/f.txt sub/nested/n.log sub/nested/n.txt sub/nested/inner/q.log k.o keep.o",
    "sub/k.o sub/keep.o with%20space.txt ünï.txt UPPER.TXT Mixed.Txt a z Z _ ~ ā 😀 ｚ",
    "lnk/target/t.txt .github/workflows/ci.yml emptydir/ parentign.txt sub/parentign.txt",
    "globally.txt sub/globally.txt",
  ].join(" ").split(" ")
) RG_TREE[`repo/${path.replaceAll("%20", " ")}`] = "x\n";
RG_TREE["repo/big.txt"] = "x".repeat(100);
for (const path of ["norepo/a.txt", "norepo/b.md", "norepo/i.md"]) RG_TREE[path] = "";

Deno.test({
  name: "walkSync() finds what ripgrep 13 finds, in the same order",
  ignore: !RG_13 || Deno.build.os === "windows",
  async fn(t) {
    await withTree(RG_TREE, async (dir) => {
      await Deno.symlink(`${dir}/repo/lnk/target`, `${dir}/repo/dirlink`);
      await Deno.symlink(`${dir}/repo/a.txt`, `${dir}/repo/filelink`);
      await Deno.symlink(`${dir}/repo/nowhere`, `${dir}/repo/broken`);
      await Deno.symlink("..", `${dir}/repo/lnk/target/uplink`);
      const explicit = `${dir}/repo/docs/y.txt`;
      await Deno.writeTextFile(explicit, "*.md\nsub/\n");
      const flags: [string[], WalkOptions][] = [
        [[], {}],
        [["--hidden"], { hidden: true }],
        [["--no-ignore"], {
          gitIgnore: false,
          gitExclude: false,
          gitGlobal: false,
          dotIgnore: false,
          parents: false,
        }],
        [["--no-ignore-vcs"], { gitIgnore: false, gitExclude: false, gitGlobal: false }],
        [["--no-ignore-dot"], { dotIgnore: false, customIgnore: true }],
        [["--no-ignore-exclude"], { gitExclude: false }],
        [["--no-ignore-global"], { gitGlobal: false }],
        [["--no-ignore-parent"], { parents: false }],
        [["--no-require-git"], { requireGit: false }],
        [["-L", "--hidden"], { followLinks: true, hidden: true }],
        [["--max-depth", "2"], { maxDepth: 2 }],
        [["--max-filesize", "10"], { maxFilesize: 10 }],
        [["--ignore-file", explicit], { ignoreFiles: [explicit] }],
        [["-g", "*.log", "-g", "!important*"], { overrides: ["*.log", "!important*"] }],
        [["--iglob", "*.TXT", "--hidden"], {
          overrides: [{ glob: "*.TXT", caseInsensitive: true }],
        }],
        [["-g", "*.txt", "--iglob", "!A*"], {
          overrides: ["*.txt", { glob: "!A*", caseInsensitive: true }],
        }],
        [["-g", "repo/sub/**"], { overrides: ["repo/sub/**"] }],
        [["-g", "!sub", "-g", "{a,b}*"], { overrides: ["!sub", "{a,b}*"] }],
      ].map(([args, o]) => {
        const options = { ...o } as WalkOptions & { overrides?: unknown };
        if (Array.isArray(options.overrides)) {
          options.overrides = new Overrides(options.overrides, { root: dir });
        }
        return [args as string[], options as WalkOptions];
      });
      const roots = ["repo", "repo/sub", "repo/sub/nested", "norepo", ""];
      for (const [args, options] of flags) {
        for (const root of roots) {
          const path = root === "" ? dir : `${dir}/${root}`;
          await t.step(`rg ${args.join(" ")} ${root || "(top)"}`, async () => {
            for (const sorted of [true, false]) {
              const rg = new Deno.Command("rg", {
                args: ["--files", sorted ? "--sort=path" : "-j1", ...args, path],
                cwd: dir,
                env: { HOME: `${dir}/home`, XDG_CONFIG_HOME: `${dir}/home/.config` },
                stdout: "piped",
                stderr: "null",
              });
              const expected = new TextDecoder().decode((await rg.output()).stdout)
                .split("\n").filter(Boolean);
              const found = [...walkSync(path, {
                ignoreFileNames: [".rgignore"],
                gitGlobalFile: `${dir}/home/.gexcl`,
                sort: sorted,
                ...options,
              })].map((entry) => entry.path);
              assert.deepEqual(found, expected, sorted ? "sorted" : "directory order");
            }
          });
        }
      }
    });
  },
});
