/**
 * The app: routes and middleware compiled into a `fetch(Request) => Response` function that
 * runs on Deno.serve or on kit's own HTTP/1.1 engine.
 *
 * Middleware given to `use()` apply to every route of the app and of the apps mounted in it,
 * whenever they were registered, in the order of the `use()` calls; `use("/api/*", m)` applies
 * `m` to the routes whose pattern matches `/api/*`. Each route's chain is composed once, on
 * the first request after a change, so a request pays for one trie walk and the handlers.
 *
 * @module
 */

import { ALL_METHODS, type Params, Router } from "./router.ts";
import { type ConnInfo, Context, type Env, pathOf } from "./context.ts";
import {
  compose,
  type Handler,
  type HandlerMeta,
  META,
  type Middleware,
  type Runner,
  type WithMeta,
} from "./compose.ts";
import { HttpError } from "./http_error.ts";
import type { IncomingRequest } from "../http/incoming_request.ts";

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends
  (x: infer I) => void ? I : never;

type EnvOf<M> = M extends { readonly "~env"?: infer X } ? X extends Env ? X : Env : Env;

/** The env a handler sees after the app's env and the middleware before it. */
export type MergeEnv<E extends Env, M extends unknown[]> = UnionToIntersection<
  E | EnvOf<M[number]>
> extends infer R extends Env ? R : E;

/**
 * A route registration: a path, middleware typed by what they add, then the handler, whose
 * context is typed from the path's params and the middleware.
 */
export type RouteMethod<E extends Env, Self> = <P extends string, M extends Middleware[]>(
  path: P,
  ...handlers: [...M, Handler<Params<P>, MergeEnv<E, M>>]
) => Self;

/** Called with an error a handler threw; returns the response to send. */
export type ErrorHandler = (error: unknown, c: Context) => Response | Promise<Response>;

/** What {@linkcode App.routes} lists: one registered route. */
export interface RouteInfo {
  /** Upper-case method, or `ALL`. */
  method: string;
  /** The full pattern, with mount prefixes. */
  path: string;
  /** What the route's handlers and middleware carry: validators and docs. */
  meta: HandlerMeta[];
}

/** Options of {@linkcode App.listen}. */
export interface ListenOptions {
  /** `"kit"`: kit's own HTTP/1.1 engine; `"deno"`: Deno.serve. @default "deno" */
  engine?: "kit" | "deno";
  /** @default 8000; 0 picks a free port */
  port?: number;
  /** @default "127.0.0.1" */
  hostname?: string;
  /** Aborting it shuts the server down gracefully. */
  signal?: AbortSignal;
  /** Called once bound. */
  onListen?: (addr: Deno.NetAddr) => void;
  /** PEM certificate and key for HTTPS. */
  tls?: { cert: string; key: string };
}

/** A running server. */
export interface WebServer {
  /** The bound address (the real port when 0 was asked for). */
  readonly addr: Deno.NetAddr;
  /** Resolves once the server has stopped. */
  readonly finished: Promise<void>;
  /** Stops accepting, lets in-flight requests finish, then resolves. */
  shutdown(): Promise<void>;
}

/** Options of {@linkcode App}. */
export interface AppOptions {
  /** A prefix for every route of this app. @default "" */
  basePath?: string;
}

interface RouteDef {
  method: string;
  path: string;
  handlers: Handler[];
}

interface MiddlewareDef {
  /** `undefined`: every route. */
  pattern: string | undefined;
  fn: Handler;
}

interface Compiled {
  router: Router<Runner>;
  /** Middleware for requests no route matched, with the pattern each is limited to. */
  fallback: { matcher: Router<true> | undefined; fn: Handler }[];
  /** Runs a 404 through the app-wide middleware, when none is path-scoped. */
  notFound: Runner;
}

/**
 * A web app.
 *
 * @example
 * ```ts
 * import { App } from "./app.ts";
 * import assert from "node:assert/strict";
 * const app = new App();
 * app.get("/hello/:name", (c) => `Hello, ${c.params.name}!`);
 * app.post("/echo", async (c) => await c.bodyJson());
 * const response = await app.request("/hello/kit");
 * assert.equal(await response.text(), "Hello, kit!");
 * assert.equal((await app.request("/hello/kit", { method: "DELETE" })).status, 405);
 * ```
 */
export class App<E extends Env = Env> {
  #base: string;
  #routes: RouteDef[] = [];
  #middleware: MiddlewareDef[] = [];
  #mounts: { prefix: string; app: App<Env> }[] = [];
  #notFound: Handler = (c) => new HttpError(404, `No route for ${c.method} ${c.path}`).toResponse();
  #onError: ErrorHandler = defaultOnError;
  #compiled: Compiled | undefined;

