/**
 * An fzf-style fuzzy matcher: a pattern matches a text when its characters appear in the text
 * in order, and the match is scored so that word starts, camelCase humps and runs of adjacent
 * characters rank above letters scattered through the middle of words.
 *
 * Two strategies, as in fzf:
 * - "window" (fzf v1), for any text: a forward scan finds where the first complete subsequence
 *   ends, a backward scan from there finds the shortest window holding it, and that window is
 *   scored. Linear in the text, so it is the one used on whole note bodies.
 * - "optimal" (fzf v2), for texts of at most {@linkcode OPTIMAL_MAX_LENGTH} UTF-16 units: a
 *   dynamic program over pattern × text picks the highest-scoring placement, e.g. `fb` in
 *   `fxxxbar fb` lands on the final word rather than on the first `f`.
 *
 * Both start with the same cheap rejection (the forward scan, comparing char codes with
 * ASCII case folding inline), so a text that does not match costs one pass and no allocation.
 *
 * @module
 */

/** Where and how well a pattern matched. */
export interface FuzzyMatch {
  /** Higher is better. Only comparable between matches of the same pattern. */
  score: number;
  /** UTF-16 indices into the text of the matched characters, ascending, without duplicates. */
  positions: number[];
}

/** Options for {@linkcode fuzzyMatch}. */
export interface FuzzyOptions {
  /**
   * Compare case exactly (`true`) or ignoring case (`false`). Left undefined, each term of the
   * pattern is "smart case": case-sensitive only when that term has an upper-case letter.
   *
   * @default {undefined}
   */
  caseSensitive?: boolean;
  /**
   * How to place the pattern: `"auto"` uses the optimal alignment on texts of at most
   * {@linkcode OPTIMAL_MAX_LENGTH} UTF-16 units and the window scan on longer ones;
   * `"window"` always uses the window scan, about three times cheaper per matching text,
   * for bulk filtering where only the yes/no and a rough score matter.
   *
   * @default {"auto"}
   */
  strategy?: "auto" | "window";
}

/** The defaults of {@linkcode FuzzyOptions}: smart case. */
export const DEFAULTS: Readonly<FuzzyOptions> = {
  caseSensitive: undefined,
  strategy: "auto",
} satisfies FuzzyOptions;

/** Texts up to this many UTF-16 units get the optimal alignment; longer ones the window scan. */
export const OPTIMAL_MAX_LENGTH = 256;

// Scores, as in fzf (src/algo/algo.go), so rankings feel the same to fzf users.
const SCORE_MATCH = 16;
const SCORE_GAP_START = -3;
const SCORE_GAP_EXTENSION = -1;
const BONUS_BOUNDARY = SCORE_MATCH / 2;
const BONUS_NON_WORD = SCORE_MATCH / 2;
const BONUS_CAMEL123 = BONUS_BOUNDARY + SCORE_GAP_EXTENSION;
// A run of matches must not score below the same letters split by a one-character gap.
const BONUS_CONSECUTIVE = -(SCORE_GAP_START + SCORE_GAP_EXTENSION);
const BONUS_FIRST_CHAR_MULTIPLIER = 2;
const BONUS_BOUNDARY_WHITE = BONUS_BOUNDARY + 2;
const BONUS_BOUNDARY_DELIMITER = BONUS_BOUNDARY + 1;

const CLASS_WHITE = 0;
const CLASS_NON_WORD = 1;
const CLASS_DELIMITER = 2;
const CLASS_LOWER = 3;
const CLASS_UPPER = 4;
const CLASS_LETTER = 5;
const CLASS_NUMBER = 6;
const CLASS_COUNT = 7;
const CLASS_UNKNOWN = 255;

/** Far below any reachable score, and still far from overflow after a few additions. */
const UNREACHABLE = -(1 << 28);

