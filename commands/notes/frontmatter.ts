/**
 * Reading and writing the YAML frontmatter of a note.
 *
 * Frontmatter is read by a small line parser first ("simple" strategy): kit writes only
 * `key: scalar` and `key: [flow, list]` lines, and reading 10,000 notes with a full YAML
 * parser costs more than the rest of `kit notes list` together. Anything the line parser
 * does not recognise goes to the full YAML parser, which is the reference.
 *
 * @module
 */

type YamlModule = typeof import("../../lib/deps/yaml.ts");

let yamlModule: YamlModule | undefined;

/**
 * Thrown by {@linkcode parseFrontmatter} when the text needs the full YAML parser and it has
 * not been loaded: call {@linkcode loadYamlParser} and try again. The parser is loaded only
 * when a note needs it, because loading it costs more than listing 10,000 simple notes.
 */
export class YamlParserNeeded extends Error {
  override name = "YamlParserNeeded";
  constructor() {
    super("The full YAML parser is needed; call loadYamlParser() first");
  }
}

/** Loads the full YAML parser that {@linkcode parseFrontmatter} falls back to. */
export async function loadYamlParser(): Promise<void> {
  yamlModule ??= await import("../../lib/deps/yaml.ts");
}

/** Frontmatter split from a document. */
export interface SplitDocument {
  /** The YAML between the `---` fences, or undefined when there is no frontmatter. */
  yaml: string | undefined;
  /** The markdown after the closing fence. */
  body: string;
}

/** The frontmatter could not be parsed. */
export class FrontmatterError extends SyntaxError {
  override name = "FrontmatterError";
  /** 1-based line in the file. */
  readonly line: number;

  /**
   * @param message What is wrong.
   * @param line 1-based line in the file.
   */
  constructor(message: string, line: number) {
    super(`${message} (line ${line})`);
    this.line = line;
  }
}

/**
 * Splits `---` fenced frontmatter off a document.
 *
 * @example
 * ```ts
 * import { splitFrontmatter } from "./frontmatter.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(splitFrontmatter("---\ntitle: A\n---\nbody\n"), { yaml: "title: A\n", body: "body\n" });
 * assert.deepEqual(splitFrontmatter("no fence\n"), { yaml: undefined, body: "no fence\n" });
 * ```
 *
 * @param text The whole file.
 * @returns The YAML text and the body.
 */
export function splitFrontmatter(text: string): SplitDocument {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.startsWith("---\n") && !text.startsWith("---\r\n")) {
    return { yaml: undefined, body: text };
  }
  const start = text.indexOf("\n") + 1;
  let at = start;
  while (at <= text.length) {
    const end = text.indexOf("\n", at);
    const line = text.slice(at, end === -1 ? text.length : end).replace(/\r$/, "");
    if (line === "---" || line === "...") {
      const yaml = text.slice(start, at);
      const rest = end === -1 ? "" : text.slice(end + 1);
      return {
        yaml,
        body: rest.startsWith("\n")
          ? rest.slice(1)
          : rest.startsWith("\r\n")
          ? rest.slice(2)
          : rest,
      };
    }
    if (end === -1) break;
    at = end + 1;
  }
  return { yaml: undefined, body: text };
}

const SIMPLE_KEY = /^([A-Za-z_][\w-]*):(?: (.*))?$/;

