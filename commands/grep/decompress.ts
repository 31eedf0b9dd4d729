/**
 * Reading compressed files for `-z/--search-zip`, chosen by file name as ripgrep 13 does.
 *
 * gzip runs in-process (node:zlib): spawning `gzip` costs about 2 ms a file, a hundred
 * times the work on a small file. Every other format goes through the same system program
 * ripgrep runs, with the same arguments, so what is found and what fails is the same.
 *
 * @module
 */

import { Duplex } from "node:stream";
import { constants } from "node:buffer";
import { promisify } from "node:util";
import { createGunzip, gunzip } from "node:zlib";
import { concat } from "../../lib/bytes/mod.ts";

/** A way to read one compression format. */
export interface Decompressor {
  /** The program ripgrep runs for the format: `gzip`, `bzip2`, `xz`, `lz4`, `zstd`, `brotli`. */
  name: string;
  /** The command ripgrep 13 runs, before the file's path: `["xz", "-d", "-c"]`. */
  command: readonly string[];
  /**
   * The file's decompressed bytes as a stream. The stream errors with a
   * {@linkcode DecompressionError} after the bytes decoded before a failure (truncated or
   * corrupt input), as ripgrep searches those before it reports. Cancel it to stop early;
   * that ends the decompressor's process.
   *
   * @param path The compressed file.
   * @returns The decompressed bytes.
   * @throws {DecompressorMissingError} When the program is not on PATH.
   * @throws {Deno.errors.NotFound} For gzip, when the file cannot be opened (other formats
   *   report that through the program's message instead, as in ripgrep).
   */
  open(path: string): ReadableStream<Uint8Array>;
}

/**
 * The decompressing program is not installed. ripgrep 13 then searches the file's raw bytes
 * and says so only under `--debug`; the message is that debug text.
 *
 * @example
 * ```ts
 * import { DecompressorMissingError } from "./decompress.ts";
 * import assert from "node:assert/strict";
 * const error = new DecompressorMissingError(["xz", "-d", "-c"], "a.xz");
 * assert.equal(error.program, "xz");
 * assert.equal(
 *   error.message,
 *   `error spawning command '"xz" "-d" "-c" "a.xz"': No such file or directory (os error 2)`,
 * );
 * ```
 */
export class DecompressorMissingError extends Error {
  override name = "DecompressorMissingError";
  /** The program that could not be run, e.g. `xz`. */
  readonly program: string;
  /** The compressed file. */
  readonly path: string;

  /**
   * @param command The program and its arguments, without the path.
   * @param path The compressed file.
   * @param options The spawn error, as `cause`.
   */
  constructor(command: readonly string[], path: string, options?: ErrorOptions) {
    const argv = [...command, path].map((arg) => `"${arg}"`).join(" ");
    super(
      `error spawning command '${argv}': No such file or directory (os error 2)`,
      options,
    );
    this.program = command[0];
    this.path = path;
  }
}

/**
 * The decompressor failed: the file is corrupt, truncated or not in its format. The message
 * is the first line the program wrote to stderr (`xz: a.xz: File format not recognized`),
 * which is what ripgrep prints between its dashed lines; for gzip, decoded in-process, it
 * is the line `gzip -d` would write.
 *
 * @example
 * ```ts
 * import { DecompressionError, readDecompressed } from "./decompress.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.gz`, "not gzip\n");
 * await assert.rejects(readDecompressed(`${dir}/a.gz`), (error) => {
 *   assert.ok(error instanceof DecompressionError);
 *   assert.equal(error.message, `gzip: ${dir}/a.gz: not in gzip format`);
 *   return true;
 * });
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class DecompressionError extends Error {
  override name = "DecompressionError";
  /** The program, e.g. `xz`. */
  readonly program: string;
  /** The compressed file. */
  readonly path: string;
  /** Everything the program wrote to stderr, trimmed. */
  readonly stderr: string;
  /**
   * The bytes decoded before the failure, set by {@linkcode readDecompressed}: ripgrep
   * searches them before it reports the error.
   */
  partial?: Uint8Array;

  /**
   * @param program The program, e.g. `xz`.
   * @param path The compressed file.
   * @param stderr What it wrote to stderr.
   * @param status Its exit code, named when stderr is empty.
   */
  constructor(program: string, path: string, stderr: string, status?: number) {
    const trimmed = stderr.trim();
    super(trimmed.split("\n")[0] || `${program} exited with status ${status}`);
    this.program = program;
    this.path = path;
    this.stderr = trimmed;
  }
}

