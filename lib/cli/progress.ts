/**
 * A one-line progress bar or spinner on stderr, drawn only on a terminal.
 *
 * @module
 */

import { displayWidth } from "./color.ts";
import type { Io } from "./io.ts";

/** Options for {@linkcode Progress}. */
export interface ProgressOptions {
  /** What is being done, e.g. `Indexing`. */
  label: string;
  /** The count that means finished; without it a spinner is drawn. @default undefined */
  total?: number;
  /** A clock in milliseconds, for the redraw throttle. @default () => io.now().getTime() */
  now?: () => number;
  /** The least time between two redraws, in milliseconds. @default 80 */
  minIntervalMs?: number;
}

/** The default redraw throttle. */
const MIN_INTERVAL_MS = 80;
/** The widest bar worth drawing; wider ones only make the eye travel further. */
const MAX_BAR = 30;
/** Below this a bar says nothing the percentage does not, so it is left out. */
const MIN_BAR = 5;
const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const CLEAR = "\r\x1b[K";

/**
 * A progress bar (with a `total`) or a spinner (without one) on `io.stderr`.
 *
 * Nothing is written unless stderr is a terminal, so callers need no checks of their own and
 * piped or logged output stays clean. Redraws are throttled by the clock, which makes `tick()`
 * cheap enough to call once per item in a hot loop.
 *
 * @example
 * ```ts
 * import { Progress } from "./progress.ts";
 * import { memoryIo } from "./io.ts";
 * import assert from "node:assert/strict";
 * const io = memoryIo({ tty: true });
 * const progress = new Progress(io, { label: "Copying", total: 4, now: () => 0 });
 * await progress.set(2);
 * await progress.done("Copied 4 files");
 * assert.equal(
 *   io.stderr.text(),
 *   "\rCopying [###############---------------] 50% 2/4\x1b[K\r\x1b[KCopied 4 files\n",
 * );
 * ```
 */
export class Progress {
  readonly #io: Io;
  readonly #label: string;
  readonly #total: number | undefined;
  readonly #now: () => number;
  readonly #minIntervalMs: number;
  readonly #enabled: boolean;
  #value = 0;
  #lastDraw = -Infinity;
  #frame = 0;
  #drawn = false;
  #finished = false;

  /**
   * @param io Where to draw; only `io.stderr` is written, and only when it is a terminal.
   * @param options Label, total, clock and throttle.
   */
  constructor(io: Io, options: ProgressOptions) {
    this.#io = io;
    this.#label = options.label;
    this.#total = options.total;
    this.#now = options.now ?? (() => io.now().getTime());
    this.#minIntervalMs = options.minIntervalMs ?? MIN_INTERVAL_MS;
    this.#enabled = io.isTerminal.stderr;
  }

  /** The current count. */
  get value(): number {
    return this.#value;
  }

  /**
   * Advances the count and redraws when the throttle allows.
   *
   * @example
   * ```ts
   * import { Progress } from "./progress.ts";
   * import { memoryIo } from "./io.ts";
   * import assert from "node:assert/strict";
   * const progress = new Progress(memoryIo(), { label: "Scanning" });
   * await progress.tick();
   * await progress.tick(2);
   * assert.equal(progress.value, 3);
   * ```
   *
   * @param n How much to add. @default 1
   * @returns A promise that resolves once any redraw is written.
   */
  tick(n = 1): Promise<void> {
    return this.set(this.#value + n);
  }

  /**
   * Sets the count and redraws when the throttle allows.
   *
   * @example
   * ```ts
   * import { Progress } from "./progress.ts";
   * import { memoryIo } from "./io.ts";
   * import assert from "node:assert/strict";
   * const io = memoryIo({ tty: true });
   * const progress = new Progress(io, { label: "Scanning", now: () => 0 });
   * await progress.set(7);
   * assert.equal(io.stderr.text(), "\r⠋ Scanning 7\x1b[K");
   * ```
   *
   * @param n The new count.
   * @returns A promise that resolves once any redraw is written.
   */
  async set(n: number): Promise<void> {
    this.#value = n;
    if (!this.#enabled || this.#finished) return;
    const now = this.#now();
    if (now - this.#lastDraw < this.#minIntervalMs) return;
    this.#lastDraw = now;
    this.#drawn = true;
    await this.#io.stderr.write(`\r${this.#line()}\x1b[K`);
  }

  /**
   * Clears the line and, when given, writes `message` and a newline in its place. Later calls of
   * any method do nothing.
   *
   * @example
   * ```ts
   * import { Progress } from "./progress.ts";
   * import { memoryIo } from "./io.ts";
   * import assert from "node:assert/strict";
   * const io = memoryIo({ tty: false });
   * const progress = new Progress(io, { label: "Building", total: 10 });
   * await progress.tick();
   * await progress.done("Built");
   * assert.equal(io.stderr.text(), "");
   * ```
   *
   * @param message A line to leave behind, without its newline.
   * @returns A promise that resolves once written.
   */
  async done(message?: string): Promise<void> {
    if (!this.#enabled || this.#finished) return;
    this.#finished = true;
    let text = this.#drawn ? CLEAR : "";
    if (message !== undefined) text += `${message}\n`;
    if (text !== "") await this.#io.stderr.write(text);
  }

  #line(): string {
    // One column is kept free: writing into the last column makes some terminals wrap early.
    const room = Math.max(this.#io.columns - 1, 1);
    if (this.#total === undefined) {
      const spinner = SPINNER[this.#frame++ % SPINNER.length];
      const count = ` ${this.#value}`;
      return `${spinner} ${fit(this.#label, room - 2 - count.length)}${count}`;
    }
    const total = this.#total;
    const ratio = total > 0 ? Math.min(Math.max(this.#value / total, 0), 1) : 1;
    const counts = `${Math.floor(ratio * 100)}% ${this.#value}/${total}`;
    const label = displayWidth(this.#label);
    const bar = Math.min(MAX_BAR, room - label - counts.length - 4);
    if (bar >= MIN_BAR) {
      const filled = Math.floor(ratio * bar);
      return `${this.#label} [${"#".repeat(filled)}${"-".repeat(bar - filled)}] ${counts}`;
    }
    return `${fit(this.#label, room - counts.length - 1)} ${counts}`;
  }
}

/** Cuts `text` to at most `width` columns, marking a cut with an ellipsis. */
function fit(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return "";
  let out = "";
  let used = 0;
  for (const ch of text) {
    const w = displayWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}
