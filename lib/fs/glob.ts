/**
 * Shell globs as ripgrep's `globset` crate reads them, compiled once to a `RegExp`.
 *
 * The syntax is ripgrep 13's: `*`, `?`, `[...]` (with `[!...]`/`[^...]` and ranges), `**` as a
 * whole path component (leading, trailing or between two slashes), one level of `{a,b}`
 * alternation and backslash escapes. A `**` glued to other characters (`a**`) is two plain
 * stars, as in globset.
 *
 * @module
 */

/** Options for {@linkcode globToRegExp} and {@linkcode Glob}. */
export interface GlobOptions {
  /** Match letters regardless of case. @default false */
  caseInsensitive?: boolean;
  /**
   * Whether `*` and `?` stop at a `/`. gitignore rules set it; `-g` globs too (through the
   * gitignore parser). @default false
   */
  literalSeparator?: boolean;
  /** Whether `\` escapes the next character (`\*` is a literal star). @default true */
  backslashEscape?: boolean;
}

/** The defaults of {@linkcode GlobOptions}. */
export const GLOB_DEFAULTS = {
  caseInsensitive: false,
  literalSeparator: false,
  backslashEscape: true,
} satisfies GlobOptions;

/**
 * A glob that cannot be parsed, such as `[abc` or `{a,b`.
 *
 * @example
 * ```ts
 * import { Glob, GlobSyntaxError } from "./glob.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => new Glob("{a,b"), GlobSyntaxError);
 * ```
 */
export class GlobSyntaxError extends SyntaxError {
  /** The class name, for `error.name` checks. */
  override name = "GlobSyntaxError";
  /** The glob as written. */
  readonly glob: string;
  /** What is wrong, in globset's words (e.g. `unclosed character class; missing ']'`). */
  readonly reason: string;

  /**
   * Makes the error; the message names the glob and the reason.
   *
   * @param glob The glob as written.
   * @param reason What is wrong with it.
   */
  constructor(glob: string, reason: string) {
    super(`Invalid glob "${glob}": ${reason}`);
    this.glob = glob;
    this.reason = reason;
  }
}

/** One parsed piece of a glob; the names are globset's. */
type Token =
  | { kind: "literal"; char: string }
  | { kind: "any" }
  | { kind: "zeroOrMore" }
  | { kind: "recursivePrefix" }
  | { kind: "recursiveSuffix" }
  | { kind: "recursiveZeroOrMore" }
  | { kind: "class"; negated: boolean; ranges: [string, string][] }
  | { kind: "alternates"; branches: Token[][] };

const ANY: Token = { kind: "any" };
const ZERO_OR_MORE: Token = { kind: "zeroOrMore" };
const RECURSIVE_PREFIX: Token = { kind: "recursivePrefix" };
const RECURSIVE_SUFFIX: Token = { kind: "recursiveSuffix" };
const RECURSIVE_ZERO_OR_MORE: Token = { kind: "recursiveZeroOrMore" };

/** A port of globset 0.4.8's parser (the version ripgrep 13 ships), error for error. */
class Parser {
  readonly #glob: string;
  readonly #chars: string[];
  readonly #backslashEscape: boolean;
  #at = 0;
  #prev: string | undefined;
  #cur: string | undefined;
  /** The main branch, then one entry per alternative of the open `{...}` group. */
  readonly #stack: Token[][] = [[]];

  constructor(glob: string, backslashEscape: boolean) {
    this.#glob = glob;
    // By code point, so `?` and classes treat an astral character as one.
    this.#chars = Array.from(glob);
    this.#backslashEscape = backslashEscape;
  }

