/**
 * `kit redis`: a Redis-compatible server.
 *
 * Layout: `server.ts` (accept loop, one task per connection), `dispatch.ts` (Redis's command
 * processing rules), `command_table.ts` (every command by name), `cmd_*.ts` (one file per
 * command family), `db.ts` (a database with expiry), `types/` (the value types),
 * `pubsub.ts`, `blocking.ts`, `config.ts` (the redis.conf subset), `server_state.ts`,
 * `session.ts`; persistence: `rdb.ts` (the RDB format, with `crc64.ts` and `lzf.ts`),
 * `snapshot.ts` (point-in-time images written in slices), `aof.ts` (the multi-part AOF
 * format), `persistence.ts` (loading, SAVE/BGSAVE, save points, AOF, shutdown).
 *
 * @example
 * ```ts
 * import { Config, ServerState } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const config = new Config();
 * config.set("databases", "4");
 * assert.equal(new ServerState({ config }).dbs.length, 4);
 * ```
 *
 * @module
 */
export { serve, type ServeOptions } from "./server.ts";
export { REDIS_VERSION, ServerState, type ServerStateOptions } from "./server_state.ts";
export { argsToConfig, Config, ConfigError, parseMemory } from "./config.ts";
export { type Command, type CommandContext, ReplyError, WRONGTYPE } from "./command.ts";
export { commandTable } from "./command_table.ts";
export { Session } from "./session.ts";
export { Persistence, PersistenceError, type PersistenceOptions } from "./persistence.ts";
export { decodeRdb, RdbEncoder, RdbError } from "./rdb.ts";
