import assert from "node:assert/strict";
import { acquireLock } from "./lock.ts";
import { KvError } from "./errors.ts";

Deno.test("acquireLock() refuses a second writer, in this process or another, until released", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const lock = acquireLock(dir);
    assert.throws(() => acquireLock(dir), (e) => e instanceof KvError && e.kind === "locked");
    // Another process sees the same flock.
    const code = `const f = Deno.openSync(${
      JSON.stringify(`${dir}/LOCK`)
    }, { read: true, write: true });
      console.log(f.tryLockSync(true)); f.close();`;
    const run = async () =>
      new TextDecoder().decode(
        (await new Deno.Command(Deno.execPath(), { args: ["eval", code] }).output()).stdout,
      ).trim();
    assert.equal(await run(), "false");
    lock.close();
    assert.equal(await run(), "true");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
