/**
 * Form bodies: application/x-www-form-urlencoded and multipart/form-data (RFC 7578), the
 * latter streamed so that large files are never held in memory.
 *
 * @module
 */

/**
 * Encodes fields as `application/x-www-form-urlencoded`, the WHATWG way browsers submit forms:
 * UTF-8, spaces as "+", everything but `A-Za-z0-9*-._` percent-encoded.
 *
 * @example
 * ```ts
 * import { urlencoded } from "./form.ts";
 * import assert from "node:assert/strict";
 * assert.equal(urlencoded([["q", "a b&c"], ["name", "zoë"]]), "q=a+b%26c&name=zo%C3%AB");
 * ```
 *
 * @param fields Name-value pairs, in order; repeated names stay repeated.
 * @returns The body text.
 */
export function urlencoded(fields: Iterable<[string, string]>): string {
  // URLSearchParams serialises with the application/x-www-form-urlencoded byte serializer.
  return new URLSearchParams([...fields]).toString();
}

/** One part of a multipart/form-data body: a text field, a file from memory, or a file on disk. */
export type MultipartPart =
  | { name: string; value: string }
  | { name: string; filename: string; contentType?: string; data: Uint8Array }
  | { name: string; filename: string; contentType?: string; path: string };

/** An encoded body that can be sent more than once (redirects, authentication retries). */
export interface EncodedBody {
  /** The Content-Type header value, boundary included. */
  contentType: string;
  /** The exact length in bytes, or null when a file part is not a regular file. */
  length: number | null;
  /** A fresh stream of the whole body each time it is called. */
  stream(): ReadableStream<Uint8Array>;
}

import { HttpError } from "./errors.ts";

const encoder = new TextEncoder();

const TYPES: Record<string, string> = {
  json: "application/json",
  txt: "text/plain",
  text: "text/plain",
  md: "text/markdown",
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  xml: "application/xml",
  js: "text/javascript",
  mjs: "text/javascript",
  ts: "text/typescript",
  yaml: "application/yaml",
  yml: "application/yaml",
  toml: "application/toml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  svg: "image/svg+xml",
  webp: "image/webp",
  avif: "image/avif",
  ico: "image/vnd.microsoft.icon",
  bmp: "image/bmp",
  tif: "image/tiff",
  tiff: "image/tiff",
  pdf: "application/pdf",
  zip: "application/zip",
  gz: "application/gzip",
  tgz: "application/gzip",
  tar: "application/x-tar",
  bz2: "application/x-bzip2",
  xz: "application/x-xz",
  zst: "application/zstd",
  "7z": "application/x-7z-compressed",
  wasm: "application/wasm",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  ogg: "audio/ogg",
  flac: "audio/flac",
  mp4: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  avi: "video/x-msvideo",
  woff: "font/woff",
  woff2: "font/woff2",
  ttf: "font/ttf",
  otf: "font/otf",
  bin: "application/octet-stream",
};

/**
 * Guesses a media type from a file name's extension, case-insensitively, from a small table;
 * `application/octet-stream` when the extension is unknown or missing.
 *
 * @example
 * ```ts
 * import { guessContentType } from "./form.ts";
 * import assert from "node:assert/strict";
 * assert.equal(guessContentType("photo.JPG"), "image/jpeg");
 * assert.equal(guessContentType("/tmp/data.json"), "application/json");
 * assert.equal(guessContentType("README"), "application/octet-stream");
 * ```
 *
 * @param filename A file name or path.
 * @returns The media type.
 */
