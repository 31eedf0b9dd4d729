import assert from "node:assert/strict";
import { transcodeBom } from "./transcode.ts";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** ripgrep 13 is the reference; without it the comparisons are skipped. */
const rgVersion = await new Deno.Command("rg", { args: ["--version"], stdout: "piped" })
  .output()
  .then((out) => decoder.decode(out.stdout), () => "");
const hasRg13 = rgVersion.startsWith("ripgrep 13.");
const hasIconv = await new Deno.Command("iconv", { args: ["--version"], stdout: "null" })
  .output()
  .then(() => true, () => false);

const TEXT = "héllo wörld 日本\nsecond 🎉 line\r\nthird\n";

/** What `rg -a` prints for every line of a file: its content as rg searches it. */
async function rgLines(bytes: Uint8Array): Promise<Uint8Array> {
  const path = await Deno.makeTempFile({ prefix: "kit_transcode_test_" });
  try {
    await Deno.writeFile(path, bytes);
    const out = await new Deno.Command("rg", {
      args: ["-a", "--no-line-number", "--no-filename", "", path],
      stdout: "piped",
    }).output();
    return out.stdout;
  } finally {
    await Deno.remove(path);
  }
}

/** rg ends a last line that has no line end with one; so does this, for comparing. */
function withFinalNewline(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return bytes;
  return new Uint8Array([...bytes, 0x0a]);
}

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out[2 * i + (bigEndian ? 0 : 1)] = unit >> 8;
    out[2 * i + (bigEndian ? 1 : 0)] = unit & 0xff;
  }
  return out;
}

async function iconv(text: string, to: string): Promise<Uint8Array> {
  const child = new Deno.Command("iconv", {
    args: ["-f", "utf-8", "-t", to],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(encoder.encode(text));
  await writer.close();
  return (await child.output()).stdout;
}

Deno.test({
  name: "transcodeBom() reads a UTF-16 file from iconv as rg does",
  ignore: !hasIconv,
  async fn() {
    // iconv's "utf-16" writes a mark, in this machine's order; "utf-16be" writes none, so the
    // mark goes in as the text's first character.
    const files = [await iconv(TEXT, "utf-16"), await iconv(`\ufeff${TEXT}`, "utf-16be")];
    assert.deepEqual([...files[1].subarray(0, 2)], [0xfe, 0xff]);
    for (const bytes of files) {
      const utf8 = transcodeBom(bytes);
      assert.equal(decoder.decode(utf8), TEXT);
      if (hasRg13) assert.deepEqual(utf8, await rgLines(bytes));
    }
  },
});

Deno.test("transcodeBom() turns UTF-16LE and BE with a mark into UTF-8 without it", () => {
  for (const bigEndian of [false, true]) {
    const bytes = utf16(`\ufeff${TEXT}`, bigEndian);
    assert.equal(decoder.decode(transcodeBom(bytes)), TEXT);
  }
});

Deno.test({
  name: "transcodeBom() agrees with rg on broken UTF-16 and on marks alone",
  ignore: !hasRg13,
  async fn(t) {
    const le = (text: string) => utf16(`\ufeff${text}`, false);
    const cases: [string, Uint8Array][] = [
      ["a lone high surrogate", le("a\ud83cb\n")],
      ["a lone low surrogate", le("a\udf89b\n")],
      ["an odd last byte", new Uint8Array([...le("ab\n"), 0x41])],
      ["a BE file with a lone surrogate", utf16("\ufeffx\ud800\ny\n", true)],
      ["only a UTF-16LE mark", new Uint8Array([0xff, 0xfe])],
      ["a UTF-32LE mark, read as UTF-16LE", new Uint8Array([0xff, 0xfe, 0, 0, 0x41, 0, 0x0a, 0])],
      ["a UTF-8 mark", encoder.encode(`\ufeff${TEXT}`)],
      ["two UTF-8 marks", encoder.encode(`\ufeff\ufeff${TEXT}`)],
      ["a UTF-16LE mark after a UTF-8 one", new Uint8Array([0xef, 0xbb, 0xbf, ...le("z\n")])],
    ];
    for (const [label, bytes] of cases) {
      await t.step(label, async () => {
        assert.deepEqual(withFinalNewline(transcodeBom(bytes)), await rgLines(bytes));
      });
    }
  },
});

Deno.test("transcodeBom() drops a UTF-8 mark without copying", () => {
  const bytes = encoder.encode("\ufeffhello\n");
  const out = transcodeBom(bytes);
  assert.equal(decoder.decode(out), "hello\n");
  assert.equal(out.buffer, bytes.buffer);
  assert.equal(out.byteOffset, 3);
});

Deno.test("transcodeBom() returns any other input as the same object", () => {
  const cases = [
    new Uint8Array(),
    new Uint8Array([0xff]),
    new Uint8Array([0xfe]),
    new Uint8Array([0xef, 0xbb]),
    encoder.encode(TEXT),
    utf16(TEXT, true),
    utf16(TEXT, false),
    new Uint8Array([0xfe, 0xfe, 0x00]),
  ];
  for (const bytes of cases) assert.equal(transcodeBom(bytes), bytes);
});

Deno.test("transcodeBom() turns broken UTF-16 into U+FFFD", () => {
  const bytes = new Uint8Array([0xff, 0xfe, 0x3c, 0xd8, 0x41, 0x00, 0x42]);
  assert.equal(decoder.decode(transcodeBom(bytes)), "\ufffdA\ufffd");
});
