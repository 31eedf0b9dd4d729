/** Byte helpers private to lib/http. */

import { concat as join } from "../bytes/mod.ts";

/** Joins byte arrays into one (the array itself when there is only one). */
export function concat(parts: Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0] : join(parts);
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}
