import assert from "node:assert/strict";
import { openFileWindows } from "./file_windows.ts";

/** A file larger than one 16 MiB window, with bytes that tell their offset apart. */
async function bigFile(): Promise<{ path: string; bytes: Uint8Array }> {
  const bytes = new Uint8Array(17 * 1024 * 1024 + 123);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 12)) & 0xff;
  const path = await Deno.makeTempFile();
  await Deno.writeFile(path, bytes);
  return { path, bytes };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Walks a range the way a search does: chunks with a carried tail, across window ends. */
function walkRange(path: string, start: number, end: number): [number, number][] {
  const views: [number, number][] = [];
  const windows = openFileWindows(path, start, end);
  try {
    let from = start;
    let carried = 0;
    const chunk = 1_000_003;
    while (true) {
      const view = windows.view(from, carried + chunk);
      views.push([from, view.length]);
      if (view.length < carried + chunk) break;
      // Keep a tail of the view, as a search keeps a partial line.
      const keep = view.length - 1000;
      from += keep;
      carried = view.length - keep;
    }
  } finally {
    windows.close();
  }
  return views;
}

Deno.test("openFileWindows gives the file's bytes for every view, across windows", async () => {
  const { path, bytes } = await bigFile();
  try {
    const windows = openFileWindows(path);
    try {
      for (
        const [from, want] of [[0, 10], [5, 100_000], [16 * 1024 * 1024 - 50, 100], [
          17_000_000,
          1 << 20,
        ]]
      ) {
        const view = windows.view(from, want);
        assert.ok(sameBytes(view, bytes.subarray(from, from + want)), `view ${from}+${want}`);
      }
      // Past the end: fewer bytes, then none.
      assert.equal(windows.view(bytes.length - 10, 100).length, 10);
      assert.equal(windows.view(bytes.length, 100).length, 0);
    } finally {
      windows.close();
    }
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("openFileWindows stops at the range's end, and a view may outgrow a window", async () => {
  const { path, bytes } = await bigFile();
  try {
    const windows = openFileWindows(path, 1000, 20_000);
    try {
      assert.ok(sameBytes(windows.view(1000, 50_000), bytes.subarray(1000, 20_000)));
    } finally {
      windows.close();
    }
    const whole = openFileWindows(path);
    try {
      // One view larger than a 16 MiB window.
      assert.ok(sameBytes(whole.view(3, bytes.length), bytes.subarray(3)));
    } finally {
      whole.close();
    }
    const views = walkRange(path, 0, Infinity);
    assert.equal(views.at(-1)![0] + views.at(-1)![1], bytes.length);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("openFileWindows reads the same bytes with FFI off", async () => {
  const { path, bytes } = await bigFile();
  try {
    const script = `import { openFileWindows } from ${
      JSON.stringify(import.meta.resolve("./file_windows.ts"))
    };
      const w = openFileWindows(${JSON.stringify(path)}, 5, Infinity);
      let sum = 0; let from = 5;
      while (true) { const v = w.view(from, 3_000_000); for (const b of v) sum = (sum * 31 + b) >>> 0;
        if (v.length < 3_000_000) break; from += v.length; }
      w.close(); console.log(sum);`;
    let expected = 0;
    for (const b of bytes.subarray(5)) expected = (expected * 31 + b) >>> 0;
    for (const ffi of ["on", "off"]) {
      const out = new Deno.Command(Deno.execPath(), {
        args: ["eval", script],
        env: { KIT_FS_FFI: ffi },
      }).outputSync();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      assert.equal(new TextDecoder().decode(out.stdout).trim(), String(expected), `FFI ${ffi}`);
    }
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("openFileWindows throws Deno's error for a missing file", () => {
  assert.throws(() => openFileWindows("/nonexistent/kit-windows"), Deno.errors.NotFound);
});
