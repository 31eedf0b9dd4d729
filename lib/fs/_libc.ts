/**
 * The C library through FFI, for the few calls where Deno's ops cost more than the work:
 * opening, reading and stat-ing tens of thousands of small files, and mapping a large file
 * instead of copying it. `null` where FFI is not
 * there (Windows, no permission, `KIT_FS_FFI=off`); callers then take Deno's way.
 *
 * @module
 */

/** The calls bound; `statx` and `getdents64` are Linux's (glibc 2.28+, 2.30+), null elsewhere. */
export interface Libc {
  open(path: Uint8Array, flags: number): number;
  read(fd: number, buffer: Uint8Array, count: number | bigint): number | bigint;
  close(fd: number): number;
  statx:
    | ((dirfd: number, path: Uint8Array, flags: number, mask: number, out: Uint8Array) => number)
    | null;
  mmap(
    address: null,
    length: bigint,
    protection: number,
    flags: number,
    fd: number,
    offset: bigint,
  ): Deno.PointerValue;
  munmap(address: Deno.PointerValue, length: bigint): number;
  getdents64: ((fd: number, buffer: Uint8Array, count: bigint) => bigint) | null;
}

let libc: Libc | null | undefined;

/**
 * The bound C library, loaded on first use.
 *
 * @example
 * ```ts
 * import { loadLibc } from "./_libc.ts";
 * const c = loadLibc();
 * if (c !== null) console.log(typeof c.open);
 * ```
 *
 * @returns The calls, or null when FFI is unavailable.
 */
export function loadLibc(): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  try {
    if (Deno.build.os !== "linux" && Deno.build.os !== "darwin") return libc;
    if (Deno.env.get("KIT_FS_FFI") === "off") return libc;
    const lib = Deno.dlopen(
      Deno.build.os === "darwin" ? "libc.dylib" : "libc.so.6",
      {
        open: { parameters: ["buffer", "i32"], result: "i32" },
        read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
        close: { parameters: ["i32"], result: "i32" },
        mmap: { parameters: ["pointer", "usize", "i32", "i32", "i32", "i64"], result: "pointer" },
        munmap: { parameters: ["pointer", "usize"], result: "i32" },
        getdents64: {
          parameters: ["i32", "buffer", "usize"],
          result: "isize",
          optional: true,
        },
        statx: {
          parameters: ["i32", "buffer", "i32", "u32", "buffer"],
          result: "i32",
          optional: true,
        },
      } as const,
    );
    libc = lib.symbols as unknown as Libc;
    if (Deno.build.os !== "linux") {
      libc.statx = null;
      libc.getdents64 = null;
    }
  } catch {
    // No FFI permission or no such library: the caller's usual path it is.
  }
  return libc;
}

const encoder = new TextEncoder();
const pathBytes = new Uint8Array(4097);

/**
 * `path` as a NUL-terminated C string in a shared buffer, valid until the next call.
 *
 * @example
 * ```ts
 * import { cPath } from "./_libc.ts";
 * console.log(cPath("/tmp")?.[4]); // 0
 * ```
 *
 * @param path The path.
 * @returns The bytes, or null when the path is too long for the buffer.
 */
export function cPath(path: string): Uint8Array | null {
  // Most paths are ASCII: copying char codes costs less than encodeInto's checks per call,
  // which show at tens of thousands of calls.
  const n = path.length;
  if (n < pathBytes.length) {
    let i = 0;
    for (; i < n; i++) {
      const code = path.charCodeAt(i);
      if (code > 0x7f) break;
      pathBytes[i] = code;
    }
    if (i === n) {
      pathBytes[n] = 0;
      return pathBytes;
    }
  }
  const { read, written } = encoder.encodeInto(path, pathBytes);
  if (read < path.length || written >= pathBytes.length - 1) return null;
  pathBytes[written] = 0;
  return pathBytes;
}

/** `open` flag: the descriptor is closed in a child process after exec. */
export const O_CLOEXEC = 0o2000000;
/**
 * `open` flag: refuse anything but a folder (a FIFO opened by mistake would block). Its value
 * differs between architectures.
 */
