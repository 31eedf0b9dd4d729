/**
 * Message body framing (RFC 9112 §6): which framing a head announces, and a body stream that
 * reads exactly that much from a byte source, leaving the next message's bytes in place.
 *
 * @module
 */
import { HttpError, protocolError } from "./errors.ts";
import type { HttpHeaders } from "./headers.ts";
import type { RequestHead, ResponseHead } from "./head_parser.ts";
import { ChunkedDecoder, type ChunkedLimits } from "./chunked.ts";
import { utf8Bytes } from "./_bytes.ts";

/** How a message body is delimited. */
export type BodyFraming =
  | { kind: "none" }
  | { kind: "length"; length: number }
  | { kind: "chunked" }
  | { kind: "close" };

/** A response's framing and whether the connection can carry another request afterwards. */
export interface ResponseFraming {
  /** How the body is delimited. */
  framing: BodyFraming;
  /** False when the peer asked to close, or the framing forces it. */
  keepAlive: boolean;
}

/** Where body bytes come from: a connection with a push-back for bytes of the next message. */
export interface ByteSource {
  /** The next bytes; the caller may keep the array. Null at end of stream. */
  read(): Promise<Uint8Array | null>;
  /** Puts bytes back to be returned by the next read. */
  unread(bytes: Uint8Array): void;
}

/**
 * The value of Content-Length header lines: one number, or repeats of the same number
 * (RFC 9110 §8.6 allows "42, 42"); anything else is a protocol error.
 *
 * @example
 * ```ts
 * import { parseContentLength } from "./body.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseContentLength(["42", "42, 42"]), 42);
 * assert.equal(parseContentLength([]), null);
 * assert.throws(() => parseContentLength(["1", "2"]), /conflicting Content-Length/);
 * ```
 *
 * @param values Every Content-Length value.
 * @returns The length, or null when there is none.
 */
export function parseContentLength(values: string[]): number | null {
  let length: number | null = null;
  for (const value of values) {
    for (const part of value.split(",")) {
      const text = part.trim();
      // 15 digits keep the number exact; a longer one is refused rather than rounded.
      if (!/^\d{1,15}$/.test(text)) {
        throw protocolError("invalid Content-Length", utf8Bytes(value));
      }
      const n = Number(text);
      if (length !== null && n !== length) {
        throw protocolError("conflicting Content-Length", utf8Bytes(values.join(", ")));
      }
      length = n;
    }
  }
  return length;
}

/** Whether the last transfer coding is chunked; throws when chunked is listed before another. */
function chunkedLast(headers: HttpHeaders): boolean {
  const codings = headers.getAll("transfer-encoding").join(",").split(",").map((s) =>
    s.trim().toLowerCase()
  ).filter((s) => s !== "");
  const i = codings.indexOf("chunked");
  if (i !== -1 && i !== codings.length - 1) {
    throw protocolError("chunked is not the last transfer coding", utf8Bytes(codings.join(", ")));
  }
  return codings[codings.length - 1] === "chunked";
}

/** Whether the Connection header lists `token`. */
function connectionHas(headers: HttpHeaders, token: string): boolean {
  return headers.getAll("connection").some((v) =>
    v.split(",").some((t) => t.trim().toLowerCase() === token)
  );
}

/**
 * Whether a message lets the connection stay open: HTTP/1.1 unless "Connection: close",
 * HTTP/1.0 only with "Connection: keep-alive".
 *
 * @example
 * ```ts
 * import { keepAlive } from "./body.ts";
 * import { HttpHeaders } from "./headers.ts";
 * import assert from "node:assert/strict";
 * assert.ok(keepAlive("HTTP/1.1", new HttpHeaders()));
 * assert.ok(!keepAlive("HTTP/1.0", new HttpHeaders()));
 * ```
 *
 * @param version The message's version.
 * @param headers Its headers.
 * @returns True when another message may follow on the connection.
 */
export function keepAlive(version: string, headers: HttpHeaders): boolean {
  if (connectionHas(headers, "close")) return false;
  return version === "HTTP/1.1" || connectionHas(headers, "keep-alive");
}

