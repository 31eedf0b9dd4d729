/**
 * Rewriting ripgrep's regex syntax (Rust's `regex` crate) into JavaScript RegExp source.
 *
 * Both dialects agree on most syntax; the rewrite covers where they part, so that patterns
 * users carry over from rg mean the same thing here:
 * - `\w`, `\d`, `\b` and `\B` are Unicode-aware in Rust and ASCII-only in JavaScript, so they
 *   become Unicode property classes and lookarounds;
 * - `(?P<name>…)`, `\pL`, `\x{1F600}`, `\A`, `\z`, `[[:alpha:]]` and script names such as
 *   `\p{Greek}` have JavaScript spellings;
 * - leading inline flags `(?i)`, `(?s)`, `(?x)` become RegExp flags (or, for `x`, are applied
 *   by dropping whitespace and comments);
 * - Rust lets `\-`, `\#`, `\&`, `\~` and `\ ` stand for themselves; the `u` flag does not.
 *
 * @module
 */

/** A pattern that cannot be turned into a RegExp; `position` is 0-based in the pattern. */
export class PatternError extends SyntaxError {
  override name = "PatternError";
  /** Where in the pattern the problem is (0-based), when known. */
  position?: number;
  /**
   * @param message What is wrong.
   * @param position Where, when known.
   */
  constructor(message: string, position?: number) {
    super(message);
    this.position = position;
  }
}

/** Unicode's word characters, as Rust's `\w` (UTS #18 Annex C). */
export const WORD_CHARS = "\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}";
const WORD = `[${WORD_CHARS}]`;
const NOT_WORD = `[^${WORD_CHARS}]`;

const POSIX: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

const propertyCache = new Map<string, string>();

/** `Greek` → `Script=Greek` when JavaScript does not know the bare name. */
function property(name: string): string {
  let known = propertyCache.get(name);
  if (known !== undefined) return known;
  known = name;
  const normalized = name.replace(/[\s_-]/g, "").toLowerCase();
  const general: Record<string, string> = {
    letter: "L",
    uppercaseletter: "Lu",
    lowercaseletter: "Ll",
    number: "N",
    digit: "Nd",
    punctuation: "P",
    symbol: "S",
    separator: "Z",
    mark: "M",
    whitespace: "White_Space",
    alphabetic: "Alphabetic",
  };
  if (!valid(known) && general[normalized]) known = general[normalized];
  if (!valid(known)) {
    const eq = name.match(/^(\w+)\s*[=:]\s*(\w+)$/);
    if (eq) {
      const key = /^(sc|script)$/i.test(eq[1])
        ? "Script"
        : /^(scx|scriptextensions)$/i.test(eq[1])
        ? "Script_Extensions"
        : /^(gc|generalcategory)$/i.test(eq[1])
        ? "General_Category"
        : eq[1];
      known = `${key}=${eq[2]}`;
    } else if (valid(`Script=${name}`)) {
      known = `Script=${name}`;
    }
  }
  propertyCache.set(name, known);
  return known;
}

function valid(prop: string): boolean {
  try {
    new RegExp(`\\p{${prop}}`, "u");
    return true;
  } catch {
    return false;
  }
}

/** Options for {@linkcode translateRegex}. */
export interface TranslateOptions {
  /**
   * Multiline mode (`-U`): the pattern may contain `\n`, and `\A` and `\z` are the ends of the
   * text; otherwise they are the ends of a line, as ripgrep searches one line at a time.
   * @default false
   */
  multiline?: boolean;
  /** `.` matches `\n` too (`--multiline-dotall`). @default false */
  dotAll?: boolean;
}

/** The JavaScript source and the flags the pattern's leading inline flags asked for. */
export interface Translated {
  /** RegExp source. */
  source: string;
  /** `(?i)` was given. */
  ignoreCase: boolean;
  /** `(?s)` was given. */
  dotAll: boolean;
  /** `(?-i)` was given: case-sensitive whatever the command line says. */
  caseSensitive: boolean;
}

/** A group being translated: what `.` means in it and the modifier groups `(?i)` opened. */
interface Group {
  dotAll: boolean;
  /** Modifier groups opened by inline flags in the middle of this group, closed with it. */
  closers: number;
  /** The same modifier groups, reopened after each `|`. */
  reopen: string;
}

