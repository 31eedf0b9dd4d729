import assert from "node:assert/strict";
import { CHUNK_SIZE, FileSearch, type SearchConfig } from "./file_search.ts";

const encoder = new TextEncoder();
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** A configuration with rg's defaults for one file named on the command line. */
function config(overrides: Partial<SearchConfig> = {}): SearchConfig {
  return {
    patterns: ["needle"],
    matcher: {},
    mode: "lines",
    invert: false,
    before: 0,
    after: 0,
    passthru: false,
    binary: "auto",
    searchZip: false,
    countMatches: false,
    includeZero: false,
    withFilename: false,
    heading: false,
    lineNumber: false,
    column: false,
    byteOffset: false,
    onlyMatching: false,
    vimgrep: false,
    nullSeparator: false,
    trim: false,
    maxColumnsPreview: false,
    contextSeparator: "--",
    matchSeparator: ":",
    contextFieldSeparator: "-",
    ...overrides,
  };
}

function searchText(input: string | Uint8Array, c: Partial<SearchConfig>, explicit = true) {
  const bytes = typeof input === "string" ? encoder.encode(input) : input;
  return new FileSearch(config(c)).searchBytes(bytes, "f.txt", explicit);
}

const TEXT = "a needle\nb\nneedle needle c\nd\n";

Deno.test("FileSearch.searchBytes() prints the selected lines and counts them", () => {
  const outcome = searchText(TEXT, { lineNumber: true, withFilename: true });
  assert.equal(text(outcome.output), "f.txt:1:a needle\nf.txt:3:needle needle c\n");
  assert.equal(outcome.matched, true);
  assert.equal(outcome.error, undefined);
  assert.equal(outcome.stats.searches, 1);
  assert.equal(outcome.stats.searchesWithMatch, 1);
  assert.equal(outcome.stats.matchedLines, 2);
  assert.equal(outcome.stats.bytesSearched, encoder.encode(TEXT).length);
  assert.equal(outcome.stats.bytesPrinted, outcome.output.length);
});

Deno.test("FileSearch.searchBytes() without a match prints nothing and is no match", () => {
  const outcome = searchText(TEXT, { patterns: ["zzz"] });
  assert.equal(outcome.output.length, 0);
  assert.equal(outcome.matched, false);
  assert.equal(outcome.stats.searchesWithMatch, 0);
});

Deno.test("FileSearch prints what rg prints in each counting mode", async (t) => {
  // `rg MODE needle f.txt` (ripgrep 13) for TEXT, and with -H (withFilename).
  const cases: [name: string, c: Partial<SearchConfig>, want: string, matched: boolean][] = [
    ["-c", { mode: "count" }, "2\n", true],
    ["-c -H", { mode: "count", withFilename: true }, "f.txt:2\n", true],
    ["-c -H -0", { mode: "count", withFilename: true, nullSeparator: true }, "f.txt\x002\n", true],
    ["--count-matches", { mode: "count-matches" }, "3\n", true],
    ["--count-matches -v", { mode: "count-matches", invert: true }, "2\n", true],
    ["-c -v", { mode: "count", invert: true }, "2\n", true],
    ["-c -m1", { mode: "count", maxCount: 1 }, "1\n", true],
    ["-c zzz", { mode: "count", patterns: ["zzz"] }, "", false],
    [
      "-c --include-zero zzz",
      { mode: "count", patterns: ["zzz"], includeZero: true },
      "0\n",
      false,
    ],
    ["-l", { mode: "files-with-matches" }, "f.txt\n", true],
    ["-l -0", { mode: "files-with-matches", nullSeparator: true }, "f.txt\x00", true],
    ["-l zzz", { mode: "files-with-matches", patterns: ["zzz"] }, "", false],
    ["--files-without-match", { mode: "files-without-match" }, "", false],
    [
      "--files-without-match zzz",
      { mode: "files-without-match", patterns: ["zzz"] },
      "f.txt\n",
      true,
    ],
    ["-q", { mode: "quiet" }, "", true],
    ["-q zzz", { mode: "quiet", patterns: ["zzz"] }, "", false],
  ];
  for (const [name, c, want, matched] of cases) {
    await t.step(name, () => {
      const outcome = searchText(TEXT, c);
      assert.equal(text(outcome.output), want);
      assert.equal(outcome.matched, matched);
    });
  }
});

