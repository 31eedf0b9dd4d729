import assert from "node:assert/strict";
import { FileTypes } from "./file_types.ts";

/** ripgrep 13 is the reference; without it the comparisons are skipped. */
const rgVersion = await new Deno.Command("rg", { args: ["--version"], stdout: "piped" })
  .output()
  .then((out) => new TextDecoder().decode(out.stdout), () => "");
const hasRg13 = rgVersion.startsWith("ripgrep 13.");

const decoder = new TextDecoder();

async function rg(args: string[], cwd?: string) {
  const out = await new Deno.Command("rg", { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  return {
    lines: decoder.decode(out.stdout).split("\n").filter((line) => line !== ""),
    error: decoder.decode(out.stderr).trim(),
    code: out.code,
  };
}

/** File names that land in one type, in several, in none, or only by a quirk. */
const NAMES = [
  "main.rs",
  ".rs",
  "lib.RS",
  "é.rs",
  "lib.c",
  "x.h",
  "x.H",
  "x.hpp",
  "x.cpp",
  "x.cc",
  "x.c.in",
  "Makefile",
  "makefile",
  "GNUmakefile",
  "CMakeLists.txt",
  "index.html",
  "style.css",
  "style.scss",
  "app.js",
  "app.min.js",
  "README",
  "README.md",
  "naïve.md",
  "LICENSE",
  "LICENSE-MIT",
  "COPYING",
  "foo.py",
  ".bashrc",
  ".zshrc",
  "zshrc",
  "Dockerfile",
  "x.Dockerfile",
  "Cargo.toml",
  "Cargo.lock",
  "package-lock.json",
  "data.json",
  "notes.txt",
  "x.tar.gz",
  "x.xz",
  "x.ts",
  "x.d.ts",
  "x.tsx",
  "x.1",
  "x.3p",
  "x.conf",
  "x.inc",
  "x.v",
  "noext",
];

/** [extra rg arguments, -t names, -T names]. */
const COMBOS: [string[], string[], string[]][] = [
  [[], ["rust"], []],
  [[], ["c", "cpp"], []],
  [[], [], ["c"]],
  [[], ["c"], ["cpp"]],
  [[], ["cpp"], ["c"]],
  [[], ["rust"], ["rust"]],
  [[], ["all"], ["md"]],
  [[], ["all"], []],
  [[], [], ["all"]],
  [[], ["make", "license", "readme"], []],
  [[], ["sh"], ["zsh"]],
  [[], ["docker", "json"], ["lock"]],
  [[], ["md", "markdown"], []],
  [[], ["gzip", "xz", "ts"], []],
  [[], ["man", "config", "pascal"], ["bitbake"]],
  [["--type-add", "web:include:html,css,js"], ["web"], ["minified"]],
  [["--type-add", "foo:*.{rs,toml}"], ["foo"], ["rust"]],
  [["--type-add", "nox:noext", "--type-add", "nox:*.v"], ["nox", "txt"], ["verilog"]],
  [["--type-clear", "c", "--type-add", "c:*.c"], ["c"], []],
];

Deno.test({
  name: "FileTypes.matcher() keeps the same files as `rg --files -t -T`",
  ignore: !hasRg13,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "kit_file_types_test_" });
    try {
      for (const name of NAMES) await Deno.writeTextFile(`${dir}/${name}`, "");
      for (const [extra, select, negate] of COMBOS) {
        const flags = [...select.flatMap((s) => ["-t", s]), ...negate.flatMap((n) => ["-T", n])];
        await t.step(`${extra.join(" ")} ${flags.join(" ")}`.trim(), async () => {
          const types = FileTypes.defaults();
          for (let i = 0; i < extra.length; i += 2) {
            if (extra[i] === "--type-clear") types.clear(extra[i + 1]);
          }
          for (let i = 0; i < extra.length; i += 2) {
            if (extra[i] === "--type-add") types.add(extra[i + 1]);
          }
          const matcher = types.matcher(select, negate)!;
          const ours = NAMES.filter((name) => matcher(name) !== "exclude").sort();
          const args = ["--files", "--hidden", "--no-ignore", "--sort", "path", ...extra, ...flags];
          const theirs = (await rg(args, dir)).lines.sort();
          assert.deepEqual(ours, theirs);
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "FileTypes.list() equals `rg --type-list` line for line",
  ignore: !hasRg13,
  async fn(t) {
    const cases: string[][] = [
      [],
      ["--type-add", "foo:*.foo", "--type-add", "foo:*.bar", "--type-add", "foo:*.bar"],
      ["--type-add", "rust:*.rsx", "--type-add", "web:include:html,css,js"],
      ["--type-add", "é1:*.x", "--type-add", "Zed:Z", "--type-add", "a2:*.{a,b}"],
      ["--type-add", "foo:*.a,*.b", "--type-add", "foo:*.["],
      ["--type-clear", "rust", "--type-clear", "nope", "--type-add", "c:include:c"],
    ];
    for (const args of cases) {
      await t.step(args.join(" ") || "defaults", async () => {
        const types = FileTypes.defaults();
        for (let i = 0; i < args.length; i += 2) {
          if (args[i] === "--type-clear") types.clear(args[i + 1]);
          else types.add(args[i + 1]);
        }
        assert.deepEqual(types.list(), (await rg([...args, "--type-list"])).lines);
      });
    }
  },
});

Deno.test({
  name: "FileTypes.add() refuses what ripgrep refuses, with its message",
  ignore: !hasRg13,
  async fn() {
    const bad = [
      "",
      "foo",
      "foo:",
      ":*.x",
      "foo-bar:*.x",
      "all:*.x",
      "foo:include:",
      "foo:include:rust,nope",
      "foo:exclude:rust",
      "a:b:c:d",
    ];
    for (const definition of bad) {
      const { error, code } = await rg(["--type-add", definition, "--type-list"]);
      assert.equal(code, 2);
      const types = FileTypes.defaults();
      const before = types.list();
      assert.throws(() => types.add(definition), { name: "TypeError", message: error });
      assert.deepEqual(types.list(), before, `${definition} changed the table`);
    }
  },
});

Deno.test({
  name: "FileTypes.matcher() throws ripgrep's error for an unknown type or a bad glob",
  ignore: !hasRg13,
  async fn() {
    const cases: [string[], string[], string[]][] = [
      [[], ["nope"], []],
      [[], [], ["nope"]],
      [[], ["rust", "nope1"], ["nope2"]],
      [["--type-add", "bad:*.["], ["bad"], ["nope"]],
      [["--type-add", "bad:*.["], ["rust"], ["bad"]],
      [["--type-add", "bad:*.{a"], ["nope"], ["bad"]],
      [["--type-clear", "rust"], ["rust"], []],
    ];
    for (const [extra, select, negate] of cases) {
      const flags = [...select.flatMap((s) => ["-t", s]), ...negate.flatMap((n) => ["-T", n])];
      const { error, code } = await rg(["--files", ...extra, ...flags, "/nonexistent"]);
      assert.equal(code, 2);
      const types = FileTypes.defaults();
      if (extra[0] === "--type-add") types.add(extra[1]);
      else if (extra[0] === "--type-clear") types.clear(extra[1]);
      assert.throws(() => types.matcher(select, negate), { message: error });
    }
  },
});

Deno.test("FileTypes.matcher() returns undefined without -t or -T", () => {
  assert.equal(FileTypes.defaults().matcher([], []), undefined);
});

Deno.test("FileTypes.matcher() decides as ripgrep's ignore crate does", async (t) => {
  const types = new FileTypes();
  for (
    const definition of [
      "html:*.html",
      "html:*.htm",
      "rust:*.rs",
      "js:*.js",
      "py:*.py",
      "python:*.py",
      "foo:*.{rs,foo}",
      "combo:include:html,rust",
    ]
  ) types.add(definition);
  // The cases of types.rs's own tests: [select, negate, name, kept].
  const cases: [string[], string[], string, boolean][] = [
    [["rust"], [], "lib.rs", true],
    [["html"], [], "index.html", true],
    [["html"], [], "index.htm", true],
    [["html", "rust"], [], "main.rs", true],
    [[], [], "index.html", true],
    [[], ["rust"], "index.html", true],
    [["foo"], ["rust"], "main.foo", true],
    [["combo"], [], "index.html", true],
    [["combo"], [], "lib.rs", true],
    [["py"], [], "main.py", true],
    [["python"], [], "main.py", true],
    [["rust"], [], "index.html", false],
    [[], ["rust"], "main.rs", false],
    [["foo"], ["rust"], "main.rs", false],
    [["rust"], ["foo"], "main.rs", false],
    [["rust"], ["foo"], "main.foo", false],
    [["combo"], [], "leftpad.js", false],
    [["py"], [], "index.html", false],
    [["python"], [], "doc.md", false],
  ];
  for (const [select, negate, name, kept] of cases) {
    await t.step(`-t ${select} -T ${negate} ${name}`, () => {
      const decision = types.matcher(select, negate)?.(name);
      assert.equal(decision !== "exclude", kept);
    });
  }
});

Deno.test("FileTypes.matcher() says include, exclude or nothing", () => {
  const types = FileTypes.defaults();
  const rustNotC = types.matcher(["rust"], ["c"])!;
  assert.equal(rustNotC("main.rs"), "include");
  assert.equal(rustNotC("main.c"), "exclude");
  assert.equal(rustNotC("notes.txt"), "exclude");
  const notC = types.matcher([], ["c"])!;
  assert.equal(notC("main.c"), "exclude");
  assert.equal(notC("notes.txt"), undefined);
});

Deno.test("FileTypes.matcher() sees 'all' as every type defined at the time", () => {
  const types = new FileTypes();
  assert.equal(types.matcher(["all"], []), undefined);
  types.add("a:*.a");
  types.add("b:*.b");
  const all = types.matcher(["all"], ["b"])!;
  assert.equal(all("x.a"), "include");
  assert.equal(all("x.b"), "exclude");
  assert.equal(all("x.c"), "exclude");
});

Deno.test("FileTypes.add() with include copies the globs as they are now", () => {
  const types = new FileTypes();
  types.add("a:*.a");
  types.add("both:include:a");
  types.add("a:*.aa");
  assert.deepEqual(types.list(), ["a: *.a, *.aa", "both: *.a"]);
});

Deno.test("FileTypes.defaults() returns a fresh table each time", () => {
  const first = FileTypes.defaults();
  first.clear("rust");
  first.add("c:*.zzz");
  const second = FileTypes.defaults();
  assert.ok(second.list().includes("rust: *.rs"));
  assert.ok(second.list().includes("c: *.[chH], *.[chH].in, *.cats"));
  assert.equal(second.list().length, 169);
});

Deno.test("FileTypes.list() sorts by code point, as Rust sorts strings", () => {
  const types = new FileTypes();
  types.add("\u{ff21}:*.x"); // FULLWIDTH LATIN CAPITAL LETTER A, U+FF21
  types.add("\u{10400}:*.y"); // DESERET CAPITAL LETTER LONG I, U+10400: a surrogate pair
  types.add("b:*.z");
  assert.deepEqual(types.list(), ["b: *.z", "\u{ff21}: *.x", "\u{10400}: *.y"]);
});
