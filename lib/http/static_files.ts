/**
 * Static files over web-standard Request/Response, so they serve on kit's engine and on
 * Deno.serve alike: conditional GET (ETag, Last-Modified), byte ranges (single and
 * multipart/byteranges), index files, HTML directory listings, MIME types, and a root no
 * request path can leave.
 *
 * @module
 */
import { extname, join, sep } from "node:path";

/** Options for {@linkcode serveDir}. */
export interface ServeDirOptions {
  /** The folder to serve. */
  root: string;
  /** A URL prefix to strip first, e.g. "static" for `/static/*`. @default "" */
  urlRoot?: string;
  /** The file a folder answers with; false for none. @default "index.html" */
  index?: string | false;
  /** Answer a folder without an index with an HTML listing. @default false */
  listing?: boolean;
  /** Serve names that start with "." (hidden from listings and 404 otherwise). @default false */
  dotfiles?: boolean;
  /** Send ETag and honour If-None-Match and If-Range. @default true */
  etag?: boolean;
  /** Extra headers on every successful answer (200, 206, 304). */
  headers?: HeadersInit;
}

/** Options for {@linkcode serveFile}. */
export interface ServeFileOptions {
  /** Send ETag and honour If-None-Match and If-Range. @default true */
  etag?: boolean;
  /** Extra headers on every successful answer. */
  headers?: HeadersInit;
  /** The file's stat, when the caller has it already. */
  info?: Deno.FileInfo;
}

const MIME: Record<string, string> = {
  ".html": "text/html",
  ".htm": "text/html",
  ".css": "text/css",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".json": "application/json",
  ".map": "application/json",
  ".txt": "text/plain",
  ".md": "text/markdown",
  ".csv": "text/csv",
  ".xml": "application/xml",
  ".yaml": "text/yaml",
  ".yml": "text/yaml",
  ".toml": "text/plain",
  ".ts": "text/plain",
  ".sh": "text/plain",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".pdf": "application/pdf",
  ".zip": "application/zip",
  ".gz": "application/gzip",
  ".tar": "application/x-tar",
  ".mp4": "video/mp4",
  ".webm": "video/webm",
  ".mp3": "audio/mpeg",
  ".wav": "audio/wav",
  ".ogg": "audio/ogg",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".otf": "font/otf",
  ".webmanifest": "application/manifest+json",
};

/**
 * The Content-Type for a file name, by extension; text types carry `charset=utf-8`.
 *
 * @example
 * ```ts
 * import { contentType } from "./static_files.ts";
 * import assert from "node:assert/strict";
 * assert.equal(contentType("a/index.HTML"), "text/html; charset=utf-8");
 * assert.equal(contentType("logo.png"), "image/png");
 * assert.equal(contentType("blob.bin"), "application/octet-stream");
 * ```
 *
 * @param path The file name or path.
 * @returns The MIME type.
 */
export function contentType(path: string): string {
  const type = MIME[extname(path).toLowerCase()];
  if (!type) return "application/octet-stream";
  const text = type.startsWith("text/") || type === "application/json" ||
    type === "application/xml" || type === "image/svg+xml" ||
    type === "application/manifest+json";
  return text ? `${type}; charset=utf-8` : type;
}

function plain(status: number, text: string, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set("content-type", "text/plain; charset=utf-8");
  return new Response(`${text}\n`, { status, headers: h });
}

function notFound(): Response {
  return plain(404, "Not Found");
}

/**
 * Answers a GET or HEAD for a file under `options.root`. Never leaves the root: the path is
 * decoded segment by segment and any `.`/`..` segment, encoded slash, backslash or NUL is
 * refused, and the file's real path (symlinks resolved) must lie inside the root's real path.
 *
 * @example
 * ```ts
 * import { serveDir } from "./static_files.ts";
 * import assert from "node:assert/strict";
 * const root = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${root}/hello.txt`, "hi");
 * const res = await serveDir(new Request("http://x/hello.txt"), { root });
 * assert.equal(res.status, 200);
 * assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
 * assert.equal(await res.text(), "hi");
 * const outside = await serveDir(new Request("http://x/%2e%2e/etc/passwd"), { root });
 * assert.equal(outside.status, 404);
 * await outside.body?.cancel();
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param request The request.
 * @param options Root, index file, listings, dotfiles.
 * @returns 200, 206, 301, 304, 400, 404, 405 or 416.
 */
