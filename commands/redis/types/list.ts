/**
 * The list type: a ring-buffer deque of byte strings, O(1) at both ends and by index.
 *
 * @module
 */

import { latin1Range } from "../../../lib/resp/args.ts";
import { type HeldBytes, heldCopy } from "./held.ts";
import { noteBulkWork } from "./bulk_work.ts";

/** Elements of up to this many ASCII bytes live in the list's byte ring, not as objects. */
const SHORT = 15;
/** Bytes per position of the byte ring: the length, then the element. */
const CELL = 16;
/** The position's element is an object of the element array. */
const HELD = 255;
const NO_RING = new Uint8Array(0);

/**
 * A Redis list: push and pop at both ends, read and write by index, insert and remove in the
 * middle by shifting the shorter side. Elements of up to 15 ASCII bytes are kept in a byte
 * ring beside the ring of elements (16 bytes a position), as Redis packs small elements into a
 * listpack: pushing one makes no object for the collector to keep.
 *
 * @example
 * ```ts
 * import { List } from "./list.ts";
 * import assert from "node:assert/strict";
 * const l = new List();
 * l.pushBack(new Uint8Array([1]));
 * l.pushFront(new Uint8Array([0]));
 * assert.equal(l.length, 2);
 * assert.deepEqual(l.at(1), new Uint8Array([1]));
 * assert.deepEqual(l.popFront(), new Uint8Array([0]));
 * ```
 */
export class List {
  #buf: (HeldBytes | undefined)[] = new Array(8);
  /**
   * Per position, CELL bytes: a short element's length and bytes, or HELD when the element is
   * in #buf. Made when the first short element comes; every position is written before it is
   * read.
   */
  #short: Uint8Array | null = null;
  #head = 0;
  #len = 0;
  /** Sum of the element lengths, for OBJECT ENCODING. */
  bytes = 0;

  /** Element count. */
  get length(): number {
    return this.#len;
  }

  /**
   * Adds at the head.
   *
   * @param v The element.
   */
  pushFront(v: HeldBytes): void {
    this.#store(this.#front(), v);
    this.#added(v.length);
  }

  /**
   * Adds at the tail.
   *
   * @param v The element.
   */
  pushBack(v: HeldBytes): void {
    this.#store(this.#back(), v);
    this.#added(v.length);
  }

  /**
   * Adds at the head an element given as a client's bytes: a short one is copied into the
   * list's byte ring, another is held as held.ts holds it.
   *
   * @param bytes The element.
   */
  pushFrontBytes(bytes: Uint8Array): void {
    this.#storeBytes(this.#front(), bytes);
    this.#added(bytes.length);
  }

  /**
   * Adds at the tail an element given as a client's bytes (see {@linkcode pushFrontBytes}).
   *
   * @param bytes The element.
   */
  pushBackBytes(bytes: Uint8Array): void {
    this.#storeBytes(this.#back(), bytes);
    this.#added(bytes.length);
  }