/**
 * The framing of a response to a `method` request (RFC 9112 §6.3): none for HEAD, 1xx, 204,
 * 304 and a 2xx to CONNECT; chunked when chunked is the last transfer coding (it overrides a
 * Content-Length, and the connection is closed afterwards since the message is suspect);
 * read-until-close for other transfer codings or without any length; else Content-Length.
 *
 * @example
 * ```ts
 * import { responseFraming } from "./body.ts";
 * import { HttpHeaders } from "./headers.ts";
 * import assert from "node:assert/strict";
 * const head = { version: "HTTP/1.1", status: 200, reason: "OK", raw: new Uint8Array(),
 *   headers: new HttpHeaders([["Content-Length", "5"]]) };
 * assert.deepEqual(responseFraming(head, "GET").framing, { kind: "length", length: 5 });
 * assert.deepEqual(responseFraming(head, "HEAD").framing, { kind: "none" });
 * ```
 *
 * @param head The response head.
 * @param method The request method.
 * @returns The framing and whether the connection stays usable.
 */
export function responseFraming(head: ResponseHead, method: string): ResponseFraming {
  const { status, headers } = head;
  let alive = keepAlive(head.version, headers);
  if (
    method === "HEAD" || (status >= 100 && status < 200) || status === 204 || status === 304
  ) {
    return { framing: { kind: "none" }, keepAlive: alive };
  }
  if (method === "CONNECT" && status >= 200 && status < 300) {
    return { framing: { kind: "none" }, keepAlive: false };
  }
  if (headers.has("transfer-encoding")) {
    // HTTP/1.0 has no transfer codings, and a message with both headers may be a smuggling
    // attempt: read it, then close (RFC 9112 §6.1).
    if (head.version !== "HTTP/1.1" || headers.has("content-length")) alive = false;
    if (chunkedLast(headers)) return { framing: { kind: "chunked" }, keepAlive: alive };
    return { framing: { kind: "close" }, keepAlive: false };
  }
  const length = parseContentLength(headers.getAll("content-length"));
  if (length !== null) return { framing: { kind: "length", length }, keepAlive: alive };
  return { framing: { kind: "close" }, keepAlive: false };
}

/**
 * The framing of a request body (RFC 9112 §6.3): chunked when it is the last transfer coding,
 * else Content-Length, else none. A request with both headers, or with a transfer coding other
 * than chunked last, is refused: a server cannot tell where it ends.
 *
 * @example
 * ```ts
 * import { requestFraming } from "./body.ts";
 * import { HttpHeaders } from "./headers.ts";
 * import assert from "node:assert/strict";
 * const head = { method: "POST", target: "/", version: "HTTP/1.1", raw: new Uint8Array(),
 *   headers: new HttpHeaders([["Transfer-Encoding", "chunked"]]) };
 * assert.deepEqual(requestFraming(head), { kind: "chunked" });
 * ```
 *
 * @param head The request head.
 * @returns The framing.
 */
export function requestFraming(head: RequestHead): BodyFraming {
  const { headers } = head;
  if (headers.has("transfer-encoding")) {
    if (headers.has("content-length")) {
      throw protocolError(
        "request with both Transfer-Encoding and Content-Length",
        utf8Bytes(headers.get("transfer-encoding")!),
      );
    }
    if (!chunkedLast(headers)) {
      throw protocolError(
        "request transfer coding not ending in chunked",
        utf8Bytes(headers.get("transfer-encoding")!),
      );
    }
    return { kind: "chunked" };
  }
  const length = parseContentLength(headers.getAll("content-length"));
  return length === null || length === 0 ? { kind: "none" } : { kind: "length", length };
}

/**
 * Whether a request asks for "100 Continue" before it sends its body.
 *
 * @example
 * ```ts
 * import { expectsContinue } from "./body.ts";
 * import { HttpHeaders } from "./headers.ts";
 * import assert from "node:assert/strict";
 * assert.ok(expectsContinue(new HttpHeaders([["Expect", "100-Continue"]])));
 * ```
 *
 * @param headers The request headers.
 * @returns True when Expect holds 100-continue.
 */
export function expectsContinue(headers: HttpHeaders): boolean {
  return headers.getAll("expect").some((v) => v.trim().toLowerCase() === "100-continue");
}

