/**
 * The worker behind {@linkcode walkParallel}: walks the folders the coordinator gives it and
 * posts the files it finds in batches.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import type { WalkEntry } from "./walk.ts";
import { type WalkRequest, WalkWorker } from "./walk_parallel.ts";

/** Files per message: one message per file would cost more than the walk. */
const BATCH = 512;

let found: WalkEntry[] = [];
const walker = new WalkWorker({
  file(entry) {
    found.push(entry);
  },
  flush(idle) {
    if (found.length === 0 || (!idle && found.length < BATCH)) return;
    self.postMessage({ type: "entries", entries: found });
    found = [];
  },
}, { post: (message) => self.postMessage(message) });

self.onmessage = (event: MessageEvent<WalkRequest>) => {
  walker.receive(event.data).catch((error) => {
    // Surfaces on the coordinator's side as the worker's error event.
    queueMicrotask(() => {
      throw error;
    });
  });
};
