/**
 * Find and replace in place: `kit grep PATTERN --replace TEXT --write [--dry-run]`.
 *
 * Each file is rewritten atomically (temp file, fsync, rename) with its permissions kept;
 * `--dry-run` prints a unified diff instead and changes nothing.
 *
 * @module
 */

import { ExitCode } from "../../lib/cli/error.ts";
import type { Io } from "../../lib/cli/io.ts";
import { atomicWrite } from "../../lib/fs/atomic_write.ts";
import { decodeChunk } from "./chunk.ts";
import { lineMatches } from "./line_matches.ts";
import { buildMatcher } from "./matcher.ts";
import { compileReplacement } from "./replacement.ts";
import { Searcher } from "./searcher.ts";
import type { SearchConfig } from "./file_search.ts";

/** A file's text before and after replacing. */
export interface Rewrite {
  /** The new text. */
  text: string;
  /** Matches replaced. */
  replacements: number;
}

/**
 * Replaces every match on the lines the search selects (as `rg --replace` prints them).
 *
 * @example
 * ```ts
 * import { rewriteText } from "./rewrite.ts";
 * import assert from "node:assert/strict";
 * const r = rewriteText("colour\nno\ncolours\n", ["colou(r)"], {}, "colo$1");
 * assert.deepEqual(r, { text: "color\nno\ncolors\n", replacements: 2 });
 * ```
 *
 * @param text The file's text.
 * @param patterns The patterns.
 * @param matcher How they match.
 * @param template The replacement (`$1`, `${name}`).
 * @returns The new text and the number of replacements.
 */
export function rewriteText(
  text: string,
  patterns: string[],
  matcher: SearchConfig["matcher"],
  template: string,
): Rewrite {
  const compiled = buildMatcher(patterns, matcher);
  const searcher = new Searcher(compiled, { multiline: matcher.multiline, lineNumbers: false });
  const chunk = decodeChunk(new TextEncoder().encode(text));
  const replace = compileReplacement(template);
  const regex = compiled.clone();
  let out = "";
  let at = 0;
  let replacements = 0;
  searcher.reset();
  searcher.search(chunk, {
    matched(c, start, end) {
      // With -U a match may take the newline that ends the selection: replace in it too
      // (but an empty match after it belongs to the next line).
      const newline = matcher.multiline === true && end < c.text.length;
      if (newline) end++;
      const line = c.text.slice(start, end);
      out += c.text.slice(at, start);
      let pos = 0;
      for (const m of lineMatches(regex, line, { atEnd: !newline })) {
        out += line.slice(pos, m.index) + replace(m);
        pos = m.index + m[0].length;
        replacements++;
      }
      out += line.slice(pos);
      at = end;
    },
    context() {},
    separator() {},
  });
  out += chunk.text.slice(at);
  return { text: out, replacements };
}

/**
 * A unified diff of two texts, with three lines of context.
 *
 * @example
 * ```ts
 * import { unifiedDiff } from "./rewrite.ts";
 * import assert from "node:assert/strict";
 * const diff = unifiedDiff("a.txt", "x\ncolour\n", "x\ncolor\n");
 * assert.equal(diff, "--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n x\n-colour\n+color\n");
 * ```
 *
 * @param path The path shown in the header.
 * @param before Old text.
 * @param after New text.
 * @returns The diff ("" when equal).
 */
export function unifiedDiff(path: string, before: string, after: string): string {
  const a = splitLines(before);
  const b = splitLines(after);
  // Replacement keeps the lines in step unless it adds newlines; align on common lines.
  const ops = diffLines(a, b);
  const CONTEXT = 3;
  let out = "";
  let i = 0;
  while (i < ops.length) {
    if (ops[i].op === " ") {
      i++;
      continue;
    }
    let start = i;
    let back = 0;
    while (start > 0 && ops[start - 1].op === " " && back < CONTEXT) {
      [start, back] = [start - 1, back + 1];
    }
    let end = i;
    let gap = 0;
    while (end < ops.length && gap <= CONTEXT * 2) {
      if (ops[end].op === " ") gap++;
      else gap = 0;
      end++;
    }
    end -= Math.max(0, gap - CONTEXT);
    const hunk = ops.slice(start, end);
    const oldStart = hunk.find((o) => o.op !== "+")?.a ?? ops[start].a;
    const newStart = hunk.find((o) => o.op !== "-")?.b ?? ops[start].b;
    const oldLen = hunk.filter((o) => o.op !== "+").length;
    const newLen = hunk.filter((o) => o.op !== "-").length;
    out += `@@ -${range(oldStart, oldLen)} +${range(newStart, newLen)} @@\n`;
    for (const o of hunk) {
      out += o.op + o.text + (o.text.endsWith("\n") ? "" : "\n\\ No newline at end of file\n");
    }
    i = end;
  }
  return out ? `--- a/${path}\n+++ b/${path}\n${out}` : "";
}

