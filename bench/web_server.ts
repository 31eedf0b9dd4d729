/**
 * One server for bench/web.sh: `deno run -A bench/web_server.ts KIND [PORT]`, KIND being
 * `kit-kit` (kit web on kit's engine), `kit-deno` (kit web on Deno.serve), `hono` (Hono on
 * Deno.serve) or `bare` (a hand-written Deno.serve handler). Every kind answers the same
 * three things: `/` (plaintext), `/json`, and the 100 two-param routes of web_routes.ts.
 * Prints `listening on http://HOST:PORT` once bound; SIGTERM stops it.
 *
 * @module
 */

import { Hono } from "../lib/deps/hono.ts";
import { App } from "../lib/web/mod.ts";
import { ROUTES } from "./web_routes.ts";

const [kind = "kit-deno", portArg = "0"] = Deno.args;
const port = Number(portArg);
const announce = (addr: Deno.NetAddr) => {
  // deno-lint-ignore no-console
  console.log(`listening on http://${addr.hostname}:${addr.port}`);
};
const stop = new AbortController();
Deno.addSignalListener("SIGTERM", () => stop.abort());

if (kind === "kit-kit" || kind === "kit-deno") {
  const app = new App();
  app.get("/", (c) => c.text("Hello, World!"));
  app.get("/json", (c) => c.json({ message: "Hello, World!" }));
  for (const route of ROUTES) {
    app.get(route, (c) => c.json({ id: c.params.id, item: c.params.item }));
  }
  const server = await app.listen({
    engine: kind === "kit-kit" ? "kit" : "deno",
    port,
    signal: stop.signal,
    onListen: announce,
  });
  await server.finished;
} else if (kind === "hono") {
  const app = new Hono();
  app.get("/", (c) => c.text("Hello, World!"));
  app.get("/json", (c) => c.json({ message: "Hello, World!" }));
  for (const route of ROUTES) {
    app.get(route, (c) => c.json({ id: c.req.param("id"), item: c.req.param("item") }));
  }
  await Deno.serve(
    { port, hostname: "127.0.0.1", signal: stop.signal, onListen: announce },
    app.fetch,
  )
    .finished;
} else if (kind === "bare") {
  // The floor: no router beyond a switch, a regexp for the param routes.
  const param = /^\/api\/v\d\/res\d+\/([^/]+)\/items\/([^/]+)$/;
  await Deno.serve(
    { port, hostname: "127.0.0.1", signal: stop.signal, onListen: announce },
    (req) => {
      const url = req.url;
      const path = url.slice(url.indexOf("/", 8));
      if (path === "/") return new Response("Hello, World!");
      if (path === "/json") return Response.json({ message: "Hello, World!" });
      const m = param.exec(path);
      if (m) return Response.json({ id: m[1], item: m[2] });
      return new Response("Not Found", { status: 404 });
    },
  ).finished;
} else {
  throw new TypeError(`Unknown server kind "${kind}": use kit-kit, kit-deno, hono or bare`);
}
