/**
 * The one error type the HTTP codec and client throw.
 *
 * @module
 */

/** What went wrong, coarse enough for a CLI to pick an exit code and a hint. */
export type HttpErrorKind =
  | "dns"
  | "connect"
  | "tls"
  | "certificate"
  | "timeout"
  | "protocol"
  | "too-many-redirects"
  | "invalid-request"
  | "aborted"
  | "body";

/** The phase a timeout happened in. */
export type HttpTimeoutPhase = "connect" | "tls" | "headers" | "body" | "total";

/** Options for {@linkcode HttpError}. */
export interface HttpErrorOptions {
  /** For kind "timeout": which wait ran out. */
  phase?: HttpTimeoutPhase;
  /** For kind "protocol": the offending bytes. */
  bytes?: Uint8Array;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * An HTTP failure with a kind a caller can switch on. Messages are one line, lower-case first.
 *
 * @example
 * ```ts
 * import { HttpError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const error = new HttpError("timeout", "timed out after 5 ms waiting for the response headers", { phase: "headers" });
 * assert.equal(error.kind, "timeout");
 * assert.equal(error.phase, "headers");
 * ```
 */
export class HttpError extends Error {
  /** Always "HttpError". */
  override name = "HttpError";
  /** What went wrong. */
  readonly kind: HttpErrorKind;
  /** For kind "timeout": which wait ran out. */
  readonly phase?: HttpTimeoutPhase;
  /** For kind "protocol": the offending bytes. */
  readonly bytes?: Uint8Array;

  /**
   * Makes an error of a kind.
   *
   * @param kind What went wrong.
   * @param message One line, lower-case first.
   * @param options Phase, bytes and cause.
   */
  constructor(kind: HttpErrorKind, message: string, options: HttpErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.kind = kind;
    if (options.phase !== undefined) this.phase = options.phase;
    if (options.bytes !== undefined) this.bytes = options.bytes;
  }
}

/**
 * Shows bytes as a double-quoted string with escapes (`\r`, `\n`, `\xNN`), cut at `max` bytes,
 * so a protocol error can show what the peer sent without printing control characters.
 *
 * @example
 * ```ts
 * import { escapeBytes } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert.equal(escapeBytes(new TextEncoder().encode("HTP/1.1 200\r\n")), '"HTP/1.1 200\\r\\n"');
 * ```
 *
 * @param bytes The bytes to show.
 * @param max How many bytes to show at most; more are marked with "...".
 * @returns The quoted, escaped text.
 */
export function escapeBytes(bytes: Uint8Array, max = 200): string {
  let out = '"';
  const end = Math.min(bytes.length, max);
  for (let i = 0; i < end; i++) {
    const b = bytes[i];
    if (b === 0x0d) out += "\\r";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x09) out += "\\t";
    else if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += "\\\\";
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, "0")}`;
    else out += String.fromCharCode(b);
  }
  return out + (bytes.length > max ? '"...' : '"');
}

/**
 * A protocol error that carries and shows the offending bytes.
 *
 * @example
 * ```ts
 * import { protocolError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = protocolError("invalid status line", new TextEncoder().encode("HTP\r\n"));
 * assert.equal(e.message, 'invalid status line: "HTP\\r\\n"');
 * ```
 *
 * @param what What is wrong, e.g. "invalid status line".
 * @param bytes The offending bytes.
 * @returns The error to throw.
 */
export function protocolError(what: string, bytes: Uint8Array): HttpError {
  return new HttpError("protocol", `${what}: ${escapeBytes(bytes)}`, { bytes: bytes.slice() });
}
