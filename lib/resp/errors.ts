/**
 * The error a RESP decoder throws on bytes that break the protocol or its limits.
 *
 * @module
 */

/**
 * Bytes that are not RESP, or that exceed a {@linkcode RespLimits} bound. The message is the
 * text Redis sends back in the same case (`Protocol error: invalid bulk length`), so a server
 * replies `-ERR <message>` and closes the connection, as Redis does.
 *
 * @example
 * ```ts
 * import { RespProtocolError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const error = new RespProtocolError("Protocol error: invalid bulk length", 7);
 * assert.ok(error instanceof SyntaxError);
 * assert.equal(error.offset, 7);
 * ```
 */
export class RespProtocolError extends SyntaxError {
  override name = "RespProtocolError";
  /** Byte offset in the stream, counted from the first byte the decoder was given. */
  readonly offset: number;

  /**
   * @param message What was wrong, in Redis's words.
   * @param offset Where in the stream.
   */
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}
