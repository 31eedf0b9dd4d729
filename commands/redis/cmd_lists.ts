/**
 * List commands (the non-blocking ones) and the push/pop helpers the blocking commands use.
 *
 * @module
 */

import { type Command, type CommandContext, ReplyError } from "./command.ts";
import type { Database } from "./db.ts";
import type { RespWriter } from "../../lib/resp/mod.ts";
import { List } from "./types/list.ts";
import {
  clampRange,
  intArg,
  keyOf,
  positiveArg,
  SYNTAX,
  typed,
  word,
  writeStored,
} from "./_args.ts";
import { type HeldBytes, heldCopy, heldEquals } from "./types/held.ts";

/** An end of a list. */
export type ListEnd = "left" | "right";

/**
 * The list at `key`, or undefined; throws WRONGTYPE for another type.
 *
 * @example
 * ```ts
 * import { getList } from "./cmd_lists.ts";
 * import { Database } from "./db.ts";
 * import assert from "node:assert/strict";
 * assert.equal(getList(new Database(0, Date.now), "k"), undefined);
 * ```
 *
 * @param db The database.
 * @param key The key.
 * @returns The list.
 */
export function getList(db: Database, key: string): List | undefined {
  return typed(db, key, "list");
}

/**
 * Pops one element from an end of the list at `key`, deleting the key when it empties.
 *
 * @example
 * ```ts
 * import { popFromList, pushToList } from "./cmd_lists.ts";
 * import { Database } from "./db.ts";
 * import assert from "node:assert/strict";
 * const db = new Database(0, Date.now);
 * pushToList(db, "k", [new Uint8Array([7])], "right");
 * assert.deepEqual(popFromList(db, "k", "left"), new Uint8Array([7]));
 * assert.equal(db.has("k"), false);
 * ```
 *
 * @param db The database.
 * @param key The key.
 * @param end Which end.
 * @returns The element, or undefined when there is no list.
 */
export function popFromList(db: Database, key: string, end: ListEnd): HeldBytes | undefined {
  const list = getList(db, key);
  if (list === undefined) return undefined;
  const v = list.at(end === "left" ? 0 : list.length - 1);
  dropEnd(db, key, list, end);
  return v;
}

/** Takes the element at an end off the list at `key`, deleting the list once empty. */
function dropEnd(db: Database, key: string, list: List, end: ListEnd): void {
  if (end === "left") list.dropFront();
  else list.dropBack();
  if (list.length === 0) db.delete(key);
  else db.touch(key);
}

/** Writes a list's element at index `i` (null outside), short ones straight from its ring. */
function writeElement(out: RespWriter, list: List, i: number): void {
  const at = i >= 0 && i < list.length ? list.shortAt(i) : -1;
  if (at < 0) return writeStored(out, list.at(i));
  const ring = list.ring;
  out.bulkRange(ring, at + 1, at + 1 + ring[at]);
}

/**
 * Pushes elements onto an end of the list at `key`, creating it.
 *
 * @example
 * ```ts
 * import { pushToList } from "./cmd_lists.ts";
 * import { Database } from "./db.ts";
 * import assert from "node:assert/strict";
 * const db = new Database(0, Date.now);
 * assert.equal(pushToList(db, "k", [new Uint8Array([1]), new Uint8Array([2])], "left"), 2);
 * ```
 *
 * @param db The database.
 * @param key The key.
 * @param items The elements as held (see held.ts: not copied), pushed one after the other.
 * @param end Which end.
 * @param fromClient The items are a client's arguments, copied as the list holds them.
 * @param from The first of `items` to push (a command's arguments are pushed from its third).
 * @returns The new length.
 */
export function pushToList(
  db: Database,
  key: string,
  items: readonly HeldBytes[],
  end: ListEnd,
  fromClient = false,
  from = 0,
): number {
  let list = getList(db, key);
  const created = list === undefined;
  list ??= new List();
  for (let i = from; i < items.length; i++) {
    const item = items[i];
    if (fromClient) {
      if (end === "left") list.pushFrontBytes(item as Uint8Array);
      else list.pushBackBytes(item as Uint8Array);
    } else if (end === "left") list.pushFront(item);
    else list.pushBack(item);
  }
  if (created) db.set(key, { type: "list", value: list });
  else db.touch(key);
  return list.length;
}

/**
 * Moves one element from an end of `src` to an end of `dst` (LMOVE); checks `dst`'s type
 * before popping, as Redis does.
 *
 * @example
 * ```ts
 * import { moveBetweenLists, pushToList } from "./cmd_lists.ts";
 * import { Database } from "./db.ts";
 * import assert from "node:assert/strict";
 * const db = new Database(0, Date.now);
 * pushToList(db, "a", [new Uint8Array([1])], "right");
 * assert.deepEqual(moveBetweenLists(db, "a", "b", "left", "right"), new Uint8Array([1]));
 * assert.equal(db.has("a"), false);
 * ```
 *
 * @param db The database.
 * @param src Source key.
 * @param dst Destination key.
 * @param from End popped from.
 * @param to End pushed to.
 * @returns The element, or undefined when `src` has no list.
 */