Deno.test("FileSearch --json ends each file with its stats", () => {
  const outcome = searchText(TEXT, { mode: "json" });
  const lines = text(outcome.output).trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.type), ["begin", "match", "match", "end"]);
  const end = lines[3].data;
  assert.equal(end.binary_offset, null);
  assert.equal(end.stats.matched_lines, 2);
  assert.equal(end.stats.matches, 3);
  assert.equal(end.stats.bytes_searched, encoder.encode(TEXT).length);
  assert.equal(end.stats.bytes_printed, outcome.stats.bytesPrinted);
});

/** A file whose NUL byte comes long after the first 64 KiB: rg has printed lines by then. */
function lateNul(): Uint8Array {
  return encoder.encode("needle 1\n" + "filler line\n".repeat(8000) + "b\0c needle\n");
}
const LATE_NUL_OFFSET = 9 + 12 * 8000 + 1;

Deno.test("FileSearch skips a walked binary file and searches a named one, as rg does", async (t) => {
  const early = encoder.encode("a needle\nb\0c needle\n");
  await t.step("walked, NUL in the first block: skipped", () => {
    const outcome = searchText(early, {}, false);
    assert.equal(outcome.output.length, 0);
    assert.equal(outcome.matched, false);
  });
  await t.step("walked, -c: skipped too", () => {
    const outcome = searchText(lateNul(), { mode: "count", withFilename: true }, false);
    assert.equal(outcome.output.length, 0);
  });
  await t.step("walked, NUL after a match: the lines, then a warning (rg needle dir/)", () => {
    const outcome = searchText(lateNul(), { withFilename: true }, false);
    assert.equal(
      text(outcome.output),
      "f.txt:needle 1\nf.txt: WARNING: stopped searching binary file after match " +
        `(found "\\0" byte around offset ${LATE_NUL_OFFSET})\n`,
    );
    assert.equal(outcome.matched, true);
  });
  await t.step("named: the lines before the NUL's, then a notice (rg needle f.txt)", () => {
    const outcome = searchText(lateNul(), {}, true);
    assert.equal(
      text(outcome.output),
      `needle 1\nbinary file matches (found "\\0" byte around offset ${LATE_NUL_OFFSET})\n`,
    );
    assert.equal(outcome.matched, true);
  });
  await t.step("named, -c: NUL bytes end lines (rg -c needle f.txt prints 2)", () => {
    assert.equal(text(searchText(early, { mode: "count" }, true).output), "2\n");
  });
  await t.step("walked with --binary: searched like a named one", () => {
    const outcome = searchText(lateNul(), { binary: "binary" }, false);
    assert.match(text(outcome.output), /^needle 1\nbinary file matches/);
  });
  await t.step("-a: searched as text, NUL and all", () => {
    const outcome = searchText(early, { binary: "text" }, false);
    assert.deepEqual(outcome.output, encoder.encode("a needle\nb\0c needle\n"));
  });
  await t.step("--json reports the NUL's offset", () => {
    const outcome = searchText(lateNul(), { mode: "json" }, false);
    const end = JSON.parse(text(outcome.output).trimEnd().split("\n").at(-1)!);
    assert.equal(end.type, "end");
    assert.equal(end.data.binary_offset, LATE_NUL_OFFSET);
  });
});

