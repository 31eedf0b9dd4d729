import assert from "node:assert/strict";
import { type Chunk, decodeChunk } from "./chunk.ts";
import { buildMatcher, type MatcherOptions } from "./matcher.ts";
import { countLines, Searcher, type SearcherOptions, type SearchSink } from "./searcher.ts";

const encoder = new TextEncoder();

/** ripgrep 13 is the reference; without it the comparisons with rg are skipped. */
const rgVersion = await new Deno.Command("rg", { args: ["--version"], stdout: "piped" })
  .output()
  .then((out) => new TextDecoder().decode(out.stdout), () => "");
const hasRg13 = rgVersion.startsWith("ripgrep 13.");

/** A sink that writes what it is told the way `rg -n` prints it. */
function recorder(): SearchSink & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    // A multiline selection is one call; rg prints each of its lines as matching.
    matched: (c, s, e, n) => {
      c.text.slice(s, e).split("\n").forEach((line, k) => lines.push(`${n + k}:${line}`));
    },
    context: (c, s, e, n) => void lines.push(`${n}-${c.text.slice(s, e)}`),
    separator: () => void lines.push("--"),
  };
}

interface Search {
  patterns: string[];
  matcher?: MatcherOptions;
  search?: SearcherOptions;
}

/** Searches `input` as one chunk; returns rg -n's lines and the searcher. */
function searchOne(input: string | Uint8Array, s: Search): { lines: string[]; searcher: Searcher } {
  const bytes = typeof input === "string" ? encoder.encode(input) : input;
  const searcher = new Searcher(buildMatcher(s.patterns, s.matcher), s.search);
  const sink = recorder();
  searcher.reset();
  searcher.search(decodeChunk(bytes), sink);
  return { lines: sink.lines, searcher };
}

/**
 * Searches `input` in two chunks cut at the last newline before byte `at`, the way
 * FileSearch's stream does: the second chunk repeats the first one's last `before` lines
 * (`from` marks them as already searched) and says where it starts (`byteBase`, `lineBase`).
 */
function searchTwo(input: string, at: number, s: Search): string[] {
  const bytes = encoder.encode(input);
  const searcher = new Searcher(buildMatcher(s.patterns, s.matcher), s.search);
  const sink = recorder();
  searcher.reset();
  const cut = bytes.lastIndexOf(10, at - 1) + 1;
  searcher.search(decodeChunk(bytes.subarray(0, cut), { last: false }), sink);
  if (!searcher.done) {
    let keep = cut;
    // --passthru owes every line before the first match: all of them must be carried.
    const before = s.search?.passthru ? Infinity : s.search?.before ?? 0;
    for (let n = 0; n < before && keep > 0; n++) {
      keep = bytes.lastIndexOf(10, keep - 2) + 1;
    }
    const carried = decodeChunk(bytes.subarray(keep, cut)).text.length;
    const first: Chunk = decodeChunk(bytes.subarray(0, keep));
    searcher.search(
      decodeChunk(bytes.subarray(keep), {
        byteBase: keep,
        lineBase: 1 + countLines(first.text, 0, first.text.length),
        from: carried,
        last: true,
      }),
      sink,
    );
  }
  return sink.lines;
}