export function moveBetweenLists(
  db: Database,
  src: string,
  dst: string,
  from: ListEnd,
  to: ListEnd,
): HeldBytes | undefined {
  const source = getList(db, src);
  if (source === undefined) return undefined;
  getList(db, dst);
  const v = popFromList(db, src, from)!;
  pushToList(db, dst, [v], to);
  return v;
}

function endArg(bytes: Uint8Array): ListEnd {
  const w = word(bytes);
  if (w === "left" || w === "right") return w;
  throw new ReplyError(SYNTAX);
}

function push(ctx: CommandContext, args: Uint8Array[], end: ListEnd, onlyIfExists: boolean): void {
  const key = ctx.db.key(args[1]);
  if (onlyIfExists && getList(ctx.db, key) === undefined) return ctx.out.integer(0);
  ctx.out.integer(pushToList(ctx.db, key, args, end, true, 2));
}

function pop(ctx: CommandContext, args: Uint8Array[], end: ListEnd): void {
  if (args.length > 3) {
    throw new ReplyError(
      `ERR wrong number of arguments for '${end === "left" ? "l" : "r"}pop' command`,
    );
  }
  const key = ctx.db.key(args[1]);
  if (args.length === 2) {
    const list = getList(ctx.db, key);
    if (list === undefined) return ctx.out.null();
    writeElement(ctx.out, list, end === "left" ? 0 : list.length - 1);
    return dropEnd(ctx.db, key, list, end);
  }
  const count = positiveArg(args[2]);
  const list = getList(ctx.db, key);
  if (list === undefined) return ctx.out.nullArray();
  const n = Math.min(count, list.length);
  ctx.out.arrayHeader(n);
  for (let i = 0; i < n; i++) {
    writeStored(ctx.out, end === "left" ? list.popFront()! : list.popBack()!);
  }
  if (list.length === 0) ctx.db.delete(key);
  else if (n > 0) ctx.db.touch(key);
}

function lrange(ctx: CommandContext, args: Uint8Array[]): void {
  const start = intArg(args[2]);
  const end = intArg(args[3]);
  const list = getList(ctx.db, ctx.db.key(args[1]));
  const range = list ? clampRange(start, end, list.length) : undefined;
  if (!list || !range) return ctx.out.arrayHeader(0);
  ctx.out.arrayHeader(range[1] - range[0] + 1);
  for (let i = range[0]; i <= range[1]; i++) writeElement(ctx.out, list, i);
}

function lindex(ctx: CommandContext, args: Uint8Array[]): void {
  const index = intArg(args[2]);
  const list = getList(ctx.db, ctx.db.key(args[1]));
  if (list === undefined) return ctx.out.null();
  writeElement(ctx.out, list, index < 0 ? list.length + index : index);
}

function lset(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  const index = intArg(args[2]);
  const list = getList(ctx.db, key);
  if (list === undefined) throw new ReplyError("ERR no such key");
  const i = index < 0 ? list.length + index : index;
  if (i < 0 || i >= list.length) throw new ReplyError("ERR index out of range");
  list.set(i, heldCopy(args[3]));
  ctx.db.touch(key);
  ctx.out.ok();
}

function lrem(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  const count = intArg(args[2]);
  const target = args[3];
  const list = getList(ctx.db, key);
  if (list === undefined) return ctx.out.integer(0);
  const limit = count === 0 ? Infinity : Math.abs(count);
  let removed = 0;
  if (count >= 0) {
    for (let i = 0; i < list.length && removed < limit;) {
      if (heldEquals(list.at(i)!, target)) {
        list.removeAt(i);
        removed++;
      } else i++;
    }
  } else {
    for (let i = list.length - 1; i >= 0 && removed < limit; i--) {
      if (heldEquals(list.at(i)!, target)) {
        list.removeAt(i);
        removed++;
      }
    }
  }
  if (list.length === 0) ctx.db.delete(key);
  else if (removed > 0) ctx.db.touch(key);
  ctx.out.integer(removed);
}

function ltrim(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  const start = intArg(args[2]);
  const end = intArg(args[3]);
  const list = getList(ctx.db, key);
  if (list === undefined) return ctx.out.ok();
  const range = clampRange(start, end, list.length);
  if (!range) list.trim(1, 0);
  else list.trim(range[0], range[1]);
  if (list.length === 0) ctx.db.delete(key);
  else ctx.db.touch(key);
  ctx.out.ok();
}

