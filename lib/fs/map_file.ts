/**
 * Reading a large file without copying it: the file is mapped into memory, handed to a
 * callback and unmapped when the callback returns.
 *
 * A notes cache of 20 MB is decoded into a string on every search; reading it first copies
 * it into a fresh buffer, which costs more than the decoding. Mapping lets the decoder read
 * the page cache directly. The bytes are only valid inside the callback, so the API is
 * scoped: nothing can hold them past the unmapping. A file changed in place while mapped
 * could fault the process, so map only files that are replaced by rename (as kit's caches
 * are, through atomic writes). Off Linux, or without FFI, the file is read the usual way.
 *
 * @module
 */

import { AT_EMPTY_PATH, cPath, loadLibc, O_CLOEXEC, statxFields } from "./_libc.ts";
import { readFileSized } from "./read_file.ts";

const PROT_READ = 1;
const MAP_PRIVATE = 2;
// Linux only: fault every page in with the mapping, one call instead of one fault per page.
const MAP_POPULATE = 0x8000;
const emptyPath = new Uint8Array(1);

/**
 * Calls `use` with the bytes of `path` and returns what it returns.
 *
 * @example
 * ```ts
 * import { withFileBytes } from "./map_file.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "hello");
 * assert.equal(withFileBytes(path, (bytes) => bytes.length), 5);
 * await Deno.remove(path);
 * ```
 *
 * @param path The file.
 * @param use Reads the bytes; must not keep them (or any view of them) after it returns.
 * @returns What `use` returned.
 * @throws {Deno.errors.NotFound} and the other errors of reading the file.
 */
export function withFileBytes<T>(path: string, use: (bytes: Uint8Array) => T): T {
  const mapped = mapFile(path);
  if (mapped === null) return use(readFileSized(path));
  try {
    return use(mapped.bytes);
  } finally {
    loadLibc()!.munmap(mapped.pointer, BigInt(mapped.bytes.length));
  }
}

function mapFile(path: string): { bytes: Uint8Array; pointer: Deno.PointerObject } | null {
  // Linux only: the size must come from the open descriptor (statx on it), not a second
  // lookup of the path, or a file replaced in between could be mapped past its end.
  const c = loadLibc();
  const pathBytes = c?.statx ? cPath(path) : null;
  if (c === null || c.statx === null || pathBytes === null) return null;
  const fd = c.open(pathBytes, O_CLOEXEC);
  if (fd < 0) return null;
  try {
    const size = statxFields(fd, emptyPath, AT_EMPTY_PATH)?.size ?? 0;
    if (size === 0) return null;
    const pointer = c.mmap(null, BigInt(size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0n);
    // MAP_FAILED is (void*)-1.
    if (pointer === null || Deno.UnsafePointer.value(pointer) === 0xffffffffffffffffn) return null;
    return {
      bytes: new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(pointer, size)),
      pointer,
    };
  } finally {
    c.close(fd);
  }
}
