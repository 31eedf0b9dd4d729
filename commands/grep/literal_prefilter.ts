/**
 * The literal prefilter: before a file is decoded and handed to the regex engine, its raw
 * bytes are scanned for a literal that every match must contain. Most files of a search
 * contain none, and for them the scan (a `memchr`-speed `indexOf` on the rarest byte of the
 * literal) is all the work done.
 *
 * @module
 */

// Every byte value from most to least common, counted over 200 MB of C headers, Python and
// documentation on a Debian system. Like ripgrep's frequency table it only has to rank.
const BY_FREQUENCY = [
  32,
  101,
  116,
  115,
  95,
  110,
  105,
  114,
  111,
  97,
  0,
  99,
  10,
  108,
  100,
  112,
  83,
  102,
  117,
  104,
  69,
  109,
  47,
  42,
  84,
  41,
  40,
  73,
  78,
  76,
  79,
  67,
  44,
  82,
  103,
  65,
  121,
  80,
  98,
  45,
  107,
  46,
  48,
  118,
  120,
  62,
  68,
  60,
  35,
  77,
  49,
  34,
  59,
  70,
  119,
  9,
  58,
  71,
  50,
  85,
  61,
  88,
  66,
  1,
  53,
  72,
  57,
  255,
  86,
  51,
  75,
  39,
  52,
  54,
  89,
  56,
  106,
  2,
  122,
  125,
  124,
  123,
  240,
  92,
  93,
  91,
  87,
  96,
  55,
  3,
  38,
  5,
  113,
  4,
  8,
  160,
  64,
  90,
  15,
  208,
  74,
  218,
  16,
  43,
  36,
  12,
  171,
  216,
  194,
  6,
  166,
  81,
  11,
  136,
  7,
  212,
  209,
  33,
  14,
  144,
  137,
  13,
  128,
  37,
  20,
  19,
  18,
  24,
  17,
  23,
  21,
  152,
  132,
  139,
  25,
  22,
  28,
  140,
  151,
  221,
  31,
  243,
  131,
  26,
  233,
  27,
  232,
  30,
  133,
  29,
  248,
  147,
  195,
  148,
  210,
  63,
  241,
  224,
  192,
  176,
  215,
  254,
  141,
  193,
  126,
  156,
  94,
  168,
  157,
  146,
  138,
  184,
  235,
  169,
  155,
  189,
  219,
  145,
  130,
  149,
  211,
  179,
  172,
  187,
  229,
  227,
  201,
  143,
  239,
  247,
  244,
  203,
  165,
  222,
  206,
  231,
  199,
  173,
  245,
  150,
  183,
  182,
  226,
  225,
  185,
  197,
  167,
  164,
  135,
  186,
  238,
  246,
  163,
  237,
  188,
  153,
  223,
  154,
  213,
  198,
  178,
  250,
  217,
  181,
  142,
  253,
  251,
  191,
  158,
  205,
  236,
  174,
  175,
  207,
  127,
  230,
  162,
  180,
  170,
  134,
  190,
  159,
  242,
  249,
  252,
  202,
  214,
  196,
  220,
  228,
  200,
  177,
  204,
  129,
  234,
  161,
];
const RANK = new Uint8Array(256);
BY_FREQUENCY.forEach((byte, i) => RANK[byte] = i);

/** A literal some bytes must contain, prepared for fast scanning. */
export class LiteralPrefilter {
  readonly #needles: { bytes: Uint8Array; rare: number; at: number }[];

  /**
   * @param literals Any one of these must be present (UTF-8 encoded, case-sensitive); an
   *   empty string matches anything, so it disables the filter.
   */
  constructor(literals: readonly string[]) {
    const encoder = new TextEncoder();
    this.#needles = literals.map((literal) => {
      const bytes = encoder.encode(literal);
      let at = 0;
      for (let i = 1; i < bytes.length; i++) if (RANK[bytes[i]] > RANK[bytes[at]]) at = i;
      return { bytes, rare: bytes[at], at };
    });
  }

  /**
   * Whether `haystack` contains any of the literals.
   *
   * @example
   * ```ts
   * import { LiteralPrefilter } from "./literal_prefilter.ts";
   * import assert from "node:assert/strict";
   * const filter = new LiteralPrefilter(["PM_RESUME", "résumé"]);
   * const enc = (s: string) => new TextEncoder().encode(s);
   * assert.ok(filter.mayMatch(enc("x résumé y")));
   * assert.ok(!filter.mayMatch(enc("PM_RESUM PM_SUSPEND")));
   * ```
   *
   * @param haystack The bytes.
   * @returns False only when no match is possible.
   */
  mayMatch(haystack: Uint8Array): boolean {
    for (const needle of this.#needles) {
      const { bytes, rare, at } = needle;
      const n = bytes.length;
      if (n === 0) return true;
      const last = haystack.length - n + at;
      for (
        let i = haystack.indexOf(rare, at);
        i >= 0 && i <= last;
        i = haystack.indexOf(rare, i + 1)
      ) {
        const start = i - at;
        let j = 0;
        while (j < n && haystack[start + j] === bytes[j]) j++;
        if (j === n) return true;
      }
    }
    return false;
  }
}
