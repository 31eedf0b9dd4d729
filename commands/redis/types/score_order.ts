/**
 * The order of a sorted set: (score, member) pairs sorted as Redis sorts them, with ranks.
 *
 * @module
 */

/** Pairs per block: a block's scores fill 1 KB, so a search inside one touches few lines. */
const CAP = 128;
const HALF = CAP / 2;
/** A block this small merges with a neighbour when both fit in half a block. */
const LOW = CAP / 4;

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

/**
 * Whether `v` is at or above the range's lower bound.
 *
 * @example
 * ```ts
 * import { scoreGteMin } from "./score_order.ts";
 * console.assert(!scoreGteMin(1, { min: 1, max: 2, minex: true, maxex: false }));
 * ```
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
 * @example
 * ```ts
 * import { scoreLteMax } from "./score_order.ts";
 * console.assert(scoreLteMax(2, { min: 1, max: 2, minex: true, maxex: false }));
 * ```
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
 * @example
 * ```ts
 * import { lexGte } from "./score_order.ts";
 * console.assert(lexGte("b", { min: "a", max: null, minex: true, maxex: false }));
 * ```
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
 * @example
 * ```ts
 * import { lexLte } from "./score_order.ts";
 * console.assert(!lexLte("b", { min: null, max: "b", minex: false, maxex: true }));
 * ```
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
 * Whether a lexical range admits nothing whatever the members (`(a (a`, `[b [a`, ...).
 *
 * @example
 * ```ts
 * import { lexEmpty } from "./score_order.ts";
 * console.assert(lexEmpty({ min: "a", max: "a", minex: true, maxex: false }));
 * ```
 *
 * @param r The range.
 * @returns The answer.
 */
