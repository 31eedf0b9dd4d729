import assert from "node:assert/strict";
import { MEMORY_COMMANDS } from "./cmd_memory.ts";
import { KEY_COMMANDS } from "./cmd_keys.ts";
import { STRING_COMMANDS } from "./cmd_strings.ts";
import { SERVER_COMMANDS } from "./cmd_server.ts";
import { entrySize } from "./memory.ts";
import { bulk, err, harness, int, NIL, OK } from "./_test_util.ts";

Deno.test("MEMORY USAGE reports a key's estimate without touching it", () => {
  const h = harness(MEMORY_COMMANDS, STRING_COMMANDS, KEY_COMMANDS);
  h.run("SET", "key:000000000001", "xxx");
  assert.equal(
    h.run("MEMORY", "USAGE", "key:000000000001"),
    int(entrySize("key:000000000001", "xxx")),
  );
  assert.equal(h.run("MEMORY", "USAGE", "nope"), NIL);
  assert.equal(
    h.run("MEMORY", "USAGE", "key:000000000001", "SAMPLES", "0"),
    int(entrySize("key:000000000001", "xxx")),
  );
  assert.equal(h.run("MEMORY", "USAGE", "k", "SAMPLES"), err("ERR syntax error"));
  assert.equal(h.run("MEMORY", "USAGE", "k", "SAMPLES", "-1"), err("ERR syntax error"));
  assert.equal(
    h.run("MEMORY", "USAGE"),
    err("ERR wrong number of arguments for 'memory|usage' command"),
  );
  assert.equal(h.run("MEMORY", "NOPE"), err("ERR unknown subcommand 'NOPE'. Try MEMORY HELP."));
  assert.equal(h.run("MEMORY", "PURGE"), OK);
});

Deno.test("OBJECT IDLETIME follows accesses; OBJECT FREQ needs an LFU policy", () => {
  const h = harness(STRING_COMMANDS, KEY_COMMANDS, SERVER_COMMANDS);
  h.run("SET", "k", "v");
  h.clock.now += 42_500;
  assert.equal(h.run("OBJECT", "IDLETIME", "k"), int(42));
  // OBJECT itself is not an access.
  assert.equal(h.run("OBJECT", "IDLETIME", "k"), int(42));
  assert.equal(h.run("GET", "k"), bulk("v"));
  assert.equal(h.run("OBJECT", "IDLETIME", "k"), int(0));
  assert.match(h.run("OBJECT", "FREQ", "k"), /^-ERR An LFU maxmemory policy is not selected/);
  h.run("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
  for (const db of h.server.dbs) db.lfu = true;
  h.run("SET", "f", "v");
  assert.equal(h.run("OBJECT", "FREQ", "f"), int(5));
  assert.match(h.run("OBJECT", "IDLETIME", "f"), /^-ERR An LFU maxmemory policy is selected/);
});

Deno.test("INFO memory reports the estimate, RSS and the policy", () => {
  const h = harness(STRING_COMMANDS, SERVER_COMMANDS);
  h.run("SET", "a", "b");
  const info = h.run("INFO", "memory");
  assert.match(info, /used_memory:\d+\r\n/);
  assert.match(info, /used_memory_rss:\d+\r\n/);
  assert.match(info, /maxmemory_policy:noeviction\r\n/);
  assert.match(info, /used_memory_dataset:\d+\r\n/);
});
