/**
 * Positioned reads of segment files: from a memory mapping for a sealed segment, else one
 * pread(2) through FFI where the C library can be loaded, else a seek and a read through Deno.
 * A seek and a read are two ops (~3 µs per 142-byte record here), pread one call (~1 µs),
 * a copy out of a mapping no call at all (~0.1 µs); the read was most of what a get cost.
 *
 * @module
 */

/** An open file that reads at an offset. */
export interface Reader {
  /** Reads up to `buf.length` bytes at `position`; returns how many (0 at the end). */
  read(buf: Uint8Array, position: number): number;
  /** Closes the file. */
  close(): void;
}

interface Libc {
  open(path: Uint8Array, flags: number): number;
  pread(fd: number, buf: Uint8Array, count: number, offset: number): number | bigint;
  close(fd: number): number;
  mmap(
    addr: null,
    length: number,
    prot: number,
    flags: number,
    fd: number,
    offset: number,
  ): Deno.PointerValue;
  munmap(addr: Deno.PointerValue, length: number): number;
}

const PROT_READ = 1;
const MAP_SHARED = 1;

// Loaded once when the module loads, not on first use: the library stays open for the life of
// the process, and loading it inside one caller (a test) would look like that caller's leak.
const libc: Libc | null = loadLibc();

function loadLibc(): Libc | null {
  let libc: Libc | null = null;
  try {
    if (Deno.build.os !== "linux" && Deno.build.os !== "darwin") return libc;
    // Asked first so that a run without --allow-ffi falls back quietly instead of prompting.
    if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return libc;
    if (Deno.env.get("KIT_KV_FFI") === "off") return libc;
    const lib = Deno.dlopen(
      Deno.build.os === "darwin" ? "libc.dylib" : "libc.so.6",
      {
        open: { parameters: ["buffer", "i32"], result: "i32" },
        pread: { parameters: ["i32", "buffer", "usize", "i64"], result: "isize" },
        close: { parameters: ["i32"], result: "i32" },
        mmap: { parameters: ["pointer", "usize", "i32", "i32", "i32", "i64"], result: "pointer" },
        munmap: { parameters: ["pointer", "usize"], result: "i32" },
      } as const,
    );
    libc = lib.symbols as unknown as Libc;
  } catch {
    // No FFI permission or no such library: Deno's seek and read it is.
  }
  return libc;
}

const encoder = new TextEncoder();

/**
 * Opens `path` for positioned reads.
 *
 * @example
 * ```ts
 * import { openReader } from "./_reader.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/f`, "hello world");
 * const r = openReader(`${dir}/f`);
 * const buf = new Uint8Array(5);
 * assert.equal(r.read(buf, 6), 5);
 * assert.equal(new TextDecoder().decode(buf), "world");
 * r.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function openReader(path: string, mapLength = 0): Reader {
  const c = libc;
  if (c !== null) {
    const fd = c.open(encoder.encode(path + "\0"), 0 /* O_RDONLY */);
    if (fd >= 0 && mapLength > 0) {
      const mapped = mapReader(c, fd, mapLength);
      if (mapped !== null) return mapped;
    }
    if (fd >= 0) {
      return {
        read: (buf, position) => {
          const n = Number(c.pread(fd, buf, buf.length, position));
          if (n < 0) throw new Error(`pread failed on "${path}"`);
          return n;
        },
        close: () => void c.close(fd),
      };
    }
    // Fall through so Deno reports the error (not found, permission) in its own words.
  }
  const file = Deno.openSync(path, { read: true });
  return {
    read: (buf, position) => {
      file.seekSync(position, Deno.SeekMode.Start);
      let n = 0;
      while (n < buf.length) {
        const r = file.readSync(buf.subarray(n));
        if (r === null) break;
        n += r;
      }
      return n;
    },
    close: () => file.close(),
  };
}

// Maps `length` bytes of a segment that will not change any more: a get then copies its record
// out of the page cache with no system call. Only bytes below `length` are ever read, and a
// segment is never cut below what a reader has loaded, so the mapping cannot fault.
function mapReader(c: Libc, fd: number, length: number): Reader | null {
  const pointer = c.mmap(null, length, PROT_READ, MAP_SHARED, fd, 0);
  if (pointer === null || Deno.UnsafePointer.value(pointer) === 0xffff_ffff_ffff_ffffn) {
    return null; // fd stays open for the pread reader
  }
  c.close(fd);
  let bytes: Uint8Array | null = new Uint8Array(
    Deno.UnsafePointerView.getArrayBuffer(pointer, length),
  );
  return {
    read: (buf, position) => {
      const n = Math.max(0, Math.min(buf.length, length - position));
      buf.set(bytes!.subarray(position, position + n));
      return n;
    },
    close: () => {
      bytes = null;
      c.munmap(pointer, length);
    },
  };
}
