import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import {
  DecompressedTooLargeError,
  DecompressionError,
  decompressorFor,
  readDecompressed,
} from "./decompress.ts";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

async function installed(program: string): Promise<boolean> {
  try {
    await new Deno.Command(program, { args: ["--version"], stdout: "null", stderr: "null" })
      .output();
    return true;
  } catch {
    return false;
  }
}

/** ripgrep 13 is the reference; without it the comparisons are skipped. */
const rgVersion = await new Deno.Command("rg", { args: ["--version"], stdout: "piped" })
  .output()
  .then((out) => decoder.decode(out.stdout), () => "");
const hasRg13 = rgVersion.startsWith("ripgrep 13.");

/** What `rg -z` prints for a file: every line as it is, and the message in its error box. */
async function rgSearchZip(path: string, env?: Record<string, string>) {
  const out = await new Deno.Command("rg", {
    args: ["-z", "-a", "--no-filename", "--no-line-number", "--debug", "", path],
    stdout: "piped",
    stderr: "piped",
    env,
  }).output();
  const stderr = decoder.decode(out.stderr).split("\n");
  // rg boxes a decompressor's stderr between two lines of dashes.
  const box = stderr.indexOf("-".repeat(79));
  return {
    stdout: out.stdout,
    error: box >= 0 ? stderr[box + 1] : undefined,
    debug: stderr.find((line) => line.includes("error spawning command")),
  };
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kit_decompress_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function compress(command: string[], bytes: Uint8Array): Promise<Uint8Array> {
  const child = new Deno.Command(command[0], {
    args: command.slice(1),
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(bytes);
  await writer.close();
  const out = await child.output();
  assert.ok(out.success, `${command.join(" ")} failed`);
  return out.stdout;
}

const TEXT = "héllo wörld 日本\nsecond 🎉 line\r\nthird line\n".repeat(50);

/** [file suffix, command that makes the file, decompressor name]. */
const FORMATS: [string, string[], string][] = [
  [".gz", ["gzip", "-c"], "gzip"],
  [".tgz", ["gzip", "-c"], "gzip"],
  [".bz2", ["bzip2", "-c"], "bzip2"],
  [".tbz2", ["bzip2", "-c"], "bzip2"],
  [".xz", ["xz", "-c"], "xz"],
  [".txz", ["xz", "-c"], "xz"],
  [".lzma", ["xz", "--format=lzma", "-c"], "xz"],
  [".lz4", ["lz4", "-q", "-c"], "lz4"],
  [".zst", ["zstd", "-q", "-c"], "zstd"],
  [".zstd", ["zstd", "-q", "-c"], "zstd"],
  [".br", ["brotli", "-c"], "brotli"],
];

Deno.test("decompressorFor() picks ripgrep 13's program by the path's ending", () => {
  const cases: [string, string[] | undefined][] = [
    ["a.gz", ["gzip", "-d", "-c"]],
    ["dir.d/a.tar.gz", ["gzip", "-d", "-c"]],
    [".gz", ["gzip", "-d", "-c"]],
    ["a.tgz", ["gzip", "-d", "-c"]],
    ["a.bz2", ["bzip2", "-d", "-c"]],
    ["a.tbz2", ["bzip2", "-d", "-c"]],
    ["a.xz", ["xz", "-d", "-c"]],
    ["a.txz", ["xz", "-d", "-c"]],
    ["a.lz4", ["lz4", "-d", "-c"]],
    ["a.lzma", ["xz", "--format=lzma", "-d", "-c"]],
    ["a.br", ["brotli", "-d", "-c"]],
    ["a.zst", ["zstd", "-q", "-d", "-c"]],
    ["a.zstd", ["zstd", "-q", "-d", "-c"]],
    ["a.Z", ["gzip", "-d", "-c"]],
    ["a.z", undefined],
    ["a.GZ", undefined],
    ["a.gz.txt", undefined],
    ["a.zip", undefined],
    ["gz", undefined],
  ];
  for (const [path, command] of cases) {
    assert.deepEqual(decompressorFor(path)?.command, command, path);
  }
});

for (const [suffix, command, name] of FORMATS) {
  Deno.test({
    name: `readDecompressed() reads ${suffix} as rg -z does`,
    ignore: !(await installed(command[0])),
    async fn() {
      await withTempDir(async (dir) => {
        const path = `${dir}/text${suffix}`;
        await Deno.writeFile(path, await compress(command, encoder.encode(TEXT)));
        assert.equal(decompressorFor(path)?.name, name);
        const bytes = await readDecompressed(path);
        assert.equal(decoder.decode(bytes), TEXT);
        // The stream, which readDecompressed() skips for gzip, gives the same bytes.
        const streamed = new Uint8Array(
          await new Response(decompressorFor(path)!.open(path)).arrayBuffer(),
        );
        assert.deepEqual(streamed, bytes);
        if (hasRg13) assert.deepEqual(bytes, (await rgSearchZip(path)).stdout);
      });
    },
  });
}

Deno.test("readDecompressed() reads .Z through gzip -d, as rg 13 does", async () => {
  await withTempDir(async (dir) => {
    // `printf 'hello compress\nsecond line\n' | compress -c`, from ncompress.
    const z = [
      0x1f,
      0x9d,
      0x90,
      0x68,
      0xca,
      0xb0,
      0x61,
      0xf3,
      0x06,
      0xc4,
      0x98,
      0x37,
      0x6d,
      0xe0,
      0xc8,
      0x29,
      0x33,
      0x67,
      0x8e,
      0x82,
      0x39,
      0x65,
      0x0e,
      0xba,
      0x21,
      0x03,
      0x82,
      0x4d,
      0x1a,
      0x37,
      0x65,
      0x14,
      0x00,
    ];
    const path = `${dir}/a.Z`;
    await Deno.writeFile(path, new Uint8Array(z));
    const bytes = await readDecompressed(path);
    assert.equal(decoder.decode(bytes), "hello compress\nsecond line\n");
    if (hasRg13) assert.deepEqual(bytes, (await rgSearchZip(path)).stdout);
  });
});

Deno.test("readDecompressed() reads every member of a concatenated gzip file", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/multi.gz`;
    const members = [gzipSync("alpha\n"), gzipSync(""), gzipSync("beta\n")];
    await Deno.writeFile(path, new Uint8Array(members.flatMap((m) => [...m])));
    const bytes = await readDecompressed(path);
    assert.equal(decoder.decode(bytes), "alpha\nbeta\n");
    if (hasRg13) assert.deepEqual(bytes, (await rgSearchZip(path)).stdout);
  });
});

Deno.test("readDecompressed() ignores zero padding after a gzip member, as gzip does", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/padded.gz`;
    await Deno.writeFile(path, new Uint8Array([...gzipSync("hi\n"), 0, 0, 0]));
    assert.equal(decoder.decode(await readDecompressed(path)), "hi\n");
  });
});

