import assert from "node:assert/strict";
import { canSplit, lineAlignedCuts } from "./split_search.ts";
import type { SearchConfig } from "./file_search.ts";

async function withFile(text: string, fn: (path: string, size: number) => void) {
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(path, text);
    fn(path, (await Deno.stat(path)).size);
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("lineAlignedCuts() cuts just after newlines, from 0 to the size", async () => {
  const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n") + "\n";
  await withFile(text, (path, size) => {
    const cuts = lineAlignedCuts(path, size, 4);
    assert.equal(cuts[0], 0);
    assert.equal(cuts[cuts.length - 1], size);
    assert.equal(cuts.length, 5);
    for (const cut of cuts.slice(1, -1)) assert.equal(text[cut - 1], "\n");
    assert.deepEqual([...cuts].sort((a, b) => a - b), cuts);
  });
});

Deno.test("lineAlignedCuts() gives one range for a file without a newline to cut at", async () => {
  await withFile("x".repeat(1000), (path, size) => {
    assert.deepEqual(lineAlignedCuts(path, size, 3), [0, size]);
  });
  await withFile("ab\n", (path, size) => {
    assert.deepEqual(lineAlignedCuts(path, size, 8), [0, size]);
  });
});

Deno.test("canSplit() refuses what depends on earlier lines", () => {
  const base = {
    mode: "lines",
    lineNumber: false,
    vimgrep: false,
    before: 0,
    after: 0,
    passthru: false,
    matcher: {},
    searchZip: false,
  } as unknown as SearchConfig;
  assert.equal(canSplit(base), true);
  for (
    const change of [
      { lineNumber: true },
      { mode: "json" },
      { before: 1 },
      { after: 2 },
      { maxCount: 3 },
      { passthru: true },
      { matcher: { multiline: true } },
      { searchZip: true },
      { vimgrep: true },
    ]
  ) {
    assert.equal(canSplit({ ...base, ...change } as SearchConfig), false, JSON.stringify(change));
  }
});
