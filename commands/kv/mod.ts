/**
 * The `kit kv` tool as a library: the RESP server over the Bitcask engine, for embedding it.
 *
 * Layout: `server.ts` (`serve(listener, options)`: connections, batching, shutdown),
 * `commands.ts` (the command table and `execute`), `keyspace.ts` (writes gathered per command
 * or transaction), `session.ts` (per-connection state), `entry_json.ts` (the export/import
 * line format) and `cli.ts` (the `kit kv` CLI). The engine itself is `kit/kv` (lib/kv); the
 * codec and Redis's argument rules (integers, globs) are `kit/resp` (lib/resp).
 *
 * @example
 * ```ts
 * import { serve } from "./mod.ts";
 * import { openKv } from "../../lib/kv/mod.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const kv = await openKv(dir);
 * const controller = new AbortController();
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const done = serve(listener, { kv, signal: controller.signal });
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: (listener.addr as Deno.NetAddr).port });
 * await conn.write(new TextEncoder().encode("PING\r\n"));
 * const buf = new Uint8Array(16);
 * const n = await conn.read(buf);
 * assert.equal(new TextDecoder().decode(buf.subarray(0, n!)), "+PONG\r\n");
 * conn.close();
 * controller.abort();
 * await done;
 * await kv.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
export * from "./server.ts";
export { type Command, type CommandContext, COMMANDS, execute, REDIS_VERSION } from "./commands.ts";
export { Keyspace } from "./keyspace.ts";
export { Session } from "./session.ts";
export { decodeEntry, encodeEntry, type EntryJson } from "./entry_json.ts";