Deno.test("readDecompressed() reads a large gzip file in pieces", async () => {
  await withTempDir(async (dir) => {
    const text = Array.from({ length: 200_000 }, (_, i) => `${i}\n`).join("");
    const path = `${dir}/big.gz`;
    await Deno.writeFile(path, gzipSync(text));
    assert.equal(decoder.decode(await readDecompressed(path)), text);
  });
});

Deno.test({
  name: "DecompressionError says what gzip would, for corrupt gzip files",
  ignore: !hasRg13,
  async fn(t) {
    const good = gzipSync("hello world\n");
    const flip = (at: number, value?: number) => {
      const bytes = good.slice();
      bytes[at < 0 ? bytes.length + at : at] = value ??
        bytes[at < 0 ? bytes.length + at : at] ^ 0xff;
      return bytes;
    };
    const cases: [string, Uint8Array][] = [
      ["not gzip", encoder.encode("not gzip at all\n")],
      ["empty", new Uint8Array()],
      ["truncated", good.subarray(0, 15)],
      ["bad crc", flip(-8)],
      ["bad length", flip(-1)],
      ["unknown method", flip(2, 7)],
      ["bad deflate data", new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff])],
      ["trailing garbage", new Uint8Array([...good, ...encoder.encode("junk")])],
    ];
    await withTempDir(async (dir) => {
      for (const [label, bytes] of cases) {
        await t.step(label, async () => {
          const path = `${dir}/${label.replaceAll(" ", "_")}.gz`;
          await Deno.writeFile(path, bytes);
          const { error } = await rgSearchZip(path);
          await assert.rejects(readDecompressed(path), (e) => {
            assert.ok(e instanceof DecompressionError);
            assert.equal(e.program, "gzip");
            assert.equal(e.path, path);
            assert.equal(e.message, error);
            return true;
          });
        });
      }
    });
  },
});

