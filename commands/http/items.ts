/**
 * Request items, httpie's syntax: `Header:Value`, `name=value`, `name:=json`, `name==value`,
 * `field@file` and the `@file` forms that read a value from a file.
 *
 * Parsing is pure: files named by `=@`, `:=@`, `==@` and `:@` are only recorded here and read in
 * {@linkcode resolveItems}, so argument errors are found before any file is touched.
 *
 * @module
 */

/** What an item does to the request. */
export type ItemKind =
  | "header" // Header:Value
  | "header-unset" // Header:   (drops the header, a default one included)
  | "header-empty" // Header;   (sends it with an empty value)
  | "header-file" // Header:@file
  | "query" // name==value
  | "query-file" // name==@file
  | "data" // name=value     (a JSON string or a form field)
  | "data-file" // name=@file    (the file's text as a string)
  | "json" // name:=json     (raw JSON)
  | "json-file" // name:=@file   (JSON read from a file)
  | "file"; // field@file    (a multipart file upload)

/** One parsed request item. */
export interface RequestItem {
  /** The item as typed. */
  orig: string;
  kind: ItemKind;
  /** The key with escapes removed. */
  key: string;
  /** The value with escapes removed (a path for the `*-file` kinds and `file`). */
  value: string;
  /** For `file`: the MIME type given with `;type=`. */
  contentType?: string;
}

/** A request item that does not follow the syntax. */
export class ItemSyntaxError extends SyntaxError {
  override name = "ItemSyntaxError";
  /** The item as typed. */
  readonly item: string;

  /**
   * @param item The item as typed.
   * @param message What is wrong.
   */
  constructor(item: string, message = `'${item}' is not a valid request item`) {
    super(message);
    this.item = item;
  }
}

/** Separators, longest first within each starting character, as httpie matches them. */
const SEPARATORS: [string, ItemKind][] = [
  [":=@", "json-file"],
  ["==@", "query-file"],
  [":=", "json"],
  ["==", "query"],
  ["=@", "data-file"],
  [":@", "header-file"],
  [":", "header"],
  [";", "header-empty"],
  ["=", "data"],
  ["@", "file"],
];

/** The characters a backslash can escape: those that make up separators. */
const SPECIAL = new Set([":", ";", "=", "@"]);

interface Token {
  text: string;
  escaped: boolean;
}

function tokenize(item: string): Token[] {
  const tokens: Token[] = [];
  let text = "";
  for (let i = 0; i < item.length; i++) {
    const ch = item[i];
    if (ch === "\\" && i + 1 < item.length && SPECIAL.has(item[i + 1])) {
      if (text) tokens.push({ text, escaped: false });
      tokens.push({ text: item[++i], escaped: true });
      text = "";
      continue;
    }
    text += ch;
  }
  if (text) tokens.push({ text, escaped: false });
  return tokens;
}

/**
 * Parses one request item. The earliest separator wins and, among separators starting at the
 * same place, the longest (so `a:=1` is raw JSON, not the header `a` with value `=1`); a
 * backslash makes the next `:`, `;`, `=` or `@` part of the key or value.
 *
 * @example
 * ```ts
 * import { parseItem } from "./items.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseItem("X-API-Token:123").kind, "header");
 * assert.deepEqual(parseItem("age:=29").kind, "json");
 * assert.equal(parseItem("search==kit").kind, "query");
 * assert.equal(parseItem("a\\=b=c").key, "a=b");
 * ```
 *
 * @param item The item as typed.
 * @returns The item.
 * @throws {ItemSyntaxError} When it holds no separator, or a header has an empty name.
 */
