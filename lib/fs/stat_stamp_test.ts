import assert from "node:assert/strict";
import { statStamp } from "./stat_stamp.ts";

Deno.test("statStamp agrees with Deno.statSync on mtime, size and inode", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/a.txt`;
    await Deno.writeTextFile(path, "hello, world");
    // A time with a sub-millisecond part, to check the rounding matches Deno's.
    await Deno.utime(path, 1_700_000_000.1234567, 1_700_000_123.9876543);
    const info = Deno.statSync(path);
    assert.deepEqual(statStamp(path), {
      mtimeMs: info.mtime!.getTime(),
      size: 12,
      ino: info.ino,
    });
    await Deno.symlink(path, `${dir}/link`);
    assert.deepEqual(statStamp(`${dir}/link`), statStamp(path));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("statStamp throws Deno's errors", () => {
  assert.throws(() => statStamp("/nonexistent/kit-stat-stamp"), Deno.errors.NotFound);
});

Deno.test("statStamp falls back to Deno when FFI is off", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/a`, "abc");
    const script = `import { statStamp } from ${
      JSON.stringify(import.meta.resolve("./stat_stamp.ts"))
    };
      console.log(JSON.stringify(statStamp(${JSON.stringify(`${dir}/a`)})));`;
    const run = (ffi: string) =>
      new Deno.Command(Deno.execPath(), {
        args: ["eval", script],
        env: { KIT_FS_FFI: ffi },
      }).outputSync();
    const off = run("off");
    const on = run("on");
    assert.equal(off.code, 0, new TextDecoder().decode(off.stderr));
    assert.equal(new TextDecoder().decode(off.stdout), new TextDecoder().decode(on.stdout));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
