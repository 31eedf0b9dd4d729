import assert from "node:assert/strict";
import { type Io, memoryIo } from "./io.ts";
import { writeJson, writeJsonLines } from "./json.ts";

/** An Io whose stdout records each write separately. */
function countingIo() {
  const writes: string[] = [];
  const io: Io = {
    ...memoryIo(),
    stdout: {
      write(data) {
        writes.push(typeof data === "string" ? data : new TextDecoder().decode(data));
        return Promise.resolve();
      },
    },
  };
  return { io, writes };
}

Deno.test("writeJsonLines() writes one compact JSON value per line", async () => {
  const io = memoryIo();
  await writeJsonLines(io, [{ a: 1, b: [true, null] }, "x\ny", 3.5, null]);
  assert.equal(io.stdout.text(), '{"a":1,"b":[true,null]}\n"x\\ny"\n3.5\nnull\n');
});

Deno.test("writeJsonLines() writes undefined as null", async () => {
  const io = memoryIo();
  await writeJsonLines(io, [undefined, () => 1]);
  assert.equal(io.stdout.text(), "null\nnull\n");
});

Deno.test("writeJsonLines() writes nothing for no values", async () => {
  const { io, writes } = countingIo();
  await writeJsonLines(io, []);
  assert.deepEqual(writes, []);
});

Deno.test("writeJsonLines() takes generators and async iterables", async () => {
  function* sync() {
    yield 1;
    yield 2;
  }
  async function* stream() {
    yield { n: 1 };
    await Promise.resolve();
    yield { n: 2 };
  }
  const io = memoryIo();
  await writeJsonLines(io, sync());
  await writeJsonLines(io, stream());
  assert.equal(io.stdout.text(), '1\n2\n{"n":1}\n{"n":2}\n');
});

Deno.test("writeJsonLines() batches about 64 KB per write", async (t) => {
  const record = { id: "abcdefgh", title: "x".repeat(90) }; // 113 characters with the newline
  const values = Array.from({ length: 10_000 }, () => record);
  const expected = values.map((v) => JSON.stringify(v) + "\n").join("");
  for (const [name, source] of [["array", values], ["async", toAsync(values)]] as const) {
    await t.step(name, async () => {
      const { io, writes } = countingIo();
      await writeJsonLines(io, source);
      assert.equal(writes.join(""), expected);
      assert.ok(writes.length > 1 && writes.length <= Math.ceil(expected.length / 65_536));
      for (const w of writes.slice(0, -1)) {
        assert.ok(w.length >= 65_536 && w.length < 65_536 + 113, `batch of ${w.length}`);
        assert.ok(w.endsWith("\n"));
      }
    });
  }
});

async function* toAsync<T>(values: T[]): AsyncIterable<T> {
  for (const v of values) yield v;
}

Deno.test("writeJson() pretty-prints with two spaces and a newline", async () => {
  const io = memoryIo();
  await writeJson(io, { name: "kit", list: [1, { deep: true }], empty: [] });
  assert.equal(
    io.stdout.text(),
    '{\n  "name": "kit",\n  "list": [\n    1,\n    {\n      "deep": true\n    }\n  ],\n  "empty": []\n}\n',
  );
});

Deno.test("writeJson() writes scalars and undefined", async () => {
  const io = memoryIo();
  await writeJson(io, "text");
  await writeJson(io, undefined);
  assert.equal(io.stdout.text(), '"text"\nnull\n');
});
