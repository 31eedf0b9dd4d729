/**
 * A parallel directory walker on Workers, after the work-sharing of ripgrep's
 * `WalkParallel`: the walk is cut into folder tasks; each worker lists a folder, decides its
 * entries with the same rules as {@linkcode walkSync} (`walk_rules.ts`), hands the files to
 * its own handler (a search, a listing) and keeps the subfolders on a local stack, walking
 * depth-first. A worker that runs dry says so; the main thread raises a shared "hungry"
 * counter, and a busy worker that sees it gives away the bottom half of its stack (the
 * shallowest folders, the largest pieces of work), which the main thread passes on.
 *
 * Ignore state travels with the task: a task carries the chain of its ancestor folders that
 * hold ignore files (their paths, which ignore files each holds, its `.git`). A worker builds
 * a folder's scope from that chain, reading and parsing each ignore file at most once and
 * caching the scope by folder path, so a worker that walks a whole subtree reads each file
 * once, and one that receives a shared task reads only the few files above it. Only the
 * worker that lists a folder reports bad lines in its ignore files, so each is reported once.
 *
 * Depth-first on each worker because wide trees with many ignore files blow up a
 * breadth-first queue (ripgrep's reasoning too), and because the local stack is what can be
 * split in halves when another worker is hungry.
 *
 * @module
 */

import { type OverrideGlob, Overrides, type OverridesOptions } from "./ignore.ts";
import { type DirEntry, readDirEntries } from "./read_dir.ts";
import { type WalkEntry, WalkError, type WalkErrorKind, type WalkOptions } from "./walk.ts";
import {
  type FolderIgnores,
  ioError,
  overMaxFilesize,
  type ResolvedWalkOptions,
  resolveEntry,
  resolveWalkOptions,
  type Scope,
  type WalkRules,
  walkRules,
} from "./walk_rules.ts";

/** `-g` globs as data, so they can be sent to a worker and compiled there. */
export interface OverridesInit {
  /** The globs, as for the {@linkcode Overrides} constructor. */
  globs: (string | OverrideGlob)[];
  /** The folder globs are relative to, and case handling. @default {} */
  options?: OverridesOptions;
}

/**
 * {@linkcode WalkOptions} that can cross to a worker: plain data only. `filter` is given to
 * each worker's {@linkcode WalkWorker} instead; `sort` has no meaning in a parallel walk.
 */
export interface WalkSpec extends Omit<WalkOptions, "overrides" | "filter" | "onError" | "sort"> {
  /** `-g` globs, compiled on each worker. @default no globs */
  overrides?: OverridesInit;
}

/** A folder an ancestor-following walk must not enter again (with `followLinks`). */
export interface WalkAncestor {
  /** The folder's path as walked. */
  path: string;
  dev: number;
  ino: number;
}

/** One folder to list: all a worker needs to decide its entries. */
export interface DirTask {
  /** Which root (an index into the walk's roots) the folder is under. */
  root: number;
  /** The folder's path with a trailing `/`. */
  prefix: string;
  /** The depth of the folder's entries: 1 for the root's own. */
  depth: number;
  /** The folders from the root down to this one's parent that hold ignore files. */
  chain: FolderIgnores[];
  /** With `followLinks`: the folders from the root down to this one, to find loops. */
  ancestors: WalkAncestor[];
}

/** What listing one folder gave. */
export interface DirVisit {
  /** The files to yield. */
  files: WalkEntry[];
  /** The subfolders to walk. */
  dirs: DirTask[];
}

/** Options for {@linkcode DirWalker}. */
export interface DirWalkerOptions {
  /** As {@linkcode WalkOptions.filter}, for files. @default no filter */
  filter?: WalkOptions["filter"];
  /** Receives what went wrong; the walk goes on. @default errors are dropped */
  onError?: (error: WalkError) => void;
}

