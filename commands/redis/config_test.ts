import assert from "node:assert/strict";
import { argsToConfig, Config, ConfigError, parseMemory } from "./config.ts";

Deno.test("Config.apply() reads redis.conf lines with comments and quotes", () => {
  const config = new Config();
  config.apply('# comment\n\nport 7001\nsave ""\nrequirepass "a b"\nappendonly YES\n');
  assert.equal(config.get("port"), "7001");
  assert.equal(config.get("save"), "");
  assert.equal(config.get("requirepass"), "a b");
  assert.equal(config.get("appendonly"), "yes");
});

Deno.test("Config.apply() names the bad line", () => {
  const config = new Config();
  assert.throws(() => config.apply("port 1\nnosuch 2\n"), (e: Error) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /^line 2: 'nosuch 2': Bad directive/);
    return true;
  });
  assert.throws(() => config.apply("appendfsync sometimes"), ConfigError);
  assert.throws(() => config.apply("port x"), ConfigError);
});

Deno.test("Config.set() refuses immutable directives while running", () => {
  const config = new Config();
  config.set("databases", "8");
  assert.throws(() => config.set("databases", "4", true), /immutable/);
  config.set("timeout", "5", true);
  assert.equal(config.number("timeout"), 5);
});

Deno.test("parseMemory() knows redis.conf units", () => {
  assert.equal(parseMemory("1k"), 1000);
  assert.equal(parseMemory("1kb"), 1024);
  assert.equal(parseMemory("3GB"), 3 * 1024 ** 3);
  assert.equal(parseMemory("1.5mb"), undefined);
});

Deno.test("argsToConfig() groups values up to the next --directive", () => {
  assert.deepEqual(argsToConfig(["--save", "900", "1", "--port", "0"]), {
    file: undefined,
    text: 'save "900" "1"\nport "0"\n',
  });
  assert.throws(() => argsToConfig(["a.conf", "stray"]), ConfigError);
  const config = new Config();
  config.apply(argsToConfig(["--save", "900", "1"]).text);
  assert.equal(config.get("save"), "900 1");
});