/** Character class per UTF-16 unit, filled lazily outside ASCII. */
const classes = new Uint8Array(65536).fill(CLASS_UNKNOWN);
/** Lower-case form per UTF-16 unit; 0 means "not computed yet" (ASCII never looks here). */
const lowered = new Uint16Array(65536);
/** Bonus for a match at a character of class `c` after one of class `p`: `bonuses[p * 7 + c]`. */
const bonuses = new Int8Array(CLASS_COUNT * CLASS_COUNT);

for (let c = 0; c < 128; c++) classes[c] = classify(c);
for (let p = 0; p < CLASS_COUNT; p++) {
  for (let c = 0; c < CLASS_COUNT; c++) bonuses[p * CLASS_COUNT + c] = bonusFor(p, c);
}

function classify(code: number): number {
  if (code >= 97 && code <= 122) return CLASS_LOWER;
  if (code >= 65 && code <= 90) return CLASS_UPPER;
  if (code >= 48 && code <= 57) return CLASS_NUMBER;
  const char = String.fromCharCode(code);
  if (/\s/.test(char)) return CLASS_WHITE;
  if ("/,:;|".includes(char)) return CLASS_DELIMITER;
  if (code < 128) return CLASS_NON_WORD;
  if (/\p{Lu}|\p{Lt}/u.test(char)) return CLASS_UPPER;
  if (/\p{Ll}/u.test(char)) return CLASS_LOWER;
  if (/\p{L}/u.test(char)) return CLASS_LETTER;
  if (/\p{N}/u.test(char)) return CLASS_NUMBER;
  return CLASS_NON_WORD;
}

function classOf(code: number): number {
  let cls = classes[code];
  if (cls === CLASS_UNKNOWN) classes[code] = cls = classify(code);
  return cls;
}

function bonusFor(prev: number, cls: number): number {
  if (cls > CLASS_NON_WORD) {
    if (prev === CLASS_WHITE) return BONUS_BOUNDARY_WHITE;
    if (prev === CLASS_DELIMITER) return BONUS_BOUNDARY_DELIMITER;
    if (prev === CLASS_NON_WORD) return BONUS_BOUNDARY;
  }
  if (
    (prev === CLASS_LOWER && cls === CLASS_UPPER) ||
    (prev !== CLASS_NUMBER && cls === CLASS_NUMBER)
  ) {
    return BONUS_CAMEL123;
  }
  if (cls === CLASS_NON_WORD || cls === CLASS_DELIMITER) return BONUS_NON_WORD;
  if (cls === CLASS_WHITE) return BONUS_BOUNDARY_WHITE;
  return 0;
}

/** Lower-cases one UTF-16 unit; units whose lower case is longer stay as they are. */
function lower(code: number): number {
  if (code < 128) return code >= 65 && code <= 90 ? code + 32 : code;
  let low = lowered[code];
  if (low === 0) {
    const s = String.fromCharCode(code).toLowerCase();
    lowered[code] = low = s.length === 1 ? s.charCodeAt(0) : code;
  }
  return low;
}

interface Term {
  /** The term's UTF-16 units, lower-cased unless the term is case-sensitive. */
  codes: Uint16Array;
  caseSensitive: boolean;
}

// The same pattern is matched against thousands of texts in a row: compile it once.
let cachedPattern: string | undefined;
let cachedCase: boolean | undefined;
let cachedTerms: Term[] = [];

function compile(pattern: string, caseSensitive: boolean | undefined): Term[] {
  if (pattern === cachedPattern && caseSensitive === cachedCase) return cachedTerms;
  const terms: Term[] = [];
  for (const word of pattern.split(" ")) {
    if (word === "") continue;
    const exact = caseSensitive ?? word !== word.toLowerCase();
    const codes = new Uint16Array(word.length);
    for (let i = 0; i < word.length; i++) {
      const code = word.charCodeAt(i);
      codes[i] = exact ? code : lower(code);
    }
    terms.push({ codes, caseSensitive: exact });
  }
  cachedPattern = pattern;
  cachedCase = caseSensitive;
  cachedTerms = terms;
  return terms;
}

