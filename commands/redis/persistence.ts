/**
 * Persistence for `kit redis` as Redis 7.0 does it: the RDB (`dir`/`dbfilename`) loaded at
 * start, SAVE, BGSAVE and save points, and the multi-part AOF (`appenddirname`) with its
 * fsync policies, loading, torn-tail repair and BGREWRITEAOF; SHUTDOWN's save rules.
 *
 * BGSAVE cannot fork: it writes a {@linkcode Snapshot} a slice per event-loop turn, and the
 * dispatcher hands it each key a write command is about to change, so the file is the
 * dataset as it was when BGSAVE started.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { concat } from "../../lib/bytes/mod.ts";
import { RespWriter } from "../../lib/resp/mod.ts";
import { syncDir } from "../../lib/fs/atomic_write.ts";
import {
  AofError,
  type AofFileInfo,
  encodeCommand,
  formatManifest,
  parseAof,
  parseManifest,
} from "./aof.ts";
import { lowerWord } from "./bytes.ts";
import { ReplyError } from "./command.ts";
import { execute } from "./dispatch.ts";
import { decodeRdb, RdbError } from "./rdb.ts";
import { type PersistenceHooks, REDIS_VERSION, type ServerState } from "./server_state.ts";
import { Session } from "./session.ts";
import { Snapshot } from "./snapshot.ts";

/** A data file that cannot be loaded, or a folder that cannot be used. */
export class PersistenceError extends Error {
  /** @param message What is wrong. */
  constructor(message: string) {
    super(message);
    this.name = "PersistenceError";
  }
}

/** Options for {@linkcode Persistence}. */
export interface PersistenceOptions {
  /** Where log lines go. @default nowhere */
  log?: (line: string) => void;
  /** Time spent serialising per event-loop turn during BGSAVE. @default 2 */
  sliceMs?: number;
}

/** How SHUTDOWN treats saving. */
export type ShutdownMode = "default" | "save" | "nosave";

/** A background snapshot: BGSAVE's or BGREWRITEAOF's. */
interface Job {
  kind: "rdb" | "aof";
  snapshot: Snapshot;
  started: number;
  cancelled: boolean;
  done: Promise<void>;
}

/** The open incremental AOF file and what is waiting to go into it. */
class AofFile {
  readonly name: string;
  #file: Deno.FsFile;
  #pending: Uint8Array[] = [];
  #unsynced = false;
  #syncing = false;
  size: number;

  constructor(path: string, name: string) {
    this.name = name;
    this.#file = Deno.openSync(path, { append: true, create: true });
    this.size = this.#file.statSync().size;
  }

  get pending(): boolean {
    return this.#pending.length > 0;
  }

  append(bytes: Uint8Array): void {
    this.#pending.push(bytes);
  }