/** Options for {@linkcode bodyStream}. */
export interface BodyStreamOptions {
  /** Called once when the body has been read to its end (true) or failed or was cancelled (false). */
  onEnd?: (complete: boolean) => void;
  /** Limits for a chunked body. */
  chunked?: ChunkedLimits;
  /** Called with the trailer fields and chunk extensions once a chunked body is complete. */
  onTrailers?: (trailers: [string, string][], extensions: string[]) => void;
  /** Chunks read ahead of the reader: 1 overlaps reading and processing, 0 reads only on
   * demand (needed when the source reuses its buffer). @default 1 */
  highWaterMark?: number;
  /** Turns an error of the source into the error the stream fails with. */
  mapError?: (error: unknown) => unknown;
}

/**
 * A stream of a message body read from `source` with `framing`. It pulls only when the reader
 * asks (backpressure), hands on the source's arrays without copying, and pushes back any bytes
 * past the end. An early end of stream fails it with HttpError("body").
 *
 * @example
 * ```ts
 * import { bodyStream, type ByteSource } from "./body.ts";
 * import assert from "node:assert/strict";
 * const chunks = [new TextEncoder().encode("hello, next")];
 * let back: Uint8Array | null = null;
 * const source: ByteSource = {
 *   read: () => Promise.resolve(chunks.shift() ?? null),
 *   unread: (b) => { back = b; },
 * };
 * const text = await new Response(bodyStream(source, { kind: "length", length: 5 })).text();
 * assert.equal(text, "hello");
 * assert.equal(new TextDecoder().decode(back!), ", next");
 * ```
 *
 * @param source Where the bytes come from.
 * @param framing How the body is delimited.
 * @param options End callback, chunked limits, error mapping.
 * @returns The body stream.
 */
export function bodyStream(
  source: ByteSource,
  framing: BodyFraming,
  options: BodyStreamOptions = {},
): ReadableStream<Uint8Array> {
  let ended = false;
  const end = (complete: boolean) => {
    if (ended) return;
    ended = true;
    options.onEnd?.(complete);
  };
  const mapError = options.mapError ?? ((e: unknown) => e);
  if (framing.kind === "none" || (framing.kind === "length" && framing.length === 0)) {
    return new ReadableStream({
      start(controller) {
        controller.close();
        end(true);
      },
    });
  }
  let remaining = framing.kind === "length" ? framing.length : 0;
  let received = 0;
  const decoder = framing.kind === "chunked" ? new ChunkedDecoder(options.chunked) : null;

  async function pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    // Loop until something is enqueued: a read may carry only chunk framing and no data.
    while (true) {
      let chunk: Uint8Array | null;
      try {
        chunk = await source.read();
      } catch (error) {
        throw mapError(error);
      }
      if (chunk === null) {
        if (framing.kind === "close") {
          controller.close();
          end(true);
          return;
        }
        const what = framing.kind === "length"
          ? `connection closed after ${received} of ${framing.length} body bytes`
          : `connection closed inside a chunked body after ${received} bytes`;
        throw new HttpError("body", what);
      }
      if (framing.kind === "close") {
        received += chunk.length;
        controller.enqueue(chunk);
        return;
      }
      if (framing.kind === "length") {
        if (chunk.length > remaining) {
          source.unread(chunk.subarray(remaining));
          chunk = chunk.subarray(0, remaining);
        }
        remaining -= chunk.length;
        received += chunk.length;
        controller.enqueue(chunk);
        if (remaining === 0) {
          controller.close();
          end(true);
        }
        return;
      }
      const out = decoder!.push(chunk);
      for (const data of out.data) {
        received += data.length;
        controller.enqueue(data);
      }
      if (out.done) {
        if (out.rest.length > 0) source.unread(out.rest);
        options.onTrailers?.(decoder!.trailers, decoder!.extensions);
        controller.close();
        end(true);
        return;
      }
      if (out.data.length > 0) return;
    }
  }

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        await pull(controller);
      } catch (error) {
        end(false);
        throw error;
      }
    },
    cancel() {
      end(false);
    },
  }, { highWaterMark: options.highWaterMark ?? 1 });
}
