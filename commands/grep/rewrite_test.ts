import assert from "node:assert/strict";
import type { MatcherOptions } from "./matcher.ts";
import { rewriteText, unifiedDiff } from "./rewrite.ts";

/** ripgrep 13 is the reference; without it the comparisons with rg are skipped. */
const rgVersion = await new Deno.Command("rg", { args: ["--version"], stdout: "piped" })
  .output()
  .then((out) => new TextDecoder().decode(out.stdout), () => "");
const hasRg13 = rgVersion.startsWith("ripgrep 13.");

interface RewriteCase {
  name: string;
  text: string;
  patterns: string[];
  matcher?: MatcherOptions;
  template: string;
  /** rg flags (before the patterns) for `rg --passthru -r TEMPLATE`. */
  rg?: string[];
  want: string;
  replacements: number;
}

const REWRITES: RewriteCase[] = [
  {
    name: "every match on every matching line",
    text: "colour\nno\na colour and a colour\n",
    patterns: ["colour"],
    template: "color",
    want: "color\nno\na color and a color\n",
    replacements: 3,
  },
  {
    name: "groups in the template",
    text: "2024-05-06\n",
    patterns: ["(\\d+)-(?P<m>\\d+)-(\\d+)"],
    template: "$3.${m}.$1",
    want: "06.05.2024\n",
    replacements: 1,
  },
  {
    name: "the last line without newline stays without one",
    text: "line\ncolour",
    patterns: ["colour"],
    template: "color",
    want: "line\ncolor",
    replacements: 1,
  },
  {
    name: "CRLF line ends are kept",
    text: "a colour\r\nb\r\n",
    patterns: ["colour"],
    template: "color",
    want: "a color\r\nb\r\n",
    replacements: 1,
  },
  {
    name: "-w",
    text: "cat concat cat-like\n",
    patterns: ["cat"],
    matcher: { wordRegexp: true },
    rg: ["-w"],
    template: "dog",
    want: "dog concat dog-like\n",
    replacements: 2,
  },
  {
    name: "-i and several patterns",
    text: "Cat dog CAT bird\n",
    patterns: ["cat", "dog"],
    matcher: { caseMode: "insensitive" },
    rg: ["-i"],
    template: "pet",
    want: "pet pet pet bird\n",
    replacements: 3,
  },
  {
    name: "-F",
    text: "a.b axb\n",
    patterns: ["a.b"],
    matcher: { fixedStrings: true },
    rg: ["-F"],
    template: "X",
    want: "X axb\n",
    replacements: 1,
  },
  {
    name: "empty matches, as rg -r replaces them",
    text: "ab\nxx\nc",
    patterns: ["x*"],
    template: "Y",
    want: "YaYbY\nY\nYcY",
    replacements: 6,
  },
  {
    name: "anchors",
    text: "one\ntwo\n",
    patterns: ["^"],
    template: "> ",
    want: "> one\n> two\n",
    replacements: 2,
  },
  {
    name: "non-ASCII text",
    text: "na\u00efve caf\u00e9\n",
    patterns: ["\\w+\u00e9"],
    template: "[$0]",
    want: "na\u00efve [caf\u00e9]\n",
    replacements: 1,
  },
  {
    name: "nothing matches",
    text: "a\nb\n",
    patterns: ["zzz"],
    template: "X",
    want: "a\nb\n",
    replacements: 0,
  },
  {
    name: "-U: a match may take a newline",
    text: "one\ntwo\nthree\n",
    patterns: ["e\\n"],
    matcher: { multiline: true },
    template: "E;",
    want: "onE;two\nthreE;",
    replacements: 2,
  },
  {
    name: "-U: a match over two lines",
    text: "one\ntwo\nthree\n",
    patterns: ["o\\nt"],
    matcher: { multiline: true },
    template: "-",
    want: "one\ntw-hree\n",
    replacements: 1,
  },
];

Deno.test("rewriteText() replaces the matches rg --replace shows", async (t) => {
  for (const c of REWRITES) {
    await t.step(c.name, () => {
      assert.deepEqual(rewriteText(c.text, c.patterns, c.matcher ?? {}, c.template), {
        text: c.want,
        replacements: c.replacements,
      });
    });
  }
});

