/**
 * `kit grep` against ripgrep: every case runs `rg` and `kit grep` with the same arguments, in
 * the same fixture tree and the same sandboxed environment, and compares stdout (byte for
 * byte unless a case says otherwise), the exit code, and whether stderr is empty (the wording
 * of messages differs: kit prints `kit grep: ...`).
 *
 * Output order: ripgrep searches in parallel, even the paths named on the command line, so
 * multi-file cases pass `--sort path` (or `-j1`, which keeps the given order) to both, or compare
 * sorted lines where the unsorted, parallel path is the point of the case.
 *
 * A case tagged `quirk` is one where rg 13's output looks accidental; it still runs (the test
 * stays honest) and the tag names it in the report, so whoever reads a failure can decide.
 * kit's own choices with no rg peer (`--write`, `--dry-run`) are checked against what rg
 * `--passthru -r` prints and against `diff -u`.
 */

import assert from "node:assert/strict";
import {
  assertSame,
  type Case,
  compareTable,
  type GrepWorld,
  inWorld,
  jsonWithoutBytesSearched,
  jsonWithoutElapsed,
  withoutTimings,
} from "./_grep_util.ts";

async function hasTool(name: string): Promise<boolean> {
  try {
    const command = new Deno.Command(name, { args: ["--version"], stdout: "null", stderr: "null" });
    return (await command.output()).success;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Patterns

const TEXT = [
  "hello world",
  "Hello World",
  "HELLO THERE",
  "foo bar baz",
  "foobar",
  "a.b.c and abc",
  "naïve café",
  "Ωμέγα and αβγ are Greek",
  "x = 42; y = ٣٤",
  "(parens) [brackets] $dollar",
  "one two three",
  "the end",
  "",
].join("\n");

const MULTI = "start\nmiddle\nend\nstart again\nmiddle end\n";

Deno.test("grep patterns: regex, -F, -e, -f, case, -w, -x, -v and -U match as rg's do", async (t) => {
  await inWorld(async (w) => {
    await w.write({
      "text.txt": TEXT,
      "multi.txt": MULTI,
      "pats.txt": "World\nfo+\n",
      "pats-empty-line.txt": "zzz\n\n",
      "pats-crlf.txt": "THERE\r\nbaz\r\n",
    });
    const f = "text.txt";
    const cases: Case[] = [
      { args: ["hello", f] },
      { args: ["-n", "o w", f] },
      { args: ["-o", "a.b", f] },
      { args: ["-o", "-F", "a.b", f] },
      { args: ["-F", "(parens)", f] },
      { args: ["-F", "$dollar", f] },
      { args: ["-F", "-x", "foobar", f] },
      { args: ["-e", "foo", "-e", "World", f] },
      { args: ["-o", "-e", "foo", "-e", "foobar", f], name: "several -e: leftmost-first across" },
      { args: ["-o", "-e", "foobar", "-e", "foo", f] },
      { args: ["-e", "-dash", "-e", "end", f], name: "-e takes a pattern that starts with -" },
      { args: ["-f", "pats.txt", f] },
      { args: ["-f", "pats.txt", "-e", "end", f] },
      { args: ["-f", "pats-empty-line.txt", "-c", f], name: "-f with an empty line matches all" },
      { args: ["-f", "pats-crlf.txt", f], name: "-f with CRLF line ends" },
      { args: ["-f", "missing-pats.txt", f], name: "-f with a missing file is an error" },
      { args: ["-i", "hello", f] },
      { args: ["-i", "ΩΜΈΓΑ", f], name: "-i folds Greek" },
      { args: ["-S", "hello", f] },
      { args: ["-S", "Hello", f] },
      { args: ["-S", "-i", "Hello", f], name: "-S then -i: the last wins" },
      { args: ["-i", "-s", "hello", f] },
      { args: ["-S", "\\Hello", f], name: "-S: an escape is not uppercase" },
      { args: ["-w", "foo", f] },
      { args: ["-w", "bar", f] },
      { args: ["-w", "-o", "fo\\w*", f] },
      { args: ["-w", "café", f] },
      { args: ["-x", "foobar", f] },
      { args: ["-x", "foo", f] },
      { args: ["-x", "-e", "foo", "-e", "foobar", f] },
      { args: ["-x", "foo|foobar", f], name: "-x wraps an alternation as a whole" },
      { args: ["-w", "-o", "\\$dollar", f], name: "-w with a pattern that starts with \\W" },
      { args: ["-w", "-o", "\\(parens\\)", f] },
      { args: ["-w", "-o", "o", f] },
      { args: ["-F", "-i", "-e", "HELLO", "-e", "CAFÉ", f] },
      { args: ["-F", "-w", "-e", "foo", "-e", "bar", f] },
      { args: ["-v", "o", f] },
      { args: ["-v", "-n", "[a-z]", f] },
      { args: ["-v", "-c", "o", f] },
      { args: ["-U", "start\\nmiddle", "multi.txt"] },
      { args: ["-U", "-n", "end\\nstart", "multi.txt"] },
      { args: ["-U", "-o", "d\\ns", "multi.txt"] },
      { args: ["-U", "-c", "e\\n", "multi.txt"] },
      { args: ["-U", "--multiline-dotall", "-o", "start.*?end", "multi.txt"] },
      { args: ["-U", "-o", "start.*?end", "multi.txt"], name: "-U without dotall: . stops at \\n" },
      { args: ["-U", "-v", "end\\nstart", "multi.txt"] },
      { args: ["-U", "-o", "^\\w+$", "multi.txt"], name: "-U: ^ and $ are per line" },
      { args: ["-U", "-o", "\\Astart", "multi.txt"] },
      { args: ["end\\nstart", "multi.txt"], name: "\\n without -U is an error" },
      // Unicode-aware classes, as in Rust's regex crate.
      { args: ["-o", "\\w+", f] },
      { args: ["-o", "na\\w+ caf\\w", f] },
      { args: ["-o", "\\bcaf\\w\\b", f] },
      { args: ["-o", "\\d+", f], name: "\\d matches Arabic-Indic digits" },
      { args: ["-o", "\\p{Greek}+", f] },
      { args: ["-o", "\\P{Greek}+", "-m1", f] },
      { args: ["-o", "[[:alpha:]]+", f], name: "POSIX class [[:alpha:]] is ASCII" },
      { args: ["-o", "\\s\\S", f] },
      { args: ["-c", "."], stdin: "é\n" },
      { args: ["-o", "(?i)hello", f] },
      { args: ["-o", "(?i)h(?-i)ELLO", f] },
      { args: ["-o", "(?x) h e l l o  # comment", f], name: "(?x) extended mode" },
      { args: ["-o", "(?P<word>w\\w+)", f] },
      { args: ["-o", "(?:foo){1}bar", f] },
      { args: ["-o", "o{2,}", f] },
      { args: ["-o", "\\x{3A9}", f], name: "\\x{3A9} is Ω" },
      { args: ["-o", "[^\\x00-\\x7F]+", f] },
      // Replacement.
      { args: ["-r", "[$1]", "(o)+", f] },
      { args: ["-o", "-r", "$2-$1", "(\\w+) (\\w+)", f] },
      { args: ["-r", "${name}!", "(?P<name>b\\w+)", f] },
      { args: ["-o", "-r", "<$name>", "(?P<name>w\\w+)", f] },
      { args: ["-r", "$1x", "(f)oo", f], name: "-r $1x names group '1x', which is empty" },
      { args: ["-r", "${1}x", "(f)oo", f] },
      { args: ["-r", "$$", "o", f], name: "-r $$ is a dollar" },
      { args: ["-r", "$0$0", "end", f] },
      { args: ["-r", "", "o", f], name: "-r with empty text deletes" },
      { args: ["-i", "-r", "X", "hello", f] },
    ];
    await compareTable(t, w, cases);
  });
});

// ---------------------------------------------------------------------------------------------
// Output

async function outputTree(w: GrepWorld): Promise<void> {
  await w.write({
    "a.txt": "alpha one\n  beta two\ngamma three\nbeta four beta\ndelta five\n",
    "b.txt": "no match here\nbeta in b\n",
    "sub/c.txt": "\tbeta tabbed\nother\n",
    "zero.txt": "nothing\n",
    "long.txt": `short beta\n${"x".repeat(30)} beta ${"y".repeat(30)}\n`,
    "nonl.txt": "last beta line without newline",
    "crlf.txt": "beta crlf\r\nplain\r\n",
  });
}

Deno.test("grep output: -n/-N, --column, -H/-I, headings, -o, -c, -l, -q, -m and friends", async (t) => {
  await inWorld(async (w) => {
    await outputTree(w);
    const S = ["--sort", "path"];
    const cases: Case[] = [
      { args: ["beta", "a.txt"] },
      { args: [...S, "beta"] },
      { args: ["beta"], sortLines: true, name: "unsorted (parallel) walk, lines sorted" },
      { args: ["-n", ...S, "beta"] },
      { args: ["-n", "-N", ...S, "beta"], name: "-n then -N: no numbers" },
      { args: ["--column", ...S, "beta"] },
      { args: ["--column", "-N", ...S, "beta"] },
      { args: ["-H", "beta", "a.txt"] },
      { args: ["-I", ...S, "beta"] },
      { args: ["-I", "-H", "beta", "a.txt"] },
      { args: ["--heading", ...S, "beta"] },
      { args: ["--heading", "-n", ...S, "beta"] },
      { args: ["--heading", "--no-heading", ...S, "beta"] },
      { args: ["--heading", "beta", "a.txt"], name: "--heading with one file shows no heading" },
      { args: ["--heading", "-H", "beta", "a.txt"] },
      { args: ["-o", ...S, "be\\w+"] },
      { args: ["-o", "-n", "--column", ...S, "beta"] },
      { args: ["-o", "-b", "beta", "a.txt"] },
      { args: ["-b", ...S, "beta"] },
      { args: ["-c", ...S, "beta"] },
      { args: ["-c", "beta"], sortLines: true, name: "-c unsorted" },
      { args: ["-c", "beta", "a.txt"] },
      { args: ["-c", "--include-zero", ...S, "beta"] },
      { args: ["-c", "-o", ...S, "beta"], name: "-c -o counts matches" },
      { args: ["--count-matches", ...S, "beta"] },
      { args: ["--count-matches", ...S, "e"] },
      { args: ["--count-matches", "-I", ...S, "e"] },
      { args: ["-c", "-v", ...S, "beta"] },
      { args: ["-l", ...S, "beta"] },
      { args: ["-l", "beta"], sortLines: true, name: "-l unsorted" },
      { args: ["-l", "zzz"] },
      { args: ["--files-without-match", ...S, "beta"] },
      { args: ["--files-without-match", ...S, "zzz"] },
      { args: ["--files-without-match", ...S, "."], name: "--files-without-match, all match" },
      { args: ["-q", "beta"] },
      { args: ["-q", "zzz"] },
      { args: ["-q", "-c", "beta"] },
      { args: ["-m", "1", ...S, "beta"] },
      { args: ["-m1", "-n", "beta", "a.txt"], name: "-m1 attached value" },
      { args: ["--max-count=1", "-c", ...S, "beta"] },
      { args: ["-m", "0", ...S, "beta"] },
      { args: ["-m", "1", "-o", "beta", "a.txt"] },
      { args: ["-m", "2", "-v", "beta", "a.txt"] },
      { args: ["--vimgrep", ...S, "beta"] },
      { args: ["--vimgrep", ...S, "e"], name: "--vimgrep: a line per match" },
      { args: ["--vimgrep", "-o", "beta", "a.txt"] },
      { args: ["-0", "-l", ...S, "beta"] },
      { args: ["--null", "-n", ...S, "beta"] },
      { args: ["--null", "-c", ...S, "beta"] },
      { args: ["--null", "--heading", ...S, "beta"] },
      { args: ["--trim", ...S, "beta"] },
      { args: ["--trim", "-o", ...S, "beta"] },
      { args: ["-M", "20", ...S, "beta"] },
      { args: ["-M", "20", "--max-columns-preview", ...S, "beta"] },
      { args: ["-M", "20", "-o", ...S, "beta"] },
      { args: ["-M", "20", "-n", "--max-columns-preview", "-o", ...S, "beta"] },
      { args: ["--max-columns=10", "-c", ...S, "beta"] },
      {
        args: ["-j1", "-M", "20", "--max-columns-preview", "--trim", "beta", "sub/c.txt", "a.txt"],
      },
      { args: ["beta", "nonl.txt"] },
      { args: ["-o", "line.*", "nonl.txt"] },
      { args: ["-n", "beta", "crlf.txt"] },
      { args: ["-x", "plain", "crlf.txt"], name: "-x does not strip \\r (no --crlf)" },
      { args: ["-j1", "beta", "b.txt", "a.txt"], name: "two files named, -j1: given order" },
      { args: ["beta", "a.txt", "b.txt"], sortLines: true, name: "two files named, in parallel" },
      { args: ["beta", "./a.txt"] },
      { args: [...S, "beta", "./"], name: "path ./ keeps the ./ prefix" },
      { args: [...S, "beta", "sub/"] },
      { args: [...S, "beta", "sub"] },
      { args: [...S, "beta", "."] },
      { args: ["--field-match-separator", "=>", "-n", "beta", "a.txt"] },
      { args: ["--passthru", "beta", "a.txt"] },
      { args: ["--passthru", "-n", "-r", "B", "beta", "a.txt"] },
    ];
    await compareTable(t, w, cases);
  });
});

Deno.test("grep context: -A/-B/-C with -- separators, also between files", async (t) => {
  await inWorld(async (w) => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    for (const i of [2, 4, 11, 19]) lines[i] += " HIT";
    await w.write({
      "ctx.txt": lines.join("\n") + "\n",
      "two.txt": "before\nHIT here\nafter\n",
      "three/x.txt": "HIT\n",
    });
    const S = ["--sort", "path"];
    const cases: Case[] = [
      { args: ["-A", "1", "HIT", "ctx.txt"] },
      { args: ["-B", "2", "HIT", "ctx.txt"] },
      { args: ["-C", "1", "-n", "HIT", "ctx.txt"] },
      { args: ["-C3", "-n", "HIT", "ctx.txt"], name: "-C3: groups merge" },
      { args: ["-C", "0", "HIT", "ctx.txt"] },
      { args: ["-A", "1", "-B", "0", "HIT", "ctx.txt"] },
      { args: ["-C", "1", "-m", "1", "HIT", "ctx.txt"] },
      { args: ["-C", "1", "-m", "2", "-n", "HIT", "ctx.txt"] },
      { args: ["-C", "1", "-v", "-n", "line", "ctx.txt"] },
      { args: ["-C", "1", "-v", "-n", "HIT", "ctx.txt"] },
      { args: ["-C", "1", "-o", "-n", "HIT", "ctx.txt"] },
      { args: ["-C", "1", "-c", "HIT", "ctx.txt"] },
      { args: ["-C", "1", "-l", ...S, "HIT"] },
      { args: ["-C", "1", "-n", ...S, "HIT"], name: "-- between files" },
      { args: ["-A", "1", ...S, "HIT"] },
      { args: ["-C", "1", "--heading", "-n", ...S, "HIT"] },
      { args: ["-C", "1", "--context-separator", "##", ...S, "HIT"] },
      { args: ["-C", "1", "--no-context-separator", ...S, "HIT"] },
      { args: ["-C", "1", "-b", "HIT", "ctx.txt"] },
      { args: ["-C", "1", "--column", "HIT", "ctx.txt"] },
      { args: ["-C", "1", "--vimgrep", "HIT", "ctx.txt"] },
      { args: ["-C", "1", "--null", "-n", ...S, "HIT"] },
      { args: ["-C", "1", "--field-context-separator", "~", "-n", "HIT", "ctx.txt"] },
      { args: ["-C", "1", "-r", "X", "HIT", "two.txt"] },
      { args: ["-B", "1", "-U", "-n", "HIT\\nline", "ctx.txt"] },
    ];
    await compareTable(t, w, cases);
  });
});

Deno.test("grep --color=always writes rg's escape sequences byte for byte", async (t) => {
  await inWorld(async (w) => {
    await outputTree(w);
    await w.write({ "ctx.txt": "one\ntwo beta\nthree\nfour\nfive\nsix beta beta\n" });
    const C = ["--color=always"];
    const S = ["--sort", "path"];
    // rg's --pretty leaves colour to the terminal library, which wants a TERM.
    const env = { NO_COLOR: undefined, TERM: "xterm-256color" };
    const cases: Case[] = [
      { args: [...C, "beta", "a.txt"] },
      { args: [...C, "-n", "beta", "a.txt"] },
      { args: [...C, ...S, "beta"] },
      { args: [...C, "--heading", "-n", ...S, "beta"] },
      { args: [...C, "--column", "beta", "a.txt"] },
      { args: [...C, "-b", "beta", "a.txt"] },
      { args: [...C, "-o", "-n", "beta", "a.txt"] },
      { args: [...C, "-C", "1", "-n", "beta", "ctx.txt"] },
      { args: [...C, "-C", "1", "-n", ...S, "beta"] },
      { args: [...C, "-r", "B", "beta", "a.txt"] },
      { args: [...C, "--vimgrep", "beta", "a.txt"] },
      { args: [...C, "-c", ...S, "beta"] },
      { args: [...C, "-l", ...S, "beta"] },
      { args: [...C, "-v", "beta", "a.txt"] },
      { args: [...C, "-i", "BETA", "a.txt"] },
      { args: [...C, "-e", "beta", "-e", "two", "a.txt"] },
      { args: [...C, "x*", "a.txt"], name: "empty matches are not coloured" },
      { args: [...C, "-M", "20", "--max-columns-preview", "beta", "long.txt"] },
      { args: [...C, "--colors", "match:fg:blue", "beta", "a.txt"] },
      { args: [...C, "--colors", "path:none", "--colors", "line:style:bold", "-n", ...S, "beta"] },
      { args: [...C, "--null", "-n", ...S, "beta"] },
      { args: ["--color=never", "beta", "a.txt"] },
      { args: ["-p", ...S, "beta"], name: "--pretty" },
      { args: ["--color=always", "-U", "beta two\\ngamma", "a.txt"] },
    ];
    await compareTable(t, w, cases.map((c) => ({ ...c, env })));
  });
});

Deno.test("grep --json (without elapsed) and --stats (without timings)", async (t) => {
  await inWorld(async (w) => {
    await outputTree(w);
    await w.write({
      "latin1.txt": new Uint8Array([
        ...new TextEncoder().encode("caf"),
        0xe9,
        ...new TextEncoder().encode(" beta\n"),
      ]),
    });
    const S = ["--sort", "path"];
    const json = { normalize: jsonWithoutElapsed };
    const stats = { normalize: withoutTimings };
    const cases: Case[] = [
      {
        args: ["--json", ...S, "beta"],
        ...json,
        quirk: "the JSON summary counts only files that printed a begin message",
      },
      { args: ["--json", "beta", "a.txt"], ...json },
      {
        args: ["--json", "zzz", "a.txt"],
        ...json,
        quirk: "the JSON summary counts only files that printed a begin message",
      },
      { args: ["--json", "-C", "1", "beta", "a.txt"], ...json },
      { args: ["--json", "-U", "two\\ngamma", "a.txt"], ...json },
      { args: ["--json", "-e", "beta", "-e", "e", "a.txt"], ...json },
      { args: ["--json", "beta", "latin1.txt"], ...json, name: "--json with non-UTF-8 text" },
      {
        args: ["--json", "-m", "1", "beta", "a.txt"],
        normalize: jsonWithoutBytesSearched,
        name: "--json -m 1 (bytes_searched not compared: rg 13 counts only what it read)",
      },
      { args: ["--json", "-v", "beta", "b.txt"], ...json },
      { args: ["--json", "x*", "b.txt"], ...json, name: "--json with empty matches" },
      { args: ["--json", "-j1", "beta", "crlf.txt", "nonl.txt"], ...json },
      { args: ["--json", "-r", "X", "beta", "b.txt"], ...json },
      { args: ["--json", "-c", "beta", "a.txt"], ...json, name: "--json with -c" },
      { args: ["--json", "beta"], stdin: "beta\n", ...json },
      { args: ["--stats", ...S, "beta"], ...stats },
      { args: ["--stats", ...S, "zzz"], ...stats },
      { args: ["--stats", "-c", ...S, "beta"], ...stats, quirk: "-c and -l count 0 bytes printed" },
      { args: ["--stats", "-l", ...S, "beta"], ...stats, quirk: "-c and -l count 0 bytes printed" },
      { args: ["--stats", "-o", ...S, "e"], ...stats },
      { args: ["--stats", "-v", ...S, "beta"], ...stats },
      { args: ["--stats", "-C", "1", ...S, "beta"], ...stats },
      {
        args: ["--stats", "--json", ...S, "beta"],
        ...json,
        quirk: "the JSON summary counts only files that printed a begin message",
      },
    ];
    await compareTable(t, w, cases);
  });
});

// ---------------------------------------------------------------------------------------------
// Which files

/** A git repository whose files all contain "needle", and the ignore rules that cover them. */
async function ignoreRepo(w: GrepWorld): Promise<void> {
  await w.gitInit("repo");
  const files = [
    "top.txt",
    "a.log",
    "keep.log",
    "root-only.txt",
    "sub/root-only.txt",
    "build/x.txt",
    "sub/build/y.txt",
    "other/build",
    "x/gen/g.txt",
    "x/gen/g.md",
    "gen/h.txt",
    "x/y/gen/z/deep.txt",
    "docs/a/b/secret.md",
    "docs/secret.md",
    "docs/public.md",
    "sub/a.tmp",
    "sub/important.tmp",
    "sub/local.txt",
    "sub/deeper/local.txt",
    "sub/deeper/b.tmp",
    "ignored_dir/keep.txt",
    "ignored_dir/other.txt",
    "foo/bar.txt",
    "sub/foo/bar.txt",
    "excluded.txt",
    "sub/excluded.txt",
    "#hash.txt",
    "spaces .txt",
    "Mixed.CASE",
    "star/a*b.txt",
    "star/ab.txt",
    "q/a1.txt",
    "q/ab.txt",
    "q/a.txt",
    "cls/x1.dat",
    "cls/x9.dat",
    "only-dir/inner.txt",
    "sub/only-dir",
    "logs/a.txt",
    "logs/keep.txt",
    "logs/deep/keep.txt",
    "logs/deep/b.txt",
    "trail/x.txt",
    "nested/n.log",
    "nested/inner/m.log",
  ];
  const tree: Record<string, string> = {};
  for (const f of files) tree[`repo/${f}`] = "needle\n";
  await w.write({
    ...tree,
    "repo/.gitignore": [
      "# a comment",
      "*.log",
      "!keep.log",
      "/root-only.txt",
      "build/",
      "**/gen/*.txt",
      "docs/**/secret.md",
      "ignored_dir/",
      "!ignored_dir/keep.txt",
      "foo/bar.txt",
      "\\#hash.txt",
      "spaces .txt",
      "*.case",
      "star/a\\*b.txt",
      "q/a?.txt",
      "cls/x[0-5].dat",
      "only-dir/",
      "trail/x.txt   ",
      "",
    ].join("\n"),
    "repo/sub/.gitignore": "*.tmp\n!important.tmp\n/local.txt\n",
    "repo/logs/.gitignore": "**\n!keep.txt\n!*/\n",
    "repo/nested/.gitignore": "!*.log\n",
    // Outside the repository: git never reads it, and neither may rg.
    ".gitignore": "top.txt\nneedle.txt\n",
    "repo/.git/info/exclude": "excluded.txt\n",
  });
}

/** git's own answer: the untracked files it does not ignore (all files are untracked). */
async function gitFiles(w: GrepWorld, cwd: string, extra: string[] = []): Promise<string[]> {
  const r = await w.sh("git", ["ls-files", "-o", "--exclude-standard", ...extra], { cwd });
  return r.stdout.split("\n").filter((l) => l !== "").sort();
}

Deno.test("grep honours .gitignore exactly as git (nested, negation, anchoring, dir-only, **, info/exclude)", async (t) => {
  await inWorld(async (w) => {
    await ignoreRepo(w);
    const R = { cwd: "repo" };
    const S = ["--sort", "path"];
    const cases: Case[] = [
      { args: ["--files", ...S], ...R },
      { args: ["-l", ...S, "needle"], ...R },
      { args: ["-c", "needle"], ...R, sortLines: true, name: "unsorted -c in the repo" },
      { args: ["--files", ...S, "--hidden"], ...R },
      { args: ["--files", ...S], cwd: "repo/sub", name: "from a subfolder: parent rules apply" },
      { args: ["--files", ...S, "sub"], ...R },
      { args: ["--files", ...S, "repo"], name: "repo searched from outside" },
      { args: ["--files", ...S, "--no-ignore-vcs"], ...R },
      { args: ["--files", ...S, "--no-ignore-exclude"], ...R },
      { args: ["--files", ...S, "--no-ignore-parent"], cwd: "repo/sub" },
      { args: ["--files", ...S, "--no-ignore"], ...R },
      { args: ["needle", "a.log"], ...R, name: "a named file is searched even if ignored" },
      { args: ["--files", "-j1", "a.log", "sub/a.tmp"], ...R },
      { args: ["--files", ...S, "build"], ...R, name: "a named ignored folder is walked" },
    ];
    await compareTable(t, w, cases);

    await t.step(
      "kit --files --hidden lists what git ls-files -o --exclude-standard lists",
      async () => {
        const expected = await gitFiles(w, "repo");
        const r = await w.kit(["--files", "--hidden", "-g", "!.git"], R);
        assert.deepEqual(r.stdout.split("\n").filter((l) => l !== "").sort(), expected);
      },
    );
    await t.step("git agrees from a subfolder", async () => {
      const expected = await gitFiles(w, "repo/sub");
      const r = await w.kit(["--files", "--hidden"], { cwd: "repo/sub" });
      assert.deepEqual(r.stdout.split("\n").filter((l) => l !== "").sort(), expected);
    });
  });
});

Deno.test("grep honours the global excludes file: XDG git/ignore, then core.excludesFile", async (t) => {
  await inWorld(async (w) => {
    await w.gitInit("repo");
    await w.write({
      "repo/a.txt": "needle\n",
      "repo/b.xdg": "needle\n",
      "repo/c.secret": "needle\n",
      "repo/sub/d.secret": "needle\n",
      "~/.config/git/ignore": "*.xdg\n",
    });
    const R = { cwd: "repo" };
    const S = ["--sort", "path"];
    const xdg: Case[] = [
      { args: ["--files", ...S], ...R, name: "XDG_CONFIG_HOME/git/ignore: --files" },
      { args: ["-l", ...S, "needle"], ...R, name: "XDG_CONFIG_HOME/git/ignore: -l" },
      { args: ["--files", ...S, "--no-ignore-global"], ...R },
    ];
    await compareTable(t, w, xdg);
    await t.step("git agrees with the XDG rules", async () => {
      const r = await w.kit(["--files"], R);
      assert.deepEqual(r.stdout.split("\n").filter(Boolean).sort(), await gitFiles(w, "repo"));
    });

    await w.write({
      "~/.gitconfig": "[core]\n\texcludesFile = ~/global-ignore\n",
      "~/global-ignore": "*.secret\n",
    });
    const configured: Case[] = [
      { args: ["--files", ...S], ...R, name: "core.excludesFile in ~/.gitconfig: --files" },
      { args: ["needle", ...S], ...R, name: "core.excludesFile in ~/.gitconfig: search" },
      { args: ["--files", ...S, "--no-ignore-global"], ...R, name: "--no-ignore-global" },
      { args: ["--files", ...S, "--no-ignore-vcs"], ...R, name: "--no-ignore-vcs drops it too" },
    ];
    await compareTable(t, w, configured);
    await t.step("git agrees with core.excludesFile", async () => {
      const r = await w.kit(["--files"], R);
      assert.deepEqual(r.stdout.split("\n").filter(Boolean).sort(), await gitFiles(w, "repo"));
    });

    await w.write({ "~/.config/git/config": "[core]\n\texcludesFile = ~/xdg-config-ignore\n" });
    await w.write({ "~/.gitconfig": "", "~/xdg-config-ignore": "a.txt\n" });
    await compareTable(t, w, [
      { args: ["--files", ...S], ...R, name: "core.excludesFile in XDG_CONFIG_HOME/git/config" },
    ]);
  });
});

Deno.test("grep: .ignore and .rgignore, hidden files, --no-ignore and -u/-uu/-uuu", async (t) => {
  await inWorld(async (w) => {
    await w.write({
      "plain/a.txt": "needle\n",
      "plain/b.ign": "needle\n",
      "plain/c.rg": "needle\n",
      "plain/d.dat": "needle\n",
      "plain/special.dat": "needle\n",
      "plain/e.git": "needle\n",
      "plain/sub/f.ign": "needle\n",
      "plain/sub/g.txt": "needle\n",
      "plain/.hidden.txt": "needle\n",
      "plain/.hdir/in.txt": "needle\n",
      "plain/.hdir/.deeper": "needle\n",
      "plain/bin.bin": "needle\0binary\n",
      "plain/.ignore": "*.ign\n*.dat\n",
      "plain/.rgignore": "*.rg\n!special.dat\n",
      "plain/.gitignore": "*.git\na.txt\n",
      "plain/sub/.ignore": "!f.ign\ng.txt\n",
    });
    const P = { cwd: "plain" };
    const S = ["--sort", "path"];
    const cases: Case[] = [
      {
        args: ["--files", ...S],
        ...P,
        name: ".ignore, .rgignore (wins); .gitignore unused outside git",
      },
      { args: ["-c", ...S, "needle"], ...P },
      { args: ["--files", ...S, "--hidden"], ...P },
      { args: ["--files", ...S, "-."], ...P, name: "-. is --hidden" },
      { args: ["--files", ...S, "--hidden", "--no-hidden"], ...P },
      { args: ["--files", ...S, "--no-ignore"], ...P },
      { args: ["--files", ...S, "--no-ignore-dot"], ...P },
      { args: ["--files", ...S, "--no-ignore-vcs"], ...P },
      { args: ["--files", ...S, "--no-require-git"], ...P },
      { args: ["--files", ...S, "-u"], ...P },
      { args: ["--files", ...S, "-uu"], ...P },
      { args: ["--files", ...S, "-uuu"], ...P },
      { args: ["-l", ...S, "needle"], ...P },
      { args: ["-l", ...S, "-u", "needle"], ...P },
      { args: ["-l", ...S, "-uu", "needle"], ...P },
      { args: ["-c", ...S, "-uuu", "needle"], ...P, name: "-uuu searches binary files" },
      { args: [...S, "-uuu", "needle"], ...P },
      { args: [...S, "--ignore-file", "extra.ignore", "needle"], ...P },
      { args: ["needle", ".hidden.txt"], ...P, name: "a named hidden file is searched" },
      { args: ["--files", ...S, ".hdir"], ...P, name: "a named hidden folder is walked" },
    ];
    await w.write({ "plain/extra.ignore": "sub/\n" });
    await compareTable(t, w, cases);
  });
});

Deno.test("grep: -g/--iglob, -t/-T, --type-list, --type-add, --max-depth, --files and --sort", async (t) => {
  await inWorld(async (w) => {
    const files = [
      "src/main.rs",
      "src/lib.rs",
      "src/util.py",
      "src/nested/mod.rs",
      "README.md",
      "Makefile",
      "docs/Guide.TXT",
      "docs/a.txt",
      "deep/1/2/3/deep.txt",
      "x.foo",
      "build.gradle",
      "CMakeLists.txt",
      "script.sh",
      "page.html",
      "style.min.js",
      "[brackets].txt",
    ];
    const tree: Record<string, string> = {};
    for (const f of files) tree[f] = "needle\n";
    await w.write(tree);
    const S = ["--sort", "path"];
    const F = ["--files", ...S];
    const cases: Case[] = [
      { args: [...F] },
      { args: [...F, "-g", "*.rs"] },
      { args: [...F, "-g", "!*.rs"] },
      { args: [...F, "-g", "*.{rs,py}"] },
      { args: [...F, "-g", "src/**"] },
      { args: [...F, "-g", "!src"] },
      { args: [...F, "-g", "!src/"] },
      { args: [...F, "-g", "/*.md"] },
      { args: [...F, "-g", "**/3/*"] },
      { args: [...F, "-g", "*.rs", "-g", "!lib.rs"] },
      { args: [...F, "-g", "!lib.rs", "-g", "*.rs"], name: "-g order: the later glob wins" },
      { args: [...F, "-g", "*.txt"] },
      { args: [...F, "--iglob", "*.txt"] },
      { args: [...F, "--glob-case-insensitive", "-g", "*.txt"] },
      { args: [...F, "-g", "\\[brackets\\].txt"] },
      { args: [...F, "-g", "[b]*"] },
      { args: [...F, "-g", "*.[ch]"], name: "-g matching nothing" },
      { args: [...F, "-g", "{"], name: "-g with an unclosed brace is an error" },
      { args: [...F, "-t", "rust"] },
      { args: [...F, "-t", "py", "-t", "md"] },
      { args: [...F, "-T", "rust"] },
      { args: [...F, "-t", "make"] },
      { args: [...F, "-t", "cmake"] },
      { args: [...F, "-t", "txt"] },
      { args: [...F, "-t", "js"] },
      { args: [...F, "-t", "sh"] },
      { args: [...F, "-t", "gradle"] },
      { args: [...F, "-t", "all"] },
      { args: [...F, "-T", "all"] },
      { args: [...F, "-t", "nosuchtype"], name: "an unknown type is an error" },
      { args: [...F, "--type-add", "foo:*.foo", "-t", "foo"] },
      { args: [...F, "--type-add", "foo:*.foo", "--type-add", "foo:*.md", "-t", "foo"] },
      { args: [...F, "--type-add", "mine:include:rust,py", "-t", "mine"] },
      { args: [...F, "--type-clear", "rust", "--type-add", "rust:*.py", "-t", "rust"] },
      { args: [...F, "--type-add", "bad", "-t", "rust"], name: "--type-add without a colon" },
      { args: ["--type-list"], name: "--type-list is rg 13's list" },
      { args: ["--type-list", "--type-add", "foo:*.foo"] },
      { args: ["--type-list", "--type-clear", "rust"] },
      { args: [...F, "--max-depth", "0"] },
      { args: [...F, "--max-depth", "1"] },
      { args: [...F, "--max-depth", "2"] },
      { args: [...F, "--max-depth=3"] },
      { args: [...F, "--max-depth", "0", "src/main.rs"] },
      { args: [...F, "src", "docs"] },
      { args: ["--files", "--sortr", "path"] },
      { args: ["-l", "--sortr", "path", "needle"] },
      { args: ["--files", "-0", ...S, "src"] },
      { args: ["--files", "nowhere", "src"], sortLines: true },
      { args: ["-l", ...S, "-t", "rust", "-g", "!main.rs", "needle"] },
      { args: ["needle", "-t", "py", "src/main.rs"], name: "-t does not filter named files" },
      { args: ["needle", "-g", "*.py", "src/main.rs"], name: "-g does not filter named files" },
      { args: ["--files"], sortLines: true, name: "--files unsorted" },
    ];
    await compareTable(t, w, cases);
  });
});

Deno.test("grep: symlinks (-L with a loop), --max-filesize", async (t) => {
  await inWorld(async (w) => {
    await w.write({
      "t/real/f.txt": "needle\n",
      "t/real/sub/g.txt": "needle\n",
      "t/small.txt": "needle\n",
      "t/big.txt": "needle\n" + "x".repeat(2000) + "\n",
      "outside/o.txt": "needle\n",
    });
    await Deno.symlink("real/f.txt", w.path("t/link.txt"));
    await Deno.symlink("../outside", w.path("t/outlink"));
    await Deno.symlink("..", w.path("t/real/sub/loop"));
    const T = { cwd: "t" };
    const S = ["--sort", "path"];
    const cases: Case[] = [
      { args: ["--files", ...S], ...T, name: "symlinks are not followed by default" },
      { args: ["--files", ...S, "-L"], ...T, name: "-L with a loop: warning, the rest listed" },
      { args: [...S, "-L", "needle"], ...T },
      { args: ["-c", "-L", "needle"], ...T, sortLines: true },
      { args: ["needle", "link.txt"], ...T, name: "a named symlink is followed" },
      { args: ["--files", ...S, "outlink"], ...T, name: "a named symlinked folder is walked" },
      { args: ["--files", ...S, "--max-filesize", "1K"], ...T },
      { args: ["--files", ...S, "--max-filesize", "100"], ...T },
      { args: ["--files", ...S, "--max-filesize", "2008"], ...T },
      { args: ["--files", ...S, "--max-filesize", "2007"], ...T },
      { args: ["-l", ...S, "--max-filesize", "1K", "needle"], ...T },
      {
        args: ["needle", "--max-filesize", "10", "big.txt"],
        ...T,
        name: "--max-filesize, named file",
      },
      { args: ["--files", "--max-filesize", "1X"], ...T, name: "--max-filesize 1X is an error" },
    ];
    await compareTable(t, w, cases);
  });
});

Deno.test("grep: binary files (walked: skipped; named: a notice; -a and --binary search them)", async (t) => {
  await inWorld(async (w) => {
    const enc = new TextEncoder();
    const farNul = enc.encode(
      "needle first\n" + "filler line\n".repeat(20000) + "needle late\0x\n",
    );
    await w.write({
      "b/bin1.dat": "needle before\0after needle\n",
      "b/bin2.dat": "\0\nneedle after\n",
      "b/far.dat": farNul,
      "b/text.txt": "needle text\n",
    });
    const B = { cwd: "b" };
    const S = ["--sort", "path"];
    const cases: Case[] = [
      { args: [...S, "needle"], ...B, name: "walked binary files are skipped" },
      { args: ["-c", ...S, "needle"], ...B },
      { args: ["-l", ...S, "needle"], ...B },
      {
        args: ["--files-without-match", ...S, "needle"],
        ...B,
        quirk: "a skipped binary file counts as a file without match for the exit code",
      },
      { args: ["needle", "bin1.dat"], ...B, name: "named: binary file matches (offset)" },
      { args: ["needle", "bin2.dat"], ...B },
      { args: ["-j1", "-n", "needle", "bin1.dat", "text.txt"], ...B },
      { args: ["-c", "needle", "bin1.dat"], ...B },
      { args: ["-o", "needle", "bin1.dat"], ...B },
      { args: ["-l", "needle", "bin1.dat"], ...B },
      { args: ["zzz", "bin1.dat"], ...B },
      { args: ["-a", "needle", "bin1.dat"], ...B, name: "-a prints the NUL" },
      { args: ["-a", ...S, "needle"], ...B },
      { args: ["-a", "-c", ...S, "needle"], ...B },
      { args: ["--binary", ...S, "needle"], ...B },
      { args: ["--binary", "-c", ...S, "needle"], ...B },
      { args: ["needle", "far.dat"], ...B, name: "named, NUL far after the first match" },
      { args: ["-c", "needle", "far.dat"], ...B },
      { args: [...S, "-n", "needle", "far.dat", "text.txt"], ...B },
      { args: ["-n", "needle"], cwd: "b", sortLines: true, name: "walked, NUL far after a match" },
      {
        args: ["--json", "needle", "bin1.dat"],
        ...B,
        normalize: jsonWithoutBytesSearched,
        name: "--json on a named binary file (bytes_searched not compared: rg 13 stops at the NUL)",
      },
      { args: ["needle"], stdin: "needle\0x\n", ...B, name: "stdin with a NUL" },
      { args: ["-a", "needle"], stdin: "needle\0x\n", ...B },
    ];
    await compareTable(t, w, cases);
  });
});

Deno.test("grep -z searches .gz, .bz2, .xz, .lz4 and .zst files", async (t) => {
  await inWorld(async (w) => {
    const text = "first line\nneedle in a compressed file\nlast line\n";
    await w.write({ "z/plain.txt": "needle plain\n" });
    // gzip, bzip2 and xz are required; lz4 and zstd are covered where installed (rg shells
    // out to the same tools, so without them there is nothing to compare).
    const tools = [["gzip", "gz"], ["bzip2", "bz2"], ["xz", "xz"], ["lz4", "lz4"], ["zstd", "zst"]];
    for (const [tool, ext] of tools) {
      if ((tool === "lz4" || tool === "zstd") && !(await hasTool(tool))) continue;
      const r = await w.sh(tool, ["-c"], { stdin: text });
      await w.write({ [`z/f.txt.${ext}`]: r.bytes });
    }
    await w.write({ "z/bad.gz": "not gzip data, needle\n" });
    const Z = { cwd: "z" };
    const S = ["--sort", "path"];
    const cases: Case[] = [
      { args: ["-z", ...S, "needle"], ...Z },
      { args: ["-z", "-n", ...S, "needle"], ...Z },
      { args: ["-z", "-c", ...S, "needle"], ...Z },
      { args: [...S, "needle"], ...Z, name: "without -z compressed files are binary" },
      { args: ["-z", "needle", "f.txt.gz"], ...Z },
      { args: ["-z", "-H", "needle", "f.txt.xz"], ...Z },
      { args: ["-z", "--json", "needle", "f.txt.bz2"], ...Z, normalize: jsonWithoutElapsed },
      { args: ["needle", "f.txt.gz"], ...Z, name: "named .gz without -z" },
      { args: ["-z", "needle", "bad.gz"], ...Z, name: "-z on a .gz that is not gzip" },
    ];
    await compareTable(t, w, cases);
  });
});

Deno.test("grep reads stdin when no path is given", async (t) => {
  await inWorld(async (w) => {
    await w.write({ "here.txt": "needle in a file\n" });
    const input = "one\nneedle two\nthree\nneedle four\n";
    const cases: Case[] = [
      { args: ["needle"], stdin: input },
      { args: ["-n", "needle"], stdin: input },
      { args: ["-H", "needle"], stdin: input },
      { args: ["-c", "needle"], stdin: input },
      { args: ["-l", "needle"], stdin: input },
      { args: ["-v", "needle"], stdin: input },
      { args: ["--vimgrep", "needle"], stdin: input },
      { args: ["zzz"], stdin: input },
      { args: ["needle", "-"], stdin: input, name: "- names stdin" },
      { args: ["-j1", "needle", "-", "here.txt"], stdin: input },
      { args: ["-C", "1", "three"], stdin: input },
      { args: ["needle"], stdin: "", name: "empty stdin" },
      { args: ["needle"], stdin: "needle without newline" },
      { args: ["-f", "-", "here.txt"], stdin: "zzz\nfile\n", name: "-f - reads patterns" },
      { args: ["needle"], name: "stdin is /dev/null: the folder is searched" },
      { args: ["--files"], stdin: input, name: "--files ignores stdin" },
      {
        args: ["-c", "needle", "/dev/stdin"],
        stdin: "needle\n".repeat(100_000),
        name: "a named pipe is read to its end, whatever its short reads",
      },
    ];
    await compareTable(t, w, cases);
  });
});

Deno.test("grep transcodes UTF-16 files with a BOM, and strips a UTF-8 BOM", async (t) => {
  await inWorld(async (w) => {
    const text = "first line\nnaïve café needle\nΩμέγα\n";
    const le = await w.sh("iconv", ["-f", "UTF-8", "-t", "UTF-16LE"], { stdin: text });
    const be = await w.sh("iconv", ["-f", "UTF-8", "-t", "UTF-16BE"], { stdin: text });
    await w.write({
      "u/le.txt": new Uint8Array([0xff, 0xfe, ...le.bytes]),
      "u/be.txt": new Uint8Array([0xfe, 0xff, ...be.bytes]),
      "u/bom8.txt": new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]),
      "u/nobom16.txt": le.bytes,
    });
    const U = { cwd: "u" };
    const S = ["--sort", "path"];
    const cases: Case[] = [
      { args: [...S, "-n", "café"], ...U },
      { args: ["-o", "\\w+é", "le.txt"], ...U },
      { args: ["-c", "needle", "be.txt"], ...U },
      { args: ["-b", "needle", "le.txt"], ...U },
      { args: ["--column", "needle", "be.txt"], ...U },
      { args: ["^first", "bom8.txt"], ...U, name: "a UTF-8 BOM is not part of line 1" },
      { args: ["^first", "le.txt"], ...U },
      { args: ["needle", "nobom16.txt"], ...U, name: "UTF-16 without a BOM is binary" },
      { args: ["-i", "ΩΜΈΓΑ", "le.txt"], ...U },
      { args: ["--json", "needle", "le.txt"], ...U, normalize: jsonWithoutElapsed },
      { args: ["needle"], stdin: new Uint8Array([0xff, 0xfe, ...le.bytes]), ...U },
    ];
    await compareTable(t, w, cases);
  });
});

