/**
 * The context a handler and a middleware receive: the request and what was extracted from it
 * (params, query, headers, cookies, bodies, validated values), response helpers, and state
 * that middleware pass down (`c.var`).
 *
 * Everything beyond the request and params is computed on first use, so a handler that reads
 * nothing costs one small object. On kit's engine that includes the web `Request` itself:
 * the context starts from the engine's parsed request, and `c.req` builds the `Request` the
 * first time it is read; method, path, query, headers and cookies are answered without it.
 * There, responses made from strings (`c.text`, `c.json`, `c.html`, a returned string or
 * object) also carry a mark that lets the engine write the string without reading the body's
 * stream; on Deno.serve they are left as they are, for its own fast path.
 *
 * @module
 */

import { HttpError } from "./http_error.ts";
import type { IncomingRequest } from "../http/incoming_request.ts";
import { markStaticBody } from "../http/static_body.ts";

/** The init of a JSON response on kit's engine; the Response constructor copies it. */
const JSON_INIT: ResponseInit = { headers: { "content-type": "application/json" } };
/** The types a route sees: middleware variables and validated values. */
export interface Env {
  /** What middleware store with `c.set()` (read with `c.get()` or `c.var`). */
  Variables?: object;
  /** What validators stored, by target (`json`, `query`, ...). */
  Valid?: object;
}

/** Where a connection came from, as Deno.serve and the kit engine report it. */
export interface ConnInfo {
  /** The peer's address. */
  remoteAddr: { hostname: string; port: number; transport?: string };
}

/** Options of {@linkcode Context.setCookie}. */
export interface CookieOptions {
  /** `Max-Age` in seconds. */
  maxAge?: number;
  /** `Expires`. */
  expires?: Date;
  /** `Path`. @default "/" */
  path?: string;
  /** `Domain`. */
  domain?: string;
  /** `Secure`. */
  secure?: boolean;
  /** `HttpOnly`. @default true */
  httpOnly?: boolean;
  /** `SameSite`. @default "Lax" */
  sameSite?: "Strict" | "Lax" | "None";
}

/** A form field: text, or an uploaded file; repeated fields become arrays. */
export type FormValue = string | File | (string | File)[];

type Vars<E extends Env> = E["Variables"] extends object ? E["Variables"]
  : Record<string, unknown>;
type Valid<E extends Env> = E["Valid"] extends object ? E["Valid"] : Record<string, unknown>;

const NO_CONN: ConnInfo = { remoteAddr: { hostname: "", port: 0 } };

/**
 * The request context.
 *
 * @example
 * ```ts
 * import { Context } from "./context.ts";
 * import assert from "node:assert/strict";
 * const c = new Context(new Request("http://x/users/7?tab=files"), { id: "7" });
 * assert.equal(c.params.id, "7");
 * assert.equal(c.query("tab"), "files");
 * const response = c.json({ id: c.params.id }, 201);
 * assert.equal(response.status, 201);
 * ```
 */
export class Context<
  P extends Record<string, string | undefined> = Record<string, string>,
  E extends Env = Env,