/** A character class as a union: plain members, complemented members and whole atoms. */
interface ClassUnion {
  kind: "union";
  /** Members that go inside one `[...]`. */
  pos: string;
  /** Bodies whose complement is a member (`\W`, `[:^alpha:]`, a nested `[^...]`). */
  neg: string[];
  /** Sub-expressions that match one character each (nested set operations). */
  atoms: string[];
}

/** `&&` (intersection), `--` (difference) or `~~` (symmetric difference) of two classes. */
interface ClassOp {
  kind: "op";
  op: string;
  a: ClassExpr;
  b: ClassExpr;
}

type ClassExpr = ClassUnion | ClassOp;

/** One item of a class: a single character (which may start a range) or a set. */
type ClassItem =
  | { kind: "char"; src: string; end: number }
  | { kind: "set"; pos?: string; neg?: string; end: number };

/**
 * Rewrites one Rust-syntax pattern as JavaScript RegExp source for the `u` flag.
 *
 * The source never relies on the `m` or `s` flags: `^`, `$` and `.` are spelled out, because
 * JavaScript's line anchors and `.` also stop at `\r`, U+2028 and U+2029 where Rust's stop only
 * at `\n`.
 *
 * @example
 * ```ts
 * import { translateRegex } from "./rust_regex.ts";
 * import assert from "node:assert/strict";
 * const { source, ignoreCase } = translateRegex("(?i)(?P<year>\\d{4})-\\pL");
 * assert.equal(ignoreCase, true);
 * assert.ok(new RegExp(source, "u").test("2024-é"));
 * ```
 *
 * @param pattern The pattern as ripgrep reads it.
 * @param options Whether newlines may match.
 * @returns The JavaScript source and the inline flags found.
 * @throws {PatternError} For a literal newline without multiline, or an inline flag
 *   JavaScript cannot express.
 */