export function parseItem(item: string): RequestItem {
  const tokens = tokenize(item);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.escaped) continue;
    let best: [number, string, ItemKind] | undefined;
    for (const [sep, kind] of SEPARATORS) {
      const at = token.text.indexOf(sep);
      if (at === -1) continue;
      if (!best || at < best[0] || (at === best[0] && sep.length > best[1].length)) {
        best = [at, sep, kind];
      }
    }
    if (!best) continue;
    const [at, sep] = best;
    let kind = best[2];
    const key = tokens.slice(0, i).map((t) => t.text).join("") + token.text.slice(0, at);
    let value = token.text.slice(at + sep.length) + tokens.slice(i + 1).map((t) => t.text).join("");
    if (kind === "header" && value === "") kind = "header-unset";
    if (kind === "header-empty" && value !== "") {
      // `;` only means "empty header" at the end; elsewhere it is no separator at all.
      throw new ItemSyntaxError(item);
    }
    if ((kind.startsWith("header")) && key === "") {
      throw new ItemSyntaxError(item, `'${item}' has an empty header name`);
    }
    const result: RequestItem = { orig: item, kind, key, value };
    if (kind === "file") {
      const typed = /^(.*?);type=(.+)$/.exec(value);
      if (typed) {
        value = typed[1];
        result.value = value;
        result.contentType = typed[2];
      }
      if (value === "") throw new ItemSyntaxError(item, `'${item}' names no file`);
    }
    return result;
  }
  throw new ItemSyntaxError(item);
}

/** Whether a word parses as a request item (used to tell a method from a URL). */
export function isItem(word: string): boolean {
  try {
    parseItem(word);
    return true;
  } catch {
    return false;
  }
}

/** Items grouped by what they become, with files read. */
export interface ResolvedItems {
  /** Headers in order; a `null` value unsets the header. */
  headers: [string, string | null][];
  /** Query parameters in order. */
  query: [string, string][];
  /** Data fields: strings (`=`, `=@`) and raw JSON (`:=`, `:=@`), in order. */
  data: { key: string; value: unknown; raw: boolean }[];
  /** Multipart file uploads. */
  files: { name: string; path: string; contentType?: string }[];
}

/** Options for {@linkcode resolveItems}. */
export interface ResolveItemsOptions {
  /** Reads a text file; `@file` paths go through it. @default Deno.readTextFile */
  readTextFile?: (path: string) => Promise<string>;
}

/**
 * Groups items by what they become and reads the files that `=@`, `:=@`, `==@` and `:@` name.
 * Raw JSON is parsed here, so a bad value is reported with the item it came from.
 *
 * @example
 * ```ts
 * import { parseItem, resolveItems } from "./items.ts";
 * import assert from "node:assert/strict";
 * const items = await resolveItems(["a=1", "b:=[1]", "q==x", "X-A:1"].map(parseItem));
 * assert.deepEqual(items.data.map((d) => d.value), ["1", [1]]);
 * assert.deepEqual(items.query, [["q", "x"]]);
 * ```
 *
 * @param items Parsed items.
 * @param options How files are read.
 * @returns The grouped items.
 * @throws {ItemSyntaxError} For raw JSON that does not parse.
 */
export async function resolveItems(
  items: RequestItem[],
  options: ResolveItemsOptions = {},
): Promise<ResolvedItems> {
  const read = options.readTextFile ?? ((path: string) => Deno.readTextFile(path));
  const out: ResolvedItems = { headers: [], query: [], data: [], files: [] };
  const json = (item: RequestItem, text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ItemSyntaxError(
        item.orig,
        `'${item.orig}': ${(error as Error).message.replace(/^JSON\.parse: /, "")}`,
      );
    }
  };
  for (const item of items) {
    switch (item.kind) {
      case "header":
        out.headers.push([item.key, item.value]);
        break;
      case "header-unset":
        out.headers.push([item.key, null]);
        break;
      case "header-empty":
        out.headers.push([item.key, ""]);
        break;
      case "header-file":
        out.headers.push([item.key, (await read(item.value)).trim()]);
        break;
      case "query":
        out.query.push([item.key, item.value]);
        break;
      case "query-file":
        out.query.push([item.key, await read(item.value)]);
        break;
      case "data":
        out.data.push({ key: item.key, value: item.value, raw: false });
        break;
      case "data-file":
        out.data.push({ key: item.key, value: await read(item.value), raw: false });
        break;
      case "json":
        out.data.push({ key: item.key, value: json(item, item.value), raw: true });
        break;
      case "json-file":
        out.data.push({ key: item.key, value: json(item, await read(item.value)), raw: true });
        break;
      case "file":
        out.files.push({ name: item.key, path: item.value, contentType: item.contentType });
        break;
    }
  }
  return out;
}

