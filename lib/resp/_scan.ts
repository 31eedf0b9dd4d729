/**
 * Byte-level helpers the decoders share: integer parsing without building strings.
 *
 * @module
 */

/**
 * Parses a decimal integer from `buf[start, end)` with Redis's `string2ll` rules: an optional
 * `-`, no `+`, no leading zeros, no spaces. Returns NaN when the text is not one, and a value
 * beyond 2^53 as an inexact number (callers that need it exactly re-parse as a bigint).
 */
export function parseInteger(buf: Uint8Array, start: number, end: number): number {
  if (start >= end) return NaN;
  let i = start;
  let negative = false;
  if (buf[i] === 45) {
    negative = true;
    if (++i === end) return NaN;
  }
  if (buf[i] === 48) return i + 1 === end && !negative ? 0 : NaN;
  if (end - i > 19) return NaN;
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return negative ? -n : n;
}

/** Latin-1/ASCII text of `buf[start, end)`; for short protocol words only. */
export function ascii(buf: Uint8Array, start: number, end: number): string {
  return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
}