  /** @param options A base path. */
  constructor(options: AppOptions = {}) {
    this.#base = trimSlash(options.basePath ?? "");
  }

  /** Registers a GET route (HEAD is answered from it). */
  get: RouteMethod<E, this> = (path, ...handlers) => this.on("GET", path, ...handlers as Handler[]);
  /** Registers a POST route. */
  post: RouteMethod<E, this> = (path, ...handlers) =>
    this.on("POST", path, ...handlers as Handler[]);
  /** Registers a PUT route. */
  put: RouteMethod<E, this> = (path, ...handlers) => this.on("PUT", path, ...handlers as Handler[]);
  /** Registers a PATCH route. */
  patch: RouteMethod<E, this> = (path, ...handlers) =>
    this.on("PATCH", path, ...handlers as Handler[]);
  /** Registers a DELETE route. */
  delete: RouteMethod<E, this> = (path, ...handlers) =>
    this.on("DELETE", path, ...handlers as Handler[]);
  /** Registers an OPTIONS route. */
  options: RouteMethod<E, this> = (path, ...handlers) =>
    this.on("OPTIONS", path, ...handlers as Handler[]);
  /** Registers a route for every method. */
  all: RouteMethod<E, this> = (path, ...handlers) =>
    this.on(ALL_METHODS, path, ...handlers as Handler[]);