  parse(): Token[] {
    let c: string | undefined;
    while ((c = this.#bump()) !== undefined) {
      switch (c) {
        case "?":
          this.#push(ANY);
          break;
        case "*":
          this.#star();
          break;
        case "[":
          this.#class();
          break;
        case "{":
          if (this.#stack.length > 1) this.#fail("nested alternate groups are not allowed");
          this.#stack.push([]);
          break;
        case "}": {
          // globset 0.4.8 accepts a `}` without `{` as an empty group, which matches nothing
          // extra: `a}.c` is `a.c`. ripgrep 13 behaves so; we keep it.
          const branches = this.#stack.splice(1);
          this.#push({ kind: "alternates", branches });
          break;
        }
        case ",":
          if (this.#stack.length <= 1) this.#push({ kind: "literal", char: "," });
          else this.#stack.push([]);
          break;
        case "\\":
          if (this.#backslashEscape) {
            const next = this.#bump();
            if (next === undefined) this.#fail("dangling '\\'");
            this.#push({ kind: "literal", char: next });
          } else {
            this.#push({ kind: "literal", char: "\\" });
          }
          break;
        default:
          this.#push({ kind: "literal", char: c });
      }
    }
    if (this.#stack.length > 1) {
      this.#fail("unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?)");
    }
    return this.#stack[0];
  }

  #fail(reason: string): never {
    throw new GlobSyntaxError(this.#glob, reason);
  }

  #bump(): string | undefined {
    this.#prev = this.#cur;
    this.#cur = this.#chars[this.#at++];
    return this.#cur;
  }

  #peek(): string | undefined {
    return this.#chars[this.#at];
  }

  #push(token: Token): void {
    this.#stack[this.#stack.length - 1].push(token);
  }

  #star(): void {
    const prev = this.#prev;
    if (this.#peek() !== "*") {
      this.#push(ZERO_OR_MORE);
      return;
    }
    this.#bump();
    const branch = this.#stack[this.#stack.length - 1];
    if (branch.length === 0) {
      // `**` opening the glob (or an alternative) is recursive only as a whole component.
      const next = this.#peek();
      if (next !== undefined && next !== "/") {
        this.#push(ZERO_OR_MORE);
        this.#push(ZERO_OR_MORE);
      } else {
        this.#push(RECURSIVE_PREFIX);
        this.#bump();
      }
      return;
    }
    if (prev !== "/" && (this.#stack.length <= 1 || (prev !== "," && prev !== "{"))) {
      this.#push(ZERO_OR_MORE);
      this.#push(ZERO_OR_MORE);
      return;
    }
    let isSuffix: boolean;
    const next = this.#peek();
    if (next === undefined) {
      this.#bump();
      isSuffix = true;
    } else if ((next === "," || next === "}") && this.#stack.length >= 2) {
      isSuffix = true;
    } else if (next === "/") {
      this.#bump();
      isSuffix = false;
    } else {
      this.#push(ZERO_OR_MORE);
      this.#push(ZERO_OR_MORE);
      return;
    }
    // The `/` before `**` becomes part of the recursive token.
    const last = branch.pop();
    if (last?.kind === "recursivePrefix" || last?.kind === "recursiveSuffix") {
      this.#push(last);
    } else {
      this.#push(isSuffix ? RECURSIVE_SUFFIX : RECURSIVE_ZERO_OR_MORE);
    }
  }

  #class(): void {
    const ranges: [string, string][] = [];
    let negated = false;
    const head = this.#peek();
    if (head === "!" || head === "^") {
      this.#bump();
      negated = true;
    }
    let first = true;
    let inRange = false;
    const extend = (end: string) => {
      const range = ranges[ranges.length - 1];
      range[1] = end;
      if (codePoint(range[1]) < codePoint(range[0])) {
        this.#fail(`invalid range; '${range[0]}' > '${range[1]}'`);
      }
    };
    while (true) {
      const c = this.#bump();
      if (c === undefined) this.#fail("unclosed character class; missing ']'");
      if (c === "]") {
        if (!first) break;
        ranges.push(["]", "]"]);
      } else if (c === "-") {
        if (first) ranges.push(["-", "-"]);
        else if (inRange) {
          extend("-");
          inRange = false;
        } else inRange = true;
      } else {
        if (inRange) extend(c);
        else ranges.push([c, c]);
        inRange = false;
      }
      first = false;
    }
    // A trailing `-` is literal.
    if (inRange) ranges.push(["-", "-"]);
    this.#push({ kind: "class", negated, ranges });
  }
}

function codePoint(char: string): number {
  return char.codePointAt(0)!;
}

const SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;

function escapeChar(char: string): string {
  return char.replace(SPECIAL, "\\$&");
}

// globset compiles with (?-u), where `.` is any byte but `\n`.
const DOT = "[^\\n]";

function tokensToSource(tokens: readonly Token[], literalSeparator: boolean): string {
  // `**` alone matches everything, even an empty path.
  if (tokens.length === 1 && tokens[0].kind === "recursivePrefix") return `${DOT}*`;
  return emit(tokens, literalSeparator, { groups: 0 });
}

