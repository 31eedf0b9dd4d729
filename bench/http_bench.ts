/**
 * Many small keep-alive GETs: kit's HTTP client beside Deno's fetch and undici, in one run.
 *
 *   deno bench -A bench/http_bench.ts
 *
 * Each iteration is one `GET /small` (a 13-byte JSON body) over a kept-alive connection to
 * bench/http_server.ts, which runs in its own process so the server does not share the
 * client's thread. Target: kit at least as fast as fetch.
 *
 * @module
 */

import { Pool } from "undici";
import { HttpClient } from "kit/http";

async function startServer(): Promise<{ base: string; child: Deno.ChildProcess }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", new URL("./http_server.ts", import.meta.url).pathname, "0"],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("bench server exited before listening");
    text += value;
  }
  reader.releaseLock();
  return { base: text.trim().replace(/^listening on /, ""), child };
}

const { base, child } = await startServer();
const url = `${base}/small`;
const kit = new HttpClient();
const undici = new Pool(base, { connections: 1, pipelining: 1 });

globalThis.addEventListener("unload", () => {
  kit.close();
  void undici.close();
  child.kill();
});

Deno.bench(
  "kit http client: GET /small, keep-alive",
  { group: "small GET", baseline: true },
  async () => {
    const response = await kit.request("GET", url).send();
    await response.bytes();
  },
);

Deno.bench("fetch: GET /small, keep-alive", { group: "small GET" }, async () => {
  const response = await fetch(url);
  await response.arrayBuffer();
});

Deno.bench("undici Pool: GET /small, keep-alive", { group: "small GET" }, async () => {
  const { body } = await undici.request({ path: "/small", method: "GET" });
  await body.arrayBuffer();
});
