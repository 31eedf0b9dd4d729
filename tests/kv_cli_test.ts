import assert from "node:assert/strict";
import { join } from "node:path";
import { sandbox } from "./_util.ts";

Deno.test("kit kv: set, get, --dir before or after the subcommand, KIT_KV_DIR", async () => {
  const box = await sandbox();
  try {
    const dir = join(box.home, "store");
    assert.equal((await box.kit(["kv", "--dir", dir, "set", "k", "v1"])).code, 0);
    const got = await box.kit(["kv", "get", "k", "--dir", dir]);
    assert.deepEqual(got, { code: 0, stdout: "v1", stderr: "" });
    const env = await box.kit(["cask", "get", "k"], { env: { KIT_KV_DIR: dir } });
    assert.equal(env.stdout, "v1", "alias and KIT_KV_DIR");
    assert.equal((await box.kit(["kv", "set", "fromstdin"], { stdin: "piped value" })).code, 0);
    const xdg = await box.kit([
      "kv",
      "get",
      "fromstdin",
      "--dir",
      join(box.home, ".local/share/kit/kv"),
    ]);
    assert.equal(xdg.stdout, "piped value", "the default store is in the data folder");
  } finally {
    await box.cleanup();
  }
});

Deno.test("kit kv: exit codes 1 for a missing key and 2 for usage, one error line", async () => {
  const box = await sandbox();
  try {
    const missing = await box.kit(["kv", "get", "nope"]);
    assert.deepEqual(missing, { code: 1, stdout: "", stderr: 'kit kv: error: No key "nope"\n' });
    const usage = await box.kit(["kv", "get"]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^kit kv: error: /);
    assert.equal((await box.kit(["kv", "bogus"])).code, 2);
  } finally {
    await box.cleanup();
  }
});

Deno.test("kit kv: scan, prefix, export and import through real processes", async () => {
  const box = await sandbox();
  try {
    for (const k of ["user:2", "user:1", "item:1"]) {
      assert.equal((await box.kit(["kv", "set", k, `value of ${k}`])).code, 0);
    }
    assert.equal(
      (await box.kit(["kv", "prefix", "user:", "--keys-only"])).stdout,
      "user:1\nuser:2\n",
    );
    const json = (await box.kit(["kv", "scan", "--json"])).stdout.trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    assert.deepEqual(json.map((e) => e.key), ["item:1", "user:1", "user:2"]);
    const exported = await box.kit(["kv", "export"]);
    const copy = join(box.home, "copy");
    assert.equal(
      (await box.kit(["kv", "--dir", copy, "import"], { stdin: exported.stdout })).code,
      0,
    );
    assert.equal((await box.kit(["kv", "--dir", copy, "export"])).stdout, exported.stdout);
    const stats = JSON.parse((await box.kit(["kv", "--dir", copy, "stats", "--json"])).stdout);
    assert.equal(stats.keys, 3);
  } finally {
    await box.cleanup();
  }
});
