/**
 * The skip list under sorted sets, as Redis builds it (`t_zset.c`): ordered by (score, member),
 * each forward link carrying a span so that ranks come in O(log n).
 *
 * @module
 */

const MAX_LEVEL = 32;
const P = 0.25;

/** A node of the {@linkcode SkipList}. */
export interface SkipNode {
  /** The member, latin1. */
  member: string;
  /** The score. */
  score: number;
  /** The previous node on level 0 (null for the first). */
  backward: SkipNode | null;
  /** Forward links per level. */
  next: (SkipNode | null)[];
  /** How many level-0 steps each forward link skips. */
  span: number[];
}

/** A score interval: `[min, max]`, either end exclusive. */
export interface ScoreRange {
  /** Lower bound. */
  min: number;
  /** Upper bound. */
  max: number;
  /** Whether `min` is excluded. */
  minex: boolean;
  /** Whether `max` is excluded. */
  maxex: boolean;
}

/**
 * A lexical interval over members. `-` as the minimum and `+` as the maximum are the open
 * ends (null); the reversed ones (`+` as the minimum, `-` as the maximum) admit nothing.
 */
export interface LexRange {
  /** Lower bound, or null for `-`. */
  min: string | null;
  /** Upper bound, or null for `+`. */
  max: string | null;
  /** Whether `min` is excluded. */
  minex: boolean;
  /** Whether `max` is excluded. */
  maxex: boolean;
  /** `min` was `+` (nothing is greater). */
  minPlus?: boolean;
  /** `max` was `-` (nothing is smaller). */
  maxMinus?: boolean;
}

function newNode(level: number, score: number, member: string): SkipNode {
  return {
    member,
    score,
    backward: null,
    next: new Array(level).fill(null),
    span: new Array(level).fill(0),
  };
}

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < P) level++;
  return level;
}

function less(a: SkipNode, score: number, member: string): boolean {
  return a.score < score || (a.score === score && a.member < member);
}

/**
 * Whether `v` is at or above the range's lower bound.
 *
 * @param v A score.
 * @param r The range.
 * @returns The answer.
 */
export function scoreGteMin(v: number, r: ScoreRange): boolean {
  return r.minex ? v > r.min : v >= r.min;
}

/**
 * Whether `v` is at or below the range's upper bound.
 *
 * @param v A score.
 * @param r The range.
 * @returns The answer.
 */
export function scoreLteMax(v: number, r: ScoreRange): boolean {
  return r.maxex ? v < r.max : v <= r.max;
}

/**
 * Whether member `v` is at or above the lexical range's lower bound.
 *
 * @param v A member.
 * @param r The range.
 * @returns The answer.
 */
export function lexGte(v: string, r: LexRange): boolean {
  if (r.minPlus) return false;
  if (r.min === null) return true;
  return r.minex ? v > r.min : v >= r.min;
}

/**
 * Whether member `v` is at or below the lexical range's upper bound.
 *
 * @param v A member.
 * @param r The range.
 * @returns The answer.
 */
export function lexLte(v: string, r: LexRange): boolean {
  if (r.maxMinus) return false;
  if (r.max === null) return true;
  return r.maxex ? v < r.max : v <= r.max;
}

/**
 * Whether a lexical range admits nothing by its bounds alone (min above max, or equal with an
 * exclusive end).
 *
 * @param r The range.
 * @returns The answer.
 */
