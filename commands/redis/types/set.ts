/**
 * The set type: members with O(1) add, remove and random pick.
 *
 * @module
 */

import { NameTable } from "./name_table.ts";

const INTEGER = /^(?:0|-?[1-9]\d{0,18})$/;

/**
 * A Redis set of latin1 members in the dense slots of its {@linkcode NameTable}: a member is
 * found by its string or a client's bytes (SADD of a member already there and SISMEMBER build
 * no string), a random pick (SPOP, SRANDMEMBER) is a random slot, and removal moves the last
 * member into the hole.
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
 * assert.ok(!s.addBytes(new Uint8Array([97])));
 * assert.ok(s.delete("1"));
 * assert.deepEqual([...s], ["a"]);
 * ```
 */
export class RSet extends NameTable {
  #enc: "intset" | "listpack" | "hashtable" = "intset";

  /**
   * Adds a member.
   *
   * @param m The member.
   * @returns Whether it was new.
   */
  add(m: string): boolean {
    if (this.findName(m) >= 0) return false;
    this.addName(m);
    this.#grow(m);
    return true;
  }

  /**
   * Adds a member given as bytes (latin1), building its string only when it is new.
   *
   * @param bytes The member.
   * @returns Whether it was new.
   */
  addBytes(bytes: Uint8Array): boolean {
    if (this.findNameBytes(bytes) >= 0) return false;
    this.#grow(this.nameAt(this.addNameBytes(bytes))!);
    return true;
  }

  /**
   * Removes a member.
   *
   * @param m The member.
   * @returns Whether it was there.
   */
  delete(m: string): boolean {
    const slot = this.findName(m);
    if (slot < 0) return false;
    this.removeName(slot, true);
    return true;
  }

  /**
   * A member picked uniformly at random.
   *
   * @returns It, or undefined when empty.
   */
  random(): string | undefined {
    return this.used === 0 ? undefined : this.nameAt(Math.floor(Math.random() * this.used));
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
    for (const m of this) s.add(m);
    s.#enc = this.#enc;
    return s;
  }

  /**
   * The members.
   *
   * @yields Members.
   */
  *[Symbol.iterator](): IterableIterator<string> {
    // The slots as they are now: past the used ones they hold nothing, and once the table
    // grows into a new array, the walk goes on over the old one.
    const cells = this.cells as (string | undefined)[];
    for (let slot = 0; slot < cells.length; slot++) {
      const name = cells[slot];
      if (name !== undefined) yield name;
    }
  }

  #grow(m: string): void {
    const n = this.size;
    if (this.#enc === "intset") {
      if (INTEGER.test(m) && n <= 512) return;
      this.#enc = n <= 128 && this.#allShort() ? "listpack" : "hashtable";
    } else if (this.#enc === "listpack" && (n > 128 || m.length > 64)) {
      this.#enc = "hashtable";
    }
  }

  #allShort(): boolean {
    for (const m of this) if (m.length > 64) return false;
    return true;
  }
}
