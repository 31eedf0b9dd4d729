/**
 * Reading a small file into a caller's buffer with as little per-file cost as the platform
 * allows. A search of a source tree opens tens of thousands of files, and Deno's file
 * resources (open, read, close: three ops, a resource table entry) cost about a fifth more
 * than calling the C library's `open`, `read` and `close` through FFI, which is the named
 * fast path here. Where FFI is not there (Windows, no permission, `KIT_FS_FFI=off`) the
 * answer is `undefined` and the caller reads the usual way.
 *
 * @module
 */

import { cPath, loadLibc } from "./_libc.ts";

// O_RDONLY is 0 everywhere; O_CLOEXEC so a child process never inherits the descriptor.
const O_CLOEXEC = Deno.build.os === "darwin" ? 0x1000000 : 0o2000000;

/**
 * Reads a whole file into `buffer` when it fits, through the C library.
 *
 * @example
 * ```ts
 * import { readInto } from "./read_into.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "hello");
 * const buffer = new Uint8Array(64);
 * const n = readInto(path, buffer);
 * // undefined where FFI is unavailable; then read the usual way.
 * if (n !== undefined) assert.equal(new TextDecoder().decode(buffer.subarray(0, n)), "hello");
 * await Deno.remove(path);
 * ```
 *
 * @param path The file.
 * @param buffer Where its bytes go.
 * @returns The byte count; `undefined` when the file did not fit, could not be read this way
 *   (the usual path then reports why) or FFI is unavailable.
 */
export function readInto(path: string, buffer: Uint8Array): number | undefined {
  const c = loadLibc();
  if (c === null) return undefined;
  const pathBytes = cPath(path);
  if (pathBytes === null) return undefined;
  const fd = c.open(pathBytes, O_CLOEXEC);
  if (fd < 0) return undefined;
  try {
    let total = 0;
    while (total < buffer.length) {
      // A number, not a BigInt, for the count, and no new view for the first read: tens of
      // thousands of files make each allocation show.
      const target = total === 0 ? buffer : buffer.subarray(total);
      const n = Number(c.read(fd, target, buffer.length - total));
      if (n < 0) return undefined;
      if (n === 0) return total;
      total += n;
      // A short read of a regular file is its end; asking again would be one more syscall.
      if (total < buffer.length) return total;
    }
    return undefined;
  } finally {
    c.close(fd);
  }
}
