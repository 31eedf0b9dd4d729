import assert from "node:assert/strict";
import { OutputBuffer } from "./output_buffer.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);

Deno.test("OutputBuffer starts empty and take() of nothing is no bytes", () => {
  const out = new OutputBuffer();
  assert.equal(out.empty, true);
  assert.deepEqual(out.take(), new Uint8Array(0));
  assert.equal(out.empty, true);
});

Deno.test("OutputBuffer encodes text as UTF-8", () => {
  const out = new OutputBuffer();
  out.text("h\u00e9llo ");
  out.text("\u{1F600}\n");
  assert.equal(out.empty, false);
  assert.deepEqual(out.take(), utf8("h\u00e9llo \u{1F600}\n"));
});

Deno.test("OutputBuffer keeps raw bytes as they are, in order with the text around them", () => {
  const out = new OutputBuffer();
  out.text("a.txt:");
  out.bytes(new Uint8Array([0x63, 0x61, 0x66, 0xe9])); // "caf\xe9": Latin-1, not UTF-8
  out.text("\n");
  out.bytes(new Uint8Array([0xff]));
  out.bytes(new Uint8Array([0xfe, 0x0a]));
  assert.deepEqual(
    [...out.take()],
    [...utf8("a.txt:"), 0x63, 0x61, 0x66, 0xe9, 0x0a, 0xff, 0xfe, 0x0a],
  );
});

Deno.test("OutputBuffer.take() empties the buffer, and it can be filled again", () => {
  const out = new OutputBuffer();
  out.text("one\n");
  out.bytes(new Uint8Array([0x80]));
  assert.equal(out.take().length, 5);
  assert.equal(out.empty, true);
  assert.deepEqual(out.take(), new Uint8Array(0));
  out.text("two\n");
  assert.deepEqual(out.take(), utf8("two\n"));
});

Deno.test("OutputBuffer.empty is false once bytes alone were appended", () => {
  const out = new OutputBuffer();
  out.bytes(new Uint8Array([0x61]));
  assert.equal(out.empty, false);
  assert.deepEqual([...out.take()], [0x61]);
});
