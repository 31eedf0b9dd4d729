/**
 * The local server the HTTP benchmarks download from: `deno run -A bench/http_server.ts [PORT]`
 * prints `listening on http://127.0.0.1:PORT` and serves until killed.
 *
 * - `GET /bytes/N`: N bytes (zeros), streamed in 256 KiB chunks with a Content-Length, and
 *   Range requests (`bytes=A-`) answered with 206, so resumed downloads can be timed too.
 * - `GET /small`: a 13-byte JSON body, for many small keep-alive requests.
 *
 * It runs in its own process so that the client measured does not share its thread.
 *
 * @module
 */

const CHUNK = new Uint8Array(256 * 1024);

function zeros(length: number): ReadableStream<Uint8Array> {
  let left = length;
  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      if (left === 0) return controller.close();
      const n = Math.min(left, CHUNK.length);
      // A fresh copy each time: an enqueued chunk is transferred and cannot be reused.
      controller.enqueue(CHUNK.slice(0, n));
      left -= n;
    },
  });
}

function handle(request: Request): Response {
  const url = new URL(request.url);
  if (url.pathname === "/small") {
    return new Response('{"ok": true}\n', { headers: { "content-type": "application/json" } });
  }
  const bytes = url.pathname.match(/^\/bytes\/(\d+)$/);
  if (bytes) {
    const size = Number(bytes[1]);
    const range = request.headers.get("range")?.match(/^bytes=(\d+)-$/);
    const start = range ? Math.min(Number(range[1]), size) : 0;
    const headers = new Headers({
      "content-type": "application/octet-stream",
      "content-length": String(size - start),
    });
    if (range) headers.set("content-range", `bytes ${start}-${size - 1}/${size}`);
    return new Response(zeros(size - start), { status: range ? 206 : 200, headers });
  }
  return new Response("not found\n", { status: 404 });
}

const port = Number(Deno.args[0] ?? 0);
Deno.serve({
  hostname: "127.0.0.1",
  port,
  onListen: ({ port }) => {
    // The one line the scripts wait for: the address to fetch from.
    // deno-lint-ignore no-console
    console.log(`listening on http://127.0.0.1:${port}`);
  },
}, handle);
