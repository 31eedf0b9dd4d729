import assert from "node:assert/strict";
import { decodeChunk } from "./chunk.ts";
import {
  addStats,
  emptyStats,
  JsonPrinter,
  jsonSummary,
  type SearchStats,
} from "./json_printer.ts";
import { buildMatcher, type MatcherOptions } from "./matcher.ts";
import { OutputBuffer } from "./output_buffer.ts";
import { Searcher, type SearcherOptions } from "./searcher.ts";
import { StandardPrinter } from "./standard_printer.ts";

/** ripgrep 13 is the reference; without it the comparisons with rg are skipped. */
const rgVersion = await new Deno.Command("rg", { args: ["--version"], stdout: "piped" })
  .output()
  .then((out) => new TextDecoder().decode(out.stdout), () => "");
const hasRg13 = rgVersion.startsWith("ripgrep 13.");

const encoder = new TextEncoder();

const INPUTS = {
  TEXT: encoder.encode("alpha foo\nh\u00e9llo foo foo\ngamma\nlast foo"),
  // Latin-1, not UTF-8: rg writes such lines as base64 {"bytes": ...}.
  LATIN: Uint8Array.from("caf\xe9 foo\nplain foo\n", (c) => c.charCodeAt(0)),
  EMPTY: encoder.encode("ab\nxx\nc"),
  MULTI: encoder.encode("one\ntwo\nthree\n"),
};

interface Case {
  name: string;
  /** The rg flags and patterns (after --json) for the same output. */
  rg: string[];
  input: keyof typeof INPUTS;
  patterns: string[];
  matcher?: MatcherOptions;
  search?: SearcherOptions;
  lineNumbers?: boolean;
  multiline?: boolean;
  /** The begin, match and context lines rg prints (its end and summary lines hold timings). */
  want: unknown[];
}

const begin = { type: "begin", data: { path: { text: "f.txt" } } };

function message(
  type: "match" | "context",
  lines: Record<string, string>,
  lineNumber: number | null,
  offset: number,
  submatches: [match: Record<string, string>, start: number, end: number][] = [],
) {
  return {
    type,
    data: {
      path: { text: "f.txt" },
      lines,
      line_number: lineNumber,
      absolute_offset: offset,
      submatches: submatches.map(([match, start, end]) => ({ match, start, end })),
    },
  };
}

const foo = { text: "foo" };