for (const [suffix, command] of FORMATS.filter(([suffix]) => !suffix.includes("gz"))) {
  Deno.test({
    name: `DecompressionError carries ${command[0]}'s first stderr line for a corrupt ${suffix}`,
    ignore: !hasRg13 || !(await installed(command[0])),
    async fn() {
      await withTempDir(async (dir) => {
        const path = `${dir}/bad${suffix}`;
        await Deno.writeTextFile(path, "garbage, not compressed\n");
        const { error } = await rgSearchZip(path);
        assert.ok(error);
        await assert.rejects(readDecompressed(path), (e) => {
          assert.ok(e instanceof DecompressionError);
          assert.equal(e.message, error);
          assert.ok(e.stderr.startsWith(error));
          return true;
        });
      });
    },
  });
}

Deno.test("DecompressionError keeps the bytes decoded before a truncation", async () => {
  await withTempDir(async (dir) => {
    const text = Array.from({ length: 100_000 }, (_, i) => `${i}\n`).join("");
    const whole = gzipSync(text);
    const path = `${dir}/cut.gz`;
    await Deno.writeFile(path, whole.subarray(0, whole.length / 2));
    await assert.rejects(readDecompressed(path), (e) => {
      assert.ok(e instanceof DecompressionError);
      assert.equal(e.message, `gzip: ${path}: unexpected end of file`);
      assert.ok(e.partial !== undefined && e.partial.length > 0);
      assert.ok(text.startsWith(decoder.decode(e.partial)));
      return true;
    });
  });
});

Deno.test({
  name: "DecompressionError keeps the bytes a program wrote before it failed",
  ignore: !(await installed("xz")),
  async fn() {
    await withTempDir(async (dir) => {
      const text = Array.from({ length: 300_000 }, (_, i) => `${i}\n`).join("");
      const whole = await compress(["xz", "-c", "-0"], encoder.encode(text));
      const path = `${dir}/cut.xz`;
      await Deno.writeFile(path, whole.subarray(0, whole.length - 100));
      await assert.rejects(readDecompressed(path), (e) => {
        assert.ok(e instanceof DecompressionError);
        assert.equal(e.message, `xz: ${path}: Unexpected end of input`);
        assert.ok(e.partial !== undefined && e.partial.length > 0);
        assert.ok(text.startsWith(decoder.decode(e.partial)));
        return true;
      });
    });
  },
});

/** The program's full path on this process's PATH. */
async function which(program: string): Promise<string | undefined> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir === "") continue;
    const path = `${dir}/${program}`;
    if (await Deno.stat(path).then((info) => info.isFile, () => false)) return path;
  }
  return undefined;
}

