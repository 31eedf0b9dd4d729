import assert from "node:assert/strict";
import { DEFAULT_LIMITS } from "./limits.ts";

Deno.test("DEFAULT_LIMITS are Redis's", () => {
  assert.equal(DEFAULT_LIMITS.maxBulkLength, 512 * 1024 * 1024); // proto-max-bulk-len
  assert.equal(DEFAULT_LIMITS.maxInlineLength, 64 * 1024); // PROTO_INLINE_MAX_SIZE
  assert.equal(DEFAULT_LIMITS.maxAggregateLength, 2 ** 31 - 1); // INT_MAX
  assert.equal(DEFAULT_LIMITS.maxQueryLength, 1024 * 1024 * 1024); // client-query-buffer-limit
});
