/**
 * The few path operations kit's hot paths need, for POSIX and Windows.
 *
 * `node:path` would do, but loading Node's path module costs ~5 ms at every start, a
 * noticeable part of a command that should answer in well under 100 ms.
 *
 * @module
 */

const WINDOWS = Deno.build.os === "windows";

/** The separator of this platform. */
export const SEP: string = WINDOWS ? "\\" : "/";

function isSep(ch: string): boolean {
  return ch === "/" || (WINDOWS && ch === "\\");
}

/**
 * Whether a path is absolute (`/x`, or on Windows `C:\x`, `\\server\share`).
 *
 * @param path The path.
 * @returns True when absolute.
 */
export function isAbsolute(path: string): boolean {
  if (!WINDOWS) return path.startsWith("/");
  return /^([a-zA-Z]:)?[\\/]/.test(path);
}

/**
 * Normalises a path: collapses separators and `.`, resolves `..` where it can.
 *
 * @example
 * ```ts
 * import { normalize } from "./path.ts";
 * import assert from "node:assert/strict";
 * if (Deno.build.os !== "windows") assert.equal(normalize("/a//b/./c/../d/"), "/a/b/d");
 * ```
 *
 * @param path The path.
 * @returns The normalised path ("." for an empty relative one).
 */
export function normalize(path: string): string {
  if (path === "") return ".";
  let prefix = "";
  if (WINDOWS) {
    const drive = /^[a-zA-Z]:/.exec(path);
    if (drive) {
      prefix = drive[0];
      path = path.slice(2);
    }
  }
  const absolute = path.length > 0 && isSep(path[0]);
  const parts: string[] = [];
  for (const part of path.split(WINDOWS ? /[\\/]+/ : /\/+/)) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
      else if (!absolute) parts.push("..");
      continue;
    }
    parts.push(part);
  }
  const body = parts.join(SEP);
  if (absolute) return prefix + SEP + body;
  return prefix + (body || ".");
}

/**
 * Joins path segments and normalises the result.
 *
 * @example
 * ```ts
 * import { join } from "./path.ts";
 * import assert from "node:assert/strict";
 * if (Deno.build.os !== "windows") assert.equal(join("/notes", ".kit", "index"), "/notes/.kit/index");
 * ```
 *
 * @param parts Segments; empty ones are skipped.
 * @returns The joined path.
 */
export function join(...parts: string[]): string {
  const kept = parts.filter((p) => p !== "");
  return kept.length === 0 ? "." : normalize(kept.join(SEP));
}

/**
 * Resolves segments right to left into an absolute path, starting from `Deno.cwd()`.
 *
 * @param parts Segments; an absolute one discards those before it.
 * @returns The absolute path.
 */
export function resolve(...parts: string[]): string {
  let path = "";
  for (let i = parts.length - 1; i >= 0 && !isAbsolute(path); i--) {
    if (parts[i] === "") continue;
    path = path === "" ? parts[i] : `${parts[i]}${SEP}${path}`;
  }
  if (!isAbsolute(path)) path = `${Deno.cwd()}${SEP}${path}`;
  return normalize(path);
}

/**
 * The folder part of a path.
 *
 * @param path The path.
 * @returns Everything before the last separator ("." when there is none).
 */
export function dirname(path: string): string {
  const trimmed = path.length > 1 ? path.replace(WINDOWS ? /[\\/]+$/ : /\/+$/, "") : path;
  const at = Math.max(trimmed.lastIndexOf("/"), WINDOWS ? trimmed.lastIndexOf("\\") : -1);
  if (at === -1) return ".";
  if (at === 0) return trimmed[0];
  return trimmed.slice(0, at);
}

/**
 * The last part of a path.
 *
 * @param path The path.
 * @param suffix A suffix to remove, such as ".md".
 * @returns The name.
 */
export function basename(path: string, suffix = ""): string {
  const trimmed = path.replace(WINDOWS ? /[\\/]+$/ : /\/+$/, "");
  const at = Math.max(trimmed.lastIndexOf("/"), WINDOWS ? trimmed.lastIndexOf("\\") : -1);
  const name = trimmed.slice(at + 1);
  return suffix && name.endsWith(suffix) && name !== suffix ? name.slice(0, -suffix.length) : name;
}

/**
 * The extension of the last part of a path, with its dot.
 *
 * @param path The path.
 * @returns ".md", or "" when there is none.
 */
export function extname(path: string): string {
  const name = basename(path);
  const at = name.lastIndexOf(".");
  return at <= 0 || name === ".." ? "" : name.slice(at);
}
