import assert from "node:assert/strict";
import { openReader } from "./_reader.ts";

Deno.test("openReader() reads at offsets, mapped or not, and stops at the end", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = Uint8Array.from({ length: 10000 }, (_, i) => (i * 7) & 0xff);
    await Deno.writeFile(`${dir}/f`, data);
    for (const mapLength of [0, data.length]) {
      const r = openReader(`${dir}/f`, mapLength);
      const buf = new Uint8Array(100);
      assert.equal(r.read(buf, 4321), 100);
      assert.deepEqual(buf, data.subarray(4321, 4421));
      assert.equal(r.read(buf, 9950), 50, `short read at the end (map ${mapLength})`);
      assert.deepEqual(buf.subarray(0, 50), data.subarray(9950));
      r.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
