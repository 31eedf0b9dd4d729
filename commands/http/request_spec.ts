/**
 * A request as plain data: what the command line, a replayed history entry and a saved
 * collection entry all turn into before it is handed to the client.
 *
 * Keeping it plain (strings, JSON values, file paths) is what lets history store it, `replay
 * --edit` show it as YAML, and a collection hold `{{var}}` placeholders in any of its strings.
 *
 * @module
 */

import type { HttpArgs } from "./flags.ts";
import { NestedKeySyntaxError, nestJson, type ResolvedItems } from "./items.ts";

/** One part of a multipart body: a field, or a file read from disk when sent. */
export type MultipartSpec =
  | { name: string; value: string }
  | { name: string; file: string; contentType?: string };

/** A request body. */
export type BodySpec =
  | { json: unknown }
  | { form: [string, string][] }
  | { multipart: MultipartSpec[] }
  | { text: string }
  | { base64: string };

/** A request as plain data. */
export interface RequestSpec {
  /** The method, upper-case. */
  method: string;
  /** The absolute URL, query items included. */
  url: string;
  /** Headers given explicitly, in order. */
  headers: [string, string][];
  /** Default headers to leave out (`Header:` items). */
  unset?: string[];
  /** The body. */
  body?: BodySpec;
}

/** Arguments that cannot make a request (mixed body sources, `:=` with `--form`, bad keys). */
export class RequestSpecError extends TypeError {
  override name = "RequestSpecError";
}

/**
 * Completes a URL as httpie does: `:8080/x` is `http://localhost:8080/x`, `:/x` is
 * `http://localhost/x`, and a URL without a scheme gets `http://`.
 *
 * @example
 * ```ts
 * import { normalizeUrl } from "./request_spec.ts";
 * import assert from "node:assert/strict";
 * assert.equal(normalizeUrl(":8080/x"), "http://localhost:8080/x");
 * assert.equal(normalizeUrl(":/x"), "http://localhost/x");
 * assert.equal(normalizeUrl("example.org"), "http://example.org/");
 * ```
 *
 * @param input The URL as typed.
 * @returns The absolute URL, normalised by `URL`.
 * @throws {RequestSpecError} When it is not a valid http(s) URL.
 */
export function normalizeUrl(input: string): string {
  let text = input;
  const local = /^:(\d*)(.*)$/.exec(text);
  if (local) {
    const [, port, rest] = local;
    text = `http://localhost${port ? `:${port}` : ""}${rest.startsWith("/") ? rest : `/${rest}`}`;
  } else if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(text)) {
    text = `http://${text.replace(/^\/\//, "")}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RequestSpecError(`"${input}" is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new RequestSpecError(`"${input}": only http and https URLs are supported`);
  }
  return url.href;
}

/** Form-style encoding of one query component: spaces become `+`, as requests (httpie) does. */
function encodeQuery(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, "+");
}

/**
 * Appends query parameters to a URL without re-encoding the query it already has.
 *
 * @param url An absolute URL.
 * @param query Names and values.
 * @returns The URL with them appended.
 */
export function appendQuery(url: string, query: [string, string][]): string {
  if (query.length === 0) return url;
  const hash = url.indexOf("#");
  const base = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? "" : url.slice(hash);
  const added = query.map(([k, v]) => `${encodeQuery(k)}=${encodeQuery(v)}`).join("&");
  const joiner = !base.includes("?") ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
  return base + joiner + added + fragment;
}

/** Options for {@linkcode buildRequestSpec}. */
export interface BuildRequestSpecOptions {
  /** A body read from standard input (used only when there are no data items). */
  stdin?: Uint8Array | null;
  /** Keep the URL as typed (a collection URL with `{{var}}` placeholders). @default false */
  rawUrl?: boolean;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function bytesBody(bytes: Uint8Array): BodySpec {
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    let binary = "";
    for (const b of bytes) binary += String.fromCharCode(b);
    return { base64: btoa(binary) };
  }
}

/**
 * Turns parsed arguments and resolved items into a request: the method (GET, or POST when
 * there is data), the URL with query items, the headers and the body (JSON by default, a form
 * with `--form`, multipart when a file is attached or with `--multipart`, `--raw` text, or
 * standard input).
 *
 * @example
 * ```ts
 * import { buildRequestSpec } from "./request_spec.ts";
 * import { defaultArgs } from "./flags.ts";
 * import assert from "node:assert/strict";
 * const spec = buildRequestSpec({ ...defaultArgs(), url: ":3000/users" }, {
 *   headers: [["X-A", "1"]], query: [["page", "2"]],
 *   data: [{ key: "name", value: "ann", raw: false }], files: [],
 * });
 * assert.equal(spec.method, "POST");
 * assert.equal(spec.url, "http://localhost:3000/users?page=2");
 * assert.deepEqual(spec.body, { json: { name: "ann" } });
 * ```
 *
 * @param args The parsed command line.
 * @param items The resolved request items.
 * @param options A body from standard input.
 * @returns The request.
 * @throws {RequestSpecError} For a bad URL, body sources that clash, or `:=` with `--form`.
 */
