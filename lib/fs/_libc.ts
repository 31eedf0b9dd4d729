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
  read(fd: number, buffer: Uint8Array, count: bigint): bigint;
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

/** `statx`'s `dirfd` for a path relative to the current folder. */
export const AT_FDCWD = -100;
/** `statx`'s flag for stat-ing `dirfd` itself (an open file) with an empty path. */
export const AT_EMPTY_PATH = 0x1000;
const STATX_BASIC_STATS = 0x7ff;
// struct statx is 256 bytes; the fields read here sit at fixed offsets in its ABI.
const statxBuffer = new Uint8Array(256);
const statxView = new DataView(statxBuffer.buffer);
const STX_INO = 32;
const STX_SIZE = 40;
const STX_MTIME = 112;

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
  const statx = loadLibc()?.statx;
  if (!statx || statx(dirfd, path, flags, STATX_BASIC_STATS, statxBuffer) !== 0) return null;
  const seconds = Number(statxView.getBigInt64(STX_MTIME, true));
  const nanos = statxView.getUint32(STX_MTIME + 8, true);
  return {
    mtimeMs: seconds * 1000 + Math.floor(nanos / 1e6),
    size: Number(statxView.getBigUint64(STX_SIZE, true)),
    ino: Number(statxView.getBigUint64(STX_INO, true)),
  };
}
