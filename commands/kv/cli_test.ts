import assert from "node:assert/strict";
import { memoryIo } from "../../lib/cli/io.ts";
import { main } from "./cli.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kit-kv-cli-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function run(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) {
  const io = memoryIo({ stdin: options.stdin, env: { HOME: "/nonexistent", ...options.env } });
  const code = await main(args, io);
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}

Deno.test("kit kv set/get round-trip, values from arguments or stdin", async () => {
  await withDir(async (dir) => {
    assert.equal((await run(["--dir", dir, "set", "greeting", "hello"])).code, 0);
    assert.deepEqual(await run(["get", "greeting", "--dir", dir]), {
      code: 0,
      stdout: "hello",
      stderr: "",
    });
    assert.equal((await run(["--dir", dir, "set", "page"], { stdin: "from\nstdin" })).code, 0);
    assert.equal((await run(["--dir", dir, "get", "page"])).stdout, "from\nstdin");
    assert.equal((await run(["--dir", dir, "set", "dash", "-"], { stdin: "x" })).code, 0);
    assert.equal((await run(["--dir", dir, "get", "dash"])).stdout, "x");
  });
});

Deno.test("kit kv get of a missing key exits 1 with one error line", async () => {
  await withDir(async (dir) => {
    assert.deepEqual(await run(["--dir", dir, "get", "nope"]), {
      code: 1,
      stdout: "",
      stderr: 'kit kv: error: No key "nope"\n',
    });
  });
});

Deno.test("kit kv uses KIT_KV_DIR, then the data folder", async () => {
  await withDir(async (dir) => {
    await run(["set", "a", "1"], { env: { KIT_KV_DIR: `${dir}/env` } });
    assert.equal((await run(["--dir", `${dir}/env`, "get", "a"])).stdout, "1");
    await run(["set", "b", "2"], { env: { XDG_DATA_HOME: `${dir}/xdg` } });
    assert.equal((await run(["--dir", `${dir}/xdg/kit/kv`, "get", "b"])).stdout, "2");
  });
});

Deno.test("kit kv --json output for get, set, del, stats", async () => {
  await withDir(async (dir) => {
    const set = await run(["--dir", dir, "set", "k", "v", "--ttl", "60", "--json"]);
    assert.deepEqual(JSON.parse(set.stdout), { key: "k", bytes: 1, ttlMs: 60_000 });
    const got = JSON.parse((await run(["--dir", dir, "get", "k", "--json"])).stdout);
    assert.equal(got.value, "v");
    assert.equal(typeof got.expiresAt, "number");
    const stats = JSON.parse((await run(["--dir", dir, "stats", "--json"])).stdout);
    assert.equal(stats.keys, 1);
    assert.equal(stats.dir, dir);
    const del = await run(["--dir", dir, "del", "k", "zz", "--json"]);
    assert.deepEqual([del.code, JSON.parse(del.stdout)], [0, { deleted: 1 }]);
    const again = await run(["--dir", dir, "del", "k"]);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'kit kv: error: No key "k"\n');
  });
});

Deno.test("kit kv scan and prefix list in key order, as text or JSON lines", async () => {
  await withDir(async (dir) => {
    for (const k of ["b", "a:2", "a:1", "c"]) await run(["--dir", dir, "set", k, `v-${k}`]);
    assert.equal(
      (await run(["--dir", dir, "scan"])).stdout,
      "a:1\tv-a:1\na:2\tv-a:2\nb\tv-b\nc\tv-c\n",
    );
    assert.equal((await run(["--dir", dir, "scan", "a:2", "c", "--keys-only"])).stdout, "a:2\nb\n");
    assert.equal(
      (await run(["--dir", dir, "scan", "--reverse", "-n", "2", "-k"])).stdout,
      "c\nb\n",
    );
    assert.equal((await run(["--dir", dir, "prefix", "a:", "-k"])).stdout, "a:1\na:2\n");
    const lines = (await run(["--dir", dir, "prefix", "a:", "--json"])).stdout.trim().split("\n");
    assert.deepEqual(JSON.parse(lines[0]), { key: "a:1", value: "v-a:1", expiresAt: null });
  });
});

Deno.test("kit kv export then import copies a store, binary values included", async () => {
  await withDir(async (dir) => {
    await run(["--dir", `${dir}/a`, "set", "text", "hello"]);
    await run(["--dir", `${dir}/a`, "set", "bin"], { stdin: "\u00ff" });
    const exported = await run(["--dir", `${dir}/a`, "export"]);
    assert.equal(exported.stdout.split("\n").filter(Boolean).length, 2);
    const imported = await run(["--dir", `${dir}/b`, "import"], { stdin: exported.stdout });
    assert.equal(imported.code, 0);
    assert.equal(imported.stderr, "kit kv: imported 2 entries\n");
    assert.equal((await run(["--dir", `${dir}/b`, "export"])).stdout, exported.stdout);
    const bad = await run(["--dir", `${dir}/b`, "import"], { stdin: '{"key":"x"}\n' });
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'kit kv: error: Line 1: no "value" or "valueBase64" string\n');
  });
});

Deno.test("kit kv compact merges and reports", async () => {
  await withDir(async (dir) => {
    await run(["--dir", dir, "set", "a", "1"]);
    await run(["--dir", dir, "set", "a", "2"]);
    const compact = await run(["--dir", dir, "compact", "--json"]);
    assert.equal(compact.code, 0);
    assert.ok("segmentsIn" in JSON.parse(compact.stdout));
    assert.equal((await run(["--dir", dir, "get", "a"])).stdout, "2");
  });
});

Deno.test("kit kv usage errors exit 2; reads of a missing store are empty", async () => {
  await withDir(async (dir) => {
    assert.equal((await run([])).code, 2);
    assert.equal((await run(["--dir", dir, "frob"])).code, 2);
    assert.equal((await run(["--dir", dir, "set"])).code, 2);
    assert.equal((await run(["--dir", dir, "set", "k", "v", "--ttl", "soon"])).code, 2);
    assert.equal((await run(["--dir", dir, "serve", "--fsync", "sometimes"])).code, 2);
    assert.deepEqual(await run(["--dir", `${dir}/none`, "scan"]), {
      code: 0,
      stdout: "",
      stderr: "",
    });
    const help = await run(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /serve/);
  });
});
