/**
 * Searching one large file on several threads: the file is cut into ranges at line starts,
 * each thread searches one, and the results are joined in file order. A single file is the
 * case the per-file parallelism of {@linkcode SearchPool} cannot help, and the one where
 * kit's scan speed (no memory maps, no SIMD byte search in JavaScript) shows most.
 *
 * @module
 */

import { type FileOutcome, FileSearch, type SearchConfig, summaryText } from "./file_search.ts";
import { addStats, emptyStats } from "./json_printer.ts";
import { concat } from "../../lib/bytes/mod.ts";
import type { WorkerReply, WorkerRequest } from "./search_worker.ts";

/** Files at least this large are split when the search allows it. */
export const SPLIT_MIN = 64 * 1024 * 1024;

/**
 * Whether a search can be split into independent ranges: nothing in its output depends on
 * the lines before a range (line numbers, context, a match limit, multiline matches).
 *
 * @example
 * ```ts
 * import { canSplit } from "./split_search.ts";
 * import assert from "node:assert/strict";
 * const base = { mode: "count", lineNumber: false, vimgrep: false, before: 0, after: 0,
 *   passthru: false, matcher: {}, searchZip: false };
 * assert.equal(canSplit(base as never), true);
 * assert.equal(canSplit({ ...base, mode: "lines", lineNumber: true } as never), false);
 * ```
 *
 * @param config The search.
 * @returns True when ranges can be searched apart and joined.
 */
export function canSplit(config: SearchConfig): boolean {
  return config.mode !== "json" && !config.lineNumber && !config.vimgrep &&
    config.before === 0 && config.after === 0 && !config.passthru &&
    config.maxCount === undefined && !config.matcher.multiline && !config.searchZip;
}

/**
 * Cuts `[0, size)` into about `parts` ranges that start at line starts: each cut moves to
 * just after the next newline. Cuts that find no newline within a chunk are dropped.
 *
 * @param path The file.
 * @param size Its size.
 * @param parts How many ranges to aim for.
 * @returns The range starts, beginning with 0, then the size.
 */
export function lineAlignedCuts(path: string, size: number, parts: number): number[] {
  const cuts = [0];
  const file = Deno.openSync(path, { read: true });
  try {
    const window = new Uint8Array(1 << 20);
    for (let k = 1; k < parts; k++) {
      const nominal = Math.floor((size * k) / parts);
      if (nominal < 1) continue;
      file.seekSync(nominal - 1, Deno.SeekMode.Start);
      const n = file.readSync(window) ?? 0;
      const nl = window.subarray(0, n).indexOf(10);
      const cut = nl < 0 ? -1 : nominal + nl;
      if (cut > cuts[cuts.length - 1] && cut < size) cuts.push(cut);
    }
  } finally {
    file.close();
  }
  cuts.push(size);
  return cuts;
}

/**
 * Searches one file in ranges on `threads` threads (this one and workers) and joins the
 * results as one file's outcome.
 *
 * @param config The search; {@linkcode canSplit} must allow it.
 * @param target The file.
 * @param size Its size.
 * @param threads Threads to use, this one included.
 * @returns The file's outcome, as an unsplit search gives it.
 */
export async function searchSplit(
  config: SearchConfig,
  target: { path: string; shown: string; explicit: boolean },
  size: number,
  threads: number,
): Promise<FileOutcome> {
  const cuts = lineAlignedCuts(target.path, size, threads);
  const ranges = cuts.slice(0, -1).map((start, i) => [start, cuts[i + 1]] as const);
  // Ranges are searched as lines; counts and file lists are made here from their counters.
  const rangeConfig: SearchConfig = {
    ...config,
    mode: config.mode === "quiet" ? "files-with-matches" : config.mode,
  };
  const workers: Worker[] = [];
  try {
    const remote = ranges.slice(1).map(([start, end], i) =>
      new Promise<FileOutcome>((resolve, reject) => {
        const worker = new Worker(new URL("./search_worker.ts", import.meta.url).href, {
          type: "module",
        });
        workers.push(worker);
        worker.onmessage = (event: MessageEvent<WorkerReply>) => resolve(event.data.results[0]);
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(event.message));
        };
        worker.postMessage({ type: "config", config: rangeConfig } satisfies WorkerRequest);
        worker.postMessage(
          { type: "range", id: i, file: target, start, end } satisfies WorkerRequest,
        );
      })
    );
    const [start, end] = ranges[0];
    const own = new FileSearch(rangeConfig).searchRange(
      target.path,
      target.shown,
      target.explicit,
      start,
      end,
    );
    return join(config, target.shown, [own, ...await Promise.all(remote)]);
  } finally {
    for (const w of workers) w.terminate();
  }
}

const encoder = new TextEncoder();

function join(config: SearchConfig, shown: string, parts: FileOutcome[]): FileOutcome {
  const stats = emptyStats();
  for (const p of parts) addStats(stats, p.stats);
  stats.searches = 1;
  stats.searchesWithMatch = stats.matchedLines > 0 ? 1 : 0;
  const error = parts.find((p) => p.error)?.error;
  const matched = stats.matchedLines > 0;
  let text = "";
  switch (config.mode) {
    case "count":
    case "count-matches":
      text = summaryText(
        config,
        shown,
        config.mode === "count" || config.invert ? stats.matchedLines : stats.matches,
      );
      break;
    case "files-with-matches":
      text = summaryText(config, shown, matched);
      break;
    case "files-without-match":
      text = summaryText(config, shown, !matched);
      return { output: encoder.encode(text), stats, matched: !matched, error };
    case "quiet":
      break;
    default: {
      const output = concat(parts.map((p) => p.output));
      stats.bytesPrinted = output.length;
      return { output, stats, matched, error };
    }
  }
  stats.bytesPrinted = 0;
  return { output: encoder.encode(text), stats, matched, error };
}
