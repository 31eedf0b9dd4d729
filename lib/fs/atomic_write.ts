/**
 * Replacing a file so that readers see the old or the new content, never a mix.
 *
 * @module
 */

import { basename, dirname, join } from "./path.ts";

/** Options for {@linkcode atomicWrite}. */
export interface AtomicWriteOptions {
  /** File mode for a new file. @default 0o644 */
  mode?: number;
  /** Flush to disk before and after the rename. @default true */
  fsync?: boolean;
}

const encoder = new TextEncoder();
let counter = 0;

/**
 * Writes `data` to a temporary file in the same folder, fsyncs it, renames it over `path`,
 * then fsyncs the folder, so a crash leaves either the old file or the new one.
 *
 * @example
 * ```ts
 * import { atomicWrite } from "./atomic_write.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await atomicWrite(`${dir}/a.txt`, "one");
 * await atomicWrite(`${dir}/a.txt`, "two");
 * assert.equal(await Deno.readTextFile(`${dir}/a.txt`), "two");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param path The file to replace or create.
 * @param data Text or bytes.
 * @param options Mode and fsync.
 */
export async function atomicWrite(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${Deno.pid}.${Date.now()}.${counter++}.tmp`);
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const sync = options.fsync ?? true;
  let mode = options.mode ?? 0o644;
  let replacing = false;
  try {
    const existing = (await Deno.stat(path)).mode;
    if (existing !== null) [mode, replacing] = [existing & 0o7777, true];
  } catch { /* a new file */ }
  const file = await Deno.open(temp, { write: true, createNew: true, mode });
  try {
    // open() applies the umask, which would narrow a replaced 0o664 file to 0o644.
    if (replacing && Deno.build.os !== "windows") await Deno.chmod(temp, mode);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    if (sync) await file.sync();
  } catch (error) {
    file.close();
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
  file.close();
  try {
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
  if (sync) await syncDir(dir);
}

/**
 * fsyncs a folder, so that the names in it (a rename, a new file) survive a power cut. Some
 * filesystems cannot fsync a folder; that is not an error, since a rename is atomic anyway.
 *
 * @example
 * ```ts
 * import { syncDir } from "./atomic_write.ts";
 * await syncDir(await Deno.makeTempDir());
 * ```
 *
 * @param dir The folder.
 */
export async function syncDir(dir: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  try {
    const handle = await Deno.open(dir, { read: true });
    try {
      await handle.sync();
    } finally {
      handle.close();
    }
  } catch { /* some filesystems cannot fsync a folder; the rename is still atomic */ }
}
