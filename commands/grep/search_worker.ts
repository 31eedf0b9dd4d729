/**
 * A search worker: receives a {@linkcode SearchConfig} once, then batches of files, and
 * answers each batch with the formatted output of every file in it.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { type FileOutcome, FileSearch } from "./file_search.ts";
import type { SearchConfig } from "./file_search.ts";
import { addStats, emptyStats, type SearchStats } from "./json_printer.ts";

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
  };

/** Messages a worker sends. */
export interface WorkerReply {
  type: "results";
  id: number;
  /** Outcomes that print, match or failed; the silent majority only adds to `stats`. */
  results: FileOutcome[];
  /** Counters of every file in the batch. */
  stats: SearchStats;
}

let search: FileSearch | undefined;
let zip = false;
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
  queue = queue.then(() => runBatch(message));
};

async function runBatch(message: Extract<WorkerRequest, { type: "batch" }>): Promise<void> {
  const results: FileOutcome[] = [];
  const transfer: ArrayBuffer[] = [];
  const stats = emptyStats();
  for (const file of message.files) {
    const r = zip
      ? await search!.searchPath(file.path, file.shown, file.explicit)
      : search!.searchPathSync(file.path, file.shown, file.explicit);
    addStats(stats, r.stats);
    if (r.output.length === 0 && !r.matched && !r.error) continue;
    if (r.output.byteOffset === 0 && r.output.byteLength === r.output.buffer.byteLength) {
      transfer.push(r.output.buffer as ArrayBuffer);
    }
    results.push({ ...r, stats: emptyStats() });
  }
  self.postMessage(
    { type: "results", id: message.id, results, stats } satisfies WorkerReply,
    transfer,
  );
}
