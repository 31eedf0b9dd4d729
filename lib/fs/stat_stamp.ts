/**
 * What a cache needs to tell whether a file changed: its modification time, size and inode.
 *
 * `Deno.statSync` builds a full `FileInfo` with four `Date`s, which at 10,000 files is most
 * of what loading a notes cache costs. On Linux `statx` through FFI fills a buffer instead;
 * elsewhere, and for every error (so the error is Deno's own), it falls back to Deno.
 *
 * @module
 */

import { AT_FDCWD, cPath, loadLibc, statxFields } from "./_libc.ts";

/** The parts of a stat that say whether a file changed. */
export interface FileStamp {
  /** Modification time in whole milliseconds since the epoch (as `FileInfo.mtime`). */
  mtimeMs: number;
  /** Size in bytes. */
  size: number;
  /** Inode number (0 where the platform has none). */
  ino: number;
}

/**
 * Stats `path` (following symlinks) for its change stamp.
 *
 * @example
 * ```ts
 * import { statStamp } from "./stat_stamp.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "hello");
 * assert.equal(statStamp(path).size, 5);
 * await Deno.remove(path);
 * ```
 *
 * @param path The file.
 * @returns Its stamp.
 * @throws {Deno.errors.NotFound} and the other errors of `Deno.statSync`.
 */
export function statStamp(path: string): FileStamp {
  const bytes = loadLibc()?.statx ? cPath(path) : null;
  const fields = bytes === null ? null : statxFields(AT_FDCWD, bytes, 0);
  if (fields !== null) return fields;
  const info = Deno.statSync(path);
  return { mtimeMs: info.mtime?.getTime() ?? 0, size: info.size, ino: info.ino ?? 0 };
}