Deno.test("DecompressorMissingError reads like rg 13's --debug line", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/a.xz`;
    await Deno.writeTextFile(path, "raw\n");
    const empty = await Deno.makeTempDir({ dir });
    // A child process with a PATH that has no xz: changing this process's PATH would race
    // the other test files that `deno test --parallel` runs in the same process.
    const script = `
      import { decompressorFor, readDecompressed } from ${
      JSON.stringify(import.meta.resolve("./decompress.ts"))
    };
      const path = ${JSON.stringify(path)};
      const report = {};
      try { decompressorFor(path).open(path); } catch (e) {
        Object.assign(report, { name: e.name, program: e.program, path: e.path, message: e.message });
      }
      report.read = await readDecompressed(path).then(() => "resolved", (e) => e.name);
      console.log(JSON.stringify(report));
    `;
    const child = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", script],
      env: { PATH: empty },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(child.success, decoder.decode(child.stderr));
    const message =
      `error spawning command '"xz" "-d" "-c" "${path}"': No such file or directory (os error 2)`;
    assert.deepEqual(JSON.parse(decoder.decode(child.stdout)), {
      name: "DecompressorMissingError",
      program: "xz",
      path,
      message,
      read: "DecompressorMissingError",
    });
    const rg = await which("rg");
    if (hasRg13 && rg !== undefined) {
      // rg 13 logs it under --debug and searches the raw bytes instead.
      const out = await new Deno.Command(rg, {
        args: ["-z", "--debug", "--no-filename", "raw", path],
        env: { PATH: empty },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(decoder.decode(out.stdout), "raw\n");
      const line = decoder.decode(out.stderr).split("\n").find((l) => l.includes("spawning"));
      assert.ok(line?.endsWith(`${path}: ${message} (falling back to uncompressed reader)`));
    }
  });
});

Deno.test("readDecompressed() stops at the limit and ends the program", async () => {
  await withTempDir(async (dir) => {
    const text = "x".repeat(1_000_000);
    await Deno.writeFile(`${dir}/a.gz`, gzipSync(text));
    await assert.rejects(readDecompressed(`${dir}/a.gz`, 1000), (e) => {
      assert.ok(e instanceof DecompressedTooLargeError);
      assert.ok(e instanceof RangeError);
      assert.equal(e.limit, 1000);
      return true;
    });
    assert.equal((await readDecompressed(`${dir}/a.gz`, 1_000_000)).length, 1_000_000);
    if (await installed("xz")) {
      await Deno.writeFile(`${dir}/a.xz`, await compress(["xz", "-c"], encoder.encode(text)));
      await assert.rejects(readDecompressed(`${dir}/a.xz`, 1000), DecompressedTooLargeError);
    }
  });
});

Deno.test("Decompressor.open() can be cancelled after the first chunk", async () => {
  await withTempDir(async (dir) => {
    const text = "line\n".repeat(2_000_000);
    const paths = [`${dir}/a.gz`];
    await Deno.writeFile(paths[0], gzipSync(text));
    if (await installed("xz")) {
      paths.push(`${dir}/a.xz`);
      await Deno.writeFile(paths[1], await compress(["xz", "-c", "-0"], encoder.encode(text)));
    }
    for (const path of paths) {
      const reader = decompressorFor(path)!.open(path).getReader();
      const first = await reader.read();
      assert.ok(!first.done && first.value.length > 0);
      await reader.cancel();
    }
  });
});

Deno.test("readDecompressed() passes a file no decompressor claims through", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/a.txt`, "plain\n");
    assert.equal(decoder.decode(await readDecompressed(`${dir}/a.txt`)), "plain\n");
    await assert.rejects(readDecompressed(`${dir}/a.txt`, 2), DecompressedTooLargeError);
  });
});

Deno.test("readDecompressed() lets a gzip file's read errors through as they are", async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(readDecompressed(`${dir}/missing.gz`), Deno.errors.NotFound);
    await Deno.mkdir(`${dir}/folder.gz`);
    await assert.rejects(readDecompressed(`${dir}/folder.gz`), (e) => {
      assert.ok(!(e instanceof DecompressionError));
      return true;
    });
  });
});

Deno.test({
  name: "readDecompressed() reports a missing file through the program for other formats",
  ignore: !(await installed("xz")),
  async fn() {
    await withTempDir(async (dir) => {
      await assert.rejects(readDecompressed(`${dir}/missing.xz`), {
        name: "DecompressionError",
        message: `xz: ${dir}/missing.xz: No such file or directory`,
      });
    });
  },
});
