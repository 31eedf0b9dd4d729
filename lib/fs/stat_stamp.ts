/**
 * What a cache needs to tell whether a file changed: its modification time, size and inode.
 *
 * `Deno.statSync` builds a full `FileInfo` with four `Date`s, which at 10,000 files is most
 * of what loading a notes cache costs. On Linux `statx` through FFI fills a buffer instead;
 * elsewhere, and for every error (so the error is Deno's own), it falls back to Deno.
 *
 * @module
 */

import {
  AT_FDCWD,
  cPath,
  loadLibc,
  O_CLOEXEC,
  O_DIRECTORY,
  statxFields,
  statxInto,
} from "./_libc.ts";

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

/**
 * Stamps of many files of one folder: three numbers per name in `names`' order (modification
 * time in whole ms, size, inode), with NaN as the time of a file that could not be stat-ed
 * (ask {@linkcode statStamp} for its error). One folder descriptor and no object per file:
 * at 10,000 notes the per-file cost is the system call's.
 *
 * @example
 * ```ts
 * import { statStamps } from "./stat_stamp.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.md`, "hello");
 * const stamps = statStamps(dir, ["a.md", "missing.md"]);
 * if (stamps !== null) {
 *   assert.equal(stamps[1], 5);
 *   assert.ok(Number.isNaN(stamps[3]));
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The folder.
 * @param names File names in it.
 * @returns The stamps, or null where there is no statx or the folder cannot be opened (stat
 *   each file with {@linkcode statStamp} then).
 */
export function statStamps(dir: string, names: readonly string[]): Float64Array | null {
  const c = loadLibc();
  const dirBytes = c?.statx ? cPath(dir) : null;
  if (c === null || dirBytes === null) return null;
  const fd = c.open(dirBytes, O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return null;
  try {
    const out = new Float64Array(names.length * 3);
    for (let i = 0; i < names.length; i++) {
      const name = cPath(names[i]);
      if (name === null || !statxInto(fd, name, 0, out, i * 3)) out[i * 3] = NaN;
    }
    return out;
  } finally {
    c.close(fd);
  }
}