// ---------------------------------------------------------------------------------------------
// --replace --write (no rg peer: rg only prints; its --passthru output is the expected file)

/**
 * What rg prints for the whole file with replacements: the contents `--write` must leave.
 * (rg ends every printed line with a newline; a file without a final newline keeps lacking it.)
 */
async function rgReplaced(w: GrepWorld, args: string[], file: string): Promise<string> {
  const r = await w.rg(["--passthru", "--no-filename", "--no-line-number", ...args, file]);
  assert.equal(r.code, 0, r.stderr);
  const original = await Deno.readTextFile(w.path(file));
  return original.endsWith("\n") ? r.stdout : r.stdout.replace(/\n$/, "");
}

Deno.test("grep --replace --write rewrites files in place, keeping their permissions", async (t) => {
  await inWorld(async (w) => {
    const files = {
      "wr/a.txt": "colour one\nno match\ncolours two colour\n",
      "wr/b.sh": "#!/bin/sh\necho colour\n",
      "wr/c.txt": "nothing here\n",
      "wr/nonl.txt": "colour at the end",
      "wr/.hidden.txt": "colour hidden\n",
      "wr/ignored.log": "colour ignored\n",
      "wr/.ignore": "*.log\n",
      "wr/uni.txt": "naïve colour café\n",
    };
    await w.write(files);
    await Deno.chmod(w.path("wr/a.txt"), 0o640);
    await Deno.chmod(w.path("wr/b.sh"), 0o751);
    const pattern = ["colou(r)"];
    const replace = ["-r", "colo$1"];
    const expected: Record<string, string> = {};
    for (const f of ["a.txt", "b.sh", "nonl.txt", "uni.txt"]) {
      expected[f] = await rgReplaced(w, [...replace, ...pattern], `wr/${f}`);
    }
    const r = await w.kit([...replace, "--write", ...pattern], { cwd: "wr" });
    await t.step("exit 0 and a summary on stderr", () => {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "");
    });
    for (const [f, text] of Object.entries(expected)) {
      await t.step(`${f} holds what rg --passthru -r prints`, async () => {
        assert.equal(await Deno.readTextFile(w.path(`wr/${f}`)), text);
      });
    }
    await t.step("permissions are kept", async () => {
      assert.equal((await Deno.stat(w.path("wr/a.txt"))).mode! & 0o777, 0o640);
      assert.equal((await Deno.stat(w.path("wr/b.sh"))).mode! & 0o777, 0o751);
    });
    await t.step("unmatched, hidden and ignored files are untouched", async () => {
      for (const f of ["c.txt", ".hidden.txt", "ignored.log"]) {
        assert.equal(await Deno.readTextFile(w.path(`wr/${f}`)), files[`wr/${f}` as "wr/c.txt"]);
      }
    });
    await t.step("no temporary files are left behind", async () => {
      const names = [];
      for await (const e of Deno.readDir(w.path("wr"))) names.push(e.name);
      assert.deepEqual(names.sort(), Object.keys(files).map((f) => f.slice(3)).sort());
    });
    await t.step("a second run finds nothing and exits 1", async () => {
      const again = await w.kit([...replace, "--write", ...pattern], { cwd: "wr" });
      assert.equal(again.code, 1, again.stderr);
    });
    await t.step("${name}, -w and a named file", async () => {
      await w.write({ "wr/named.txt": "foo food foo\n" });
      const args = ["-w", "-r", "${x}d", "(?P<x>foo)"];
      const want = await rgReplaced(w, args, "wr/named.txt");
      const k = await w.kit([...args, "--write", "wr/named.txt"]);
      assert.equal(k.code, 0, k.stderr);
      assert.equal(await Deno.readTextFile(w.path("wr/named.txt")), want);
    });
    await t.step("-i and several -e", async () => {
      await w.write({ "wr/multi.txt": "Cat dog CAT bird\n" });
      const args = ["-i", "-r", "pet", "-e", "cat", "-e", "dog"];
      const want = await rgReplaced(w, args, "wr/multi.txt");
      const k = await w.kit([...args, "--write", "wr/multi.txt"]);
      assert.equal(k.code, 0, k.stderr);
      assert.equal(await Deno.readTextFile(w.path("wr/multi.txt")), want);
    });
  });
});