/** Whether a token matches exactly one character, never `/` or a newline. */
function isSingle(token: Token): boolean {
  switch (token.kind) {
    case "literal":
      return token.char !== "/" && token.char !== "\n";
    case "any":
      return true;
    case "class":
      return !token.negated && token.ranges.every(([from, to]) => {
        const [a, b] = [codePoint(from), codePoint(to)];
        return !(a <= 0x2f && 0x2f <= b) && !(a <= 0x0a && 0x0a <= b);
      });
    default:
      return false;
  }
}

function emit(
  input: readonly Token[],
  literalSeparator: boolean,
  state: { groups: number },
): string {
  // `**` glued to a name is two stars; one is the same match with less backtracking.
  const tokens = input.filter((token, i) =>
    !(token.kind === "zeroOrMore" && input[i - 1]?.kind === "zeroOrMore")
  );
  const star = literalSeparator ? "[^/]*" : `${DOT}*`;
  let source = "";
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    switch (token.kind) {
      case "literal":
        source += escapeChar(token.char);
        break;
      case "any":
        source += literalSeparator ? "[^/]" : DOT;
        break;
      case "zeroOrMore": {
        // A backtracking engine tries every split of the text between the stars of
        // `*a*b*c`: time grows with the length to the power of the number of stars, and a
        // name that fails to match takes seconds. Between two stars, the first place the
        // piece fits is always as good as any later one (the next star takes up the
        // difference), so the piece is matched there once, atomically: a lookahead
        // captures it and a backreference consumes it, which JS never re-enters.
        let j = i + 1;
        while (j < tokens.length && isSingle(tokens[j])) j++;
        if (j > i + 1 && tokens[j]?.kind === "zeroOrMore") {
          const piece = emit(tokens.slice(i + 1, j), literalSeparator, state);
          const group = ++state.groups;
          source += `(?=(${star}?${piece}))\\${group}`;
          i = j - 1;
        } else {
          source += star;
        }
        break;
      }
      case "recursivePrefix":
        source += `(?:/?|${DOT}*/)`;
        break;
      case "recursiveSuffix":
        source += `/${DOT}*`;
        break;
      case "recursiveZeroOrMore":
        source += `(?:/|/${DOT}*/)`;
        break;
      case "class": {
        // A class matches `/` even with literalSeparator, as in globset.
        source += token.negated ? "[^" : "[";
        for (const [from, to] of token.ranges) {
          source += from === to ? escapeChar(from) : `${escapeChar(from)}-${escapeChar(to)}`;
        }
        source += "]";
        break;
      }
      case "alternates": {
        // An empty alternative is dropped (globset's empty_alternates is off): `{,a}` is `a`.
        const parts = token.branches
          .map((branch) => emit(branch, literalSeparator, state))
          .filter((part) => part !== "");
        if (parts.length > 0) source += `(?:${parts.join("|")})`;
        break;
      }
    }
  }
  return source;
}

function parse(glob: string, options: GlobOptions): Token[] {
  return new Parser(glob, options.backslashEscape ?? GLOB_DEFAULTS.backslashEscape).parse();
}

/**
 * Compiles a glob to an anchored regular expression that matches whole paths (with `/`
 * separators).
 *
 * @example
 * ```ts
 * import { globToRegExp } from "./glob.ts";
 * import assert from "node:assert/strict";
 * // "src/**" + "/*.{ts,js}": a comment cannot hold the two written together.
 * const re = globToRegExp("src/**" + "/*.{ts,js}", { literalSeparator: true });
 * assert.ok(re.test("src/a/b/main.ts"));
 * assert.ok(!re.test("lib/main.ts"));
 * assert.ok(globToRegExp("*.TXT", { caseInsensitive: true }).test("notes.txt"));
 * ```
 *
 * @param glob The glob.
 * @param options Case, separator and escape handling.
 * @returns The expression, anchored at both ends.
 * @throws {GlobSyntaxError} When the glob cannot be parsed.
 */
export function globToRegExp(glob: string, options: GlobOptions = {}): RegExp {
  const literalSeparator = options.literalSeparator ?? GLOB_DEFAULTS.literalSeparator;
  const source = tokensToSource(parse(glob, options), literalSeparator);
  const caseInsensitive = options.caseInsensitive ?? GLOB_DEFAULTS.caseInsensitive;
  return new RegExp(`^${source}$`, caseInsensitive ? "i" : "");
}

function allLiteral(tokens: readonly Token[]): string | undefined {
  let text = "";
  for (const token of tokens) {
    if (token.kind !== "literal") return undefined;
    text += token.char;
  }
  return text;
}