export async function serveDir(request: Request, options: ServeDirOptions): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return plain(405, "Method Not Allowed", { allow: "GET, HEAD" });
  }
  const url = new URL(request.url);
  let path = url.pathname;
  const prefix = options.urlRoot ? `/${options.urlRoot.replace(/^\/+|\/+$/g, "")}` : "";
  if (prefix) {
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return notFound();
    path = path.slice(prefix.length) || "/";
  }
  const segments: string[] = [];
  for (const raw of path.split("/")) {
    if (raw === "") continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return plain(400, "Bad Request: invalid percent-encoding");
    }
    if (segment.includes("\0")) return plain(400, "Bad Request: NUL in path");
    if (segment === "." || segment === ".." || /[\\/]/.test(segment)) return notFound();
    if (segment.startsWith(".") && !options.dotfiles) return notFound();
    segments.push(segment);
  }
  let rootReal: string;
  try {
    rootReal = await Deno.realPath(options.root);
  } catch {
    return notFound();
  }
  let real: string;
  let info: Deno.FileInfo;
  try {
    real = await Deno.realPath(join(rootReal, ...segments));
    info = await Deno.stat(real);
  } catch {
    return notFound();
  }
  // A symlink may point anywhere: what is served must really be under the root.
  if (real !== rootReal && !real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep)) {
    return notFound();
  }
  if (info.isDirectory) {
    if (!url.pathname.endsWith("/")) {
      return new Response(null, {
        status: 301,
        headers: { location: `${url.pathname}/${url.search}` },
      });
    }
    const index = options.index ?? "index.html";
    if (index) {
      const indexPath = join(real, index);
      try {
        const indexReal = await Deno.realPath(indexPath);
        const indexInfo = await Deno.stat(indexReal);
        if (indexInfo.isFile && indexReal.startsWith(rootReal)) {
          return await serveFile(request, indexReal, { ...options, info: indexInfo });
        }
      } catch { /* no index: list or 404 */ }
    }
    if (options.listing) {
      return await listing(request, real, url.pathname, options.dotfiles ?? false);
    }
    return notFound();
  }
  if (!info.isFile) return notFound();
  return await serveFile(request, real, { ...options, info });
}

/**
 * Answers a GET or HEAD with one file: ETag and Last-Modified, 304 for a matching
 * If-None-Match or If-Modified-Since, 206/416 for Range (with If-Range), and Content-Length.
 *
 * @example
 * ```ts
 * import { serveFile } from "./static_files.ts";
 * import assert from "node:assert/strict";
 * const file = await Deno.makeTempFile({ suffix: ".txt" });
 * await Deno.writeTextFile(file, "0123456789");
 * const res = await serveFile(new Request("http://x/", { headers: { range: "bytes=2-4" } }), file);
 * assert.equal(res.status, 206);
 * assert.equal(res.headers.get("content-range"), "bytes 2-4/10");
 * assert.equal(await res.text(), "234");
 * await Deno.remove(file);
 * ```
 *
 * @param request The request.
 * @param path The file.
 * @param options ETag, extra headers, a known stat.
 * @returns 200, 206, 304, 404 or 416.
 */
