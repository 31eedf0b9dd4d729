/**
 * INCRBYFLOAT's arithmetic as Redis does it: in C's `long double`, which on x86-64 is the
 * 80-bit extended format (a 64-bit mantissa), printed with `%.17Lf` and its trailing zeros cut.
 * A JavaScript double answers `0.1 + 0.2` with `0.30000000000000004` where Redis answers `0.3`,
 * and clients and scripts compare the text, so the sum is computed here exactly with BigInts
 * and rounded as the extended format rounds (to nearest, ties to even).
 *
 * @module
 */

/** A finite extended value: `(-1)^neg × m × 2^e`, with `m` 0 or in [2^63, 2^64). */
interface Extended {
  neg: boolean;
  m: bigint;
  e: number;
}

const BITS = 64;
const TOP = 1n << 63n;
const LIMIT = 1n << 64n;
/** The largest finite extended value is just under 2^16384. */
const MAX_EXPONENT = 16384 - BITS;
/** A decimal string of the forms `FLOAT` in bytes.ts accepts. */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** Exponents past these are infinite or zero in any format this serves; checked before BigInt powers. */
const DECIMAL_EXPONENT_LIMIT = 5000;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * `n / d × 2^-k` rounded to nearest, ties to even, for positive BigInts; `k` may be negative.
 */
function roundedQuotient(n: bigint, d: bigint, k: number): bigint {
  if (k >= 0) d <<= BigInt(k);
  else n <<= BigInt(-k);
  const q = n / d;
  const twice = (n % d) * 2n;
  if (twice > d || (twice === d && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** `n / d` (positive) as the nearest extended value. */
function fromRatio(neg: boolean, n: bigint, d: bigint): Extended {
  if (n === 0n) return { neg, m: 0n, e: 0 };
  // Pick k so that n / d / 2^k lands in [2^63, 2^64), then round; a carry to 2^64 moves up.
  let k = bitLength(n) - bitLength(d) - BITS;
  let m = roundedQuotient(n, d, k);
  while (m >= LIMIT) m = roundedQuotient(n, d, ++k);
  while (m < TOP) m = roundedQuotient(n, d, --k);
  return { neg, m, e: k };
}

/** An exact binary value `s × 2^e` (s signed) rounded to the extended format. */
function round(s: bigint, e: number): Extended {
  const neg = s < 0n;
  const a = neg ? -s : s;
  const extra = bitLength(a) - BITS;
  if (extra <= 0) return normalize(neg, a, e);
  let m = roundedQuotient(a, 1n, extra);
  let exp = e + extra;
  // Rounding up can carry into a 65th bit: 2^64 is 2^63 one exponent higher.
  if (m >= LIMIT) {
    m >>= 1n;
    exp++;
  }
  return { neg, m, e: exp };
}

function normalize(neg: boolean, a: bigint, e: number): Extended {
  if (a === 0n) return { neg, m: 0n, e: 0 };
  const shift = BITS - bitLength(a);
  return { neg, m: a << BigInt(shift), e: e - shift };
}

/**
 * Parses a decimal float (`12`, `-0.5`, `1e-3`, `.5`) to the nearest extended value, as
 * `strtold` does.
 *
 * @param text The number.
 * @returns The value, or undefined for other text.
 */
function parse(text: string): Extended | undefined {
  const match = DECIMAL.exec(text);
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) return undefined;
  const [, sign, whole, fraction = "", exponent = "0"] = match;
  const neg = sign === "-";
  const digits = BigInt((whole + fraction) || "0");
  if (digits === 0n) return { neg, m: 0n, e: 0 };
  const scale = Number(exponent) - fraction.length;
  if (Math.abs(scale) > DECIMAL_EXPONENT_LIMIT + (whole + fraction).length) {
    return scale > 0 ? undefined : { neg, m: 0n, e: 0 };
  }
  return scale >= 0
    ? fromRatio(neg, digits * 10n ** BigInt(scale), 1n)
    : fromRatio(neg, digits, 10n ** BigInt(-scale));
}

function add(a: Extended, b: Extended): Extended {
  if (a.m === 0n) return b.m === 0n ? { neg: a.neg && b.neg, m: 0n, e: 0 } : b;
  if (b.m === 0n) return a;
  // A term more than 66 bits below the other cannot move the rounding (it only breaks ties,
  // and a 64-bit mantissa plus such a term is never a tie): skip the long shift.
  if (a.e - b.e > BITS + 2 + BITS) return a;
  if (b.e - a.e > BITS + 2 + BITS) return b;
  const e = Math.min(a.e, b.e);
  const sa = (a.neg ? -a.m : a.m) << BigInt(a.e - e);
  const sb = (b.neg ? -b.m : b.m) << BigInt(b.e - e);
  const sum = sa + sb;
  // An exact zero sum is +0 in round-to-nearest.
  return sum === 0n ? { neg: false, m: 0n, e: 0 } : round(sum, e);
}

/** `%.17Lf` with the trailing zeros (and a bare point) cut, as Redis's `LD_STR_HUMAN`. */
function format(x: Extended): string {
  if (x.m === 0n) return "0";
  let scaled: bigint;
  if (x.e >= 0) scaled = (x.m << BigInt(x.e)) * 10n ** 17n;
  else scaled = roundedQuotient(x.m * 10n ** 17n, 1n, -x.e);
  const digits = scaled.toString().padStart(18, "0");
  const whole = digits.slice(0, -17);
  const fraction = digits.slice(-17).replace(/0+$/, "");
  const text = fraction === "" ? whole : `${whole}.${fraction}`;
  // C prints a negative value that rounds to zero as "-0"; Redis turns that into "0".
  return x.neg && text !== "0" ? `-${text}` : text;
}

/**
 * `current + increment` as Redis's INCRBYFLOAT and HINCRBYFLOAT compute and print it.
 *
 * @example
 * ```ts
 * import { addLongDouble } from "./long_double.ts";
 * import assert from "node:assert/strict";
 * assert.equal(addLongDouble("0.1", "0.2"), "0.3");
 * assert.equal(addLongDouble("3000", "1.0e-3"), "3000.00099999999999989");
 * assert.equal(addLongDouble("100000000000000001", "0.3"), "100000000000000001.296875");
 * assert.equal(addLongDouble("1", "-1"), "0");
 * ```
 *
 * @param current The stored value's text (a decimal float).
 * @param increment The increment's text (a decimal float).
 * @returns The new value's text, or undefined when a text is not a decimal float or the sum
 *   is beyond the extended format's range (Redis: "would produce NaN or Infinity").
 */
export function addLongDouble(current: string, increment: string): string | undefined {
  const a = parse(current);
  const b = parse(increment);
  if (a === undefined || b === undefined) return undefined;
  const sum = add(a, b);
  if (sum.m !== 0n && sum.e > MAX_EXPONENT) return undefined;
  return format(sum);
}
