/**
 * Two-way sync of two notes folders, e.g. a local one and one on a mounted drive.
 *
 * Each side keeps, per peer, the SHA-256 of every file as it was after the last successful
 * sync (the "base"), in `<folder>/.kit/sync/<hash of the peer's real path>.json`. With the
 * base, a difference tells who changed: a side still equal to the base is the one to update.
 * When both changed, or there is no base, both versions are kept. Deletions go to
 * `<folder>/.trash/`, never straight away, so no sync ever loses text.
 *
 * The sync plans every action first, then applies them, then writes the state; a crash half
 * way leaves the old state, and the next run sees equal files as equal and carries on.
 *
 * @module
 */

import { join } from "../../lib/fs/path.ts";
import { atomicWrite } from "../../lib/fs/atomic_write.ts";

/** What happened, or would happen, to one file name. */
export interface SyncAction {
  /** File name in both folders, e.g. `ideas.md`. */
  name: string;
  /**
   * - `copy-to-remote` / `copy-to-local`: the file was new or changed on one side and was
   *   copied over the other.
   * - `delete-local` / `delete-remote`: the other side deleted it, so this side's copy was
   *   moved to `<folder>/.trash/`.
   * - `conflict`: both sides changed it; the newer version stays as `name` on both sides and
   *   the other one is saved as `conflictName` on both sides.
   * - `unchanged`: the same on both sides.
   */
  kind:
    | "copy-to-remote"
    | "copy-to-local"
    | "delete-local"
    | "delete-remote"
    | "conflict"
    | "unchanged";
  /** For `conflict`: where the older version went, e.g. `ideas.conflict-2025-01-31.md`. */
  conflictName?: string;
}

/** The outcome of {@linkcode syncFolders}. */
export interface SyncReport {
  /**
   * One action per file name in either folder, sorted by name. Unchanged files are included
   * with kind `unchanged`, so callers can count them; a CLI prints the others.
   */
  actions: SyncAction[];
}

/** Options for {@linkcode syncFolders}. */
export interface SyncOptions {
  /**
   * Work out and return the actions without touching either folder (nor the sync state).
   *
   * @default {false}
   */
  dryRun?: boolean;
  /**
   * The clock; its UTC date names conflict files.
   *
   * @default {() => new Date()}
   */
  now?: () => Date;
}

/** The defaults of {@linkcode SyncOptions}. */
export const DEFAULTS: Readonly<Required<SyncOptions>> = {
  dryRun: false,
  now: () => new Date(),
} satisfies SyncOptions;

/** A sync could not start or could not finish. */
export class SyncError extends Error {
  /** Always `"SyncError"`, for telling it apart after a catch. */
  override name = "SyncError";
}

/** Where the sync state lives inside each folder. */
const STATE_DIR = join(".kit", "sync");
/** Where deleted notes go inside each folder. */
const TRASH_DIR = ".trash";

interface FileState {
  bytes: Uint8Array;
  hash: string;
  mtime: Date | null;
  atime: Date | null;
}

interface Side {
  /** The folder as given. */
  dir: string;
  /** Its real path: the key the other side's state is stored under. */
  real: string;
  /** `*.md` files directly in the folder. */
  files: Map<string, FileState>;
  /** Every entry name in the folder, files or not, so new names avoid them. */
  taken: Set<string>;
}

interface StateFile {
  version: 1;
  peer: string;
  syncedAt: string;
  files: Record<string, string>;
}

interface Planned extends SyncAction {
  /** For `conflict`: which side's version keeps the name. */
  winner?: "local" | "remote";
}

/**
 * Syncs the `*.md` files directly in `local` and `remote` both ways. Sub-folders, names
 * starting with `.` and symbolic links are left alone.
 *
 * Per file name: equal on both sides, nothing to do; on one side only, copied to the other,
 * unless the other side deleted it since the last sync (then it goes to `.trash/`; an edit
 * since the last sync beats the delete and is copied back); different, the side that changed
 * since the last sync is copied over the other, and when both changed (or they never synced)
 * the newer file by mtime keeps the name and the other is kept as
 * `<slug>.conflict-<YYYY-MM-DD>.md` on both sides. Copies keep their mtime.
 *
 * @example
 * ```ts
 * import { syncFolders } from "./sync.ts";
 * import assert from "node:assert/strict";
 *
 * const local = await Deno.makeTempDir();
 * const remote = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${local}/a.md`, "# A\n");
 * await Deno.writeTextFile(`${remote}/b.md`, "# B\n");
 *
 * const first = await syncFolders(local, remote);
 * assert.deepEqual(first.actions, [
 *   { name: "a.md", kind: "copy-to-remote" },
 *   { name: "b.md", kind: "copy-to-local" },
 * ]);
 * assert.equal(await Deno.readTextFile(`${remote}/a.md`), "# A\n");
 *
 * const second = await syncFolders(local, remote);
 * assert.ok(second.actions.every((action) => action.kind === "unchanged"));
 *
 * await Deno.remove(local, { recursive: true });
 * await Deno.remove(remote, { recursive: true });
 * ```
 *
 * @param local The local notes folder; its state file is keyed by `remote`'s real path.
 * @param remote The other notes folder; its state file is keyed by `local`'s real path.
 * @param options Dry run and clock.
 * @returns The actions, one per file name, sorted by name.
 * @throws {SyncError} When a side is not a folder, both are the same folder, or a file
 * changed while the sync was writing over it.
 */