export async function serveFile(
  request: Request,
  path: string,
  options: ServeFileOptions = {},
): Promise<Response> {
  let info = options.info;
  if (!info) {
    try {
      info = await Deno.stat(path);
    } catch {
      return notFound();
    }
  }
  if (!info.isFile) return notFound();
  const size = info.size;
  const mtime = info.mtime;
  const headers = new Headers(options.headers);
  headers.set("content-type", contentType(path));
  headers.set("accept-ranges", "bytes");
  const useEtag = options.etag ?? true;
  const etag = useEtag
    ? `"${size.toString(16)}-${Math.floor(mtime?.getTime() ?? 0).toString(16)}"`
    : null;
  if (etag) headers.set("etag", etag);
  if (mtime) headers.set("last-modified", mtime.toUTCString());

  // Conditional GET (RFC 9110 §13.2.2): If-None-Match wins over If-Modified-Since.
  const inm = request.headers.get("if-none-match");
  const ims = request.headers.get("if-modified-since");
  if (inm !== null && etag) {
    if (etagMatches(inm, etag)) return new Response(null, { status: 304, headers });
  } else if (ims !== null && mtime) {
    const since = Date.parse(ims);
    if (!Number.isNaN(since) && Math.floor(mtime.getTime() / 1000) * 1000 <= since) {
      return new Response(null, { status: 304, headers });
    }
  }

  const rangeHeader = request.headers.get("range");
  const ifRange = request.headers.get("if-range");
  const rangeApplies = rangeHeader !== null && request.method === "GET" &&
    (ifRange === null || ifRange === etag ||
      (mtime !== null && ifRange === mtime.toUTCString()));
  if (rangeApplies) {
    const ranges = parseRange(rangeHeader!, size);
    if (ranges === "unsatisfiable") {
      headers.set("content-range", `bytes */${size}`);
      headers.delete("content-type");
      return plain(416, "Range Not Satisfiable", headers);
    }
    if (ranges && ranges.length === 1) {
      const [start, end] = ranges[0];
      headers.set("content-range", `bytes ${start}-${end}/${size}`);
      headers.set("content-length", String(end - start + 1));
      return new Response(await fileSlice(path, start, end + 1), { status: 206, headers });
    }
    if (ranges && ranges.length > 1) return multipart(path, ranges, size, headers);
  }
  headers.set("content-length", String(size));
  if (request.method === "HEAD") return new Response(null, { status: 200, headers });
  const file = await Deno.open(path, { read: true });
  return new Response(file.readable, { status: 200, headers });
}

/** Whether an If-None-Match list matches `etag` (weak comparison, RFC 9110 §13.1.2). */
function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === bare);
}

/**
 * The byte ranges of a Range header, as inclusive [start, end] pairs within `size`. Null
 * when the header is not a valid bytes range (it is then ignored), "unsatisfiable" when
 * no range overlaps the file. More than 16 ranges, or overlapping ones, are refused as a
 * denial-of-service shape and ignored.
 */
function parseRange(header: string, size: number): [number, number][] | "unsatisfiable" | null {
  const m = /^bytes=(.+)$/i.exec(header.trim());
  if (!m) return null;
  const out: [number, number][] = [];
  const parts = m[1].split(",");
  if (parts.length > 16) return null;
  for (const part of parts) {
    const r = /^\s*(\d*)-(\d*)\s*$/.exec(part);
    if (!r || (r[1] === "" && r[2] === "")) return null;
    let start: number;
    let end: number;
    if (r[1] === "") {
      const suffix = Number(r[2]);
      if (suffix === 0) continue;
      start = Math.max(0, size - suffix);
      end = size - 1;
    } else {
      start = Number(r[1]);
      end = r[2] === "" ? size - 1 : Math.min(Number(r[2]), size - 1);
      if (r[2] !== "" && Number(r[2]) < start) return null;
    }
    if (start >= size) continue;
    out.push([start, end]);
  }
  if (out.length === 0) return "unsatisfiable";
  const sorted = [...out].sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i][0] <= sorted[i - 1][1]) return null;
  }
  return out;
}

