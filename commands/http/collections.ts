/**
 * Collections: named requests in a YAML file, with `{{var}}` placeholders filled from an
 * environment and expectations a run checks.
 *
 * ```yaml
 * environments:
 *   staging: { base: "https://staging.example.com" }
 * requests:
 *   get-user:
 *     method: GET
 *     url: "{{base}}/users/1"
 *     headers: { Accept: application/json }
 *     expect: { status: 200, json: { "$.name": "ann" } }
 * ```
 *
 * @module
 */

import { isDeepStrictEqual } from "node:util";
import { parseYaml, stringifyYaml } from "../../lib/deps/yaml.ts";
import { atomicWrite } from "../../lib/fs/atomic_write.ts";
import { dirname } from "../../lib/fs/path.ts";
import type { BodySpec, RequestSpec } from "./request_spec.ts";

/** What a run checks. */
export interface Expectations {
  /** The status code. */
  status?: number;
  /** Values at JSON paths (`$.a.b`, `$.items[0].id`). */
  json?: Record<string, unknown>;
}

/** A request as stored in a collection. */
export interface SavedRequest {
  method: string;
  url: string;
  /** Headers; a list for a name that repeats. */
  headers?: Record<string, string | string[]>;
  /** Default headers left out. */
  unset?: string[];
  body?: BodySpec;
  expect?: Expectations;
}

/** A collection file's content. */
export interface Collection {
  /** Variables by environment name. */
  environments: Record<string, Record<string, unknown>>;
  /** Requests by name, in file order. */
  requests: Record<string, SavedRequest>;
}

/** A collection file that is not valid. */
export class CollectionError extends Error {
  override name = "CollectionError";
}

/** A placeholder with no value in the environment. */
export class TemplateError extends Error {
  override name = "TemplateError";
}

/**
 * Reads a collection; a missing file is an empty collection.
 *
 * @param path The YAML file.
 * @returns The collection.
 * @throws {CollectionError} When the file is not a collection.
 */
export async function loadCollection(path: string): Promise<Collection> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { environments: {}, requests: {} };
    throw error;
  }
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (error) {
    throw new CollectionError(
      `Cannot read the collection "${path}": ${(error as Error).message.split("\n")[0]}`,
    );
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new CollectionError(`The collection "${path}" is not a YAML mapping`);
  }
  const record = data as Record<string, unknown>;
  const environments = (record.environments ?? {}) as Collection["environments"];
  const requests = (record.requests ?? {}) as Collection["requests"];
  for (const [name, request] of Object.entries(requests)) {
    if (
      typeof request !== "object" || request === null || typeof request.url !== "string"
    ) {
      throw new CollectionError(`The request "${name}" in "${path}" has no url`);
    }
  }
  return { environments, requests };
}

/**
 * Writes a collection atomically, creating its folder.
 *
 * @param path The YAML file.
 * @param collection The content.
 */
export async function saveCollection(path: string, collection: Collection): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const data: Record<string, unknown> = {};
  if (Object.keys(collection.environments).length) data.environments = collection.environments;
  data.requests = collection.requests;
  await atomicWrite(path, stringifyYaml(data, { lineWidth: 0 }));
}

/**
 * A request spec as a collection entry (headers as a mapping, which reads better in YAML).
 *
 * @example
 * ```ts
 * import { toSaved } from "./collections.ts";
 * import assert from "node:assert/strict";
 * const saved = toSaved({ method: "GET", url: "http://x/", headers: [["A", "1"], ["A", "2"]] }, { status: 200 });
 * assert.deepEqual(saved, { method: "GET", url: "http://x/", headers: { A: ["1", "2"] }, expect: { status: 200 } });
 * ```
 *
 * @param spec The request.
 * @param expect Expectations, if any.
 * @returns The entry.
 */
export function toSaved(spec: RequestSpec, expect?: Expectations): SavedRequest {
  const saved: SavedRequest = { method: spec.method, url: spec.url };
  if (spec.headers.length) {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of spec.headers) {
      const old = headers[name];
      headers[name] = old === undefined ? value : [...(Array.isArray(old) ? old : [old]), value];
    }
    saved.headers = headers;
  }
  if (spec.unset?.length) saved.unset = spec.unset;
  if (spec.body !== undefined) saved.body = spec.body;
  if (expect && (expect.status !== undefined || Object.keys(expect.json ?? {}).length)) {
    saved.expect = expect;
  }
  return saved;
}

/**
 * A collection entry as a request spec.
 *
 * @param saved The entry.
 * @returns The request.
 */
export function fromSaved(saved: SavedRequest): RequestSpec {
  const headers: [string, string][] = [];
  for (const [name, value] of Object.entries(saved.headers ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) headers.push([name, String(v)]);
  }
  const spec: RequestSpec = {
    method: String(saved.method ?? "GET").toUpperCase(),
    url: saved.url,
    headers,
  };
  if (saved.unset?.length) spec.unset = saved.unset;
  if (saved.body !== undefined) spec.body = saved.body;
  return spec;
}

const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

