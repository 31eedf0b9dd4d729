/**
 * The bounds a RESP decoder enforces on what a peer may make it buffer.
 *
 * @module
 */

/** Limits on every length a peer can declare. */
export interface RespLimits {
  /** Largest bulk string, in bytes (Redis's `proto-max-bulk-len`). @default 536870912 */
  maxBulkLength?: number;
  /** Most elements in one aggregate (array, map, set, push, attribute; Redis: INT_MAX). @default 2147483647 */
  maxAggregateLength?: number;
  /** Deepest nesting of aggregates. @default 64 */
  maxDepth?: number;
  /** Longest inline command or header line without its CRLF (Redis: 64 KB). @default 65536 */
  maxInlineLength?: number;
  /** Most bytes one pending command may hold, buffer and arguments (Redis's `client-query-buffer-limit`). @default 1073741824 */
  maxQueryLength?: number;
}

/**
 * Redis's own defaults.
 *
 * @example
 * ```ts
 * import { CommandReader, DEFAULT_LIMITS } from "kit/resp";
 * import assert from "node:assert/strict";
 * assert.equal(DEFAULT_LIMITS.maxBulkLength, 512 * 1024 * 1024);
 * // A server for small values only: a tighter bound, the others as Redis.
 * const reader = new CommandReader({ ...DEFAULT_LIMITS, maxBulkLength: 1024 * 1024 });
 * assert.equal(reader.buffered, 0);
 * ```
 */
export const DEFAULT_LIMITS = {
  maxBulkLength: 512 * 1024 * 1024,
  maxAggregateLength: 2147483647,
  maxDepth: 64,
  maxInlineLength: 64 * 1024,
  maxQueryLength: 1024 * 1024 * 1024,
} as const satisfies Required<RespLimits>;
