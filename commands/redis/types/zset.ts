/**
 * The sorted-set type: an ordered block list for order and ranks plus a table for member → score.
 *
 * @module
 */

import { PairTable } from "./name_table.ts";
import { ScoreOrder } from "./score_order.ts";

/** A member and its score. */
export interface ScoredMember {
  /** The member, latin1. */
  member: string;
  /** The score. */
  score: number;
}

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
  readonly dict: PairTable<number> = new PairTable();
  /** The order. */
  readonly order: ScoreOrder = new ScoreOrder();
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
      this.move(member, old, score);
      return false;
    }
    this.insert(member, score);
    return true;
  }

  /**
   * Adds a member known to be absent (saves {@linkcode add}'s lookup).
   *
   * @param member The member.
   * @param score The score.
   */
  insert(member: string, score: number): void {
    this.dict.set(member, score);
    this.order.insert(score, member);
    if (!this.big && (member.length > 64 || this.dict.size > 128)) this.big = true;
  }

  /**
   * Gives a present member a new score.
   *
   * @param member The member.
   * @param old Its current score.
   * @param score The new score.
   */
  move(member: string, old: number, score: number): void {
    if (old === score) return;
    this.order.delete(old, member);
    this.order.insert(score, member);
    this.dict.set(member, score);
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
    this.order.delete(score, member);
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
    return this.order.rank(score, member);
  }

  /**
   * The member at a 0-based rank.
   *
   * @param i The rank.
   * @returns The member and its score, or undefined outside [0, size).
   */
  at(i: number): ScoredMember | undefined {
    return this.order.at(i);
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
    this.order.walk(0, false, (member, score) => {
      z.add(member, score);
      return true;
    });
    z.big = this.big;
    return z;
  }

  /**
   * Members and scores in order; the set must not change meanwhile.
   *
   * @returns Pairs, lowest first.
   */
  [Symbol.iterator](): IterableIterator<ScoredMember> {
    return this.order.pairs();
  }
}