export function translateRegex(pattern: string, options: TranslateOptions = {}): Translated {
  const multiline = options.multiline ?? false;
  let ignoreCase = false;
  let dotAll = false;
  let caseSensitive = false;
  let extended = false;
  let rest = pattern;
  let offset = 0;
  const leading = /^\(\?([a-zA-Z-]+)\)/;
  for (let flags = leading.exec(rest); flags; flags = leading.exec(rest)) {
    let on = true;
    for (let k = 0; k < flags[1].length; k++) {
      const f = flags[1][k];
      if (f === "-") on = false;
      else if (f === "i") [ignoreCase, caseSensitive] = [on, !on];
      else if (f === "s") dotAll = on;
      else if (f === "x") extended = on;
      else if (f === "m" || f === "u" || f === "R") { /* m is always on; u too */ }
      else throw unsupportedFlag(f, offset + 2 + k);
    }
    rest = rest.slice(flags[0].length);
    offset += flags[0].length;
  }
  if (extended) rest = stripExtended(rest);

  const noNewline = (at: number) => {
    if (!multiline) throw new PatternError(`the literal "\\n" is not allowed in a regex`, at);
  };

  /** `\p{Greek}`, `\pL`, `\PL` at `rest[i] === "\\"`: the JavaScript escape and where it ends. */
  const propertyAt = (i: number): { src: string; end: number } => {
    const kind = rest[i + 1];
    if (rest[i + 2] === "{") {
      const close = rest.indexOf("}", i + 3);
      if (close < 0) throw new PatternError("unclosed Unicode class", offset + i);
      return { src: `\\${kind}{${property(rest.slice(i + 3, close))}}`, end: close + 1 };
    }
    if (rest[i + 2] === undefined) throw new PatternError("incomplete Unicode class", offset + i);
    return { src: `\\${kind}{${property(rest[i + 2])}}`, end: i + 3 };
  };

  /** `\x41` or `\x{1F600}` at `rest[i] === "\\"`. */
  const hexAt = (i: number): { src: string; end: number } => {
    if (rest[i + 2] === "{") {
      const close = rest.indexOf("}", i + 3);
      if (close < 0) throw new PatternError("unclosed hex escape", offset + i);
      return { src: `\\u{${rest.slice(i + 3, close)}}`, end: close + 1 };
    }
    return { src: "\\x", end: i + 2 };
  };

  const classItem = (j: number): ClassItem => {
    const c = rest[j];
    if (c === "\\") {
      const n = rest[j + 1];
      if (n === undefined) throw new PatternError("incomplete escape sequence", offset + j);
      switch (n) {
        case "w":
          return { kind: "set", pos: WORD_CHARS, end: j + 2 };
        case "W":
          return { kind: "set", neg: WORD_CHARS, end: j + 2 };
        case "d":
          return { kind: "set", pos: "\\p{Nd}", end: j + 2 };
        case "D":
          return { kind: "set", pos: "\\P{Nd}", end: j + 2 };
        case "s":
        case "S":
          return { kind: "set", pos: "\\" + n, end: j + 2 };
        case "p":
        case "P": {
          const { src, end } = propertyAt(j);
          return { kind: "set", pos: src, end };
        }
        case "x": {
          const { src, end } = hexAt(j);
          return { kind: "char", src, end };
        }
        case "n":
          noNewline(offset + j);
          return { kind: "char", src: "\\n", end: j + 2 };
        case "a":
          return { kind: "char", src: "\\x07", end: j + 2 };
        default:
          return {
            kind: "char",
            src: /[\p{L}\p{N}]/u.test(n) ? "\\" + n : escapeClassChar(n),
            end: j + 2,
          };
      }
    }
    const ch = String.fromCodePoint(rest.codePointAt(j)!);
    if (ch === "\n") noNewline(offset + j);
    return { kind: "char", src: escapeClassChar(ch), end: j + ch.length };
  };

  /** The class opening at `rest[start] === "["`, up to its closing `]`. */
  const parseClass = (start: number): { expr: ClassExpr; negated: boolean; end: number } => {
    let j = start + 1;
    let negated = false;
    if (rest[j] === "^") {
      negated = true;
      j++;
    }
    let acc: ClassExpr | undefined;
    let op = "";
    let current: ClassUnion = { kind: "union", pos: "", neg: [], atoms: [] };
    let first = true;
    while (true) {
      const c = rest[j];
      if (c === undefined) throw new PatternError("unclosed character class", offset + start);
      if (c === "]" && !first) break;
      first = false;
      if ((c === "&" || c === "-" || c === "~") && rest[j + 1] === c && j > start + 1) {
        acc = acc ? { kind: "op", op, a: acc, b: current } : current;
        op = c + c;
        current = { kind: "union", pos: "", neg: [], atoms: [] };
        j += 2;
        continue;
      }
      if (c === "[") {
        if (rest[j + 1] === ":") {
          const close = rest.indexOf(":]", j + 2);
          const name = close > 0 ? rest.slice(j + 2, close) : "";
          const body = POSIX[name.replace(/^\^/, "")];
          if (body !== undefined) {
            if (name.startsWith("^")) current.neg.push(body);
            else current.pos += body;
            j = close + 2;
            continue;
          }
        }
        // A nested class is a union in Rust; the u flag has no nesting, so it joins ours.
        const nested = parseClass(j);
        const e = nested.expr;
        if (e.kind === "union" && !nested.negated) {
          current.pos += e.pos;
          current.neg.push(...e.neg);
          current.atoms.push(...e.atoms);
        } else if (e.kind === "union" && e.neg.length === 0 && e.atoms.length === 0) {
          current.neg.push(e.pos);
        } else current.atoms.push(emitClass(e, nested.negated));
        j = nested.end + 1;
        continue;
      }
      const item = classItem(j);
      if (
        item.kind === "char" && rest[item.end] === "-" && rest[item.end + 1] !== "]" &&
        rest[item.end + 1] !== "-" && rest[item.end + 1] !== undefined
      ) {
        const to = classItem(item.end + 1);
        if (to.kind !== "char") {
          throw new PatternError("invalid character class range", offset + j);
        }
        current.pos += `${item.src}-${to.src}`;
        j = to.end;
        continue;
      }
      if (item.kind === "char") current.pos += item.src;
      else if (item.pos !== undefined) current.pos += item.pos;
      else current.neg.push(item.neg!);
      j = item.end;
    }
    const expr: ClassExpr = acc ? { kind: "op", op, a: acc, b: current } : current;
    return { expr, negated, end: j };
  };

  const stack: Group[] = [{ dotAll: dotAll || (options.dotAll ?? false), closers: 0, reopen: "" }];
  const groupFlags = /\?([a-zA-Z-]*)([:)])/y;
  const groupName = /\?P?<([A-Za-z_][A-Za-z0-9_]*)>/y;
  const quantifier = /\{\d+(?:,\d*)?\}/y;
  let out = "";
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    const at = offset + i;
    const top = stack[stack.length - 1];
    if (c === "\n") noNewline(at);
    if (c === "\\") {
      const next = rest[i + 1];
      if (next === undefined) throw new PatternError("incomplete escape sequence", at);
      switch (next) {
        case "w":
          out += WORD;
          break;
        case "W":
          out += NOT_WORD;
          break;
        case "d":
          out += "\\p{Nd}";
          break;
        case "D":
          out += "\\P{Nd}";
          break;
        case "b":
          out += `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
          break;
        case "B":
          out += `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))`;
          break;
        case "A":
          out += multiline ? "(?<![^])" : LINE_START;
          break;
        case "z":
          out += multiline ? "(?![^])" : LINE_END;
          break;
        case "n":
          noNewline(at);
          out += "\\n";
          break;
        case "a":
          out += "\\x07";
          break;
        case "p":
        case "P": {
          const { src, end } = propertyAt(i);
          out += src;
          i = end - 1;
          continue;
        }
        case "x": {
          const { src, end } = hexAt(i);
          out += src;
          i = end - 1;
          continue;
        }
        case "-":
        case "#":
        case "&":
        case "~":
        case " ":
        case '"':
        case "'":
        case "<":
        case ">":
        case "!":
        case "%":
        case ",":
        case ":":
        case ";":
        case "=":
        case "@":
        case "`":
          out += escapeOne(next);
          break;
        default:
          out += "\\" + next;
      }
      i++;
      continue;
    }
    if (c === "[") {
      const { expr, negated, end } = parseClass(i);
      out += emitClass(expr, negated);
      i = end;
      continue;
    }
    if (c === "(") {
      groupName.lastIndex = i + 1;
      const named = groupName.exec(rest);
      if (named) {
        out += `(?<${named[1]}>`;
        stack.push({ dotAll: top.dotAll, closers: 0, reopen: "" });
        i += named[0].length;
        continue;
      }
      groupFlags.lastIndex = i + 1;
      const flags = groupFlags.exec(rest);
      if (flags && (flags[1] !== "" || flags[2] === ":")) {
        let on = true;
        let group = top.dotAll;
        let caseless: boolean | undefined;
        for (let k = 0; k < flags[1].length; k++) {
          const f = flags[1][k];
          if (f === "-") on = false;
          else if (f === "i") caseless = on;
          else if (f === "s") group = on;
          else if (f === "m" || f === "u" || f === "R") { /* always on */ }
          else throw unsupportedFlag(f, at + 2 + k);
        }
        const modifier = caseless === undefined ? "" : caseless ? "i" : "-i";
        const js = `(?${modifier}:`;
        if (flags[2] === ":") {
          out += js;
          stack.push({ dotAll: group, closers: 0, reopen: "" });
        } else {
          // Rust's (?i) in mid-pattern lasts to the end of the enclosing group: a modifier
          // group closed with it, and reopened after each `|`.
          top.dotAll = group;
          if (modifier) {
            out += js;
            top.closers++;
            top.reopen += js;
          }
        }
        i += flags[0].length;
        continue;
      }
      out += "(";
      stack.push({ dotAll: top.dotAll, closers: 0, reopen: "" });
      continue;
    }
    if (c === ")") {
      if (stack.length > 1) out += ")".repeat(stack.pop()!.closers);
      out += ")";
      continue;
    }
    if (c === "|") {
      out += ")".repeat(top.closers) + "|" + top.reopen;
      continue;
    }
    if (c === "{") {
      quantifier.lastIndex = i;
      const q = quantifier.exec(rest);
      if (q) {
        out += q[0];
        i += q[0].length - 1;
        continue;
      }
    }
    if (c === ".") out += top.dotAll ? "[^]" : "[^\\n]";
    else if (c === "^") out += LINE_START;
    else if (c === "$") out += LINE_END;
    // Rust reads a lone `]` or `}` as itself; the u flag rejects them unescaped.
    else if (c === "]" || c === "}") out += "\\" + c;
    else out += c;
  }
  out += ")".repeat(stack[0].closers);
  return { source: out, ignoreCase, dotAll, caseSensitive };
}

