/**
 * Many small keep-alive GETs: kit's HTTP client beside Deno's fetch and undici, in one run.
 *
 *   deno bench -A bench/http_bench.ts
 *
 * Each iteration is 50 `GET /small` requests (a 13-byte JSON body) one after another over a
 * kept-alive connection to bench/http_server.ts, which runs in its own process so the server
 * does not share the client's thread; 50 per iteration so that one slow round trip of a busy
 * machine moves an iteration's time less. Target: kit at least as fast as fetch.
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
const PER_ITERATION = 50;
const kit = new HttpClient();
const undici = new Pool(base, { connections: 1, pipelining: 1 });

// The server is a fresh process: its JIT warms up on the first thousands of requests, which
// would land on whichever client runs first. Warm it up before anything is timed.
for (let i = 0; i < 5000; i++) await (await fetch(url)).arrayBuffer();

globalThis.addEventListener("unload", () => {
  kit.close();
  void undici.close();
  child.kill();
});

Deno.bench(
  "kit http client: 50 × GET /small, keep-alive",
  { group: "small GET", baseline: true },
  async () => {
    for (let i = 0; i < PER_ITERATION; i++) {
      const response = await kit.request("GET", url).send();
      await response.bytes();
    }
  },
);

Deno.bench("fetch: 50 × GET /small, keep-alive", { group: "small GET" }, async () => {
  for (let i = 0; i < PER_ITERATION; i++) {
    const response = await fetch(url);
    await response.arrayBuffer();
  }
});

Deno.bench("undici Pool: 50 × GET /small, keep-alive", { group: "small GET" }, async () => {
  for (let i = 0; i < PER_ITERATION; i++) {
    const { body } = await undici.request({ path: "/small", method: "GET" });
    await body.arrayBuffer();
  }
});