export async function syncFolders(
  local: string,
  remote: string,
  options: SyncOptions = {},
): Promise<SyncReport> {
  const dryRun = options.dryRun ?? DEFAULTS.dryRun;
  const now = options.now ?? DEFAULTS.now;

  const localReal = await folderPath(local);
  const remoteReal = await folderPath(remote);
  if (localReal === remoteReal) {
    throw new SyncError(`Cannot sync: "${local}" and "${remote}" are the same folder`);
  }
  const [localSide, remoteSide] = await Promise.all([
    readSide(local, localReal),
    readSide(remote, remoteReal),
  ]);
  const localStatePath = await statePath(localSide, remoteReal);
  const remoteStatePath = await statePath(remoteSide, localReal);
  const base = await readBase(localStatePath, remoteStatePath);

  const plan = planSync(localSide, remoteSide, base, now());
  const actions = plan.map(({ name, kind, conflictName }): SyncAction =>
    conflictName === undefined ? { name, kind } : { name, kind, conflictName }
  );
  if (dryRun) return { actions };

  const next: Record<string, string> = {};
  for (const action of plan) {
    await apply(action, localSide, remoteSide, next);
  }
  const syncedAt = now().toISOString();
  await writeState(localStatePath, { version: 1, peer: remoteReal, syncedAt, files: next });
  await writeState(remoteStatePath, { version: 1, peer: localReal, syncedAt, files: next });
  return { actions };
}

async function folderPath(dir: string): Promise<string> {
  try {
    const real = await Deno.realPath(dir);
    if ((await Deno.stat(real)).isDirectory) return real;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) {
      throw error;
    }
  }
  throw new SyncError(`Cannot sync: "${dir}" is not a folder`);
}

async function readSide(dir: string, real: string): Promise<Side> {
  const side: Side = { dir, real, files: new Map(), taken: new Set() };
  for await (const entry of Deno.readDir(dir)) {
    side.taken.add(entry.name);
    if (!entry.isFile || entry.name.startsWith(".") || !entry.name.endsWith(".md")) continue;
    side.files.set(entry.name, await readFileState(join(dir, entry.name)));
  }
  return side;
}

async function readFileState(path: string): Promise<FileState> {
  const bytes = await Deno.readFile(path);
  const info = await Deno.stat(path);
  return { bytes, hash: await sha256(bytes), mtime: info.mtime, atime: info.atime };
}

