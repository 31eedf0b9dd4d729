/**
 * Where kit keeps data and configuration: `$XDG_DATA_HOME/kit/<tool>` and
 * `$XDG_CONFIG_HOME/kit/<tool>`, each overridable per tool.
 *
 * @module
 */

import { join } from "./path.ts";

/** Options for {@linkcode dataDir} and {@linkcode configDir}. */
export interface DirOptions {
  /** Environment lookup. @default Deno.env.get */
  env?: (name: string) => string | undefined;
  /** An explicit folder from a flag; wins over everything. */
  flag?: string;
  /** The tool's own environment variable (e.g. `KIT_NOTES_DIR`); wins over XDG. */
  envVar?: string;
}

function home(env: (name: string) => string | undefined): string {
  const dir = env("HOME") ?? env("USERPROFILE");
  if (!dir) throw new Error("Cannot find the home folder: HOME is not set");
  return dir;
}

function resolve(kind: "data" | "config", tool: string, options: DirOptions): string {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  if (options.flag) return options.flag;
  if (options.envVar) {
    const value = env(options.envVar);
    if (value) return value;
  }
  const xdg = env(kind === "data" ? "XDG_DATA_HOME" : "XDG_CONFIG_HOME");
  const base = xdg ||
    (kind === "data" ? join(home(env), ".local", "share") : join(home(env), ".config"));
  return join(base, "kit", tool);
}

/**
 * The data folder of a tool.
 *
 * @example
 * ```ts
 * import { dataDir } from "./dirs.ts";
 * import assert from "node:assert/strict";
 * const env = (n: string) => ({ HOME: "/home/a", KIT_NOTES_DIR: "" } as Record<string, string>)[n];
 * assert.equal(dataDir("notes", { env }), "/home/a/.local/share/kit/notes");
 * assert.equal(dataDir("notes", { env, flag: "/x" }), "/x");
 * ```
 *
 * @param tool The tool name.
 * @param options Flag, tool variable and environment.
 * @returns The folder path (not created).
 */
export function dataDir(tool: string, options: DirOptions = {}): string {
  return resolve("data", tool, options);
}

/**
 * The configuration folder of a tool.
 *
 * @param tool The tool name.
 * @param options Flag, tool variable and environment.
 * @returns The folder path (not created).
 */
export function configDir(tool: string, options: DirOptions = {}): string {
  return resolve("config", tool, options);
}
