/**
 * The command table: every command `kit redis` knows, by lower-case name.
 *
 * @module
 */

import type { Command } from "./command.ts";
import { BLOCKING_COMMANDS } from "./cmd_blocking.ts";
import { HASH_COMMANDS } from "./cmd_hashes.ts";
import { KEY_COMMANDS } from "./cmd_keys.ts";
import { LIST_COMMANDS } from "./cmd_lists.ts";
import { SET_COMMANDS } from "./cmd_sets.ts";
import { ZSET_COMMANDS } from "./cmd_zsets.ts";
import { CONNECTION_COMMANDS } from "./cmd_connection.ts";
import { PUBSUB_COMMANDS } from "./cmd_pubsub.ts";
import { SERVER_COMMANDS } from "./cmd_server.ts";
import { STRING_COMMANDS } from "./cmd_strings.ts";
import { MEMORY_COMMANDS } from "./cmd_memory.ts";
import { TRANSACTION_COMMANDS } from "./cmd_transaction.ts";

/**
 * Builds the command table from each family's command list.
 *
 * @example
 * ```ts
 * import { commandTable } from "./command_table.ts";
 * import assert from "node:assert/strict";
 * const table = commandTable();
 * assert.equal(table.get("ping")?.arity, -1);
 * ```
 *
 * @returns Commands by lower-case name.
 * @throws {Error} When two families define the same command.
 */
export function commandTable(): Map<string, Command> {
  const table = new Map<string, Command>();
  const families = [
    CONNECTION_COMMANDS,
    SERVER_COMMANDS,
    PUBSUB_COMMANDS,
    TRANSACTION_COMMANDS,
    STRING_COMMANDS,
    KEY_COMMANDS,
    LIST_COMMANDS,
    BLOCKING_COMMANDS,
    HASH_COMMANDS,
    SET_COMMANDS,
    ZSET_COMMANDS,
    MEMORY_COMMANDS,
  ];
  for (const family of families) {
    for (const cmd of family) {
      if (table.has(cmd.name)) throw new Error(`Command "${cmd.name}" is defined twice`);
      table.set(cmd.name, cmd);
    }
  }
  return table;
}
