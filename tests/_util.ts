/**
 * Helpers for integration tests: run the real `kit` as a subprocess in a temporary world.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** What a kit run produced. */
export interface KitResult {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Options for {@linkcode kit}. */
export interface KitOptions {
  /** Working directory. @default the sandbox's home */
  cwd?: string;
  /** Text for standard input. @default none (stdin is /dev/null) */
  stdin?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/** A temporary HOME with XDG folders, removed by {@linkcode Sandbox.cleanup}. */
export interface Sandbox {
  /** The temporary root (also HOME). */
  home: string;
  /** Environment for kit: HOME, XDG_*, TZ, NO_COLOR. */
  env: Record<string, string>;
  /** Runs `kit args...` in this sandbox. */
  kit(args: string[], options?: KitOptions): Promise<KitResult>;
  /** Writes files relative to home: `{ "notes/a.md": "text" }`. */
  write(files: Record<string, string | Uint8Array>): Promise<void>;
  /** Reads a file relative to home. */
  read(path: string): Promise<string>;
  /** Removes the sandbox. */
  cleanup(): Promise<void>;
}

/**
 * Makes a sandbox with its own HOME and XDG folders.
 *
 * @returns The sandbox.
 */
export async function sandbox(): Promise<Sandbox> {
  const home = await Deno.makeTempDir({ prefix: "kit-test-" });
  const env: Record<string, string> = {
    HOME: home,
    XDG_DATA_HOME: join(home, ".local/share"),
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_CACHE_HOME: join(home, ".cache"),
    TZ: "UTC",
    NO_COLOR: "1",
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    DENO_DIR: Deno.env.get("DENO_DIR") ?? denoDir(),
  };
  return {
    home,
    env,
    kit: (args, options = {}) =>
      kit(args, {
        cwd: options.cwd ?? home,
        stdin: options.stdin,
        env: { ...env, ...options.env },
      }),
    async write(files) {
      for (const [path, data] of Object.entries(files)) {
        const full = join(home, path);
        await Deno.mkdir(join(full, ".."), { recursive: true });
        if (typeof data === "string") await Deno.writeTextFile(full, data);
        else await Deno.writeFile(full, data);
      }
    },
    read: (path) => Deno.readTextFile(join(home, path)),
    cleanup: () => Deno.remove(home, { recursive: true }),
  };
}

function denoDir(): string {
  const home = Deno.env.get("HOME") ?? "/root";
  return Deno.build.os === "darwin"
    ? join(home, "Library/Caches/deno")
    : join(Deno.env.get("XDG_CACHE_HOME") ?? join(home, ".cache"), "deno");
}

/**
 * Runs the real kit (`deno run -A main.ts args...`) and collects its output.
 *
 * @param args Arguments after `kit`.
 * @param options Working directory, stdin and environment (the environment replaces the process's).
 * @returns Exit code, stdout and stderr.
 */
export async function kit(args: string[], options: KitOptions = {}): Promise<KitResult> {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--quiet", join(ROOT, "main.ts"), ...args],
    cwd: options.cwd,
    env: options.env,
    clearEnv: options.env !== undefined,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const child = command.spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    try {
      await writer.write(new TextEncoder().encode(options.stdin));
      await writer.close();
    } catch (error) {
      // kit may exit without reading its stdin (a usage error, --files): not a test failure.
      if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    }
  }
  const output = await child.output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}