// Scratch space reused across calls so the hot path does not allocate.
let firsts = new Int32Array(64);
let found = new Int32Array(64);
let scoresBuf = new Int32Array(64 * OPTIMAL_MAX_LENGTH);
let runsBuf = new Int32Array(64 * OPTIMAL_MAX_LENGTH);
const units = new Uint16Array(OPTIMAL_MAX_LENGTH);
const rowBonus = new Int8Array(OPTIMAL_MAX_LENGTH);

function reserve(m: number): void {
  if (firsts.length >= m) return;
  firsts = new Int32Array(m);
  found = new Int32Array(m);
  scoresBuf = new Int32Array(m * OPTIMAL_MAX_LENGTH);
  runsBuf = new Int32Array(m * OPTIMAL_MAX_LENGTH);
}

/** What matchTerm() returns for no match; real scores can be negative (long gaps). */
const NO_MATCH = Number.MIN_SAFE_INTEGER;

/**
 * The forward scan: finds the earliest place each unit of the term can go, leaving them in
 * `firsts[0 .. m)`. Returns the index of the last one, or -1 when the term does not match.
 * This is the cheap rejection every text goes through.
 */
function scanTerm(term: Term, text: string): number {
  const codes = term.codes;
  const m = codes.length;
  const n = text.length;
  if (m > n) return -1;
  reserve(m);
  const exact = term.caseSensitive;
  let p = 0;
  let want = codes[0];
  for (let i = 0; i < n; i++) {
    let code = text.charCodeAt(i);
    if (!exact) {
      if (code >= 65 && code <= 90) code += 32;
      else if (code >= 128) code = lower(code);
    }
    if (code === want) {
      firsts[p] = i;
      if (++p === m) return i;
      want = codes[p];
    }
  }
  return -1;
}

/**
 * Matches one term. Returns its score, or NO_MATCH; the positions are left in `found[0 .. m)`.
 */
function matchTerm(term: Term, text: string, optimal: boolean): number {
  const end = scanTerm(term, text);
  if (end < 0) return NO_MATCH;
  const codes = term.codes;
  const m = codes.length;
  const exact = term.caseSensitive;
  let p: number;
  let want: number;

  if (optimal && text.length <= OPTIMAL_MAX_LENGTH) return alignOptimal(codes, m, text, exact);

  // Backward scan from the end: the latest start, i.e. the shortest window ending at `end`.
  p = m - 1;
  want = codes[p];
  let start = end;
  for (let i = end; i >= 0; i--) {
    let code = text.charCodeAt(i);
    if (!exact) {
      if (code >= 65 && code <= 90) code += 32;
      else if (code >= 128) code = lower(code);
    }
    if (code === want) {
      if (--p < 0) {
        start = i;
        break;
      }
      want = codes[p];
    }
  }
  return scoreWindow(codes, text, exact, start, end);
}

/** fzf's calculateScore: greedy placement within [start, end], scored as it goes. */
function scoreWindow(
  codes: Uint16Array,
  text: string,
  exact: boolean,
  start: number,
  end: number,
): number {
  const m = codes.length;
  let p = 0;
  let score = 0;
  let inGap = false;
  let consecutive = 0;
  let firstBonus = 0;
  let prevClass = start > 0 ? classOf(text.charCodeAt(start - 1)) : CLASS_WHITE;
  for (let i = start; i <= end && p < m; i++) {
    const raw = text.charCodeAt(i);
    const cls = classOf(raw);
    const code = exact ? raw : lower(raw);
    if (code === codes[p]) {
      found[p] = i;
      score += SCORE_MATCH;
      let bonus = bonuses[prevClass * CLASS_COUNT + cls];
      if (consecutive === 0) {
        firstBonus = bonus;
      } else {
        // A boundary inside a run starts a new chunk whose first bonus carries on.
        if (bonus >= BONUS_BOUNDARY && bonus > firstBonus) firstBonus = bonus;
        bonus = Math.max(bonus, firstBonus, BONUS_CONSECUTIVE);
      }
      score += p === 0 ? bonus * BONUS_FIRST_CHAR_MULTIPLIER : bonus;
      inGap = false;
      consecutive++;
      p++;
    } else {
      score += inGap ? SCORE_GAP_EXTENSION : SCORE_GAP_START;
      inGap = true;
      consecutive = 0;
      firstBonus = 0;
    }
    prevClass = cls;
  }
  return score;
}