/**
 * A compiled glob with the facts a matcher needs to skip the regular expression, as
 * globset's match strategies do: most ignore rules are a bare name (`node_modules`) or an
 * extension (`*.log`), which a string comparison decides.
 *
 * @example
 * ```ts
 * import { Glob } from "./glob.ts";
 * import assert from "node:assert/strict";
 * const glob = new Glob("**" + "/*.rs", { literalSeparator: true });
 * assert.ok(glob.test("src/main.rs"));
 * assert.equal(glob.extension, ".rs");
 * assert.ok(glob.testAt("./src/lib.rs", 2));
 * ```
 */
export class Glob {
  /** The glob as written. */
  readonly glob: string;
  /** The anchored expression. */
  readonly regExp: RegExp;
  /**
   * Set when the glob matches exactly the paths whose last component is this name (a
   * leading `**` and a slash, then a name without wildcards).
   */
  readonly basename: string | undefined;
  /**
   * Set when the glob matches exactly the paths whose last component ends with this
   * extension, dot included: a leading `**` and a slash then `*.rs`, or `*.rs` alone when `*`
   * crosses `/`.
   */
  readonly extension: string | undefined;
  /** Set when the glob matches exactly one path, this one. */
  readonly literal: string | undefined;
  /** The same expression without `^` and sticky, to match from an offset without slicing. */
  readonly #sticky: RegExp;

  /**
   * Parses and compiles the glob.
   *
   * @param glob The glob.
   * @param options Case, separator and escape handling.
   * @throws {GlobSyntaxError} When the glob cannot be parsed.
   */
  constructor(glob: string, options: GlobOptions = {}) {
    const literalSeparator = options.literalSeparator ?? GLOB_DEFAULTS.literalSeparator;
    const caseInsensitive = options.caseInsensitive ?? GLOB_DEFAULTS.caseInsensitive;
    const tokens = parse(glob, options);
    const source = tokensToSource(tokens, literalSeparator);
    const flags = caseInsensitive ? "i" : "";
    this.glob = glob;
    this.regExp = new RegExp(`^${source}$`, flags);
    this.#sticky = new RegExp(`(?:${source})$`, `${flags}y`);
    let basename: string | undefined;
    let extension: string | undefined;
    let literal: string | undefined;
    if (!caseInsensitive) {
      literal = allLiteral(tokens) || undefined;
      if (tokens[0]?.kind === "recursivePrefix" && tokens.length > 1) {
        const name = allLiteral(tokens.slice(1));
        if (name !== undefined && !name.includes("/")) basename = name;
      }
      const star = tokens[0]?.kind === "recursivePrefix" ? 1 : 0;
      if (
        tokens[star]?.kind === "zeroOrMore" && (star === 1 || !literalSeparator) &&
        tokens[star + 1]?.kind === "literal"
      ) {
        const ext = allLiteral(tokens.slice(star + 1));
        if (ext !== undefined && ext[0] === "." && !/[./]/.test(ext.slice(1))) extension = ext;
      }
    }
    this.basename = basename;
    this.extension = extension;
    this.literal = literal;
  }

  /**
   * Whether a path matches.
   *
   * @param path A path with `/` separators.
   * @returns True on a match.
   */
  test(path: string): boolean {
    return this.testAt(path, 0);
  }

  /**
   * Whether `path.slice(start)` matches, without making that string.
   *
   * @param path A path with `/` separators.
   * @param start Where the part to match begins.
   * @returns True on a match.
   */
  testAt(path: string, start: number): boolean {
    return this.testEntry(path, start, Math.max(start, path.lastIndexOf("/") + 1));
  }

  /**
   * Like {@linkcode Glob.testAt} for a caller that already knows where the last component
   * begins, as a directory walker does.
   *
   * @param path A path with `/` separators.
   * @param start Where the part to match begins.
   * @param nameStart Where its last component begins.
   * @returns True on a match.
   */
  testEntry(path: string, start: number, nameStart: number): boolean {
    if (this.basename !== undefined) {
      return path.length - nameStart === this.basename.length &&
        path.startsWith(this.basename, nameStart);
    }
    if (this.extension !== undefined) {
      return path.length - nameStart >= this.extension.length && path.endsWith(this.extension);
    }
    if (this.literal !== undefined) {
      return path.length - start === this.literal.length && path.startsWith(this.literal, start);
    }
    this.#sticky.lastIndex = start;
    return this.#sticky.test(path);
  }
}