/** A stream of bytes [start, end) of a file, read as the consumer pulls. */
async function fileSlice(
  path: string,
  start: number,
  end: number,
): Promise<ReadableStream<Uint8Array>> {
  const file = await Deno.open(path, { read: true });
  await file.seek(start, Deno.SeekMode.Start);
  let left = end - start;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (left <= 0) {
        file.close();
        controller.close();
        return;
      }
      const buf = new Uint8Array(Math.min(left, 65536));
      const n = await file.read(buf);
      if (n === null) {
        file.close();
        controller.close();
        return;
      }
      left -= n;
      controller.enqueue(buf.subarray(0, n));
    },
    cancel() {
      file.close();
    },
  });
}

/** A multipart/byteranges answer (RFC 9110 §14.6) with a known Content-Length. */
function multipart(
  path: string,
  ranges: [number, number][],
  size: number,
  headers: Headers,
): Response {
  const type = headers.get("content-type")!;
  const boundary = `kit-${crypto.randomUUID().replaceAll("-", "")}`;
  const enc = new TextEncoder();
  const heads = ranges.map(([s, e], i) =>
    enc.encode(
      `${
        i === 0 ? "" : "\r\n"
      }--${boundary}\r\ncontent-type: ${type}\r\ncontent-range: bytes ${s}-${e}/${size}\r\n\r\n`,
    )
  );
  const tail = enc.encode(`\r\n--${boundary}--\r\n`);
  let length = tail.length;
  ranges.forEach(([s, e], i) => length += heads[i].length + (e - s + 1));
  headers.set("content-type", `multipart/byteranges; boundary=${boundary}`);
  headers.set("content-length", String(length));
  let i = 0;
  let current: ReadableStreamDefaultReader<Uint8Array> | null = null;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (true) {
        if (current) {
          const { done, value } = await current.read();
          if (!done) {
            controller.enqueue(value);
            return;
          }
          current = null;
          i++;
        }
        if (i >= ranges.length) {
          controller.enqueue(tail);
          controller.close();
          return;
        }
        controller.enqueue(heads[i]);
        current = (await fileSlice(path, ranges[i][0], ranges[i][1] + 1)).getReader();
        return;
      }
    },
    cancel(reason) {
      return current?.cancel(reason);
    },
  });
  return new Response(body, { status: 206, headers });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** An HTML listing of a folder: folders first, then files, each sorted by name. */
async function listing(
  request: Request,
  dir: string,
  urlPath: string,
  dotfiles: boolean,
): Promise<Response> {
  const entries: { name: string; dir: boolean; size: number; mtime: Date | null }[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.startsWith(".") && !dotfiles) continue;
    let info: Deno.FileInfo | null = null;
    try {
      info = await Deno.stat(join(dir, entry.name));
    } catch { /* a dangling symlink: listed without details */ }
    entries.push({
      name: entry.name,
      dir: info?.isDirectory ?? entry.isDirectory,
      size: info?.size ?? 0,
      mtime: info?.mtime ?? null,
    });
  }
  entries.sort((a, b) => (a.dir === b.dir ? (a.name < b.name ? -1 : 1) : a.dir ? -1 : 1));
  const title = escapeHtml(decodeURIComponent(urlPath));
  const rows = entries.map((e) => {
    const href = encodeURIComponent(e.name) + (e.dir ? "/" : "");
    const name = escapeHtml(e.name) + (e.dir ? "/" : "");
    const size = e.dir ? "-" : formatSize(e.size);
    const mtime = e.mtime ? e.mtime.toISOString().replace("T", " ").slice(0, 19) : "";
    return `<tr><td><a href="${href}">${name}</a></td><td>${size}</td><td>${mtime}</td></tr>`;
  });
  if (urlPath !== "/") rows.unshift(`<tr><td><a href="../">../</a></td><td></td><td></td></tr>`);
  const html = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Index of ${title}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}td{padding:.2em 1em .2em 0}th{text-align:left}</style>
</head>
<body>
<h1>Index of ${title}</h1>
<table>
<thead><tr><th>Name</th><th>Size</th><th>Modified</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
</body>
</html>
`;
  const body = request.method === "HEAD" ? null : html;
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-length": String(new TextEncoder().encode(html).length),
    },
  });
}