/**
 * Fills `{{name}}` placeholders in every string of a value (keys included). A string that is
 * only a placeholder takes the variable's value as it is, so `{{count}}` can be a number in a
 * JSON body.
 *
 * @example
 * ```ts
 * import { fillTemplate } from "./collections.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   fillTemplate({ url: "{{base}}/x", n: "{{n}}" }, { base: "http://a", n: 2 }),
 *   { url: "http://a/x", n: 2 },
 * );
 * ```
 *
 * @param value Any JSON-like value.
 * @param vars Variables.
 * @returns The filled value.
 * @throws {TemplateError} For a placeholder without a variable.
 */
export function fillTemplate<T>(value: T, vars: Record<string, unknown>): T {
  const fill = (text: string): unknown => {
    const whole = /^\{\{\s*([\w.-]+)\s*\}\}$/.exec(text);
    if (whole) return lookup(whole[1]);
    return text.replace(PLACEHOLDER, (_, name: string) => {
      const v = lookup(name);
      return typeof v === "string" ? v : JSON.stringify(v);
    });
  };
  const lookup = (name: string): unknown => {
    if (!(name in vars)) {
      throw new TemplateError(`No value for {{${name}}}`);
    }
    return vars[name];
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return fill(v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [String(fill(k)), walk(x)]),
      );
    }
    return v;
  };
  return walk(value) as T;
}

/** A JSON path that does not parse. */
export class JsonPathError extends SyntaxError {
  override name = "JsonPathError";
}

/**
 * Looks a value up by a simple JSON path: `$`, `.key`, `["key"]` and `[index]` steps.
 *
 * @example
 * ```ts
 * import { jsonPath } from "./collections.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(jsonPath({ a: { b: [5, 6] } }, "$.a.b[1]"), { found: true, value: 6 });
 * assert.deepEqual(jsonPath({}, "$.x"), { found: false });
 * ```
 *
 * @param root The JSON value.
 * @param path The path.
 * @returns Whether it exists, and its value.
 * @throws {JsonPathError} For a malformed path.
 */
export function jsonPath(root: unknown, path: string): { found: boolean; value?: unknown } {
  if (!path.startsWith("$")) throw new JsonPathError(`"${path}" does not start with $`);
  const step = /\.([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/y;
  let at = 1;
  let value: unknown = root;
  while (at < path.length) {
    step.lastIndex = at;
    const match = step.exec(path);
    if (!match) throw new JsonPathError(`"${path}" is not a JSON path (at position ${at})`);
    at = step.lastIndex;
    const key = match[1] ?? (match[3] !== undefined ? JSON.parse(`"${match[3]}"`) : undefined);
    if (key !== undefined) {
      if (typeof value !== "object" || value === null || Array.isArray(value) || !(key in value)) {
        return { found: false };
      }
      value = (value as Record<string, unknown>)[key];
    } else {
      const index = Number(match[2]);
      if (!Array.isArray(value) || index >= value.length) return { found: false };
      value = value[index];
    }
  }
  return { found: true, value };
}

/**
 * Parses a `--expect-json PATH=VALUE` flag: VALUE is JSON when it parses, a string otherwise.
 *
 * @example
 * ```ts
 * import { parseExpectJson } from "./collections.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseExpectJson("$.a=1"), ["$.a", 1]);
 * assert.deepEqual(parseExpectJson("$.name=ann"), ["$.name", "ann"]);
 * ```
 *
 * @param text The flag's value.
 * @returns The path and the value.
 */
export function parseExpectJson(text: string): [string, unknown] {
  const eq = text.indexOf("=");
  const path = text.slice(0, eq);
  const raw = text.slice(eq + 1);
  try {
    return [path, JSON.parse(raw)];
  } catch {
    return [path, raw];
  }
}

/**
 * Checks a response against expectations.
 *
 * @example
 * ```ts
 * import { checkExpectations } from "./collections.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(checkExpectations({ status: 200, json: { "$.a": 1 } }, 200, '{"a":1}'), []);
 * assert.deepEqual(checkExpectations({ status: 201 }, 200, ""), ["expected status 201, got 200"]);
 * ```
 *
 * @param expect What is expected.
 * @param status The response status.
 * @param body The response body text.
 * @returns One message per failed expectation; empty when all pass.
 */
export function checkExpectations(
  expect: Expectations | undefined,
  status: number,
  body: string,
): string[] {
  const failures: string[] = [];
  if (!expect) return failures;
  if (expect.status !== undefined && Number(expect.status) !== status) {
    failures.push(`expected status ${expect.status}, got ${status}`);
  }
  const paths = Object.entries(expect.json ?? {});
  if (paths.length === 0) return failures;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    failures.push("expected a JSON body, got something else");
    return failures;
  }
  for (const [path, want] of paths) {
    let result: { found: boolean; value?: unknown };
    try {
      result = jsonPath(json, path);
    } catch (error) {
      failures.push((error as Error).message);
      continue;
    }
    if (!result.found) failures.push(`${path}: missing, expected ${JSON.stringify(want)}`);
    else if (!isDeepStrictEqual(result.value, want)) {
      failures.push(
        `${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(result.value)}`,
      );
    }
  }
  return failures;
}
