/**
 * The one error type the engine throws, with a `kind` a caller can branch on.
 *
 * @module
 */

/** What went wrong, in a word a caller can switch on. */
export type KvErrorKind =
  | "locked"
  | "read-only"
  | "closed"
  | "corrupt"
  | "too-large"
  | "not-found"
  | "io";

/**
 * An engine error: `kind` says what happened, the message says where.
 *
 * @example
 * ```ts
 * import { KvError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new KvError("locked", 'Cannot open "/x": locked by another process');
 * assert.equal(e.kind, "locked");
 * assert.equal(e.name, "KvError");
 * ```
 */
export class KvError extends Error {
  /** What went wrong. */
  readonly kind: KvErrorKind;

  /**
   * @param kind What went wrong.
   * @param message A sentence naming the file or key involved.
   * @param options The underlying cause, if any.
   */
  constructor(kind: KvErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "KvError";
    this.kind = kind;
  }
}

/** Something found while opening that did not stop it: a cut tail, a skipped record, an ignored hint. */
export interface KvWarning {
  /** What was done about it. */
  kind: "truncated" | "skipped" | "hint-ignored" | "batch-dropped";
  /** The file it was found in. */
  file: string;
  /** Byte offset in that file. */
  offset: number;
  /** A sentence for people. */
  message: string;
}
