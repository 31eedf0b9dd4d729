/**
 * Machine output: `--json` for one value, JSON lines for streams of them.
 *
 * @module
 */

import type { Io } from "./io.ts";

/**
 * How many UTF-16 code units of JSON lines are gathered before one write. One write per line
 * costs a system call each, which dominates when listing tens of thousands of small records.
 */
const BATCH = 64 * 1024;

/**
 * Writes each value as compact JSON on its own line (JSON lines) to `io.stdout`.
 *
 * Lines are gathered into batches of about 64 KB, one write each. A value that JSON cannot
 * represent (`undefined`, a function) is written as `null`, as `JSON.stringify` does in arrays.
 *
 * @example
 * ```ts
 * import { writeJsonLines } from "./json.ts";
 * import { memoryIo } from "./io.ts";
 * import assert from "node:assert/strict";
 * const io = memoryIo();
 * await writeJsonLines(io, [{ id: "a", tags: ["x"] }, 2, "three"]);
 * assert.equal(io.stdout.text(), '{"id":"a","tags":["x"]}\n2\n"three"\n');
 * ```
 *
 * @param io Where to write.
 * @param values The values, from an array, a generator or an async iterable.
 * @returns A promise that resolves once everything is written.
 */
export async function writeJsonLines(
  io: Io,
  values: Iterable<unknown> | AsyncIterable<unknown>,
): Promise<void> {
  let batch = "";
  // A plain loop for sync iterables: `for await` would add a microtask per value.
  if (Symbol.asyncIterator in values) {
    for await (const value of values) {
      batch += line(value);
      if (batch.length >= BATCH) batch = await flush(io, batch);
    }
  } else {
    for (const value of values) {
      batch += line(value);
      if (batch.length >= BATCH) batch = await flush(io, batch);
    }
  }
  await flush(io, batch);
}

function line(value: unknown): string {
  return (JSON.stringify(value) ?? "null") + "\n";
}

/** Writes `batch` when it holds anything; returns the new, empty batch. */
async function flush(io: Io, batch: string): Promise<string> {
  if (batch !== "") await io.stdout.write(batch);
  return "";
}

/**
 * Writes one value as JSON indented by two spaces, then a newline, to `io.stdout`.
 *
 * @example
 * ```ts
 * import { writeJson } from "./json.ts";
 * import { memoryIo } from "./io.ts";
 * import assert from "node:assert/strict";
 * const io = memoryIo();
 * await writeJson(io, { count: 2, ids: ["a", "b"] });
 * assert.equal(io.stdout.text(), '{\n  "count": 2,\n  "ids": [\n    "a",\n    "b"\n  ]\n}\n');
 * ```
 *
 * @param io Where to write.
 * @param value The value.
 * @returns A promise that resolves once written.
 */
export async function writeJson(io: Io, value: unknown): Promise<void> {
  await io.stdout.write((JSON.stringify(value, null, 2) ?? "null") + "\n");
}