> {
  /** The path params, percent-decoded. */
  params: P;
  /** The response, once the handler below a middleware has answered. */
  res: Response | undefined;
  /** The route pattern that matched, or `undefined` for a 404/405. */
  routePath: string | undefined;
  #req: Request | undefined;
  #incoming: IncomingRequest | undefined;
  #info: ConnInfo | undefined;
  #path: string | undefined;
  #url: URL | undefined;
  #query: URLSearchParams | undefined;
  #cookies: Map<string, string> | undefined;
  #vars: Record<string, unknown> | undefined;
  #valid: Record<string, unknown> | undefined;
  #headers: Headers | undefined;
  #status = 200;
  #body: Promise<unknown> | undefined;
  #bodyKind: string | undefined;

  /**
   * @param req The request, or kit's engine's incoming request (the `Request` is then built
   *   when `c.req` is first read).
   * @param params The path params.
   * @param info Connection info (on kit's engine: the incoming request's).
   * @param path The path of `req.url`, when the caller has already cut it out.
   */
  constructor(
    req: Request | IncomingRequest,
    params: P = {} as P,
    info?: ConnInfo,
    path?: string,
  ) {
    if (req instanceof Request) this.#req = req;
    else this.#incoming = req;
    this.params = params;
    this.#info = info;
    this.#path = path;
  }

  /** The request; a middleware may replace it (as `bodyLimit` does to count the body). */
  get req(): Request {
    return this.#req ??= this.#incoming!.request;
  }

  set req(req: Request) {
    this.#req = req;
  }

  /** Where the connection came from. */
  get info(): ConnInfo {
    return this.#info ??= this.#incoming?.info ?? NO_CONN;
  }

  /** The request method. */
  get method(): string {
    return (this.#req ?? this.#incoming!).method;
  }

  /** The path, still percent-encoded, without the query string. */
  get path(): string {
    return this.#path ??= pathOf((this.#req ?? this.#incoming!).url);
  }

  /** The parsed URL. */
  get url(): URL {
    return this.#url ??= new URL((this.#req ?? this.#incoming!).url);
  }

  /**
   * One query parameter (the first when repeated).
   *
   * @param name The parameter.
   * @returns Its value, or `undefined`.
   */
  query(name: string): string | undefined {
    return this.searchParams.get(name) ?? undefined;
  }

  /**
   * Every value of a query parameter.
   *
   * @param name The parameter.
   * @returns The values, possibly none.
   */
  queryAll(name: string): string[] {
    return this.searchParams.getAll(name);
  }

  /** The query string parsed, computed on first use. */
  get searchParams(): URLSearchParams {
    if (this.#query) return this.#query;
    const url = (this.#req ?? this.#incoming!).url;
    const q = url.indexOf("?");
    const hash = url.indexOf("#");
    return this.#query = new URLSearchParams(
      q === -1 ? "" : url.slice(q + 1, hash === -1 ? undefined : hash),
    );
  }

  /**
   * The query as a plain object: the first value of each name.
   *
   * @returns Names to values.
   */
  queries(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.searchParams) if (!(k in out)) out[k] = v;
    return out;
  }

  /**
   * A request header.
   *
   * @param name The header name, any case.
   * @returns Its value, or `undefined`.
   */
  header(name: string): string | undefined {
    return (this.#req ?? this.#incoming!).headers.get(name) ?? undefined;
  }

  /**
   * A request cookie.
   *
   * @param name The cookie name.
   * @returns Its value, percent-decoded, or `undefined`.
   */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Every request cookie, parsed on first use. */
  get cookies(): Map<string, string> {
    return this.#cookies ??= parseCookies((this.#req ?? this.#incoming!).headers.get("cookie"));
  }

  /**
   * Reads the body as JSON (once; later calls get the same value).
   *
   * @returns The parsed value.
   * @throws {HttpError} 400 when the body is not JSON.
   */
  bodyJson<T = unknown>(): Promise<T> {
    return this.#read("json", async () => {
      const text = await this.req.text();
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new HttpError(400, `The body is not JSON: ${(error as Error).message}`);
      }
    }) as Promise<T>;
  }

  /**
   * Reads the body as text (once).
   *
   * @returns The text.
   */
  bodyText(): Promise<string> {
    return this.#read("text", () => this.req.text()) as Promise<string>;
  }

  /**
   * Reads an `application/x-www-form-urlencoded` or `multipart/form-data` body (once) into
   * an object; a repeated field becomes an array, an uploaded file a `File`.
   *
   * @returns Field names to values.
   * @throws {HttpError} 400 when the body is not a form.
   */
  bodyForm(): Promise<Record<string, FormValue>> {
    return this.#read("form", async () => {
      let form: FormData;
      try {
        form = await this.req.formData();
      } catch (error) {
        throw new HttpError(400, `The body is not a form: ${(error as Error).message}`);
      }
      const out: Record<string, FormValue> = {};
      for (const [k, v] of form) {
        const prev = out[k];
        out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      return out;
    }) as Promise<Record<string, FormValue>>;
  }

  #read(kind: string, read: () => Promise<unknown>): Promise<unknown> {
    if (this.#body) {
      if (this.#bodyKind !== kind) {
        return Promise.reject(
          new TypeError(`The body was already read as ${this.#bodyKind}, not ${kind}`),
        );
      }
      return this.#body;
    }
    this.#bodyKind = kind;
    return this.#body = read();
  }

  /**
   * Stores a value for the handlers further in (`c.var.name`, `c.get("name")`).
   *
   * @param name The variable.
   * @param value Its value.
   */
  set<K extends keyof Vars<E> & string>(name: K, value: Vars<E>[K]): void {
    (this.#vars ??= {})[name] = value;
  }

  /**
   * A value a middleware stored.
   *
   * @param name The variable.
   * @returns Its value.
   */
  get<K extends keyof Vars<E> & string>(name: K): Vars<E>[K] {
    return this.#vars?.[name] as Vars<E>[K];
  }

  /** The variables middleware stored. */
  get var(): Readonly<Vars<E>> {
    return (this.#vars ??= {}) as Vars<E>;
  }

  /**
   * Stores a validated value; used by validators.
   *
   * @param target The target (`json`, `query`, ...).
   * @param value The validated value.
   */
  setValid(target: string, value: unknown): void {
    (this.#valid ??= {})[target] = value;
  }

  /**
   * A value a validator checked, typed by its schema.
   *
   * @param target The target (`json`, `query`, `form`, `params`, `header`, `cookie`).
   * @returns The schema's output.
   */
  valid<K extends keyof Valid<E> & string>(target: K): Valid<E>[K] {
    return this.#valid?.[target] as Valid<E>[K];
  }

  /**
   * Sets the status the response helpers use when none is given.
   *
   * @param status The status.
   */
  status(status: number): void {
    this.#status = status;
  }

  /**
   * Sets a response header: on the response when there is one, else on the one to come.
   *
   * @param name The header.
   * @param value Its value.
   * @param append Add a value instead of replacing.
   */
  setHeader(name: string, value: string, append = false): void {
    const headers = this.res ? this.res.headers : (this.#headers ??= new Headers());
    if (append) headers.append(name, value);
    else headers.set(name, value);
  }

  /**
   * Adds a `Set-Cookie` header.
   *
   * @param name The cookie name.
   * @param value Its value (percent-encoded here).
   * @param options Attributes.
   */
  setCookie(name: string, value: string, options: CookieOptions = {}): void {
    let cookie = `${name}=${encodeURIComponent(value)}; Path=${options.path ?? "/"}`;
    if (options.maxAge !== undefined) cookie += `; Max-Age=${Math.floor(options.maxAge)}`;
    if (options.expires) cookie += `; Expires=${options.expires.toUTCString()}`;
    if (options.domain) cookie += `; Domain=${options.domain}`;
    if (options.secure) cookie += "; Secure";
    if (options.httpOnly ?? true) cookie += "; HttpOnly";
    cookie += `; SameSite=${options.sameSite ?? "Lax"}`;
    this.setHeader("set-cookie", cookie, true);
  }

  /**
   * A plain-text response.
   *
   * @param text The body.
   * @param status The status (else the one set with {@linkcode status}).
   * @param headers More headers.
   * @returns The response.
   */
  text(text: string, status?: number, headers?: HeadersInit): Response {
    if (
      status === undefined && headers === undefined && this.#headers === undefined &&
      this.#status === 200
    ) {
      // A string body gets `text/plain;charset=UTF-8` from the Response constructor.
      const response = new Response(text);
      return this.#incoming ? markStaticBody(response, text) : response;
    }
    return this.#respond(text, "text/plain; charset=utf-8", status, headers);
  }

  /**
   * A JSON response.
   *
   * @param value The value to serialise.
   * @param status The status.
   * @param headers More headers.
   * @returns The response.
   */
  json(value: unknown, status?: number, headers?: HeadersInit): Response {
    if (
      status === undefined && headers === undefined && this.#headers === undefined &&
      this.#status === 200
    ) {
      // kit's engine writes the marked string with the head: no `text()` to await. A value
      // JSON cannot hold goes to Response.json, which says so.
      const body = this.#incoming ? JSON.stringify(value) : undefined;
      if (body !== undefined) return markStaticBody(new Response(body, JSON_INIT), body);
      // On Deno.serve this is cheaper than any Response made with a headers init.
      return Response.json(value);
    }
    return this.#respond(JSON.stringify(value), "application/json", status, headers);
  }

  /**
   * An HTML response.
   *
   * @param html The body.
   * @param status The status.
   * @param headers More headers.
   * @returns The response.
   */
  html(html: string, status?: number, headers?: HeadersInit): Response {
    return this.#respond(html, "text/html; charset=utf-8", status, headers);
  }

  /**
   * A response with any body.
   *
   * @param body The body, or `null`.
   * @param status The status.
   * @param headers More headers.
   * @returns The response.
   */
  body(body: BodyInit | null, status?: number, headers?: HeadersInit): Response {
    return this.#respond(body, undefined, status, headers);
  }

  /**
   * A redirect.
   *
   * @param location Where to.
   * @param status 301, 302, 303, 307 or 308. @default 302
   * @returns The response.
   */
  redirect(location: string, status = 302): Response {
    return this.#respond(null, undefined, status, { location });
  }

  #respond(
    body: BodyInit | null,
    type: string | undefined,
    status: number | undefined,
    extra: HeadersInit | undefined,
  ): Response {
    const headers = new Headers(this.#headers);
    if (type !== undefined) headers.set("content-type", type);
    if (extra !== undefined) { for (const [k, v] of new Headers(extra)) headers.set(k, v); }
    const response = new Response(body, { status: status ?? this.#status, headers });
    return this.#incoming && typeof body === "string" ? markStaticBody(response, body) : response;
  }

  /**
   * Headers set with {@linkcode setHeader} before any response existed; the app adds them to
   * a response a handler built by hand.
   *
   * @returns The pending headers, or `undefined`.
   */
  pendingHeaders(): Headers | undefined {
    return this.#headers;
  }
}

/**
 * The path of a URL string, cut without parsing the URL.
 *
 * @example
 * ```ts
 * import { pathOf } from "./context.ts";
 * import assert from "node:assert/strict";
 * assert.equal(pathOf("http://h:8/a/b?x=1"), "/a/b");
 * assert.equal(pathOf("http://h"), "/");
 * ```
 *
 * @param url An absolute URL, as `Request.url` gives it.
 * @returns The path, starting with `/`.
 */
export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start === -1) return "/";
  let end = start;
  while (end < url.length) {
    const code = url.charCodeAt(end);
    if (code === 63 /* ? */ || code === 35 /* # */) break;
    end++;
  }
  return url.slice(start, end);
}

function parseCookies(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!name || out.has(name)) continue;
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      out.set(name, value);
    }
  }
  return out;
}
