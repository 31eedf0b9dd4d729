/**
 * HSCAN, SSCAN and ZSCAN over large collections: cursors that walk a snapshot of the
 * collection's members in steps of COUNT.
 *
 * Redis walks a hash table with a reverse-binary cursor, which guarantees that an element
 * present for the whole iteration is returned at least once. A JavaScript Map cannot be
 * walked from a position that survives deletions, so the first step takes a snapshot of the
 * members (an array of references, 8 bytes each) and the cursor names that snapshot and the
 * position in it: every member present at the first step and still present when its turn
 * comes is returned exactly once, members added meanwhile may not be, as Redis allows.
 * Collections that fit in one step (the usual small ones) are answered whole with cursor 0
 * and keep no snapshot. Snapshots are few and bounded: the oldest is dropped first, and a
 * cursor whose snapshot is gone (or from before a restart) continues at its position in a
 * fresh snapshot, which may repeat or skip members changed since, but never fails.
 *
 * @module
 */

/**
 * Collections up to this size are answered in one step whatever COUNT says, as Redis answers
 * its small encodings (listpack, intset).
 */
const WHOLE = 128;
/** Bits of a cursor that hold the position in its snapshot. */
const POSITION = 2 ** 32;
/** Snapshot ids cycle below this, so a cursor stays an exact integer. */
const MAX_ID = 2 ** 20;
/** Members held by all snapshots together before the oldest are dropped. */
const MAX_MEMBERS = 16 * 1024 * 1024;
/** Snapshots held at most. */
const MAX_SNAPSHOTS = 256;

/**
 * The snapshots of scans in progress, for one server.
 *
 * @example
 * ```ts
 * import { CollectionScans } from "./collection_scan.ts";
 * import assert from "node:assert/strict";
 * const scans = new CollectionScans();
 * const members = Array.from({ length: 250 }, (_, i) => `m${i}`);
 * const seen: string[] = [];
 * let cursor = 0;
 * do {
 *   const step = scans.step(() => members, cursor, 100);
 *   seen.push(...step.members);
 *   cursor = step.cursor;
 * } while (cursor !== 0);
 * assert.deepEqual(seen, members);
 * ```
 */
export class CollectionScans {
  #snapshots = new Map<number, string[]>();
  #held = 0;
  #nextId = 1;

  /**
   * One step of a scan.
   *
   * @param members The collection's members now (called at the first step, or when the
   *   cursor's snapshot is gone).
   * @param cursor 0 to start, then what the previous step returned.
   * @param count How many members to visit (COUNT).
   * @returns The members visited (the caller checks each is still there and matches) and the
   *   next cursor, 0 when the scan is done.
   */
  step(
    members: () => string[],
    cursor: number,
    count: number,
  ): { members: string[]; cursor: number } {
    let id = Math.floor(cursor / POSITION);
    const position = cursor % POSITION;
    let snapshot = id === 0 ? undefined : this.#snapshots.get(id);
    if (snapshot === undefined) {
      snapshot = members();
      if (position === 0 && snapshot.length <= Math.max(count, WHOLE)) {
        return { members: snapshot, cursor: 0 };
      }
      if (position >= snapshot.length) return { members: [], cursor: 0 };
      id = this.#keep(snapshot);
    }
    const end = Math.min(snapshot.length, position + Math.max(1, count));
    const visited = snapshot.slice(position, end);
    if (end >= snapshot.length) {
      this.#drop(id);
      return { members: visited, cursor: 0 };
    }
    return { members: visited, cursor: id * POSITION + end };
  }

  /** Snapshots held now (for tests). */
  get size(): number {
    return this.#snapshots.size;
  }

  #keep(snapshot: string[]): number {
    while (
      this.#snapshots.size > 0 &&
      (this.#snapshots.size >= MAX_SNAPSHOTS || this.#held + snapshot.length > MAX_MEMBERS)
    ) {
      this.#drop(this.#snapshots.keys().next().value!);
    }
    const id = this.#nextId;
    this.#nextId = this.#nextId % (MAX_ID - 1) + 1;
    this.#drop(id);
    this.#snapshots.set(id, snapshot);
    this.#held += snapshot.length;
    return id;
  }

  #drop(id: number): void {
    const snapshot = this.#snapshots.get(id);
    if (snapshot === undefined) return;
    this.#snapshots.delete(id);
    this.#held -= snapshot.length;
  }
}