/** A nested JSON key that does not follow the syntax. */
export class NestedKeySyntaxError extends SyntaxError {
  override name = "NestedKeySyntaxError";
}

type PathStep = string | number | null; // null: append (`[]`)

function parsePath(key: string): PathStep[] {
  // httpie 3: `a[b][0][]`; a key without brackets is one plain step. `\[` keeps a bracket.
  const steps: PathStep[] = [];
  let i = 0;
  let head = "";
  while (i < key.length && key[i] !== "[") {
    if (key[i] === "\\" && (key[i + 1] === "[" || key[i + 1] === "]" || key[i + 1] === "\\")) {
      head += key[i + 1];
      i += 2;
      continue;
    }
    head += key[i++];
  }
  if (i === key.length) return [head];
  if (head !== "") steps.push(head);
  while (i < key.length) {
    if (key[i] !== "[") {
      throw new NestedKeySyntaxError(`'${key}': expected '[' at position ${i}`);
    }
    const end = key.indexOf("]", i);
    if (end === -1) throw new NestedKeySyntaxError(`'${key}': a '[' is not closed`);
    const inner = key.slice(i + 1, end);
    steps.push(inner === "" ? null : /^\d+$/.test(inner) ? Number(inner) : inner);
    i = end + 1;
  }
  return steps;
}

/**
 * Builds the JSON body from data fields as httpie 3 does: `a=1` sets a key, `a[b]=1` nests,
 * `a[]=1` appends, `a[0]=1` sets an index; a body made only of top-level `[]` keys is an array.
 *
 * @example
 * ```ts
 * import { nestJson } from "./items.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   nestJson([{ key: "user[name]", value: "ann" }, { key: "tags[]", value: "a" }]),
 *   { user: { name: "ann" }, tags: ["a"] },
 * );
 * ```
 *
 * @param fields Keys and values in order.
 * @returns The JSON value.
 * @throws {NestedKeySyntaxError} For a malformed key or a clash of object and array.
 */
export function nestJson(fields: { key: string; value: unknown }[]): unknown {
  let root: unknown = undefined;
  for (const { key, value } of fields) {
    const steps = parsePath(key);
    if (root === undefined) root = typeof steps[0] === "string" ? {} : [];
    root = assign(root, steps, value, key);
  }
  return root ?? {};
}

function assign(target: unknown, steps: PathStep[], value: unknown, key: string): unknown {
  if (steps.length === 0) return value;
  const [step, ...rest] = steps;
  const child = (existing: unknown) =>
    existing === undefined && rest.length > 0
      ? assign(typeof rest[0] === "string" ? {} : [], rest, value, key)
      : assign(existing, rest, value, key);
  if (typeof step === "string") {
    if (target === undefined) target = {};
    if (typeof target !== "object" || target === null || Array.isArray(target)) {
      throw new NestedKeySyntaxError(`'${key}': cannot set key "${step}" on a non-object`);
    }
    const object = target as Record<string, unknown>;
    object[step] = child(object[step]);
    return object;
  }
  if (target === undefined) target = [];
  if (!Array.isArray(target)) {
    throw new NestedKeySyntaxError(`'${key}': cannot index a non-array`);
  }
  if (step === null) {
    target.push(child(undefined));
  } else {
    while (target.length < step) target.push(null);
    target[step] = child(target[step]);
  }
  return target;
}