/** A hunk's range as diff -u writes it: `3,2`, `3` for one line, `2,0` for none (after line 2). */
function range(start: number, length: number): string {
  if (length === 1) return String(start + 1);
  return `${length === 0 ? start : start + 1},${length}`;
}

interface Op {
  op: " " | "-" | "+";
  text: string;
  a: number;
  b: number;
}

function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines[lines.length - 1] === "" ? lines.slice(0, -1) : lines;
}

/** A line diff by longest common subsequence over the changed middle (the ends are trimmed first). */
function diffLines(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head && tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) tail++;
  const ops: Op[] = [];
  for (let i = 0; i < head; i++) ops.push({ op: " ", text: a[i], a: i, b: i });
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  // Replacements change lines in place, so pairing them in order is the natural diff.
  const n = Math.min(am.length, bm.length);
  for (let i = 0; i < n; i++) {
    if (am[i] === bm[i]) ops.push({ op: " ", text: am[i], a: head + i, b: head + i });
    else {
      ops.push({ op: "-", text: am[i], a: head + i, b: head + i });
      ops.push({ op: "+", text: bm[i], a: head + i, b: head + i });
    }
  }
  for (let i = n; i < am.length; i++) ops.push({ op: "-", text: am[i], a: head + i, b: head + n });
  for (let i = n; i < bm.length; i++) ops.push({ op: "+", text: bm[i], a: head + n, b: head + i });
  for (let i = 0; i < tail; i++) {
    ops.push({
      op: " ",
      text: a[a.length - tail + i],
      a: a.length - tail + i,
      b: b.length - tail + i,
    });
  }
  // Group each run of changes as all removals, then all additions, as diff tools print them.
  const grouped: Op[] = [];
  for (let i = 0; i < ops.length;) {
    if (ops[i].op === " ") {
      grouped.push(ops[i++]);
      continue;
    }
    const run: Op[] = [];
    while (i < ops.length && ops[i].op !== " ") run.push(ops[i++]);
    grouped.push(...run.filter((o) => o.op === "-"), ...run.filter((o) => o.op === "+"));
  }
  return grouped;
}

interface RewriteRun {
  config: SearchConfig;
  args: { replace?: string; dryRun: boolean };
}

/**
 * Rewrites (or, with `--dry-run`, diffs) every target file that matches.
 *
 * @param targets Files to consider.
 * @param run The search and the replacement.
 * @param io Where the diff and the counts go.
 * @param onError Reports a file that could not be read or written.
 * @returns 0 when something was replaced, 1 otherwise.
 */
export async function rewriteFiles(
  targets: Iterable<{ path: string; shown: string }>,
  run: RewriteRun,
  io: Io,
  onError: (message: string) => void,
): Promise<number> {
  let files = 0;
  let total = 0;
  for (const target of targets) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(target.path);
    } catch (error) {
      onError(`Cannot read "${target.shown}": ${(error as Error).message}`);
      continue;
    }
    if (bytes.indexOf(0) >= 0) continue;
    const chunk = decodeChunk(bytes);
    if (chunk.kind === "bytes" || chunk.kind === "lossy") {
      onError(`${target.shown}: not UTF-8 text; left unchanged`);
      continue;
    }
    const result = rewriteText(
      chunk.text,
      run.config.patterns,
      run.config.matcher,
      run.args.replace ?? "",
    );
    if (result.replacements === 0 || result.text === chunk.text) continue;
    files++;
    total += result.replacements;
    if (run.args.dryRun) {
      await io.stdout.write(unifiedDiff(target.shown, chunk.text, result.text));
    } else {
      try {
        await atomicWrite(target.path, result.text);
      } catch (error) {
        onError(`Cannot write "${target.shown}": ${(error as Error).message}`);
      }
    }
  }
  const verb = run.args.dryRun ? "would replace" : "replaced";
  await io.stderr.write(
    `kit grep: ${verb} ${total} match${total === 1 ? "" : "es"} in ${files} file${
      files === 1 ? "" : "s"
    }\n`,
  );
  return total > 0 ? ExitCode.Ok : ExitCode.NotFound;
}
