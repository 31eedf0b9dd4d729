/**
 * The HTTP/1.1 client: a request builder over a keep-alive pool, with redirects, cookies,
 * Basic/Bearer/Digest auth, form bodies, streamed bodies both ways, content decoding, proxies,
 * 100-continue, timeouts and a timing record.
 *
 * @module
 */
import { HttpError } from "./errors.ts";
import { assertHeader, hasCtlBreak, type HttpHeaders } from "./headers.ts";
import { HEAD_LIMITS, type HeadLimits, HeadParser, type ResponseHead } from "./head_parser.ts";
import { serializeRequestHead } from "./serialize.ts";
import { encodeChunk, encodeLastChunk } from "./chunked.ts";
import { bodyStream, responseFraming } from "./body.ts";
import { ConnectionPool } from "./pool.ts";
import {
  type ConnectTiming,
  type HttpConnection,
  openConnection,
  originOf,
  poolKey,
  type TlsOptions,
} from "./connection.ts";
import { emptyTiming, Stopwatch, type Timing } from "./timing.ts";
import { abortError, guard } from "./deadline.ts";
import { concat, utf8Bytes } from "./_bytes.ts";
import type { CookieJar } from "./cookies.ts";
import {
  basicAuthorization,
  bearerAuthorization,
  digestAuthorization,
  parseDigestChallenge,
} from "./auth.ts";
import { type EncodedBody, multipart, type MultipartPart, urlencoded } from "./form.ts";
import { ACCEPT_ENCODING, decodeContent } from "./content_coding.ts";
import { isRedirect, redirectStep } from "./redirect.ts";
import { proxyFromEnv } from "./proxy_env.ts";

export type { TlsOptions } from "./connection.ts";
export type { Timing } from "./timing.ts";

/** The User-Agent sent unless a request sets its own. */
export const USER_AGENT = "kit-http/0.1.0";

/** Time limits in milliseconds; 0 or undefined turns one off where it has no default. */
export interface Timeouts {
  /** Name resolution plus TCP connect. @default 30000 */
  connect?: number;
  /** TLS handshake (and a proxy's CONNECT answer). @default 30000 */
  tls?: number;
  /** From the request written to the end of the response head. @default 120000 */
  headers?: number;
  /** Most time between two reads (or writes) of a body. @default 120000 */
  body?: number;
  /** The whole exchange, body included. @default none */
  total?: number;
  /** How long to wait for "100 Continue" before sending the body anyway. @default 1000 */
  continue?: number;
}

/** The timeouts used unless told otherwise. */
export const DEFAULT_TIMEOUTS = {
  connect: 30000,
  tls: 30000,
  headers: 120000,
  body: 120000,
  total: 0,
  continue: 1000,
} as const satisfies Timeouts;

/** Options for {@linkcode HttpClient}. */
export interface ClientOptions {
  /** Most connections per origin. @default 6 */
  maxConnectionsPerHost?: number;
  /** Milliseconds an idle connection is kept. @default 30000 */
  idleTimeout?: number;
  /** Time limits. */
  timeouts?: Timeouts;
  /** TLS settings. */
  tls?: TlsOptions;
  /** A proxy URL, null for none, or "env" to read HTTP_PROXY and friends. @default "env" */
  proxy?: string | null | "env";
  /** Most redirects followed. @default 30 */
  maxRedirects?: number;
  /** Follow redirects; false returns a 3xx as it is. @default false */
  follow?: boolean;
  /** The cookie jar to send from and store into. @default null */
  cookieJar?: CookieJar | null;
  /** Decode Content-Encoding. @default true */
  decompress?: boolean;
  /** Reads environment variables (for the proxy). @default Deno.env.get */
  env?: (name: string) => string | undefined;
  /** Bounds on response heads. */
  limits?: HeadLimits;
}

/** A request as it was written. */
export interface SentRequest {
  /** The method. */
  method: string;
  /** The URL. */
  url: URL;
  /** The request-target written in the request line. */
  target: string;
  /** Always "HTTP/1.1". */
  version: "HTTP/1.1";
  /** The headers exactly as written, in order (Host first). */
  headers: [string, string][];
  /** The body when it was bytes; null for none or a stream. */
  body: Uint8Array | null;
  /** The body's length when known. */
  bodyLength: number | null;
}

/** A response: head, body stream, and what led to it. */
export interface HttpResponse {
  /** The status code. */
  status: number;
  /** The reason phrase. */
  reason: string;
  /** "HTTP/1.1" or "HTTP/1.0". */
  version: string;
  /** The headers. */
  headers: HttpHeaders;
  /** The final URL. */
  url: URL;
  /** The redirects followed to get here. */
  redirects: { status: number; url: URL; location: string }[];
  /** The last request sent. */
  request: SentRequest;
  /** The body, decoded per Content-Encoding unless decompress(false); empty for HEAD/204/304/1xx. */
  body: ReadableStream<Uint8Array>;
  /**
   * The body's chunks, each valid only until the next one is asked for: without decoding, all
   * are read into one reused buffer, so a download of any size allocates nothing per chunk.
   * Use instead of `body` (not both) when each chunk is written or hashed and then dropped.
   */
  chunks(): AsyncIterable<Uint8Array>;
  /** Reads the whole body. */
  bytes(): Promise<Uint8Array>;
  /** Reads the whole body as UTF-8 text. */
  text(): Promise<string>;
  /** Reads the whole body as JSON. */
  json(): Promise<unknown>;
  /** When each phase ended; total and firstByte are known once the body is read. */
  timing: Timing;
  /** Resolves with the timing once the body has been read (or dropped). */
  done: Promise<Timing>;
  /** Drops the body and closes the connection. */
  cancel(): Promise<void>;
  /** The trailer fields of a chunked body, filled in once it has been read. */
  trailers: [string, string][];
  /** The informational (1xx) responses that came before this one. */
  informational: { status: number; reason: string; headers: HttpHeaders }[];
}

