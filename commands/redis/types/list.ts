/**
 * The list type: a ring-buffer deque of byte strings, O(1) at both ends and by index.
 *
 * @module
 */

import type { HeldBytes } from "./held.ts";

/**
 * A Redis list: push and pop at both ends, read and write by index, insert and remove in the
 * middle by shifting the shorter side.
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
    if (this.#len === this.#buf.length) this.#grow();
    this.#head = (this.#head - 1 + this.#buf.length) & (this.#buf.length - 1);
    this.#buf[this.#head] = v;
    this.#len++;
    this.bytes += v.length;
  }

  /**
   * Adds at the tail.
   *
   * @param v The element.
   */
  pushBack(v: HeldBytes): void {
    if (this.#len === this.#buf.length) this.#grow();
    this.#buf[(this.#head + this.#len) & (this.#buf.length - 1)] = v;
    this.#len++;
    this.bytes += v.length;
  }

  /**
   * Removes the head.
   *
   * @returns It, or undefined when empty.
   */
  popFront(): HeldBytes | undefined {
    if (this.#len === 0) return undefined;
    const v = this.#buf[this.#head]!;
    this.#buf[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#buf.length - 1);
    this.#len--;
    this.bytes -= v.length;
    return v;
  }

  /**
   * Removes the tail.
   *
   * @returns It, or undefined when empty.
   */
  popBack(): HeldBytes | undefined {
    if (this.#len === 0) return undefined;
    const at = (this.#head + this.#len - 1) & (this.#buf.length - 1);
    const v = this.#buf[at]!;
    this.#buf[at] = undefined;
    this.#len--;
    this.bytes -= v.length;
    return v;
  }

  /**
   * The element at `i` (0 is the head).
   *
   * @param i An index in [0, length).
   * @returns The element, or undefined outside.
   */
  at(i: number): HeldBytes | undefined {
    if (i < 0 || i >= this.#len) return undefined;
    return this.#buf[(this.#head + i) & (this.#buf.length - 1)];
  }

  /**
   * Replaces the element at `i`.
   *
   * @param i An index in [0, length).
   * @param v The element.
   */
  set(i: number, v: HeldBytes): void {
    const at = (this.#head + i) & (this.#buf.length - 1);
    this.bytes += v.length - this.#buf[at]!.length;
    this.#buf[at] = v;
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
        this.#buf[(this.#head + k) & mask] = this.#buf[(this.#head + k + 1) & mask];
      }
    } else {
      for (let k = this.#len; k > i; k--) {
        this.#buf[(this.#head + k) & mask] = this.#buf[(this.#head + k - 1) & mask];
      }
    }
    this.#buf[(this.#head + i) & mask] = v;
    this.#len++;
    this.bytes += v.length;
  }

  /**
   * Removes the element at `i`.
   *
   * @param i An index in [0, length).
   */
  removeAt(i: number): void {
    const mask = this.#buf.length - 1;
    this.bytes -= this.#buf[(this.#head + i) & mask]!.length;
    if (i < this.#len / 2) {
      for (let k = i; k > 0; k--) {
        this.#buf[(this.#head + k) & mask] = this.#buf[(this.#head + k - 1) & mask];
      }
      this.#buf[this.#head] = undefined;
      this.#head = (this.#head + 1) & mask;
    } else {
      for (let k = i; k < this.#len - 1; k++) {
        this.#buf[(this.#head + k) & mask] = this.#buf[(this.#head + k + 1) & mask];
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
    if (start > end || start >= this.#len) {
      this.#buf = new Array(8);
      this.#head = 0;
      this.#len = 0;
      this.bytes = 0;
      return;
    }
    for (let n = this.#len - 1 - end; n > 0; n--) this.popBack();
    for (let n = start; n > 0; n--) this.popFront();
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
      yield this.#buf[(this.#head + i) & mask]!;
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
      yield this.#buf[(this.#head + i) & mask]!;
    }
  }

  /**
   * Replaces the contents.
   *
   * @param items The new elements, head first.
   */
  replace(items: HeldBytes[]): void {
    this.#buf = new Array(8);
    this.#head = 0;
    this.#len = 0;
    this.bytes = 0;
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

  #grow(): void {
    const old = this.#buf;
    const next: (HeldBytes | undefined)[] = new Array(old.length * 2);
    const mask = old.length - 1;
    for (let i = 0; i < this.#len; i++) next[i] = old[(this.#head + i) & mask];
    this.#buf = next;
    this.#head = 0;
  }
}