/** rg's output for the same search, one line per array item. */
async function rg(args: string[], input: string): Promise<string[]> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/f.txt`, input);
    const out = await new Deno.Command("rg", {
      args: ["--no-config", "-n", ...args, "f.txt"],
      cwd: dir,
      stdout: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    return text === "" ? [] : text.replace(/\n$/, "").split("\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const TEXT = [
  "alpha",
  "foo one",
  "beta",
  "gamma",
  "foo two",
  "delta",
  "epsilon",
  "zeta",
  "eta",
  "foo three",
  "theta",
].join("\n") + "\n";

interface Case extends Search {
  name: string;
  /** The same search as rg flags (with -n added), to check `want` against rg. */
  rg: string[];
  input?: string;
  want: string[];
  /** Why rg 13 prints something else, when it does. */
  rg13Differs?: string;
}

const CASES: Case[] = [
  {
    name: "matching lines",
    patterns: ["foo"],
    rg: ["foo"],
    want: ["2:foo one", "5:foo two", "10:foo three"],
  },
  {
    name: "-v selects the other lines",
    patterns: ["foo"],
    search: { invert: true },
    rg: ["-v", "foo"],
    want: [
      "1:alpha",
      "3:beta",
      "4:gamma",
      "6:delta",
      "7:epsilon",
      "8:zeta",
      "9:eta",
      "11:theta",
    ],
  },
  {
    name: "-m stops after that many lines",
    patterns: ["foo"],
    search: { maxCount: 2 },
    rg: ["-m", "2", "foo"],
    want: ["2:foo one", "5:foo two"],
  },
  {
    name: "-m with -v",
    patterns: ["foo"],
    search: { maxCount: 2, invert: true },
    rg: ["-m", "2", "-v", "foo"],
    want: ["1:alpha", "3:beta"],
  },
  {
    name: "-m 0 selects nothing",
    patterns: ["foo"],
    search: { maxCount: 0 },
    rg: ["-m", "0", "foo"],
    want: [],
  },
  {
    name: "-A: context after, -- between groups",
    patterns: ["foo"],
    search: { after: 1 },
    rg: ["-A", "1", "foo"],
    want: ["2:foo one", "3-beta", "--", "5:foo two", "6-delta", "--", "10:foo three", "11-theta"],
  },
  {
    name: "-B: context before",
    patterns: ["foo"],
    search: { before: 1 },
    rg: ["-B", "1", "foo"],
    want: ["1-alpha", "2:foo one", "--", "4-gamma", "5:foo two", "--", "9-eta", "10:foo three"],
  },
  {
    name: "-C: groups that touch merge without a separator",
    patterns: ["foo"],
    search: { before: 1, after: 1 },
    rg: ["-C", "1", "foo"],
    want: [
      "1-alpha",
      "2:foo one",
      "3-beta",
      "4-gamma",
      "5:foo two",
      "6-delta",
      "--",
      "9-eta",
      "10:foo three",
      "11-theta",
    ],
  },
  {
    name: "-C: overlapping groups merge and no line repeats",
    patterns: ["foo"],
    search: { before: 2, after: 2 },
    rg: ["-C", "2", "foo"],
    want: [
      "1-alpha",
      "2:foo one",
      "3-beta",
      "4-gamma",
      "5:foo two",
      "6-delta",
      "7-epsilon",
      "8-zeta",
      "9-eta",
      "10:foo three",
      "11-theta",
    ],
  },
  {
    name: "-A: a match inside after context is a match and restarts it",
    patterns: ["foo|delta"],
    search: { after: 3 },
    rg: ["-A", "3", "foo|delta"],
    want: [
      "2:foo one",
      "3-beta",
      "4-gamma",
      "5:foo two",
      "6:delta",
      "7-epsilon",
      "8-zeta",
      "9-eta",
      "10:foo three",
      "11-theta",
    ],
  },
  {
    name: "-B at the start of the file and -A at its end",
    patterns: ["alpha|theta"],
    search: { before: 3, after: 3 },
    rg: ["-C", "3", "alpha|theta"],
    want: [
      "1:alpha",
      "2-foo one",
      "3-beta",
      "4-gamma",
      "--",
      "8-zeta",
      "9-eta",
      "10-foo three",
      "11:theta",
    ],
  },
  {
    name: "-v with context: the matching lines are the context",
    patterns: ["a"],
    search: { invert: true, before: 1, after: 1 },
    rg: ["-v", "-C", "1", "a"],
    want: [
      "1-alpha",
      "2:foo one",
      "3-beta",
      "4-gamma",
      "5:foo two",
      "6-delta",
      "7:epsilon",
      "8-zeta",
      "9-eta",
      "10:foo three",
      "11-theta",
    ],
  },
  {
    name: "-m with -B",
    patterns: ["foo"],
    search: { maxCount: 2, before: 1 },
    rg: ["-m", "2", "-B", "1", "foo"],
    want: ["1-alpha", "2:foo one", "--", "4-gamma", "5:foo two"],
  },
  {
    name: "-m with -A: context after the last match is still printed",
    patterns: ["foo"],
    search: { maxCount: 1, after: 3 },
    rg: ["-m", "1", "-A", "3", "foo"],
    want: ["2:foo one", "3-beta", "4-gamma", "5-foo two"],
    rg13Differs: "rg 13 prints a matching line in that context as a match (ripgrep#1380)",
  },
  {
    name: "--passthru prints every line",
    patterns: ["foo"],
    search: { passthru: true },
    rg: ["--passthru", "foo"],
    want: [
      "1-alpha",
      "2:foo one",
      "3-beta",
      "4-gamma",
      "5:foo two",
      "6-delta",
      "7-epsilon",
      "8-zeta",
      "9-eta",
      "10:foo three",
      "11-theta",
    ],
  },
  {
    name: "the last line without a newline",
    patterns: ["foo"],
    input: "a\nfoo",
    rg: ["foo"],
    want: ["2:foo"],
  },
  {
    name: "an empty file",
    patterns: ["^"],
    input: "",
    rg: ["^"],
    want: [],
  },
  {
    name: "an empty file with -v",
    patterns: ["x"],
    search: { invert: true },
    input: "",
    rg: ["-v", "x"],
    want: [],
  },
  {
    name: "a file of one empty line",
    patterns: ["^"],
    input: "\n",
    rg: ["^"],
    want: ["1:"],
  },
  {
    name: "empty matches: ^ selects every line, none after the last newline",
    patterns: ["^"],
    input: "a\n\nb\n",
    rg: ["^"],
    want: ["1:a", "2:", "3:b"],
  },
  {
    name: "empty matches: x* selects every line",
    patterns: ["x*"],
    input: "a\nxx\nb",
    rg: ["x*"],
    want: ["1:a", "2:xx", "3:b"],
  },
  {
    name: "empty matches: $ and ^$",
    patterns: ["^$"],
    input: "a\n\nb\n\n",
    rg: ["^$"],
    want: ["2:", "4:"],
  },
  {
    name: "a match that would cross a newline needs -U",
    patterns: ["o\\sb"],
    input: "foo\nbar\n",
    rg: ["o\\sb"],
    want: [],
  },
  {
    name: "a line whose first match would cross a newline may match on its own",
    patterns: ["a[^b]*b|c"],
    input: "a c\nb\n",
    rg: ["a[^b]*b|c"],
    want: ["1:a c"],
  },
  {
    name: "-v: a line is not matched by a match that would cross its newline",
    patterns: ["o\\sb"],
    search: { invert: true },
    input: "foo\nbar\n",
    rg: ["-v", "o\\sb"],
    want: ["1:foo", "2:bar"],
  },
  {
    name: "-U: a match over several lines selects them all",
    patterns: ["o\\nt"],
    matcher: { multiline: true },
    search: { multiline: true },
    input: "one\ntwo\nthree\nfour\n",
    rg: ["-U", "o\\nt"],
    want: ["2:two", "3:three"],
  },
  {
    name: "-U: a match ending at a newline selects one line",
    patterns: ["e\\n"],
    matcher: { multiline: true },
    search: { multiline: true },
    input: "one\ntwo\nthree\nfour\n",
    rg: ["-U", "e\\n"],
    want: ["1:one", "3:three"],
  },
  {
    name: "-U: a match starting on the last line of another joins its group",
    patterns: ["b\\nc|d\\ne"],
    matcher: { multiline: true },
    search: { multiline: true },
    input: "ab\ncd\nef\ngh\n",
    rg: ["-U", "b\\nc|d\\ne"],
    want: ["1:ab", "2:cd", "3:ef"],
  },
  {
    name: "-U with context",
    patterns: ["o\\nt"],
    matcher: { multiline: true },
    search: { multiline: true, before: 1, after: 1 },
    input: "one\ntwo\nthree\nfour\nfive\n",
    rg: ["-U", "-C", "1", "o\\nt"],
    want: ["1-one", "2:two", "3:three", "4-four"],
  },
];

Deno.test("Searcher selects lines and context as rg -n prints them", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      assert.deepEqual(searchOne(c.input ?? TEXT, c).lines, c.want);
    });
  }
});

Deno.test({
  name: "Searcher cases agree with rg 13",
  ignore: !hasRg13,
  fn: async (t) => {
    for (const c of CASES) {
      await t.step(`rg -n ${c.rg.join(" ")}: ${c.name}`, async () => {
        const printed = await rg(c.rg, c.input ?? TEXT);
        if (c.rg13Differs) assert.notDeepEqual(printed, c.want, c.rg13Differs);
        else assert.deepEqual(printed, c.want);
      });
    }
  },
});

Deno.test("Searcher counts selected lines and knows when it is done", () => {
  const all = searchOne(TEXT, { patterns: ["foo"] }).searcher;
  assert.equal(all.selected, 3);
  assert.equal(all.done, false);
  const capped = searchOne(TEXT, { patterns: ["foo"], search: { maxCount: 2 } }).searcher;
  assert.equal(capped.selected, 2);
  assert.equal(capped.done, true);
  const first = searchOne(TEXT, { patterns: ["foo"], search: { stopAtFirst: true } });
  assert.deepEqual(first.lines, ["2:foo one"]);
  assert.equal(first.searcher.done, true);
  // With -U rg counts matches, not lines: two matches over three lines count 2.
  const multi = searchOne("ab\ncd\nef\n", {
    patterns: ["b\\nc|d\\ne"],
    matcher: { multiline: true },
    search: { multiline: true },
  }).searcher;
  assert.equal(multi.selected, 2);
  // ... while its "matched lines" statistic counts the lines: three.
  assert.equal(multi.selectedLines, 3);
  assert.equal(all.selectedLines, 3);
});

Deno.test("Searcher -U -m stops at the match that reaches the count", () => {
  // rg 13 prints all three lines (ripgrep#3076, fixed in 14): -m counts matches.
  const { lines } = searchOne("ab\ncd\nef\n", {
    patterns: ["b\\nc|d\\ne"],
    matcher: { multiline: true },
    search: { multiline: true, maxCount: 1 },
  });
  assert.deepEqual(lines, ["1:ab", "2:cd"]);
});

Deno.test("Searcher without line numbers reports line 0", () => {
  const { lines } = searchOne(TEXT, { patterns: ["foo"], search: { lineNumbers: false } });
  assert.deepEqual(lines, ["0:foo one", "0:foo two", "0:foo three"]);
});

Deno.test("Searcher numbers lines of UTF-8 and invalid UTF-8 text", () => {
  const utf8 = searchOne("\u00e9\u00e9\nna\u00efve\nfoo \u{1F600}\n", { patterns: ["\\w+ \\W"] });
  assert.deepEqual(utf8.lines, ["3:foo \u{1F600}"]);
  const lossy = searchOne(new Uint8Array([0xff, 0x0a, 0x61, 0xfe, 0x0a, 0x66, 0x6f, 0x6f]), {
    patterns: ["foo"],
  });
  assert.deepEqual(lossy.lines, ["3:foo"]);
});

Deno.test("Searcher.reset() starts a new file", () => {
  const searcher = new Searcher(buildMatcher(["foo"]), { maxCount: 1, after: 1 });
  for (const text of ["x\nfoo\ny\nfoo\n", "foo\nz\n"]) {
    const sink = recorder();
    searcher.reset();
    searcher.search(decodeChunk(encoder.encode(text)), sink);
    assert.equal(searcher.selected, 1);
    assert.deepEqual(sink.lines, text.startsWith("x") ? ["2:foo", "3-y"] : ["1:foo", "2-z"]);
  }
});

Deno.test("Searcher gives the same lines and numbers in two chunks as in one", async (t) => {
  const searches: [string, Search][] = [
    ["matches", { patterns: ["foo"] }],
    ["-B2 across the cut", { patterns: ["foo"], search: { before: 2 } }],
    ["-A2 across the cut", { patterns: ["foo"], search: { after: 2 } }],
    ["-C3", { patterns: ["foo|eta"], search: { before: 3, after: 3 } }],
    ["-v -C1", { patterns: ["a"], search: { invert: true, before: 1, after: 1 } }],
    ["--passthru", { patterns: ["foo"], search: { passthru: true } }],
    ["-m2 -B1", { patterns: ["foo"], search: { maxCount: 2, before: 1 } }],
    ["^", { patterns: ["^"], search: { before: 1 } }],
  ];
  const texts = [TEXT, TEXT.replaceAll("a", "\u00e4"), TEXT.slice(0, -1)];
  for (const [name, s] of searches) {
    await t.step(name, () => {
      for (const text of texts) {
        const whole = searchOne(text, s).lines;
        const size = encoder.encode(text).length;
        // Every cut between the first line and the last.
        for (let at = 7; at < size; at++) {
          assert.deepEqual(
            searchTwo(text, at, s),
            whole,
            `cut before byte ${at} of ${JSON.stringify(text)}`,
          );
        }
      }
    });
  }
});

Deno.test("countLines() counts newlines in a range", () => {
  assert.equal(countLines("a\nb\nc", 0, 5), 2);
  assert.equal(countLines("a\nb\nc", 2, 5), 1);
  assert.equal(countLines("a\nb\nc", 0, 1), 0);
  assert.equal(countLines("\n\n", 0, 2), 2);
  assert.equal(countLines("", 0, 0), 0);
});

Deno.test("searcher with -w over a literal skips hits inside words, as the regex does", () => {
  const text = "needles\nneedle\n_needle x\nénneedle\n(needle)\n\uFFFDneedle\n";
  const fast = buildMatcher(["needle"], { wordRegexp: true });
  assert.equal(fast.strategy, "word-literal");
  const lines: string[] = [];
  const searcher = new Searcher(fast);
  searcher.reset();
  searcher.search(decodeChunk(new TextEncoder().encode(text)), {
    matched: (c, s, e) => lines.push(c.text.slice(s, e)),
    context: () => {},
    separator: () => {},
  });
  // The same lines the regex with Unicode lookarounds selects.
  const regex = fast.clone();
  const expected = text.split("\n").filter((l) => (regex.lastIndex = 0, regex.test(l)));
  assert.deepEqual(lines, expected);
  assert.deepEqual(lines, ["needle", "(needle)"]);
});

Deno.test("searcher with -w over a literal on raw bytes decodes the neighbours itself", () => {
  const enc = new TextEncoder();
  const lines = [
    enc.encode("ïlen x"), // a letter before: no match
    enc.encode("—len—"), // punctuation around: a match
    new Uint8Array([0xe9, ...enc.encode("len")]), // a byte that is not UTF-8: no boundary
    enc.encode("len😀"), // a symbol after: a match
    enc.encode("len中"), // a letter after: no match
  ];
  const bytes = new Uint8Array(lines.reduce((n, l) => n + l.length + 1, 0));
  let at = 0;
  for (const l of lines) {
    bytes.set(l, at);
    bytes[at + l.length] = 10;
    at += l.length + 1;
  }
  const found: number[] = [];
  const searcher = new Searcher(buildMatcher(["len"], { wordRegexp: true }));
  searcher.reset();
  const chunk = decodeChunk(bytes, { byteSafe: true });
  assert.equal(chunk.kind, "bytes");
  searcher.search(chunk, {
    matched: (_c, _s, _e, n) => found.push(n),
    context: () => {},
    separator: () => {},
  });
  assert.deepEqual(found, [2, 4]);
});