  /** Writes what is pending; with `fsync`, waits for the disk too. */
  flush(fsync: boolean): void {
    if (this.#pending.length > 0) {
      const all = concat(this.#pending);
      const total = all.length;
      let written = 0;
      while (written < all.length) written += this.#file.writeSync(all.subarray(written));
      this.#pending = [];
      this.size += total;
      this.#unsynced = true;
    }
    if (fsync && this.#unsynced) {
      this.#file.syncDataSync();
      this.#unsynced = false;
    }
  }

  /** appendfsync everysec: the fsync runs off the event loop. */
  async syncInBackground(): Promise<void> {
    if (!this.#unsynced || this.#syncing) return;
    this.#syncing = true;
    this.#unsynced = false;
    try {
      await this.#file.syncData();
    } finally {
      this.#syncing = false;
    }
  }

  close(): void {
    try {
      this.#file.close();
    } catch { /* closed already */ }
  }
}

/**
 * The persistence of one server: owns the RDB file and the AOF folder in `dir`.
 *
 * @example
 * ```ts
 * import { Persistence } from "./persistence.ts";
 * import { ServerState } from "./server_state.ts";
 * import { Config } from "./config.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const config = new Config();
 * config.set("dir", dir);
 * const state = new ServerState({ config });
 * const p = new Persistence(state);
 * p.load();
 * state.dbs[0].set("k", { type: "string", value: new TextEncoder().encode("v") });
 * p.save();
 * const again = new ServerState({ config });
 * new Persistence(again).load();
 * assert.equal(again.dbs[0].get("k")?.type, "string");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class Persistence implements PersistenceHooks {
  #state: ServerState;
  #log: (line: string) => void;
  #sliceMs: number;
  #job: Job | null = null;
  #bgsaveScheduled = false;
  #rewriteScheduled = false;
  /** `server.dirty` when the last successful save began. */
  #dirtyAtSave = 0;
  #lastSave: number;
  #lastBgsaveOk = true;
  #lastBgsaveTry = 0;
  #lastBgsaveSecs = -1;
  #saves = 0;
  #aof: AofFile | null = null;
  #manifest: AofFileInfo[] = [];
  #aofDb = -1;
  #multiOpen = false;
  #aofWriteOk = true;
  #lastRewriteOk = true;
  #lastRewriteSecs = -1;
  #rewrites = 0;
  #lastFsync = 0;
  #loading = false;
  #saveOnClose = false;

  /**
   * @param state The server's state; its persistence hooks are set to this.
   * @param options Logging and the BGSAVE slice.
   */
  constructor(state: ServerState, options: PersistenceOptions = {}) {
    this.#state = state;
    this.#log = options.log ?? (() => {});
    this.#sliceMs = options.sliceMs ?? 2;
    this.#lastSave = Math.floor(state.clock() / 1000);
    state.persistence = this;
  }

  // ---- the hooks the dispatcher calls ----

  /** A snapshot is being written. */
  get snapshotting(): boolean {
    return this.#job !== null && !this.#job.snapshot.complete;
  }

  /** The AOF is on and not being loaded. */
  get logging(): boolean {
    return this.#aof !== null && !this.#loading;
  }

  /** MISCONF, as Redis refuses writes after a failed background save or AOF write. */
  get refuseWrites(): string | null {
    if (!this.#aofWriteOk) {
      return "MISCONF Errors writing to the AOF file: check the server log";
    }
    if (
      !this.#lastBgsaveOk && this.#saveParams().length > 0 &&
      this.#state.config.get("stop-writes-on-bgsave-error") === "yes"
    ) {
      return "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to " +
        "persist to disk. Commands that may modify the data set are disabled, because this " +
        "instance is configured to report errors during writes if RDB snapshotting fails " +
        "(stop-writes-on-bgsave-error option). Please check the Redis logs for details about " +
        "the RDB error.";
    }
    return null;
  }

  /**
   * Hands the snapshot the keys a write is about to change.
   *
   * @param db The database.
   * @param keys The keys, or "all".
   */
  beforeWrite(db: number, keys: string[] | "all"): void {
    this.#job?.snapshot.beforeWrite(db, keys);
  }

  /**
   * Logs commands to the AOF, with SELECT when the database changes and MULTI before the
   * first one of a transaction.
   *
   * @param db The database they ran on.
   * @param commands The commands.
   * @param inExec Whether they ran inside EXEC.
   */
  propagate(db: number, commands: (string | Uint8Array)[][], inExec: boolean): void {
    const aof = this.#aof;
    if (aof === null || this.#loading) return;
    if (inExec && !this.#multiOpen) {
      aof.append(encodeCommand(["MULTI"]));
      this.#multiOpen = true;
    }
    if (db !== this.#aofDb) {
      aof.append(encodeCommand(["SELECT", String(db)]));
      this.#aofDb = db;
    }
    for (const c of commands) aof.append(encodeCommand(c));
  }

  /** Closes a transaction opened by {@linkcode propagate}. */
  execEnd(): void {
    if (!this.#multiOpen) return;
    this.#multiOpen = false;
    this.#aof?.append(encodeCommand(["EXEC"]));
  }

  /**
   * Writes the pending AOF bytes, and with appendfsync always fsyncs them, before replies go
   * out: an acknowledged write is then on disk.
   *
   * @returns False when that failed (the replies must not be sent).
   */
  beforeReply(): boolean {
    const aof = this.#aof;
    if (aof === null || !aof.pending) return true;
    // Inside EXEC the transaction is not whole yet; replies are only sent after it.
    try {
      aof.flush(this.#state.config.get("appendfsync") === "always");
      this.#aofWriteOk = true;
      return true;
    } catch (error) {
      this.#aofWriteOk = false;
      this.#log(`Error writing to the AOF file: ${(error as Error).message}`);
      return false;
    }
  }

  /** Save points, scheduled jobs, and the AOF's fsync every second. */
  cron(): void {
    const now = this.#state.clock();
    if (this.#aof !== null) {
      this.beforeReply();
      if (this.#state.config.get("appendfsync") === "everysec" && now - this.#lastFsync >= 1000) {
        this.#lastFsync = now;
        this.#aof.syncInBackground().catch((error) =>
          this.#log(`Error syncing the AOF file: ${(error as Error).message}`)
        );
      }
    }
    if (this.#job !== null) return;
    if (this.#rewriteScheduled) {
      this.#rewriteScheduled = false;
      this.#startRewrite();
      return;
    }
    if (this.#bgsaveScheduled) {
      this.#bgsaveScheduled = false;
      this.#startBgsave();
      return;
    }
    const changes = this.#state.dirty - this.#dirtyAtSave;
    const secs = Math.floor(now / 1000);
    for (const [seconds, needed] of this.#saveParams()) {
      // After a failure Redis waits 5 seconds before trying again.
      if (
        changes >= needed && secs - this.#lastSave > seconds &&
        (this.#lastBgsaveOk || secs - this.#lastBgsaveTry > 5)
      ) {
        this.#log(`${needed} changes in ${seconds} seconds. Saving...`);
        this.#startBgsave();
        return;
      }
    }
  }

  // ---- start ----

  /** The RDB file's path. */
  get rdbPath(): string {
    return join(this.#dir(), this.#state.config.get("dbfilename") ?? "dump.rdb");
  }

  /** The AOF folder's path. */
  get aofDir(): string {
    return join(this.#dir(), this.#state.config.get("appenddirname") ?? "appendonlydir");
  }

  /**
   * Loads the data at start: the AOF when appendonly is yes (creating it when there is none),
   * else the RDB file if there is one.
   *
   * @returns A line for the log, or undefined when there was nothing to load.
   * @throws {PersistenceError} For a file that cannot be loaded; nothing is overwritten then.
   */
  load(): string | undefined {
    const dir = this.#dir();
    try {
      if (!Deno.statSync(dir).isDirectory) throw new Error("not a directory");
    } catch (error) {
      throw new PersistenceError(`Can't chdir to '${dir}': ${(error as Error).message}`);
    }
    const started = performance.now();
    let summary: string | undefined;
    if (this.#state.config.get("appendonly") === "yes") {
      summary = this.#loadAof();
    } else {
      let bytes: Uint8Array | undefined;
      try {
        bytes = Deno.readFileSync(this.rdbPath);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) {
          throw new PersistenceError(`Can't open "${this.rdbPath}": ${(error as Error).message}`);
        }
      }
      if (bytes !== undefined) {
        const n = this.#loadRdb(bytes, this.rdbPath);
        summary = `DB loaded from disk: ${n} keys in ${
          ((performance.now() - started) / 1000).toFixed(3)
        } seconds`;
      }
    }
    this.#dirtyAtSave = this.#state.dirty;
    return summary;
  }

  #loadRdb(bytes: Uint8Array, path: string): number {
    const state = this.#state;
    try {
      const { keys } = decodeRdb(bytes, {
        onEntry: (db, key, value, expireAt) => {
          state.dbs[db].set(key, value);
          if (expireAt !== undefined) state.dbs[db].setExpire(key, expireAt);
        },
      }, { now: state.clock(), databases: state.dbs.length });
      return keys;
    } catch (error) {
      if (error instanceof RdbError) {
        throw new PersistenceError(`Can't load "${path}": ${error.message}`);
      }
      throw error;
    }
  }

  #loadAof(): string {
    const dir = this.aofDir;
    const manifestPath = join(dir, this.#manifestName());
    let text: string | undefined;
    try {
      text = Deno.readTextFileSync(manifestPath);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        throw new PersistenceError(`Can't open "${manifestPath}": ${(error as Error).message}`);
      }
    }
    if (text === undefined) {
      // No AOF yet: start one from the (empty) dataset, as Redis 7 does on first start.
      Deno.mkdirSync(dir, { recursive: true });
      const base: AofFileInfo = { name: this.#fileName(1, "base"), seq: 1, type: "b" };
      this.#writeRdbSync(join(dir, base.name), 1);
      const incr: AofFileInfo = { name: this.#fileName(1, "incr"), seq: 1, type: "i" };
      this.#aof = new AofFile(join(dir, incr.name), incr.name);
      this.#manifest = [base, incr];
      this.#writeManifestSync(this.#manifest);
      return `Creating AOF base file ${base.name} on server start`;
    }
    try {
      this.#manifest = parseManifest(text);
    } catch (error) {
      if (error instanceof AofError) throw new PersistenceError(error.message);
      throw error;
    }
    const live = this.#manifest.filter((f) => f.type !== "h");
    const incrs = live.filter((f) => f.type === "i");
    let keys = 0;
    this.#loading = true;
    try {
      for (const [i, f] of live.entries()) {
        const path = join(dir, f.name);
        let bytes: Uint8Array;
        try {
          bytes = Deno.readFileSync(path);
        } catch (error) {
          throw new PersistenceError(
            `Can't open the append-only file ${f.name}: ${(error as Error).message}`,
          );
        }
        if (f.type === "b" && isRdb(bytes)) {
          keys += this.#loadRdb(bytes, path);
          continue;
        }
        this.#replay(bytes, f.name, path, i === live.length - 1);
      }
    } finally {
      this.#loading = false;
    }
    const last = incrs.at(-1);
    if (last === undefined) {
      const seq = 1 + Math.max(0, ...this.#manifest.map((f) => f.seq));
      const incr: AofFileInfo = { name: this.#fileName(seq, "incr"), seq, type: "i" };
      this.#manifest = [...this.#manifest, incr];
      this.#aof = new AofFile(join(dir, incr.name), incr.name);
      this.#writeManifestSync(this.#manifest);
    } else this.#aof = new AofFile(join(dir, last.name), last.name);
    return `DB loaded from append only file: ${
      this.#state.dbs.reduce((n, db) => n + db.size(), 0)
    } keys (${keys} from the base)`;
  }

  /** Runs the commands of one AOF file; repairs a torn tail of the last one. */
  #replay(bytes: Uint8Array, name: string, path: string, last: boolean): void {
    let parsed;
    try {
      parsed = parseAof(bytes);
    } catch (error) {
      if (!(error instanceof AofError)) throw error;
      throw new PersistenceError(
        `Bad file format reading the append only file ${name}: make a backup of your AOF ` +
          `file, then use ./redis-check-aof --fix <filename.manifest> (${error.message})`,
      );
    }
    let { commands, validLength } = parsed;
    // A MULTI without its EXEC at the end is a torn transaction: none of it is applied.
    let open = -1;
    for (let i = 0; i < commands.length; i++) {
      const word = lowerWord(commands[i][0]);
      if (word === "multi") open = i;
      else if (word === "exec") open = -1;
    }
    let torn = parsed.truncated;
    if (open >= 0) {
      validLength = open === 0 ? 0 : parsed.ends[open - 1];
      commands = commands.slice(0, open);
      torn = true;
    }
    if (torn) {
      if (!last || this.#state.config.get("aof-load-truncated") !== "yes") {
        throw new PersistenceError(
          `Unexpected end of file reading the append only file ${name}. You can: 1) Make a ` +
            `backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. ` +
            `2) Alternatively you can set the 'aof-load-truncated' configuration option to ` +
            `yes and restart the server.`,
        );
      }
      this.#log(`!!! Warning: short read while loading the AOF file ${name}!!!`);
      this.#log(`!!! Truncating the AOF ${name} at offset ${validLength} !!!`);
      Deno.truncateSync(path, validLength);
      this.#log("AOF loaded anyway because aof-load-truncated is enabled");
    }
    const state = this.#state;
    const session = new Session(0, "aof", state.clock());
    const out = new RespWriter();
    const ctx = { db: state.dbs[0], server: state, session, out, now: state.clock() };
    if (state.commands.size === 0) throw new Error("The command table is not set");
    for (const args of commands) {
      if (!state.commands.has(lowerWord(args[0]))) {
        throw new PersistenceError(
          `Unknown command '${
            new TextDecoder().decode(args[0])
          }' reading the append only file ${name}`,
        );
      }
      execute(ctx, args);
      out.reset();
    }
  }

  /**
   * CONFIG SET appendonly. Turned on, the dataset as it is becomes a new AOF base and every
   * write from then on is logged (Redis writes that base with a background rewrite; here it is
   * written at once, a pause as long as a SAVE). Turned off, the AOF is flushed, fsynced and
   * closed, and a rewrite in progress is dropped, as Redis's stopAppendOnly does.
   *
   * @param on The new setting.
   */
  appendonlyChanged(on: boolean): void {
    if (!on) {
      if (this.#aof === null) return;
      if (this.#job?.kind === "aof") {
        this.#job.cancelled = true;
        this.#job = null;
      }
      this.#aof.flush(true);
      this.#aof.close();
      this.#aof = null;
      this.#log("AOF stopped by CONFIG SET");
      return;
    }
    if (this.#aof !== null) return;
    const dir = this.aofDir;
    Deno.mkdirSync(dir, { recursive: true });
    // Files a past run left: the new ones take later numbers, and replace them.
    const old = this.#filesOnDisk();
    const seq = 1 + Math.max(0, ...old.map((f) => f.seq));
    const base: AofFileInfo = { name: this.#fileName(seq, "base"), seq, type: "b" };
    const incr: AofFileInfo = { name: this.#fileName(seq, "incr"), seq, type: "i" };
    this.#writeRdbSync(join(dir, base.name), 1);
    const aof = new AofFile(join(dir, incr.name), incr.name);
    try {
      this.#writeManifestSync([base, incr]);
    } catch (error) {
      aof.close();
      throw error;
    }
    this.#aof = aof;
    this.#aofDb = -1;
    this.#manifest = [base, incr];
    this.#removeFiles(old);
    this.#log(`AOF started by CONFIG SET: base ${base.name}`);
  }

  // ---- RDB ----

  /**
   * FLUSHALL emptied every database. With save points configured Redis writes the empty
   * dataset at once (`flushAllDataAndResetRDB`), so a restart does not bring the flushed keys
   * back from the last dump; a failure is logged and FLUSHALL still succeeds, as there.
   */
  flushedAll(): void {
    if (this.#saveParams().length === 0) return;
    try {
      this.save();
    } catch { /* save() logged why */ }
  }

  /**
   * SAVE: writes the RDB now, blocking, through a temporary file, fsync and rename.
   *
   * @throws {ReplyError} When a background save runs.
   * @throws {Error} When the file cannot be written.
   */
  save(): void {
    if (this.#job?.kind === "rdb") throw new ReplyError("ERR Background save already in progress");
    const dirty = this.#state.dirty;
    try {
      this.#writeRdbSync(this.rdbPath, 0);
    } catch (error) {
      this.#log(`Failed saving the DB: ${(error as Error).message}`);
      throw error;
    }
    this.#dirtyAtSave = dirty;
    this.#lastSave = Math.floor(this.#state.clock() / 1000);
    this.#lastBgsaveOk = true;
    this.#saves++;
    this.#log("DB saved on disk");
  }

  /**
   * BGSAVE: starts a background save, or schedules one after a running AOF rewrite.
   *
   * @param schedule BGSAVE SCHEDULE.
   * @returns The status reply text.
   * @throws {ReplyError} As Redis replies when one cannot start.
   */
  bgsave(schedule = false): string {
    if (this.#job?.kind === "rdb") throw new ReplyError("ERR Background save already in progress");
    if (this.#job !== null) {
      if (!schedule) {
        throw new ReplyError(
          "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE " +
            "SCHEDULE in order to schedule a BGSAVE whenever possible.",
        );
      }
      this.#bgsaveScheduled = true;
      return "Background saving scheduled";
    }
    this.#startBgsave();
    return "Background saving started";
  }

  /** When the last save succeeded, in Unix seconds (LASTSAVE). */
  get lastSave(): number {
    return this.#lastSave;
  }

  /**
   * Resolves when the running background job (BGSAVE or BGREWRITEAOF) ends.
   *
   * @returns The promise.
   */
  async idle(): Promise<void> {
    while (this.#job !== null) await this.#job.done;
  }

  #startBgsave(): void {
    const state = this.#state;
    const dirty = state.dirty;
    this.#lastBgsaveTry = Math.floor(state.clock() / 1000);
    this.#log("Background saving started");
    const path = this.rdbPath;
    this.#run("rdb", 0, path, () => {
      this.#dirtyAtSave = dirty;
      this.#lastSave = Math.floor(state.clock() / 1000);
      this.#lastBgsaveOk = true;
      this.#saves++;
      this.#log("Background saving terminated with success");
    }, (error) => {
      this.#lastBgsaveOk = false;
      this.#log(`Background saving error: ${error.message}`);
    });
  }

  /** Starts a background snapshot into `path`; the callbacks run when it ends. */
  #run(
    kind: "rdb" | "aof",
    aofBase: number,
    path: string,
    ok: () => void,
    failed: (error: Error) => void,
  ): void {
    const snapshot = new Snapshot(this.#state.dbs, this.#aux(aofBase));
    const job: Job = {
      kind,
      snapshot,
      started: performance.now(),
      cancelled: false,
      done: Promise.resolve(),
    };
    this.#job = job;
    job.done = this.#write(job, path).then(() => {
      const secs = Math.round((performance.now() - job.started) / 1000);
      if (kind === "rdb") this.#lastBgsaveSecs = secs;
      else this.#lastRewriteSecs = secs;
      if (!job.cancelled) ok();
    }, (error: Error) => {
      if (!job.cancelled) failed(error);
    }).finally(() => {
      if (this.#job === job) this.#job = null;
    });
  }

  /** Writes a snapshot a slice per event-loop turn, then fsyncs and renames it into place. */
  async #write(job: Job, path: string): Promise<void> {
    const dir = this.#dir();
    const temp = join(dir, `temp-${Deno.pid}-${job.kind}.rdb`);
    const file = await Deno.open(temp, { write: true, create: true, truncate: true });
    let closed = false;
    try {
      const { snapshot } = job;
      while (!snapshot.complete) {
        snapshot.run(this.#sliceMs);
        if (snapshot.pending >= 1 << 20) await writeAll(file, snapshot.take());
        // A macrotask between slices: clients' reads and timers run here.
        await new Promise((r) => setTimeout(r, 0));
        if (job.cancelled) throw new Error("cancelled");
      }
      await writeAll(file, snapshot.take());
      await writeAll(file, snapshot.finish());
      await file.sync();
      file.close();
      closed = true;
      if (job.cancelled) throw new Error("cancelled");
      await Deno.rename(temp, path);
      await syncDir(dir);
    } catch (error) {
      if (!closed) file.close();
      await Deno.remove(temp).catch(() => {});
      throw error;
    }
  }

  /** The whole dataset as an RDB, written synchronously through a temporary file. */
  #writeRdbSync(path: string, aofBase: number): void {
    const snapshot = new Snapshot(this.#state.dbs, this.#aux(aofBase));
    snapshot.run(Infinity);
    const dir = resolve(path, "..");
    const temp = join(dir, `temp-${Deno.pid}.rdb`);
    const file = Deno.openSync(temp, { write: true, create: true, truncate: true });
    try {
      writeAllSync(file, snapshot.take());
      writeAllSync(file, snapshot.finish());
      file.syncSync();
      file.close();
    } catch (error) {
      file.close();
      try {
        Deno.removeSync(temp);
      } catch { /* never created */ }
      throw error;
    }
    Deno.renameSync(temp, path);
    syncDirSync(dir);
  }

  #aux(aofBase: number): Record<string, string | number> {
    return {
      "redis-ver": REDIS_VERSION,
      "redis-bits": 64,
      "ctime": Math.floor(this.#state.clock() / 1000),
      "used-mem": Deno.memoryUsage().heapUsed,
      "aof-base": aofBase,
    };
  }

  // ---- AOF rewrite ----

  /**
   * BGREWRITEAOF: a new incremental file takes the writes from now on, and a new base is
   * written from a snapshot of now; then the manifest names only those two.
   *
   * @returns The status reply text.
   * @throws {ReplyError} When the AOF is off or a rewrite runs.
   */
  bgrewriteaof(): string {
    if (this.#aof === null) {
      // With the AOF off Redis 7 still writes a rewritten AOF: a new base of the dataset and
      // a manifest naming it alone, ready for a start with appendonly yes. Written at once here.
      this.#writeBaseOnly();
      return "Background append only file rewriting started";
    }
    if (this.#job?.kind === "aof") {
      throw new ReplyError("ERR Background append only file rewriting already in progress");
    }
    if (this.#job !== null) {
      this.#rewriteScheduled = true;
      return "Background append only file rewriting scheduled";
    }
    this.#startRewrite();
    return "Background append only file rewriting started";
  }

  /** The AOF files the manifest on disk names (a past run's, when the AOF is off now). */
  #filesOnDisk(): AofFileInfo[] {
    try {
      return parseManifest(Deno.readTextFileSync(join(this.aofDir, this.#manifestName())));
    } catch {
      return []; // none, or unreadable: nothing to replace
    }
  }

  /** Deletes AOF files a new manifest no longer names. */
  #removeFiles(files: AofFileInfo[]): void {
    for (const f of files) {
      try {
        Deno.removeSync(join(this.aofDir, f.name));
      } catch { /* gone already */ }
    }
  }

  /** A new AOF base of the dataset and a manifest naming it alone, replacing older files. */
  #writeBaseOnly(): void {
    const dir = this.aofDir;
    Deno.mkdirSync(dir, { recursive: true });
    const old = this.#filesOnDisk();
    const seq = 1 + Math.max(0, ...old.map((f) => f.seq));
    const base: AofFileInfo = { name: this.#fileName(seq, "base"), seq, type: "b" };
    this.#writeRdbSync(join(dir, base.name), 1);
    this.#writeManifestSync([base]);
    this.#removeFiles(old);
    this.#lastRewriteOk = true;
    this.#rewrites++;
    this.#log(`AOF rewritten with the AOF off: base ${base.name}`);
  }

  #startRewrite(): void {
    const aof = this.#aof;
    if (aof === null) return;
    const dir = this.aofDir;
    // Everything up to now belongs to the old incremental files.
    aof.flush(true);
    const top = Math.max(0, ...this.#manifest.map((f) => f.seq));
    const baseSeq = 1 +
      Math.max(0, ...this.#manifest.filter((f) => f.type === "b").map((f) => f.seq));
    const incr: AofFileInfo = { name: this.#fileName(top + 1, "incr"), seq: top + 1, type: "i" };
    const next = new AofFile(join(dir, incr.name), incr.name);
    this.#manifest = [...this.#manifest, incr];
    try {
      this.#writeManifestSync(this.#manifest);
    } catch (error) {
      next.close();
      this.#manifest = this.#manifest.slice(0, -1);
      this.#lastRewriteOk = false;
      this.#log(`Can't start the AOF rewrite: ${(error as Error).message}`);
      return;
    }
    aof.close();
    this.#aof = next;
    this.#aofDb = -1;
    const base: AofFileInfo = { name: this.#fileName(baseSeq, "base"), seq: baseSeq, type: "b" };
    this.#log("Background append only file rewriting started");
    this.#run("aof", 1, join(dir, base.name), () => {
      const old = this.#manifest.filter((f) => f !== incr);
      this.#manifest = [base, incr];
      try {
        this.#writeManifestSync(this.#manifest);
      } catch (error) {
        this.#manifest = [...old, incr];
        this.#lastRewriteOk = false;
        this.#log(`Can't install the rewritten AOF: ${(error as Error).message}`);
        return;
      }
      for (const f of old) {
        if (f.name === base.name) continue;
        try {
          Deno.removeSync(join(dir, f.name));
        } catch { /* gone already */ }
      }
      this.#lastRewriteOk = true;
      this.#rewrites++;
      this.#log("Background AOF rewrite finished successfully");
    }, (error) => {
      this.#lastRewriteOk = false;
      this.#log(`Background AOF rewrite failed: ${error.message}`);
    });
  }

  #manifestName(): string {
    return `${this.#state.config.get("appendfilename") ?? "appendonly.aof"}.manifest`;
  }

  #fileName(seq: number, kind: "base" | "incr"): string {
    const prefix = this.#state.config.get("appendfilename") ?? "appendonly.aof";
    return kind === "base" ? `${prefix}.${seq}.base.rdb` : `${prefix}.${seq}.incr.aof`;
  }

  #writeManifestSync(files: AofFileInfo[]): void {
    const dir = this.aofDir;
    const path = join(dir, this.#manifestName());
    const temp = join(dir, `temp-${this.#manifestName()}`);
    const file = Deno.openSync(temp, { write: true, create: true, truncate: true });
    try {
      writeAllSync(file, new TextEncoder().encode(formatManifest(files)));
      file.syncSync();
    } finally {
      file.close();
    }
    Deno.renameSync(temp, path);
    syncDirSync(dir);
  }

  // ---- shutdown ----

  /**
   * SHUTDOWN's persistence, as Redis's `prepareForShutdown`: stop a background job, flush and
   * fsync the AOF, and save the RDB when asked to, or by default when save points are set.
   *
   * @param mode SAVE, NOSAVE, or neither.
   * @returns False when the save failed: the server must not exit.
   */
  shutdown(mode: ShutdownMode): boolean {
    if (this.#job !== null) {
      this.#job.cancelled = true;
      this.#job = null;
      this.#log("There is a background job running: it is stopped");
    }
    if (this.#aof !== null) {
      try {
        this.#aof.flush(true);
      } catch (error) {
        this.#log(`Error trying to fsync the AOF: ${(error as Error).message}`);
      }
    }
    if (mode === "save" || (mode === "default" && this.#saveParams().length > 0)) {
      this.#log("Saving the final RDB snapshot before exiting.");
      try {
        this.save();
      } catch {
        this.#log("Error trying to save the DB, can't exit.");
        return false;
      }
      this.#saveOnClose = true;
    }
    return true;
  }

  /**
   * After the server stopped: saves again if clients that were already being served wrote
   * after SHUTDOWN's save, and closes the AOF after a last fsync.
   */
  async close(): Promise<void> {
    if (this.#job !== null) {
      this.#job.cancelled = true;
      await this.#job.done.catch(() => {});
    }
    if (this.#saveOnClose && this.#state.dirty !== this.#dirtyAtSave) {
      try {
        this.save();
      } catch { /* logged by save */ }
    }
    if (this.#aof !== null) {
      try {
        this.#aof.flush(true);
      } catch (error) {
        this.#log(`Error trying to fsync the AOF: ${(error as Error).message}`);
      }
      this.#aof.close();
      this.#aof = null;
    }
  }

  // ---- INFO ----

  /**
   * INFO persistence's lines.
   *
   * @returns `field:value` lines.
   */
  info(): string[] {
    const job = this.#job;
    const running = (kind: string) => job?.kind === kind ? 1 : 0;
    const secs = (kind: string) =>
      job?.kind === kind ? Math.round((performance.now() - job.started) / 1000) : -1;
    const lines = [
      "loading:0",
      "async_loading:0",
      `rdb_changes_since_last_save:${this.#state.dirty - this.#dirtyAtSave}`,
      `rdb_bgsave_in_progress:${running("rdb")}`,
      `rdb_last_save_time:${this.#lastSave}`,
      `rdb_last_bgsave_status:${this.#lastBgsaveOk ? "ok" : "err"}`,
      `rdb_last_bgsave_time_sec:${this.#lastBgsaveSecs}`,
      `rdb_current_bgsave_time_sec:${secs("rdb")}`,
      `rdb_saves:${this.#saves}`,
      `aof_enabled:${this.#aof !== null ? 1 : 0}`,
      `aof_rewrite_in_progress:${running("aof")}`,
      `aof_rewrite_scheduled:${this.#rewriteScheduled ? 1 : 0}`,
      `aof_last_rewrite_time_sec:${this.#lastRewriteSecs}`,
      `aof_current_rewrite_time_sec:${secs("aof")}`,
      `aof_last_bgrewrite_status:${this.#lastRewriteOk ? "ok" : "err"}`,
      `aof_rewrites:${this.#rewrites}`,
      `aof_last_write_status:${this.#aofWriteOk ? "ok" : "err"}`,
    ];
    if (this.#aof !== null) lines.push(`aof_current_size:${this.#aof.size}`);
    return lines;
  }

  #dir(): string {
    return resolve(this.#state.config.get("dir") ?? ".");
  }

  /** The `save` directive as (seconds, changes) pairs. */
  #saveParams(): [number, number][] {
    const words = (this.#state.config.get("save") ?? "").trim().split(/\s+/).filter(Boolean);
    const out: [number, number][] = [];
    for (let i = 0; i + 1 < words.length; i += 2) {
      out.push([Number(words[i]), Number(words[i + 1])]);
    }
    return out;
  }
}

function isRdb(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && new TextDecoder().decode(bytes.subarray(0, 5)) === "REDIS";
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let n = 0;
  while (n < bytes.length) n += await file.write(bytes.subarray(n));
}

function writeAllSync(file: Deno.FsFile, bytes: Uint8Array): void {
  let n = 0;
  while (n < bytes.length) n += file.writeSync(bytes.subarray(n));
}

function syncDirSync(dir: string): void {
  if (Deno.build.os === "windows") return;
  try {
    const handle = Deno.openSync(dir, { read: true });
    try {
      handle.syncSync();
    } finally {
      handle.close();
    }
  } catch { /* some filesystems cannot fsync a folder; the rename is still atomic */ }
}
