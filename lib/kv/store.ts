/**
 * The store: a Bitcask log of segments, the keydir that indexes it, and the write path.
 *
 * Every write updates the keydir and reaches the OS (one write(2) per call or batch) before it
 * returns, so reads right after see it; the Promise it returns resolves when the write is as
 * durable as the fsync mode promises. Reads are synchronous: one positioned read per get.
 *
 * @module
 */

import { acquireLock } from "./lock.ts";
import { openReader, type Reader } from "./_reader.ts";
import { KvError, type KvWarning } from "./errors.ts";
import {
  encodeRecord,
  FLAG_BATCH,
  FLAG_BATCH_BEGIN,
  FLAG_BATCH_COMMIT,
  FLAG_TOMBSTONE,
  getU32,
  getU64,
  HEADER_SIZE,
  isIntactRecord,
  keyFromString,
  keyToString,
} from "./format.ts";
import { hintCount, HintWriter, readHint } from "./hint.ts";
import { Keydir } from "./keydir.ts";
import { TypedKv } from "./typed.ts";
import { syncDir } from "../fs/atomic_write.ts";
import { MergeWriter } from "./merge.ts";
import { OrderedIndex } from "./ordered_index.ts";
import {
  compareSegmentIds,
  parseSegmentName,
  replaySegment,
  type SegmentId,
  segmentName,
} from "./segment.ts";

/** When a write counts as done. */
export type FsyncMode = "always" | "interval" | "never";

/** Options for {@linkcode openKv}. */
export interface KvOptions {
  /** `always`: a write resolves after an fsync covering it (shared by concurrent writes);
   * `interval`: after write(2), with an fsync every `fsyncIntervalMs`; `never`: after write(2).
   * @default "interval" */
  fsync?: FsyncMode;
  /** Period of the background fsync in `interval` mode. @default 100 */
  fsyncIntervalMs?: number;
  /** Open without the lock and refuse writes. @default false */
  readOnly?: boolean;
  /** The active segment rolls once it would grow past this. @default 134217728 (128 MiB) */
  segmentSize?: number;
  /** Merge in the background when dead bytes reach this share of the sealed segments; 0 = never. @default 0.5 */
  mergeRatio?: number;
  /** …and at least this many dead bytes. @default 16777216 (16 MiB) */
  mergeMinBytes?: number;
  /** Period of the expired-key sweep; 0 = only on access. @default 1000 */
  sweepIntervalMs?: number;
  /** The clock, ms since epoch. @default Date.now */
  now?: () => number;
  /** Longest key. @default 65535 */
  maxKeySize?: number;
  /** Longest value. @default 268435456 (256 MiB) */
  maxValueSize?: number;
}

/** The defaults of {@linkcode KvOptions}. */
export const DEFAULTS = {
  fsync: "interval",
  fsyncIntervalMs: 100,
  readOnly: false,
  segmentSize: 128 * 1024 * 1024,
  mergeRatio: 0.5,
  mergeMinBytes: 16 * 1024 * 1024,
  sweepIntervalMs: 1000,
  now: Date.now,
  maxKeySize: 65535,
  maxValueSize: 256 * 1024 * 1024,
} satisfies Required<KvOptions>;

/** A key: bytes, or a string taken as UTF-8. */
export type KvKey = Uint8Array | string;

/** Options of {@linkcode Kv.set}. */
export interface KvSetOptions {
  /** Expire this many ms from now. */
  ttlMs?: number;
  /** Expire at this time, ms since epoch. */
  expiresAt?: number;
}

/** One operation of {@linkcode Kv.batch}. */
export type KvOp =
  | ({ type: "set"; key: KvKey; value: Uint8Array | string } & KvSetOptions)
  | { type: "delete"; key: KvKey };

/** A key with its value, from {@linkcode Kv.scan}. */
export interface KvEntry {
  /** The key. */
  key: Uint8Array;
  /** The value. */
  value: Uint8Array;
  /** ms since epoch, or null. */
  expiresAt: number | null;
}

/** Options of {@linkcode Kv.scan}. */
export interface KvScanOptions {
  /** At most this many entries. */
  limit?: number;
  /** Start after this key (a cursor: the last key of the previous page). */
  after?: KvKey;
  /** Walk down from `end`. @default false */
  reverse?: boolean;
}

/** What {@linkcode Kv.stats} reports. */
export interface KvStats {
  /** Live keys. */
  keys: number;
  /** Bytes of records the keydir points at. */
  liveBytes: number;
  /** Bytes of overwritten, deleted and expired records. */
  deadBytes: number;
  /** Segment files. */
  segments: number;
  /** The file being appended to ("" when read-only). */
  activeSegment: string;
  /** Bytes in all segment files. */
  dataBytes: number;
  /** The fsync mode. */
  fsync: FsyncMode;
  /** Opened read-only. */
  readOnly: boolean;
  /** Merges finished since open. */
  merges: number;
  /** When the last merge finished (ms since epoch), or null. */
  lastMerge: number | null;
  /** Whether the ordered index has been built (it is built by the first scan). */
  indexBuilt: boolean;
  /** Bytes the keydir's tables take (keys included; the ordered index, when built, is extra). */
  keydirBytes: number;
}

/** What {@linkcode Kv.merge} did. */
export interface KvMergeResult {
  /** Segments rewritten. */
  segmentsIn: number;
  /** Segments written. */
  segmentsOut: number;
  /** Bytes of the inputs. */
  bytesBefore: number;
  /** Bytes of the outputs. */
  bytesAfter: number;
}

interface Segment {
  no: number;
  id: SegmentId;
  path: string;
  size: number;
  live: number;
  dead: number;
}