/**
 * Lists folders of a walk one task at a time, deciding each entry as {@linkcode walkSync}
 * does. One per thread; it caches the walk-wide rules of each root and the scope of every
 * folder with ignore files it has seen.
 *
 * @example
 * ```ts
 * import { DirWalker, rootTask } from "./walk_parallel.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/.ignore`, "*.log\n");
 * await Deno.mkdir(`${dir}/sub`);
 * for (const name of ["a.txt", "b.log", "sub/c.log"]) await Deno.writeTextFile(`${dir}/${name}`, "");
 * const walker = new DirWalker([dir], { gitGlobal: false });
 * const first = walker.visit(rootTask(0, dir));
 * assert.deepEqual(first.files.map((f) => f.name), ["a.txt"]);
 * // Another thread's walker takes the subfolder: the .ignore above it travels in the task.
 * const other = new DirWalker([dir], { gitGlobal: false });
 * assert.deepEqual(other.visit(first.dirs[0]).files, []);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class DirWalker {
  readonly #roots: string[];
  readonly #options: ResolvedWalkOptions;
  readonly #rules: WalkRules[] = [];
  /** Scopes by root and folder prefix, for folders that hold ignore files. */
  readonly #scopes = new Map<string, Scope>();

  /**
   * @param roots The walk's root folders, as written.
   * @param spec The walk's options.
   * @param options The file filter and error sink.
   */
  constructor(roots: string[], spec: WalkSpec, options: DirWalkerOptions = {}) {
    this.#roots = roots;
    const { overrides, ...rest } = spec;
    this.#options = resolveWalkOptions({
      ...rest,
      overrides: overrides && new Overrides(overrides.globs, overrides.options),
      filter: options.filter,
      onError: options.onError,
    });
  }

  #rulesOf(root: number): WalkRules {
    // The walk-wide files were read, and their problems reported, by the coordinator.
    return this.#rules[root] ??= walkRules(this.#roots[root], this.#options, true);
  }

  /** The scope of the entries of the folder whose ancestors with ignore files are `chain`. */
  #scopeOf(root: number, rules: WalkRules, chain: FolderIgnores[]): Scope {
    let i = chain.length;
    let scope: Scope | undefined;
    while (i > 0 && (scope = this.#scopes.get(`${root}:${chain[i - 1].prefix}`)) === undefined) i--;
    scope ??= rules.rootScope;
    for (; i < chain.length; i++) {
      // Quiet: the thread that listed that folder has reported its bad lines.
      scope = rules.scopeOf(scope, chain[i], true);
      this.#scopes.set(`${root}:${chain[i].prefix}`, scope);
    }
    return scope;
  }

  /**
   * Lists one folder and decides its entries.
   *
   * @param task The folder.
   * @returns Its files that pass the rules and its subfolders to walk next.
   */
  visit(task: DirTask): DirVisit {
    const files: WalkEntry[] = [];
    const dirs: DirTask[] = [];
    const { maxDepth, followLinks, maxFilesize, onError } = this.#options;
    const rules = this.#rulesOf(task.root);
    const { prefix, depth } = task;
    let entries: DirEntry[];
    try {
      entries = readDirEntries(prefix.slice(0, -1));
    } catch (error) {
      onError(ioError(error, prefix.slice(0, -1)));
      return { files, dirs };
    }
    let scope = this.#scopeOf(task.root, rules, task.chain);
    let chain = task.chain;
    const own = rules.ignoresOf(prefix, entries);
    if (own !== undefined) {
      scope = rules.scopeOf(scope, own);
      this.#scopes.set(`${task.root}:${prefix}`, scope);
      chain = [...chain, own];
    }
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const name = entry.name;
      const path = prefix + name;
      const resolved = resolveEntry(entry, path, followLinks, (dev, ino) => {
        return task.ancestors.find((a) => a.dev === dev && a.ino === ino)?.path;
      }, onError);
      if (resolved === undefined) continue;
      let info = resolved.info;
      if (resolved.isDir) {
        // Entries at maxDepth are listed, their contents are not.
        if (depth >= maxDepth) continue;
        if (rules.skip(path, name, true, scope)) continue;
        let ancestors = task.ancestors;
        if (followLinks) {
          try {
            info ??= Deno.statSync(path);
            ancestors = [...ancestors, { path, dev: info.dev, ino: info.ino ?? 0 }];
          } catch { /* vanished since listed: its listing will say so */ }
        }
        dirs.push({ root: task.root, prefix: `${path}/`, depth: depth + 1, chain, ancestors });
      } else if (resolved.isFile) {
        if (rules.skip(path, name, false, scope)) continue;
        if (overMaxFilesize(path, info, maxFilesize)) continue;
        files.push({ path, name, depth });
      }
    }
    return { files, dirs };
  }
}

