import assert from "node:assert/strict";
import { App } from "./app.ts";
import { formatEvent, sse } from "./sse.ts";

Deno.test("formatEvent() splits data lines and cuts newlines from names and ids", () => {
  assert.equal(formatEvent({ data: "x" }), "data: x\n\n");
  assert.equal(formatEvent({ data: "a\r\nb", retry: 500 }), "retry: 500\ndata: a\ndata: b\n\n");
  assert.equal(
    formatEvent({ data: 1, event: "a\nb", id: "1\n2" }),
    "event: ab\nid: 12\ndata: 1\n\n",
  );
});

Deno.test("sse() streams events to a real client and stops when it goes away", async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  let stopped!: () => void;
  const producerStopped = new Promise<void>((r) => stopped = r);
  const app = new App();
  app.get("/events", (c) =>
    sse(c, async (stream) => {
      await stream.send({ event: "first", data: "1" });
      await stream.comment("keep-alive");
      await released;
      await stream.send({ data: { n: 2 } });
      stream.signal.addEventListener("abort", () => stopped(), { once: true });
      if (stream.signal.aborted) stopped();
      await new Promise((r) => stream.signal.addEventListener("abort", r, { once: true }));
    }));
  await using server = Deno.serve({ port: 0, onListen() {} }, app.fetch);
  const response = await fetch(`http://127.0.0.1:${server.addr.port}/events`);
  assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("keep-alive")) text += (await reader.read()).value;
  assert.equal(text, "event: first\ndata: 1\n\n: keep-alive\n\n");
  release();
  while (!text.includes('{"n":2}')) text += (await reader.read()).value;
  await reader.cancel();
  await producerStopped;
});
