/**
 * Turning the patterns of one `kit grep` run into one compiled matcher.
 *
 * @module
 */

import {
  escapeRegex,
  hasUppercase,
  PatternError,
  type Translated,
  translateRegex,
  WORD_CHARS,
} from "./rust_regex.ts";

/** Options for {@linkcode buildMatcher}. */
export interface MatcherOptions {
  /** Patterns are literal text (`-F`). @default false */
  fixedStrings?: boolean;
  /** `-s`, `-i` or `-S`. @default "sensitive" */
  caseMode?: "sensitive" | "insensitive" | "smart";
  /** Matches must be whole words (`-w`). @default false */
  wordRegexp?: boolean;
  /** Matches must be whole lines (`-x`). @default false */
  lineRegexp?: boolean;
  /** Matches may span lines (`-U`). @default false */
  multiline?: boolean;
  /** `.` matches a newline too (`--multiline-dotall`). @default false */
  multilineDotall?: boolean;
}

/** How a {@linkcode Matcher} finds candidates: a named fast path or the general regex. */
export type MatchStrategy = "literal" | "word-literal" | "regex" | "never";

/** A compiled set of patterns. */
export interface Matcher {
  /** Global RegExp over all patterns (flags `g`, maybe `i`; `u` or `v`). */
  readonly regex: RegExp;
  /** `"literal"` when `indexOf` finds candidates, `"never"` when no pattern was given. */
  readonly strategy: MatchStrategy;
  /** The literal of the `"literal"` strategy. */
  readonly literal?: string;
  /** A fresh copy of {@linkcode regex} (its `lastIndex` is state; workers and lines need their own). */
  clone(): RegExp;
  /**
   * Literals of which every match contains at least one, when the patterns are plain enough
   * to tell; the literal prefilter scans raw bytes for them. Under case folding they are
   * lower-case ASCII, to be found in any ASCII case ({@linkcode literalsIgnoreCase}).
   */
  readonly requiredLiterals?: string[];
  /** Whether {@linkcode requiredLiterals} match in any ASCII case. */
  readonly literalsIgnoreCase: boolean;
  /**
   * The regex matches the same on UTF-8 bytes read one char per byte as on decoded text:
   * ASCII only, no `.`, no negated or Unicode classes, no case folding that reaches beyond
   * ASCII. Then non-ASCII files need no UTF-8 decoding, which is the slow part of a search.
   */
  readonly byteSafe: boolean;
}

/** Regex source that matches nothing. */
const NEVER = "(?!)";

/**
 * Compiles patterns the way ripgrep reads them (Rust syntax rewritten by
 * {@linkcode translateRegex}); several patterns match when any one does.
 *
 * @example
 * ```ts
 * import { buildMatcher } from "./matcher.ts";
 * import assert from "node:assert/strict";
 * const m = buildMatcher(["foo", "ba+r"], { caseMode: "smart", wordRegexp: true });
 * assert.ok(m.regex.test("a BAAR b"));
 * m.regex.lastIndex = 0;
 * assert.ok(!m.regex.test("foobar"));
 * assert.equal(buildMatcher(["a.b"], { fixedStrings: true }).strategy, "literal");
 * ```
 *
 * @param patterns The patterns (`-e`, `-f` or the first argument).
 * @param options How they match.
 * @returns The matcher.
 * @throws {PatternError} For an invalid pattern, with its position.
 */
