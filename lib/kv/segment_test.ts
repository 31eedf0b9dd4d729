import assert from "node:assert/strict";
import {
  encodeRecord,
  FLAG_BATCH,
  FLAG_BATCH_BEGIN,
  FLAG_BATCH_COMMIT,
  recordSize,
} from "./format.ts";
import { compareSegmentIds, parseSegmentName, replaySegment, segmentName } from "./segment.ts";

const enc = new TextEncoder();

function log(recs: [string, string, number][]): { bytes: Uint8Array; offsets: number[] } {
  const parts = recs.map(([k, v, flags]) => {
    const out = new Uint8Array(recordSize(k.length, v.length));
    encodeRecord(out, 0, enc.encode(k), enc.encode(v), 1, 0, flags);
    return out;
  });
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  const offsets: number[] = [];
  let at = 0;
  for (const p of parts) {
    offsets.push(at);
    bytes.set(p, at);
    at += p.length;
  }
  return { bytes, offsets };
}

function keys(bytes: Uint8Array) {
  const seen: string[] = [];
  const r = replaySegment(bytes, "t.data", (rec) => seen.push(new TextDecoder().decode(rec.key)));
  return { seen, ...r };
}

Deno.test("segment names sort merge output between its inputs and newer segments", () => {
  const ids = [
    "00000009-0000.data",
    "00000003-0001.data",
    "00000003-0000.data",
    "00000004-0000.data",
  ]
    .map((n) => parseSegmentName(n)!);
  ids.sort(compareSegmentIds);
  assert.deepEqual(ids.map((id) => segmentName(id)), [
    "00000003-0000.data",
    "00000003-0001.data",
    "00000004-0000.data",
    "00000009-0000.data",
  ]);
  assert.equal(parseSegmentName("00000003-0000.hint"), null);
  assert.equal(parseSegmentName("x.data"), null);
});

Deno.test("replaySegment() cuts a torn tail at every length", () => {
  const { bytes, offsets } = log([["a", "1", 0], ["b", "2", 0], ["c", "3", 0]]);
  for (let n = offsets[2]; n < bytes.length; n++) {
    const r = keys(bytes.subarray(0, n));
    assert.deepEqual(r.seen, ["a", "b"]);
    assert.equal(r.validEnd, offsets[2]);
    assert.equal(r.warnings.some((w) => w.kind === "truncated"), n > offsets[2]);
  }
});

Deno.test("replaySegment() skips a damaged record in the middle and reports it", () => {
  const { bytes, offsets } = log([["a", "1", 0], ["b", "2", 0], ["c", "3", 0]]);
  bytes[offsets[1] + 30] ^= 0xff;
  const r = keys(bytes);
  assert.deepEqual(r.seen, ["a", "c"]);
  assert.equal(r.validEnd, bytes.length);
  assert.deepEqual(r.warnings.map((w) => [w.kind, w.offset]), [["skipped", offsets[1]]]);
});

Deno.test("replaySegment() applies a batch only with its commit record", () => {
  const { bytes, offsets } = log([
    ["a", "1", 0],
    ["b", "2", FLAG_BATCH | FLAG_BATCH_BEGIN],
    ["c", "3", FLAG_BATCH],
    ["d", "4", FLAG_BATCH | FLAG_BATCH_COMMIT],
  ]);
  assert.deepEqual(keys(bytes).seen, ["a", "b", "c", "d"]);
  for (let n = offsets[1] + 1; n < bytes.length; n++) {
    const r = keys(bytes.subarray(0, n));
    assert.deepEqual(r.seen, ["a"], `cut at ${n}`);
    assert.equal(r.validEnd, offsets[1]);
  }
  const damaged = bytes.slice();
  damaged[offsets[2] + 29] ^= 1;
  const r = keys(damaged);
  assert.deepEqual(r.seen, ["a"]);
  assert.ok(r.warnings.some((w) => w.kind === "batch-dropped"));
  const noBegin = bytes.slice();
  noBegin[offsets[1] + 29] ^= 1;
  assert.deepEqual(keys(noBegin).seen, ["a"]);
});

Deno.test("replaySegment() loads nothing from garbage", () => {
  const garbage = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919 + 13) & 0xff);
  const r = keys(garbage);
  assert.deepEqual(r.seen, []);
  assert.equal(r.validEnd, 0);
});