async function sha256(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function statePath(side: Side, peerReal: string): Promise<string> {
  return join(side.dir, STATE_DIR, `${(await sha256(peerReal)).slice(0, 16)}.json`);
}

/**
 * The base from the two state files. They are written together, so they normally agree;
 * after a crash between the two writes the later one is the truth. A missing or unreadable
 * state only means "no base", which is safe: it turns would-be copies into conflicts.
 */
async function readBase(localPath: string, remotePath: string): Promise<Map<string, string>> {
  const [a, b] = await Promise.all([readState(localPath), readState(remotePath)]);
  const state = a && b ? (b.syncedAt > a.syncedAt ? b : a) : a ?? b;
  return new Map(state ? Object.entries(state.files) : []);
}

async function readState(path: string): Promise<StateFile | undefined> {
  try {
    const state = JSON.parse(await Deno.readTextFile(path));
    if (state?.version === 1 && typeof state.files === "object" && state.files !== null) {
      return state as StateFile;
    }
  } catch { /* missing or damaged: no base */ }
  return undefined;
}

async function writeState(path: string, state: StateFile): Promise<void> {
  const files: Record<string, string> = {};
  for (const name of Object.keys(state.files).sort()) files[name] = state.files[name];
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await atomicWrite(path, JSON.stringify({ ...state, files }, null, 2) + "\n");
}

function planSync(
  local: Side,
  remote: Side,
  base: Map<string, string>,
  now: Date,
): Planned[] {
  const names = [...new Set([...local.files.keys(), ...remote.files.keys()])].sort();
  const taken = new Set([...local.taken, ...remote.taken]);
  const date = now.toISOString().slice(0, 10);
  const plan: Planned[] = [];
  for (const name of names) {
    const l = local.files.get(name);
    const r = remote.files.get(name);
    const was = base.get(name);
    if (l && r) {
      if (l.hash === r.hash) plan.push({ name, kind: "unchanged" });
      else if (was === l.hash) plan.push({ name, kind: "copy-to-local" });
      else if (was === r.hash) plan.push({ name, kind: "copy-to-remote" });
      else {
        const winner = (r.mtime?.getTime() ?? 0) > (l.mtime?.getTime() ?? 0) ? "remote" : "local";
        const conflictName = freeName(name.slice(0, -".md".length), `.conflict-${date}`, taken);
        plan.push({ name, kind: "conflict", conflictName, winner });
      }
    } else if (l) {
      plan.push({ name, kind: was === l.hash ? "delete-local" : "copy-to-remote" });
    } else if (r) {
      plan.push({ name, kind: was === r.hash ? "delete-remote" : "copy-to-local" });
    }
  }
  for (const action of plan) {
    const blocker = action.kind === "copy-to-local"
      ? local
      : action.kind === "copy-to-remote"
      ? remote
      : undefined;
    if (blocker && blocker.taken.has(action.name) && !blocker.files.has(action.name)) {
      throw new SyncError(
        `Cannot sync "${action.name}": "${join(blocker.dir, action.name)}" is not a note file`,
      );
    }
  }
  return plan;
}

/** `<slug><suffix>.md`, or with `-2`, `-3` ... when that name is taken; marks it taken. */
function freeName(slug: string, suffix: string, taken: Set<string>): string {
  let name = `${slug}${suffix}.md`;
  for (let n = 2; taken.has(name); n++) name = `${slug}${suffix}-${n}.md`;
  taken.add(name);
  return name;
}

async function apply(
  action: Planned,
  local: Side,
  remote: Side,
  next: Record<string, string>,
): Promise<void> {
  const { name } = action;
  const l = local.files.get(name);
  const r = remote.files.get(name);
  switch (action.kind) {
    case "unchanged":
      next[name] = l!.hash;
      return;
    case "copy-to-remote":
      await copy(l!, remote, name, r?.hash);
      next[name] = l!.hash;
      return;
    case "copy-to-local":
      await copy(r!, local, name, l?.hash);
      next[name] = r!.hash;
      return;
    case "delete-local":
      await moveToTrash(local, name);
      return;
    case "delete-remote":
      await moveToTrash(remote, name);
      return;
    case "conflict": {
      const [win, lose, loser] = action.winner === "remote" ? [r!, l!, local] : [l!, r!, remote];
      const conflictName = action.conflictName!;
      // Save the losing version on both sides before its file is overwritten.
      await copy(lose, local, conflictName, undefined);
      await copy(lose, remote, conflictName, undefined);
      await copy(win, loser, name, lose.hash);
      next[name] = win.hash;
      next[conflictName] = lose.hash;
      return;
    }
  }
}

/**
 * Writes `file` as `side/name`, keeping its mtime. `expected` is the hash the file being
 * replaced had when the sync was planned (undefined: it must not exist); an edit made since
 * then stops the sync instead of being overwritten.
 */
async function copy(
  file: FileState,
  side: Side,
  name: string,
  expected: string | undefined,
): Promise<void> {
  const path = join(side.dir, name);
  let current: string | undefined;
  try {
    current = await sha256(await Deno.readFile(path));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (current !== expected) {
    throw new SyncError(`Cannot sync "${name}": "${path}" changed during the sync; run it again`);
  }
  await atomicWrite(path, file.bytes);
  if (file.mtime) await Deno.utime(path, file.atime ?? file.mtime, file.mtime);
}

/** Moves `side/name` to `side/.trash/`, under a new name if the trash already has one. */
async function moveToTrash(side: Side, name: string): Promise<void> {
  const trash = join(side.dir, TRASH_DIR);
  await Deno.mkdir(trash, { recursive: true });
  const inTrash = new Set<string>();
  for await (const entry of Deno.readDir(trash)) inTrash.add(entry.name);
  const target = inTrash.has(name) ? freeName(name.slice(0, -".md".length), "", inTrash) : name;
  await Deno.rename(join(side.dir, name), join(trash, target));
}