export function buildMatcher(patterns: readonly string[], options: MatcherOptions = {}): Matcher {
  const multiline = options.multiline ?? false;
  const parts: Translated[] = patterns.map((p) => {
    if (options.fixedStrings) {
      if (p.includes("\n") && !multiline) {
        throw new PatternError(`the literal "\\n" is not allowed in a regex`, p.indexOf("\n"));
      }
      return { source: escapeRegex(p), ignoreCase: false, dotAll: false, caseSensitive: false };
    }
    try {
      return translateRegex(p, { multiline, dotAll: multiline && options.multilineDotall });
    } catch (error) {
      if (!(error instanceof PatternError) || error.position === undefined) throw error;
      throw new PatternError(
        `regex parse error in "${p}" at column ${error.position + 1}: ${error.message}`,
        error.position,
      );
    }
  });
  const caseMode = options.caseMode ?? "sensitive";
  const ignoreCase = caseMode === "insensitive" ||
    (caseMode === "smart" && !patterns.some((p) => hasUppercase(p)));
  const single = parts.length === 1 ? parts[0] : undefined;
  // No "m" or "s": translateRegex spells out `^`, `$` and `.` as Rust means them.
  let flags = "g";
  let body: string;
  if (parts.length === 0) body = NEVER;
  else if (single) {
    if ((single.ignoreCase || ignoreCase) && !single.caseSensitive) flags += "i";
    body = single.source;
  } else {
    if (ignoreCase) flags += "i";
    body = parts.map((p) => `${modifier(p, ignoreCase)}${p.source})`).join("|");
  }
  let source = body;
  if (options.wordRegexp) {
    // U+FFFD stands for bytes that are not UTF-8; rg's \W does not match those, so they are
    // no word boundary either.
    source = `(?<![${WORD_CHARS}\uFFFD])(?:${body})(?![${WORD_CHARS}\uFFFD])`;
  } else if (options.lineRegexp) source = `(?<![^\\n])(?:${body})(?![^\\n])`;
  const regex = compile(source, flags, patterns);
  const literal = single && !flags.includes("i") && !options.lineRegexp &&
      isPlainLiteral(single.source)
    ? unescape(single.source)
    : undefined;
  // -w over a literal: indexOf finds it and two neighbour chars are checked, where the
  // regex would try its Unicode lookbehind at every position.
  const strategy: MatchStrategy = parts.length === 0
    ? "never"
    : literal === undefined || literal === ""
    ? "regex"
    : options.wordRegexp
    ? "word-literal"
    : "literal";
  return {
    regex,
    strategy,
    literal: strategy === "literal" || strategy === "word-literal" ? literal : undefined,
    clone: () => new RegExp(regex.source, regex.flags),
    requiredLiterals: requiredLiterals(parts, flags.includes("i")),
    literalsIgnoreCase: flags.includes("i"),
    byteSafe: isByteSafe(source, flags),
  };
}

function isByteSafe(source: string, flags: string): boolean {
  // Line and text anchors look at one char for being "\n" or absent: the same on bytes.
  source = source.replace(/\(\?<?!\[\^(?:\\n)?\]\)/g, "");
  // Under i, k and s also match the Kelvin sign and the long s, which are not ASCII.
  if (flags.includes("i") && /[ks]/i.test(source.replace(/\\./g, ""))) return false;
  if (flags.includes("s")) return false;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c >= 0x80) return false;
    const ch = source[i];
    if (ch === "\\") {
      const next = source[++i] ?? "";
      if (/[a-zA-Z]/.test(next) && !/[tnrfv]/.test(next)) {
        if (next !== "x") return false;
        if (!/^[0-7][0-9a-fA-F]/.test(source.slice(i + 1, i + 3))) return false;
      }
      continue;
    }
    if (ch === ".") return false;
    if (ch === "[" && source[i + 1] === "^") return false;
  }
  return true;
}

/**
 * Each pattern as literal alternatives (`foo`, `foo|bar`), or undefined when one is not.
 * Under case folding (`caseless`) each literal gives way to its longest caseless run.
 */
function requiredLiterals(parts: Translated[], caseless: boolean): string[] | undefined {
  const literals: string[] = [];
  for (const part of parts) {
    // A pattern whose own (?i) or (?-i) differs from the rest: not worth the bookkeeping.
    if (caseless ? part.caseSensitive : part.ignoreCase) return undefined;
    const alternatives = /[()[\]\\]/.test(part.source.replace(/\\[\^$\\.*+?()[\]{}|/]/g, ""))
      ? [part.source]
      : part.source.split(/(?<!\\)\|/);
    for (const alternative of alternatives) {
      if (!isPlainLiteral(alternative)) return undefined;
      const literal = caseless ? caselessRun(unescape(alternative)) : unescape(alternative);
      if (literal === undefined || literal === "") return undefined;
      literals.push(literal);
    }
  }
  if (literals.length === 0) return undefined;
  // One scan for what every alternative shares beats one scan per alternative:
  // malloc|calloc|realloc all hold "alloc".
  const shared = literals.length > 1 ? commonSubstring(literals) : "";
  return shared.length >= 3 ? [shared] : literals;
}