const encoder = new TextEncoder();
const RESOLVED: Promise<void> = Promise.resolve();
const HANDLES_MAX = 64;

let scratch = new Uint8Array(256);
let scratchLength = 0;

// The bytes of a key for a lookup, without allocating: a Uint8Array as it is, a string encoded
// into a shared buffer. Valid until the next call; the length is in scratchLength. Encoding a
// fresh array per get cost a third of a get.
function lookupBytes(k: KvKey): Uint8Array {
  if (typeof k !== "string") {
    scratchLength = k.length;
    return k;
  }
  const n = k.length;
  if (scratch.length < n * 3) scratch = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const c = k.charCodeAt(i);
    if (c > 0x7f) {
      scratchLength = encoder.encodeInto(k, scratch).written;
      return scratch;
    }
    scratch[i] = c;
  }
  scratchLength = n;
  return scratch;
}

function toBytes(k: KvKey | Uint8Array): Uint8Array {
  if (typeof k !== "string") return k;
  // Short ASCII strings (most keys) are copied by hand: cheaper than a call into TextEncoder.
  const n = k.length;
  if (n > 64) return encoder.encode(k);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = k.charCodeAt(i);
    if (c > 0x7f) return encoder.encode(k);
    out[i] = c;
  }
  return out;
}

/**
 * Opens (creating if needed) the store in `dir`.
 *
 * @example
 * ```ts
 * import { openKv } from "./store.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const kv = await openKv(dir, { fsync: "always" });
 * await kv.set("hello", "world");
 * assert.equal(new TextDecoder().decode(kv.get("hello")!), "world");
 * await kv.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The store's folder.
 * @param options Durability, read-only, sizes.
 * @returns The open store.
 * @throws {KvError} "locked" when another writer has it open, "not-found" for a missing folder read-only.
 */
export async function openKv(dir: string, options: KvOptions = {}): Promise<Kv> {
  const opts = { ...DEFAULTS, ...options };
  if (opts.readOnly) {
    try {
      if (!(await Deno.stat(dir)).isDirectory) throw new Error("not a folder");
    } catch (e) {
      throw new KvError("not-found", `Cannot open "${dir}": no such store`, { cause: e });
    }
  } else {
    await Deno.mkdir(dir, { recursive: true });
  }
  const lock = opts.readOnly ? null : await acquireLockWaiting(dir);
  for (let attempt = 1;; attempt++) {
    const kv = new Kv(dir, opts, lock);
    try {
      await kv._load();
      return kv;
    } catch (e) {
      // Beside a live writer, a read-only open can find a segment gone between listing the
      // folder and reading it (a merge replaced it): it reads the folder again.
      const vanished = opts.readOnly && e instanceof Deno.errors.NotFound;
      if (vanished && attempt < READ_ONLY_ATTEMPTS) {
        await kv.close().catch(() => {});
        continue;
      }
      lock?.close();
      throw e;
    }
  }
}

/** How many times a read-only open reads the folder before a vanished file is an error. */
const READ_ONLY_ATTEMPTS = 5;

/**
 * How long a lock held elsewhere is waited for before the store counts as locked. A process
 * that another thread is starting holds a copy of every descriptor until it execs, the LOCK
 * file's included, so a lock just released can look held for a moment; a real writer holds it
 * for its whole life.
 */
const LOCK_WAIT_MS = 250;

