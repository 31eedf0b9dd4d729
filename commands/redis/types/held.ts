/**
 * Byte strings as the keyspace and its collections hold them: a short ASCII one as a JS
 * string, anything else as bytes.
 *
 * @module
 */

/** A byte string as held: ASCII text (one char per byte) or bytes. */
export type HeldBytes = string | Uint8Array;

/**
 * String values Redis would hold with the `raw` encoding whatever their content: those that
 * APPEND, SETRANGE and SETBIT built in place. OBJECT ENCODING reads it, and the keyspace keeps
 * them as bytes.
 *
 * @example
 * ```ts
 * import { RAW_STRINGS } from "./held.ts";
 * import assert from "node:assert/strict";
 * assert.equal(RAW_STRINGS.has(new Uint8Array(1)), false);
 * ```
 */
export const RAW_STRINGS: WeakSet<Uint8Array> = new WeakSet();

/**
 * Strings up to this length, all ASCII, are held as JS strings: V8 stores one byte per
 * character behind a 16-byte header, where a Uint8Array costs about 200 bytes of objects and
 * a separately allocated backing store. ASCII only, so a reply can write them as they are.
 */
const SHORT = 64;

/**
 * The compact form of a string value: a JS string when short and ASCII, else the bytes.
 *
 * @example
 * ```ts
 * import { compactString } from "./held.ts";
 * import assert from "node:assert/strict";
 * assert.equal(compactString(new Uint8Array([120, 121])), "xy");
 * assert.ok(compactString(new Uint8Array([255])) instanceof Uint8Array);
 * ```
 *
 * @param bytes The value; kept (not copied) when it stays bytes.
 * @returns What the keyspace stores.
 */
export function compactString(bytes: Uint8Array): string | Uint8Array {
  const n = bytes.length;
  if (n > SHORT || RAW_STRINGS.has(bytes)) return bytes;
  for (let i = 0; i < n; i++) if (bytes[i] > 127) return bytes;
  if (n < 13) {
    // V8 copies concatenations shorter than 13 characters into a flat string.
    let s = "";
    for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[i]);
    return s;
  }
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/**
 * An argument as a collection holds it: {@linkcode compactString}, copying bytes that stay
 * bytes (arguments view the connection's read buffer).
 *
 * @example
 * ```ts
 * import { heldCopy } from "./held.ts";
 * import assert from "node:assert/strict";
 * assert.equal(heldCopy(new Uint8Array([104, 105])), "hi");
 * ```
 *
 * @param arg The argument.
 * @returns Text, or a copy of the bytes.
 */
export function heldCopy(arg: Uint8Array): HeldBytes {
  const value = compactString(arg);
  return value === arg ? arg.slice() : value;
}

/**
 * Whether a held byte string has exactly these bytes.
 *
 * @example
 * ```ts
 * import { heldEquals } from "./held.ts";
 * console.assert(heldEquals("ab", new Uint8Array([97, 98])));
 * ```
 *
 * @param held The held value.
 * @param bytes The bytes.
 * @returns The answer.
 */
export function heldEquals(held: HeldBytes, bytes: Uint8Array): boolean {
  const n = held.length;
  if (n !== bytes.length) return false;
  if (typeof held === "string") {
    for (let i = 0; i < n; i++) if (held.charCodeAt(i) !== bytes[i]) return false;
  } else {
    for (let i = 0; i < n; i++) if (held[i] !== bytes[i]) return false;
  }
  return true;
}

/** A random seed so that names chosen by a client cannot all land in one probe chain. */
const SEED = crypto.getRandomValues(new Uint32Array(1))[0];

/**
 * FNV-1a over a latin1 string's characters, seeded per process: the hash of the open-addressing
 * indexes (the keyspace, sets), equal to {@linkcode hashOfBytes} of the same bytes.
 *
 * @example
 * ```ts
 * import { hashOf, hashOfBytes } from "./held.ts";
 * console.assert(hashOf("ab") === hashOfBytes(new Uint8Array([97, 98])));
 * ```
 *
 * @param text Latin1 text.
 * @returns A 32-bit hash.
 */
export function hashOf(text: string): number {
  let h = SEED ^ 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * {@linkcode hashOf} over bytes, so that a name can be found from a client's bytes without
 * building its string.
 *
 * @param bytes The bytes.
 * @returns A 32-bit hash.
 */
export function hashOfBytes(bytes: Uint8Array): number {
  let h = SEED ^ 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h;
}

/**
 * Hashes of byte strings computed ahead of their lookups: a server that fetches a pipelined
 * batch's keys (or members) into the cache before running it hashes them then, and each
 * lookup takes its hash back by the identity of the view it was computed for. Views of the
 * server's read buffer are never overwritten, so the same view means the same bytes.
 *
 * @example
 * ```ts
 * import { hashOfBytes, HashesAhead } from "./held.ts";
 * import assert from "node:assert/strict";
 * const a = new Uint8Array([97]), b = new Uint8Array([98]);
 * const ahead = new HashesAhead();
 * const hashes = ahead.fill([a, b], 0, 2);
 * assert.equal(hashes[1], hashOfBytes(b));
 * assert.equal(ahead.hashOf(b), hashOfBytes(b));
 * assert.equal(ahead.hashOf(new Uint8Array([98])), hashOfBytes(b)); // computed: another view
 * ```
 */
export class HashesAhead {
  /** The most views one fill keeps. */
  static readonly SIZE = 32;
  #views: (Uint8Array | undefined)[] = new Array(HashesAhead.SIZE).fill(undefined);
  #hashes = new Int32Array(HashesAhead.SIZE);
  #count = 0;
  /** The first view no lookup has taken yet. */
  #next = 0;

  /**
   * Hashes up to {@linkcode HashesAhead.SIZE} views and keeps them for {@linkcode hashOf}.
   *
   * @param views The byte strings.
   * @param start The first of `views` to hash.
   * @param count How many from `start` (the rest of the array is not read).
   * @returns The hashes, `count` of them (at most SIZE) at the start; valid until the next fill.
   */
  fill(views: readonly Uint8Array[], start: number, count: number): Int32Array {
    const n = Math.min(count, HashesAhead.SIZE);
    const kept = this.#views;
    const hashes = this.#hashes;
    for (let i = 0; i < n; i++) {
      const view = views[start + i];
      kept[i] = view;
      // A pipeline's commands on one key often come with one view of it (see CommandReader).
      hashes[i] = i > 0 && view === kept[i - 1] ? hashes[i - 1] : hashOfBytes(view);
    }
    // Views of an earlier fill are let go, so as not to keep their read buffers alive.
    for (let i = n; i < this.#count; i++) kept[i] = undefined;
    this.#count = n;
    this.#next = 0;
    return hashes;
  }

  /**
   * The hash of bytes: the one kept when this is a view {@linkcode fill} had, else computed.
   *
   * @param bytes The bytes.
   * @returns {@linkcode hashOfBytes} of them.
   */
  hashOf(bytes: Uint8Array): number {
    const kept = this.#views;
    // Lookups mostly come in the order of the fill; one command may look its name up twice
    // and another none, so the view before the cursor and a few after it are looked at.
    const end = Math.min(this.#count, this.#next + 4);
    for (let i = Math.max(0, this.#next - 1); i < end; i++) {
      if (kept[i] === bytes) {
        this.#next = i + 1;
        return this.#hashes[i];
      }
    }
    return hashOfBytes(bytes);
  }
}
