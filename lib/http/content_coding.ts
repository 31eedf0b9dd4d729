/**
 * Decoding of Content-Encoding (RFC 9110 §8.4) as a stream, so a large compressed body is
 * never held whole in memory.
 *
 * @module
 */

import { createGunzip, createInflate, createInflateRaw } from "node:zlib";
import { concat } from "../bytes/mod.ts";
import { HttpError } from "./errors.ts";

/** The Accept-Encoding value for the codings {@linkcode decodeContent} understands. */
export const ACCEPT_ENCODING = "gzip, deflate, br";

/** A node:zlib decompressor, seen as the small part of a Transform stream used here. */
interface Decoder {
  write(chunk: Uint8Array, callback: (error?: Error | null) => void): boolean;
  end(): void;
  read(): Uint8Array | null;
  destroy(): void;
  on(event: "readable" | "end", listener: () => void): void;
  on(event: "error", listener: (error: Error) => void): void;
}

const DECODERS: Record<string, (head: Uint8Array) => Decoder> = {
  gzip: () => createGunzip(),
  "x-gzip": () => createGunzip(),
  // "deflate" should be zlib-wrapped (RFC 9110 §8.4.1.2), but some servers send raw deflate.
  deflate: (head) => isZlibHeader(head) ? createInflate() : createInflateRaw(),
};

const CODINGS = new Set([...Object.keys(DECODERS), "br"]);

// Brotli input is fed in small slices so that one step of the decoder yields a bounded amount of
// output for ordinary content, and the output is handed on in pieces of at most OUTPUT_CHUNK.
const BROTLI_SLICE = 1024;
const OUTPUT_CHUNK = 64 * 1024;

/**
 * Decodes a body per its Content-Encoding: a comma list, undone last-applied first, of gzip,
 * x-gzip, deflate (zlib-wrapped, or raw as some servers send it), br and identity.
 * Memory stays bounded: input is read only as fast as the output is consumed. An empty body
 * decodes to an empty body, as browsers accept.
 *
 * @example
 * ```ts
 * import { decodeContent } from "./content_coding.ts";
 * import { gzipSync } from "node:zlib";
 * import assert from "node:assert/strict";
 * const body = new Blob([new Uint8Array(gzipSync("hello"))]).stream();
 * assert.equal(await new Response(decodeContent("gzip", body)).text(), "hello");
 * ```
 *
 * @param contentEncoding The header value, or null when absent.
 * @param body The body as received.
 * @returns The decoded body; `body` itself when there is nothing to decode.
 * @throws {HttpError} Kind "body" on an unknown coding; the returned stream fails with kind
 * "body" on corrupt or truncated data.
 */
export function decodeContent(
  contentEncoding: string | null,
  body: ReadableStream<Uint8Array>,
): ReadableStream<Uint8Array> {
  if (contentEncoding === null) return body;
  const codings = contentEncoding.split(",").map((c) => c.trim().toLowerCase())
    .filter((c) => c !== "" && c !== "identity");
  for (const coding of codings) {
    if (!CODINGS.has(coding)) {
      throw new HttpError("body", `unsupported content encoding: "${coding}"`);
    }
  }
  let stream = body;
  for (const coding of codings.reverse()) {
    stream = coding === "br" ? decodeBrotli(stream) : decodeOne(coding, stream);
  }
  return stream;
}

/** Whether the first two bytes are a zlib header (RFC 1950 §2.2): method 8 and a valid check. */
function isZlibHeader(head: Uint8Array): boolean {
  return head.length >= 2 && (head[0] & 0x0f) === 8 && (head[0] >> 4) <= 7 &&
    ((head[0] << 8) | head[1]) % 31 === 0;
}

/**
 * Brotli through the platform's DecompressionStream: node:zlib's brotli decoder on Deno does not
 * report a truncated stream, which would let a cut-off body pass as complete.
 */
