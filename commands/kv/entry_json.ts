/**
 * The JSON form of a store entry, as `kit kv export` writes and `kit kv import` reads it.
 *
 * @module
 */

import { CliError } from "../../lib/cli/error.ts";

/**
 * One entry as JSON: text keys and values as strings, anything that is not UTF-8 as base64
 * under `keyBase64` / `valueBase64`; `expiresAt` in ms since the epoch, or null.
 */
export interface EntryJson {
  /** The key, when it is UTF-8. */
  key?: string;
  /** The key as base64, when it is not. */
  keyBase64?: string;
  /** The value, when it is UTF-8. */
  value?: string;
  /** The value as base64, when it is not. */
  valueBase64?: string;
  /** Expiry, ms since the epoch, or null. */
  expiresAt?: number | null;
}

const strict = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  }
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/**
 * The JSON form of an entry.
 *
 * @example
 * ```ts
 * import { encodeEntry } from "./entry_json.ts";
 * import assert from "node:assert/strict";
 * const b = (s: string) => new TextEncoder().encode(s);
 * assert.deepEqual(encodeEntry(b("k"), b("v"), null), { key: "k", value: "v", expiresAt: null });
 * assert.deepEqual(encodeEntry(b("k"), new Uint8Array([255]), null), { key: "k", valueBase64: "/w==", expiresAt: null });
 * ```
 *
 * @param key The key.
 * @param value The value; omitted for keys only.
 * @param expiresAt The expiry.
 * @returns The object to serialize.
 */
export function encodeEntry(
  key: Uint8Array,
  value?: Uint8Array,
  expiresAt?: number | null,
): EntryJson {
  const entry: EntryJson = {};
  const k = utf8(key);
  if (k === undefined) entry.keyBase64 = base64(key);
  else entry.key = k;
  if (value !== undefined) {
    const v = utf8(value);
    if (v === undefined) entry.valueBase64 = base64(value);
    else entry.value = v;
  }
  if (expiresAt !== undefined) entry.expiresAt = expiresAt;
  return entry;
}

/**
 * An entry from its JSON form.
 *
 * @example
 * ```ts
 * import { decodeEntry } from "./entry_json.ts";
 * import assert from "node:assert/strict";
 * const e = decodeEntry({ key: "k", valueBase64: "/w==" }, 1);
 * assert.deepEqual(e.value, new Uint8Array([255]));
 * assert.equal(e.expiresAt, null);
 * ```
 *
 * @param entry The parsed JSON.
 * @param line Its line number, for errors.
 * @returns Key, value and expiry.
 * @throws {CliError} When a field is missing or of the wrong type.
 */
export function decodeEntry(
  entry: EntryJson,
  line: number,
): { key: Uint8Array; value: Uint8Array; expiresAt: number | null } {
  const bad = (what: string) => new CliError(`Line ${line}: ${what}`);
  if (typeof entry !== "object" || entry === null) throw bad("not an object");
  let key: Uint8Array;
  if (typeof entry.key === "string") key = encoder.encode(entry.key);
  else if (typeof entry.keyBase64 === "string") key = fromBase64(entry.keyBase64);
  else throw bad('no "key" or "keyBase64" string');
  let value: Uint8Array;
  if (typeof entry.value === "string") value = encoder.encode(entry.value);
  else if (typeof entry.valueBase64 === "string") value = fromBase64(entry.valueBase64);
  else throw bad('no "value" or "valueBase64" string');
  const expiresAt = entry.expiresAt ?? null;
  if (expiresAt !== null && !Number.isSafeInteger(expiresAt)) {
    throw bad('"expiresAt" is not ms since the epoch');
  }
  return { key, value, expiresAt };
}
