/**
 * Router micro-benchmark: kit web's segment trie beside Hono's RegExpRouter and TrieRouter,
 * matching a static path and a two-param path among 100 routes; then the whole framework's
 * cost per request in-process (`app.fetch(request)` up to the Response, no sockets), kit web
 * beside Hono, for plaintext, JSON and params among 100 routes.
 *
 *   deno bench -A bench/web_bench.ts
 *
 * Unfair where: Hono's RegExpRouter compiles on first match, which the warm-up pays; each router
 * returns params in its own shape (kit decodes them into an object, RegExpRouter returns
 * indexes into a stash), so "match" means a little more work for kit.
 *
 * @module
 */

import { Hono, RegExpRouter, TrieRouter } from "../lib/deps/hono.ts";
import { App, Router } from "../lib/web/mod.ts";
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