function simpleScalar(raw: string): unknown | typeof FALLBACK {
  const value = raw.trim();
  if (value === "") return null;
  const c = value[0];
  if (c === '"') {
    try {
      return JSON.parse(value);
    } catch {
      return FALLBACK;
    }
  }
  if (c === "'") {
    if (value.length < 2 || !value.endsWith("'")) return FALLBACK;
    const inner = value.slice(1, -1);
    if (/(^|[^'])'($|[^'])/.test(inner.replace(/''/g, ""))) return FALLBACK;
    return inner.replace(/''/g, "'");
  }
  // Anything with YAML structure in it goes to the full parser.
  if ("[]{}&*!|>%@`#,".includes(c) || /:(\s|$)|\s#/.test(value)) return FALLBACK;
  if (value === "true" || value === "false") return value === "true";
  if (value === "null" || value === "~") return null;
  if (/^-?\d+$/.test(value) && value.length < 16) return Number(value);
  if (/^-?\d*\.\d+$/.test(value)) return Number(value);
  // Other spellings the YAML core schema reads as a number, boolean or null (`+1`, `1e5`,
  // `0x1F`, `.inf`, `TRUE`), and a leading indicator (`- x`), are the full parser's to read.
  if (CORE_NOT_STRING.test(value) || /^[-?:](\s|$)/.test(value)) return FALLBACK;
  return value;
}

const CORE_NOT_STRING =
  /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|0o[0-7]+|0x[\da-fA-F]+|[-+]?(?:\.\d+|\d+(?:\.\d*)?)(?:[eE][-+]?\d+)?)$/;

function simpleFlowList(raw: string): unknown[] | typeof FALLBACK {
  const value = raw.trim();
  if (!value.startsWith("[") || !value.endsWith("]")) return FALLBACK;
  const inner = value.slice(1, -1).trim();
  if (inner === "") return [];
  if (/[[\]{}"']/.test(inner)) return FALLBACK;
  const items: unknown[] = [];
  for (const part of inner.split(",")) {
    const item = simpleScalar(part);
    if (item === FALLBACK || item === null || part.trim() === "") return FALLBACK;
    items.push(item);
  }
  return items;
}

const FALLBACK = Symbol("fallback");

/**
 * Parses the simple frontmatter kit writes, or returns undefined when the text needs the full parser.
 *
 * @param yaml The frontmatter text.
 * @returns The mapping, or undefined.
 */
export function parseSimple(yaml: string): Record<string, unknown> | undefined {
  const result: Record<string, unknown> = {};
  for (const rawLine of yaml.split("\n")) {
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    if (line === "" || line.startsWith("#")) continue;
    const match = SIMPLE_KEY.exec(line);
    if (!match) return undefined;
    const [, key, raw = ""] = match;
    if (key in result) return undefined;
    const value = raw.trimStart().startsWith("[") ? simpleFlowList(raw) : simpleScalar(raw);
    if (value === FALLBACK) return undefined;
    result[key] = value;
  }
  return result;
}

/**
 * Parses frontmatter YAML into a mapping: the line parser first, the full YAML parser when needed.
 *
 * @example
 * ```ts
 * import { loadYamlParser, parseFrontmatter } from "./frontmatter.ts";
 * import assert from "node:assert/strict";
 * await loadYamlParser();
 * assert.deepEqual(parseFrontmatter("title: A\ntags: [x, y]\n"), { title: "A", tags: ["x", "y"] });
 * assert.deepEqual(parseFrontmatter("tags:\n  - x\n"), { tags: ["x"] });
 * ```
 *
 * @param yaml The frontmatter text.
 * @returns The mapping.
 * @throws {FrontmatterError} When the YAML is invalid or not a mapping.
 * @throws {YamlParserNeeded} When the text needs the full parser and it is not loaded yet.
 */
export function parseFrontmatter(yaml: string): Record<string, unknown> {
  const simple = parseSimple(yaml);
  if (simple) return simple;
  if (!yamlModule) throw new YamlParserNeeded();
  let value: unknown;
  try {
    value = yamlModule.parseYaml(yaml, { schema: "core" });
  } catch (error) {
    if (error instanceof yamlModule.YAMLError) {
      const line = (error.linePos?.[0]?.line ?? 0) + 1;
      throw new FrontmatterError(
        error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, ""),
        line,
      );
    }
    throw error;
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new FrontmatterError("Frontmatter is not a mapping of keys to values", 2);
  }
  return value as Record<string, unknown>;
}

const PLAIN = /^[\p{L}\p{N}_./+()][\p{L}\p{N}_ ./+():'-]*$/u;
// Words and number-like text that some YAML reader (1.1 or 1.2) would not read back as a string:
// booleans, nulls, numbers, sexagesimals like 12:30 and dates like 2026-11-26.
const RESERVED =
  /^(true|false|null|~|yes|no|on|off|y|n|[-+]?[\d.:_-]*(e[+-]?\d+)?|[-+]?0[box][\da-f_]+|[-+]?\.inf|\.nan)$/i;

/**
 * Formats one scalar as YAML: plain where safe, double-quoted otherwise.
 *
 * @param value A string, number, boolean or null.
 * @returns The YAML text.
 */
export function formatScalar(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = String(value);
  if (
    text !== "" && PLAIN.test(text) && !RESERVED.test(text) && !text.endsWith(" ") &&
    !text.endsWith(":") && !text.includes(": ")
  ) return text;
  return JSON.stringify(text);
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || ["string", "number", "boolean"].includes(typeof v))) {
      return `[${value.map((v) => formatListItem(v)).join(", ")}]`;
    }
    return JSON.stringify(value);
  }
  if (value !== null && typeof value === "object") {
    return JSON.stringify(value instanceof Date ? value.toISOString() : value);
  }
  return formatScalar(value);
}

function formatListItem(value: unknown): string {
  const text = formatScalar(value);
  return /[,\[\]{}]/.test(text) && !text.startsWith('"') ? JSON.stringify(String(value)) : text;
}

/**
 * Formats a mapping as frontmatter lines, in key order. Nested values are written as JSON,
 * which YAML reads back unchanged.
 *
 * @example
 * ```ts
 * import { formatFrontmatter } from "./frontmatter.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatFrontmatter({ title: "A: b", tags: ["x"] }), 'title: "A: b"\ntags: [x]\n');
 * ```
 *
 * @param data The mapping.
 * @returns The YAML text, each line ending in a newline.
 */
export function formatFrontmatter(data: Record<string, unknown>): string {
  let out = "";
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue;
    out += `${key}: ${formatValue(value)}\n`;
  }
  return out;
}