/**
 * The decompressed content is larger than the limit given to {@linkcode readDecompressed}.
 *
 * @example
 * ```ts
 * import { DecompressedTooLargeError } from "./decompress.ts";
 * import assert from "node:assert/strict";
 * const error = new DecompressedTooLargeError("a.gz", 10);
 * assert.ok(error instanceof RangeError);
 * assert.equal(error.message, 'Cannot decompress "a.gz": it holds more than 10 bytes');
 * ```
 */
export class DecompressedTooLargeError extends RangeError {
  override name = "DecompressedTooLargeError";
  /** The compressed file. */
  readonly path: string;
  /** The limit in bytes. */
  readonly limit: number;

  /**
   * @param path The compressed file.
   * @param limit The limit in bytes.
   */
  constructor(path: string, limit: number) {
    super(`Cannot decompress "${path}": it holds more than ${limit} bytes`);
    this.path = path;
    this.limit = limit;
  }
}

const gzip: Decompressor = {
  name: "gzip",
  command: ["gzip", "-d", "-c"],
  open: openGzip,
};

function external(command: string[]): Decompressor {
  return { name: command[0], command, open: (path) => openCommand(command, path) };
}

const bzip2 = external(["bzip2", "-d", "-c"]);
const xz = external(["xz", "-d", "-c"]);

/**
 * ripgrep 13's table (grep-cli 0.1.6), matched against the end of the path, case-sensitive.
 * `.Z` goes to `gzip -d -c` there, not `uncompress`: rg 13 reports `gzip: a.Z: ...`.
 */
const BY_SUFFIX: readonly (readonly [string, Decompressor])[] = [
  [".gz", gzip],
  [".tgz", gzip],
  [".bz2", bzip2],
  [".tbz2", bzip2],
  [".xz", xz],
  [".txz", xz],
  [".lz4", external(["lz4", "-d", "-c"])],
  [".lzma", external(["xz", "--format=lzma", "-d", "-c"])],
  [".br", external(["brotli", "-d", "-c"])],
  [".zst", external(["zstd", "-q", "-d", "-c"])],
  [".zstd", external(["zstd", "-q", "-d", "-c"])],
  [".Z", external(["gzip", "-d", "-c"])],
];

/**
 * The decompressor ripgrep's `-z` would use for a path, by its ending.
 *
 * @example
 * ```ts
 * import { decompressorFor } from "./decompress.ts";
 * import assert from "node:assert/strict";
 * assert.equal(decompressorFor("logs/app.log.gz")?.name, "gzip");
 * assert.deepEqual(decompressorFor("a.lzma")?.command, ["xz", "--format=lzma", "-d", "-c"]);
 * assert.equal(decompressorFor("notes.txt"), undefined);
 * assert.equal(decompressorFor("A.GZ"), undefined);
 * ```
 *
 * @param path A file path or name.
 * @returns Its decompressor, or undefined when the name is not a compressed format's.
 */
export function decompressorFor(path: string): Decompressor | undefined {
  for (const [suffix, decompressor] of BY_SUFFIX) {
    if (path.endsWith(suffix)) return decompressor;
  }
  return undefined;
}

/**
 * Reads a whole file decompressed. A path no decompressor claims is read as it is, as
 * ripgrep's reader passes such files through.
 *
 * @example
 * ```ts
 * import { readDecompressed } from "./decompress.ts";
 * import { gzipSync } from "node:zlib";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/a.txt.gz`, gzipSync("hello\n"));
 * assert.equal(new TextDecoder().decode(await readDecompressed(`${dir}/a.txt.gz`)), "hello\n");
 * await assert.rejects(readDecompressed(`${dir}/a.txt.gz`, 3), { name: "DecompressedTooLargeError" });
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param path The file.
 * @param limit The most decompressed bytes to accept. @default {Infinity}
 * @returns The decompressed bytes.
 * @throws {DecompressorMissingError} When the program is not installed.
 * @throws {DecompressionError} When decompression fails; its `partial` holds what was
 *   decoded before.
 * @throws {DecompressedTooLargeError} When the content exceeds `limit`.
 */
export async function readDecompressed(
  path: string,
  limit: number = Infinity,
): Promise<Uint8Array> {
  const decompressor = decompressorFor(path);
  if (decompressor === undefined) {
    const bytes = await Deno.readFile(path);
    if (bytes.length > limit) throw new DecompressedTooLargeError(path, limit);
    return bytes;
  }
  if (decompressor === gzip) {
    const bytes = await gunzipWhole(path, limit);
    if (bytes !== undefined) return bytes;
    // A corrupt file: read it again as a stream, which keeps what decodes before the error.
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = decompressor.open(path).getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.length;
      if (length > limit) {
        await reader.cancel();
        throw new DecompressedTooLargeError(path, limit);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof DecompressionError) error.partial = joined(chunks);
    throw error;
  }
  return joined(chunks);
}