/**
 * The task for a root folder.
 *
 * @param root The root's index among the walk's roots.
 * @param path The root folder, as written.
 * @param followLinks Record the root's identity, to find links back to it. @default false
 * @returns The task.
 */
export function rootTask(root: number, path: string, followLinks = false): DirTask {
  const prefix = path.endsWith("/") ? path : `${path}/`;
  const ancestors: WalkAncestor[] = [];
  if (followLinks) {
    try {
      const info = Deno.statSync(path);
      ancestors.push({ path: prefix.slice(0, -1), dev: info.dev, ino: info.ino ?? 0 });
    } catch { /* its listing will report it */ }
  }
  return { root, prefix, depth: 1, chain: [], ancestors };
}

/** Messages the coordinator sends a worker. */
export type WalkRequest =
  | { type: "walk-start"; roots: string[]; spec: WalkSpec; hungry: SharedArrayBuffer }
  | { type: "walk-tasks"; tasks: DirTask[] };

/** Messages a worker sends the coordinator (its handler's own messages go beside them). */
export type WalkReply =
  | { type: "walk-share"; tasks: DirTask[] }
  | { type: "walk-idle" }
  | { type: "walk-error"; message: string; path: string; kind: WalkErrorKind };

/** What a worker does with the files it finds. */
export interface WalkHandler {
  /** Called for each file, in the order found; may be async (a compressed file's search). */
  file(entry: WalkEntry, root: number): void | Promise<void>;
  /**
   * Called after each folder, so results go out in batches; `idle` when the worker has no
   * folder left: everything must be posted then, before the worker says it is idle.
   */
  flush(idle: boolean): void;
}

/** Options for {@linkcode WalkWorker}. */
export interface WalkWorkerOptions {
  /** Posts a message to the coordinator (a worker's `self.postMessage`). */
  post: (message: WalkReply) => void;
  /** As {@linkcode WalkOptions.filter}, built on the worker. @default no filter */
  filter?: WalkOptions["filter"];
}

/**
 * The worker's side of a parallel walk: give it the coordinator's `walk-*` messages; it walks
 * the tasks depth-first, calls the handler for every file, and shares work when asked.
 *
 * @example
 * ```ts ignore
 * /// <reference lib="deno.worker" />
 * import { WalkWorker } from "kit/fs";
 * const found: string[] = [];
 * const walker = new WalkWorker({
 *   file: (entry) => void found.push(entry.path),
 *   flush: () => self.postMessage({ type: "paths", paths: found.splice(0) }),
 * }, { post: (m) => self.postMessage(m) });
 * self.onmessage = (event) => walker.receive(event.data);
 * ```
 */
export class WalkWorker {
  readonly #handler: WalkHandler;
  readonly #options: WalkWorkerOptions;
  #walker: DirWalker | undefined;
  #hungry: Int32Array | undefined;
  #stack: DirTask[] = [];
  #running = false;

  /**
   * @param handler What to do with each file.
   * @param options How to reach the coordinator, and the file filter.
   */
  constructor(handler: WalkHandler, options: WalkWorkerOptions) {
    this.#handler = handler;
    this.#options = options;
  }

