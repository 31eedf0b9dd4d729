/**
 * Bytes and numbers the way Redis reads and writes them: float parsing with Redis's rules and
 * Redis's number formatting for scores and INCRBYFLOAT. Keys as latin1 strings, words,
 * integers and globs follow the rules `kit kv serve` shares, in lib/resp/args.ts.
 *
 * @module
 */

import { bytesOf, latin1 } from "../../lib/resp/args.ts";

export {
  bytesOf,
  globMatch,
  latin1,
  latin1Range,
  lowerWord,
  parseBigInt,
  parseInteger,
} from "../../lib/resp/args.ts";

/**
 * ASCII text as bytes (numbers, words).
 *
 * @example
 * ```ts
 * import { ascii } from "./bytes.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(ascii("42"), new Uint8Array([52, 50]));
 * ```
 *
 * @param s ASCII text.
 * @returns The bytes.
 */
export function ascii(s: string): Uint8Array {
  return bytesOf(s);
}

const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITE = /^([+-]?)inf(?:inity)?$/i;

/**
 * Parses a float as Redis's `strtod`-based parsers do: decimal or exponent notation, `inf`,
 * `-inf`, `+inf`; no spaces, no NaN.
 *
 * @example
 * ```ts
 * import { parseFloat64 } from "./bytes.ts";
 * import assert from "node:assert/strict";
 * const b = (s: string) => new TextEncoder().encode(s);
 * assert.equal(parseFloat64(b("1.5e3")), 1500);
 * assert.equal(parseFloat64(b("-inf")), -Infinity);
 * assert.equal(parseFloat64(b("nan")), undefined);
 * assert.equal(parseFloat64(b(" 1")), undefined);
 * ```
 *
 * @param bytes The text.
 * @returns The value, or undefined when it is not one.
 */
export function parseFloat64(bytes: Uint8Array): number | undefined {
  const n = bytes.length;
  if (n === 0 || n > 5000) return undefined;
  if (n <= 15) {
    // Plain integers (most scores) are exact in a double: read them without text.
    let i = bytes[0] === 45 && n > 1 ? 1 : 0;
    let v = 0;
    for (; i < n; i++) {
      const d = bytes[i] - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (i === n) return bytes[0] === 45 ? -v : v;
  }
  const s = latin1(bytes);
  if (FLOAT.test(s)) {
    const v = Number(s);
    return Number.isNaN(v) ? undefined : v;
  }
  const inf = INFINITE.exec(s);
  if (inf) return inf[1] === "-" ? -Infinity : Infinity;
  return undefined;
}

/**
 * Formats a double as Redis 7.0 replies with scores: C's `%.17g` (`3`, `1.5`,
 * `1.1000000000000001`, `1e+20`, `inf`, `-inf`).
 *
 * @example
 * ```ts
 * import { formatDouble } from "./bytes.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatDouble(3), "3");
 * assert.equal(formatDouble(1.5), "1.5");
 * assert.equal(formatDouble(1.1), "1.1000000000000001");
 * assert.equal(formatDouble(1e20), "1e+20");
 * assert.equal(formatDouble(0.00001), "1.0000000000000001e-05");
 * assert.equal(formatDouble(-Infinity), "-inf");
 * ```
 *
 * @param n The value.
 * @returns The text.
 */
export function formatDouble(n: number): string {
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  if (Number.isNaN(n)) return "nan";
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const e = n.toExponential(16);
  const at = e.indexOf("e");
  const exp = Number(e.slice(at + 1));
  const negative = n < 0;
  const digits = e.slice(negative ? 1 : 0, at).replace(".", "");
  let out: string;
  if (exp < -4 || exp >= 17) {
    const mantissa = stripZeros(`${digits[0]}.${digits.slice(1)}`);
    const sign = exp < 0 ? "-" : "+";
    out = `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, "0")}`;
  } else if (exp >= 0) {
    out = stripZeros(`${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`);
  } else {
    out = stripZeros(`0.${"0".repeat(-exp - 1)}${digits}`);
  }
  return negative ? `-${out}` : out;
}

function stripZeros(s: string): string {
  if (!s.includes(".")) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}
