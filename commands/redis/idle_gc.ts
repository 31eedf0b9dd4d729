/**
 * A full garbage collection when the server has gone quiet, so that its resident memory falls
 * back to what the keyspace holds.
 *
 * V8 runs a full (mark-compact) collection when the old generation grows, not when a program
 * stops allocating: after a burst of writes the garbage of that burst, and a young generation
 * grown to tens of megabytes, stay resident until the next burst. 632,000 keys written by
 * redis-benchmark left about 240 MB resident where the data needs about 100. Browsers collect
 * in idle time; a Deno server has no such hook, so this one does it itself: V8's `gc()` is
 * reached through `--expose-gc` set at run time and a fresh context, and called once the
 * server has seen no command for a while and the heap grew since the last time. The pause
 * (tens of milliseconds for a heap of a few hundred megabytes) falls when nobody is waiting.
 *
 * @module
 */

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | null | undefined;

/** V8's full collection, or null when this runtime does not offer it. */
function fullGc(): (() => void) | null {
  if (collect !== undefined) return collect;
  collect = null;
  try {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc");
    if (typeof gc === "function") collect = gc as () => void;
  } catch { /* no gc to be had: V8 collects on its own schedule */ }
  return collect;
}

/** Options for {@linkcode IdleCollector}. */
export interface IdleCollectorOptions {
  /** How long without a command counts as quiet, in ms. @default 1000 */
  quietMs?: number;
  /** Heap growth since the last collection that makes one worth it, in bytes. @default 32 MiB */
  growth?: number;
  /** Reads the heap's size in bytes. @default V8's heap used, from Deno.memoryUsage */
  heapUsed?: () => number;
  /** Collects. @default V8's full collection */
  gc?: (() => void) | null;
}

/**
 * Decides, tick by tick, when to run a full collection: after `quietMs` without commands, if
 * the heap grew by `growth` since the last one.
 *
 * @example
 * ```ts
 * import { IdleCollector } from "./idle_gc.ts";
 * import assert from "node:assert/strict";
 * let heap = 100;
 * let runs = 0;
 * const c = new IdleCollector({ quietMs: 1000, growth: 50, heapUsed: () => heap, gc: () => runs++ });
 * c.tick(0, 0);
 * heap = 200;
 * c.tick(500, 10); // busy: commands went on
 * c.tick(1000, 10); // quiet for 500 ms only
 * assert.equal(runs, 0);
 * c.tick(1600, 10); // quiet for 1,100 ms and the heap grew
 * assert.equal(runs, 1);
 * ```
 */
export class IdleCollector {
  readonly #quietMs: number;
  readonly #growth: number;
  readonly #heapUsed: () => number;
  readonly #gc: (() => void) | null;
  #commands = -1;
  #lastActive = 0;
  #heapAfter: number;

  /** @param options Thresholds; the heap reader and the collector for tests. */
  constructor(options: IdleCollectorOptions = {}) {
    this.#quietMs = options.quietMs ?? 1000;
    this.#growth = options.growth ?? 32 * 1024 * 1024;
    this.#heapUsed = options.heapUsed ?? (() => Deno.memoryUsage().heapUsed);
    this.#gc = options.gc === undefined ? fullGc() : options.gc;
    this.#heapAfter = this.#heapUsed();
  }

  /**
   * Called from the server's timer.
   *
   * @param now Ms, any monotonic origin.
   * @param commands Commands processed so far (a counter that grows while clients are busy).
   * @returns Whether it collected.
   */
  tick(now: number, commands: number): boolean {
    if (this.#gc === null) return false;
    if (commands !== this.#commands) {
      this.#commands = commands;
      this.#lastActive = now;
      return false;
    }
    if (now - this.#lastActive < this.#quietMs) return false;
    return this.collect();
  }

  /**
   * Collects now if the heap grew enough since the last collection. FLUSHALL and FLUSHDB
   * call it: Redis frees a flushed dataset before it replies, and collecting then keeps the
   * debt from slowing the commands that follow.
   *
   * @returns Whether it collected.
   */
  collect(): boolean {
    if (this.#gc === null) return false;
    if (this.#heapUsed() - this.#heapAfter < this.#growth) return false;
    this.#gc();
    this.#heapAfter = this.#heapUsed();
    return true;
  }
}