  /**
   * Removes the head.
   *
   * @returns It, or undefined when empty.
   */
  popFront(): HeldBytes | undefined {
    if (this.#len === 0) return undefined;
    const v = this.#get(this.#head);
    this.dropFront();
    return v;
  }

  /**
   * Removes the tail.
   *
   * @returns It, or undefined when empty.
   */
  popBack(): HeldBytes | undefined {
    if (this.#len === 0) return undefined;
    const v = this.#get((this.#head + this.#len - 1) & (this.#buf.length - 1));
    this.dropBack();
    return v;
  }

  /** Removes the head, if any, without reading it. */
  dropFront(): void {
    if (this.#len === 0) return;
    this.bytes -= this.#lengthAt(this.#head);
    this.#buf[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#buf.length - 1);
    this.#len--;
  }

  /** Removes the tail, if any, without reading it. */
  dropBack(): void {
    if (this.#len === 0) return;
    const at = (this.#head + this.#len - 1) & (this.#buf.length - 1);
    this.bytes -= this.#lengthAt(at);
    this.#buf[at] = undefined;
    this.#len--;
  }

  /**
   * Where the element at `i` is when the byte ring holds it: the offset in {@linkcode ring} of
   * its length, its bytes following. A reply copies it from there, with no string made.
   *
   * @param i An index in [0, length).
   * @returns The offset, or -1 when the element is held as an object ({@linkcode at} reads it).
   */
  shortAt(i: number): number {
    const short = this.#short;
    if (short === null) return -1;
    const at = ((this.#head + i) & (this.#buf.length - 1)) * CELL;
    return short[at] === HELD ? -1 : at;
  }

  /**
   * The byte ring {@linkcode shortAt} points into; valid until the list next changes.
   *
   * @returns The bytes.
   */
  get ring(): Uint8Array {
    return this.#short ?? NO_RING;
  }

  /**
   * The element at `i` (0 is the head).
   *
   * @param i An index in [0, length).
   * @returns The element, or undefined outside.
   */
  at(i: number): HeldBytes | undefined {
    if (i < 0 || i >= this.#len) return undefined;
    return this.#get((this.#head + i) & (this.#buf.length - 1));
  }

  /**
   * Replaces the element at `i`.
   *
   * @param i An index in [0, length).
   * @param v The element.
   */
  set(i: number, v: HeldBytes): void {
    const at = (this.#head + i) & (this.#buf.length - 1);
    this.bytes += v.length - this.#lengthAt(at);
    this.#store(at, v);
  }

  /**
   * Inserts before index `i` (`i === length` appends).
   *
   * @param i An index in [0, length].
   * @param v The element.
   */
  insert(i: number, v: HeldBytes): void {
    if (i <= 0) return this.pushFront(v);
    if (i >= this.#len) return this.pushBack(v);
    if (this.#len === this.#buf.length) this.#grow();
    const mask = this.#buf.length - 1;
    if (i < this.#len / 2) {
      this.#head = (this.#head - 1) & mask;
      for (let k = 0; k < i; k++) {
        this.#move((this.#head + k + 1) & mask, (this.#head + k) & mask);
      }
    } else {
      for (let k = this.#len; k > i; k--) {
        this.#move((this.#head + k - 1) & mask, (this.#head + k) & mask);
      }
    }
    this.#store((this.#head + i) & mask, v);
    this.#added(v.length);
  }

  /**
   * Removes the element at `i`.
   *
   * @param i An index in [0, length).
   */
  removeAt(i: number): void {
    const mask = this.#buf.length - 1;
    this.bytes -= this.#lengthAt((this.#head + i) & mask);
    if (i < this.#len / 2) {
      for (let k = i; k > 0; k--) {
        this.#move((this.#head + k - 1) & mask, (this.#head + k) & mask);
      }
      this.#buf[this.#head] = undefined;
      this.#head = (this.#head + 1) & mask;
    } else {
      for (let k = i; k < this.#len - 1; k++) {
        this.#move((this.#head + k + 1) & mask, (this.#head + k) & mask);
      }
      this.#buf[(this.#head + this.#len - 1) & mask] = undefined;
    }
    this.#len--;
  }

  /**
   * Keeps the elements in [start, end] only.
   *
   * @param start First index kept.
   * @param end Last index kept.
   */
  trim(start: number, end: number): void {
    if (start > end || start >= this.#len) return this.#clear();
    for (let n = this.#len - 1 - end; n > 0; n--) this.dropBack();
    for (let n = start; n > 0; n--) this.dropFront();
  }

  /**
   * The elements in [start, end], head first.
   *
   * @param start First index.
   * @param end Last index.
   * @yields The elements.
   */
  *range(start: number = 0, end: number = this.#len - 1): IterableIterator<HeldBytes> {
    const mask = this.#buf.length - 1;
    for (let i = Math.max(0, start); i <= end && i < this.#len; i++) {
      yield this.#get((this.#head + i) & mask);
    }
  }

  /**
   * The elements in [start, end] in reverse, tail first.
   *
   * @param start The highest index.
   * @param end The lowest index.
   * @yields The elements.
   */
  *rangeReverse(start: number = this.#len - 1, end: number = 0): IterableIterator<HeldBytes> {
    const mask = this.#buf.length - 1;
    for (let i = Math.min(this.#len - 1, start); i >= end && i >= 0; i--) {
      yield this.#get((this.#head + i) & mask);
    }
  }

  /**
   * Replaces the contents.
   *
   * @param items The new elements, head first.
   */
  replace(items: HeldBytes[]): void {
    this.#clear();
    for (const v of items) this.pushBack(v);
  }

  /**
   * A copy.
   *
   * @returns A new list with the same elements.
   */
  clone(): List {
    const l = new List();
    for (const v of this.range()) l.pushBack(v);
    return l;
  }

  /** The position a new head goes to (the list made room for it). */
  #front(): number {
    if (this.#len === this.#buf.length) this.#grow();
    return this.#head = (this.#head - 1) & (this.#buf.length - 1);
  }

  /** The position a new tail goes to (the list made room for it). */
  #back(): number {
    if (this.#len === this.#buf.length) this.#grow();
    return (this.#head + this.#len) & (this.#buf.length - 1);
  }

  /** The element at a position. */
  #get(at: number): HeldBytes {
    const short = this.#short;
    if (short !== null) {
      const i = at * CELL;
      const n = short[i];
      if (n !== HELD) return latin1Range(short, i + 1, i + 1 + n);
    }
    return this.#buf[at]!;
  }

  /** The length of the element at a position. */
  #lengthAt(at: number): number {
    const short = this.#short;
    if (short !== null && short[at * CELL] !== HELD) return short[at * CELL];
    return this.#buf[at]!.length;
  }

  /** Counts an element just stored. */
  #added(length: number): void {
    this.#len++;
    this.bytes += length;
  }

  /** Stores an element at a position: a short ASCII string into the byte ring. */
  #store(at: number, v: HeldBytes): void {
    // Held strings are ASCII (held.ts).
    if (typeof v === "string" && v.length <= SHORT) {
      const short = this.#short ?? this.#makeShort();
      let i = at * CELL;
      short[i++] = v.length;
      for (let k = 0; k < v.length; k++) short[i++] = v.charCodeAt(k);
      this.#buf[at] = undefined;
      return;
    }
    this.#buf[at] = v;
    if (this.#short !== null) this.#short[at * CELL] = HELD;
  }

  /** {@linkcode #store} for an element given as a client's bytes, at a new head or tail. */
  #storeBytes(at: number, bytes: Uint8Array): void {
    const n = bytes.length;
    let ascii = n <= SHORT;
    for (let k = 0; ascii && k < n; k++) ascii = bytes[k] < 128;
    if (!ascii) return this.#store(at, heldCopy(bytes));
    const short = this.#short ?? this.#makeShort();
    let i = at * CELL;
    short[i++] = n;
    for (let k = 0; k < n; k++) short[i++] = bytes[k];
    // A new head or tail: its place in #buf is empty already (drops and removals clear it).
  }

  /** Moves the element at one position to another. */
  #move(from: number, to: number): void {
    this.#buf[to] = this.#buf[from];
    const short = this.#short;
    if (short !== null) {
      for (let k = 0; k < CELL; k++) short[to * CELL + k] = short[from * CELL + k];
    }
  }

  /** The byte ring, every position marked as held in #buf. */
  #makeShort(): Uint8Array {
    return this.#short = new Uint8Array(this.#buf.length * CELL).fill(HELD);
  }

  #clear(): void {
    this.#buf = new Array(8);
    this.#short = null;
    this.#head = 0;
    this.#len = 0;
    this.bytes = 0;
  }

  #grow(): void {
    noteBulkWork(this.#len);
    const old = this.#buf;
    const head = this.#head;
    const len = this.#len;
    const next: (HeldBytes | undefined)[] = new Array(old.length * 2);
    // The elements from the head to the end of the ring, then those that wrapped around.
    const first = Math.min(len, old.length - head);
    for (let i = 0; i < first; i++) next[i] = old[head + i];
    for (let i = first; i < len; i++) next[i] = old[i - first];
    const short = this.#short;
    if (short !== null) {
      const grown = new Uint8Array(next.length * CELL);
      grown.set(short.subarray(head * CELL, (head + first) * CELL));
      grown.set(short.subarray(0, (len - first) * CELL), first * CELL);
      this.#short = grown;
    }
    this.#buf = next;
    this.#head = 0;
  }
}