Deno.test("grep --replace --write --dry-run prints a unified diff and changes nothing", async (t) => {
  await inWorld(async (w) => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    lines[1] = "colour early";
    lines[20] = "a colour and a colour";
    const files = {
      "d/a.txt": lines.join("\n") + "\n",
      "d/b.txt": "colour\n",
      "d/c.txt": "nothing\n",
      "d/nonl.txt": "line\ncolour",
    };
    await w.write(files);
    const args = ["-r", "color", "colour"];
    const r = await w.kit([...args, "--write", "--dry-run", "--sort", "path"], { cwd: "d" });
    let expected = "";
    for (const f of ["a.txt", "b.txt", "nonl.txt"]) {
      const after = await rgReplaced(w, args, `d/${f}`);
      await Deno.writeTextFile(w.path(`d/${f}.new`), after);
      const diff = await new Deno.Command("diff", {
        args: ["-u", "--label", `a/${f}`, "--label", `b/${f}`, f, `${f}.new`],
        cwd: w.path("d"),
        stdout: "piped",
      }).output();
      expected += new TextDecoder().decode(diff.stdout);
      await Deno.remove(w.path(`d/${f}.new`));
    }
    await t.step("stdout is diff -u of each file and rg --passthru -r's output", () => {
      assert.equal(r.stdout, expected);
      assert.equal(r.code, 0, r.stderr);
    });
    await t.step("no file changed", async () => {
      for (const [f, text] of Object.entries(files)) {
        assert.equal(await Deno.readTextFile(w.path(f)), text);
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Bad input

/** The 1-based column of the first `^` under the pattern in rg's "regex parse error" message. */
function rgCaretColumn(stderr: string): number | undefined {
  const lines = stderr.split("\n");
  const i = lines.findIndex((l) => /^\s+\^[\s^]*$/.test(l));
  return i < 0 ? undefined : lines[i].indexOf("^") - 4 + 1;
}

Deno.test("grep: an invalid regex exits 2 with one error line that names the position", async (t) => {
  await inWorld(async (w) => {
    await w.write({ "f.txt": "a(b\n" });
    for (const pattern of ["a(b", "[z-a]", "\\p{Nope}", "a{2,1}", "x)", "(?P<n>a)(?P<n>b)", "*a"]) {
      await t.step(`rg '${pattern}'`, async () => {
        const p = await w.both([pattern, "f.txt"]);
        assertSame(p);
        assert.equal(p.kit.code, 2);
        const kitLines = p.kit.stderr.trimEnd().split("\n");
        assert.equal(kitLines.length, 1, `one line expected: ${p.kit.stderr}`);
        const column = rgCaretColumn(p.rg.stderr);
        assert.ok(column !== undefined, `rg shows no caret: ${p.rg.stderr}`);
        const named = /column (\d+)/.exec(kitLines[0]);
        assert.ok(named, `kit names no column: ${kitLines[0]}`);
        assert.equal(
          Number(named[1]),
          column,
          `rg's caret is at column ${column}:\n${p.rg.stderr}\nkit: ${kitLines[0]}`,
        );
      });
    }
  });
});

Deno.test({
  name: "grep: an unreadable file warns and the search goes on",
  fn: async (t) => {
    await inWorld(async (w) => {
      await w.write({ "p/a.txt": "needle\n", "p/locked.txt": "needle\n", "p/z.txt": "needle\n" });
      await Deno.chmod(w.path("p/locked.txt"), 0o000);
      // The setup holds: the peer cannot read the file either (exit 2).
      assert.equal(
        (await w.rg(["needle", "locked.txt"], { cwd: "p", obeyPermissions: true })).code,
        2,
      );
      await compareTable(t, w, [
        { args: ["--sort", "path", "needle"], cwd: "p", obeyPermissions: true },
        { args: ["needle", "locked.txt", "z.txt"], cwd: "p", obeyPermissions: true },
        { args: ["-l", "needle"], cwd: "p", sortLines: true, obeyPermissions: true },
      ]);
    });
  },
});

Deno.test({
  // Root reads a chmod 000 file, so this one fails to read for everybody: the kernel answers
  // a read of /proc/self/mem at offset 0 with EIO.
  name: "grep: a file whose read fails (/proc/self/mem) warns and the search goes on",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    await inWorld(async (w) => {
      await w.write({ "m/a.txt": "needle\n" });
      const r = await w.kit(["needle", "/proc/self/mem", "a.txt"], { cwd: "m" });
      const peer = await w.rg(["needle", "/proc/self/mem", "a.txt"], { cwd: "m" });
      assert.equal(r.stdout, peer.stdout);
      assert.equal(r.stdout, "a.txt:needle\n");
      assert.equal(r.code, 2);
      assert.equal(peer.code, 2);
      assert.match(r.stderr, /^kit grep: \/proc\/self\/mem: input\/output error\n$/i);
    });
  },
});

Deno.test("grep: broken symlinks and missing paths warn; other paths are still searched", async (t) => {
  await inWorld(async (w) => {
    await w.write({ "e/a.txt": "needle\n", "e/sub/b.txt": "needle\n" });
    await Deno.symlink("nowhere", w.path("e/broken"));
    await Deno.symlink("nowhere", w.path("e/sub/broken2"));
    const E = { cwd: "e" };
    const S = ["--sort", "path"];
    const cases: Case[] = [
      { args: [...S, "needle"], ...E, name: "walked broken symlink, not followed: silent" },
      { args: [...S, "-L", "needle"], ...E, name: "walked broken symlink with -L: warning" },
      { args: ["-j1", "needle", "broken", "a.txt"], ...E, name: "named broken symlink" },
      {
        args: ["-j1", "needle", "nope", "a.txt"],
        ...E,
        name: "missing path: exit 2 even with matches",
      },
      { args: ["needle", "a.txt", "nope"], ...E },
      { args: ["zzz", "nope", "a.txt"], ...E },
      { args: ["needle", "nope"], ...E },
      { args: ["-q", "needle", "nope", "a.txt"], ...E, name: "-q with a match and an error" },
      { args: ["-l", "needle", "nope", "a.txt"], ...E },
      { args: ["-c", "needle", "nope", "a.txt"], ...E },
      { args: ["--files", "nope", "a.txt"], ...E },
      { args: ["--no-messages", "needle", "nope", "a.txt"], ...E, stderr: "ignore" },
      { args: ["needle", "nope/deeper.txt"], ...E },
      { args: ["needle", "a.txt/x"], ...E, name: "a path through a file" },
    ];
    await compareTable(t, w, cases);
  });
});

Deno.test("grep: a 5 MB line works", async (t) => {
  await inWorld(async (w) => {
    const half = "a".repeat(2_500_000);
    await w.write({
      "long/line.txt": `short needle\n${half}needle${half}needle\nlast\n`,
      "long/b.txt": `${"b".repeat(5_000_000)}\n`,
    });
    const L = { cwd: "long" };
    const cases: Case[] = [
      { args: ["-c", "needle", "line.txt"], ...L },
      { args: ["--count-matches", "needle", "line.txt"], ...L },
      { args: ["-o", "-b", "-n", "needle", "line.txt"], ...L },
      { args: ["--column", "-o", "needle", "line.txt"], ...L },
      { args: ["-n", "needle", "line.txt"], ...L, name: "prints the whole 5 MB line" },
      { args: ["-M", "100", "-n", "needle", "line.txt"], ...L },
      { args: ["-n", "^last$", "line.txt"], ...L },
      { args: ["-c", "b$", "b.txt"], ...L },
      { args: ["-c", "-v", "x", "b.txt"], ...L },
      { args: ["-o", "a{3}needle", "line.txt"], ...L },
    ];
    await compareTable(t, w, cases);
  });
});

Deno.test("grep: a file larger than a chunk (2 MiB) streams with its output, context and numbers", async (t) => {
  await inWorld(async (w) => {
    // 6 MB of numbered lines, every 97th holding the needle: chunk boundaries fall inside
    // runs of context, and the output (flushed while the file is read) is megabytes long.
    const lines = Array.from(
      { length: 150_000 },
      (_, i) => `${i % 97 === 0 ? "needle" : "hay"} line ${i} ${"é".repeat(i % 7)}`,
    );
    await w.write({
      "big/a.txt": "needle in a\n",
      "big/huge.txt": lines.join("\n") + "\n",
      "big/z.txt": "needle in z\n",
    });
    const B = { cwd: "big" };
    const S = ["--sort", "path"];
    const cases: Case[] = [
      { args: [...S, "-n", "needle"], ...B },
      { args: [...S, "--heading", "-n", "needle"], ...B },
      { args: [...S, "-C", "2", "-n", "needle"], ...B },
      { args: [...S, "-c", "needle"], ...B },
      { args: [...S, "-b", "-o", "line 1499.."], ...B },
      { args: [...S, "-n", "line"], ...B, name: "6 MB of output, written while searching" },
      { args: [...S, "--heading", "line"], ...B, name: "the same under headings" },
      { args: ["-n", "needle"], ...B, sortLines: true, name: "parallel: whole files" },
    ];
    await compareTable(t, w, cases);
  });
});

Deno.test("grep -w next to letters, symbols and bytes that are not UTF-8, as rg", async (t) => {
  await inWorld(async (w) => {
    const enc = new TextEncoder();
    await w.write({
      "wb/a.txt": "ïlen x\n—len—\nlen😀\nlen中\nlen\n_len\n",
      "wb/b.txt": new Uint8Array([0xe9, ...enc.encode("len\n"), ...enc.encode("x len y\n")]),
    });
    const W = { cwd: "wb" };
    await compareTable(t, w, [
      { args: ["--sort", "path", "-w", "len"], ...W },
      { args: ["--sort", "path", "-c", "-w", "len"], ...W },
      { args: ["--sort", "path", "-w", "-o", "len"], ...W },
      { args: ["--sort", "path", "-v", "-w", "len"], ...W },
    ]);
  });
});

Deno.test("grep: a named binary file larger than a chunk prints rg's notice, not its bytes", async (t) => {
  await inWorld(async (w) => {
    // 1 MB: past the 256 KiB chunk, so it is streamed; the NUL bytes sit near the start.
    const bytes = new Uint8Array(1_000_000).fill(0x61);
    bytes.set(new TextEncoder().encode("\x7fELF"), 0);
    bytes.set([0, 0, 0, 10], 4);
    for (let i = 200; i < bytes.length; i += 1000) bytes[i] = 10;
    bytes.set(new TextEncoder().encode("needle"), 500_000);
    await w.write({ "bin/prog": bytes, "bin/text.txt": "needle\n" });
    const B = { cwd: "bin" };
    const split = { cwd: "bin", env: { KIT_GREP_SPLIT_MIN: "1" } };
    await compareTable(t, w, [
      { args: ["needle", "prog"], ...B },
      { args: ["ELF", "prog"], ...B },
      { args: ["-c", "needle", "prog"], ...B },
      { args: ["-j1", "-H", "needle", "prog", "text.txt"], ...B },
      { args: ["needle", "prog"], ...split, name: "the same with a split search allowed" },
      { args: ["zzz", "prog"], ...B },
    ]);
  });
});

Deno.test("grep: one large file searched by several threads gives rg's output", async (t) => {
  await inWorld(async (w) => {
    const lines = Array.from(
      { length: 20_000 },
      (_, i) => `${i % 13 === 0 ? "needle" : "hay"} ${i} ${i % 5 === 0 ? "naïve" : "x"}`,
    );
    await w.write({ "split/f.txt": lines.join("\n") + "\n", "split/none.txt": "hay\n" });
    // KIT_GREP_SPLIT_MIN=1 makes every named file "large", so these small files take the
    // split path; rg is the reference for what the joined result must be.
    const S = { cwd: "split", env: { KIT_GREP_SPLIT_MIN: "1" } };
    const cases: Case[] = [];
    for (const j of ["-j2", "-j3", "-j7"]) {
      cases.push(
        { args: [j, "needle", "f.txt"], ...S },
        { args: [j, "-c", "needle", "f.txt"], ...S },
        { args: [j, "-c", "-v", "needle", "f.txt"], ...S },
        { args: [j, "--count-matches", "e", "f.txt"], ...S },
        { args: [j, "-b", "-o", "naïve", "f.txt"], ...S },
        { args: [j, "-l", "needle", "f.txt"], ...S },
        { args: [j, "--files-without-match", "needle", "none.txt"], ...S },
        { args: [j, "-q", "needle", "f.txt"], ...S },
        { args: [j, "-H", "--stats", "needle", "f.txt"], ...S, normalize: withoutTimings },
      );
    }
    await compareTable(t, w, cases);
  });
});

Deno.test("grep: usage errors exit 2 like rg's", async (t) => {
  await inWorld(async (w) => {
    await w.write({ "f.txt": "needle\n" });
    const cases: Case[] = [
      { args: [], name: "no pattern" },
      { args: ["--no-such-flag", "needle"] },
      { args: ["-m", "x", "needle"] },
      { args: ["-A"], name: "-A without a value" },
      { args: ["--sort", "bogus", "needle"] },
      { args: ["-e"], name: "-e without a value" },
      { args: ["--", "-needle", "f.txt"], name: "-- ends the flags" },
      { args: ["-r"], name: "-r without a value" },
    ];
    await compareTable(t, w, cases);
  });
});