/**
 * fzf v2: `scores[i * width + k]` is the best score of placing pattern units 0..i with unit i
 * at or before text column `f0 + k`; `runs` holds the length of the run of adjacent matches
 * ending there when unit i is placed exactly at that column, and 0 when the column is a gap,
 * which is also what the backtrace follows.
 */
function alignOptimal(codes: Uint16Array, m: number, text: string, exact: boolean): number {
  // Locals, not the module bindings that reserve() reassigns, so the loops keep them in registers.
  const scores = scoresBuf;
  const runs = runsBuf;
  const f0 = firsts[0];
  // The last column worth looking at: the last occurrence of the last pattern unit.
  const lastCode = codes[m - 1];
  let last = text.length - 1;
  for (; last > firsts[m - 1]; last--) {
    const raw = text.charCodeAt(last);
    if ((exact ? raw : lower(raw)) === lastCode) break;
  }
  const width = last - f0 + 1;

  let prevClass = f0 > 0 ? classOf(text.charCodeAt(f0 - 1)) : CLASS_WHITE;
  for (let k = 0; k < width; k++) {
    const raw = text.charCodeAt(f0 + k);
    const cls = raw < 128 ? classes[raw] : classOf(raw);
    rowBonus[k] = bonuses[prevClass * CLASS_COUNT + cls];
    units[k] = exact || raw < 65 || (raw > 90 && raw < 128) ? raw : lower(raw);
    prevClass = cls;
  }

  // Row 0: the first unit, with the first-character multiplier. `prev` is the cell to the
  // left and `gap` what stepping right from it without a match costs.
  const first = codes[0];
  let prev = UNREACHABLE;
  let gap = SCORE_GAP_START;
  for (let k = 0; k < width; k++) {
    const viaGap = prev + gap;
    if (units[k] === first) {
      const here = SCORE_MATCH + rowBonus[k] * BONUS_FIRST_CHAR_MULTIPLIER;
      if (here >= viaGap) {
        scores[k] = prev = here;
        runs[k] = 1;
        gap = SCORE_GAP_START;
        continue;
      }
    }
    scores[k] = prev = viaGap;
    runs[k] = 0;
    gap = SCORE_GAP_EXTENSION;
  }

  for (let i = 1; i < m; i++) {
    const want = codes[i];
    const from = firsts[i] - f0;
    prev = UNREACHABLE;
    gap = SCORE_GAP_START;
    // `c` is this row's cell, `d` the diagonal one (unit i - 1 one column to the left).
    for (let k = from, c = i * width + from, d = c - width - 1; k < width; k++, c++, d++) {
      const viaGap = prev + gap;
      if (units[k] === want) {
        let bonus = rowBonus[k];
        let run = runs[d] + 1;
        if (run > 1) {
          const chunkBonus = rowBonus[k - run + 1];
          if (bonus >= BONUS_BOUNDARY && bonus > chunkBonus) run = 1;
          else bonus = Math.max(bonus, BONUS_CONSECUTIVE, chunkBonus);
        }
        const here = scores[d] + SCORE_MATCH + bonus;
        if (here >= viaGap) {
          scores[c] = prev = here;
          runs[c] = run;
          gap = SCORE_GAP_START;
          continue;
        }
      }
      scores[c] = prev = viaGap;
      runs[c] = 0;
      gap = SCORE_GAP_EXTENSION;
    }
  }

  // Best end column: the earliest among equals, as fzf does going forward.
  const lastRow = (m - 1) * width;
  let best = UNREACHABLE;
  let bestK = -1;
  for (let k = firsts[m - 1] - f0; k < width; k++) {
    if (runs[lastRow + k] > 0 && scores[lastRow + k] > best) {
      best = scores[lastRow + k];
      bestK = k;
    }
  }

  // Backtrace along the decisions the forward pass took.
  let k = bestK;
  for (let i = m - 1; i >= 0; k--) {
    if (runs[i * width + k] > 0) {
      found[i] = f0 + k;
      i--;
    }
  }
  return best;
}