/** Start and end of a line as Rust's multi-line `^` and `$` see them: only `\n` ends a line. */
const LINE_START = "(?<![^\\n])";
const LINE_END = "(?![^\\n])";

function unsupportedFlag(flag: string, position: number): PatternError {
  const message = flag === "U"
    ? `swapping greediness with "(?U)" is not supported`
    : flag === "x"
    ? `the flag "x" is only supported at the start of a pattern`
    : `unrecognized flag "${flag}"`;
  return new PatternError(message, position);
}

/** One class as JavaScript source matching one character. */
function emitClass(expr: ClassExpr, negated: boolean): string {
  if (expr.kind === "union") {
    const { pos, neg, atoms } = expr;
    if (neg.length === 0 && atoms.length === 0) return `[${negated ? "^" : ""}${pos}]`;
    if (pos === "" && atoms.length === 0 && neg.length === 1) {
      return `[${negated ? "" : "^"}${neg[0]}]`;
    }
    // The u flag cannot nest a complement inside a class: an alternation of classes can.
    const any = `(?:${
      [...(pos ? [`[${pos}]`] : []), ...neg.map((n) => `[^${n}]`), ...atoms].join("|")
    })`;
    return negated ? `(?:(?!${any})[^])` : any;
  }
  const a = emitClass(expr.a, false);
  const b = emitClass(expr.b, false);
  // Set operations as lookaheads on one character: A&&B is "B, where A also matches".
  const body = expr.op === "&&"
    ? `(?=${a})${b}`
    : expr.op === "--"
    ? `(?!${b})${a}`
    : `(?!${b})${a}|(?!${a})${b}`;
  return negated ? `(?:(?!(?:${body}))[^])` : `(?:${body})`;
}

