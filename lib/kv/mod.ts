/**
 * `kit/kv`: a Bitcask key-value store — an append-only log of segments, an in-memory keydir,
 * hint files and merge — with binary keys and values and a msgpack layer on top.
 *
 * Layout: `store.ts` opens the folder and holds the read and write paths; `format.ts` encodes
 * records (checksummed by `crc32c.ts`); `segment.ts` names segment files and replays them;
 * `hint.ts` reads and writes hint files; `keydir.ts` maps keys to record positions and
 * `ordered_index.ts` keeps them sorted for scans; `merge.ts` writes compacted segments;
 * `lock.ts` keeps to one writer; `typed.ts` stores msgpack values; `errors.ts` has `KvError`.
 *
 * @example
 * ```ts
 * import { openKv } from "kit/kv";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const kv = await openKv(dir, { fsync: "always" });
 * await kv.set("user:1", "Ada");
 * await kv.set("user:2", "Grace", { ttlMs: 60_000 });
 * assert.equal([...kv.prefixKeys("user:")].length, 2);
 * await kv.typed().set("config", { depth: 3 });
 * assert.deepEqual(kv.typed().get("config"), { depth: 3 });
 * await kv.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
export * from "./errors.ts";
export * from "./store.ts";
export * from "./typed.ts";
export { crc32c } from "./crc32c.ts";