export function lexEmpty(r: LexRange): boolean {
  if (r.minPlus || r.maxMinus) return true;
  if (r.min === null || r.max === null) return false;
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/** Up to {@linkcode CAP} consecutive pairs. */
class Block {
  scores: Float64Array = new Float64Array(CAP);
  members: string[] = [];
}

/**
 * Visits pairs during {@linkcode ScoreOrder.walk}.
 *
 * @param member The member.
 * @param score Its score.
 * @returns false to stop.
 */
export type PairVisitor = (member: string, score: number) => boolean;

/**
 * (score, member) pairs in Redis's order: by score, then by member bytes. A sorted list of
 * blocks of up to 128 pairs, each block's scores in a Float64Array, found by binary search
 * over the blocks' last scores, with a Fenwick tree over block lengths for ranks.
 *
 * Redis uses a skip list. In JavaScript each skip-list node is an object plus two arrays, so
 * moving one member of a 100k-member set follows ~90 dependent pointers; here the block
 * search runs over one small Float64Array and a move touches two blocks.
 *
 * @example
 * ```ts
 * import { ScoreOrder } from "./score_order.ts";
 * import assert from "node:assert/strict";
 * const order = new ScoreOrder();
 * order.insert(2, "b");
 * order.insert(1, "z");
 * order.insert(2, "a");
 * assert.equal(order.rank(2, "b"), 2);
 * assert.deepEqual(order.at(0), { member: "z", score: 1 });
 * assert.equal(order.delete(2, "a"), true);
 * assert.equal(order.length, 2);
 * ```
 */
export class ScoreOrder {
  /** Pair count. */
  length = 0;
  #blocks: Block[] = [];
  /** Each block's last score, the array the block search runs over. */
  #last: Float64Array = new Float64Array(8);
  /** Fenwick tree of block lengths (1-based); null until a rank query needs it. */
  #tree: Int32Array | null = null;

  /**
   * Adds a pair that is not present.
   *
   * @param score The score.
   * @param member The member.
   */
  insert(score: number, member: string): void {
    if (this.#blocks.length === 0) this.#insertBlock(0, new Block());
    let b = this.#blockOf(score, member);
    let block = this.#blocks[b];
    let i = position(block, score, member);
    if (block.members.length === CAP) {
      const right = new Block();
      right.scores.set(block.scores.subarray(HALF));
      right.members = block.members.splice(HALF);
      this.#last[b] = block.scores[HALF - 1];
      this.#insertBlock(b + 1, right);
      if (i > HALF) {
        b++;
        block = right;
        i -= HALF;
      }
    }
    const n = block.members.length;
    const scores = block.scores;
    scores.copyWithin(i + 1, i, n);
    scores[i] = score;
    if (i === n) {
      block.members.push(member);
      this.#last[b] = score;
    } else block.members.splice(i, 0, member);
    this.length++;
    this.#count(b, 1);
  }

  /**
   * Removes a pair.
   *
   * @param score Its score.
   * @param member Its member.
   * @returns Whether it was there.
   */
  delete(score: number, member: string): boolean {
    if (this.length === 0) return false;
    const b = this.#blockOf(score, member);
    const block = this.#blocks[b];
    const i = position(block, score, member);
    const n = block.members.length;
    if (i === n || block.scores[i] !== score || block.members[i] !== member) return false;
    this.#removeAt(b, i);
    return true;
  }

  /**
   * The 0-based rank of a pair.
   *
   * @param score Its score.
   * @param member Its member.
   * @returns The rank, or -1 when absent.
   */
  rank(score: number, member: string): number {
    if (this.length === 0) return -1;
    const b = this.#blockOf(score, member);
    const block = this.#blocks[b];
    const i = position(block, score, member);
    if (i === block.members.length || block.members[i] !== member) return -1;
    return this.#before(b) + i;
  }

  /**
   * The pair at a 0-based rank.
   *
   * @param rank In [0, length).
   * @returns The pair, or undefined outside.
   */
  at(rank: number): { member: string; score: number } | undefined {
    if (rank < 0 || rank >= this.length) return undefined;
    const [b, i] = this.#locate(rank);
    const block = this.#blocks[b];
    return { member: block.members[i], score: block.scores[i] };
  }

  /**
   * Visits pairs from a rank on, upwards or downwards, until the visitor returns false or the
   * pairs run out. The visitor must not change the order.
   *
   * @param from The first rank visited; nothing is visited outside [0, length).
   * @param reverse Walk towards rank 0.
   * @param visit Called per pair.
   */
  walk(from: number, reverse: boolean, visit: PairVisitor): void {
    if (from < 0 || from >= this.length) return;
    const blocks = this.#blocks;
    let [b, i] = this.#locate(from);
    if (!reverse) {
      for (; b < blocks.length; b++, i = 0) {
        const { members, scores } = blocks[b];
        for (; i < members.length; i++) if (!visit(members[i], scores[i])) return;
      }
      return;
    }
    for (; b >= 0; b--) {
      const { members, scores } = blocks[b];
      if (i < 0) i = members.length - 1;
      for (; i >= 0; i--) if (!visit(members[i], scores[i])) return;
    }
  }

  /**
   * Every pair in order; the order must not change meanwhile.
   *
   * @yields Member and score, lowest first.
   */
  *pairs(): Generator<{ member: string; score: number }> {
    for (const { members, scores } of this.#blocks) {
      for (let i = 0; i < members.length; i++) yield { member: members[i], score: scores[i] };
    }
  }

  /**
   * The rank of the first pair whose score is in the range's lower bound.
   *
   * @param r The range (only `min` and `minex` are read).
   * @returns The rank, or `length` when every score is below it.
   */
  firstAtOrAbove(r: ScoreRange): number {
    return this.#firstWhere((score) => scoreGteMin(score, r));
  }

  /**
   * The rank of the last pair whose score is within the range's upper bound.
   *
   * @param r The range (only `max` and `maxex` are read).
   * @returns The rank, or -1 when every score is above it.
   */
  lastAtOrBelow(r: ScoreRange): number {
    return this.#firstWhere((score) => !scoreLteMax(score, r)) - 1;
  }

  /**
   * The rank of the first member at or above a lexical lower bound, found by binary search:
   * members are in lexical order when their scores are equal, which is what lexical ranges
   * are for (Redis leaves other sets' answers unspecified).
   *
   * @param r The range (only the lower bound is read).
   * @returns The rank, or `length` when none.
   */
  firstLexAtOrAbove(r: LexRange): number {
    return this.#firstWhere((_, member) => lexGte(member, r));
  }

  /**
   * The rank of the last member at or below a lexical upper bound (see
   * {@linkcode firstLexAtOrAbove}).
   *
   * @param r The range (only the upper bound is read).
   * @returns The rank, or -1 when none.
   */
  lastLexAtOrBelow(r: LexRange): number {
    return this.#firstWhere((_, member) => !lexLte(member, r)) - 1;
  }

  /**
   * The rank of the first pair that `past` holds for, `past` being false and then true along
   * the order: a binary search over the blocks' last pairs, then inside one block.
   */
  #firstWhere(past: (score: number, member: string) => boolean): number {
    const blocks = this.#blocks;
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const members = blocks[mid].members;
      if (past(this.#last[mid], members[members.length - 1])) hi = mid;
      else lo = mid + 1;
    }
    if (lo === blocks.length) return this.length;
    const { members, scores } = blocks[lo];
    // The block's last pair is past, so the answer is inside it.
    let a = 0;
    let z = members.length - 1;
    while (a < z) {
      const mid = (a + z) >>> 1;
      if (past(scores[mid], members[mid])) z = mid;
      else a = mid + 1;
    }
    return this.#before(lo) + a;
  }

  /** The block that holds the pair, or would: the first whose last pair is not below it. */
  #blockOf(score: number, member: string): number {
    const blocks = this.#blocks;
    const last = this.#last;
    let lo = 0;
    let hi = blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = last[mid];
      if (s < score) lo = mid + 1;
      else if (s > score) hi = mid;
      else {
        const members = blocks[mid].members;
        if (members[members.length - 1] < member) lo = mid + 1;
        else hi = mid;
      }
    }
    return lo;
  }

  #removeAt(b: number, i: number): void {
    const block = this.#blocks[b];
    const members = block.members;
    const n = members.length - 1;
    block.scores.copyWithin(i, i + 1, n + 1);
    if (i === n) members.pop();
    else members.splice(i, 1);
    this.length--;
    if (n === 0) {
      this.#removeBlock(b);
      return;
    }
    if (i === n) this.#last[b] = block.scores[n - 1];
    this.#count(b, -1);
    if (n < LOW) this.#mergeAround(b);
  }

  /** Merges a small block with a neighbour when both fit in half a block. */
  #mergeAround(b: number): void {
    const blocks = this.#blocks;
    let left = b;
    if (b + 1 < blocks.length && blocks[b].members.length + blocks[b + 1].members.length <= HALF) {
      left = b;
    } else if (
      b > 0 && blocks[b - 1].members.length + blocks[b].members.length <= HALF
    ) left = b - 1;
    else return;
    const into = blocks[left];
    const from = blocks[left + 1];
    into.scores.set(from.scores.subarray(0, from.members.length), into.members.length);
    for (const m of from.members) into.members.push(m);
    this.#last[left] = this.#last[left + 1];
    this.#removeBlock(left + 1);
  }

  #insertBlock(at: number, block: Block): void {
    const n = this.#blocks.length;
    if (n === this.#last.length) {
      const last = new Float64Array(n * 2);
      last.set(this.#last);
      this.#last = last;
    }
    this.#last.copyWithin(at + 1, at, n);
    this.#last[at] = block.members.length > 0 ? block.scores[block.members.length - 1] : 0;
    this.#blocks.splice(at, 0, block);
    this.#tree = null;
  }

  #removeBlock(at: number): void {
    const n = this.#blocks.length;
    this.#last.copyWithin(at, at + 1, n);
    this.#blocks.splice(at, 1);
    this.#tree = null;
  }

  /** Keeps the Fenwick tree in step with one block's length, while there is one. */
  #count(b: number, delta: number): void {
    const tree = this.#tree;
    if (tree === null) return;
    for (let i = b + 1; i < tree.length; i += i & -i) tree[i] += delta;
  }

  #fenwick(): Int32Array {
    if (this.#tree !== null) return this.#tree;
    const blocks = this.#blocks;
    const tree = new Int32Array(blocks.length + 1);
    for (let i = 1; i < tree.length; i++) {
      tree[i] += blocks[i - 1].members.length;
      const up = i + (i & -i);
      if (up < tree.length) tree[up] += tree[i];
    }
    return this.#tree = tree;
  }

  /** Pairs in the blocks before block `b`. */
  #before(b: number): number {
    if (b === 0) return 0;
    const tree = this.#fenwick();
    let sum = 0;
    for (let i = b; i > 0; i -= i & -i) sum += tree[i];
    return sum;
  }

  /** The block and offset of a rank in [0, length). */
  #locate(rank: number): [number, number] {
    const blocks = this.#blocks;
    if (rank < blocks[0].members.length) return [0, rank];
    const lastBlock = blocks.length - 1;
    const lastStart = this.length - blocks[lastBlock].members.length;
    if (rank >= lastStart) return [lastBlock, rank - lastStart];
    // Fenwick descent: the last prefix of whole blocks that stays at or below the rank.
    const tree = this.#fenwick();
    let at = 0;
    let rest = rank;
    let step = 1;
    while (step * 2 < tree.length) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = at + step;
      if (next < tree.length && tree[next] <= rest) {
        at = next;
        rest -= tree[next];
      }
    }
    return [at, rest];
  }
}

/** Where a pair is or would go in a block: the first pair not below it. */
function position(block: Block, score: number, member: string): number {
  const scores = block.scores;
  const members = block.members;
  let lo = 0;
  let hi = members.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const s = scores[mid];
    if (s < score || (s === score && members[mid] < member)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
