/**
 * The router: method + path patterns compiled into a segment trie, with whole static paths
 * answered from one map lookup.
 *
 * Patterns are made of `/`-separated segments: literal text, `:name` (one segment),
 * `:name?` (an optional trailing segment) and `*` (the rest of the path, zero or more
 * segments, captured as the param `"*"`). A literal segment beats a `:param`, which beats a
 * `*`, whatever the order of registration, as in Axum's matchit; the matcher backtracks when
 * a more specific branch leads nowhere.
 *
 * @module
 */

/** The method a route registers to answer every method. */
export const ALL_METHODS = "ALL";

type Trim<S extends string> = S extends `${infer Name}/${string}` ? Name : S;

type Segments<P extends string> = P extends `${infer Head}/${infer Tail}` ? Head | Segments<Tail>
  : P;

type RequiredNames<S> = S extends `:${infer Name}?` ? never
  : S extends `:${infer Name}` ? Trim<Name>
  : S extends `*${string}` ? "*"
  : never;

type OptionalNames<S> = S extends `:${infer Name}?` ? Name : never;

/**
 * The params of a path pattern, typed from the pattern string: `:id` gives a `string`,
 * `:id?` an optional `string`, `*` the key `"*"`.
 *
 * @example
 * ```ts
 * import type { Params } from "./router.ts";
 * const p: Params<"/users/:id/files/:name?"> = { id: "7" };
 * p.name satisfies string | undefined;
 * ```
 */
export type Params<P extends string> = string extends P ? Record<string, string>
  : Simplify<
    & { [K in RequiredNames<Segments<P>>]: string }
    & { [K in OptionalNames<Segments<P>>]?: string }
  >;

type Simplify<T> = { [K in keyof T]: T[K] } & unknown;

/** What {@linkcode Router.match} found for a path whose method is registered. */
export interface RouteMatch<T> {
  /** The value registered for the route. */
  value: T;
  /** The params, percent-decoded. */
  params: Record<string, string>;
  /** The pattern that matched, as registered. */
  pattern: string;
}

/** What {@linkcode Router.match} found when the path exists but not for that method. */
export interface MethodMismatch {
  /** The methods registered for the path, for an `Allow` header. */
  allowed: string[];
}

/** Thrown for a pattern the router cannot compile. */
export class RoutePatternError extends SyntaxError {
  override name = "RoutePatternError";
}

interface Entry<T> {
  value: T;
  pattern: string;
  /** The match to hand out when the route has no params: one object, never copied. */
  match: RouteMatch<T>;
}

interface Leaf<T> {
  /** Values by method (`ALL` too). */
  methods: Map<string, Entry<T>>;
  /** Param names in the order the segments capture them. */
  names: string[];
}

class Node<T> {
  statics: Map<string, Node<T>> | undefined;
  param: Node<T> | undefined;
  wildcard: Leaf<T> | undefined;
  leaf: Leaf<T> | undefined;
}

const EMPTY_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * A method + path router.
 *
 * @example
 * ```ts
 * import { Router } from "./router.ts";
 * import assert from "node:assert/strict";
 * const router = new Router<string>();
 * router.add("GET", "/users/:id", "user");
 * router.add("GET", "/files/*", "file");
 * const found = router.match("GET", "/users/42");
 * assert.ok(found && "value" in found);
 * assert.deepEqual(found.params, { id: "42" });
 * assert.deepEqual(router.match("POST", "/users/42"), { allowed: ["GET", "HEAD"] });
 * assert.equal(router.match("GET", "/nothing"), undefined);
 * ```
 */
export class Router<T> {
  #root = new Node<T>();
  /** Whole static paths: no segment trie walk for them. */
  #static = new Map<string, Leaf<T>>();

  /**
   * Registers a value for a method and pattern. `:name?` registers the pattern with and
   * without its last segment.
   *
   * @param method An upper-case method, or {@linkcode ALL_METHODS}.
   * @param pattern A pattern starting with `/`.
   * @param value What {@linkcode match} returns.
   * @throws {RoutePatternError} For a pattern not starting with `/`, a `*` that is not last, or
   *   an optional segment that is not last.
   */
  add(method: string, pattern: string, value: T): void {
    if (!pattern.startsWith("/")) {
      throw new RoutePatternError(`Route "${pattern}" must start with "/"`);
    }
    const segments = pattern.split("/").slice(1);
    const last = segments.length - 1;
    segments.forEach((segment, i) => {
      if (i < last && segment === "*") {
        throw new RoutePatternError(`Route "${pattern}": "*" must be the last segment`);
      }
      if (i < last && segment.startsWith(":") && segment.endsWith("?")) {
        throw new RoutePatternError(`Route "${pattern}": only the last segment can be optional`);
      }
    });
    const lastSegment = segments[last];
    if (lastSegment.startsWith(":") && lastSegment.endsWith("?")) {
      const without = segments.slice(0, last);
      this.#insert(method, pattern, without.length ? without : [""], value);
      this.#insert(method, pattern, [...without, lastSegment.slice(0, -1)], value);
      return;
    }
    this.#insert(method, pattern, segments, value);
  }

