/**
 * The set type: members with O(1) add, remove and random pick.
 *
 * @module
 */

const INTEGER = /^(?:0|-?[1-9]\d{0,18})$/;

/**
 * A Redis set of latin1 members: a dense array for random picks (SPOP, SRANDMEMBER) and a Map
 * from member to its slot; removal swaps the last member into the hole.
 *
 * @example
 * ```ts
 * import { RSet } from "./set.ts";
 * import assert from "node:assert/strict";
 * const s = new RSet();
 * assert.ok(s.add("1"));
 * assert.ok(!s.add("1"));
 * assert.equal(s.encoding(), "intset");
 * s.add("a");
 * assert.equal(s.encoding(), "listpack");
 * assert.ok(s.delete("1"));
 * assert.deepEqual([...s], ["a"]);
 * ```
 */
export class RSet {
  #index = new Map<string, number>();
  #items: string[] = [];
  #enc: "intset" | "listpack" | "hashtable" = "intset";

  /** Member count. */
  get size(): number {
    return this.#items.length;
  }

  /**
   * Adds a member.
   *
   * @param m The member.
   * @returns Whether it was new.
   */
  add(m: string): boolean {
    if (this.#index.has(m)) return false;
    this.#index.set(m, this.#items.length);
    this.#items.push(m);
    this.#grow(m);
    return true;
  }

  /**
   * Whether `m` is a member.
   *
   * @param m The member.
   * @returns Membership.
   */
  has(m: string): boolean {
    return this.#index.has(m);
  }

  /**
   * Removes a member.
   *
   * @param m The member.
   * @returns Whether it was there.
   */
  delete(m: string): boolean {
    const at = this.#index.get(m);
    if (at === undefined) return false;
    const last = this.#items.pop()!;
    if (last !== m) {
      this.#items[at] = last;
      this.#index.set(last, at);
    }
    this.#index.delete(m);
    return true;
  }

  /**
   * A member picked uniformly at random.
   *
   * @returns It, or undefined when empty.
   */
  random(): string | undefined {
    return this.#items[Math.floor(Math.random() * this.#items.length)];
  }

  /**
   * The name OBJECT ENCODING reports; like Redis, a set never converts back to a smaller one.
   *
   * @returns `intset`, `listpack` or `hashtable`.
   */
  encoding(): string {
    return this.#enc;
  }

  /**
   * A copy.
   *
   * @returns A new set with the same members.
   */
  clone(): RSet {
    const s = new RSet();
    for (const m of this.#items) s.add(m);
    s.#enc = this.#enc;
    return s;
  }

  /**
   * The members.
   *
   * @returns An iterator.
   */
  [Symbol.iterator](): IterableIterator<string> {
    return this.#items[Symbol.iterator]();
  }

  #grow(m: string): void {
    const n = this.#items.length;
    if (this.#enc === "intset") {
      if (INTEGER.test(m) && n <= 512) return;
      this.#enc = n <= 128 && this.#allShort() ? "listpack" : "hashtable";
    } else if (this.#enc === "listpack" && (n > 128 || m.length > 64)) {
      this.#enc = "hashtable";
    }
  }

  #allShort(): boolean {
    for (const m of this.#items) if (m.length > 64) return false;
    return true;
  }
}
