import assert from "node:assert/strict";
import { MergeWriter } from "./merge.ts";
import { encodeRecord, recordSize } from "./format.ts";
import { readHint } from "./hint.ts";
import { replaySegment } from "./segment.ts";

function record(i: number): { rec: Uint8Array; key: Uint8Array } {
  const key = new TextEncoder().encode(`key-${i}`);
  const rec = new Uint8Array(recordSize(key.length, 50));
  encodeRecord(rec, 0, key, new Uint8Array(50).fill(i), 1000 + i, 0, 0);
  return { rec, key };
}

Deno.test("MergeWriter rolls outputs at the segment size and writes a hint matching each", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const w = new MergeWriter(dir, 9, 3, 1000);
    const where = [];
    for (let i = 0; i < 40; i++) {
      const { rec, key } = record(i);
      where.push(await w.add(rec, key, 1000 + i, 0));
    }
    const outputs = await w.finish();
    assert.ok(outputs.length > 1);
    assert.deepEqual(outputs.map((o) => o.id.sub), outputs.map((_, i) => 3 + i));
    assert.deepEqual([...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".tmp")), []);
    for (const [n, out] of outputs.entries()) {
      const name = `00000009-${String(out.id.sub).padStart(4, "0")}`;
      const data = Deno.readFileSync(`${dir}/${name}.data`);
      assert.ok(data.length <= 1000 && data.length === out.size);
      const fromHint: number[] = [];
      assert.ok(
        readHint(
          Deno.readFileSync(`${dir}/${name}.hint`),
          data.length,
          (_b, _s, _l, _t, _e, off) => fromHint.push(off),
        ),
      );
      const fromData: number[] = [];
      assert.deepEqual(replaySegment(data, name, (_r, off) => fromData.push(off)).warnings, []);
      assert.deepEqual(fromHint, fromData);
      assert.deepEqual(where.filter((x) => x.output === n).map((x) => x.offset), fromData);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("MergeWriter.abort() leaves no files behind", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const w = new MergeWriter(dir, 1, 1, 200);
    for (let i = 0; i < 10; i++) {
      const { rec, key } = record(i);
      await w.add(rec, key, 1, 0);
    }
    await w.abort();
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