  #insert(method: string, pattern: string, segments: string[], value: T): void {
    let node = this.#root;
    const names: string[] = [];
    let dynamic = false;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i];
      if (segment === "*") {
        names.push("*");
        node.wildcard ??= { methods: new Map(), names };
        setMethod(node.wildcard, method, pattern, value, names);
        return;
      }
      if (segment.startsWith(":")) {
        dynamic = true;
        names.push(segment.slice(1));
        node = node.param ??= new Node();
      } else {
        node.statics ??= new Map();
        let next = node.statics.get(segment);
        if (!next) node.statics.set(segment, next = new Node());
        node = next;
      }
    }
    node.leaf ??= { methods: new Map(), names };
    setMethod(node.leaf, method, pattern, value, names);
    if (!dynamic) this.#static.set("/" + segments.join("/"), node.leaf);
  }

  /**
   * Finds the route for a method and a path (without query string). HEAD falls back to GET.
   *
   * @param method The request method.
   * @param path The path, still percent-encoded.
   * @returns The match; `{ allowed }` when the path exists for other methods; `undefined`.
   */
  match(method: string, path: string): RouteMatch<T> | MethodMismatch | undefined {
    const fixed = this.#static.get(path);
    if (fixed !== undefined) {
      const hit = pick(fixed, method);
      if (hit !== undefined) return hit.match;
    }
    const values: string[] = [];
    const found = walk(this.#root, path, 1, values, method);
    if (found !== undefined) {
      const hit = pick(found, method)!;
      const params: Record<string, string> = {};
      const names = found.names;
      for (let i = 0; i < names.length; i++) params[names[i]] = decode(values[i]);
      return { value: hit.value, params, pattern: hit.pattern };
    }
    const leaf = fixed ?? walk(this.#root, path, 1, [], undefined);
    if (leaf === undefined) return undefined;
    return { allowed: allowedMethods(leaf) };
  }
}

function setMethod<T>(leaf: Leaf<T>, method: string, pattern: string, value: T, names: string[]) {
  if (leaf.methods.has(method)) {
    throw new RoutePatternError(`Route ${method} "${pattern}" is already registered`);
  }
  // Two patterns reaching one leaf differ only in param names (`/a/:x` and `/a/:y`); the
  // first one's names win, as the values are captured by position.
  if (leaf.names.length === 0) leaf.names = names;
  leaf.methods.set(method, { value, pattern, match: { value, params: EMPTY_PARAMS, pattern } });
}

function pick<T>(leaf: Leaf<T>, method: string): Entry<T> | undefined {
  return leaf.methods.get(method) ??
    (method === "HEAD" ? leaf.methods.get("GET") : undefined) ??
    leaf.methods.get(ALL_METHODS);
}

function allowedMethods<T>(leaf: Leaf<T>): string[] {
  const allowed = [...leaf.methods.keys()].filter((m) => m !== ALL_METHODS);
  if (allowed.includes("GET") && !allowed.includes("HEAD")) allowed.push("HEAD");
  return allowed;
}

/**
 * Walks the trie from `start` (just after a `/`). With `method`, only leaves answering that
 * method count, so `/a/:x` for GET is found even when a literal `/a/b` exists for POST only.
 */
function walk<T>(
  node: Node<T>,
  path: string,
  start: number,
  values: string[],
  method: string | undefined,
): Leaf<T> | undefined {
  const slash = path.indexOf("/", start);
  const end = slash === -1 ? path.length : slash;
  const segment = path.slice(start, end);
  const statics = node.statics;
  if (statics !== undefined) {
    const next = statics.get(segment);
    if (next !== undefined) {
      const found = slash === -1
        ? atEnd(next, method, values)
        : walk(next, path, end + 1, values, method);
      if (found !== undefined) return found;
    }
  }
  const param = node.param;
  if (param !== undefined && segment !== "") {
    values.push(segment);
    const found = slash === -1
      ? atEnd(param, method, values)
      : walk(param, path, end + 1, values, method);
    if (found !== undefined) return found;
    values.pop();
  }
  const wildcard = node.wildcard;
  if (wildcard !== undefined && accept(wildcard, method) !== undefined) {
    values.push(path.slice(start));
    return wildcard;
  }
  return undefined;
}

/** The path ends at `node`: its own leaf, or a `*` below it taking zero segments. */
function atEnd<T>(
  node: Node<T>,
  method: string | undefined,
  values: string[],
): Leaf<T> | undefined {
  const leaf = accept(node.leaf, method);
  if (leaf !== undefined) return leaf;
  const wildcard = accept(node.wildcard, method);
  if (wildcard !== undefined) values.push("");
  return wildcard;
}

function accept<T>(leaf: Leaf<T> | undefined, method: string | undefined): Leaf<T> | undefined {
  if (leaf === undefined || method === undefined) return leaf;
  return pick(leaf, method) === undefined ? undefined : leaf;
}

function decode(value: string): string {
  if (value.indexOf("%") === -1) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
