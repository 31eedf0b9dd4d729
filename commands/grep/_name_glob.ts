/**
 * Globs over one file name, with ripgrep 13's glob syntax and matching rules.
 *
 * The parser follows ripgrep's `globset` crate as ripgrep 13 ships it: `*`, `?`, `[...]`
 * (negated with `!` or `^`), `{a,b}` (not nested; empty alternatives are dropped), `\`
 * escapes, and `**` next to a `/`. Matching is on the name's UTF-8 bytes, as globset's
 * byte regexes do, so `?` is one byte and `??` matches `é`.
 *
 * @module
 */

/**
 * A glob ripgrep would refuse; the message is globset's, word for word.
 *
 * @example
 * ```ts
 * import { NameGlobError, NameGlobSet } from "./_name_glob.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => new NameGlobSet().add("*.["), {
 *   name: "NameGlobError",
 *   message: "error parsing glob '*.[': unclosed character class; missing ']'",
 * });
 * assert.ok(new NameGlobError("x", "y") instanceof SyntaxError);
 * ```
 */
export class NameGlobError extends SyntaxError {
  override name = "NameGlobError";
  /** The glob as given. */
  readonly glob: string;

  /**
   * @param glob The glob as given.
   * @param reason What is wrong with it, in globset's words.
   */
  constructor(glob: string, reason: string) {
    super(`error parsing glob '${glob}': ${reason}`);
    this.glob = glob;
  }
}

type Token =
  | { kind: "literal"; char: string }
  | { kind: "any" }
  | { kind: "star" }
  | { kind: "recursivePrefix" }
  | { kind: "recursiveSuffix" }
  | { kind: "recursiveZeroOrMore" }
  | { kind: "class"; negated: boolean; ranges: [string, string][] }
  | { kind: "alternates"; branches: Token[][] };

const STAR: Token = { kind: "star" };

/** A port of globset's parser, quirks included: a stray `}` closes nothing and is dropped. */
class Parser {
  readonly #glob: string;
  readonly #chars: string[];
  #index = 0;
  #prev: string | undefined;
  #cur: string | undefined;
  /** The top level, then one entry per open alternative. */
  readonly #stack: Token[][] = [[]];

  constructor(glob: string) {
    this.#glob = glob;
    this.#chars = [...glob];
  }

