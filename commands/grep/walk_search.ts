/**
 * Walking and searching on workers: the parallel walk of `lib/fs/walk_parallel.ts` with a
 * search (or, for `--files`, a listing) on each worker. Every worker lists folders, searches
 * the files it finds and posts each file's output whole; the main thread only hands out
 * folders and writes, so one file's output never interleaves with another's.
 *
 * When it is used (see {@linkcode useParallelWalk}): only when asked, by `-j N` with N at
 * least {@linkcode PARALLEL_WALK_MIN_THREADS} or by `KIT_GREP_WALK=parallel`. On two cores a
 * second walker costs more than it gains (a worker is ~30 ms of CPU to start, and ripgrep's
 * own parallel walk is slower than its single-threaded one there); the main-thread walk with
 * search workers (`search_pool.ts`) stays the default below three threads.
 *
 * @module
 */

import { coordinateWalk, type WalkSpec } from "../../lib/fs/walk_parallel.ts";
import type { FileOutcome, SearchConfig } from "./file_search.ts";
import type { SearchStats } from "./json_printer.ts";
import type { WorkerRequest } from "./search_worker.ts";

/** From this many threads (`-j`) the walk itself runs on the workers. */
export const PARALLEL_WALK_MIN_THREADS = 3;

/** How a walked path is shown: `display + path.slice(cut)`, less its first `strip` units. */
export interface ShownRoot {
  /** The root folder as walked. */
  walk: string;
  /** What stands for the root in printed paths. */
  display: string;
  /** Units to drop from the front of the printed path (2 for `./` when no path was named). */
  strip: number;
}

/** File types as data, rebuilt into a filter on each worker. */
export interface TypesSpec {
  /** `-t` names. */
  select: string[];
  /** `-T` names. */
  negate: string[];
  /** `--type-add` definitions, in order. */
  add: string[];
  /** `--type-clear` names, in order, applied before the definitions. */
  clear: string[];
}

/** What a grep worker needs for a walk besides the {@linkcode SearchConfig}. */
export interface WalkSearchSetup {
  roots: ShownRoot[];
  types: TypesSpec;
  /** List files instead of searching them (`--files`), each path followed by this. */
  listEnd?: string;
}

/** What the workers send back. */
export type WalkSearchMessage =
  | {
    type: "results";
    /** Files that print, match or failed, each with its own counters. */
    results: FileOutcome[];
    /** The counters of the other files searched. */
    stats: SearchStats;
  }
  | { type: "paths"; text: string };

/** Options for {@linkcode walkSearch}. */
export interface WalkSearchOptions {
  /** Workers to start. */
  threads: number;
  /** Receives each walk problem's message; the walk goes on. */
  onError: (message: string) => void;
}

/**
 * Whether the walk runs on the workers.
 *
 * @example
 * ```ts
 * import { useParallelWalk } from "./walk_search.ts";
 * import assert from "node:assert/strict";
 * assert.equal(useParallelWalk(2, undefined), false);
 * assert.equal(useParallelWalk(4, undefined), true);
 * assert.equal(useParallelWalk(1, "parallel"), true);
 * assert.equal(useParallelWalk(8, "sequential"), false);
 * ```
 *
 * @param threads The thread count (`-j`, or the cores when not given).
 * @param env `KIT_GREP_WALK`: "parallel" or "sequential" overrides the thread rule.
 * @returns True for the parallel walk.
 */
export function useParallelWalk(threads: number, env: string | undefined): boolean {
  if (env === "parallel") return true;
  if (env === "sequential") return false;
  return threads >= PARALLEL_WALK_MIN_THREADS;
}

/**
 * Walks `setup.roots` (folders) and searches or lists what the walk finds, on `threads`
 * workers, yielding their messages as they arrive.
 *
 * @param config The search every worker runs.
 * @param setup Roots, types and listing mode.
 * @param spec The walk's options (ignore rules, depth, links, globs).
 * @param options Thread count and error sink.
 * @yields Results or paths, in completion order.
 */
export async function* walkSearch(
  config: SearchConfig,
  setup: WalkSearchSetup,
  spec: WalkSpec,
  options: WalkSearchOptions,
): AsyncGenerator<WalkSearchMessage> {
  const workers: Worker[] = [];
  try {
    for (let i = 0; i < Math.max(1, options.threads); i++) {
      const worker = new Worker(new URL("./search_worker.ts", import.meta.url).href, {
        type: "module",
      });
      worker.postMessage({ type: "config", config } satisfies WorkerRequest);
      worker.postMessage({ type: "walk-grep", setup } satisfies WorkerRequest);
      workers.push(worker);
    }
    yield* coordinateWalk<WalkSearchMessage>(
      workers,
      setup.roots.map((r) => r.walk),
      spec,
      { onError: (e) => options.onError(e.message) },
    );
  } finally {
    for (const worker of workers) worker.terminate();
  }
}
