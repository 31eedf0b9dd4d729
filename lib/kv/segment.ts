/**
 * Segment files: their names, and reading one back record by record.
 *
 * Names are `<base>-<sub>.data` with an 8-digit base and a 4-digit sub. Segments replay in
 * (base, sub) order and later records win. A new active segment gets the next base and sub 0;
 * a merge of inputs whose highest base is B writes `B-0001`, `B-0002`, …, which sort after every
 * input and before every newer segment.
 *
 * @module
 */

import type { KvWarning } from "./errors.ts";
import {
  type DecodedRecord,
  decodeRecord,
  FLAG_BATCH,
  FLAG_BATCH_BEGIN,
  FLAG_BATCH_COMMIT,
} from "./format.ts";

/** A segment's place in the replay order. */
export interface SegmentId {
  /** The generation. */
  base: number;
  /** 0 for an appended segment, 1… for merge output. */
  sub: number;
}

const NAME = /^(\d{8})-(\d{4})\.data$/;

/**
 * The file name of a segment, without the folder.
 *
 * @example
 * ```ts
 * import { parseSegmentName, segmentName } from "./segment.ts";
 * import assert from "node:assert/strict";
 * assert.equal(segmentName({ base: 7, sub: 0 }), "00000007-0000.data");
 * assert.deepEqual(parseSegmentName("00000007-0002.data"), { base: 7, sub: 2 });
 * ```
 */
export function segmentName(id: SegmentId, ext = "data"): string {
  return `${String(id.base).padStart(8, "0")}-${String(id.sub).padStart(4, "0")}.${ext}`;
}

/** The id in a segment file name, or null for any other file. */
export function parseSegmentName(name: string): SegmentId | null {
  const m = NAME.exec(name);
  return m === null ? null : { base: Number(m[1]), sub: Number(m[2]) };
}

/** Orders segment ids for replay. */
export function compareSegmentIds(a: SegmentId, b: SegmentId): number {
  return a.base - b.base || a.sub - b.sub;
}

/** What {@linkcode replaySegment} found. */
export interface ReplayResult {
  /** Bytes up to the end of the last whole record (or whole batch); the rest is a torn tail. */
  validEnd: number;
  /** What was skipped or cut. */
  warnings: KvWarning[];
}

/**
 * Walks the records of a segment's bytes, calling `apply` for each record that counts: plain
 * records as read, batch records only once the batch's commit record is read intact.
 *
 * A record that fails its checksum is skipped when a valid record follows it somewhere (the
 * bytes between are reported); when nothing valid follows, it is the torn tail, and `validEnd`
 * says where the good bytes stop. A batch cut by either is dropped whole.
 *
 * @example
 * ```ts
 * import { encodeRecord, recordSize } from "./format.ts";
 * import { replaySegment } from "./segment.ts";
 * import assert from "node:assert/strict";
 * const bytes = new Uint8Array(recordSize(1, 1) + 5);
 * encodeRecord(bytes, 0, new Uint8Array([1]), new Uint8Array([2]), 1, 0, 0);
 * const seen: number[] = [];
 * const r = replaySegment(bytes, "x.data", (_rec, off) => seen.push(off));
 * assert.deepEqual(seen, [0]);
 * assert.equal(r.validEnd, recordSize(1, 1));
 * ```
 */
export function replaySegment(
  bytes: Uint8Array,
  file: string,
  apply: (record: DecodedRecord, offset: number) => void,
): ReplayResult {
  const warnings: KvWarning[] = [];
  let batch: { record: DecodedRecord; offset: number }[] | null = null;
  let batchStart = 0;
  let validEnd = 0;
  let at = 0;
  const dropBatch = (why: string) => {
    if (batch === null) return;
    warnings.push({
      kind: "batch-dropped",
      file,
      offset: batchStart,
      message: `dropped a batch of ${batch.length} record(s) at ${batchStart}: ${why}`,
    });
    batch = null;
  };
  while (at < bytes.length) {
    const rec = decodeRecord(bytes, at);
    if (rec === undefined || rec === null) {
      const next = resync(bytes, at + 1);
      if (next < 0) break; // the tail
      warnings.push({
        kind: "skipped",
        file,
        offset: at,
        message: `skipped ${next - at} damaged byte(s) at ${at}`,
      });
      dropBatch("a damaged record inside it");
      at = next;
      continue;
    }
    if ((rec.flags & FLAG_BATCH) === 0) {
      // A plain record (or a batch of one): whatever batch was open never committed.
      dropBatch("no commit record before the next write");
      apply(rec, at);
      validEnd = at + rec.size;
    } else if ((rec.flags & FLAG_BATCH_BEGIN) !== 0) {
      dropBatch("no commit record before the next batch");
      batch = [{ record: rec, offset: at }];
      batchStart = at;
    } else if (batch === null) {
      // A member of a batch whose earlier records were damaged or dropped.
      warnings.push({
        kind: "batch-dropped",
        file,
        offset: at,
        message: `dropped a record at ${at} of a batch whose start is damaged`,
      });
    } else {
      batch.push({ record: rec, offset: at });
      if ((rec.flags & FLAG_BATCH_COMMIT) !== 0) {
        for (const r of batch) apply(r.record, r.offset);
        batch = null;
        validEnd = at + rec.size;
      }
    }
    at += rec.size;
  }
  if (batch !== null) {
    // A batch without its commit at the end is the torn tail: cut back to where it began.
    dropBatch("no commit record (torn tail)");
  }
  if (validEnd < bytes.length) {
    warnings.push({
      kind: "truncated",
      file,
      offset: validEnd,
      message: `${bytes.length - validEnd} byte(s) of torn or damaged tail at ${validEnd}`,
    });
  }
  return { validEnd, warnings };
}

// The next offset where an intact record starts, or -1.
function resync(bytes: Uint8Array, from: number): number {
  for (let at = from; at < bytes.length; at++) {
    const rec = decodeRecord(bytes, at);
    if (rec !== null && rec !== undefined) return at;
  }
  return -1;
}