/** {@linkcode acquireLock}, tried again every 10 ms for up to {@linkcode LOCK_WAIT_MS}. */
async function acquireLockWaiting(dir: string): Promise<Deno.FsFile> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  while (true) {
    try {
      return acquireLock(dir);
    } catch (e) {
      if (!(e instanceof KvError) || e.kind !== "locked" || Date.now() >= deadline) throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * An open store. Get one from {@linkcode openKv}.
 *
 * @example
 * ```ts
 * import { openKv } from "./store.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await using kv = await openKv(dir);
 * await kv.batch([{ type: "set", key: "a", value: "1" }, { type: "set", key: "b", value: "2" }]);
 * assert.deepEqual([...kv.scanKeys()].map((k) => new TextDecoder().decode(k)), ["a", "b"]);
 * ```
 */
export class Kv {
  /** What opening found and dealt with: cut tails, skipped records, ignored hints. */
  readonly warnings: KvWarning[] = [];
  #dir: string;
  #opts: Required<KvOptions>;
  #now: () => number;
  #lock: Deno.FsFile | null;
  #keydir = new Keydir();
  #index: OrderedIndex | null = null;
  /** Slots of keys that have an expiry, for the sweep. */
  #expiring = new Set<number>();
  #segments = new Map<number, Segment>();
  #nextNo = 1;
  #active: Segment | null = null;
  #writer: Deno.FsFile | null = null;
  #hint = new HintWriter();
  #handles = new Map<number, Reader>();
  #scratch = new Uint8Array(64 * 1024);
  #closed = false;
  #rangeSlot = -1;
  #closing = false;
  #closingDone: Promise<void> | null = null;
  #dirty = false;
  #syncWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  #syncing: Promise<void> | null = null;
  #retired: Deno.FsFile[] = [];
  #background = new Set<Promise<unknown>>();
  #merging: Promise<KvMergeResult> | null = null;
  #merges = 0;
  #lastMerge: number | null = null;
  #typed: TypedKv | null = null;
  #timers: ReturnType<typeof setInterval>[] = [];

  /** @internal use {@linkcode openKv}. */
  constructor(dir: string, opts: Required<KvOptions>, lock: Deno.FsFile | null) {
    this.#dir = dir;
    this.#opts = opts;
    this.#now = opts.now;
    this.#lock = lock;
  }

  // ---------------------------------------------------------------- opening

  /** @internal Reads the folder; called once by {@linkcode openKv}. */
  async _load(): Promise<void> {
    const ids: SegmentId[] = [];
    const hints = new Set<string>();
    for (const entry of Deno.readDirSync(this.#dir)) {
      if (!entry.isFile) continue;
      if (entry.name.endsWith(".tmp")) {
        if (!this.#opts.readOnly) Deno.removeSync(`${this.#dir}/${entry.name}`);
        continue;
      }
      if (entry.name.endsWith(".hint")) hints.add(entry.name);
      const id = parseSegmentName(entry.name);
      if (id !== null) ids.push(id);
    }
    ids.sort(compareSegmentIds);
    // Hints are read up front so the keydir is sized once for all of them: growing it step by
    // step would copy and rehash a million entries on the way.
    const hintBytes = new Map<string, Uint8Array>();
    let expected = 0;
    for (const name of hints) {
      const bytes = Deno.readFileSync(`${this.#dir}/${name}`);
      hintBytes.set(name, bytes);
      expected += hintCount(bytes);
    }
    this.#keydir.reserve(expected);
    const newHints: Promise<void>[] = [];
    for (const id of ids) {
      const seg: Segment = {
        no: this.#nextNo++,
        id,
        path: `${this.#dir}/${segmentName(id)}`,
        size: Deno.statSync(`${this.#dir}/${segmentName(id)}`).size,
        live: 0,
        dead: 0,
      };
      this.#segments.set(seg.no, seg);
      const hintName = segmentName(id, "hint");
      if (hints.has(hintName)) {
        const bytes = hintBytes.get(hintName)!;
        hintBytes.delete(hintName);
        const ok = readHint(bytes, seg.size, (b, at, n, _ts, exp, off, size, flags) => {
          this.#apply(seg, b, at, at + n, exp, off, size, flags);
        });
        if (ok) continue;
        this.warnings.push({
          kind: "hint-ignored",
          file: hintName,
          offset: 0,
          message: `hint file "${hintName}" does not match its segment; replaying the segment`,
        });
      }
      const hint = new HintWriter();
      const bytes = Deno.readFileSync(seg.path);
      const result = replaySegment(bytes, segmentName(id), (rec, off) => {
        hint.add(rec.key, rec.timestamp, rec.expiry, off, rec.size, rec.flags & FLAG_TOMBSTONE);
        this.#apply(
          seg,
          rec.key,
          0,
          rec.key.length,
          rec.expiry,
          off,
          rec.size,
          rec.flags,
        );
      });
      this.warnings.push(...result.warnings);
      // Skipped bytes in the middle count as dead so a merge will drop them.
      seg.dead += result.validEnd - seg.live - seg.dead;
      if (!this.#opts.readOnly) {
        if (result.validEnd < seg.size) {
          Deno.truncateSync(seg.path, result.validEnd);
          seg.size = result.validEnd;
        }
        if (seg.size === 0) {
          Deno.removeSync(seg.path);
          this.#segments.delete(seg.no);
          continue;
        }
        newHints.push(this.#writeHint(seg, hint));
      }
    }
    await Promise.all(newHints);
    if (this.#opts.readOnly) return;
    const last = ids.length > 0 ? ids[ids.length - 1].base : 0;
    this.#startSegment({ base: last + 1, sub: 0 });
    const fsyncMs = this.#opts.fsyncIntervalMs;
    if (this.#opts.fsync === "interval" && fsyncMs > 0) {
      this.#timer(() => {
        if (this.#dirty) this.#requestSync().catch(() => {});
      }, fsyncMs);
    }
  }

  #timer(fn: () => void, ms: number): void {
    const id = setInterval(fn, ms);
    Deno.unrefTimer(id as unknown as number);
    this.#timers.push(id);
  }

  #startTimers(): void {
    if (this.#opts.sweepIntervalMs > 0) this.#timer(() => this.sweep(), this.#opts.sweepIntervalMs);
  }

  // Applies one record (from a hint or a replay) to the keydir.
  #apply(
    seg: Segment,
    key: Uint8Array,
    start: number,
    end: number,
    exp: number,
    off: number,
    size: number,
    flags: number,
  ): void {
    const kd = this.#keydir;
    if ((flags & FLAG_TOMBSTONE) !== 0 || (exp !== 0 && exp <= this.#now())) {
      const old = kd.lookup(key, start, end);
      if (old >= 0) {
        this.#markDead(kd.seg[old], kd.len[old]);
        this.#expiring.delete(old);
        kd.remove(old);
      }
      seg.dead += size;
      return;
    }
    // One probe for both the lookup and the insert: the bulk of opening is this line.
    const slot = kd.put(key, seg.no, off, size, exp, start, end);
    if (!kd.created) this.#markDead(kd.prevSeg, kd.prevLen);
    seg.live += size;
    if (exp !== 0) this.#expiring.add(slot);
    else if (!kd.created && this.#expiring.size > 0) this.#expiring.delete(slot);
  }

  #markDead(no: number, size: number): void {
    const s = this.#segments.get(no);
    if (s === undefined) return;
    s.live -= size;
    s.dead += size;
  }

  async #writeHint(seg: Segment, hint: HintWriter): Promise<void> {
    const path = `${this.#dir}/${segmentName(seg.id, "hint")}`;
    await Deno.writeFile(`${path}.tmp`, hint.finish(seg.size));
    await Deno.rename(`${path}.tmp`, path);
  }

  #startSegment(id: SegmentId): void {
    const seg: Segment = {
      no: this.#nextNo++,
      id,
      path: `${this.#dir}/${segmentName(id)}`,
      size: 0,
      live: 0,
      dead: 0,
    };
    this.#writer = Deno.openSync(seg.path, { write: true, append: true, createNew: true });
    this.#segments.set(seg.no, seg);
    this.#active = seg;
    this.#hint = new HintWriter();
    if (this.#timers.length === 0) this.#startTimers();
  }

  // Seals the active segment and starts the next one.
  #roll(): void {
    const old = this.#active!;
    const writer = this.#writer!;
    // Waiters of an "always" sync may still be on the old file: make it durable before moving on.
    if (this.#opts.fsync !== "never") writer.syncDataSync();
    this.#retired.push(writer);
    // A reader opened while the segment grew reads with pread; the next get maps it instead.
    this.#handles.get(old.no)?.close();
    this.#handles.delete(old.no);
    if (this.#syncing === null) this.#closeRetired();
    this.#track(this.#writeHint(old, this.#hint));
    this.#startSegment({ base: old.id.base + 1, sub: 0 });
    if (this.#opts.fsync === "always") this.#track(syncDir(this.#dir));
    this.#maybeMerge();
  }

  #closeRetired(): void {
    for (const f of this.#retired) f.close();
    this.#retired = [];
  }

  #track(p: Promise<unknown>): void {
    const q = p.catch(() => {}).finally(() => this.#background.delete(q));
    this.#background.add(q);
  }

  // ---------------------------------------------------------------- reads

  /**
   * The value of `key`, or null when it is missing or expired.
   *
   * @example
   * ```ts
   * import { openKv } from "./store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * await using kv = await openKv(dir);
   * assert.equal(kv.get("nope"), null);
   * ```
   */
  get(key: KvKey): Uint8Array | null {
    this.#open();
    const slot = this.#live(lookupBytes(key), scratchLength);
    return slot < 0 ? null : this.#readValue(slot);
  }

  /**
   * Whether `key` is there and not expired.
   *
   * @example
   * ```ts
   * import { openKv } from "./store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * await using kv = await openKv(dir);
   * await kv.set("a", "1");
   * assert.equal(kv.has("a"), true);
   * assert.equal(kv.has("b"), false);
   * ```
   */
  has(key: KvKey): boolean {
    this.#open();
    return this.#live(lookupBytes(key), scratchLength) >= 0;
  }

  /**
   * ms left before `key` expires; -1 when it has no expiry, -2 when it is missing (as Redis's PTTL).
   *
   * @example
   * ```ts
   * import { openKv } from "./store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * await using kv = await openKv(dir);
   * await kv.set("a", "1");
   * assert.equal(kv.ttl("a"), -1);
   * assert.equal(kv.ttl("b"), -2);
   * ```
   */
  ttl(key: KvKey): number {
    const at = this.expiresAt(key);
    if (at === undefined) return -2;
    if (at === null) return -1;
    return Math.max(0, at - this.#now());
  }

  /** When `key` expires (ms since epoch), null for never, undefined when missing. */
  expiresAt(key: KvKey): number | null | undefined {
    this.#open();
    const slot = this.#live(lookupBytes(key), scratchLength);
    if (slot < 0) return undefined;
    const exp = this.#keydir.exp[slot];
    return exp === 0 ? null : exp;
  }

  /**
   * Live keys (a key past its expiry that nothing touched yet may still count, as in Redis).
   *
   * @example
   * ```ts
   * import { openKv } from "./store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * await using kv = await openKv(dir);
   * await kv.batch([{ type: "set", key: "a", value: "" }, { type: "set", key: "b", value: "" }]);
   * assert.equal(kv.count(), 2);
   * ```
   */
  count(): number {
    this.#open();
    return this.#keydir.count;
  }

  /**
   * Entries with `start <= key < end` in byte order (null = unbounded).
   * A live view: writes made while iterating may or may not show.
   *
   * @example
   * ```ts
   * import { openKv } from "./store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * await using kv = await openKv(dir);
   * for (const k of ["a", "b", "c"]) await kv.set(k, k);
   * assert.equal([...kv.scan("b", null)].length, 2);
   * ```
   */
  *scan(
    start?: KvKey | null,
    end?: KvKey | null,
    options: KvScanOptions = {},
  ): Generator<KvEntry> {
    for (const key of this.#range(start, end, options)) {
      // #range has just looked the key up; nothing ran in between.
      const slot = this.#rangeSlot;
      const value = this.#readValue(slot);
      const exp = this.#keydir.exp[slot];
      yield { key, value, expiresAt: exp === 0 ? null : exp };
    }
  }

  /**
   * Keys with `start <= key < end` in byte order, without reading values. Page with `after`:
   *
   * @example
   * ```ts
   * import { openKv } from "./store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * await using kv = await openKv(dir);
   * for (const k of ["a", "b", "c"]) await kv.set(k, "");
   * const page = [...kv.scanKeys(null, null, { limit: 2 })];
   * const next = [...kv.scanKeys(null, null, { after: page[1] })];
   * assert.deepEqual(next.map((k) => new TextDecoder().decode(k)), ["c"]);
   * ```
   */
  *scanKeys(
    start?: KvKey | null,
    end?: KvKey | null,
    options: KvScanOptions = {},
  ): Generator<Uint8Array> {
    yield* this.#range(start, end, options);
  }

  /**
   * Entries whose key starts with `prefix`, in byte order.
   *
   * @example
   * ```ts
   * import { openKv } from "./store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * await using kv = await openKv(dir);
   * await kv.set("user:1", "Ada");
   * await kv.set("vendor:1", "x");
   * assert.deepEqual([...kv.prefix("user:")].map((e) => new TextDecoder().decode(e.value)), ["Ada"]);
   * ```
   */
  prefix(prefix: KvKey, options: KvScanOptions = {}): Generator<KvEntry> {
    const p = toBytes(prefix);
    return this.scan(p, prefixEnd(p), options);
  }

  /** Keys that start with `prefix`, in byte order. */
  prefixKeys(prefix: KvKey, options: KvScanOptions = {}): Generator<Uint8Array> {
    const p = toBytes(prefix);
    return this.scanKeys(p, prefixEnd(p), options);
  }

  *#range(
    start: KvKey | null | undefined,
    end: KvKey | null | undefined,
    options: KvScanOptions,
  ): Generator<Uint8Array> {
    this.#open();
    const index = this.#ensureIndex();
    let from = start == null ? null : keyToString(toBytes(start));
    const to = end == null ? null : keyToString(toBytes(end));
    let exclusive = false;
    if (options.after !== undefined) {
      const after = keyToString(toBytes(options.after));
      if (from === null || after >= from) [from, exclusive] = [after, true];
    }
    const limit = options.limit ?? Infinity;
    let n = 0;
    if (limit <= 0) return;
    const keys = options.reverse ? index.rangeReverse(from, to) : index.range(from, to, exclusive);
    for (const k of keys) {
      const key = keyFromString(k);
      const slot = this.#live(key, key.length);
      if (slot < 0) continue;
      this.#rangeSlot = slot;
      yield key;
      if (++n >= limit) return;
    }
  }

  #ensureIndex(): OrderedIndex {
    if (this.#index === null) {
      const kd = this.#keydir;
      const keys: string[] = [];
      for (let s = 0; s < kd.slots; s++) if (kd.len[s] !== 0) keys.push(keyToString(kd.key(s)));
      this.#index = OrderedIndex.from(keys);
    }
    return this.#index;
  }

  /**
   * Counts and sizes.
   *
   * @example
   * ```ts
   * import { openKv } from "./store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * await using kv = await openKv(dir);
   * await kv.set("a", "1");
   * assert.equal(kv.stats().keys, 1);
   * ```
   */
  stats(): KvStats {
    this.#open();
    let live = 0;
    let dead = 0;
    let data = 0;
    for (const s of this.#segments.values()) {
      live += s.live;
      dead += s.dead;
      data += s.size;
    }
    return {
      keys: this.#keydir.count,
      liveBytes: live,
      deadBytes: dead,
      segments: this.#segments.size,
      activeSegment: this.#active === null ? "" : segmentName(this.#active.id),
      dataBytes: data,
      fsync: this.#opts.fsync,
      readOnly: this.#opts.readOnly,
      merges: this.#merges,
      lastMerge: this.#lastMerge,
      indexBuilt: this.#index !== null,
      keydirBytes: this.#keydir.byteSize(),
    };
  }

  // The slot of a live key; drops the key when it has expired.
  #live(key: Uint8Array, length: number): number {
    const kd = this.#keydir;
    const slot = kd.lookup(key, 0, length);
    if (slot < 0) return -1;
    const exp = kd.exp[slot];
    if (exp !== 0 && exp <= this.#now()) {
      this.#forget(slot);
      return -1;
    }
    return slot;
  }

  // Drops an expired key from memory; its record already says it expired, so nothing is written.
  #forget(slot: number): void {
    const kd = this.#keydir;
    this.#markDead(kd.seg[slot], kd.len[slot]);
    this.#index?.delete(keyToString(kd.key(slot)));
    this.#expiring.delete(slot);
    kd.remove(slot);
  }

  #readValue(slot: number): Uint8Array {
    const kd = this.#keydir;
    const buf = this.#readRecord(kd.seg[slot], kd.off[slot], kd.len[slot]);
    return buf.subarray(HEADER_SIZE + getU32(buf, 20));
  }

  // Reads and checks one whole record.
  #readRecord(no: number, off: number, len: number): Uint8Array {
    const buf = new Uint8Array(len);
    let n: number;
    try {
      // A short read (n < len) can only be the tail of a file another process cut; loop anyway.
      n = this.#handle(no).read(buf, off);
      while (n < len) {
        const r = this.#handle(no).read(buf.subarray(n), off + n);
        if (r === 0) break;
        n += r;
      }
    } catch (e) {
      throw new KvError("io", `Cannot read "${this.#segments.get(no)?.path}": ${e}`, { cause: e });
    }
    if (n === len && isIntactRecord(buf)) return buf;
    throw new KvError(
      "corrupt",
      `Record at ${off} of "${this.#segments.get(no)?.path}" fails its checksum`,
    );
  }

  #handle(no: number): Reader {
    const handles = this.#handles;
    let f = handles.get(no);
    if (f !== undefined) {
      if (handles.size >= HANDLES_MAX) {
        handles.delete(no);
        handles.set(no, f);
      }
      return f;
    }
    if (handles.size >= HANDLES_MAX) {
      const [oldest, file] = handles.entries().next().value!;
      file.close();
      handles.delete(oldest);
    }
    const seg = this.#segments.get(no);
    if (seg === undefined) throw new KvError("io", `Segment ${no} is gone`);
    // Sealed segments never change, so they can be mapped; the active one grows under us.
    f = openReader(seg.path, seg === this.#active || seg.size === 0 ? 0 : seg.size);
    handles.set(no, f);
    return f;
  }

  // ---------------------------------------------------------------- writes

  /**
   * Stores `value` under `key`.
   *
   * @example
   * ```ts
   * import { openKv } from "./store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * let now = 1000;
   * await using kv = await openKv(dir, { now: () => now });
   * await kv.set("k", "v", { ttlMs: 50 });
   * assert.equal(kv.ttl("k"), 50);
   * now += 50;
   * assert.equal(kv.get("k"), null);
   * ```
   *
   * @returns A Promise that resolves once the write is durable per the fsync mode.
   */
  set(key: KvKey, value: Uint8Array | string, options: KvSetOptions = {}): Promise<void> {
    try {
      this.#writable();
      const k = this.#checkKey(toBytes(key));
      const v = this.#checkValue(toBytes(value));
      const now = this.#now();
      const exp = expiryOf(options, now);
      if (exp !== 0 && exp <= now) {
        return this.delete(k).then(() => {});
      }
      this.#write([{ key: k, value: v, exp, flags: 0 }], now);
      return this.#ack();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Deletes `key`; resolves to whether it was there.
   *
   * @example
   * ```ts
   * import { openKv } from "./store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * await using kv = await openKv(dir);
   * await kv.set("k", "v");
   * assert.equal(await kv.delete("k"), true);
   * assert.equal(await kv.delete("k"), false);
   * ```
   */
  delete(key: KvKey): Promise<boolean> {
    try {
      this.#writable();
      const k = this.#checkKey(toBytes(key));
      if (this.#live(k, k.length) < 0) return Promise.resolve(false);
      this.#write([{ key: k, value: EMPTY, exp: 0, flags: FLAG_TOMBSTONE }], this.#now());
      return this.#ack().then(() => true);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Sets (ms from now), or with null removes, the expiry of `key`; ms <= 0 deletes it.
   * Resolves to false when the key is missing.
   *
   * @example
   * ```ts
   * import { openKv } from "./store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * await using kv = await openKv(dir);
   * await kv.set("a", "1");
   * assert.equal(await kv.expire("a", 60_000), true);
   * assert.ok(kv.ttl("a") > 0);
   * assert.equal(await kv.expire("a", null), true);
   * assert.equal(kv.ttl("a"), -1);
   * ```
   */
  expire(key: KvKey, ms: number | null): Promise<boolean> {
    try {
      this.#writable();
      const k = this.#checkKey(toBytes(key));
      const value = this.get(k);
      if (value === null) return Promise.resolve(false);
      if (ms !== null && ms <= 0) return this.delete(k);
      const now = this.#now();
      this.#write([{ key: k, value, exp: ms === null ? 0 : now + ms, flags: 0 }], now);
      return this.#ack().then(() => true);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Applies all of `ops` or, after a crash, none of them.
   *
   * @example
   * ```ts
   * import { openKv } from "./store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * await using kv = await openKv(dir);
   * await kv.set("old", "x");
   * await kv.batch([{ type: "delete", key: "old" }, { type: "set", key: "new", value: "y" }]);
   * assert.equal(kv.has("old"), false);
   * assert.equal(kv.has("new"), true);
   * ```
   */
  batch(ops: readonly KvOp[]): Promise<void> {
    try {
      this.#writable();
      if (ops.length === 0) return RESOLVED;
      const now = this.#now();
      const recs = ops.map((op) => {
        const key = this.#checkKey(toBytes(op.key));
        if (op.type === "delete") return { key, value: EMPTY, exp: 0, flags: FLAG_TOMBSTONE };
        const value = this.#checkValue(toBytes(op.value));
        const exp = expiryOf(op, now);
        // An expiry already past is a delete, as it would be outside a batch.
        if (exp !== 0 && exp <= now) return { key, value: EMPTY, exp: 0, flags: FLAG_TOMBSTONE };
        return { key, value, exp, flags: 0 };
      });
      if (recs.length > 1) {
        for (const r of recs) r.flags |= FLAG_BATCH;
        recs[0].flags |= FLAG_BATCH_BEGIN;
        recs[recs.length - 1].flags |= FLAG_BATCH_COMMIT;
      }
      this.#write(recs, now);
      return this.#ack();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Makes every write so far durable (an fsync, shared with any running one).
   *
   * @example
   * ```ts
   * import { openKv } from "./store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * await using kv = await openKv(dir);
   * await kv.set("a", "1");
   * await kv.sync();
   * ```
   */
  async sync(): Promise<void> {
    this.#open();
    if (this.#writer !== null) await this.#requestSync();
  }

  #open(): void {
    if (this.#closed) throw new KvError("closed", `The store "${this.#dir}" is closed`);
  }

  #writable(): void {
    this.#open();
    if (this.#closing) throw new KvError("closed", `The store "${this.#dir}" is closing`);
    if (this.#opts.readOnly) {
      throw new KvError("read-only", `The store "${this.#dir}" is open read-only`);
    }
  }

  #checkKey(k: Uint8Array): Uint8Array {
    if (k.length === 0) throw new KvError("too-large", "A key cannot be empty");
    if (k.length > this.#opts.maxKeySize) {
      throw new KvError("too-large", `A key of ${k.length} bytes is over ${this.#opts.maxKeySize}`);
    }
    return k;
  }

  #checkValue(v: Uint8Array): Uint8Array {
    if (v.length > this.#opts.maxValueSize) {
      throw new KvError(
        "too-large",
        `A value of ${v.length} bytes is over ${this.#opts.maxValueSize}`,
      );
    }
    return v;
  }

  // Appends records in one write(2), then points the keydir at them.
  #write(recs: { key: Uint8Array; value: Uint8Array; exp: number; flags: number }[], ts: number) {
    let total = 0;
    for (const r of recs) total += HEADER_SIZE + r.key.length + r.value.length;
    if (this.#active!.size > 0 && this.#active!.size + total > this.#opts.segmentSize) this.#roll();
    if (this.#scratch.length < total) {
      this.#scratch = new Uint8Array(Math.max(total, this.#scratch.length * 2));
    }
    const buf = this.#scratch;
    let at = 0;
    for (const r of recs) at += encodeRecord(buf, at, r.key, r.value, ts, r.exp, r.flags);
    const seg = this.#active!;
    const base = seg.size;
    try {
      let n = 0;
      while (n < total) n += this.#writer!.writeSync(buf.subarray(n, total));
    } catch (e) {
      // Cut any partial record so the next append does not follow garbage.
      try {
        this.#writer!.truncateSync(base);
      } catch { /* replay will cut it */ }
      throw new KvError("io", `Cannot append to "${seg.path}": ${(e as Error).message}`, {
        cause: e,
      });
    }
    seg.size += total;
    this.#dirty = true;
    at = base;
    const kd = this.#keydir;
    for (const r of recs) {
      const size = HEADER_SIZE + r.key.length + r.value.length;
      this.#hint.add(r.key, ts, r.exp, at, size, r.flags & FLAG_TOMBSTONE);
      const old = kd.lookup(r.key);
      if (old >= 0) this.#markDead(kd.seg[old], kd.len[old]);
      if ((r.flags & FLAG_TOMBSTONE) !== 0) {
        seg.dead += size;
        if (old >= 0) {
          this.#index?.delete(keyToString(r.key));
          this.#expiring.delete(old);
          kd.remove(old);
        }
      } else {
        const slot = kd.put(r.key, seg.no, at, size, r.exp);
        seg.live += size;
        if (kd.created) this.#index?.insert(keyToString(r.key));
        if (r.exp !== 0) this.#expiring.add(slot);
        else if (old >= 0 && this.#expiring.size > 0) this.#expiring.delete(slot);
      }
      at += size;
    }
  }

  #ack(): Promise<void> {
    return this.#opts.fsync === "always" ? this.#requestSync() : RESOLVED;
  }

  // Group commit: every waiter that arrived before an fsync started is answered by it.
  #requestSync(): Promise<void> {
    const p = new Promise<void>((resolve, reject) => this.#syncWaiters.push({ resolve, reject }));
    if (this.#syncing === null) this.#syncing = this.#runSyncs();
    return p;
  }

  async #runSyncs(): Promise<void> {
    while (this.#syncWaiters.length > 0) {
      const waiters = this.#syncWaiters;
      this.#syncWaiters = [];
      this.#dirty = false;
      try {
        await this.#writer!.syncData();
        for (const w of waiters) w.resolve();
      } catch (e) {
        const err = new KvError("io", `Cannot fsync "${this.#active?.path}": ${e}`, { cause: e });
        for (const w of waiters) w.reject(err);
      }
      this.#closeRetired();
    }
    this.#syncing = null;
  }

  // ---------------------------------------------------------------- expiry

  /**
   * Drops every key whose expiry has passed; returns how many. Runs on a timer too.
   *
   * @example
   * ```ts
   * import { openKv } from "./store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * let now = 0;
   * await using kv = await openKv(dir, { now: () => now, sweepIntervalMs: 0 });
   * await kv.set("a", "1", { ttlMs: 10 });
   * now = 10;
   * assert.equal(kv.sweep(), 1);
   * ```
   */
  sweep(): number {
    if (this.#closed) return 0;
    const now = this.#now();
    const kd = this.#keydir;
    let n = 0;
    for (const slot of this.#expiring) {
      const exp = kd.exp[slot];
      if (kd.len[slot] === 0 || exp === 0) {
        this.#expiring.delete(slot);
      } else if (exp <= now) {
        this.#forget(slot);
        n++;
      }
    }
    return n;
  }

  // ---------------------------------------------------------------- merge

  /**
   * Rewrites the live records of every sealed segment into new segments with hint files and
   * swaps them in; reads and writes go on meanwhile.
   *
   * @example
   * ```ts
   * import { openKv } from "./store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * await using kv = await openKv(dir, { segmentSize: 100 });
   * for (let i = 0; i < 10; i++) await kv.set("k", `v${i}`);
   * const r = await kv.merge();
   * assert.ok(r.bytesAfter < r.bytesBefore);
   * assert.equal(new TextDecoder().decode(kv.get("k")!), "v9");
   * ```
   */
  merge(): Promise<KvMergeResult> {
    try {
      this.#writable();
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.#merging === null) {
      this.#merging = this.#merge().finally(() => this.#merging = null);
    }
    return this.#merging;
  }

  #maybeMerge(): void {
    const ratio = this.#opts.mergeRatio;
    if (ratio <= 0 || this.#merging !== null) return;
    let live = 0;
    let dead = 0;
    for (const s of this.#segments.values()) {
      if (s === this.#active) continue;
      live += s.live;
      dead += s.dead;
    }
    if (dead >= this.#opts.mergeMinBytes && dead / (live + dead) >= ratio) {
      this.#track(this.merge());
    }
  }

  async #merge(): Promise<KvMergeResult> {
    const inputs = [...this.#segments.values()].filter((s) => s !== this.#active);
    inputs.sort((a, b) => compareSegmentIds(a.id, b.id));
    if (inputs.length === 0) {
      return { segmentsIn: 0, segmentsOut: 0, bytesBefore: 0, bytesAfter: 0 };
    }
    const inputNos = new Set(inputs.map((s) => s.no));
    const base = Math.max(...inputs.map((s) => s.id.base));
    let sub = 0;
    for (const s of this.#segments.values()) if (s.id.base === base) sub = Math.max(sub, s.id.sub);
    const writer = new MergeWriter(this.#dir, base, sub + 1, this.#opts.segmentSize);
    const kd = this.#keydir;
    // Key order when the index exists, so a merged store reopens with its keys already sorted.
    // Slots, not keys, are noted: a slot freed and reused meanwhile points into the active
    // segment, never into an input, so the checks below skip it.
    const order: number[] = [];
    if (this.#index !== null) {
      for (const k of this.#index.range(null, null)) order.push(kd.lookup(keyFromString(k)));
    } else {
      for (let s = 0; s < kd.slots; s++) order.push(s);
    }
    const moved: {
      slot: number;
      fromNo: number;
      fromOff: number;
      size: number;
      output: number;
      offset: number;
    }[] = [];
    let outputs;
    let bytesBefore = 0;
    for (const s of inputs) bytesBefore += s.size;
    try {
      for (const slot of order) {
        if (this.#closed) throw new KvError("closed", "closed during merge");
        if (slot < 0 || kd.len[slot] === 0) continue;
        const no = kd.seg[slot];
        if (!inputNos.has(no)) continue;
        const exp = kd.exp[slot];
        if (exp !== 0 && exp <= this.#now()) continue;
        const off = kd.off[slot];
        const rec = this.#readRecord(no, off, kd.len[slot]);
        const ts = getU64(rec, 4);
        // Copies never carry batch flags: their batch committed, and a lone BEGIN would read as
        // a torn batch on replay.
        let copy = rec;
        if ((rec[28] & (FLAG_BATCH | FLAG_BATCH_BEGIN | FLAG_BATCH_COMMIT)) !== 0) {
          copy = new Uint8Array(rec.length);
          const keyEnd = HEADER_SIZE + getU32(rec, 20);
          encodeRecord(
            copy,
            0,
            rec.subarray(HEADER_SIZE, keyEnd),
            rec.subarray(keyEnd),
            ts,
            exp,
            0,
          );
        }
        const key = copy.subarray(HEADER_SIZE, HEADER_SIZE + getU32(rec, 20));
        const where = await writer.add(copy, key, ts, exp);
        moved.push({ slot, fromNo: no, fromOff: off, size: rec.length, ...where });
      }
      outputs = await writer.finish();
    } catch (e) {
      await writer.abort();
      throw e;
    }
    // Step 3: swap in the copies of keys nobody changed meanwhile.
    const outSegs = outputs.map((o) => {
      const seg: Segment = {
        no: this.#nextNo++,
        id: o.id,
        path: `${this.#dir}/${segmentName(o.id)}`,
        size: o.size,
        live: 0,
        dead: 0,
      };
      this.#segments.set(seg.no, seg);
      return seg;
    });
    for (const m of moved) {
      const out = outSegs[m.output];
      const slot = m.slot;
      if (kd.len[slot] !== 0 && kd.seg[slot] === m.fromNo && kd.off[slot] === m.fromOff) {
        kd.seg[slot] = out.no;
        kd.off[slot] = m.offset;
        out.live += m.size;
      } else {
        out.dead += m.size;
      }
    }
    // Step 4: retire the inputs, oldest first.
    for (const s of inputs) {
      this.#segments.delete(s.no);
      const h = this.#handles.get(s.no);
      if (h !== undefined) {
        h.close();
        this.#handles.delete(s.no);
      }
    }
    for (const s of inputs) {
      await Deno.remove(s.path).catch(() => {});
      await Deno.remove(`${this.#dir}/${segmentName(s.id, "hint")}`).catch(() => {});
    }
    this.#merges++;
    this.#lastMerge = this.#now();
    let bytesAfter = 0;
    for (const o of outputs) bytesAfter += o.size;
    return { segmentsIn: inputs.length, segmentsOut: outputs.length, bytesBefore, bytesAfter };
  }

  // ---------------------------------------------------------------- closing

  /**
   * Finishes a running merge, fsyncs, writes the active segment's hint file and releases the
   * lock. Writes from the moment it is called are refused. Safe to call twice.
   *
   * @example
   * ```ts
   * import { openKv } from "./store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * const kv = await openKv(dir);
   * await kv.close();
   * await kv.close();
   * assert.throws(() => kv.get("a"), { name: "KvError" });
   * ```
   */
  close(): Promise<void> {
    if (this.#closingDone === null) {
      this.#closing = true;
      this.#closingDone = this.#close();
    }
    return this.#closingDone;
  }

  async #close(): Promise<void> {
    if (this.#merging !== null) await this.#merging.catch(() => {});
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    if (this.#writer !== null) {
      await this.#requestSync().catch(() => {});
      if (this.#syncing !== null) await this.#syncing;
    }
    await Promise.all(this.#background);
    this.#closed = true;
    try {
      if (this.#writer !== null) {
        this.#writer.close();
        this.#writer = null;
        const seg = this.#active!;
        // Without its hint the segment is replayed at the next open: slower, never wrong.
        if (seg.size === 0) Deno.removeSync(seg.path);
        else await this.#writeHint(seg, this.#hint);
      }
    } finally {
      this.#closeRetired();
      for (const h of this.#handles.values()) h.close();
      this.#handles.clear();
      this.#lock?.close();
      this.#lock = null;
    }
  }

  /**
   * The msgpack view of this store.
   *
   * @example
   * ```ts
   * import { openKv } from "./mod.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * await using kv = await openKv(dir);
   * await kv.typed().set("n", [1, 2]);
   * assert.deepEqual(kv.typed().get("n"), [1, 2]);
   * ```
   */
  typed(): TypedKv {
    return this.#typed ??= new TypedKv(this);
  }

  /** Closes the store (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

const EMPTY = new Uint8Array(0);

function expiryOf(o: KvSetOptions, now: number): number {
  if (o.expiresAt !== undefined) return Math.floor(o.expiresAt);
  if (o.ttlMs !== undefined) return now + Math.floor(o.ttlMs);
  return 0;
}

function prefixEnd(p: Uint8Array): Uint8Array | null {
  const end = p.slice();
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return null;
}