export function buildRequestSpec(
  args: HttpArgs,
  items: ResolvedItems,
  options: BuildRequestSpecOptions = {},
): RequestSpec {
  const url = appendQuery(options.rawUrl ? args.url : normalizeUrl(args.url), items.query);
  const headers: [string, string][] = [];
  const unset: string[] = [];
  for (const [name, value] of items.headers) {
    if (value === null) unset.push(name);
    else headers.push([name, value]);
  }
  const hasData = items.data.length > 0 || items.files.length > 0;
  if (hasData && args.raw !== undefined) {
    throw new RequestSpecError("--raw and data items (name=value) cannot be mixed");
  }
  let body: BodySpec | undefined;
  if (args.raw !== undefined) {
    body = { text: args.raw };
  } else if (!hasData && options.stdin && options.stdin.length > 0) {
    body = bytesBody(options.stdin);
  } else if (items.files.length > 0 || (args.mode === "multipart" && hasData)) {
    body = { multipart: multipartParts(items) };
  } else if (hasData && args.mode === "form") {
    body = { form: formFields(items) };
  } else if (hasData) {
    try {
      body = { json: nestJson(items.data) };
    } catch (error) {
      if (error instanceof NestedKeySyntaxError) throw new RequestSpecError(error.message);
      throw error;
    }
  }
  const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
  const jsonish = args.mode === "json" && (args.explicitJson || (body !== undefined));
  if (body && ("text" in body || "base64" in body)) {
    // httpie's defaults for a body from --raw or stdin: JSON unless --form says otherwise.
    if (jsonish && !has("accept")) headers.push(["Accept", "application/json, */*;q=0.5"]);
    if (!has("content-type")) {
      headers.push([
        "Content-Type",
        args.mode === "json"
          ? "application/json"
          : "application/x-www-form-urlencoded; charset=utf-8",
      ]);
    }
  } else if (!body && args.explicitJson && !has("accept")) {
    headers.push(["Accept", "application/json, */*;q=0.5"]);
  }
  const spec: RequestSpec = {
    method: args.method ?? (body ? "POST" : "GET"),
    url,
    headers,
  };
  if (unset.length) spec.unset = unset;
  if (body) spec.body = body;
  return spec;
}

function stringValue(item: { key: string; value: unknown; raw: boolean }): string {
  if (item.raw) {
    throw new RequestSpecError(
      `'${item.key}:=…' is raw JSON, which only a JSON body can hold (drop --form)`,
    );
  }
  return item.value as string;
}

function formFields(items: ResolvedItems): [string, string][] {
  return items.data.map((d) => [d.key, stringValue(d)]);
}

function multipartParts(items: ResolvedItems): MultipartSpec[] {
  return [
    ...items.data.map((d): MultipartSpec => ({ name: d.key, value: stringValue(d) })),
    ...items.files.map((f): MultipartSpec =>
      f.contentType
        ? { name: f.name, file: f.path, contentType: f.contentType }
        : { name: f.name, file: f.path }
    ),
  ];
}

/** The part of the client's RequestBuilder that a spec is applied to. */
export interface SpecTarget {
  header(name: string, value: string): unknown;
  omitHeader(name: string): unknown;
  body(data: Uint8Array | string): unknown;
  json(value: unknown): unknown;
  form(fields: Iterable<[string, string]>): unknown;
  multipart(parts: ApplyPart[]): unknown;
}

/** A multipart part as the client takes it. */
export type ApplyPart =
  | { name: string; value: string }
  | { name: string; filename: string; contentType?: string; path: string };

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * Hands a spec's headers and body to a request builder; `unset` names leave out the client's
 * default headers (User-Agent, Accept, Accept-Encoding, Connection).
 *
 * @example
 * ```ts
 * import { applySpec } from "./request_spec.ts";
 * import assert from "node:assert/strict";
 * const calls: string[] = [];
 * const target = {
 *   header: (n: string, v: string) => calls.push(`${n}: ${v}`),
 *   omitHeader: (n: string) => calls.push(`-${n}`),
 *   body: () => {}, json: () => calls.push("json"), form: () => {}, multipart: () => {},
 * };
 * applySpec(target, { method: "POST", url: "http://x/", headers: [["X-A", "1"]], unset: ["Accept"], body: { json: {} } });
 * assert.deepEqual(calls, ["X-A: 1", "-Accept", "json"]);
 * ```
 *
 * @param target The builder.
 * @param spec The request.
 */
export function applySpec(target: SpecTarget, spec: RequestSpec): void {
  for (const [name, value] of spec.headers) target.header(name, value);
  for (const name of spec.unset ?? []) target.omitHeader(name);
  const body = spec.body;
  if (!body) return;
  if ("json" in body) target.json(body.json);
  else if ("form" in body) target.form(body.form);
  else if ("text" in body) target.body(body.text);
  else if ("base64" in body) {
    target.body(Uint8Array.from(atob(body.base64), (c) => c.charCodeAt(0)));
  } else {
    target.multipart(body.multipart.map((p): ApplyPart =>
      "file" in p
        ? {
          name: p.name,
          filename: baseName(p.file),
          path: p.file,
          ...(p.contentType ? { contentType: p.contentType } : {}),
        }
        : p
    ));
  }
}
