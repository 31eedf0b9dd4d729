import assert from "node:assert/strict";
import { commandTable } from "./command_table.ts";

Deno.test("commandTable() holds every family, each name once, lower case", () => {
  const table = commandTable();
  for (
    const name of ["ping", "get", "del", "lpush", "blpop", "hset", "multi", "subscribe", "config"]
  ) {
    assert.ok(table.has(name), name);
  }
  for (const [name, cmd] of table) {
    assert.equal(name, cmd.name);
    assert.equal(name, name.toLowerCase());
    assert.notEqual(cmd.arity, 0, name);
  }
});