/**
 * The longest run of `literal` that bytes can find in any case, lower-cased, or undefined when
 * it is too short to be worth a scan. Under the `u` flag's case folding k and s also match the
 * Kelvin sign and the long s, and letters beyond ASCII fold in ways bytes cannot follow; every
 * match holds the ASCII run between them, in some ASCII case.
 */
function caselessRun(literal: string): string | undefined {
  let best = "";
  for (const run of literal.split(/[\u0080-\uffff]|[ksKS]/)) {
    if (run.length > best.length) best = run;
  }
  return best.length >= 2 ? best.toLowerCase() : undefined;
}

/** The longest string that occurs in every one of `words` (short words: brute force is fine). */
function commonSubstring(words: string[]): string {
  const [shortest, ...rest] = [...words].sort((a, b) => a.length - b.length);
  for (let length = shortest.length; length > 0; length--) {
    for (let start = 0; start + length <= shortest.length; start++) {
      const candidate = shortest.slice(start, start + length);
      if (rest.every((w) => w.includes(candidate))) return candidate;
    }
  }
  return "";
}

/** The group a pattern of several goes in: `(?i:` when its own `(?i)` differs from the rest. */
function modifier(p: Translated, ignoreCase: boolean): string {
  if (p.ignoreCase && !ignoreCase) return "(?i:";
  if (p.caseSensitive && ignoreCase) return "(?-i:";
  return "(?:";
}

function isPlainLiteral(source: string): boolean {
  return !/[\^$.*+?()[\]{}|]|\\[^\^$\\.*+?()[\]{}|/]/.test(
    source.replace(/\\[\^$\\.*+?()[\]{}|/]/g, ""),
  );
}

function unescape(source: string): string {
  return source.replace(/\\(.)/g, "$1");
}

function compile(source: string, flags: string, patterns: readonly string[]): RegExp {
  try {
    return new RegExp(source, flags + "u");
  } catch (uError) {
    try {
      // The v flag adds set notation (`[\p{L}--[a-z]]`); most patterns never need it.
      return new RegExp(source, flags + "v");
    } catch {
      throw explain(uError as Error, patterns);
    }
  }
}

/** Finds where a pattern goes wrong: the shortest prefix failing with the same complaint. */
function explain(error: Error, patterns: readonly string[]): PatternError {
  const reason = error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "");
  for (const pattern of patterns) {
    if (compiles(pattern) === undefined) continue;
    for (let k = 1; k <= pattern.length; k++) {
      if (compiles(pattern.slice(0, k)) === reason) {
        let at = k - 1;
        if (at > 0 && pattern[at - 1] === "\\") at--;
        at = constructStart(pattern, at, reason);
        return new PatternError(
          `regex parse error in "${pattern}" at column ${at + 1}: ${lower(reason)}`,
          at,
        );
      }
    }
    return new PatternError(`regex parse error in "${pattern}": ${lower(reason)}`);
  }
  return new PatternError(`regex parse error: ${lower(reason)}`);
}

/**
 * Where the construct at fault starts, which is where rg puts its caret: the parse only gives
 * up at its end (`[z-a]` fails at `a`, rg points at `z`).
 */
function constructStart(pattern: string, at: number, reason: string): number {
  if (/^range out of order/i.test(reason)) {
    const dash = pattern.lastIndexOf("-", at);
    return dash > 0 ? dash - 1 : at;
  }
  if (/^numbers out of order/i.test(reason)) return Math.max(0, pattern.lastIndexOf("{", at));
  if (/^invalid property name/i.test(reason)) return Math.max(0, pattern.lastIndexOf("\\", at));
  if (/^duplicate capture group name/i.test(reason)) {
    // rg points at the first group of that name.
    const first = new Map<string, number>();
    for (const m of pattern.matchAll(/\(\?P?<([A-Za-z_]\w*)>/g)) {
      const name = m[1];
      const start = m.index + m[0].length - name.length - 1;
      if (first.has(name)) return first.get(name)!;
      first.set(name, start);
    }
  }
  return at;
}

function compiles(pattern: string): string | undefined {
  try {
    new RegExp(translateRegex(pattern, { multiline: true }).source, "u");
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "");
  }
}

function lower(text: string): string {
  return text[0].toLowerCase() + text.slice(1);
}
