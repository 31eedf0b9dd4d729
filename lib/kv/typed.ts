/**
 * Any msgpack value over the byte store: the layer the crawler and the web framework use.
 *
 * @module
 */

import { Packr } from "../deps/msgpackr.ts";
import type { Kv, KvKey, KvScanOptions, KvSetOptions } from "./store.ts";

// Plain msgpack (no shared structures) so every value decodes on its own, by any msgpack reader.
const packr = new Packr({ useRecords: false, moreTypes: true });

/** One operation of {@linkcode TypedKv.batch}. */
export type TypedKvOp =
  | ({ type: "set"; key: KvKey; value: unknown } & KvSetOptions)
  | { type: "delete"; key: KvKey };

/** A key with its decoded value. */
export interface TypedKvEntry<T = unknown> {
  /** The key. */
  key: Uint8Array;
  /** The value. */
  value: T;
  /** ms since epoch, or null. */
  expiresAt: number | null;
}

/**
 * Stores any msgpack-encodable value: objects, arrays, strings, numbers, bigints, Dates, bytes.
 * A `Map` is stored as a msgpack map and read back as a plain object.
 *
 * @example
 * ```ts
 * import { openKv, TypedKv } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await using kv = await openKv(dir);
 * const t = new TypedKv(kv);
 * await t.set("user:1", { name: "Ada", tags: ["x"] });
 * assert.deepEqual(t.get("user:1"), { name: "Ada", tags: ["x"] });
 * ```
 */
export class TypedKv {
  /** The byte store underneath. */
  readonly kv: Kv;

  /** @param kv The byte store to encode into. */
  constructor(kv: Kv) {
    this.kv = kv;
  }

  /** The decoded value of `key`, or undefined. */
  get<T = unknown>(key: KvKey): T | undefined {
    const bytes = this.kv.get(key);
    return bytes === null ? undefined : packr.unpack(bytes) as T;
  }

  /** Encodes and stores `value`. */
  set(key: KvKey, value: unknown, options?: KvSetOptions): Promise<void> {
    return this.kv.set(key, packr.pack(value), options);
  }

  /** Deletes `key`; resolves to whether it was there. */
  delete(key: KvKey): Promise<boolean> {
    return this.kv.delete(key);
  }

  /** Whether `key` is there. */
  has(key: KvKey): boolean {
    return this.kv.has(key);
  }

  /** All of `ops` or, after a crash, none. */
  batch(ops: readonly TypedKvOp[]): Promise<void> {
    return this.kv.batch(
      ops.map((op) => op.type === "set" ? { ...op, value: packr.pack(op.value) } : op),
    );
  }

  /** Decoded entries in key order; see {@linkcode Kv.scan}. */
  *scan<T = unknown>(
    start?: KvKey | null,
    end?: KvKey | null,
    options?: KvScanOptions,
  ): Generator<TypedKvEntry<T>> {
    for (const e of this.kv.scan(start, end, options)) {
      yield { key: e.key, value: packr.unpack(e.value) as T, expiresAt: e.expiresAt };
    }
  }

  /** Decoded entries whose key starts with `prefix`. */
  *prefix<T = unknown>(prefix: KvKey, options?: KvScanOptions): Generator<TypedKvEntry<T>> {
    for (const e of this.kv.prefix(prefix, options)) {
      yield { key: e.key, value: packr.unpack(e.value) as T, expiresAt: e.expiresAt };
    }
  }
}