function linsert(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  const where = word(args[2]);
  if (where !== "before" && where !== "after") throw new ReplyError(SYNTAX);
  const list = getList(ctx.db, key);
  if (list === undefined) return ctx.out.integer(0);
  for (let i = 0; i < list.length; i++) {
    if (heldEquals(list.at(i)!, args[3])) {
      list.insert(where === "before" ? i : i + 1, heldCopy(args[4]));
      ctx.db.touch(key);
      return ctx.out.integer(list.length);
    }
  }
  ctx.out.integer(-1);
}

function lpos(ctx: CommandContext, args: Uint8Array[]): void {
  const key = ctx.db.key(args[1]);
  let rank = 1;
  let count: number | undefined;
  let maxlen = 0;
  for (let i = 3; i < args.length; i++) {
    const opt = word(args[i]);
    if (i + 1 >= args.length || !["rank", "count", "maxlen"].includes(opt)) {
      throw new ReplyError(SYNTAX);
    }
    const n = intArg(args[++i]);
    if (opt === "rank") {
      if (n === 0) {
        throw new ReplyError(
          "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... " +
            "or use negative to start from the end of the list",
        );
      }
      rank = n;
    } else if (opt === "count") {
      if (n < 0) throw new ReplyError("ERR COUNT can't be negative");
      count = n;
    } else if (opt === "maxlen") {
      if (n < 0) throw new ReplyError("ERR MAXLEN can't be negative");
      maxlen = n;
    }
  }
  const list = getList(ctx.db, key);
  const found: number[] = [];
  if (list !== undefined) {
    const want = count === undefined ? 1 : count === 0 ? Infinity : count;
    let skip = Math.abs(rank) - 1;
    const len = list.length;
    const limit = maxlen === 0 ? len : Math.min(maxlen, len);
    for (let step = 0; step < limit && found.length < want; step++) {
      const i = rank > 0 ? step : len - 1 - step;
      if (!heldEquals(list.at(i)!, args[2])) continue;
      if (skip > 0) skip--;
      else found.push(i);
    }
  }
  if (count === undefined) {
    if (found.length === 0) ctx.out.null();
    else ctx.out.integer(found[0]);
    return;
  }
  ctx.out.arrayHeader(found.length);
  for (const i of found) ctx.out.integer(i);
}

function lmove(ctx: CommandContext, src: Uint8Array, dst: Uint8Array, from: ListEnd, to: ListEnd) {
  writeStored(ctx.out, moveBetweenLists(ctx.db, keyOf(src), keyOf(dst), from, to));
}

/** The non-blocking list commands, for the server's table. */
export const LIST_COMMANDS: Command[] = [
  {
    name: "lpush",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => push(ctx, args, "left", false),
  },
  {
    name: "rpush",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => push(ctx, args, "right", false),
  },
  {
    name: "lpushx",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => push(ctx, args, "left", true),
  },
  {
    name: "rpushx",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => push(ctx, args, "right", true),
  },
  {
    name: "lpop",
    arity: -2,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => pop(ctx, args, "left"),
  },
  {
    name: "rpop",
    arity: -2,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    run: (ctx, args) => pop(ctx, args, "right"),
  },
  {
    name: "llen",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    run(ctx, args) {
      ctx.out.integer(getList(ctx.db, ctx.db.key(args[1]))?.length ?? 0);
    },
  },
  { name: "lrange", arity: 4, flags: ["readonly"], keys: [1, 1, 1], run: lrange },
  { name: "lindex", arity: 3, flags: ["readonly"], keys: [1, 1, 1], run: lindex },
  { name: "lset", arity: 4, flags: ["write", "denyoom"], keys: [1, 1, 1], run: lset },
  { name: "lrem", arity: 4, flags: ["write"], keys: [1, 1, 1], run: lrem },
  { name: "ltrim", arity: 4, flags: ["write"], keys: [1, 1, 1], run: ltrim },
  { name: "linsert", arity: 5, flags: ["write", "denyoom"], keys: [1, 1, 1], run: linsert },
  { name: "lpos", arity: -3, flags: ["readonly"], keys: [1, 1, 1], run: lpos },
  {
    name: "lmove",
    arity: 5,
    flags: ["write", "denyoom"],
    keys: [1, 2, 1],
    run: (ctx, args) => lmove(ctx, args[1], args[2], endArg(args[3]), endArg(args[4])),
  },
  {
    name: "rpoplpush",
    arity: 3,
    flags: ["write", "denyoom"],
    keys: [1, 2, 1],
    run: (ctx, args) => lmove(ctx, args[1], args[2], "right", "left"),
  },
];