export const O_DIRECTORY: number = Deno.build.arch === "aarch64" ? 0o40000 : 0o200000;

/** `statx`'s `dirfd` for a path relative to the current folder. */
export const AT_FDCWD = -100;
/** `statx`'s flag for stat-ing `dirfd` itself (an open file) with an empty path. */
export const AT_EMPTY_PATH = 0x1000;
/** The statx fields asked for: type and mode, inode, size and modification time. */
const STATX_MASK = 0x0001 | 0x0002 | 0x0100 | 0x0200 | 0x0040;
// struct statx is 256 bytes; the fields read here sit at fixed offsets in its ABI, read as
// 32-bit halves because a BigInt per field costs more than the system call at 10,000 files.
const statxWords = new Uint32Array(64);
const statxBuffer = new Uint8Array(statxWords.buffer);
const STX_INO = 32 / 4;
const STX_SIZE = 40 / 4;
const STX_MTIME = 112 / 4;

/** An unsigned 64-bit field as a number (exact below 2^53). */
function u64(word: number): number {
  return statxWords[word + 1] * 0x1_0000_0000 + statxWords[word];
}

/**
 * `statx` (Linux) of `path` relative to `dirfd`, following links, into `out[at..at+3)`:
 * modification time in whole ms, size and inode. The allocation-free form of
 * {@linkcode statxFields}, for stat-ing thousands of files in a row.
 *
 * @example
 * ```ts
 * import { AT_FDCWD, cPath, statxInto } from "./_libc.ts";
 * const out = new Float64Array(3);
 * if (statxInto(AT_FDCWD, cPath("/tmp")!, 0, out, 0)) console.log(out[1] >= 0);
 * ```
 *
 * @param dirfd A folder's descriptor, {@linkcode AT_FDCWD}, or with {@linkcode AT_EMPTY_PATH}
 *   the file itself.
 * @param path A NUL-terminated path (see {@linkcode cPath}).
 * @param flags `statx` flags.
 * @param out Where the three numbers go.
 * @param at The index of the first.
 * @returns False when it failed or there is no statx (the caller then asks Deno, which
 *   reports why).
 */
export function statxInto(
  dirfd: number,
  path: Uint8Array,
  flags: number,
  out: Float64Array,
  at: number,
): boolean {
  const statx = loadLibc()?.statx;
  if (!statx || statx(dirfd, path, flags, STATX_MASK, statxBuffer) !== 0) return false;
  // tv_sec is signed: the high word holds its sign.
  const seconds = (statxWords[STX_MTIME + 1] | 0) * 0x1_0000_0000 + statxWords[STX_MTIME];
  out[at] = seconds * 1000 + Math.floor(statxWords[STX_MTIME + 2] / 1e6);
  out[at + 1] = u64(STX_SIZE);
  out[at + 2] = u64(STX_INO);
  return true;
}

const fieldsOut = new Float64Array(3);

/**
 * `statx` (Linux) of `path` relative to `dirfd`, following links: the fields a change check
 * and a mapping need.
 *
 * @example
 * ```ts
 * import { AT_FDCWD, cPath, statxFields } from "./_libc.ts";
 * const fields = statxFields(AT_FDCWD, cPath("/tmp")!, 0);
 * if (fields !== null) console.log(fields.size >= 0);
 * ```
 *
 * @param dirfd A folder's descriptor, {@linkcode AT_FDCWD}, or with {@linkcode AT_EMPTY_PATH}
 *   the file itself.
 * @param path A NUL-terminated path (see {@linkcode cPath}).
 * @param flags `statx` flags.
 * @returns Modification time (whole ms), size and inode; null when it failed or there is no
 *   statx (the caller then asks Deno, which reports why).
 */
export function statxFields(
  dirfd: number,
  path: Uint8Array,
  flags: number,
): { mtimeMs: number; size: number; ino: number } | null {
  if (!statxInto(dirfd, path, flags, fieldsOut, 0)) return null;
  return { mtimeMs: fieldsOut[0], size: fieldsOut[1], ino: fieldsOut[2] };
}
