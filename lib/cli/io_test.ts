import assert from "node:assert/strict";
import { BufferWriter, memoryIo, readAllText } from "./io.ts";

const encoder = new TextEncoder();

Deno.test("memoryIo() records stdout and stderr apart", async () => {
  const io = memoryIo();
  await io.stdout.write("out ");
  await io.stderr.write("err\n");
  await io.stdout.write(encoder.encode("more\n"));
  assert.equal(io.stdout.text(), "out more\n");
  assert.equal(io.stderr.text(), "err\n");
});

Deno.test("memoryIo() looks up only the given environment", () => {
  const io = memoryIo({ env: { HOME: "/home/a" } });
  assert.equal(io.env("HOME"), "/home/a");
  assert.equal(io.env("PATH"), undefined);
});

Deno.test("memoryIo() has defaults: not a terminal, 80x24, the current folder", () => {
  const io = memoryIo();
  assert.deepEqual(io.isTerminal, { stdin: false, stdout: false, stderr: false });
  assert.equal(io.columns, 80);
  assert.equal(io.rows, 24);
  assert.equal(io.cwd, Deno.cwd());
  assert.equal(io.env("HOME"), undefined);
});

Deno.test("memoryIo() takes a terminal flag, a folder and a fixed clock", () => {
  const now = new Date("2024-05-06T07:08:09Z");
  const io = memoryIo({ tty: true, cwd: "/tmp/x", now: () => now });
  assert.deepEqual(io.isTerminal, { stdin: true, stdout: true, stderr: true });
  assert.equal(io.cwd, "/tmp/x");
  assert.equal(io.now().toISOString(), "2024-05-06T07:08:09.000Z");
});

Deno.test("memoryIo() feeds stdin text", async () => {
  assert.equal(await readAllText(memoryIo({ stdin: "héllo\n日本\n" }).stdin), "héllo\n日本\n");
  assert.equal(await readAllText(memoryIo().stdin), "");
});

Deno.test("BufferWriter.text() joins multi-byte characters split across writes", async (t) => {
  const text = "a€b日🎉c";
  const bytes = encoder.encode(text);
  // Every split point, including ones in the middle of a character.
  for (let at = 0; at <= bytes.length; at++) {
    await t.step(`split at byte ${at}`, async () => {
      const writer = new BufferWriter();
      await writer.write(bytes.subarray(0, at));
      await writer.write(bytes.subarray(at));
      assert.equal(writer.text(), text);
    });
  }
});

Deno.test("BufferWriter.text() joins a character written one byte at a time", async () => {
  const writer = new BufferWriter();
  for (const byte of encoder.encode("🎉")) await writer.write(new Uint8Array([byte]));
  assert.equal(writer.text(), "🎉");
});

Deno.test("BufferWriter.text() marks a truncated character at the end", async () => {
  const writer = new BufferWriter();
  await writer.write(encoder.encode("ok€").subarray(0, 4));
  assert.equal(writer.text(), "ok\ufffd");
});

Deno.test("BufferWriter.text() can be called again after more writes", async () => {
  const writer = new BufferWriter();
  assert.equal(writer.text(), "");
  await writer.write("one");
  assert.equal(writer.text(), "one");
  await writer.write("two");
  assert.equal(writer.text(), "onetwo");
});

Deno.test("BufferWriter keeps what was written when the caller reuses its buffer", async () => {
  const writer = new BufferWriter();
  const buffer = encoder.encode("abc");
  await writer.write(buffer);
  buffer.set(encoder.encode("xyz"));
  await writer.write(buffer);
  assert.equal(writer.text(), "abcxyz");
});

Deno.test("readAllText() decodes a stream whose chunks split characters", async () => {
  const bytes = encoder.encode("日本語");
  const stream = ReadableStream.from([
    bytes.subarray(0, 1),
    bytes.subarray(1, 5),
    bytes.subarray(5),
  ]);
  assert.equal(await readAllText(stream), "日本語");
});

Deno.test("readAllText() reads an empty stream as empty text", async () => {
  assert.equal(await readAllText(ReadableStream.from<Uint8Array>([])), "");
});