/** Multipart bodies up to this size are read into memory before they are sent. */
const BUFFERED_MULTIPART_LIMIT = 1024 * 1024;

type BodySpec =
  | { kind: "bytes"; data: Uint8Array }
  | { kind: "stream"; stream: ReadableStream<Uint8Array>; length: number | null }
  | { kind: "multipart"; parts: MultipartPart[] };

/** A body ready to write: bytes, a replayable stream, or a one-shot stream. */
type PreparedBody =
  | { kind: "bytes"; data: Uint8Array }
  | { kind: "encoded"; body: EncodedBody }
  | { kind: "stream"; stream: ReadableStream<Uint8Array>; length: number | null; used: boolean };

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]);
const WANTS_LENGTH = new Set(["POST", "PUT", "PATCH"]);
// Bodies up to this size go out in the same write as the head.
const COALESCE_LIMIT = 65536;
// A redirect's or a 401's body is read and dropped up to this size to keep the connection.
const DRAIN_LIMIT = 1 << 20;

function defaultEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** The request-target in origin form. */
function originForm(url: URL): string {
  return (url.pathname || "/") + url.search;
}

/** The URL without its fragment, for the absolute-form target. */
function absoluteForm(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = "";
  return copy.href;
}

/**
 * A client: a pool of keep-alive connections plus the defaults every request starts from.
 *
 * @example
 * ```ts ignore
 * import { HttpClient } from "./client.ts";
 * const client = new HttpClient({ follow: true });
 * const res = await client.request("GET", "http://127.0.0.1:8080/").send();
 * console.log(res.status, await res.text());
 * client.close();
 * ```
 */
export class HttpClient {
  /** The options the client was made with. */
  readonly options: ClientOptions;
  /** The connection pool. */
  readonly pool: ConnectionPool;
  /** Reads environment variables once each (the proxy settings are read on every request). */
  readonly env: (name: string) => string | undefined;

  /**
   * Makes a client with its own pool.
   *
   * @param options Pool, timeouts, TLS, proxy, redirects, cookies and decoding.
   */
  constructor(options: ClientOptions = {}) {
    this.options = options;
    const read = options.env ?? defaultEnv;
    const cache = new Map<string, string | undefined>();
    this.env = (name) => {
      if (!cache.has(name)) cache.set(name, read(name));
      return cache.get(name);
    };
    this.pool = new ConnectionPool({
      maxPerHost: options.maxConnectionsPerHost,
      idleTimeout: options.idleTimeout,
    });
  }

  /**
   * Starts a request.
   *
   * @param method The method, e.g. "GET".
   * @param url An http: or https: URL.
   * @returns The builder.
   */
  request(method: string, url: string | URL): RequestBuilder {
    return new RequestBuilder(this, method, url);
  }

  /** Closes the pooled connections; connections in use close when their response ends. */
  close(): void {
    this.pool.close();
  }
}

let defaultClient: HttpClient | undefined;

/**
 * Starts a request on a module-wide default client.
 *
 * @example
 * ```ts ignore
 * import { request } from "./client.ts";
 * const res = await request("GET", "http://127.0.0.1:8080/").send();
 * ```
 *
 * @param method The method.
 * @param url The URL.
 * @returns The builder.
 */
export function request(method: string, url: string | URL): RequestBuilder {
  defaultClient ??= new HttpClient();
  return defaultClient.request(method, url);
}

/** One request's state while it is sent: clock, signal, timeouts, the connection in use. */
interface Exchange {
  clock: Stopwatch;
  signal: AbortSignal;
  abort: AbortController;
  timeouts: Required<Timeouts>;
  current: HttpConnection | null;
  totalTimer: ReturnType<typeof setTimeout> | undefined;
  cleanup: () => void;
}

/**
 * Builds and sends one request (and the requests redirects and digest auth lead to).
 *
 * @example
 * ```ts
 * import { HttpClient } from "./client.ts";
 * import assert from "node:assert/strict";
 * const client = new HttpClient();
 * const { sent } = await client.request("POST", "http://example.com/x").json({ a: 1 }).build();
 * assert.equal(sent.headers[0][0], "Host");
 * assert.equal(new TextDecoder().decode(sent.body!), '{"a":1}');
 * client.close();
 * ```
 */
