import assert from "node:assert/strict";
import { CliError } from "../../lib/cli/error.ts";
import { decodeEntry, encodeEntry } from "./entry_json.ts";

const b = (s: string) => new TextEncoder().encode(s);

Deno.test("encodeEntry() and decodeEntry() round-trip text and binary entries", () => {
  const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (
    const [key, value, expiresAt] of [
      [b("k"), b("héllo"), null],
      [binary, binary, 123],
      [b(""), b(""), null],
    ] as const
  ) {
    const json = JSON.parse(JSON.stringify(encodeEntry(key, value, expiresAt)));
    assert.deepEqual(decodeEntry(json, 1), { key, value, expiresAt });
  }
  assert.deepEqual(encodeEntry(b("k")), { key: "k" });
});

Deno.test("decodeEntry() names the line of a bad entry", () => {
  assert.throws(
    () => decodeEntry({ value: "v" }, 7),
    (e: unknown) => e instanceof CliError && e.message === 'Line 7: no "key" or "keyBase64" string',
  );
  assert.throws(() => decodeEntry({ key: "k" }, 2), CliError);
  assert.throws(() => decodeEntry({ key: "k", value: "v", expiresAt: 1.5 }, 3), CliError);
});