Deno.test("FileSearch.searchPath() reads a file; a missing one is an error outcome", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/a.txt`, TEXT);
    const search = new FileSearch(config({ withFilename: true }));
    const found = await search.searchPath(`${dir}/a.txt`, "a.txt", true);
    assert.equal(text(found.output), "a.txt:a needle\na.txt:needle needle c\n");
    const missing = await search.searchPath(`${dir}/nope.txt`, "nope.txt", true);
    assert.equal(missing.matched, false);
    assert.equal(missing.output.length, 0);
    assert.match(missing.error ?? "", /no such file/i);
    // The search goes on with the next file.
    assert.equal((await search.searchPath(`${dir}/a.txt`, "a.txt", true)).matched, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("FileSearch.searchPath() finds a binary file's NUL wherever it is", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/late.bin`, lateNul());
    const search = new FileSearch(config());
    const walked = await search.searchPath(`${dir}/late.bin`, "late.bin", false);
    assert.match(text(walked.output), /WARNING: stopped searching binary file/);
    const named = await search.searchPath(`${dir}/late.bin`, "late.bin", true);
    assert.match(text(named.output), /binary file matches/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("FileSearch searches a file larger than CHUNK_SIZE in chunks, as in one piece", async (t) => {
  // About 2.4 chunks of numbered lines, with needles next to the chunk boundaries so that
  // line numbers, -B context and -A context cross them.
  const line = (n: number) => `line ${String(n).padStart(9, "0")} filler text\n`;
  const lineLength = line(1).length;
  const count = Math.ceil((CHUNK_SIZE * 2.4) / lineLength);
  const needles = new Set<number>([1, 2, count]);
  for (const k of [1, 2]) {
    const boundary = Math.floor((CHUNK_SIZE * k) / lineLength);
    for (const d of [-3, -1, 0, 1, 2, 5]) needles.add(boundary + d);
  }
  const bytes = new Uint8Array(count * lineLength);
  for (let n = 1; n <= count; n++) {
    const l = needles.has(n) ? line(n).replace("filler", "needle") : line(n);
    encoder.encodeInto(l, bytes.subarray((n - 1) * lineLength));
  }
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/big.txt`, bytes);
    const cases: [string, Partial<SearchConfig>][] = [
      ["-n -B2 -A1", { lineNumber: true, before: 2, after: 1 }],
      ["-n -b -o", { lineNumber: true, byteOffset: true, onlyMatching: true }],
      ["-c", { mode: "count" }],
      ["--count-matches -v", { mode: "count-matches", invert: true }],
    ];
    for (const [name, c] of cases) {
      await t.step(name, async () => {
        const search = new FileSearch(config(c));
        const streamed = await search.searchPath(`${dir}/big.txt`, "big.txt", true);
        const whole = search.searchBytes(bytes, "big.txt", true);
        assert.equal(text(streamed.output), text(whole.output));
        assert.equal(streamed.stats.matchedLines, whole.stats.matchedLines);
        assert.equal(streamed.stats.bytesSearched, bytes.length);
      });
    }
    await t.step("the line numbers are right", async () => {
      const search = new FileSearch(config({ lineNumber: true }));
      const out = text((await search.searchPath(`${dir}/big.txt`, "big.txt", true)).output);
      const numbers = out.trimEnd().split("\n").map((l) => Number(l.split(":")[0]));
      assert.deepEqual(numbers, [...needles].sort((a, b) => a - b));
      for (const l of out.trimEnd().split("\n")) {
        const [n, rest] = l.split(/:(.*)/);
        assert.equal(rest + "\n", line(Number(n)).replace("filler", "needle"));
      }
    });
    await t.step("a chunk without any match in between", async () => {
      // Only the first line and the start of the third chunk match: the second chunk holds
      // nothing to print, yet the line numbers after it must still be right.
      const far = Math.floor((CHUNK_SIZE * 2) / lineLength) + 3;
      const sparse = new Uint8Array(bytes.length);
      for (let n = 1; n <= count; n++) {
        const l = n === 1 || n === far ? line(n).replace("filler", "needle") : line(n);
        encoder.encodeInto(l, sparse.subarray((n - 1) * lineLength));
      }
      await Deno.writeFile(`${dir}/sparse.txt`, sparse);
      const search = new FileSearch(config({ lineNumber: true, before: 1 }));
      const out = text((await search.searchPath(`${dir}/sparse.txt`, "s.txt", true)).output);
      assert.equal(out, text(search.searchBytes(sparse, "s.txt", true).output));
      assert.equal(
        out,
        `${line(1).replace("filler", "needle").replace(/^/, "1:")}--\n` +
          `${far - 1}-${line(far - 1)}${far}:${line(far).replace("filler", "needle")}`,
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