  /**
   * Registers a route for one or more methods.
   *
   * @param method A method or several.
   * @param path The pattern.
   * @param handlers Middleware, then the handler.
   * @returns This app.
   * @throws {SyntaxError} A `RoutePatternError` for a malformed pattern (a duplicate route is found when the
   *   routes are compiled, on the first request).
   */
  on(method: string | string[], path: string, ...handlers: Handler[]): this {
    if (handlers.length === 0) throw new TypeError(`Route "${path}" has no handler`);
    // Checked now, so a bad pattern fails where it is written, not on the first request.
    new Router<true>().add(ALL_METHODS, this.#base + path, true);
    for (const m of Array.isArray(method) ? method : [method]) {
      this.#routes.push({ method: m.toUpperCase(), path: this.#base + path, handlers });
    }
    this.#compiled = undefined;
    return this;
  }

  /**
   * Adds middleware, for every route or for the routes matching a pattern.
   *
   * @example
   * ```ts
   * import { App } from "./app.ts";
   * import assert from "node:assert/strict";
   * const app = new App();
   * app.use(async (c, next) => {
   *   await next();
   *   c.res!.headers.set("x-app", "1");
   * });
   * app.use("/admin/*", () => new Response("no", { status: 403 }));
   * app.get("/", () => "home");
   * app.get("/admin/panel", () => "secret");
   * assert.equal((await app.request("/")).headers.get("x-app"), "1");
   * assert.equal((await app.request("/admin/panel")).status, 403);
   * ```
   *
   * The app comes back typed with what the middleware add (`new App().use(jwt(...))` gives
   * handlers a typed `c.var.jwtPayload`).
   *
   * @param first A pattern, or the first middleware.
   * @param rest More middleware.
   * @returns This app.
   */
  use<M extends Middleware[]>(...middleware: M): App<MergeEnv<E, M>>;
  use<M extends Middleware[]>(path: string, ...middleware: M): App<MergeEnv<E, M>>;
  use(first: string | Middleware, ...rest: Middleware[]): App<Env> {
    const pattern = typeof first === "string" ? this.#base + first : undefined;
    const fns = (typeof first === "string" ? rest : [first, ...rest]) as Handler[];
    for (const fn of fns) this.#middleware.push({ pattern, fn });
    this.#compiled = undefined;
    return this as App<Env>;
  }

  /**
   * Mounts another app under a prefix: its routes keep their middleware and come after this
   * app's middleware.
   *
   * @example
   * ```ts
   * import { App } from "./app.ts";
   * import assert from "node:assert/strict";
   * const api = new App();
   * api.get("/users/:id", (c) => ({ id: c.params.id }));
   * const app = new App().route("/api", api);
   * assert.deepEqual(await (await app.request("/api/users/3")).json(), { id: "3" });
   * ```
   *
   * @param prefix The prefix, such as `/api`.
   * @param app The app to mount.
   * @returns This app.
   */
  route(prefix: string, app: App<Env>): this {
    this.#mounts.push({ prefix: this.#base + trimSlash(prefix), app });
    this.#compiled = undefined;
    return this;
  }

  /**
   * Groups routes under a prefix and shared middleware.
   *
   * @example
   * ```ts
   * import { App } from "./app.ts";
   * import assert from "node:assert/strict";
   * const app = new App();
   * app.group("/v1", (v1) => {
   *   v1.use(async (c, next) => { c.set("version", 1); await next(); });
   *   v1.get("/ping", (c) => ({ pong: c.get("version") }));
   * });
   * assert.deepEqual(await (await app.request("/v1/ping")).json(), { pong: 1 });
   * ```
   *
   * @param prefix The prefix.
   * @param build Registers the group's middleware and routes.
   * @returns This app.
   */
  group(prefix: string, build: (group: App<E>) => void): this {
    const group = new App<E>();
    build(group);
    return this.route(prefix, group as App<Env>);
  }

  /**
   * Mounts any fetch handler (another framework's app, a file server) under a prefix; it sees
   * the request with the prefix cut from the path.
   *
   * @param prefix The prefix.
   * @param fetch The handler.
   * @returns This app.
   */
  mount(prefix: string, fetch: (request: Request) => Response | Promise<Response>): this {
    const cut = this.#base + trimSlash(prefix);
    return this.on(ALL_METHODS, trimSlash(prefix) + "/*", (c) => {
      const url = new URL(c.req.url);
      url.pathname = url.pathname.slice(cut.length) || "/";
      return fetch(new Request(url, c.req));
    });
  }

  /**
   * Sets the handler for requests no route matches.
   *
   * @param handler Answers the 404.
   * @returns This app.
   */
  notFound(handler: Handler): this {
    this.#notFound = handler;
    this.#compiled = undefined;
    return this;
  }

  /**
   * Sets what answers when a handler throws (by default: an {@linkcode HttpError}'s own
   * response, else a plain 500).
   *
   * @param handler Turns the error into a response.
   * @returns This app.
   */
  onError(handler: ErrorHandler): this {
    this.#onError = handler;
    return this;
  }

  /**
   * Every route, with mount prefixes applied and the metadata its handlers carry.
   *
   * @returns The routes in registration order.
   */
  routes(): RouteInfo[] {
    return this.#flatten("", []).routes.map((r) => ({
      method: r.method,
      path: r.path,
      meta: [...r.middleware, ...r.handlers].map((h) => (h as WithMeta)[META]).filter(
        (m): m is HandlerMeta => m !== undefined,
      ),
    }));
  }

  #flatten(prefix: string, inherited: MiddlewareDef[]): {
    routes: (RouteDef & { middleware: Handler[] })[];
    middleware: MiddlewareDef[];
  } {
    const own = this.#middleware.map((m) => ({
      pattern: m.pattern === undefined ? (prefix ? prefix + "/*" : undefined) : prefix + m.pattern,
      fn: m.fn,
    }));
    const middleware = [...inherited, ...own];
    const routes: (RouteDef & { middleware: Handler[] })[] = [];
    for (const r of this.#routes) {
      const path = prefix && r.path === "/" ? prefix : prefix + r.path || "/";
      routes.push({
        method: r.method,
        path,
        handlers: r.handlers,
        middleware: middleware.filter((m) => appliesTo(m.pattern, path)).map((m) => m.fn),
      });
    }
    for (const mount of this.#mounts) {
      const inner = mount.app.#flatten(prefix + mount.prefix, middleware);
      routes.push(...inner.routes);
      middleware.push(...inner.middleware.slice(middleware.length));
    }
    return { routes, middleware };
  }

  #compile(): Compiled {
    const { routes, middleware } = this.#flatten("", []);
    const router = new Router<Runner>();
    for (const r of routes) router.add(r.method, r.path, compose([...r.middleware, ...r.handlers]));
    const fallback = middleware.map((m) => ({
      matcher: m.pattern === undefined ? undefined : matcherFor(m.pattern),
      fn: m.fn,
    }));
    const global = fallback.filter((m) => m.matcher === undefined).map((m) => m.fn);
    return {
      router,
      fallback,
      notFound: compose([...global, this.#notFound]),
    };
  }

  /**
   * Answers a request: the function to give Deno.serve or the kit engine.
   *
   * @param request The request.
   * @param info Connection info from the server.
   * @returns The response.
   */
  fetch = (request: Request, info?: ConnInfo): Response | Promise<Response> => {
    return this.#dispatch(request, request.method, pathOf(request.url), info);
  };

  /**
   * Answers a request from kit's engine (`serveIncoming` in lib/http): like {@linkcode fetch},
   * but routes on the engine's parsed request, so the web `Request` is built only if a
   * handler or middleware reads `c.req`. `listen({ engine: "kit" })` serves this.
   *
   * @example
   * ```ts
   * import { App } from "./app.ts";
   * import { serveIncoming } from "../http/server.ts";
   * import assert from "node:assert/strict";
   * const app = new App().get("/hi/:name", (c) => `hi ${c.params.name}`);
   * const server = serveIncoming(app.fetchIncoming, { port: 0, limits: { maxBodyBytes: 1024 } });
   * const response = await fetch(`http://127.0.0.1:${server.addr.port}/hi/kit`);
   * assert.equal(await response.text(), "hi kit");
   * await server.shutdown();
   * ```
   *
   * @param incoming The engine's request.
   * @returns The response.
   */
  fetchIncoming = (incoming: IncomingRequest): Response | Promise<Response> => {
    return this.#dispatch(incoming, incoming.method, incoming.path, undefined);
  };

  #dispatch(
    request: Request | IncomingRequest,
    method: string,
    path: string,
    info: ConnInfo | undefined,
  ): Response | Promise<Response> {
    const compiled = this.#compiled ??= this.#compile();
    const found = compiled.router.match(method, path);
    if (found !== undefined && "value" in found) {
      const c = new Context(request, found.params, info, path);
      c.routePath = found.pattern;
      try {
        const out = found.value(c);
        // A HEAD answer keeps its body here: the server drops it and keeps its length.
        return out instanceof Promise ? out.catch((e) => this.#fail(e, c)) : out;
      } catch (error) {
        return this.#fail(error, c);
      }
    }
    const c = new Context(request, {}, info, path);
    return this.#unmatched(compiled, c, found?.allowed).catch((e) => this.#fail(e, c));
  }

  async #unmatched(
    compiled: Compiled,
    c: Context,
    allowed: string[] | undefined,
  ): Promise<Response> {
    let final: Handler = this.#notFound;
    if (allowed !== undefined) {
      const allow = allowed.join(", ");
      final = c.method === "OPTIONS"
        ? () => new Response(null, { status: 204, headers: { allow } })
        : () =>
          new HttpError(405, `${c.method} is not allowed here; allowed: ${allow}`, {
            headers: { allow },
          }).toResponse();
    }
    const scoped = compiled.fallback.some((m) => m.matcher !== undefined);
    const run = !scoped && allowed === undefined ? compiled.notFound : compose([
      ...compiled.fallback
        .filter((m) => m.matcher === undefined || "value" in (m.matcher.match("GET", c.path) ?? {}))
        .map((m) => m.fn),
      final,
    ]);
    return await run(c);
  }

  async #fail(error: unknown, c: Context): Promise<Response> {
    try {
      return await this.#onError(error, c);
    } catch (again) {
      return defaultOnError(again, c);
    }
  }

  /**
   * Sends a request to the app without a socket; for tests. A HEAD answer comes without its
   * body, as a server would send it.
   *
   * @param input A path (`/users/1`) or a full URL or Request.
   * @param init Request options.
   * @returns The response.
   */
  request(input: string | Request, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request
      ? input
      : new Request(input.startsWith("/") ? `http://localhost${input}` : input, init);
    const response = Promise.resolve(this.fetch(request));
    return request.method === "HEAD" ? response.then(stripBody) : response;
  }

  /**
   * Serves the app on Deno.serve or on kit's own engine.
   *
   * @example
   * ```ts
   * import { App } from "./app.ts";
   * import assert from "node:assert/strict";
   * const app = new App().get("/", () => "up");
   * const server = await app.listen({ port: 0 });
   * const response = await fetch(`http://127.0.0.1:${server.addr.port}/`);
   * assert.equal(await response.text(), "up");
   * await server.shutdown();
   * ```
   *
   * @param options The engine, address and a shutdown signal.
   * @returns The running server.
   */
  async listen(options: ListenOptions = {}): Promise<WebServer> {
    const hostname = options.hostname ?? "127.0.0.1";
    const port = options.port ?? 8000;
    if (options.engine === "kit") {
      const { serveIncoming } = await import("../http/server.ts");
      return serveIncoming(this.fetchIncoming, {
        hostname,
        port,
        signal: options.signal,
        onListen: options.onListen,
        tls: options.tls,
      });
    }
    const server = Deno.serve({
      hostname,
      port,
      signal: options.signal,
      onListen: options.onListen ?? (() => {}),
      ...(options.tls ?? {}),
    }, this.fetch);
    return server as unknown as WebServer & Deno.HttpServer<Deno.NetAddr>;
  }
}

function defaultOnError(error: unknown, _c: Context): Response {
  if (error instanceof HttpError) return error.toResponse();
  return new Response("Internal Server Error", {
    status: 500,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

/** HEAD is answered from GET: the same status and headers, no body (servers do this on the wire). */
function stripBody(response: Response): Response {
  if (response.body === null) return response;
  response.body.cancel().catch(() => {});
  return new Response(null, response);
}

function trimSlash(path: string): string {
  return path.endsWith("/") ? path.slice(0, -1) : path;
}

function matcherFor(pattern: string): Router<true> {
  const router = new Router<true>();
  router.add(ALL_METHODS, pattern, true);
  return router;
}

/** A path-scoped middleware applies to a route when its pattern matches the route's pattern. */
function appliesTo(pattern: string | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  const found = matcherFor(pattern).match("GET", path);
  return found !== undefined && "value" in found;
}
