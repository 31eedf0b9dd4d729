/**
 * Searching many files on workers across the cores. Each file is searched and formatted
 * whole by one worker, so one file's output never interleaves with another's; the main
 * thread walks, hands out batches and writes results as they come back.
 *
 * @module
 */

import { type FileOutcome, FileSearch, type SearchConfig } from "./file_search.ts";
import type { WorkerReply, WorkerRequest } from "./search_worker.ts";

/** Options for {@linkcode SearchPool}. */
export interface SearchPoolOptions {
  /** Threads that search, the main one included. @default navigator.hardwareConcurrency */
  threads?: number;
  /** Files per batch sent to a worker. @default 256 */
  batchSize?: number;
  /** Receives a large file's output as it grows on the main thread (see FileSearch). */
  flush?: (bytes: Uint8Array) => void;
  /** Files the main thread searches between looks at the event loop. @default 16 */
  mainBatch?: number;
  /** Below this many files the main thread searches alone: starting workers costs more. @default 64 */
  smallJob?: number;
}

/** A file to search. */
export interface PoolTarget {
  path: string;
  shown: string;
  explicit: boolean;
}

/** A pool of search workers for one configuration. */
export class SearchPool {
  readonly #config: SearchConfig;
  readonly #threads: number;
  readonly #batchSize: number;
  readonly #smallJob: number;
  readonly #mainBatch: number;
  readonly #flush?: (bytes: Uint8Array) => void;
  #workers: Worker[] = [];

  /**
   * @param config The search every worker runs.
   * @param options Thread count and batching.
   */
  constructor(config: SearchConfig, options: SearchPoolOptions = {}) {
    this.#config = config;
    this.#threads = Math.max(1, options.threads ?? navigator.hardwareConcurrency ?? 2);
    this.#batchSize = options.batchSize ?? 256;
    this.#mainBatch = options.mainBatch ?? 64;
    this.#flush = options.flush;
    this.#smallJob = options.smallJob ?? 64;
  }

  /**
   * Searches every target and yields each file's outcome as it completes (in completion
   * order). Stopping early (a `break`, an error) stops the workers.
   *
   * @example
   * ```ts
   * import { SearchPool } from "./search_pool.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * await Deno.writeTextFile(`${dir}/a.txt`, "one\nneedle\n");
   * const pool = new SearchPool({
   *   patterns: ["needle"], matcher: {}, mode: "lines", invert: false, before: 0, after: 0,
   *   passthru: false, binary: "auto", searchZip: false, countMatches: false,
   *   includeZero: false, withFilename: true, heading: false, lineNumber: true,
   *   column: false, byteOffset: false, onlyMatching: false, vimgrep: false,
   *   nullSeparator: false, trim: false, maxColumnsPreview: false, contextSeparator: "--",
   *   matchSeparator: ":", contextFieldSeparator: "-",
   * });
   * const out: string[] = [];
   * for await (const r of pool.results([{ path: `${dir}/a.txt`, shown: "a.txt", explicit: false }])) {
   *   out.push(new TextDecoder().decode(r.output));
   * }
   * assert.deepEqual(out, ["a.txt:2:needle\n"]);
   * await Deno.remove(dir, { recursive: true });
   * ```
   *
   * @param targets Files in walk order; pulled lazily, so walking overlaps searching.
   * @yields Each file's outcome (output, counters, errors).
   */
  async *results(targets: Iterable<PoolTarget>): AsyncGenerator<FileOutcome> {
    try {
      yield* this.#run(targets);
    } finally {
      this.close();
    }
  }

  async *#run(targets: Iterable<PoolTarget>): AsyncGenerator<FileOutcome> {
    const iterator = targets[Symbol.iterator]();
    const head: PoolTarget[] = [];
    let exhausted = false;
    while (head.length < this.#smallJob) {
      const next = iterator.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      head.push(next.value);
    }
    if (exhausted || this.#threads === 1) {
      const search = new FileSearch(this.#config, this.#flush);
      const rest: Iterable<PoolTarget> = exhausted ? [] : { [Symbol.iterator]: () => iterator };
      for (const list of [head, rest]) {
        for (const t of list) {
          yield this.#config.searchZip
            ? await search.searchPath(t.path, t.shown, t.explicit)
            : search.searchPathSync(t.path, t.shown, t.explicit);
        }
      }
      return;
    }
    const pending = head;
    const take = (size: number): PoolTarget[] => {
      const batch = pending.splice(0, size);
      while (batch.length < size && !exhausted) {
        const next = iterator.next();
        if (next.done) exhausted = true;
        else batch.push(next.value);
      }
      return batch;
    };
    let nextId = 0;
    let outstanding = 0;
    let failure: unknown;
    let wake: (() => void) | undefined;
    // Worker results, written by the main loop between its own files, in arrival order.
    const arrived: FileOutcome[] = [];
    const feed = (worker: Worker) => {
      const files = take(this.#batchSize);
      if (files.length === 0) return;
      outstanding++;
      worker.postMessage({ type: "batch", id: nextId++, files } satisfies WorkerRequest);
    };
    // The main thread is one of the searchers; the others are workers.
    for (let i = 1; i < this.#threads; i++) {
      const worker = new Worker(new URL("./search_worker.ts", import.meta.url).href, {
        type: "module",
      });
      worker.postMessage({ type: "config", config: this.#config } satisfies WorkerRequest);
      worker.onmessage = (event: MessageEvent<WorkerReply>) => {
        outstanding--;
        feed(worker);
        const { results, stats } = event.data;
        arrived.push(...results, { output: new Uint8Array(0), stats, matched: false });
        wake?.();
      };
      worker.onerror = (event) => {
        event.preventDefault();
        failure = new Error(event.message);
        wake?.();
      };
      this.#workers.push(worker);
    }
    // Two batches per worker in flight, so none waits on the main thread between batches.
    for (let round = 0; round < 2; round++) for (const w of this.#workers) feed(w);
    const search = new FileSearch(this.#config, this.#flush);
    const zip = this.#config.searchZip;
    while (true) {
      if (failure) throw failure;
      while (arrived.length) yield arrived.shift()!;
      // A small batch of our own, then back to the event loop so workers get fed promptly.
      const own = take(this.#mainBatch);
      for (const t of own) {
        yield zip
          ? await search.searchPath(t.path, t.shown, t.explicit)
          : search.searchPathSync(t.path, t.shown, t.explicit);
      }
      if (own.length) {
        await yieldToEventLoop();
        continue;
      }
      if (outstanding === 0) break;
      await new Promise<void>((resolve) => wake = resolve);
      wake = undefined;
    }
    while (arrived.length) yield arrived.shift()!;
    if (failure) throw failure;
  }

  /** Stops the workers. */
  close(): void {
    for (const w of this.#workers) w.terminate();
    this.#workers = [];
  }
}

// A message to ourselves is a macrotask without the 4 ms clamp that nested setTimeout(0)
// calls get, so the main thread can look at worker replies between its own files cheaply.
let channel: MessageChannel | undefined;
const waiting: (() => void)[] = [];

function yieldToEventLoop(): Promise<void> {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
    // The port must not keep the process alive once the search is over.
    (channel.port1 as unknown as { unref?: () => void }).unref?.();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(null);
  });
}