  /**
   * Takes one message from the coordinator.
   *
   * @param message A {@linkcode WalkRequest}.
   * @returns When the tasks it brought (and any given meanwhile) are walked.
   */
  async receive(message: WalkRequest): Promise<void> {
    const post = this.#options.post;
    if (message.type === "walk-start") {
      this.#walker = new DirWalker(message.roots, message.spec, {
        filter: this.#options.filter,
        onError: (e) =>
          post({ type: "walk-error", message: e.message, path: e.path, kind: e.kind }),
      });
      this.#hungry = new Int32Array(message.hungry);
      return;
    }
    // Stacked so that the first subfolder listed is walked first.
    for (let i = message.tasks.length - 1; i >= 0; i--) this.#stack.push(message.tasks[i]);
    if (this.#running) return;
    this.#running = true;
    try {
      await this.#run();
    } finally {
      this.#running = false;
    }
  }

  async #run(): Promise<void> {
    const walker = this.#walker!;
    const hungry = this.#hungry!;
    const stack = this.#stack;
    const handler = this.#handler;
    const post = this.#options.post;
    while (stack.length > 0) {
      const task = stack.pop()!;
      const { files, dirs } = walker.visit(task);
      for (let i = dirs.length - 1; i >= 0; i--) stack.push(dirs[i]);
      for (const file of files) {
        const pending = handler.file(file, task.root);
        if (pending) await pending;
      }
      handler.flush(false);
      // Another worker is idle: give it the bottom half of the stack, the folders nearest the
      // root, which hold the most work. The counter is claimed first, so one idle worker
      // does not draw a share from every busy one.
      if (stack.length > 1 && Atomics.load(hungry, 0) > 0) {
        const seen = Atomics.load(hungry, 0);
        if (seen > 0 && Atomics.compareExchange(hungry, 0, seen, seen - 1) === seen) {
          post({ type: "walk-share", tasks: stack.splice(0, stack.length >> 1) });
        }
      }
    }
    handler.flush(true);
    post({ type: "walk-idle" });
  }
}

/** Options for {@linkcode coordinateWalk}. */
export interface CoordinateWalkOptions {
  /** Receives what went wrong, on the calling thread; the walk goes on. @default dropped */
  onError?: (error: WalkError) => void;
}

/**
 * Runs a parallel walk of `roots` (folders) on `workers`, whose message handlers pass
 * `walk-*` messages to a {@linkcode WalkWorker}, and yields every other message they send
 * (their handlers' results) as it arrives. Worker message handlers are taken over for the
 * walk and released after it; the workers are not terminated.
 *
 * @example
 * ```ts ignore
 * const workers = [1, 2, 3].map(() => new Worker(new URL("./my_worker.ts", import.meta.url), { type: "module" }));
 * for await (const message of coordinateWalk(workers, ["src"], { hidden: true })) console.log(message);
 * for (const w of workers) w.terminate();
 * ```
 *
 * @param workers The workers, at least one, idle.
 * @param roots The root folders, as written.
 * @param spec The walk's options.
 * @param options Where errors go.
 * @yields The handlers' messages.
 */
