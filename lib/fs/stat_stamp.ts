/**
 * What a cache needs to tell whether a file changed: its modification time, size and inode.
 *
 * `Deno.statSync` builds a full `FileInfo` with four `Date`s, which at 10,000 files is most
 * of what loading a notes cache costs. On Linux `statx` through FFI fills a buffer instead;
 * elsewhere, and for every error (so the error is Deno's own), it falls back to Deno.
 *
 * @module
 */

import { cPath, loadLibc } from "./_libc.ts";

/** The parts of a stat that say whether a file changed. */
export interface FileStamp {
  /** Modification time in whole milliseconds since the epoch (as `FileInfo.mtime`). */
  mtimeMs: number;
  /** Size in bytes. */
  size: number;
  /** Inode number (0 where the platform has none). */
  ino: number;
}

const AT_FDCWD = -100;
const STATX_BASIC_STATS = 0x7ff;
// struct statx is 256 bytes; the fields read here sit at fixed offsets in its ABI.
const statxBuffer = new Uint8Array(256);
const statxView = new DataView(statxBuffer.buffer);
const STX_INO = 32;
const STX_SIZE = 40;
const STX_MTIME = 112;

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
  const statx = loadLibc()?.statx;
  const bytes = statx ? cPath(path) : null;
  if (statx && bytes !== null && statx(AT_FDCWD, bytes, 0, STATX_BASIC_STATS, statxBuffer) === 0) {
    const seconds = Number(statxView.getBigInt64(STX_MTIME, true));
    const nanos = statxView.getUint32(STX_MTIME + 8, true);
    return {
      mtimeMs: seconds * 1000 + Math.floor(nanos / 1e6),
      size: Number(statxView.getBigUint64(STX_SIZE, true)),
      ino: Number(statxView.getBigUint64(STX_INO, true)),
    };
  }
  const info = Deno.statSync(path);
  return { mtimeMs: info.mtime?.getTime() ?? 0, size: info.size, ino: info.ino ?? 0 };
}
