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

/** A `kit` server running as a subprocess. */
export interface KitServer {
  /** The port it bound (it was started with --port 0). */
  port: number;
  /** Sends a signal (SIGTERM by default) and waits for the exit: the code and its log. */
  stop(signal?: Deno.Signal): Promise<{ code: number; stderr: string }>;
  /** Waits for the exit without signalling (after SHUTDOWN): the code and its log. */
  exited(): Promise<{ code: number; stderr: string }>;
}

/**
 * Starts `kit ARGS` (a server given `--port 0`) and waits for its `listening on HOST:PORT`
 * line, so a test talks to it only once it answers, without sleeping.
 *
 * @param args The arguments after `kit`.
 * @returns The server; its stderr is kept for `stop` and `exited`.
 */
export async function startKitServer(args: string[]): Promise<KitServer> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--quiet", join(ROOT, "main.ts"), ...args],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const lines = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  let port = 0;
  while (port === 0) {
    const { value, done } = await lines.read();
    if (done) {
      await child.status;
      throw new Error(`kit ${args.slice(0, 2).join(" ")} exited before listening:\n${log}`);
    }
    log += value;
    const match = /listening on [^\s]+:(\d+)/.exec(log);
    if (match) port = Number(match[1]);
  }
  const rest = (async () => {
    while (true) {
      const { value, done } = await lines.read();
      if (done) break;
      log += value;
    }
  })();
  const exited = async () => {
    const status = await child.status;
    await rest;
    return { code: status.code, stderr: log };
  };
  return {
    port,
    exited,
    stop(signal: Deno.Signal = "SIGTERM") {
      try {
        child.kill(signal);
      } catch { /* exited already */ }
      return exited();
    },
  };
}