const gunzipAsync = promisify(gunzip);

/**
 * Gunzips a whole file in one call: three times faster than the stream on small files and
 * twice on large ones. Undefined when the data is corrupt.
 */
async function gunzipWhole(path: string, limit: number): Promise<Uint8Array | undefined> {
  const input = await Deno.readFile(path);
  // node:zlib refuses a maxOutputLength outside 1..MAX_LENGTH.
  const bounded = Number.isSafeInteger(limit) && limit >= 1 && limit < constants.MAX_LENGTH;
  try {
    const out = await gunzipAsync(input, bounded ? { maxOutputLength: limit } : {});
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (error) {
    if ((error as { code?: unknown })?.code === "ERR_BUFFER_TOO_LARGE") {
      throw new DecompressedTooLargeError(path, limit);
    }
    return undefined;
  }
}

/** The chunks as one array (the only chunk itself when there is one). */
function joined(chunks: Uint8Array[]): Uint8Array {
  return chunks.length === 1 ? chunks[0] : concat(chunks);
}

function openGzip(path: string): ReadableStream<Uint8Array> {
  // Opened here so a missing file fails now, like any unreadable file, not as a gzip error.
  const file = Deno.openSync(path, { read: true });
  let head: Uint8Array | undefined;
  const input = file.readable.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        head ??= chunk.slice(0, 3);
        controller.enqueue(chunk);
      },
    }),
  );
  // node:zlib, unlike DecompressionStream("gzip"), reads concatenated members as gzip does.
  const gunzip = Duplex.toWeb(createGunzip()) as unknown as ReadableWritablePair<
    Uint8Array,
    Uint8Array
  >;
  return mapErrors(input.pipeThrough(gunzip), (error) => {
    // Only zlib's own errors (codes Z_*) are about the data; a read error stays as it is.
    const code = (error as { code?: unknown })?.code;
    if (typeof code !== "string" || !code.startsWith("Z_")) return error;
    return new DecompressionError("gzip", path, `gzip: ${path}: ${gzipReason(error, head)}`);
  });
}

/** The words `gzip -d` uses for what zlib reports. */
function gzipReason(error: unknown, head: Uint8Array | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  const magic = head !== undefined && head[0] === 0x1f && head[1] === 0x8b;
  switch (message) {
    case "unexpected end of file":
      return "unexpected end of file";
    case "incorrect header check":
      // zlib says this of whatever follows a member too; gzip knows it as garbage.
      return magic ? "decompression OK, trailing garbage ignored" : "not in gzip format";
    case "incorrect data check":
      return "invalid compressed data--crc error";
    case "incorrect length check":
      return "invalid compressed data--length error";
    case "unknown compression method":
      if (magic && head!.length > 2 && head![2] !== 8) {
        return `unknown method ${head![2]} -- not supported`;
      }
      return "invalid compressed data--format violated";
    default:
      return "invalid compressed data--format violated";
  }
}

/** Passes a stream through, replacing the error it ends with. */
function mapErrors(
  stream: ReadableStream<Uint8Array>,
  map: (error: unknown) => unknown,
): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(map(error));
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function openCommand(command: readonly string[], path: string): ReadableStream<Uint8Array> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(command[0], {
      args: [...command.slice(1), path],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new DecompressorMissingError(command, path, { cause: error });
    }
    throw error;
  }
  // Read stderr all along: a chatty program blocked on a full stderr pipe would never end
  // its stdout.
  const stderr = new Response(child.stderr).text();
  const stdout = child.stdout.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await stdout.read();
        if (!done) return controller.enqueue(value);
        const [status, text] = await Promise.all([child.status, stderr]);
        if (status.success) return controller.close();
        const message = selfNamed(text, command[0]);
        controller.error(new DecompressionError(command[0], path, message, status.code));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel(reason) {
      try {
        child.kill();
      } catch { /* it had already exited */ }
      await stdout.cancel(reason).catch(() => {});
      await Promise.all([child.status, stderr.catch(() => "")]);
    },
  });
}

/**
 * Deno runs a program with its resolved path as argv[0], where ripgrep passes the bare name,
 * and programs such as xz begin their messages with argv[0]: `/usr/bin/xz: a.xz: ...`.
 * This puts back the name ripgrep's users see.
 */
function selfNamed(stderr: string, program: string): string {
  const name = program.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return stderr.replace(new RegExp(`^/[^\n:]*/${name}:`, "gm"), `${program}:`);
}
