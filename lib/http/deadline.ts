/**
 * Waiting with a time limit and an abort signal: `guard` for one wait, `Watchdog` for the many
 * reads and writes of a connection under one timer.
 *
 * @module
 */
import { HttpError } from "./errors.ts";

/** Options for {@linkcode guard}. */
export interface GuardOptions<T> {
  /** Give up after this many milliseconds (undefined or 0: no limit). */
  ms?: number;
  /** The error to fail with when time runs out. */
  onTimeout?: () => Error;
  /** Give up when this signal aborts. */
  signal?: AbortSignal;
  /** Receives a result that arrives after giving up (e.g. to close a late connection). */
  late?: (value: T) => void;
}

/**
 * Waits for `promise`, but fails at the deadline or on abort. The promise keeps running; its
 * late value goes to `late` and its late failure is swallowed.
 *
 * @example
 * ```ts
 * import { guard } from "./deadline.ts";
 * import assert from "node:assert/strict";
 * assert.equal(await guard(Promise.resolve(1), { ms: 1000 }), 1);
 * ```
 *
 * @param promise What to wait for.
 * @param options Time limit, timeout error, signal and late-value handler.
 * @returns The promise's value.
 */
export function guard<T>(promise: Promise<T>, options: GuardOptions<T>): Promise<T> {
  const { ms, signal } = options;
  if (!ms && !signal) return promise;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      if (settled) return;
      finish();
      reject(abortError(signal!));
    };
    if (signal?.aborted) {
      settled = true;
      promise.then((v) => options.late?.(v), () => {});
      reject(abortError(signal));
      return;
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    if (ms) {
      timer = setTimeout(() => {
        if (settled) return;
        finish();
        reject(options.onTimeout?.() ?? new HttpError("timeout", `timed out after ${ms} ms`));
      }, ms);
    }
    promise.then((value) => {
      if (settled) options.late?.(value);
      else {
        finish();
        resolve(value);
      }
    }, (error) => {
      if (settled) return;
      finish();
      reject(error);
    });
  });
}

/**
 * The error for an aborted request: the signal's reason when it is an HttpError.
 *
 * @example
 * ```ts
 * import { abortError } from "./deadline.ts";
 * import assert from "node:assert/strict";
 * const c = new AbortController();
 * c.abort();
 * assert.equal(abortError(c.signal).kind, "aborted");
 * ```
 *
 * @param signal An aborted signal.
 * @returns The error to fail with.
 */
export function abortError(signal: AbortSignal): HttpError {
  if (signal.reason instanceof HttpError) return signal.reason;
  return new HttpError("aborted", "request aborted", { cause: signal.reason });
}

/**
 * One timer for a connection's many waits: `arm` moves the deadline (a clock read, no new
 * timer), and when it passes, `onExpire` runs once (it closes the connection, which ends the
 * pending read or write) and `error` holds the reason for whoever was waiting. The timer does
 * not keep a program alive by itself.
 *
 * @example
 * ```ts
 * import { Watchdog } from "./deadline.ts";
 * import assert from "node:assert/strict";
 * const watch = new Watchdog(() => {});
 * watch.arm(60000, () => new Error("late"));
 * watch.disarm();
 * watch.stop();
 * assert.equal(watch.error, null);
 * ```
 */
export class Watchdog {
  #deadline = Infinity;
  #make: (() => Error) | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  readonly #onExpire: () => void;
  /** Why the wait failed, once the deadline passed. */
  error: Error | null = null;

  /**
   * Makes a watchdog without a deadline.
   *
   * @param onExpire Ends the wait (closes the connection).
   */
  constructor(onExpire: () => void) {
    this.#onExpire = onExpire;
  }

  /**
   * Sets the deadline `ms` from now, or none for 0.
   *
   * @param ms Milliseconds.
   * @param make The error to fail with.
   */
  arm(ms: number, make: () => Error): void {
    if (this.error) return;
    if (!ms) return this.disarm();
    this.#deadline = performance.now() + ms;
    this.#make = make;
    // A running timer that fires no later than the deadline is kept: it re-checks when it fires.
    if (this.#timerAt > this.#deadline) {
      this.stop();
      this.#deadline = performance.now() + ms;
      this.#schedule(ms);
    }
  }

  /** Removes the deadline; the timer, if any, stays to be reused by the next arm. */
  disarm(): void {
    this.#deadline = Infinity;
  }

  /** Removes the deadline and the timer. */
  stop(): void {
    this.#deadline = Infinity;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  #schedule(ms: number): void {
    this.#timerAt = performance.now() + ms;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      const left = this.#deadline - performance.now();
      if (left === Infinity) return;
      if (left > 0) return this.#schedule(left);
      this.error = this.#make!();
      this.#deadline = Infinity;
      this.#onExpire();
    }, Math.max(0, Math.ceil(ms)));
    // Kept between requests of a kept-alive connection: it must not keep a program running.
    Deno.unrefTimer(this.#timer as unknown as number);
  }
}
