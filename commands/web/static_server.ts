/**
 * The static file server behind `kit web serve`: kit's engine, {@linkcode serveDir} with
 * listings, and one log line per request.
 *
 * @module
 */
import { type HttpServer, serve } from "../../lib/http/server.ts";
import { serveDir } from "../../lib/http/static_files.ts";

/** Options for {@linkcode startStaticServer}. */
export interface StaticServerOptions {
  /** The folder to serve. */
  root: string;
  /** The address to bind. @default "127.0.0.1" */
  hostname?: string;
  /** The port; 0 picks a free one. @default 8000 */
  port?: number;
  /** HTML listings of folders without index.html. @default true */
  listing?: boolean;
  /** Serve names starting with ".". @default false */
  dotfiles?: boolean;
  /** Serve HTTPS with this PEM certificate and key. */
  tls?: { cert: string; key: string };
  /** Receives one line per request (no newline). */
  onLog?: (line: string) => void;
  /** Shuts the server down gracefully when aborted. */
  signal?: AbortSignal;
}

/**
 * One access-log line: client, request line, status, body size and time.
 *
 * @example
 * ```ts
 * import { accessLogLine } from "./static_server.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   accessLogLine("127.0.0.1", "GET", "/a", 200, "12", 1.25),
 *   '127.0.0.1 "GET /a" 200 12 1.3ms',
 * );
 * ```
 *
 * @param client The client's address.
 * @param method The method.
 * @param path The path and query.
 * @param status The status sent.
 * @param size The Content-Length, or null for a streamed body.
 * @param ms The time taken.
 * @returns The line.
 */
export function accessLogLine(
  client: string,
  method: string,
  path: string,
  status: number,
  size: string | null,
  ms: number,
): string {
  return `${client} "${method} ${path}" ${status} ${size ?? "-"} ${ms.toFixed(1)}ms`;
}

/**
 * Starts a static file server on kit's engine.
 *
 * @example
 * ```ts
 * import { startStaticServer } from "./static_server.ts";
 * import assert from "node:assert/strict";
 * const root = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${root}/a.txt`, "A");
 * const lines: string[] = [];
 * const server = startStaticServer({ root, port: 0, onLog: (l) => lines.push(l) });
 * const res = await fetch(`http://127.0.0.1:${server.addr.port}/a.txt`);
 * assert.equal(await res.text(), "A");
 * await server.shutdown();
 * assert.match(lines[0], /"GET \/a.txt" 200 1 /);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param options Folder, address, listing, TLS, log sink, shutdown signal.
 * @returns The running server.
 */
export function startStaticServer(options: StaticServerOptions): HttpServer {
  const dirOptions = {
    root: options.root,
    listing: options.listing ?? true,
    dotfiles: options.dotfiles ?? false,
  };
  return serve(async (request, info) => {
    const started = performance.now();
    const response = await serveDir(request, dirOptions);
    if (options.onLog) {
      const url = new URL(request.url);
      options.onLog(accessLogLine(
        info.remoteAddr.hostname,
        request.method,
        url.pathname + url.search,
        response.status,
        response.headers.get("content-length"),
        performance.now() - started,
      ));
    }
    return response;
  }, {
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 8000,
    tls: options.tls,
    signal: options.signal,
  });
}
