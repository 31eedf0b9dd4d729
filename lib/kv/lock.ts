/**
 * The one-writer rule: an exclusive flock on `LOCK` in the store's folder.
 *
 * flock rather than a PID file because the kernel drops it when the holder dies, even by SIGKILL,
 * so a crashed writer never leaves a stale lock behind.
 *
 * @module
 */

import { KvError } from "./errors.ts";

/**
 * Takes the store's write lock or throws `KvError` kind "locked".
 *
 * @example
 * ```ts
 * import { acquireLock } from "./lock.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const lock = acquireLock(dir);
 * assert.throws(() => acquireLock(dir), { name: "KvError" });
 * lock.close();
 * acquireLock(dir).close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The store's folder.
 * @returns The open lock file; closing it releases the lock.
 */
export function acquireLock(dir: string): Deno.FsFile {
  const path = `${dir}/LOCK`;
  const file = Deno.openSync(path, { read: true, write: true, create: true });
  let locked = false;
  try {
    locked = file.tryLockSync(true);
  } catch (e) {
    file.close();
    throw new KvError("io", `Cannot lock "${path}": ${(e as Error).message}`, { cause: e });
  }
  if (!locked) {
    file.close();
    throw new KvError("locked", `Cannot open "${dir}": locked by another writer`);
  }
  return file;
}