  parse(): Token[] {
    for (let c = this.#bump(); c !== undefined; c = this.#bump()) {
      switch (c) {
        case "?":
          this.#push({ kind: "any" });
          break;
        case "*":
          this.#parseStar();
          break;
        case "[":
          this.#parseClass();
          break;
        case "{":
          if (this.#stack.length > 1) this.#fail("nested alternate groups are not allowed");
          this.#stack.push([]);
          break;
        case "}": {
          const branches: Token[][] = [];
          while (this.#stack.length >= 2) branches.push(this.#stack.pop()!);
          this.#push({ kind: "alternates", branches: branches.reverse() });
          break;
        }
        case ",":
          // Outside a group a comma is an ordinary character.
          if (this.#stack.length <= 1) this.#push({ kind: "literal", char: "," });
          else this.#stack.push([]);
          break;
        case "\\": {
          const next = this.#bump();
          if (next === undefined) this.#fail("dangling '\\'");
          this.#push({ kind: "literal", char: next });
          break;
        }
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
    throw new NameGlobError(this.#glob, reason);
  }

  #bump(): string | undefined {
    this.#prev = this.#cur;
    this.#cur = this.#chars[this.#index++];
    return this.#cur;
  }

  #peek(): string | undefined {
    return this.#chars[this.#index];
  }

  #push(token: Token): void {
    this.#stack[this.#stack.length - 1].push(token);
  }

  #parseStar(): void {
    const prev = this.#prev;
    if (this.#peek() !== "*") return this.#push(STAR);
    this.#bump();
    const branch = this.#stack[this.#stack.length - 1];
    if (branch.length === 0) {
      const next = this.#peek();
      if (next !== undefined && next !== "/") {
        this.#push(STAR);
        this.#push(STAR);
      } else {
        this.#push({ kind: "recursivePrefix" });
        this.#bump();
      }
      return;
    }
    if (prev !== "/" && (this.#stack.length <= 1 || (prev !== "," && prev !== "{"))) {
      this.#push(STAR);
      this.#push(STAR);
      return;
    }
    let suffix: boolean;
    const next = this.#peek();
    if (next === undefined) {
      suffix = true;
    } else if ((next === "," || next === "}") && this.#stack.length >= 2) {
      suffix = true;
    } else if (next === "/") {
      this.#bump();
      suffix = false;
    } else {
      this.#push(STAR);
      this.#push(STAR);
      return;
    }
    const last = branch.pop()!;
    if (last.kind === "recursivePrefix" || last.kind === "recursiveSuffix") this.#push(last);
    else this.#push({ kind: suffix ? "recursiveSuffix" : "recursiveZeroOrMore" });
  }

  #parseClass(): void {
    const ranges: [string, string][] = [];
    let negated = false;
    if (this.#peek() === "!" || this.#peek() === "^") {
      this.#bump();
      negated = true;
    }
    let first = true;
    let inRange = false;
    const extend = (end: string) => {
      const range = ranges[ranges.length - 1];
      range[1] = end;
      if (compareCodePoints(range[1], range[0]) < 0) {
        this.#fail(`invalid range; '${range[0]}' > '${range[1]}'`);
      }
    };
    while (true) {
      const c = this.#bump();
      if (c === undefined) this.#fail("unclosed character class; missing ']'");
      if (c === "]" && !first) break;
      if (c === "-" && !first) {
        if (inRange) {
          extend("-");
          inRange = false;
        } else {
          inRange = true;
        }
      } else if (inRange) {
        extend(c);
        inRange = false;
      } else {
        ranges.push([c, c]);
      }
      first = false;
    }
    // A `-` just before the closing `]` is itself a member.
    if (inRange) ranges.push(["-", "-"]);
    this.#push({ kind: "class", negated, ranges });
  }
}

function compareCodePoints(a: string, b: string): number {
  return a.codePointAt(0)! - b.codePointAt(0)!;
}

const encoder = new TextEncoder();

/** A regex atom for each UTF-8 byte of `char`, since the haystack is a byte string. */
function escapeChar(char: string): string {
  if (/^[A-Za-z0-9_]$/.test(char)) return char;
  let out = "";
  for (const byte of encoder.encode(char)) out += `\\x${byte.toString(16).padStart(2, "0")}`;
  return out;
}

function render(tokens: Token[]): string {
  let out = "";
  for (const token of tokens) {
    switch (token.kind) {
      case "literal":
        out += escapeChar(token.char);
        break;
      case "any":
        out += "[^/]";
        break;
      case "star":
        out += "[^/]*";
        break;
      case "recursivePrefix":
        out += "(?:/?|[^]*/)";
        break;
      case "recursiveSuffix":
        out += "/[^]*";
        break;
      case "recursiveZeroOrMore":
        out += "(?:/|/[^]*/)";
        break;
      case "class":
        out += token.negated ? "[^" : "[";
        for (const [lo, hi] of token.ranges) {
          out += lo === hi ? escapeChar(lo) : `${escapeChar(lo)}-${escapeChar(hi)}`;
        }
        out += "]";
        break;
      case "alternates": {
        // globset drops alternatives that render empty, so `{a,}b` matches `ab` only.
        const parts = token.branches.map(render).filter((part) => part !== "");
        if (parts.length > 0) out += `(?:${parts.join("|")})`;
        break;
      }
    }
  }
  return out;
}

/** How many names a glob's `{...}` groups may expand to before it goes to the regex. */
const MAX_EXPANSIONS = 64;

/** The token lists a glob's groups expand to, or undefined when there would be too many. */
function expand(tokens: Token[]): Token[][] | undefined {
  let results: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind !== "alternates") {
      for (const result of results) result.push(token);
      continue;
    }
    let branches = token.branches.filter((branch) => render(branch) !== "");
    if (branches.length === 0) branches = [[]];
    if (results.length * branches.length > MAX_EXPANSIONS) return undefined;
    results = results.flatMap((result) => branches.map((branch) => [...result, ...branch]));
  }
  return results;
}

function literalText(tokens: Token[]): string | undefined {
  let text = "";
  for (const token of tokens) {
    if (token.kind !== "literal") return undefined;
    text += token.char;
  }
  return text;
}

/**
 * Compiles one glob to a RegExp over a name's byte string (see {@linkcode toByteString}).
 *
 * @example
 * ```ts
 * import { nameGlobToRegExp, toByteString } from "./_name_glob.ts";
 * import assert from "node:assert/strict";
 * const re = nameGlobToRegExp("*.[ch]");
 * assert.ok(re.test(toByteString("main.c")));
 * assert.ok(!re.test(toByteString("main.cc")));
 * ```
 *
 * @param glob A glob in ripgrep's syntax.
 * @returns A RegExp anchored at both ends.
 * @throws {NameGlobError} When ripgrep would refuse the glob.
 */
export function nameGlobToRegExp(glob: string): RegExp {
  return new RegExp(`^(?:${sourceOf(glob, new Parser(glob).parse())})$`);
}

function sourceOf(glob: string, tokens: Token[]): string {
  // globset's special case: a glob that is only `**` matches everything.
  const source = tokens.length === 1 && tokens[0].kind === "recursivePrefix"
    ? "[^]*"
    : render(tokens);
  try {
    new RegExp(source);
  } catch {
    // A class range whose UTF-8 bytes run backwards, which globset's regex refuses too.
    throw new NameGlobError(glob, "invalid character range");
  }
  return source;
}

/**
 * The name with each UTF-8 byte as one UTF-16 unit, the haystack the RegExps of this
 * module run on. ASCII names (nearly all) come back as they are.
 *
 * @example
 * ```ts
 * import { toByteString } from "./_name_glob.ts";
 * import assert from "node:assert/strict";
 * assert.equal(toByteString("a.rs"), "a.rs");
 * assert.equal(toByteString("é"), "\xc3\xa9");
 * ```
 *
 * @param name A file name.
 * @returns Its bytes as a string.
 */
export function toByteString(name: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(name)) return name;
  let out = "";
  for (const byte of encoder.encode(name)) out += String.fromCharCode(byte);
  return out;
}