function escapeClassChar(c: string): string {
  return /[\^$\\.*+?()[\]{}|/-]/.test(c) ? "\\" + c : c;
}

function escapeOne(c: string): string {
  return /[\^$\\.*+?()[\]{}|/]/.test(c) ? "\\" + c : c;
}

/** `(?x)`: whitespace is insignificant and `#` starts a comment, except escaped or in a class. */
function stripExtended(pattern: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      out += c + (pattern[i + 1] ?? "");
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
      out += c;
    } else if (c === "[") {
      inClass = true;
      out += c;
    } else if (c === "#") {
      while (i < pattern.length && pattern[i] !== "\n") i++;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

/**
 * Whether a pattern has an uppercase letter of its own (not in an escape such as `\W` or
 * `\p{Lu}`, nor in a group name; `\x41` counts, being `A`), which is what `--smart-case` asks.
 *
 * @example
 * ```ts
 * import { hasUppercase } from "./rust_regex.ts";
 * import assert from "node:assert/strict";
 * assert.equal(hasUppercase("foo\\W\\p{Lu}"), false);
 * assert.equal(hasUppercase("Foo"), true);
 * ```
 *
 * @param pattern A pattern.
 * @returns True when a literal uppercase letter appears.
 */
export function hasUppercase(pattern: string): boolean {
  // One pass, left to right, so that an escaped backslash is never read as an escape's start.
  const literal = pattern.replace(
    /\\x\{([0-9a-fA-F]+)\}|\\x([0-9a-fA-F]{2})|\\[pP]\{[^}]*\}|\\[pP].|\\.|\(\?P?<[A-Za-z_]\w*>|\[:\^?\w+:\]/g,
    (_, braced?: string, short?: string) => {
      // `\x41` is the letter A; a group's name and a class name are not text.
      const hex = braced ?? short;
      return hex === undefined ? "" : String.fromCodePoint(parseInt(hex, 16));
    },
  );
  return /\p{Lu}/u.test(literal);
}

/**
 * Escapes a literal string for RegExp source.
 *
 * @example
 * ```ts
 * import { escapeRegex } from "./rust_regex.ts";
 * import assert from "node:assert/strict";
 * assert.equal(escapeRegex("a.b*"), "a\\.b\\*");
 * ```
 *
 * @param text Literal text.
 * @returns Source matching exactly that text.
 */
export function escapeRegex(text: string): string {
  return text.replace(/[\^$\\.*+?()[\]{}|/]/g, "\\$&");
}
