/**
 * A search worker: receives a {@linkcode SearchConfig} once, then batches of files, and
 * answers each batch with the formatted output of every file in it; or ranges of one large
 * file; or, after a `walk-grep` message, folders of a parallel walk (`walk_search.ts`),
 * whose files it searches (or lists, for `--files`) itself.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { type FileOutcome, FileSearch } from "./file_search.ts";
import type { SearchConfig } from "./file_search.ts";
import { addStats, emptyStats, type SearchStats } from "./json_printer.ts";
import { type WalkRequest, WalkWorker } from "../../lib/fs/walk_parallel.ts";
import { FileTypes } from "./file_types.ts";
import type { WalkSearchMessage, WalkSearchSetup } from "./walk_search.ts";

/** Messages a worker receives. */
export type WorkerRequest =
  | { type: "config"; config: SearchConfig }
  | { type: "batch"; id: number; files: { path: string; shown: string; explicit: boolean }[] }
  | {
    type: "range";
    id: number;
    file: { path: string; shown: string; explicit: boolean };
    start: number;
    end: number;
  }
  | { type: "walk-grep"; setup: WalkSearchSetup }
  | WalkRequest;

/** Messages a worker sends. */
export interface WorkerReply {
  type: "results";
  id: number;
  /** Outcomes that print, match or failed; the silent majority only adds to `stats`. */
  results: FileOutcome[];
  /** Counters of the batch's files that are not in `results` (those keep their own). */
  stats: SearchStats;
}

let search: FileSearch | undefined;
let zip = false;
let walker: WalkWorker | undefined;
/** Batches run one after another: interleaved, two would share the CPU and finish later. */
let queue = Promise.resolve();

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const message = event.data;
  if (message.type === "config") {
    search = new FileSearch(message.config);
    zip = message.config.searchZip;
    return;
  }
  if (message.type === "range") {
    const { file, start, end } = message;
    const result = search!.searchRange(file.path, file.shown, file.explicit, start, end);
    self.postMessage(
      {
        type: "results",
        id: message.id,
        results: [result],
        stats: emptyStats(),
      } satisfies WorkerReply,
    );
    return;
  }
  if (message.type === "walk-grep") {
    walker = walkWorker(message.setup);
    return;
  }
  if (message.type === "walk-start" || message.type === "walk-tasks") {
    const w = walker!;
    queue = queue.then(() => w.receive(message));
    return;
  }
  queue = queue.then(() => runBatch(message));
};

/** Sends a walk's results once this many files print, or this many bytes are waiting. */
const WALK_RESULTS = 64;
const WALK_BYTES = 256 * 1024;

/** The worker's side of a parallel walk: searches (or lists) every file it walks. */
function walkWorker(setup: WalkSearchSetup): WalkWorker {
  const post = (message: WalkSearchMessage, transfer: ArrayBuffer[] = []) =>
    self.postMessage(message, transfer);
  const types = FileTypes.defaults();
  for (const name of setup.types.clear) types.clear(name);
  for (const def of setup.types.add) types.add(def);
  const byName = types.matcher(setup.types.select, setup.types.negate);
  const filter = byName && ((_path: string, name: string) => byName(name));
  const shown = (path: string, root: number) => {
    const r = setup.roots[root];
    const text = r.display + path.slice(r.walk.length);
    return r.strip ? text.slice(r.strip) : text;
  };
  const options = { post: (m: unknown) => self.postMessage(m), filter };
  if (setup.listEnd !== undefined) {
    const end = setup.listEnd;
    let text = "";
    return new WalkWorker({
      file(entry, root) {
        text += shown(entry.path, root) + end;
      },
      flush(idle) {
        if (text.length === 0 || (!idle && text.length < WALK_BYTES)) return;
        post({ type: "paths", text });
        text = "";
      },
    }, options);
  }
  let results: FileOutcome[] = [];
  let transfer: ArrayBuffer[] = [];
  let stats = emptyStats();
  let bytes = 0;
  return new WalkWorker({
    file(entry, root) {
      const keep = (r: FileOutcome) => {
        if (r.output.length === 0 && !r.matched && !r.error) {
          addStats(stats, r.stats);
          return;
        }
        if (r.output.byteOffset === 0 && r.output.byteLength === r.output.buffer.byteLength) {
          transfer.push(r.output.buffer as ArrayBuffer);
        }
        results.push(r);
        bytes += r.output.length;
      };
      const path = entry.path;
      if (zip) return search!.searchPath(path, shown(path, root), false).then(keep);
      keep(search!.searchPathSync(path, shown(path, root), false));
    },
    flush(idle) {
      if (!idle && results.length < WALK_RESULTS && bytes < WALK_BYTES) return;
      if (results.length === 0 && stats.searches === 0) return;
      post({ type: "results", results, stats }, transfer);
      results = [];
      transfer = [];
      stats = emptyStats();
      bytes = 0;
    },
  }, options);
}

async function runBatch(message: Extract<WorkerRequest, { type: "batch" }>): Promise<void> {
  const results: FileOutcome[] = [];
  const transfer: ArrayBuffer[] = [];
  const stats = emptyStats();
  for (const file of message.files) {
    const r = zip
      ? await search!.searchPath(file.path, file.shown, file.explicit)
      : search!.searchPathSync(file.path, file.shown, file.explicit);
    if (r.output.length === 0 && !r.matched && !r.error) {
      addStats(stats, r.stats);
      continue;
    }
    if (r.output.byteOffset === 0 && r.output.byteLength === r.output.buffer.byteLength) {
      transfer.push(r.output.buffer as ArrayBuffer);
    }
    // A file that prints keeps its own counters: the JSON summary counts only such files.
    results.push(r);
  }
  self.postMessage(
    { type: "results", id: message.id, results, stats } satisfies WorkerReply,
    transfer,
  );
}
