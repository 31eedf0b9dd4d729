import assert from "node:assert/strict";
import { escapeBytes, HttpError, protocolError } from "./errors.ts";

Deno.test("HttpError carries kind, phase, bytes and cause", () => {
  const cause = new Error("x");
  const e = new HttpError("timeout", "timed out", { phase: "total", cause });
  assert.equal(e.name, "HttpError");
  assert.equal(e.kind, "timeout");
  assert.equal(e.phase, "total");
  assert.equal(e.cause, cause);
  assert.equal(e.bytes, undefined);
  assert.ok(e instanceof Error);
});

Deno.test("escapeBytes() escapes controls, quotes and high bytes, and cuts long input", () => {
  assert.equal(
    escapeBytes(new Uint8Array([0x41, 0x0d, 0x0a, 0x09, 0x00, 0xff, 0x22, 0x5c])),
    '"A\\r\\n\\t\\x00\\xff\\"\\\\"',
  );
  assert.equal(escapeBytes(new TextEncoder().encode("abcdef"), 3), '"abc"...');
});

Deno.test("protocolError() copies the bytes", () => {
  const bytes = new TextEncoder().encode("xy");
  const e = protocolError("bad", bytes);
  bytes[0] = 0;
  assert.equal(e.bytes![0], 0x78);
  assert.equal(e.kind, "protocol");
});
