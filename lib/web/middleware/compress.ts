/**
 * Response compression, gzip or brotli as the client's `Accept-Encoding` prefers, through
 * the built-in CompressionStream (streamed, never buffered).
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { Middleware, Next } from "../compose.ts";

/** Options of {@linkcode compress}. */
export interface CompressOptions {
  /** Bodies smaller than this (when their length is known) are sent as they are. @default 1024 */
  threshold?: number;
  /** The encodings offered, best first. @default ["br", "gzip"] */
  encodings?: ("br" | "gzip")[];
}

/** Types worth compressing: text, JSON, JavaScript, XML, SVG, event streams are not. */
const COMPRESSIBLE =
  /^(text\/(?!event-stream)|application\/(json|javascript|xml|[\w.+-]+\+(json|xml))|image\/svg\+xml)/i;

/**
 * Picks the encoding from an `Accept-Encoding` header, honouring q-values.
 *
 * @example
 * ```ts
 * import { pickEncoding } from "./compress.ts";
 * import assert from "node:assert/strict";
 * assert.equal(pickEncoding("gzip, br", ["br", "gzip"]), "br");
 * assert.equal(pickEncoding("br;q=0, gzip", ["br", "gzip"]), "gzip");
 * assert.equal(pickEncoding("identity", ["br", "gzip"]), undefined);
 * ```
 *
 * @param header The request header.
 * @param offered The encodings the server offers, best first.
 * @returns The chosen encoding, or `undefined`.
 */
export function pickEncoding(header: string, offered: string[]): string | undefined {
  const q = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    q.set(name, qp ? Number(qp.slice(2)) || 0 : 1);
  }
  let best: string | undefined;
  let bestQ = 0;
  for (const enc of offered) {
    const weight = q.get(enc) ?? q.get("*") ?? 0;
    if (weight > bestQ) [best, bestQ] = [enc, weight];
  }
  return best;
}

/**
 * Compresses compressible responses for clients that accept it; sets `Content-Encoding` and
 * `Vary: Accept-Encoding`, drops `Content-Length`, and weakens a strong `ETag` (the bytes
 * differ from the identity representation's).
 *
 * @example
 * ```ts
 * import { App } from "../app.ts";
 * import { compress } from "./compress.ts";
 * import assert from "node:assert/strict";
 * const app = new App().use(compress({ threshold: 0 }));
 * app.get("/", () => "hello ".repeat(100));
 * const response = await app.request("/", { headers: { "accept-encoding": "gzip" } });
 * assert.equal(response.headers.get("content-encoding"), "gzip");
 * const text = await new Response(response.body!.pipeThrough(new DecompressionStream("gzip"))).text();
 * assert.equal(text, "hello ".repeat(100));
 * ```
 *
 * @param options Threshold and encodings.
 * @returns The middleware.
 */
export function compress(options: CompressOptions = {}): Middleware {
  const threshold = options.threshold ?? 1024;
  const offered = options.encodings ?? ["br", "gzip"];
  return async function compress(c: Context, next: Next) {
    const response = await next();
    const accept = c.req.headers.get("accept-encoding");
    const headers = response.headers;
    if (
      !accept || response.body === null || c.method === "HEAD" || response.status === 204 ||
      response.status === 206 || response.status === 304 || headers.has("content-encoding") ||
      !COMPRESSIBLE.test(headers.get("content-type") ?? "") ||
      /no-transform/i.test(headers.get("cache-control") ?? "")
    ) return;
    const length = headers.get("content-length");
    if (length !== null && Number(length) < threshold) return;
    const encoding = pickEncoding(accept, offered);
    headers.append("vary", "Accept-Encoding");
    if (encoding === undefined) return;
    let body: ReadableStream<Uint8Array> = response.body;
    if (length === null && threshold > 0) {
      const peeked = await peek(body, threshold);
      if (peeked instanceof Uint8Array) {
        c.res = new Response(peeked, response);
        return;
      }
      body = peeked;
    }
    const out = new Response(
      (body as ReadableStream<Uint8Array<ArrayBuffer>>).pipeThrough(
        new CompressionStream(encoding === "br" ? "brotli" : "gzip"),
      ),
      response,
    );
    out.headers.delete("content-length");
    out.headers.set("content-encoding", encoding);
    const etag = out.headers.get("etag");
    if (etag && !etag.startsWith("W/")) out.headers.set("etag", `W/${etag}`);
    c.res = out;
  };
}

/**
 * Bodies made from a string or bytes carry no `Content-Length` header before they are sent;
 * reading chunks up to the threshold tells whether one is small without buffering a large or
 * endless stream. Returns the whole small body, or a stream giving back what was read first.
 */
async function peek(
  body: ReadableStream<Uint8Array>,
  threshold: number,
): Promise<Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < threshold) {
    const { done, value } = await reader.read();
    if (done) {
      const all = new Uint8Array(size);
      let at = 0;
      for (const chunk of chunks) all.set(chunk, at), at += chunk.length;
      return all;
    }
    chunks.push(value);
    size += value.length;
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const first = chunks.shift();
      if (first) return controller.enqueue(first);
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
