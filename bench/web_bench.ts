/**
 * Router micro-benchmark: kit web's segment trie beside Hono's RegExpRouter and TrieRouter,
 * matching a static path and a two-param path among 100 routes; then the whole framework's
 * cost per request in-process (`app.fetch(request)` up to the Response, no sockets), kit web
 * beside Hono, for plaintext, JSON and params among 100 routes; then kit's engine and kit web
 * together per request over an in-memory connection (head parsing, routing, the handler,
 * serialising the response; no kernel), with the lazy request (`serveIncoming` and
 * `app.fetchIncoming`, what `listen({ engine: "kit" })` runs) beside a web `Request` built
 * for every request (`serve(app.fetch)`).
 *
 *   deno bench -A bench/web_bench.ts
 *
 * Unfair where: Hono's RegExpRouter compiles on first match, which the warm-up pays; each router
 * returns params in its own shape (kit decodes them into an object, RegExpRouter returns
 * indexes into a stash), so "match" means a little more work for kit. The engine group's
 * connection answers every read at once and every write in full, so it shows the JavaScript
 * cost of a request and none of the socket's; each iteration is 100 keep-alive requests on
 * one connection.
 *
 * @module
 */

import { Hono, RegExpRouter, TrieRouter } from "../lib/deps/hono.ts";
import { App, Router } from "../lib/web/mod.ts";
import { ServerConnection, type ServerConnectionConfig } from "../lib/http/server_conn.ts";
import { SERVER_LIMITS, SERVER_TIMEOUTS } from "../lib/http/server.ts";
import { PARAM_PATH, ROUTES } from "./web_routes.ts";

const kit = new Router<number>();
const regexp = new RegExpRouter<number>();
const trie = new TrieRouter<number>();
for (const [i, route] of ["/", "/json", ...ROUTES].entries()) {
  kit.add("GET", route, i);
  regexp.add("GET", route, i);
  trie.add("GET", route, i);
}

// Each case checks its answer once, so a fast wrong router is caught.
const check = (name: string, ok: boolean) => {
  if (!ok) throw new Error(`${name} matched the wrong route`);
};
const kitHit = kit.match("GET", PARAM_PATH);
check("kit", kitHit !== undefined && "value" in kitHit && kitHit.params.item === "abc");
check("RegExpRouter", regexp.match("GET", PARAM_PATH)[0].length === 1);
check("TrieRouter", trie.match("GET", PARAM_PATH)[0].length === 1);

for (const [label, path] of [["static /json", "/json"], ["params among 100 routes", PARAM_PATH]]) {
  Deno.bench({ name: `kit Router: ${label}`, group: label, fn: () => void kit.match("GET", path) });
  Deno.bench({
    name: `Hono RegExpRouter: ${label}`,
    group: label,
    baseline: true,
    fn: () => void regexp.match("GET", path),
  });
  Deno.bench({
    name: `Hono TrieRouter: ${label}`,
    group: label,
    fn: () => void trie.match("GET", path),
  });
}

const kitApp = new App();
const honoApp = new Hono();
kitApp.get("/", (c) => c.text("Hello, World!"));
kitApp.get("/json", (c) => c.json({ message: "Hello, World!" }));
honoApp.get("/", (c) => c.text("Hello, World!"));
honoApp.get("/json", (c) => c.json({ message: "Hello, World!" }));
for (const route of ROUTES) {
  kitApp.get(route, (c) => c.json({ id: c.params.id, item: c.params.item }));
  honoApp.get(route, (c) => c.json({ id: c.req.param("id"), item: c.req.param("item") }));
}
// One Request reused: neither framework reads a body here, and building a Request (about 3 µs)
// would hide the framework's own cost, which is what this group compares.
const info = { remoteAddr: { hostname: "127.0.0.1", port: 1, transport: "tcp" as const } };
for (const [label, path] of [["plaintext", "/"], ["json", "/json"], ["params", PARAM_PATH]]) {
  const request = new Request(`http://localhost:8000${path}`);
  Deno.bench({
    name: `kit App.fetch: ${label}`,
    group: `app ${label}`,
    fn: () => void kitApp.fetch(request, info),
  });
  Deno.bench({
    name: `Hono app.fetch: ${label}`,
    group: `app ${label}`,
    baseline: true,
    fn: () => void honoApp.fetch(request, info),
  });
}

// kit's engine over an in-memory connection: the same request again on each read.
const addr = { transport: "tcp", hostname: "127.0.0.1", port: 1 } as Deno.NetAddr;
const engineConfig = (handler: ServerConnectionConfig["handler"]): ServerConnectionConfig => ({
  handler,
  limits: { ...SERVER_LIMITS },
  timeouts: { ...SERVER_TIMEOUTS },
  secure: false,
  date: true,
  localAddr: addr,
  clock: { now: 0 },
});
const lazy = engineConfig(kitApp.fetchIncoming);
const eager = engineConfig((incoming) => kitApp.fetch(incoming.request, incoming.info));
const REQUESTS = 100;
const EXPECT: Record<string, string> = {
  plaintext: "Hello, World!",
  json: '{"message":"Hello, World!"}',
  params: '{"id":"1234","item":"abc"}',
};

function memoryConn(path: string, onWrite: (bytes: Uint8Array) => void): Deno.Conn {
  const request = new TextEncoder().encode(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n`,
  );
  let left = REQUESTS;
  return {
    remoteAddr: addr,
    localAddr: addr,
    read(p: Uint8Array) {
      if (left-- <= 0) return Promise.resolve(null);
      p.set(request);
      return Promise.resolve(request.length);
    },
    write(p: Uint8Array) {
      onWrite(p);
      return Promise.resolve(p.length);
    },
    close() {},
    closeWrite: () => Promise.resolve(),
    setNoDelay() {},
  } as unknown as Deno.Conn;
}

// The bench functions are `async`: deno bench runs a plain function that returns a promise as
// a synchronous one, without waiting for it.
for (const [label, path] of [["plaintext", "/"], ["json", "/json"], ["params", PARAM_PATH]]) {
  // Checked once per case, so a fast wrong answer is caught.
  for (const config of [lazy, eager]) {
    let last = new Uint8Array();
    await new ServerConnection(memoryConn(path, (b) => last = b.slice()), config).run();
    const text = new TextDecoder().decode(last);
    if (!text.startsWith("HTTP/1.1 200 OK\r\n") || !text.endsWith(`\r\n\r\n${EXPECT[label]}`)) {
      throw new Error(`the engine answered ${label} with ${JSON.stringify(text)}`);
    }
  }
  Deno.bench({
    name: `kit engine + App.fetchIncoming (lazy request): ${label} x${REQUESTS}`,
    group: `engine ${label}`,
    fn: async () => await new ServerConnection(memoryConn(path, () => {}), lazy).run(),
  });
  Deno.bench({
    name: `kit engine + App.fetch (Request per request): ${label} x${REQUESTS}`,
    group: `engine ${label}`,
    baseline: true,
    fn: async () => await new ServerConnection(memoryConn(path, () => {}), eager).run(),
  });
}
