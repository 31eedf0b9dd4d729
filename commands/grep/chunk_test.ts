import assert from "node:assert/strict";
import { byteColumn, byteIndex, decodeChunk, sliceBytes, utf8Length } from "./chunk.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);

Deno.test("decodeChunk() reads ASCII one char per byte", () => {
  const chunk = decodeChunk(utf8("hello\nworld\n"));
  assert.equal(chunk.kind, "ascii");
  assert.equal(chunk.text, "hello\nworld\n");
  assert.equal(chunk.text.length, chunk.bytes.length);
});

Deno.test("decodeChunk() decodes valid UTF-8 that is not ASCII", () => {
  const chunk = decodeChunk(utf8("h\u00e9llo \u{1F600}\n"));
  assert.equal(chunk.kind, "utf8");
  assert.equal(chunk.text, "h\u00e9llo \u{1F600}\n");
});

Deno.test("decodeChunk() reads UTF-8 one char per byte when the patterns are byte-safe", () => {
  const bytes = utf8("h\u00e9llo\n");
  const chunk = decodeChunk(bytes, { byteSafe: true });
  assert.equal(chunk.kind, "bytes");
  assert.equal(chunk.text.length, bytes.length);
  assert.equal(chunk.text, "h\u00c3\u00a9llo\n");
  // ASCII stays ASCII either way.
  assert.equal(decodeChunk(utf8("hello\n"), { byteSafe: true }).kind, "ascii");
});

Deno.test("decodeChunk() reads invalid UTF-8 leniently, one U+FFFD per bad sequence", () => {
  const chunk = decodeChunk(new Uint8Array([0x66, 0xff, 0x6f, 0xe2, 0x82, 0x0a]));
  assert.equal(chunk.kind, "lossy");
  assert.equal(chunk.text, "f\ufffdo\ufffd\n");
  // With byte-safe patterns it is read one char per byte instead.
  assert.equal(decodeChunk(new Uint8Array([0x66, 0xff, 0x0a]), { byteSafe: true }).kind, "bytes");
});

Deno.test("decodeChunk() defaults to a whole file's only chunk; options place it in a file", () => {
  const whole = decodeChunk(utf8("a\n"));
  assert.deepEqual(
    [whole.byteBase, whole.lineBase, whole.from, whole.last],
    [0, 1, 0, true],
  );
  const part = decodeChunk(utf8("b\nc\n"), { byteBase: 100, lineBase: 7, from: 2, last: false });
  assert.deepEqual([part.byteBase, part.lineBase, part.from, part.last], [100, 7, 2, false]);
});

Deno.test("decodeChunk() of no bytes is an empty ASCII chunk", () => {
  const chunk = decodeChunk(new Uint8Array(0));
  assert.equal(chunk.kind, "ascii");
  assert.equal(chunk.text, "");
});

Deno.test("decodeChunk() works on a view into a larger buffer", () => {
  const all = utf8("skip\nh\u00e9\nrest");
  const view = all.subarray(5, 9); // "hé\n"
  const chunk = decodeChunk(view);
  assert.equal(chunk.kind, "utf8");
  assert.equal(chunk.text, "h\u00e9\n");
  assert.deepEqual(sliceBytes(chunk, 1, 2), utf8("\u00e9"));
});

Deno.test("utf8Length() counts UTF-8 bytes of a slice", async (t) => {
  const cases: [text: string, start: number, end: number, want: number][] = [
    ["abc", 0, 3, 3],
    ["a\u00e9\u{1F600}", 0, 4, 7],
    ["a\u00e9\u{1F600}", 1, 2, 2],
    ["\u20ac", 0, 1, 3],
    ["\u{1F600}", 0, 2, 4],
    // Half of a surrogate pair (the slice cuts it) is counted as the 3 bytes of U+FFFD.
    ["\u{1F600}", 0, 1, 3],
    ["", 0, 0, 0],
  ];
  for (const [text, start, end, want] of cases) {
    await t.step(`${JSON.stringify(text)} [${start}, ${end})`, () => {
      assert.equal(utf8Length(text, start, end), want);
    });
  }
});

Deno.test("byteIndex() converts char indices to byte offsets for each kind", () => {
  const ascii = decodeChunk(utf8("abc\n"));
  assert.equal(byteIndex(ascii, 3), 3);

  const text = decodeChunk(utf8("\u00e9a\u{1F600}b\n"));
  assert.deepEqual([0, 1, 2, 4, 5].map((i) => byteIndex(text, i)), [0, 2, 3, 7, 8]);
  // Asked out of order it is still right (the cursor starts over).
  assert.equal(byteIndex(text, 1), 2);
  assert.equal(byteIndex(text, 5), 8);

  const bytes = decodeChunk(utf8("\u00e9a\n"), { byteSafe: true });
  assert.equal(byteIndex(bytes, 2), 2);

  // 0xe2 0x82 is one U+FFFD of two bytes; a real U+FFFD in the file is three.
  const lossy = decodeChunk(new Uint8Array([0x61, 0xe2, 0x82, 0x62, 0xef, 0xbf, 0xbd, 0xff, 0x0a]));
  assert.equal(lossy.text, "a\ufffdb\ufffd\ufffd\n");
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((i) => byteIndex(lossy, i)), [0, 1, 3, 4, 7, 8, 9]);
});

Deno.test("byteColumn() is the byte offset of a char within its line", () => {
  const chunk = decodeChunk(utf8("x\nh\u00e9llo foo\n"));
  // "foo" starts at char 8 of the text, char 6 of line 2, byte 7 of that line.
  assert.equal(byteColumn(chunk, 2, 8), 7);
  assert.equal(byteColumn(chunk, 2, 2), 0);
  const ascii = decodeChunk(utf8("x\nhello foo\n"));
  assert.equal(byteColumn(ascii, 2, 8), 6);
  const lossy = decodeChunk(new Uint8Array([0x0a, 0xff, 0xfe, 0x61]));
  assert.equal(lossy.kind, "lossy");
  assert.equal(byteColumn(lossy, 1, 3), 2);
});

Deno.test("sliceBytes() returns the raw bytes of a char range", () => {
  const text = decodeChunk(utf8("a\u00e9\u{1F600}z"));
  assert.deepEqual(sliceBytes(text, 1, 4), utf8("\u00e9\u{1F600}"));
  assert.deepEqual(sliceBytes(text, 4, 5), utf8("z"));
  const raw = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "caf\xe9\n" in Latin-1
  const lossy = decodeChunk(raw);
  assert.deepEqual([...sliceBytes(lossy, 0, 4)], [0x63, 0x61, 0x66, 0xe9]);
  const bytes = decodeChunk(raw, { byteSafe: true });
  assert.deepEqual([...sliceBytes(bytes, 3, 5)], [0xe9, 0x0a]);
  // A slice is a view, not a copy.
  assert.equal(sliceBytes(bytes, 0, 2).buffer, raw.buffer);
});