const CASES: Case[] = [
  {
    name: "matches with byte offsets of each submatch",
    rg: ["foo"],
    input: "TEXT",
    patterns: ["foo"],
    want: [
      begin,
      message("match", { text: "alpha foo\n" }, 1, 0, [[foo, 6, 9]]),
      message("match", { text: "h\u00e9llo foo foo\n" }, 2, 10, [[foo, 7, 10], [foo, 11, 14]]),
      message("match", { text: "last foo" }, 4, 31, [[foo, 5, 8]]),
    ],
  },
  {
    name: "context lines, and no separators",
    rg: ["-C1", "gamma|alpha"],
    input: "TEXT",
    patterns: ["gamma|alpha"],
    search: { before: 1, after: 1 },
    want: [
      begin,
      message("match", { text: "alpha foo\n" }, 1, 0, [[{ text: "alpha" }, 0, 5]]),
      message("context", { text: "h\u00e9llo foo foo\n" }, 2, 10),
      message("match", { text: "gamma\n" }, 3, 25, [[{ text: "gamma" }, 0, 5]]),
      message("context", { text: "last foo" }, 4, 31),
    ],
  },
  {
    name: "-N: line numbers are null",
    rg: ["-N", "gamma"],
    input: "TEXT",
    patterns: ["gamma"],
    lineNumbers: false,
    search: { lineNumbers: false },
    want: [begin, message("match", { text: "gamma\n" }, null, 25, [[{ text: "gamma" }, 0, 5]])],
  },
  {
    name: "-v: the selected lines have no submatches",
    rg: ["-v", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    search: { invert: true },
    want: [begin, message("match", { text: "gamma\n" }, 3, 25)],
  },
  {
    name: "text that is not UTF-8 is base64",
    rg: ["foo"],
    input: "LATIN",
    patterns: ["foo"],
    want: [
      begin,
      message("match", { bytes: "Y2Fm6SBmb28K" }, 1, 0, [[foo, 5, 8]]),
      message("match", { text: "plain foo\n" }, 2, 9, [[foo, 6, 9]]),
    ],
  },
  {
    name: "empty submatches, none after a match or at the very end",
    rg: ["x*"],
    input: "EMPTY",
    patterns: ["x*"],
    want: [
      begin,
      message("match", { text: "ab\n" }, 1, 0, [[{ text: "" }, 0, 0], [{ text: "" }, 1, 1], [
        { text: "" },
        2,
        2,
      ]]),
      message("match", { text: "xx\n" }, 2, 3, [[{ text: "xx" }, 0, 2]]),
      message("match", { text: "c" }, 3, 6, [[{ text: "" }, 0, 0]]),
    ],
  },
  {
    name: "-U: one message for a match over several lines",
    rg: ["-U", "o\\nt"],
    input: "MULTI",
    patterns: ["o\\nt"],
    matcher: { multiline: true },
    search: { multiline: true },
    multiline: true,
    want: [begin, message("match", { text: "two\nthree\n" }, 2, 4, [[{ text: "o\nt" }, 2, 5]])],
  },
  {
    name: "-U: a match that ends with the newline is a submatch",
    rg: ["-U", "e\\n"],
    input: "MULTI",
    patterns: ["e\\n"],
    matcher: { multiline: true },
    search: { multiline: true },
    multiline: true,
    want: [
      begin,
      message("match", { text: "one\n" }, 1, 0, [[{ text: "e\n" }, 2, 4]]),
      message("match", { text: "three\n" }, 3, 8, [[{ text: "e\n" }, 4, 6]]),
    ],
  },
];

function run(c: Case, byteSafe = false): { lines: unknown[]; printer: JsonPrinter; text: string } {
  const matcher = buildMatcher(c.patterns, c.matcher);
  const searcher = new Searcher(matcher, c.search);
  const printer = new JsonPrinter(matcher.clone(), c.lineNumbers ?? true, {
    multiline: c.multiline,
  });
  const out = new OutputBuffer();
  printer.begin("f.txt", out);
  searcher.reset();
  searcher.search(decodeChunk(INPUTS[c.input], { byteSafe }), printer);
  const text = new TextDecoder().decode(out.take());
  return { lines: text.split("\n").filter(Boolean).map((l) => JSON.parse(l)), printer, text };
}

Deno.test("JsonPrinter writes rg's begin, match and context messages", async (t) => {
  for (const c of CASES) await t.step(c.name, () => assert.deepEqual(run(c).lines, c.want));
});

Deno.test("JsonPrinter writes UTF-8 read one char per byte as text", () => {
  // Byte-safe patterns leave valid UTF-8 undecoded; the JSON must not turn it into base64.
  assert.deepEqual(run(CASES[0], true).lines, CASES[0].want);
});

Deno.test({
  name: "JsonPrinter cases agree with rg 13, key order included",
  ignore: !hasRg13,
  fn: async (t) => {
    const dir = await Deno.makeTempDir();
    try {
      for (const c of CASES) {
        await t.step(`rg --json ${c.rg.join(" ")}`, async () => {
          await Deno.writeFile(`${dir}/f.txt`, INPUTS[c.input]);
          const out = await new Deno.Command("rg", {
            args: ["--no-config", "--json", ...c.rg, "f.txt"],
            cwd: dir,
            stdout: "piped",
          }).output();
          const lines = new TextDecoder().decode(out.stdout).split("\n")
            .filter((l) =>
              l.startsWith('{"type":"begin"') || l.startsWith('{"type":"match"') ||
              l.startsWith('{"type":"context"')
            );
          assert.equal(run(c).text, lines.join("\n") + "\n");
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("JsonPrinter counts matches and the bytes it printed", () => {
  const { printer, text } = run(CASES[0]);
  assert.equal(printer.matches, 4);
  assert.equal(printer.printed, encoder.encode(text).length);
  // The last line without newline has no empty match at its end: 3 + 1 + 1.
  assert.equal(run(CASES[5]).printer.matches, 5);
});

Deno.test("JsonPrinter.end() writes the end message only after a begin", () => {
  const stats: SearchStats = {
    elapsedNs: 1_500_000_123,
    searches: 1,
    searchesWithMatch: 1,
    bytesSearched: 35,
    bytesPrinted: 300,
    matchedLines: 3,
    matches: 4,
  };
  const printer = new JsonPrinter(/foo/gu);
  const quiet = new OutputBuffer();
  printer.begin("none.txt", quiet);
  printer.end(stats);
  assert.equal(quiet.empty, true);

  const p = new JsonPrinter(buildMatcher(["foo"]).clone());
  const out = new OutputBuffer();
  p.begin("f.txt", out);
  const searcher = new Searcher(buildMatcher(["foo"]));
  searcher.reset();
  searcher.search(decodeChunk(encoder.encode("foo\n\x00")), p);
  p.end(stats, 4);
  const last = new TextDecoder().decode(out.take()).trimEnd().split("\n").at(-1)!;
  // rg's end message, field for field and in its order.
  assert.equal(
    last,
    '{"type":"end","data":{"path":{"text":"f.txt"},"binary_offset":4,"stats":{"elapsed":' +
      '{"secs":1,"nanos":500000123,"human":"1.500000s"},"searches":1,"searches_with_match":1,' +
      '"bytes_searched":35,"bytes_printed":300,"matched_lines":3,"matches":4}}}',
  );
});

Deno.test("jsonSummary() writes rg's summary message, keys sorted", () => {
  const total = emptyStats();
  addStats(total, { ...emptyStats(), elapsedNs: 2000, searches: 2, bytesSearched: 10, matches: 1 });
  addStats(total, {
    ...emptyStats(),
    elapsedNs: 3000,
    searches: 1,
    searchesWithMatch: 1,
    bytesPrinted: 7,
    matchedLines: 1,
    matches: 2,
  });
  assert.deepEqual(total, {
    elapsedNs: 5000,
    searches: 3,
    searchesWithMatch: 1,
    bytesSearched: 10,
    bytesPrinted: 7,
    matchedLines: 1,
    matches: 3,
  });
  assert.equal(
    jsonSummary(total, 1_000_000),
    '{"data":{"elapsed_total":{"human":"0.001000s","nanos":1000000,"secs":0},"stats":' +
      '{"bytes_printed":7,"bytes_searched":10,"elapsed":{"human":"0.000005s","nanos":5000,' +
      '"secs":0},"matched_lines":1,"matches":3,"searches":3,"searches_with_match":1}},' +
      '"type":"summary"}\n',
  );
});

Deno.test("JsonPrinter and StandardPrinter count the same matches", () => {
  // Both printers are sinks of one Searcher; their match counts feed the same --stats.
  for (const c of CASES) {
    const matcher = buildMatcher(c.patterns, c.matcher);
    const standard = new StandardPrinter({
      regex: matcher.clone(),
      countMatches: true,
      multiline: c.multiline,
    });
    const searcher = new Searcher(matcher, c.search);
    standard.begin("f.txt", new OutputBuffer());
    searcher.reset();
    searcher.search(decodeChunk(INPUTS[c.input]), standard);
    assert.equal(standard.matches, run(c).printer.matches, c.name);
  }
});
