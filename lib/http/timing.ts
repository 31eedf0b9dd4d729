/**
 * Where the time of a request went, as curl's -w timings: milliseconds since the request began.
 *
 * @module
 */

/** Milliseconds since the request began at which each phase ended; 0 when it did not happen. */
export interface Timing {
  /** Name resolution done (0 for an IP literal or a reused connection). */
  dns: number;
  /** TCP connection made (0 for a reused connection). */
  connect: number;
  /** TLS handshake done (0 for plain HTTP or a reused connection). */
  tls: number;
  /** First byte of the response received. */
  firstByte: number;
  /** Body read to its end (0 until then). */
  total: number;
}

/**
 * A clock that gives milliseconds since it was made, rounded to 0.001 ms.
 *
 * @example
 * ```ts
 * import { Stopwatch } from "./timing.ts";
 * import assert from "node:assert/strict";
 * const clock = new Stopwatch();
 * assert.ok(clock.elapsed() >= 0);
 * ```
 */
export class Stopwatch {
  readonly #start: number;
  readonly #now: () => number;

  /**
   * Starts the stopwatch.
   *
   * @param now The clock to read, performance.now by default (tests inject one).
   */
  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
    this.#start = now();
  }

  /**
   * The time since the start.
   *
   * @returns Milliseconds since the stopwatch was made.
   */
  elapsed(): number {
    return Math.round((this.#now() - this.#start) * 1000) / 1000;
  }
}

/**
 * A blank timing record.
 *
 * @example
 * ```ts
 * import { emptyTiming } from "./timing.ts";
 * import assert from "node:assert/strict";
 * assert.equal(emptyTiming().total, 0);
 * ```
 *
 * @returns Every phase at 0.
 */
export function emptyTiming(): Timing {
  return { dns: 0, connect: 0, tls: 0, firstByte: 0, total: 0 };
}