export class RequestBuilder {
  readonly #client: HttpClient;
  #method: string;
  #url: URL | null = null;
  #error: HttpError | null = null;
  #headers: [string, string][] = [];
  #omit = new Set<string>();
  #body: BodySpec | null = null;
  #contentType: string | null = null;
  #acceptJson = false;
  #auth: { kind: "basic" | "digest"; user: string; password: string } | {
    kind: "bearer";
    token: string;
  } | null = null;
  #timeouts: Timeouts = {};
  #follow: boolean;
  #maxRedirects: number;
  #tls: TlsOptions | undefined;
  #proxy: string | null | undefined;
  #jar: CookieJar | null;
  #decompress: boolean;
  #expectContinue = false;
  #signal: AbortSignal | undefined;
  #onRequest: ((sent: SentRequest) => void)[] = [];
  #onResponse: ((res: HttpResponse) => void)[] = [];

  /**
   * Starts a request; prefer {@linkcode HttpClient.request}.
   *
   * @param client The client whose pool and defaults to use.
   * @param method The method.
   * @param url The URL.
   */
  constructor(client: HttpClient, method: string, url: string | URL) {
    this.#client = client;
    this.#method = method;
    const o = client.options;
    this.#follow = o.follow ?? false;
    this.#maxRedirects = o.maxRedirects ?? 30;
    this.#jar = o.cookieJar ?? null;
    this.#decompress = o.decompress ?? true;
    const text = typeof url === "string" ? url : url.href;
    // The URL parser silently drops tabs and newlines; refuse them instead of sending another URL.
    if (hasCtlBreak(text)) {
      this.#error = new HttpError("invalid-request", `invalid URL: ${JSON.stringify(text)}`);
      return;
    }
    try {
      this.#url = new URL(text);
    } catch {
      this.#error = new HttpError("invalid-request", `invalid URL: ${JSON.stringify(text)}`);
      return;
    }
    if (this.#url.protocol !== "http:" && this.#url.protocol !== "https:") {
      this.#error = new HttpError(
        "invalid-request",
        `unsupported URL scheme: ${this.#url.protocol}`,
      );
    }
  }

  /**
   * Appends a header.
   *
   * @param name The name, a token.
   * @param value The value, without CR, LF or NUL.
   * @returns This builder.
   * @throws {HttpError} kind "invalid-request" on a bad name or value.
   */
  header(name: string, value: string): this {
    assertHeader(name, value);
    this.#headers.push([name, value]);
    return this;
  }

  /**
   * Appends headers.
   *
   * @param list Name-value pairs.
   * @returns This builder.
   */
  headers(list: Iterable<[string, string]>): this {
    for (const [n, v] of list) this.header(n, v);
    return this;
  }

  /**
   * Leaves out a header the client would add by default (User-Agent, Accept, Accept-Encoding,
   * Connection), like httpie's `Name:` with no value.
   *
   * @param name The header name.
   * @returns This builder.
   */
  omitHeader(name: string): this {
    this.#omit.add(name.toLowerCase());
    return this;
  }

  /**
   * Appends a query parameter.
   *
   * @param name The name.
   * @param value The value.
   * @returns This builder.
   */
  query(name: string, value: string): this {
    this.#url?.searchParams.append(name, value);
    return this;
  }

  /**
   * Sets the body: bytes, text (UTF-8) or a stream (chunked unless `contentLength` is given).
   *
   * @param data The body.
   * @param contentLength The stream's length, when known.
   * @returns This builder.
   */
  body(data: Uint8Array | string | ReadableStream<Uint8Array>, contentLength?: number): this {
    if (typeof data === "string") this.#body = { kind: "bytes", data: utf8Bytes(data) };
    else if (data instanceof Uint8Array) this.#body = { kind: "bytes", data };
    else this.#body = { kind: "stream", stream: data, length: contentLength ?? null };
    return this;
  }

  /**
   * Sends `value` as JSON, with Content-Type application/json and (unless set) an Accept that
   * prefers JSON.
   *
   * @param value Any JSON-serialisable value.
   * @returns This builder.
   */
  json(value: unknown): this {
    this.#body = { kind: "bytes", data: utf8Bytes(JSON.stringify(value)) };
    this.#contentType = "application/json";
    this.#acceptJson = true;
    return this;
  }

  /**
   * Sends fields urlencoded.
   *
   * @param fields Name-value pairs.
   * @returns This builder.
   */
  form(fields: Iterable<[string, string]>): this {
    this.#body = { kind: "bytes", data: utf8Bytes(urlencoded(fields)) };
    this.#contentType = "application/x-www-form-urlencoded; charset=utf-8";
    return this;
  }

  /**
   * Sends a multipart/form-data body (files streamed from disk).
   *
   * @param parts The parts.
   * @returns This builder.
   */
  multipart(parts: MultipartPart[]): this {
    this.#body = { kind: "multipart", parts };
    return this;
  }

  /**
   * Basic authentication.
   *
   * @param user The user name.
   * @param password The password.
   * @returns This builder.
   */
  basicAuth(user: string, password: string): this {
    this.#auth = { kind: "basic", user, password };
    return this;
  }

  /**
   * Bearer token authentication.
   *
   * @param token The token.
   * @returns This builder.
   */
  bearerAuth(token: string): this {
    this.#auth = { kind: "bearer", token };
    return this;
  }

  /**
   * Digest authentication: on a 401 with a Digest challenge the request is sent once more
   * with an Authorization answering it.
   *
   * @param user The user name.
   * @param password The password.
   * @returns This builder.
   */
  digestAuth(user: string, password: string): this {
    this.#auth = { kind: "digest", user, password };
    return this;
  }

  /**
   * Time limits: a number sets connect, TLS, headers and body idle time to it (like httpie's
   * --timeout, a limit on each wait); an object sets each one.
   *
   * @param ms Milliseconds, or per-phase limits.
   * @returns This builder.
   */
  timeout(ms: number | Timeouts): this {
    this.#timeouts = typeof ms === "number"
      ? { ...this.#timeouts, connect: ms, tls: ms, headers: ms, body: ms }
      : { ...this.#timeouts, ...ms };
    return this;
  }

  /**
   * Follows redirects.
   *
   * @param maxRedirects Most redirects followed.
   * @returns This builder.
   */
  follow(maxRedirects?: number): this {
    this.#follow = true;
    if (maxRedirects !== undefined) this.#maxRedirects = maxRedirects;
    return this;
  }

  /**
   * Returns a 3xx as it is instead of following it.
   *
   * @returns This builder.
   */
  noFollow(): this {
    this.#follow = false;
    return this;
  }

  /**
   * TLS settings for this request (merged over the client's).
   *
   * @param options CA certificates, insecure, client certificate.
   * @returns This builder.
   */
  tls(options: TlsOptions): this {
    this.#tls = { ...this.#tls, ...options };
    return this;
  }

  /**
   * The proxy for this request: a URL, or null for none.
   *
   * @param url The proxy URL or null.
   * @returns This builder.
   */
  proxy(url: string | null): this {
    this.#proxy = url;
    return this;
  }

  /**
   * The cookie jar for this request, or null for none.
   *
   * @param jar The jar.
   * @returns This builder.
   */
  cookies(jar: CookieJar | null): this {
    this.#jar = jar;
    return this;
  }

  /**
   * Whether to decode Content-Encoding (and to send Accept-Encoding).
   *
   * @param on True to decode.
   * @returns This builder.
   */
  decompress(on: boolean): this {
    this.#decompress = on;
    return this;
  }

  /**
   * Sends "Expect: 100-continue" and waits for the server's go-ahead before the body.
   *
   * @param on True to ask.
   * @returns This builder.
   */
  expectContinue(on = true): this {
    this.#expectContinue = on;
    return this;
  }

  /**
   * Aborts the request, its body included, when `signal` aborts.
   *
   * @param signal The signal.
   * @returns This builder.
   */
  signal(signal: AbortSignal): this {
    this.#signal = signal;
    return this;
  }

  /**
   * Called with every request written: redirect hops and the digest retry included.
   *
   * @param fn The callback.
   * @returns This builder.
   */
  onRequest(fn: (sent: SentRequest) => void): this {
    this.#onRequest.push(fn);
    return this;
  }

  /**
   * Called with every intermediate response (redirects, a 401 before digest auth).
   *
   * @param fn The callback.
   * @returns This builder.
   */
  onResponse(fn: (res: HttpResponse) => void): this {
    this.#onResponse.push(fn);
    return this;
  }

  #checked(): URL {
    if (this.#error) throw this.#error;
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(this.#method)) {
      throw new HttpError("invalid-request", `invalid method: ${JSON.stringify(this.#method)}`);
    }
    return this.#url!;
  }

  async #prepareBody(): Promise<PreparedBody | null> {
    const b = this.#body;
    if (b === null) return null;
    if (b.kind === "bytes") return b;
    if (b.kind === "stream") return { ...b, used: false };
    const encoded = await multipart(b.parts);
    this.#contentType = encoded.contentType;
    if (encoded.length !== null && encoded.length <= BUFFERED_MULTIPART_LIMIT) {
      // A small form is held as bytes, so the request as sent (`-v`, --offline, history)
      // shows it; large uploads stream from disk.
      return { kind: "bytes", data: await new Response(encoded.stream()).bytes() };
    }
    return { kind: "encoded", body: encoded };
  }

  /** The user's headers with Content-Type and Authorization folded in (redirects may drop them). */
  #baseHeaders(): [string, string][] {
    const list = this.#headers.map(([n, v]) => [n, v] as [string, string]);
    const has = (name: string) => list.some(([n]) => n.toLowerCase() === name);
    if (this.#contentType && !has("content-type")) list.push(["Content-Type", this.#contentType]);
    const auth = this.#auth;
    if (auth && !has("authorization")) {
      if (auth.kind === "basic") {
        list.push(["Authorization", basicAuthorization(auth.user, auth.password)]);
      } else if (auth.kind === "bearer") {
        list.push(["Authorization", bearerAuthorization(auth.token)]);
      }
    }
    return list;
  }

  /** The full header list of one hop, in the order it is written. */
  #hopHeaders(
    url: URL,
    user: [string, string][],
    body: PreparedBody | null,
    method: string,
    proxyAuth: string | null,
  ): [string, string][] {
    const taken = new Set<number>();
    const userValues = (name: string) => {
      const out: [string, string][] = [];
      user.forEach(([n, v], i) => {
        if (n.toLowerCase() === name) {
          out.push([n, v]);
          taken.add(i);
        }
      });
      return out;
    };
    const out: [string, string][] = [];
    const defaults: [string, string | null][] = [
      ["Host", url.host],
      ["User-Agent", USER_AGENT],
      ["Accept-Encoding", this.#decompress ? ACCEPT_ENCODING : null],
      ["Accept", this.#acceptJson ? "application/json, */*;q=0.5" : "*/*"],
      ["Connection", "keep-alive"],
    ];
    for (const [name, value] of defaults) {
      const own = userValues(name.toLowerCase());
      if (own.length > 0) out.push(...own);
      else if (value !== null && !this.#omit.has(name.toLowerCase())) out.push([name, value]);
    }
    user.forEach(([n, v], i) => {
      const lower = n.toLowerCase();
      if (taken.has(i)) return;
      // The body's framing is the client's to write; a stale one would desynchronise the stream.
      if (body && (lower === "content-length" || lower === "transfer-encoding")) return;
      if (lower === "cookie") return;
      out.push([n, v]);
    });
    if (body) {
      const length = bodyLength(body);
      if (length === null) out.push(["Transfer-Encoding", "chunked"]);
      else out.push(["Content-Length", String(length)]);
      if (this.#expectContinue && !out.some(([n]) => n.toLowerCase() === "expect")) {
        out.push(["Expect", "100-continue"]);
      }
    } else if (
      WANTS_LENGTH.has(method) && !out.some(([n]) => n.toLowerCase() === "content-length")
    ) {
      out.push(["Content-Length", "0"]);
    }
    const cookies = user.filter(([n]) => n.toLowerCase() === "cookie").map(([, v]) => v);
    const fromJar = this.#jar?.cookieHeader(url) ?? null;
    if (fromJar) cookies.push(fromJar);
    if (cookies.length > 0) out.push(["Cookie", cookies.join("; ")]);
    if (proxyAuth && !out.some(([n]) => n.toLowerCase() === "proxy-authorization")) {
      out.push(["Proxy-Authorization", proxyAuth]);
    }
    return out;
  }

  /**
   * What would be written for the first request, without connecting (for --offline).
   *
   * @returns The request, its head bytes, and its body when it is bytes.
   */
  async build(): Promise<{ sent: SentRequest; head: Uint8Array; body: Uint8Array | null }> {
    const url = this.#checked();
    const body = await this.#prepareBody();
    const method = this.#method;
    const headers = this.#hopHeaders(url, this.#baseHeaders(), body, method, null);
    const target = originForm(url);
    const head = serializeRequestHead(method, target, headers);
    const sent = sentRequest(method, url, target, headers, body);
    return { sent, head, body: sent.body };
  }

  /**
   * Sends the request, following redirects and answering a digest challenge as configured.
   *
   * @returns The response, its body not yet read.
   * @throws {HttpError} On any failure; see its kind.
   */
  async send(): Promise<HttpResponse> {
    const url0 = this.#checked();
    const o = this.#client.options;
    const timeouts: Required<Timeouts> = { ...DEFAULT_TIMEOUTS, ...o.timeouts, ...this.#timeouts };
    const abort = new AbortController();
    const ex: Exchange = {
      clock: new Stopwatch(),
      signal: abort.signal,
      abort,
      timeouts,
      current: null,
      totalTimer: undefined,
      cleanup: () => {},
    };
    const onUserAbort = () =>
      abort.abort(new HttpError("aborted", "request aborted", { cause: this.#signal?.reason }));
    if (this.#signal?.aborted) throw abortError(this.#signal);
    this.#signal?.addEventListener("abort", onUserAbort, { once: true });
    // Whatever is waiting fails with the abort reason; a connection in use is closed so that a
    // pending read ends too.
    const onAbort = () => ex.current?.close();
    abort.signal.addEventListener("abort", onAbort, { once: true });
    if (timeouts.total > 0) {
      ex.totalTimer = setTimeout(() => {
        abort.abort(
          new HttpError("timeout", `timed out after ${timeouts.total} ms (total time limit)`, {
            phase: "total",
          }),
        );
      }, timeouts.total);
    }
    ex.cleanup = () => {
      if (ex.totalTimer !== undefined) clearTimeout(ex.totalTimer);
      ex.totalTimer = undefined;
      this.#signal?.removeEventListener("abort", onUserAbort);
      abort.signal.removeEventListener("abort", onAbort);
    };
    try {
      const res = await this.#run(url0, ex);
      // The total limit and the abort signal cover the final body too: let go once it is read.
      res.done.then(ex.cleanup);
      return res;
    } catch (error) {
      ex.cleanup();
      if (abort.signal.aborted && !(error instanceof HttpError && error.kind === "timeout")) {
        throw abortError(abort.signal);
      }
      throw error;
    }
  }

  async #run(url0: URL, ex: Exchange): Promise<HttpResponse> {
    let url = url0;
    let method = this.#method;
    let body = await this.#prepareBody();
    let headers = this.#baseHeaders();
    const redirects: { status: number; url: URL; location: string }[] = [];
    let digestTried = false;
    while (true) {
      const res = await this.#once(method, url, headers, body, ex, redirects);
      if (this.#jar) {
        const setCookies = res.headers.getAll("set-cookie");
        if (setCookies.length > 0) this.#jar.setCookies(url, setCookies);
      }
      const auth = this.#auth;
      if (
        res.status === 401 && auth?.kind === "digest" && !digestTried && replayable(body) &&
        url.origin === url0.origin
      ) {
        const challenge = parseDigestChallenge(res.headers.getAll("www-authenticate").join(", "));
        if (challenge) {
          digestTried = true;
          this.#emit(res);
          await drain(res);
          headers = headers.filter(([n]) => n.toLowerCase() !== "authorization");
          headers.push([
            "Authorization",
            digestAuthorization({
              challenge,
              user: auth.user,
              password: auth.password,
              method,
              uri: originForm(url),
            }),
          ]);
          continue;
        }
      }
      const location = res.headers.get("location");
      if (this.#follow && isRedirect(res.status) && location !== null) {
        if (redirects.length >= this.#maxRedirects) {
          await res.cancel();
          throw new HttpError(
            "too-many-redirects",
            `too many redirects: gave up after ${this.#maxRedirects} (last: ${res.status} to ${location})`,
          );
        }
        const step = redirectStep({ method, url, headers }, res.status, location);
        if (step.keepBody && !replayable(body)) return res; // a one-shot stream cannot be sent again
        this.#emit(res);
        await drain(res);
        redirects.push({ status: res.status, url, location });
        method = step.method;
        url = step.url;
        headers = step.headers;
        if (!step.keepBody) body = null;
        if (body?.kind === "stream") body.used = false;
        continue;
      }
      return res;
    }
  }

  #emit(res: HttpResponse): void {
    for (const fn of this.#onResponse) fn(res);
  }

  #proxyFor(url: URL): URL | null {
    const setting = this.#proxy !== undefined ? this.#proxy : this.#client.options.proxy ?? "env";
    if (setting === null || setting === "") return null;
    if (setting === "env") return proxyFromEnv(url, this.#client.env);
    try {
      return new URL(setting);
    } catch {
      throw new HttpError("invalid-request", `invalid proxy URL: ${JSON.stringify(setting)}`);
    }
  }

  /** One request and its response head, with a retry when a reused connection was stale. */
  async #once(
    method: string,
    url: URL,
    userHeaders: [string, string][],
    body: PreparedBody | null,
    ex: Exchange,
    redirects: { status: number; url: URL; location: string }[],
  ): Promise<HttpResponse> {
    const client = this.#client;
    const origin = originOf(url);
    const proxy = this.#proxyFor(url);
    const key = poolKey(origin, proxy);
    const tlsOptions = { ...client.options.tls, ...this.#tls };
    let announced = false;
    for (let attempt = 0;; attempt++) {
      const lease = await client.pool.acquire(key, ex.signal);
      let connection: HttpConnection;
      let timing: ConnectTiming = { dns: 0, connect: 0, tls: 0 };
      if (lease.reused) connection = lease.connection;
      else {
        try {
          const opened = await openConnection(origin, {
            tls: tlsOptions,
            connectTimeout: ex.timeouts.connect,
            tlsTimeout: ex.timeouts.tls,
            proxy,
            signal: ex.signal,
            clock: ex.clock,
          });
          connection = opened.connection;
          timing = opened.timing;
        } catch (error) {
          client.pool.discard(key);
          throw error;
        }
      }
      ex.current = connection;
      const target = connection.absoluteForm ? absoluteForm(url) : originForm(url);
      const headers = this.#hopHeaders(
        url,
        userHeaders,
        body,
        method,
        connection.proxyAuthorization,
      );
      const readBefore = connection.io.bytesRead;
      let sent: SentRequest;
      let handedBack = false;
      const giveBack = (reuse: boolean) => {
        if (handedBack) return;
        handedBack = true;
        if (reuse) client.pool.release(connection);
        else {
          connection.close();
          client.pool.discard(key);
        }
      };
      try {
        const head = serializeRequestHead(method, target, headers);
        sent = sentRequest(method, url, target, headers, body);
        if (!announced) {
          announced = true;
          for (const fn of this.#onRequest) fn(sent);
        }
        connection.requests++;
        const result = await this.#exchange(connection, head, body, ex);
        return this.#response(
          connection,
          result,
          timing,
          method,
          url,
          sent,
          redirects,
          ex,
          giveBack,
        );
      } catch (error) {
        connection.close();
        // A body stream made before the failure may have given the permit back already.
        if (!handedBack) client.pool.discard(key);
        handedBack = true;
        ex.current = null;
        const noAnswer = connection.io.bytesRead === readBefore;
        const retry = lease.reused && noAnswer && IDEMPOTENT.has(method) && replayable(body) &&
          !ex.signal.aborted && attempt < 8 && !(error instanceof HttpError &&
            (error.kind === "timeout" || error.kind === "invalid-request"));
        if (!retry) throw mapIoError(error, "while waiting for the response");
        if (body?.kind === "stream") body.used = false;
      }
    }
  }

  /** Writes the request and reads the response head, skipping 1xx (and honouring 100-continue). */
  async #exchange(
    connection: HttpConnection,
    head: Uint8Array,
    body: PreparedBody | null,
    ex: Exchange,
  ): Promise<
    { head: ResponseHead; firstByte: number; informational: ResponseHead[]; bodySent: boolean }
  > {
    const io = connection.io;
    const watch = connection.watch;
    const write = async (bytes: Uint8Array) => {
      watch.arm(
        ex.timeouts.body,
        () =>
          new HttpError("timeout", `timed out after ${ex.timeouts.body} ms sending the request`, {
            phase: "body",
          }),
      );
      try {
        await io.writeAll(bytes);
      } catch (error) {
        throw watch.error ?? error;
      } finally {
        watch.disarm();
      }
    };
    const informational: ResponseHead[] = [];
    const state = { firstByte: 0 };
    const limits = { ...HEAD_LIMITS, ...this.#client.options.limits };
    const readHead = async (stopAt100: boolean) => {
      watch.arm(ex.timeouts.headers, () =>
        new HttpError(
          "timeout",
          `timed out after ${ex.timeouts.headers} ms waiting for the response headers`,
          { phase: "headers" },
        ));
      try {
        return await readResponseHead(connection, limits, ex, state, informational, stopAt100);
      } catch (error) {
        throw watch.error ?? error;
      } finally {
        watch.disarm();
      }
    };
    if (body === null) {
      await write(head);
      return {
        head: await readHead(false),
        firstByte: state.firstByte,
        informational,
        bodySent: true,
      };
    }
    if (this.#expectContinue) {
      await write(head);
      // Wait for anything from the server for a short while; silence means go ahead anyway.
      let heard = false;
      await guard(io.readAhead(), { ms: ex.timeouts.continue, signal: ex.signal }).then(
        () => heard = true,
        (error) => {
          if (ex.signal.aborted) throw error;
        },
      );
      if (heard) {
        const first = await readHead(true);
        if (first.status !== 100) {
          // A final answer before the body: it was not sent, so the connection cannot carry on.
          return { head: first, firstByte: state.firstByte, informational, bodySent: false };
        }
      }
      await writeBody(body, write, null);
      return {
        head: await readHead(false),
        firstByte: state.firstByte,
        informational,
        bodySent: true,
      };
    }
    try {
      await writeBody(body, write, head);
    } catch (error) {
      // A server may answer (413, 401...) and close before taking the whole body: show that
      // answer rather than the broken pipe, when it arrived.
      if (error instanceof HttpError) throw error;
      const early = await readHead(false).catch(() => null);
      if (early === null) throw error;
      return { head: early, firstByte: state.firstByte, informational, bodySent: false };
    }
    return {
      head: await readHead(false),
      firstByte: state.firstByte,
      informational,
      bodySent: true,
    };
  }

  #response(
    connection: HttpConnection,
    result: {
      head: ResponseHead;
      firstByte: number;
      informational: ResponseHead[];
      bodySent: boolean;
    },
    connectTiming: ConnectTiming,
    method: string,
    url: URL,
    sent: SentRequest,
    redirects: { status: number; url: URL; location: string }[],
    ex: Exchange,
    giveBack: (reuse: boolean) => void,
  ): HttpResponse {
    const { head } = result;
    const { framing, keepAlive } = responseFraming(head, method);
    const reusable = keepAlive && result.bodySent &&
      !sent.headers.some(([n, v]) => n.toLowerCase() === "connection" && /\bclose\b/i.test(v)) &&
      head.status !== 101;
    const timing: Timing = {
      ...emptyTiming(),
      ...connectTiming,
      firstByte: result.firstByte,
    };
    let resolveDone!: (t: Timing) => void;
    const done = new Promise<Timing>((resolve) => resolveDone = resolve);
    const trailers: [string, string][] = [];
    const io = connection.io;
    const idle = ex.timeouts.body;
    const watch = connection.watch;
    const idleError = () =>
      new HttpError("timeout", `timed out after ${idle} ms waiting for body data`, {
        phase: "body",
      });
    const makeRaw = (reuse: boolean) =>
      bodyStream(
        {
          read: async () => {
            watch.arm(idle, idleError);
            try {
              return await (reuse ? io.readScratch() : io.read());
            } catch (error) {
              throw watch.error ?? (ex.signal.aborted ? abortError(ex.signal) : error);
            }
          },
          unread: (bytes: Uint8Array) => io.unread(bytes),
        },
        framing,
        {
          chunked: { lenient: true },
          // Reading ahead into a reused buffer would overwrite the chunk the reader holds.
          highWaterMark: reuse ? 0 : 1,
          onTrailers: (t) => trailers.push(...t),
          mapError: (error) => mapIoError(error, "while reading the body", "body"),
          onEnd: (complete) => {
            watch.disarm();
            if (ex.current === connection) ex.current = null;
            giveBack(complete && reusable);
            timing.total = ex.clock.elapsed();
            resolveDone(timing);
          },
        },
      );
    const encoding = head.headers.get("content-encoding");
    const decode = this.#decompress && framing.kind !== "none" && encoding !== null &&
      encoding.trim().toLowerCase() !== "identity" && encoding.trim() !== "";
    const makeBody = (reuse: boolean): ReadableStream<Uint8Array> => {
      if (!decode) return makeRaw(reuse);
      // The decoder may hold on to its input, so it always gets buffers of its own.
      const raw = makeRaw(false);
      try {
        return decodeContent(encoding, raw);
      } catch (error) {
        void raw.cancel();
        throw error;
      }
    };
    // An empty body is made at once, which gives the connection back to the pool even when the
    // caller never looks at it; an unknown coding fails here, before the response is returned.
    const eager = framing.kind === "none" || (framing.kind === "length" && framing.length === 0) ||
        decode
      ? makeBody(false)
      : null;
    return new ClientResponse(
      head,
      url,
      redirects,
      sent,
      eager,
      makeBody,
      timing,
      done,
      trailers,
      result.informational,
    );
  }
}

/** Reads one response head, skipping informational responses unless told to stop at 100. */
async function readResponseHead(
  connection: HttpConnection,
  limits: Required<HeadLimits>,
  ex: Exchange,
  state: { firstByte: number },
  informational: ResponseHead[],
  stopAt100: boolean,
): Promise<ResponseHead> {
  const io = connection.io;
  let parser = HeadParser.response(limits);
  while (true) {
    const chunk = await io.read();
    if (state.firstByte === 0) state.firstByte = ex.clock.elapsed();
    if (chunk === null) {
      if (parser.empty) {
        throw new HttpError(
          "protocol",
          "empty reply from server: connection closed before a response",
        );
      }
      const got = parser.received();
      throw new HttpError(
        "protocol",
        `connection closed inside the response head after ${got.length} bytes`,
        { bytes: got },
      );
    }
    const done = parser.push(chunk);
    if (!done) continue;
    if (done.rest.length > 0) io.unread(done.rest);
    const { head } = done;
    if (head.status >= 100 && head.status < 200 && head.status !== 101) {
      if (stopAt100 && head.status === 100) return head;
      informational.push(head);
      parser = HeadParser.response(limits);
      continue;
    }
    return head;
  }
}

function bodyLength(body: PreparedBody): number | null {
  if (body.kind === "bytes") return body.data.length;
  if (body.kind === "encoded") return body.body.length;
  return body.length;
}

function replayable(body: PreparedBody | null): boolean {
  return body === null || body.kind !== "stream";
}

function sentRequest(
  method: string,
  url: URL,
  target: string,
  headers: [string, string][],
  body: PreparedBody | null,
): SentRequest {
  return {
    method,
    url,
    target,
    version: "HTTP/1.1",
    headers,
    body: body?.kind === "bytes" ? body.data : null,
    bodyLength: body ? bodyLength(body) : null,
  };
}

/** Writes a body: bytes whole (joined with the head when small), streams chunked or counted. */
async function writeBody(
  body: PreparedBody,
  write: (bytes: Uint8Array) => Promise<void>,
  head: Uint8Array | null,
): Promise<void> {
  if (body.kind === "bytes") {
    if (head !== null && body.data.length <= COALESCE_LIMIT) {
      return write(concat([head, body.data]));
    }
    if (head !== null) await write(head);
    if (body.data.length > 0) await write(body.data);
    return;
  }
  if (head !== null) await write(head);
  let stream: ReadableStream<Uint8Array>;
  let length: number | null;
  if (body.kind === "encoded") {
    stream = body.body.stream();
    length = body.body.length;
  } else {
    if (body.used) {
      throw new HttpError("invalid-request", "a streamed request body can be sent only once");
    }
    body.used = true;
    stream = body.stream;
    length = body.length;
  }
  let sent = 0;
  const reader = stream.getReader();
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      if (value.length === 0) continue;
      sent += value.length;
      if (length !== null && sent > length) {
        throw new HttpError(
          "invalid-request",
          `request body is longer than its Content-Length ${length}`,
        );
      }
      await write(length === null ? encodeChunk(value) : value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    if (error instanceof HttpError) throw error;
    throw new HttpError("body", `reading the request body failed: ${describe(error)}`, {
      cause: error,
    });
  } finally {
    reader.releaseLock();
  }
  if (length === null) await write(encodeLastChunk());
  else if (sent !== length) {
    throw new HttpError(
      "invalid-request",
      `request body gave ${sent} bytes, Content-Length says ${length}`,
    );
  }
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

/** Turns a socket failure into an HttpError; HttpErrors pass through. */
function mapIoError(error: unknown, when: string, kind: "connect" | "body" = "connect"): HttpError {
  if (error instanceof HttpError) return error;
  if (
    error instanceof Deno.errors.ConnectionReset || error instanceof Deno.errors.BrokenPipe ||
    error instanceof Deno.errors.UnexpectedEof || error instanceof Deno.errors.BadResource ||
    error instanceof Deno.errors.Interrupted
  ) {
    return new HttpError(kind, `connection lost ${when}: ${describe(error)}`, { cause: error });
  }
  return new HttpError(kind, `${describe(error)} ${when}`, { cause: error });
}

/** Reads and drops a small body so the connection can be reused; cancels a large one. */
async function drain(res: HttpResponse): Promise<void> {
  const reader = res.body.getReader();
  let n = 0;
  try {
    while (n <= DRAIN_LIMIT) {
      const { value, done } = await reader.read();
      if (done) return;
      n += value.length;
    }
    await reader.cancel();
  } catch {
    // The next request opens a new connection; the body of a hop is not the caller's concern.
  } finally {
    reader.releaseLock();
  }
}

class ClientResponse implements HttpResponse {
  #body: ReadableStream<Uint8Array> | null;
  readonly #makeBody: (reuse: boolean) => ReadableStream<Uint8Array>;
  status: number;
  reason: string;
  version: string;
  headers: HttpHeaders;
  url: URL;
  redirects: { status: number; url: URL; location: string }[];
  request: SentRequest;
  timing: Timing;
  done: Promise<Timing>;
  trailers: [string, string][];
  informational: { status: number; reason: string; headers: HttpHeaders }[];

  constructor(
    head: ResponseHead,
    url: URL,
    redirects: { status: number; url: URL; location: string }[],
    request: SentRequest,
    body: ReadableStream<Uint8Array> | null,
    makeBody: (reuse: boolean) => ReadableStream<Uint8Array>,
    timing: Timing,
    done: Promise<Timing>,
    trailers: [string, string][],
    informational: ResponseHead[],
  ) {
    this.status = head.status;
    this.reason = head.reason;
    this.version = head.version;
    this.headers = head.headers;
    this.url = url;
    this.redirects = [...redirects];
    this.request = request;
    this.#body = body;
    this.#makeBody = makeBody;
    this.timing = timing;
    this.done = done;
    this.trailers = trailers;
    this.informational = informational.map((h) => ({
      status: h.status,
      reason: h.reason,
      headers: h.headers,
    }));
  }

  /** The body stream, made on first use. */
  get body(): ReadableStream<Uint8Array> {
    this.#body ??= this.#makeBody(false);
    return this.#body;
  }

  async *chunks(): AsyncIterable<Uint8Array> {
    this.#body ??= this.#makeBody(true);
    const reader = this.#body.getReader();
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      // Stopped early (break or a throw in the loop): drop the rest and the connection.
      await reader.cancel().catch(() => {});
    }
  }

  async bytes(): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    // No releaseLock() at the end: the stream is done, and releasing costs an error object.
    const reader = this.body.getReader();
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      parts.push(value);
    }
    if (parts.length === 0) return new Uint8Array(0);
    // One small view of a large read buffer would keep the whole buffer alive: copy it out.
    if (parts.length === 1) return parts[0].slice();
    return concat(parts);
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }

  async json(): Promise<unknown> {
    const text = await this.text();
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new HttpError("body", `response body is not JSON: ${describe(error)}`, {
        cause: error,
      });
    }
  }

  async cancel(): Promise<void> {
    await this.body.cancel().catch(() => {});
  }
}