/**
 * Fuzzy-matches `pattern` against `text` the way fzf does. Space-separated terms must all
 * match (AND, as in fzf's extended mode); their scores add up and their positions merge.
 * An empty pattern matches everything with score 0.
 *
 * @example
 * ```ts
 * import { fuzzyMatch } from "./fuzzy.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(fuzzyMatch("fb", "foo bar")?.positions, [0, 4]);
 * assert.ok(fuzzyMatch("fb", "foo bar")!.score > fuzzyMatch("fb", "afbx")!.score);
 * assert.equal(fuzzyMatch("Fb", "foo bar"), undefined); // upper case: case-sensitive
 * assert.deepEqual(fuzzyMatch("bar foo", "foo bar")?.positions, [0, 1, 2, 4, 5, 6]);
 * ```
 *
 * @param pattern The query; terms separated by spaces.
 * @param text The text to search, e.g. a title, a line or a whole note body.
 * @param options Case sensitivity.
 * @returns The score and matched positions, or undefined when some term does not match.
 */
export function fuzzyMatch(
  pattern: string,
  text: string,
  options: FuzzyOptions = DEFAULTS,
): FuzzyMatch | undefined {
  const terms = compile(pattern, options.caseSensitive);
  const optimal = options.strategy !== "window";
  if (terms.length === 1) {
    const score = matchTerm(terms[0], text, optimal);
    if (score === NO_MATCH) return undefined;
    const positions: number[] = [];
    for (let i = 0; i < terms[0].codes.length; i++) positions.push(found[i]);
    return { score, positions };
  }
  // Every term must match: reject on the cheap scans before scoring any of them.
  for (const term of terms) if (scanTerm(term, text) < 0) return undefined;
  let total = 0;
  const positions: number[] = [];
  for (const term of terms) {
    const score = matchTerm(term, text, optimal);
    if (score === NO_MATCH) return undefined;
    total += score;
    for (let i = 0; i < term.codes.length; i++) positions.push(found[i]);
  }
  // Terms may overlap ("ab b"): merge into one ascending list without duplicates.
  positions.sort((a, b) => a - b);
  let kept = 0;
  for (let i = 0; i < positions.length; i++) {
    if (kept === 0 || positions[i] !== positions[kept - 1]) positions[kept++] = positions[i];
  }
  positions.length = kept;
  return { score: total, positions };
}

/**
 * Wraps each run of adjacent matched characters in `mark`, e.g. to colour fuzzy matches.
 * A run never ends between the two halves of a surrogate pair.
 *
 * @example
 * ```ts
 * import { fuzzyMatch, highlightPositions } from "./fuzzy.ts";
 * import assert from "node:assert/strict";
 *
 * const text = "foo bar";
 * const match = fuzzyMatch("fba", text)!;
 * assert.equal(highlightPositions(text, match.positions, (s) => `[${s}]`), "[f]oo [ba]r");
 * ```
 *
 * @param text The text that was matched.
 * @param positions Ascending UTF-16 indices, as in {@linkcode FuzzyMatch.positions}.
 * @param mark Turns a run of matched text into its highlighted form.
 * @returns The text with every run replaced by `mark(run)`.
 */
export function highlightPositions(
  text: string,
  positions: number[],
  mark: (s: string) => string,
): string {
  let out = "";
  let cursor = 0;
  let i = 0;
  while (i < positions.length) {
    let start = positions[i];
    if (start < cursor || start >= text.length) {
      i++;
      continue;
    }
    let end = start + 1;
    i++;
    while (i < positions.length && positions[i] <= end) {
      if (positions[i] === end) end++;
      i++;
    }
    if (isLowSurrogate(text.charCodeAt(start)) && start > cursor) start--;
    if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++;
    out += text.slice(cursor, start) + mark(text.slice(start, end));
    cursor = end;
  }
  return out + text.slice(cursor);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
