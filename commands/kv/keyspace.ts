/**
 * The server's view of the store: reads straight from the engine, writes gathered per
 * command (or per transaction) and handed to the engine as one call.
 *
 * @module
 */

import type { Kv, KvOp } from "../../lib/kv/mod.ts";

/** How a write sets expiry: a TTL from now, an absolute time, or none. */
export type Expiry = { ttlMs: number } | { expiresAt: number } | undefined;

interface Pending {
  value: Uint8Array | null;
  expiresAt: number | null;
}

/**
 * Reads and writes of one command or one MULTI/EXEC transaction.
 *
 * Outside a transaction each command's writes go to the engine as soon as it ends
 * ({@linkcode Keyspace.flush}): one `set`/`delete`/`expire`, or one atomic `batch` for MSET and
 * multi-key DEL. Inside one, writes land in an overlay that later reads of the same transaction
 * see, and EXEC flushes them all as one batch. The engine changes its state synchronously, and
 * nothing else runs between the commands of an EXEC, so the batch is isolated as well as atomic.
 *
 * @example
 * ```ts ignore
 * const ks = new Keyspace(kv);
 * ks.set(key, value, { ttlMs: 1000 });
 * await ks.flush();
 * ```
 */
export class Keyspace {
  #kv: Kv;
  #now: () => number;
  #ops: KvOp[] = [];
  #expire: { key: Uint8Array; ms: number | null } | undefined;
  #overlay: Map<string, Pending> | undefined;

  /**
   * @param kv The engine.
   * @param now The clock for TTLs inside transactions. @default Date.now
   */
  constructor(kv: Kv, now: () => number = Date.now) {
    this.#kv = kv;
    this.#now = now;
  }

  /** The engine, for reads that need no overlay (SCAN, DBSIZE, INFO). */
  get kv(): Kv {
    return this.#kv;
  }

  /** Starts gathering a transaction: writes go to an overlay until {@linkcode flush}. */
  beginTransaction(): void {
    this.#overlay = new Map();
  }

  /**
   * A key's value.
   *
   * @param key The key.
   * @returns The value, or null when missing or expired.
   */
  get(key: Uint8Array): Uint8Array | null {
    const pending = this.#pending(key);
    if (pending !== undefined) return pending.value;
    return this.#kv.get(key);
  }

  /**
   * Whether a key exists.
   *
   * @param key The key.
   * @returns True when it does.
   */
  has(key: Uint8Array): boolean {
    const pending = this.#pending(key);
    if (pending !== undefined) return pending.value !== null;
    return this.#kv.has(key);
  }

  /**
   * A key's expiry.
   *
   * @param key The key.
   * @returns Ms since the epoch, null for none, undefined when the key is missing.
   */
  expiresAt(key: Uint8Array): number | null | undefined {
    const pending = this.#pending(key);
    if (pending !== undefined) return pending.value === null ? undefined : pending.expiresAt;
    return this.#kv.expiresAt(key);
  }

  /**
   * Sets a key.
   *
   * @param key The key.
   * @param value The value.
   * @param expiry TTL, absolute expiry or none.
   */
  set(key: Uint8Array, value: Uint8Array, expiry: Expiry): void {
    const op: KvOp = { type: "set", key, value };
    let expiresAt: number | null = null;
    if (expiry && "ttlMs" in expiry) {
      op.ttlMs = expiry.ttlMs;
      expiresAt = this.#now() + expiry.ttlMs;
    } else if (expiry) {
      op.expiresAt = expiry.expiresAt;
      expiresAt = expiry.expiresAt;
    }
    this.#ops.push(op);
    this.#overlay?.set(name(key), { value, expiresAt });
  }

  /**
   * Deletes a key.
   *
   * @param key The key.
   */
  delete(key: Uint8Array): void {
    this.#ops.push({ type: "delete", key });
    this.#overlay?.set(name(key), { value: null, expiresAt: null });
  }

  /**
   * Sets or removes an existing key's expiry; a time not in the future deletes it.
   *
   * @param key The key (the caller has checked it exists).
   * @param ms Ms from now, or null to remove the expiry.
   */
  expire(key: Uint8Array, ms: number | null): void {
    if (ms !== null && ms <= 0) return this.delete(key);
    if (this.#overlay === undefined && this.#ops.length === 0 && this.#expire === undefined) {
      this.#expire = { key, ms };
      return;
    }
    // Inside a transaction an expiry is a rewrite of the value, so it can join the batch.
    const value = this.get(key);
    if (value === null) return;
    this.set(key, value, ms === null ? undefined : { expiresAt: this.#now() + ms });
  }

  /**
   * Hands the gathered writes to the engine and ends a transaction.
   *
   * @returns Resolves when the engine acknowledges them under its fsync mode; undefined when
   *   there was nothing to write.
   */
  flush(): Promise<unknown> | undefined {
    this.#overlay = undefined;
    const expire = this.#expire;
    if (expire !== undefined) {
      this.#expire = undefined;
      return this.#kv.expire(expire.key, expire.ms);
    }
    const ops = this.#ops;
    if (ops.length === 0) return undefined;
    this.#ops = [];
    if (ops.length === 1) {
      const op = ops[0];
      if (op.type === "delete") return this.#kv.delete(op.key);
      const options = op.ttlMs !== undefined
        ? { ttlMs: op.ttlMs }
        : op.expiresAt !== undefined
        ? { expiresAt: op.expiresAt }
        : undefined;
      return this.#kv.set(op.key, op.value, options);
    }
    return this.#kv.batch(ops);
  }

  /** Drops gathered writes (DISCARD, or a command that failed half way). */
  abandon(): void {
    this.#ops = [];
    this.#expire = undefined;
    this.#overlay = undefined;
  }

  #pending(key: Uint8Array): Pending | undefined {
    if (this.#overlay === undefined || this.#overlay.size === 0) return undefined;
    const pending = this.#overlay.get(name(key));
    if (pending && pending.expiresAt !== null && pending.expiresAt <= this.#now()) {
      return { value: null, expiresAt: null };
    }
    return pending;
  }
}

/** A key as a Map key: one UTF-16 unit per byte, so distinct keys stay distinct. */
function name(key: Uint8Array): string {
  let s = "";
  for (let i = 0; i < key.length; i += 8192) {
    s += String.fromCharCode.apply(null, key.subarray(i, i + 8192) as unknown as number[]);
  }
  return s;
}