export function guessContentType(filename: string): string {
  const base = filename.slice(Math.max(filename.lastIndexOf("/"), filename.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  // ".bashrc" has no extension, it is the whole name.
  if (dot <= 0) return "application/octet-stream";
  return TYPES[base.slice(dot + 1).toLowerCase()] ?? "application/octet-stream";
}

/**
 * A random boundary: 32 hex digits after a fixed prefix, so a collision with the content is
 * as unlikely as guessing 128 random bits.
 *
 * @example
 * ```ts
 * import { randomBoundary } from "./form.ts";
 * import assert from "node:assert/strict";
 * assert.match(randomBoundary(), /^kit-boundary-[0-9a-f]{32}$/);
 * ```
 *
 * @returns A boundary for multipart bodies.
 */
export function randomBoundary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return "kit-boundary-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Encodes parts as `multipart/form-data` (RFC 7578). Names and file names are escaped the way
 * browsers do (`"` as %22, CR as %0D, LF as %0A; other characters as UTF-8); a file part without
 * a content type gets one guessed from its file name. File parts with a `path` are stat'ed now
 * for the length and read in chunks each time the body is streamed.
 *
 * @example
 * ```ts
 * import { multipart } from "./form.ts";
 * import assert from "node:assert/strict";
 * const body = await multipart([{ name: "a", value: "1" }], "XyZ");
 * assert.equal(body.contentType, "multipart/form-data; boundary=XyZ");
 * const text = await new Response(body.stream()).text();
 * assert.equal(text, '--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--XyZ--\r\n');
 * assert.equal(body.length, text.length);
 * ```
 *
 * @param parts The parts, in order.
 * @param boundary The boundary; random when not given.
 * @returns The body with its content type and length.
 * @throws {RangeError} On a boundary RFC 2046 does not allow.
 * @throws {Deno.errors.NotFound} When a file part's path does not exist. The stream fails with
 * an {@linkcode HttpError} of kind "invalid-request" when a file's size changes after the stat.
 */
export async function multipart(
  parts: MultipartPart[],
  boundary: string = randomBoundary(),
): Promise<EncodedBody> {
  if (!/^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/.test(boundary)) {
    throw new RangeError(`Invalid multipart boundary: "${boundary}"`);
  }
  // The body as a list of pieces: encoded headers and in-memory data, or a file to read.
  const pieces: (Uint8Array | { path: string; size: number | null })[] = [];
  let length: number | null = 0;
  const add = (piece: Uint8Array | { path: string; size: number | null }) => {
    pieces.push(piece);
    const size = piece instanceof Uint8Array ? piece.length : piece.size;
    length = length === null || size === null ? null : length + size;
  };
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(part.name)}"`;
    if ("value" in part) {
      add(encoder.encode(`${head}\r\n\r\n`));
      add(encoder.encode(part.value));
    } else {
      head += `; filename="${escapeName(part.filename)}"`;
      head += `\r\nContent-Type: ${part.contentType ?? guessContentType(part.filename)}\r\n\r\n`;
      add(encoder.encode(head));
      if ("data" in part) {
        add(part.data);
      } else {
        const info = await Deno.stat(part.path);
        // A FIFO or a device has no size worth trusting: the body then goes out chunked.
        add({ path: part.path, size: info.isFile ? info.size : null });
      }
    }
    add(encoder.encode("\r\n"));
  }
  add(encoder.encode(`--${boundary}--\r\n`));
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length,
    stream: () => streamPieces(pieces),
  };
}

function escapeName(name: string): string {
  return name.replace(/["\r\n]/g, (c) => c === '"' ? "%22" : c === "\r" ? "%0D" : "%0A");
}

const CHUNK = 64 * 1024;

/** Streams the pieces in order; a file is opened when reached and closed when done or cancelled. */
function streamPieces(
  pieces: (Uint8Array | { path: string; size: number | null })[],
): ReadableStream<Uint8Array> {
  let index = 0;
  let file: Deno.FsFile | null = null;
  let read = 0;
  const closeFile = () => {
    try {
      file?.close();
    } catch { /* already closed */ }
    file = null;
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        await next(controller);
      } catch (error) {
        closeFile();
        throw error;
      }
    },
    cancel() {
      closeFile();
    },
  }, { highWaterMark: 0 });

  async function next(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    while (index < pieces.length) {
      const piece = pieces[index];
      if (piece instanceof Uint8Array) {
        index++;
        if (piece.length === 0) continue;
        controller.enqueue(piece);
        return;
      }
      if (file === null) {
        file = await Deno.open(piece.path, { read: true });
        read = 0;
      }
      const buffer = new Uint8Array(CHUNK);
      const n = await file.read(buffer);
      if (n === null) {
        closeFile();
        index++;
        // The length was announced from stat(); a file that changed since would make the
        // request lie about its Content-Length, so the body fails instead.
        if (piece.size !== null && read !== piece.size) {
          throw new HttpError(
            "invalid-request",
            `file changed while being sent: ${piece.path} has ${read} bytes, not ${piece.size}`,
          );
        }
        continue;
      }
      read += n;
      if (piece.size !== null && read > piece.size) {
        throw new HttpError(
          "invalid-request",
          `file changed while being sent: ${piece.path} grew past ${piece.size} bytes`,
        );
      }
      controller.enqueue(buffer.subarray(0, n));
      return;
    }
    controller.close();
  }
}
