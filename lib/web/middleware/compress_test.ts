import assert from "node:assert/strict";
import { App } from "../app.ts";
import { compress, pickEncoding } from "./compress.ts";

const big = "kit web ".repeat(500);

async function decode(response: Response, format: CompressionFormat | "brotli"): Promise<string> {
  const stream = response.body!.pipeThrough(new DecompressionStream(format as CompressionFormat));
  return await new Response(stream).text();
}

Deno.test("pickEncoding() honours q-values and the wildcard", () => {
  assert.equal(pickEncoding("gzip;q=0.5, br;q=0.4", ["br", "gzip"]), "gzip");
  assert.equal(pickEncoding("*", ["br", "gzip"]), "br");
  assert.equal(pickEncoding("*;q=0, gzip", ["br", "gzip"]), "gzip");
});

Deno.test("compress() sends brotli or gzip by Accept-Encoding, and the bytes come back", async () => {
  const app = new App().use(compress());
  app.get("/", (c) => c.text(big, 200, { etag: '"v1"' }));
  const br = await app.request("/", { headers: { "accept-encoding": "gzip, br" } });
  assert.equal(br.headers.get("content-encoding"), "br");
  assert.equal(br.headers.get("vary"), "Accept-Encoding");
  assert.equal(br.headers.get("etag"), 'W/"v1"');
  assert.equal(await decode(br, "brotli"), big);
  const gz = await app.request("/", { headers: { "accept-encoding": "gzip" } });
  assert.equal(gz.headers.get("content-encoding"), "gzip");
  assert.equal(await decode(gz, "gzip"), big);
});

Deno.test("compress() leaves small, binary, already-encoded and unaccepted bodies alone", async () => {
  const app = new App().use(compress());
  app.get("/small", () => "tiny");
  app.get(
    "/binary",
    () => new Response(new Uint8Array(5000), { headers: { "content-type": "image/png" } }),
  );
  app.get(
    "/encoded",
    () =>
      new Response(big, {
        headers: { "content-type": "text/plain", "content-encoding": "identity" },
      }),
  );
  app.get("/big", () => big);
  const accept = { headers: { "accept-encoding": "gzip, br" } };
  for (const path of ["/small", "/binary", "/encoded"]) {
    const response = await app.request(path, accept);
    assert.notEqual(response.headers.get("content-encoding"), "gzip", path);
    assert.notEqual(response.headers.get("content-encoding"), "br", path);
    await response.body?.cancel();
  }
  const plain = await app.request("/big");
  assert.equal(plain.headers.get("content-encoding"), null);
  assert.equal(await plain.text(), big);
});