function decodeBrotli(input: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = input.getReader();
  // The transport's own error must pass through unchanged, not become a decoding error.
  let inputError: { error: unknown } | null = null;
  let sawBytes = false;
  const source = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        inputError = { error };
        throw error;
      }
      if (result.done) {
        controller.close();
        return;
      }
      const chunk = result.value;
      if (chunk.length > 0) sawBytes = true;
      for (let i = 0; i < chunk.length; i += BROTLI_SLICE) {
        controller.enqueue(chunk.subarray(i, i + BROTLI_SLICE));
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
  // The cast: the DOM types want ArrayBuffer-backed chunks and do not list "brotli", which Deno has.
  const format = "brotli" as CompressionFormat;
  const brotli = new DecompressionStream(format) as unknown as TransformStream<
    Uint8Array,
    Uint8Array
  >;
  const decoded = source.pipeThrough(brotli).getReader();
  let rest: Uint8Array | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (rest === null || rest.length === 0) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await decoded.read();
        } catch (error) {
          if (inputError !== null && inputError.error === error) throw error;
          // An empty body is an empty body, whatever its Content-Encoding says.
          if (!sawBytes && inputError === null) {
            controller.close();
            return;
          }
          const detail = error instanceof Error ? error.message : String(error);
          throw new HttpError("body", `cannot decode br body: ${detail}`, { cause: error });
        }
        if (result.done) {
          controller.close();
          return;
        }
        rest = result.value;
      }
      controller.enqueue(rest.subarray(0, OUTPUT_CHUNK));
      rest = rest.subarray(OUTPUT_CHUNK);
    },
    async cancel(reason) {
      // Cancel the input directly too: through the pipe the cancel arrives only later.
      await Promise.all([decoded.cancel(reason), reader.cancel(reason)]);
    },
  }, { highWaterMark: 0 });
}

/** One decoding step: pulls input only when the decoder has no output for the consumer. */
function decodeOne(coding: string, input: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = input.getReader();
  let decoder: Decoder | null = null;
  let inputDone = false;
  let writing = false;
  let ended = false;
  let failure: Error | null = null;
  // Bytes read before the decoder exists: deflate needs two of them to choose its variant.
  let head: Uint8Array = new Uint8Array(0);
  // Set by any decoder event or write completion; the pull loop waits on it.
  let signalled = false;
  let wake: (() => void) | null = null;
  const signal = () => {
    signalled = true;
    wake?.();
    wake = null;
  };
  const waitForSignal = () => {
    if (signalled) {
      signalled = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      wake = () => {
        signalled = false;
        resolve();
      };
    });
  };

  const start = (first: Uint8Array) => {
    const d = DECODERS[coding](first);
    d.on("readable", signal);
    d.on("end", () => {
      ended = true;
      signal();
    });
    d.on("error", (error) => {
      failure ??= error;
      signal();
    });
    decoder = d;
  };

  const write = (d: Decoder, chunk: Uint8Array) => {
    writing = true;
    d.write(chunk, () => {
      writing = false;
      signal();
    });
  };

  const bodyError = (error: Error) =>
    new HttpError("body", `cannot decode ${coding} body: ${error.message}`, { cause: error });

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (true) {
        if (failure !== null) {
          decoder?.destroy();
          await reader.cancel().catch(() => {});
          throw bodyError(failure);
        }
        const d: Decoder | null = decoder;
        if (d !== null) {
          const out = d.read();
          if (out !== null) {
            // Copy out of node's Buffer pool: the consumer may keep or transfer the chunk.
            controller.enqueue(new Uint8Array(out));
            return;
          }
          if (ended) {
            // Bytes after the end of the compressed data are not part of the body; release the
            // input rather than leave it half read.
            if (!inputDone) await reader.cancel().catch(() => {});
            controller.close();
            return;
          }
        }
        if (!writing && !inputDone) {
          // Reading input may fail with the transport's own error, which passes through.
          const { done, value } = await reader.read();
          if (done) {
            inputDone = true;
            if (decoder === null && head.length === 0) {
              controller.close();
              return;
            }
            if (decoder === null) {
              start(head);
              write(decoder!, head);
            }
            decoder!.end();
          } else if (decoder === null) {
            head = head.length === 0 ? value : concat([head, value]);
            // Two bytes tell zlib from raw deflate; the other codings need none, but waiting
            // for them costs nothing.
            if (head.length >= 2) {
              start(head);
              write(decoder!, head);
            }
          } else {
            write(decoder, value);
          }
          continue;
        }
        await waitForSignal();
      }
    },
    async cancel(reason) {
      decoder?.destroy();
      await reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
