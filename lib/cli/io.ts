/**
 * The streams and environment a tool's CLI talks through.
 *
 * `main.ts` builds one from the real process; tests build one over buffers, so
 * a CLI can be driven without spawning a process.
 *
 * @module
 */

/** Where a CLI reads, writes and looks up its environment. */
export interface Io {
  /** Data output. */
  stdout: Writer;
  /** Diagnostics and progress. */
  stderr: Writer;
  /** Standard input as a byte stream. */
  stdin: ReadableStream<Uint8Array>;
  /** Whether stdin, stdout and stderr are terminals. */
  isTerminal: { stdin: boolean; stdout: boolean; stderr: boolean };
  /** Environment lookup. */
  env: (name: string) => string | undefined;
  /** Current working directory. */
  cwd: string;
  /** Terminal width in columns (80 when unknown). */
  columns: number;
  /** Terminal height in rows (24 when unknown). */
  rows: number;
  /** The current time; tests inject a fixed clock. */
  now: () => Date;
}

/** A sink for text or bytes. */
export interface Writer {
  /** Writes text or bytes; resolves when written. */
  write(data: string | Uint8Array): Promise<void>;
}

const encoder = new TextEncoder();

/** Thrown by a writer whose reader went away (EPIPE): the CLI exits quietly. */
export class BrokenPipeError extends Error {
  override name = "BrokenPipeError";
  constructor() {
    super("Cannot write: the reader closed the pipe");
  }
}

function fdWriter(file: { writeSync(p: Uint8Array): number }): Writer {
  return {
    write(data) {
      let bytes = typeof data === "string" ? encoder.encode(data) : data;
      try {
        while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
      } catch (error) {
        if (error instanceof Deno.errors.BrokenPipe) throw new BrokenPipeError();
        throw error;
      }
      return Promise.resolve();
    },
  };
}

/**
 * Builds an {@linkcode Io} over the real process streams.
 *
 * @returns The process's Io.
 */
export function processIo(): Io {
  let columns = 80;
  let rows = 24;
  const stdoutTty = Deno.stdout.isTerminal();
  if (stdoutTty) {
    try {
      ({ columns, rows } = Deno.consoleSize());
    } catch { /* not a console after all */ }
  }
  return {
    stdout: fdWriter(Deno.stdout),
    stderr: fdWriter(Deno.stderr),
    stdin: Deno.stdin.readable,
    isTerminal: {
      stdin: Deno.stdin.isTerminal(),
      stdout: stdoutTty,
      stderr: Deno.stderr.isTerminal(),
    },
    env: (name) => Deno.env.get(name),
    cwd: Deno.cwd(),
    columns,
    rows,
    now: () => new Date(),
  };
}

/** A writer that collects what is written, for tests. */
export class BufferWriter implements Writer {
  #chunks: Uint8Array[] = [];

  /** Appends `data`. */
  write(data: string | Uint8Array): Promise<void> {
    // A copy: once write() resolves the caller may reuse its buffer.
    this.#chunks.push(typeof data === "string" ? encoder.encode(data) : data.slice());
    return Promise.resolve();
  }

  /** Everything written so far, decoded as UTF-8. */
  text(): string {
    const decoder = new TextDecoder();
    return this.#chunks.map((c) => decoder.decode(c, { stream: true })).join("") + decoder.decode();
  }
}

/** Options for {@linkcode memoryIo}. */
export interface MemoryIoOptions {
  /** Text fed to stdin. @default "" */
  stdin?: string;
  /** Environment variables. @default {} */
  env?: Record<string, string>;
  /** Working directory. @default Deno.cwd() */
  cwd?: string;
  /** Pretend every stream is a terminal. @default false */
  tty?: boolean;
  /** Fixed clock. @default () => new Date() */
  now?: () => Date;
}

/**
 * Builds an {@linkcode Io} over memory buffers, for tests.
 *
 * @example
 * ```ts
 * import { memoryIo } from "./io.ts";
 * import assert from "node:assert/strict";
 * const io = memoryIo({ env: { HOME: "/tmp" } });
 * await io.stdout.write("hi\n");
 * assert.equal(io.stdout.text(), "hi\n");
 * ```
 *
 * @param options Input, environment and terminal state.
 * @returns An Io whose stdout and stderr are {@linkcode BufferWriter}s.
 */
export function memoryIo(
  options: MemoryIoOptions = {},
): Io & { stdout: BufferWriter; stderr: BufferWriter } {
  const env = options.env ?? {};
  const tty = options.tty ?? false;
  return {
    stdout: new BufferWriter(),
    stderr: new BufferWriter(),
    stdin: new Blob([options.stdin ?? ""]).stream(),
    isTerminal: { stdin: tty, stdout: tty, stderr: tty },
    env: (name) => env[name],
    cwd: options.cwd ?? Deno.cwd(),
    columns: 80,
    rows: 24,
    now: options.now ?? (() => new Date()),
  };
}

/**
 * Reads all of a byte stream as UTF-8 text.
 *
 * @param stream The stream, usually `io.stdin`.
 * @returns The decoded text.
 */
export async function readAllText(stream: ReadableStream<Uint8Array>): Promise<string> {
  return await new Response(stream).text();
}
