/**
 * The input buffer the decoders share.
 *
 * Bytes handed out as views (bulk strings) are never overwritten: when the buffer is full the
 * unread bytes move to a new buffer and the old one stays with whoever holds views into it.
 * That makes every parsed argument a zero-copy view that stays valid.
 *
 * @module
 */

const MIN_CAPACITY = 64 * 1024;

/** Room reserved for a bulk string before any of it has arrived. */
const PREALLOCATE = 1024 * 1024;

/**
 * How much room to make for a bulk string of `total` bytes of which `have` arrived: all of it
 * when small, else twice what came so far. A peer that declares 512 MB and sends nothing makes
 * the server allocate 1 MB, not 512, while an honest large value is copied O(log n) times.
 */
export function bulkRoom(total: number, have: number): number {
  return Math.min(total, Math.max(PREALLOCATE, have * 2));
}

/** A growable byte buffer with a read position; folder-private. */
export class ReadBuffer {
  /** The bytes; valid from `pos` to `end`. Always a whole ArrayBuffer (byteOffset 0). */
  buf: Uint8Array = new Uint8Array(MIN_CAPACITY);
  /** First unread byte. */
  pos = 0;
  /** One past the last written byte. */
  end = 0;
  /** Bytes consumed before `buf`'s first byte, for error offsets. */
  base = 0;

  /** Unread bytes. */
  get length(): number {
    return this.end - this.pos;
  }

  /**
   * A writable region of at least `min` bytes after the unread ones; fill it and call
   * {@linkcode commit}. Moves unread bytes to a fresh buffer when the current one is full.
   */
  reserve(min: number): Uint8Array {
    if (this.buf.length - this.end < min) this.#grow(min);
    return this.buf.subarray(this.end);
  }

  /** Marks `n` bytes of the region from {@linkcode reserve} as written. */
  commit(n: number): void {
    this.end += n;
  }

  /** Copies `chunk` in. */
  push(chunk: Uint8Array): void {
    this.reserve(chunk.length).set(chunk);
    this.end += chunk.length;
  }

  /** Ensures the buffer can hold `total` unread bytes without moving them again. */
  ensureCapacity(total: number): void {
    if (this.buf.length - this.pos < total) this.#grow(total - this.length);
  }

  #grow(min: number): void {
    const unread = this.length;
    const size = Math.max(MIN_CAPACITY, unread + min, unread < MIN_CAPACITY ? 0 : unread * 2);
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(this.pos, this.end));
    this.base += this.pos;
    this.buf = next;
    this.pos = 0;
    this.end = unread;
  }
}