export function lexEmpty(r: LexRange): boolean {
  if (r.minPlus || r.maxMinus) return true;
  if (r.min === null || r.max === null) return false;
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/**
 * A skip list of (score, member) with ranks.
 *
 * @example
 * ```ts
 * import { SkipList } from "./skiplist.ts";
 * import assert from "node:assert/strict";
 * const sl = new SkipList();
 * sl.insert(2, "b");
 * sl.insert(1, "a");
 * assert.equal(sl.rank(2, "b"), 2);
 * assert.equal(sl.byRank(1)?.member, "a");
 * ```
 */
export class SkipList {
  /** The sentinel before the first node. */
  readonly head: SkipNode = newNode(MAX_LEVEL, 0, "");
  /** The last node. */
  tail: SkipNode | null = null;
  /** Node count. */
  length = 0;
  #level = 1;

  /**
   * Inserts a (score, member) pair not yet present.
   *
   * @param score The score.
   * @param member The member.
   * @returns The new node.
   */
  insert(score: number, member: string): SkipNode {
    const update: SkipNode[] = new Array(MAX_LEVEL);
    const rank: number[] = new Array(MAX_LEVEL);
    let x = this.head;
    for (let i = this.#level - 1; i >= 0; i--) {
      rank[i] = i === this.#level - 1 ? 0 : rank[i + 1];
      while (x.next[i] && less(x.next[i]!, score, member)) {
        rank[i] += x.span[i];
        x = x.next[i]!;
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.#level) {
      for (let i = this.#level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.head;
        update[i].span[i] = this.length;
      }
      this.#level = level;
    }
    const node = newNode(level, score, member);
    for (let i = 0; i < level; i++) {
      node.next[i] = update[i].next[i];
      update[i].next[i] = node;
      node.span[i] = update[i].span[i] - (rank[0] - rank[i]);
      update[i].span[i] = rank[0] - rank[i] + 1;
    }
    for (let i = level; i < this.#level; i++) update[i].span[i]++;
    node.backward = update[0] === this.head ? null : update[0];
    if (node.next[0]) node.next[0].backward = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  /**
   * Removes a pair.
   *
   * @param score Its score.
   * @param member Its member.
   * @returns Whether it was there.
   */
  delete(score: number, member: string): boolean {
    const update: SkipNode[] = new Array(MAX_LEVEL);
    let x = this.head;
    for (let i = this.#level - 1; i >= 0; i--) {
      while (x.next[i] && less(x.next[i]!, score, member)) x = x.next[i]!;
      update[i] = x;
    }
    const node = x.next[0];
    if (!node || node.score !== score || node.member !== member) return false;
    this.#unlink(node, update);
    return true;
  }

  #unlink(x: SkipNode, update: SkipNode[]): void {
    for (let i = 0; i < this.#level; i++) {
      if (update[i].next[i] === x) {
        update[i].span[i] += x.span[i] - 1;
        update[i].next[i] = x.next[i];
      } else {
        update[i].span[i] -= 1;
      }
    }
    if (x.next[0]) x.next[0].backward = x.backward;
    else this.tail = x.backward;
    while (this.#level > 1 && this.head.next[this.#level - 1] === null) this.#level--;
    this.length--;
  }

  /**
   * The 1-based rank of a pair.
   *
   * @param score Its score.
   * @param member Its member.
   * @returns The rank, or 0 when absent.
   */
  rank(score: number, member: string): number {
    let rank = 0;
    let x = this.head;
    for (let i = this.#level - 1; i >= 0; i--) {
      while (
        x.next[i] &&
        (x.next[i]!.score < score ||
          (x.next[i]!.score === score && x.next[i]!.member <= member))
      ) {
        rank += x.span[i];
        x = x.next[i]!;
      }
      if (x !== this.head && x.member === member) return rank;
    }
    return 0;
  }

  /**
   * The node at a 1-based rank.
   *
   * @param rank In [1, length].
   * @returns The node, or null outside.
   */
  byRank(rank: number): SkipNode | null {
    if (rank < 1 || rank > this.length) return null;
    let traversed = 0;
    let x = this.head;
    for (let i = this.#level - 1; i >= 0; i--) {
      while (x.next[i] && traversed + x.span[i] <= rank) {
        traversed += x.span[i];
        x = x.next[i]!;
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  /**
   * The first node whose score is in the range.
   *
   * @param r The range.
   * @returns The node, or null.
   */
  firstInScore(r: ScoreRange): SkipNode | null {
    let x = this.head;
    for (let i = this.#level - 1; i >= 0; i--) {
      while (x.next[i] && !scoreGteMin(x.next[i]!.score, r)) x = x.next[i]!;
    }
    const n = x.next[0];
    return n && scoreLteMax(n.score, r) ? n : null;
  }

  /**
   * The last node whose score is in the range.
   *
   * @param r The range.
   * @returns The node, or null.
   */
  lastInScore(r: ScoreRange): SkipNode | null {
    let x = this.head;
    for (let i = this.#level - 1; i >= 0; i--) {
      while (x.next[i] && scoreLteMax(x.next[i]!.score, r)) x = x.next[i]!;
    }
    return x !== this.head && scoreGteMin(x.score, r) ? x : null;
  }

  /**
   * The first node whose member is in the lexical range. Members are only in lexical order
   * when their scores are equal; otherwise the answer depends on the walk, and `linear`
   * walks level 0 from the head as Redis does over a listpack.
   *
   * @param r The range.
   * @param linear Walk node by node (Redis's small encoding) instead of down the levels.
   * @returns The node, or null.
   */
  firstInLex(r: LexRange, linear = false): SkipNode | null {
    if (!this.#inLexRange(r)) return null;
    let n: SkipNode | null;
    if (linear) {
      n = this.head.next[0];
      while (n && !lexGte(n.member, r)) n = n.next[0];
    } else {
      let x = this.head;
      for (let i = this.#level - 1; i >= 0; i--) {
        while (x.next[i] && !lexGte(x.next[i]!.member, r)) x = x.next[i]!;
      }
      n = x.next[0];
    }
    return n && lexLte(n.member, r) ? n : null;
  }

  /**
   * The last node whose member is in the lexical range (see {@linkcode firstInLex}).
   *
   * @param r The range.
   * @param linear Walk node by node from the tail instead of down the levels.
   * @returns The node, or null.
   */
  lastInLex(r: LexRange, linear = false): SkipNode | null {
    if (!this.#inLexRange(r)) return null;
    let n: SkipNode | null;
    if (linear) {
      n = this.tail;
      while (n && !lexLte(n.member, r)) n = n.backward;
    } else {
      let x = this.head;
      for (let i = this.#level - 1; i >= 0; i--) {
        while (x.next[i] && lexLte(x.next[i]!.member, r)) x = x.next[i]!;
      }
      n = x === this.head ? null : x;
    }
    return n && lexGte(n.member, r) ? n : null;
  }

  /** Redis's quick rejection: an empty range, or one outside [first, last]. */
  #inLexRange(r: LexRange): boolean {
    if (lexEmpty(r)) return false;
    const first = this.head.next[0];
    if (!first || !lexGte(this.tail!.member, r)) return false;
    return lexLte(first.member, r);
  }

  /**
   * Removes a node found by a walk.
   *
   * @param node The node.
   */
  remove(node: SkipNode): void {
    this.delete(node.score, node.member);
  }
}
