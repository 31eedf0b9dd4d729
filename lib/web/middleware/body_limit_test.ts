import assert from "node:assert/strict";
import { App } from "../app.ts";
import { bodyLimit } from "./body_limit.ts";

function stream(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

Deno.test("bodyLimit() refuses a declared length over the limit before reading", async () => {
  let ran = false;
  const app = new App().use(bodyLimit(10));
  app.post("/", () => {
    ran = true;
    return "x";
  });
  const response = await app.request("/", {
    method: "POST",
    body: "01234567890",
    headers: { "content-length": "11" },
  });
  assert.equal(response.status, 413);
  assert.equal(ran, false);
  await response.body?.cancel();
});

Deno.test("bodyLimit() counts a streamed body and fails it once it goes over", async () => {
  const app = new App().use(bodyLimit(10));
  app.post("/", async (c) => `got ${(await c.bodyText()).length}`);
  const small = await app.request(
    new Request("http://x/", { method: "POST", body: stream(["12345", "6789"]) }),
  );
  assert.equal(await small.text(), "got 9");
  const large = await app.request(
    new Request("http://x/", { method: "POST", body: stream(["123456", "789012"]) }),
  );
  assert.equal(large.status, 413);
  assert.match((await large.json()).error, /larger than 10 bytes/);
});
