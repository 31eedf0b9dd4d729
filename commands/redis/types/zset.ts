/**
 * The sorted-set type: a skip list for order and ranks plus a Map for member → score.
 *
 * @module
 */

import { SkipList, type SkipNode } from "./skiplist.ts";

/**
 * A Redis sorted set.
 *
 * @example
 * ```ts
 * import { ZSet } from "./zset.ts";
 * import assert from "node:assert/strict";
 * const z = new ZSet();
 * z.add("a", 2);
 * z.add("b", 1);
 * assert.equal(z.rank("a"), 1);
 * assert.equal(z.score("b"), 1);
 * z.add("b", 3);
 * assert.equal(z.rank("b"), 1);
 * ```
 */
export class ZSet {
  /** Member → score. */
  readonly dict: Map<string, number> = new Map();
  /** The order. */
  readonly list: SkipList = new SkipList();
  /** Set once the set outgrew the listpack limits (128 entries, 64-byte members). */
  big = false;

  /** Member count. */
  get size(): number {
    return this.dict.size;
  }

  /**
   * The score of a member.
   *
   * @param member The member.
   * @returns The score, or undefined.
   */
  score(member: string): number | undefined {
    return this.dict.get(member);
  }

  /**
   * Adds a member or moves it to a new score.
   *
   * @param member The member.
   * @param score The score.
   * @returns Whether the member is new.
   */
  add(member: string, score: number): boolean {
    const old = this.dict.get(member);
    if (old !== undefined) {
      if (old !== score) {
        this.list.delete(old, member);
        this.list.insert(score, member);
        this.dict.set(member, score);
      }
      return false;
    }
    this.dict.set(member, score);
    this.list.insert(score, member);
    if (!this.big && (member.length > 64 || this.dict.size > 128)) this.big = true;
    return true;
  }

  /**
   * Removes a member.
   *
   * @param member The member.
   * @returns Whether it was there.
   */
  delete(member: string): boolean {
    const score = this.dict.get(member);
    if (score === undefined) return false;
    this.dict.delete(member);
    this.list.delete(score, member);
    return true;
  }

  /**
   * The 0-based rank of a member, lowest score first.
   *
   * @param member The member.
   * @returns The rank, or undefined.
   */
  rank(member: string): number | undefined {
    const score = this.dict.get(member);
    if (score === undefined) return undefined;
    return this.list.rank(score, member) - 1;
  }

  /**
   * The node at a 0-based rank.
   *
   * @param i The rank.
   * @returns The node, or null.
   */
  at(i: number): SkipNode | null {
    return this.list.byRank(i + 1);
  }

  /**
   * The name OBJECT ENCODING reports.
   *
   * @returns `listpack` or `skiplist`.
   */
  encoding(): string {
    return this.big ? "skiplist" : "listpack";
  }

  /**
   * A copy.
   *
   * @returns A new set with the same members.
   */
  clone(): ZSet {
    const z = new ZSet();
    for (let n = this.list.head.next[0]; n; n = n.next[0]) z.add(n.member, n.score);
    z.big = this.big;
    return z;
  }

  /**
   * Members and scores in order.
   *
   * @yields Nodes, lowest first.
   */
  *[Symbol.iterator](): IterableIterator<SkipNode> {
    for (let n = this.list.head.next[0]; n; n = n.next[0]) yield n;
  }
}