/**
 * A set of name globs that answers "does any of them match?" for one name.
 *
 * Globs are sorted into strategies, as globset does: literal names go into a `Set`; globs of
 * the form `*.ext` (after expanding `{a,b}`) into a set of suffixes looked up at each dot
 * of the name; other globs that open with `*` into one RegExp anchored only at the end
 * (a name has no `/`, so the `*` takes any prefix, and V8 runs that form five times faster
 * than `^[^/]*...$`); the rest into one anchored RegExp. A selection such as `-t all` has
 * hundreds of globs, and the matcher runs for every file of a tree.
 *
 * @example
 * ```ts
 * import { NameGlobSet } from "./_name_glob.ts";
 * import assert from "node:assert/strict";
 * const set = new NameGlobSet();
 * set.add("*.{rs,toml}");
 * set.add("Makefile");
 * set.add("*[.-]LICEN[CS]E*");
 * const matches = set.compile();
 * assert.ok(matches("Cargo.toml"));
 * assert.ok(matches("Makefile"));
 * assert.ok(matches("MIT-LICENSE.txt"));
 * assert.ok(!matches("main.c"));
 * ```
 */
export class NameGlobSet {
  #everything = false;
  readonly #literals = new Set<string>();
  readonly #suffixes = new Set<string>();
  /** Sources of globs that open with `*`, without it. */
  readonly #endings = new Set<string>();
  readonly #sources = new Set<string>();

  /**
   * Adds a glob, parsing it now so a bad one fails here, in the order given.
   *
   * @param glob A glob in ripgrep's syntax.
   * @throws {NameGlobError} When ripgrep would refuse the glob.
   */
  add(glob: string): void {
    const tokens = new Parser(glob).parse();
    const source = sourceOf(glob, tokens);
    if (tokens.length === 1 && tokens[0].kind === "recursivePrefix") {
      this.#everything = true;
      return;
    }
    const expansions = expand(tokens);
    if (expansions === undefined) {
      this.#sources.add(source);
      return;
    }
    for (const expansion of expansions) {
      const literal = literalText(expansion);
      const star = expansion[0]?.kind === "star";
      const suffix = star ? literalText(expansion.slice(1)) : undefined;
      if (literal !== undefined) this.#literals.add(literal);
      else if (suffix?.startsWith(".")) this.#suffixes.add(suffix);
      else if (star) this.#endings.add(render(expansion.slice(1)));
      else this.#sources.add(render(expansion));
    }
  }

  /**
   * Builds the predicate. Names are base names: they never contain `/`.
   *
   * @returns A function telling whether any glob matches a name.
   */
  compile(): (name: string) => boolean {
    if (this.#everything) return () => true;
    const literals = this.#literals;
    const suffixes = this.#suffixes;
    const endings = this.#endings.size === 0
      ? undefined
      : new RegExp(`(?:${[...this.#endings].join("|")})$`);
    const regex = this.#sources.size === 0
      ? undefined
      : new RegExp(`^(?:${[...this.#sources].join("|")})$`);
    return function matchesName(name: string): boolean {
      if (literals.has(name)) return true;
      if (suffixes.size > 0) {
        for (let dot = name.lastIndexOf("."); dot >= 0; dot = name.lastIndexOf(".", dot - 1)) {
          if (suffixes.has(name.slice(dot))) return true;
          if (dot === 0) break;
        }
      }
      if (endings === undefined && regex === undefined) return false;
      const bytes = toByteString(name);
      return (endings !== undefined && endings.test(bytes)) ||
        (regex !== undefined && regex.test(bytes));
    };
  }
}