export async function* coordinateWalk<T>(
  workers: Worker[],
  roots: string[],
  spec: WalkSpec,
  options: CoordinateWalkOptions = {},
): AsyncGenerator<T> {
  if (workers.length === 0) throw new RangeError("A parallel walk needs at least one worker");
  const onError = options.onError ?? (() => {});
  const { overrides: _, ...plain } = spec;
  const resolved = resolveWalkOptions({ ...plain, onError });
  const queue: DirTask[] = [];
  if (resolved.maxDepth >= 1) {
    for (const [i, root] of roots.entries()) {
      // Read here once for the problems in the walk-wide ignore files, reported once; the
      // workers read them again quietly.
      walkRules(root, resolved);
      queue.push(rootTask(i, root, resolved.followLinks));
    }
  }
  const hungryBuffer = new SharedArrayBuffer(4);
  const hungry = new Int32Array(hungryBuffer);
  const idle: Worker[] = [...workers];
  const arrived: T[] = [];
  let head = 0;
  let failure: unknown;
  let wake: (() => void) | undefined;

  const give = () => {
    while (idle.length > 0 && queue.length > 0) {
      const n = Math.ceil(queue.length / idle.length);
      const worker = idle.pop()!;
      worker.postMessage(
        { type: "walk-tasks", tasks: queue.splice(0, n) } satisfies WalkRequest,
      );
    }
    Atomics.store(hungry, 0, queue.length > 0 ? 0 : idle.length);
  };
  const finished = () => idle.length === workers.length && queue.length === 0;

  for (const worker of workers) {
    worker.onmessage = (event: MessageEvent<WalkReply | T>) => {
      const data = event.data as WalkReply;
      switch (data?.type) {
        case "walk-share":
          queue.push(...data.tasks);
          give();
          break;
        case "walk-idle":
          idle.push(worker);
          give();
          break;
        case "walk-error":
          onError(new WalkError(data.message, data.path, { kind: data.kind }));
          break;
        default:
          arrived.push(event.data as T);
      }
      wake?.();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      failure ??= new Error(event.message);
      wake?.();
    };
    worker.postMessage(
      { type: "walk-start", roots, spec, hungry: hungryBuffer } satisfies WalkRequest,
    );
  }
  try {
    give();
    while (true) {
      if (failure) throw failure;
      while (head < arrived.length) {
        const message = arrived[head];
        arrived[head++] = undefined as T;
        yield message;
      }
      arrived.length = head = 0;
      if (finished()) break;
      await new Promise<void>((resolve) => wake = resolve);
      wake = undefined;
    }
  } finally {
    for (const worker of workers) {
      worker.onmessage = null;
      worker.onerror = null;
    }
  }
}

/** Options for {@linkcode walkParallel}. */
export interface WalkParallelOptions extends WalkSpec {
  /** Workers that walk. @default navigator.hardwareConcurrency */
  threads?: number;
  /** Receives what went wrong; the walk goes on. @default errors are dropped */
  onError?: (error: WalkError) => void;
}

/**
 * Walks `roots` on worker threads and yields the files in no particular order: the set
 * {@linkcode walkSync} yields for the same options (a root that is a file is yielded as is).
 * Starting a worker costs tens of milliseconds, so this pays on large trees and many cores.
 *
 * @example
 * ```ts
 * import { walkParallel } from "./walk_parallel.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/sub`);
 * for (const name of ["a.txt", "sub/b.txt", ".hidden"]) await Deno.writeTextFile(`${dir}/${name}`, "");
 * const names: string[] = [];
 * for await (const entry of walkParallel([dir], { threads: 2, gitGlobal: false })) names.push(entry.name);
 * assert.deepEqual(names.sort(), ["a.txt", "b.txt"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param roots Folders or files to walk.
 * @param options The walk's options and the thread count.
 * @returns The files, as an async generator.
 */
export async function* walkParallel(
  roots: string[],
  options: WalkParallelOptions = {},
): AsyncGenerator<WalkEntry> {
  const { threads, onError, ...spec } = options;
  const report = onError ?? (() => {});
  const folders: string[] = [];
  for (const root of roots) {
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(root);
    } catch (error) {
      report(ioError(error, root));
      continue;
    }
    if (info.isDirectory) folders.push(root);
    else yield { path: root, name: root.slice(root.lastIndexOf("/") + 1), depth: 0 };
  }
  if (folders.length === 0) return;
  const count = Math.max(1, threads ?? navigator.hardwareConcurrency ?? 2);
  const workers: Worker[] = [];
  try {
    for (let i = 0; i < count; i++) {
      workers.push(
        new Worker(new URL("./walk_worker.ts", import.meta.url).href, { type: "module" }),
      );
    }
    const batches = coordinateWalk<{ type: "entries"; entries: WalkEntry[] }>(
      workers,
      folders,
      spec,
      { onError: report },
    );
    for await (const batch of batches) yield* batch.entries;
  } finally {
    for (const worker of workers) worker.terminate();
  }
}
