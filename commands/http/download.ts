/**
 * `--download`: the file name a response is saved under, and resuming a partial file with a
 * `Range` request (`--continue`), checked against the server's `Content-Range`.
 *
 * @module
 */

import { basename } from "../../lib/fs/path.ts";

const EXTENSIONS: Record<string, string> = {
  "text/html": ".html",
  "text/plain": ".txt",
  "text/css": ".css",
  "text/csv": ".csv",
  "text/xml": ".xml",
  "application/json": ".json",
  "application/xml": ".xml",
  "application/javascript": ".js",
  "text/javascript": ".js",
  "application/pdf": ".pdf",
  "application/zip": ".zip",
  "application/gzip": ".gz",
  "image/png": ".png",
  "image/jpeg": ".jpg",
  "image/gif": ".gif",
  "image/svg+xml": ".svg",
  "image/webp": ".webp",
};

/**
 * The file name in a `Content-Disposition` header (`filename*=` preferred), reduced to a base
 * name so a server cannot write outside the current folder.
 *
 * @example
 * ```ts
 * import { dispositionFilename } from "./download.ts";
 * import assert from "node:assert/strict";
 * assert.equal(dispositionFilename('attachment; filename="../a b.txt"'), "a b.txt");
 * assert.equal(dispositionFilename("attachment; filename*=UTF-8''%C3%A9.txt"), "é.txt");
 * ```
 *
 * @param header The header value.
 * @returns The name, or null when it names none.
 */
export function dispositionFilename(header: string | null): string | null {
  if (!header) return null;
  let name: string | undefined;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (star) {
    try {
      name = decodeURIComponent(star[2].trim());
    } catch { /* fall back to filename= */ }
  }
  if (name === undefined) {
    const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
    name = plain ? (plain[1]?.replace(/\\(.)/g, "$1") ?? plain[2].trim()) : undefined;
  }
  if (name === undefined) return null;
  const base = basename(name.replace(/\\/g, "/")).replace(/^\.+/, "").trim();
  return base === "" ? null : base;
}

/**
 * The name httpie would save a download under: from `Content-Disposition`, else the last
 * segment of the URL path (`index` for `/`), with an extension from the content type when the
 * name has none.
 *
 * @example
 * ```ts
 * import { downloadFilename } from "./download.ts";
 * import assert from "node:assert/strict";
 * assert.equal(downloadFilename(new URL("http://x/files/a.tar.gz"), null, null), "a.tar.gz");
 * assert.equal(downloadFilename(new URL("http://x/"), null, "text/html; charset=utf-8"), "index.html");
 * ```
 *
 * @param url The final URL.
 * @param disposition The Content-Disposition header.
 * @param contentType The Content-Type header.
 * @returns A file name (no folder).
 */
export function downloadFilename(
  url: URL,
  disposition: string | null,
  contentType: string | null,
): string {
  const fromHeader = dispositionFilename(disposition);
  if (fromHeader) return fromHeader;
  let segment = "";
  try {
    segment = decodeURIComponent(url.pathname.split("/").pop() ?? "");
  } catch {
    segment = url.pathname.split("/").pop() ?? "";
  }
  segment = segment.replace(/^\.+/, "");
  let name = segment === "" ? "index" : segment;
  if (!name.includes(".") && contentType) {
    const ext = EXTENSIONS[contentType.split(";")[0].trim().toLowerCase()];
    if (ext) name += ext;
  }
  return name;
}

/**
 * A name that does not exist yet: `name`, else `name-1`, `name-2`… as httpie does.
 *
 * @param name The wanted name.
 * @param exists Whether a path exists.
 * @returns The first free name.
 */
export async function uniqueFilename(
  name: string,
  exists: (path: string) => Promise<boolean>,
): Promise<string> {
  if (!(await exists(name))) return name;
  for (let n = 1;; n++) {
    const candidate = `${name}-${n}`;
    if (!(await exists(candidate))) return candidate;
  }
}

/** A parsed `Content-Range: bytes first-last/total`. */
export interface ContentRange {
  /** First byte position; null for an unsatisfied range (`bytes *` then the total). */
  first: number | null;
  last: number | null;
  /** The full length; null when the server gives `*`. */
  total: number | null;
}

/**
 * Parses a `Content-Range` header.
 *
 * @example
 * ```ts
 * import { parseContentRange } from "./download.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseContentRange("bytes 100-199/200"), { first: 100, last: 199, total: 200 });
 * assert.deepEqual(parseContentRange("bytes *\/200"), { first: null, last: null, total: 200 });
 * assert.equal(parseContentRange("items 1-2/3"), null);
 * ```
 *
 * @param header The header value.
 * @returns The range, or null when it does not parse.
 */
export function parseContentRange(header: string | null): ContentRange | null {
  if (!header) return null;
  const match = /^\s*bytes\s+(?:(\d+)-(\d+)|\*)\s*\/\s*(\d+|\*)\s*$/i.exec(header);
  if (!match) return null;
  const [, first, last, total] = match;
  const range = {
    first: first === undefined ? null : Number(first),
    last: last === undefined ? null : Number(last),
    total: total === "*" ? null : Number(total),
  };
  if (range.first !== null && range.last !== null && range.last < range.first) return null;
  return range;
}

/** A resumed download the server answered wrongly. */
export class ResumeError extends Error {
  override name = "ResumeError";
}

/** What to do with the partial file after the server answered a `Range` request. */
export type ResumePlan =
  | { action: "append"; from: number; total: number | null }
  | { action: "restart" }
  | { action: "complete" };

/**
 * Decides how a resumed download goes on, from the status and `Content-Range` of the answer
 * to `Range: bytes=<have>-`: 206 starting at `have` appends; 200 (the server ignores ranges)
 * starts over; 416 with a total equal to `have` means the file is already complete.
 *
 * @example
 * ```ts
 * import { resumePlan } from "./download.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(resumePlan(100, 206, "bytes 100-199/200"), { action: "append", from: 100, total: 200 });
 * assert.deepEqual(resumePlan(100, 200, null), { action: "restart" });
 * assert.deepEqual(resumePlan(200, 416, "bytes *\/200"), { action: "complete" });
 * ```
 *
 * @param have Bytes already on disk.
 * @param status The response status.
 * @param contentRange The Content-Range header.
 * @returns The plan.
 * @throws {ResumeError} When a 206 does not start where the file ends, or a 416 does not fit.
 */
export function resumePlan(
  have: number,
  status: number,
  contentRange: string | null,
): ResumePlan {
  if (status === 206) {
    const range = parseContentRange(contentRange);
    if (!range || range.first === null) {
      throw new ResumeError(`The server sent 206 with a bad Content-Range: ${contentRange}`);
    }
    if (range.first !== have) {
      throw new ResumeError(
        `The server resumed at byte ${range.first}, but the file has ${have} bytes`,
      );
    }
    return { action: "append", from: have, total: range.total };
  }
  if (status === 416) {
    const range = parseContentRange(contentRange);
    if (range && range.total === have) return { action: "complete" };
    throw new ResumeError(
      `The server cannot resume at byte ${have} (416${
        range?.total != null ? `, it has ${range.total} bytes` : ""
      })`,
    );
  }
  return { action: "restart" };
}
