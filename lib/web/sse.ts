/**
 * Server-Sent Events: a response whose body is a stream of events the handler writes.
 *
 * @module
 */

import type { Context } from "./context.ts";

/** One event. */
export interface SseEvent {
  /** The data; several lines become several `data:` fields. Objects are sent as JSON. */
  data: unknown;
  /** The event name (`event:`). */
  event?: string;
  /** The id (`id:`), which the browser sends back as `Last-Event-ID` on reconnect. */
  id?: string;
  /** The reconnect delay for the browser, in milliseconds (`retry:`). */
  retry?: number;
}

/** What a handler writes events through. */
export interface SseStream {
  /** Sends an event; resolves once the client's side of the stream has room. */
  send(event: SseEvent): Promise<void>;
  /** Sends a comment line, which keeps proxies from closing an idle stream. */
  comment(text: string): Promise<void>;
  /** Aborted when the client goes away or the stream is closed. */
  readonly signal: AbortSignal;
  /** Ends the stream. */
  close(): void;
}

const encoder = new TextEncoder();

/**
 * Formats one event as its wire text.
 *
 * @example
 * ```ts
 * import { formatEvent } from "./sse.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatEvent({ event: "tick", id: "1", data: "a\nb" }), "event: tick\nid: 1\ndata: a\ndata: b\n\n");
 * ```
 *
 * @param event The event.
 * @returns The text.
 */
export function formatEvent(event: SseEvent): string {
  let out = "";
  // Newlines in a name or id would start another field: they are cut.
  if (event.event !== undefined) out += `event: ${event.event.replace(/[\r\n]/g, "")}\n`;
  if (event.id !== undefined) out += `id: ${event.id.replace(/[\r\n\0]/g, "")}\n`;
  if (event.retry !== undefined) out += `retry: ${Math.floor(event.retry)}\n`;
  const data = typeof event.data === "string" ? event.data : JSON.stringify(event.data);
  for (const line of data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return out + "\n";
}

/**
 * Answers with an event stream; `run` writes events and the stream ends when it returns, or
 * earlier when the client goes away (then `stream.signal` is aborted).
 *
 * @example
 * ```ts
 * import { App } from "./app.ts";
 * import { sse } from "./sse.ts";
 * import assert from "node:assert/strict";
 * const app = new App();
 * app.get("/events", (c) => sse(c, async (stream) => {
 *   await stream.send({ event: "hello", data: { n: 1 } });
 * }));
 * const response = await app.request("/events");
 * assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
 * assert.equal(await response.text(), 'event: hello\ndata: {"n":1}\n\n');
 * ```
 *
 * @param c The context.
 * @param run Writes the events.
 * @returns The response.
 */
export function sse(c: Context, run: (stream: SseStream) => Promise<void> | void): Response {
  const aborter = new AbortController();
  const onAbort = () => aborter.abort();
  c.req.signal.addEventListener("abort", onAbort, { once: true });
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>(
    undefined,
    undefined,
    { highWaterMark: 8 },
  );
  const writer = writable.getWriter();
  const close = () => {
    c.req.signal.removeEventListener("abort", onAbort);
    if (!aborter.signal.aborted) aborter.abort();
    writer.close().catch(() => {});
  };
  const write = async (text: string) => {
    if (aborter.signal.aborted) return;
    try {
      await writer.write(encoder.encode(text));
    } catch {
      // The client went away: the reader was cancelled.
      aborter.abort();
    }
  };
  const stream: SseStream = {
    send: (event) => write(formatEvent(event)),
    comment: (text) => write(`: ${text.replace(/[\r\n]/g, " ")}\n\n`),
    signal: aborter.signal,
    close,
  };
  queueMicrotask(async () => {
    try {
      await run(stream);
    } catch {
      // An error in the producer ends the stream; the status is long sent.
    } finally {
      close();
    }
  });
  return new Response(readable, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
    },
  });
}