Deno.test({
  name: "rewriteText() agrees with rg 13 --passthru -r",
  ignore: !hasRg13,
  fn: async (t) => {
    const dir = await Deno.makeTempDir();
    try {
      // rg 13's multiline replacement prints lines twice; those cases are not compared.
      for (const c of REWRITES.filter((c) => !c.matcher?.multiline)) {
        await t.step(c.name, async () => {
          await Deno.writeTextFile(`${dir}/f.txt`, c.text);
          const args = ["--no-config", "--passthru", "-r", c.template, ...(c.rg ?? [])];
          for (const p of c.patterns) args.push("-e", p);
          const out = await new Deno.Command("rg", {
            args: [...args, "f.txt"],
            cwd: dir,
            stdout: "piped",
          }).output();
          let printed = new TextDecoder().decode(out.stdout);
          // rg ends its last line with a newline whether the file did or not.
          if (!c.text.endsWith("\n")) printed = printed.replace(/\n$/, "");
          assert.equal(rewriteText(c.text, c.patterns, c.matcher ?? {}, c.template).text, printed);
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

const LONG = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);

/** `lines` with some of them (0-based) changed. */
function edited(changes: Record<number, string>, lines = LONG): string {
  return lines.map((l, i) => changes[i] ?? l).join("\n") + "\n";
}

const DIFFS: { name: string; before: string; after: string }[] = [
  { name: "one changed line", before: "x\ncolour\n", after: "x\ncolor\n" },
  { name: "a one-line file", before: "colour\n", after: "color\n" },
  { name: "no newline at the end", before: "line\ncolour", after: "line\ncolor" },
  { name: "a one-line file without newline", before: "colour", after: "color" },
  { name: "the first line", before: edited({}), after: edited({ 0: "first" }) },
  { name: "the last line", before: edited({}), after: edited({ 29: "last" }) },
  {
    name: "two far apart changes: two hunks",
    before: edited({}),
    after: edited({ 2: "a", 20: "b" }),
  },
  {
    name: "changes 6 lines apart: one hunk",
    before: edited({}),
    after: edited({ 2: "a", 9: "b" }),
  },
  {
    name: "changes 7 lines apart: two hunks",
    before: edited({}),
    after: edited({ 2: "a", 10: "b" }),
  },
  { name: "neighbouring changes", before: edited({}), after: edited({ 5: "a", 6: "b", 7: "c" }) },
  {
    name: "a replacement that adds a line",
    before: "a\nb colour c\nd\n",
    after: "a\nb co\nlor c\nd\n",
  },
  { name: "a line that becomes empty text", before: "x", after: "" },
  { name: "CRLF", before: "a\r\ncolour\r\nb\r\n", after: "a\r\ncolor\r\nb\r\n" },
];

Deno.test("unifiedDiff() prints what diff -u prints", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    for (const d of DIFFS) {
      await t.step(d.name, async () => {
        await Deno.writeTextFile(`${dir}/old`, d.before);
        await Deno.writeTextFile(`${dir}/new`, d.after);
        const out = await new Deno.Command("diff", {
          args: ["-u", "--label", "a/f.txt", "--label", "b/f.txt", "old", "new"],
          cwd: dir,
          stdout: "piped",
        }).output();
        assert.equal(unifiedDiff("f.txt", d.before, d.after), new TextDecoder().decode(out.stdout));
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("unifiedDiff() output applies with patch -p1", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    for (const d of DIFFS) {
      await t.step(d.name, async () => {
        await Deno.writeTextFile(`${dir}/f.txt`, d.before);
        const child = new Deno.Command("patch", {
          args: ["-p1", "--quiet", "--force"],
          cwd: dir,
          stdin: "piped",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        const writer = child.stdin.getWriter();
        await writer.write(new TextEncoder().encode(unifiedDiff("f.txt", d.before, d.after)));
        await writer.close();
        const result = await child.output();
        assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));
        assert.equal(await Deno.readTextFile(`${dir}/f.txt`), d.after);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("unifiedDiff() of equal texts is empty", () => {
  assert.equal(unifiedDiff("f.txt", "a\nb\n", "a\nb\n"), "");
  assert.equal(unifiedDiff("f.txt", "", ""), "");
});
