/**
 * Reading a byte range of a large file front to back through views that stay valid until
 * the next request: mapped windows of the file where the platform allows, else one growing
 * buffer that reads are copied into.
 *
 * A search of a 1 GB file spent a fifth of its time copying the file into a buffer with
 * `read`; a mapped window is the page cache itself. Windows are unmapped as the reader moves
 * on, so memory stays at one window however large the file. A mapped file cut short while
 * it is read can fault the process (as for any program that maps files, ripgrep included);
 * `KIT_FS_FFI=off` reads instead.
 *
 * @module
 */

import { cPath, loadLibc } from "./_libc.ts";

const PAGE = 4096;
// 16 MiB: large enough that mapping costs little per byte, small enough that the pages held
// at once stay a small part of memory.
const WINDOW = 16 * 1024 * 1024;
const PROT_READ = 1;
const MAP_PRIVATE = 2;
const MAP_POPULATE = 0x8000;
const O_CLOEXEC = 0o2000000;
const AT_EMPTY_PATH = 0x1000;
const STATX_SIZE = 0x200;

/** Sequential views of a file's bytes `[start, end)`. */
export interface FileWindows {
  /**
   * Bytes `[from, from + want)` of the file, fewer only where the range (or the file) ends.
   * The view is valid until the next call or {@linkcode close}; `from` never decreases.
   */
  view(from: number, want: number): Uint8Array;
  /** Releases the file and the window. */
  close(): void;
}

/**
 * Opens `path` for sequential views of `[start, end)`.
 *
 * @example
 * ```ts
 * import { openFileWindows } from "./file_windows.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "hello, world\n");
 * const windows = openFileWindows(path);
 * try {
 *   assert.equal(new TextDecoder().decode(windows.view(7, 100)), "world\n");
 * } finally {
 *   windows.close();
 * }
 * await Deno.remove(path);
 * ```
 *
 * @param path The file.
 * @param start The first byte of the range.
 * @param end The byte after the range (Infinity: the end of the file).
 * @returns The views.
 * @throws {Deno.errors.NotFound} and the other errors of opening the file.
 */
export function openFileWindows(path: string, start = 0, end = Infinity): FileWindows {
  return MappedWindows.open(path, end) ?? new ReadWindows(Deno.openSync(path), start, end);
}

/** Views copied into one buffer with `read`, for where files cannot be mapped. */
class ReadWindows implements FileWindows {
  #buffer = new Uint8Array(256 * 1024);
  /** The file offset of `#buffer[0]`, and how many bytes of it are filled. */
  #base: number;
  #length = 0;
  #eof = false;

  constructor(readonly file: Deno.FsFile, start: number, readonly end: number) {
    this.#base = start;
    if (start > 0) file.seekSync(start, Deno.SeekMode.Start);
  }

  view(from: number, want: number): Uint8Array {
    const stop = Math.min(from + want, this.end);
    const keep = Math.max(0, this.#base + this.#length - from);
    if (keep === 0 && from !== this.#base + this.#length) {
      // A jump past what was read: start over at `from`.
      this.file.seekSync(from, Deno.SeekMode.Start);
    }
    if (from > this.#base) {
      this.#buffer.copyWithin(0, from - this.#base, this.#length);
      this.#base = from;
      this.#length = keep;
    }
    if (stop - from > this.#buffer.length) {
      const bigger = new Uint8Array(Math.max(stop - from, this.#buffer.length * 2));
      bigger.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = bigger;
    }
    while (!this.#eof && this.#base + this.#length < stop) {
      const n = this.file.readSync(
        this.#buffer.subarray(this.#length, stop - this.#base),
      );
      if (n === null || n === 0) this.#eof = true;
      else this.#length += n;
    }
    return this.#buffer.subarray(from - this.#base, Math.min(this.#length, stop - this.#base));
  }

  close(): void {
    this.file.close();
  }
}

/** Views into mapped windows of the file (Linux, FFI). */
class MappedWindows implements FileWindows {
  #pointer: Deno.PointerObject | null = null;
  #mapStart = 0;
  #mapBytes: Uint8Array = new Uint8Array(0);

  private constructor(readonly fd: number, readonly end: number) {}

  static open(path: string, end: number): MappedWindows | undefined {
    const c = loadLibc();
    const pathBytes = c?.statx ? cPath(path) : null;
    if (c === null || c.statx === null || pathBytes === null) return undefined;
    const fd = c.open(pathBytes, O_CLOEXEC);
    if (fd < 0) return undefined;
    // The size of the open file, not of a second lookup of the path: a view must never
    // reach past the end of what is mapped.
    const stat = new Uint8Array(256);
    if (c.statx(fd, new Uint8Array(1), AT_EMPTY_PATH, STATX_SIZE, stat) !== 0) {
      c.close(fd);
      return undefined;
    }
    const size = Number(new DataView(stat.buffer).getBigUint64(40, true));
    return new MappedWindows(fd, Math.min(size, end));
  }

  view(from: number, want: number): Uint8Array {
    const stop = Math.min(from + want, this.end);
    if (stop <= from) return new Uint8Array(0);
    const mapEnd = this.#mapStart + this.#mapBytes.length;
    if (this.#pointer === null || from < this.#mapStart || stop > mapEnd) this.#map(from, stop);
    return this.#mapBytes.subarray(from - this.#mapStart, stop - this.#mapStart);
  }

  #map(from: number, stop: number): void {
    this.#unmap();
    const c = loadLibc()!;
    const start = from - (from % PAGE);
    const length = Math.min(this.end, Math.max(stop, start + WINDOW)) - start;
    const pointer = c.mmap(
      null,
      BigInt(length),
      PROT_READ,
      MAP_PRIVATE | MAP_POPULATE,
      this.fd,
      BigInt(start),
    );
    if (pointer === null || Deno.UnsafePointer.value(pointer) === 0xffffffffffffffffn) {
      throw new Deno.errors.InvalidData(`cannot map ${length} bytes of the file at ${start}`);
    }
    this.#pointer = pointer;
    this.#mapStart = start;
    this.#mapBytes = new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(pointer, length));
  }

  #unmap(): void {
    if (this.#pointer === null) return;
    loadLibc()!.munmap(this.#pointer, BigInt(this.#mapBytes.length));
    this.#pointer = null;
    this.#mapBytes = new Uint8Array(0);
  }

  close(): void {
    this.#unmap();
    loadLibc()!.close(this.fd);
  }
}
