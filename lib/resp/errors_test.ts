import assert from "node:assert/strict";
import { RespProtocolError } from "./errors.ts";

Deno.test("RespProtocolError is a SyntaxError with an offset and its own name", () => {
  const e = new RespProtocolError("Protocol error: invalid bulk length", 3);
  assert.ok(e instanceof SyntaxError);
  assert.equal(e.name, "RespProtocolError");
  assert.equal(e.offset, 3);
});
