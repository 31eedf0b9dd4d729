/**
 * Writing a merge's output: live records copied into new segments plus their hint files,
 * made visible in an order that a crash at any step leaves a store that replays correctly.
 *
 * 1. Records go to `<id>.data.tmp`, hints to `<id>.hint.tmp`; both are fsynced.
 * 2. The data files are renamed to their names, then the hints, and the folder is fsynced.
 *    Output names sort after every input, so inputs followed by outputs replay to the same state
 *    as the inputs alone: a crash here only leaves duplicates for the next merge.
 * 3. (the store) points the keydir at the copies whose keys did not change meanwhile.
 * 4. (the store) deletes the inputs oldest first: a crash leaves a newest suffix of the inputs,
 *    and since tombstones are not copied (every older segment is an input), no deleted key can
 *    come back from an older input outliving a newer one.
 *
 * @module
 */

import { syncDir } from "../fs/atomic_write.ts";
import { HintWriter } from "./hint.ts";
import { type SegmentId, segmentName } from "./segment.ts";

/** One finished output segment. */
export interface MergeOutput {
  /** Its id. */
  id: SegmentId;
  /** Its size in bytes. */
  size: number;
}

const CHUNK = 1 << 20;

/**
 * Appends copied records into output segments that roll at `segmentSize`.
 *
 * @example
 * ```ts
 * import { MergeWriter } from "./merge.ts";
 * import { encodeRecord, recordSize } from "./format.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const w = new MergeWriter(dir, 3, 1, 1 << 20);
 * const rec = new Uint8Array(recordSize(1, 1));
 * encodeRecord(rec, 0, new Uint8Array([1]), new Uint8Array([2]), 1, 0, 0);
 * assert.deepEqual(await w.add(rec, new Uint8Array([1]), 1, 0), { output: 0, offset: 0 });
 * const outputs = await w.finish();
 * assert.equal(outputs[0].size, rec.length);
 * assert.ok((await Deno.stat(`${dir}/00000003-0001.hint`)).isFile);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class MergeWriter {
  #dir: string;
  #base: number;
  #sub: number;
  #segmentSize: number;
  #outputs: { id: SegmentId; file: Deno.FsFile; size: number; hint: HintWriter }[] = [];
  #buf = new Uint8Array(CHUNK);
  #bufLen = 0;

  /**
   * @param dir The store's folder.
   * @param base The highest base among the inputs.
   * @param firstSub The first free sub number of that base.
   * @param segmentSize Where an output rolls.
   */
  constructor(dir: string, base: number, firstSub: number, segmentSize: number) {
    this.#dir = dir;
    this.#base = base;
    this.#sub = firstSub;
    this.#segmentSize = segmentSize;
  }

  /** Copies one whole record (its bytes as read); returns where it went. */
  async add(
    record: Uint8Array,
    key: Uint8Array,
    timestamp: number,
    expiry: number,
  ): Promise<{ output: number; offset: number }> {
    let out = this.#outputs[this.#outputs.length - 1];
    if (out === undefined || (out.size > 0 && out.size + record.length > this.#segmentSize)) {
      await this.#flush();
      const id = { base: this.#base, sub: this.#sub++ };
      const file = await Deno.open(`${this.#dir}/${segmentName(id)}.tmp`, {
        write: true,
        createNew: true,
      });
      out = { id, file, size: 0, hint: new HintWriter() };
      this.#outputs.push(out);
    }
    const offset = out.size;
    out.hint.add(key, timestamp, expiry, offset, record.length, 0);
    out.size += record.length;
    if (this.#bufLen + record.length > this.#buf.length) await this.#flush();
    if (record.length > this.#buf.length) await writeAll(out.file, record);
    else {
      this.#buf.set(record, this.#bufLen);
      this.#bufLen += record.length;
    }
    return { output: this.#outputs.length - 1, offset };
  }

  /** Finishes steps 1 and 2; returns the outputs in order. */
  async finish(): Promise<MergeOutput[]> {
    await this.#flush();
    for (const out of this.#outputs) {
      await out.file.sync();
      out.file.close();
      const hintTmp = `${this.#dir}/${segmentName(out.id, "hint")}.tmp`;
      await Deno.writeFile(hintTmp, out.hint.finish(out.size));
      const f = await Deno.open(hintTmp, { read: true, write: true });
      await f.sync();
      f.close();
    }
    for (const out of this.#outputs) {
      await Deno.rename(
        `${this.#dir}/${segmentName(out.id)}.tmp`,
        `${this.#dir}/${segmentName(out.id)}`,
      );
    }
    for (const out of this.#outputs) {
      const hint = `${this.#dir}/${segmentName(out.id, "hint")}`;
      await Deno.rename(`${hint}.tmp`, hint);
    }
    await syncDir(this.#dir);
    const result = this.#outputs.map((o) => ({ id: o.id, size: o.size }));
    this.#outputs = [];
    return result;
  }

  /** Drops unfinished output (temp files), after a failure. */
  async abort(): Promise<void> {
    for (const out of this.#outputs) {
      try {
        out.file.close();
      } catch { /* already closed */ }
      await Deno.remove(`${this.#dir}/${segmentName(out.id)}.tmp`).catch(() => {});
      await Deno.remove(`${this.#dir}/${segmentName(out.id, "hint")}.tmp`).catch(() => {});
    }
    this.#outputs = [];
  }

  async #flush(): Promise<void> {
    const out = this.#outputs[this.#outputs.length - 1];
    if (out === undefined || this.#bufLen === 0) return;
    await writeAll(out.file, this.#buf.subarray(0, this.#bufLen));
    this.#bufLen = 0;
  }
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let n = 0;
  while (n < bytes.length) n += await file.write(bytes.subarray(n));
}
