import assert from "node:assert/strict";
import { join } from "node:path";
import { HttpError } from "./errors.ts";
import { guessContentType, multipart, randomBoundary, urlencoded } from "./form.ts";

const decoder = new TextDecoder();

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kit_http_form_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("urlencoded() encodes like a browser form: UTF-8, '+' for spaces", async (t) => {
  const cases: [[string, string][], string][] = [
    [[["a", "1"], ["b", "2"]], "a=1&b=2"],
    [[["q", "hello world"]], "q=hello+world"],
    [[["k y", "v+a&l=u%e"]], "k+y=v%2Ba%26l%3Du%25e"],
    [[["name", "zoë 日本"]], "name=zo%C3%AB+%E6%97%A5%E6%9C%AC"],
    [[["safe", "*-._"], ["tilde", "~"]], "safe=*-._&tilde=%7E"],
    [[["line", "a\r\nb"]], "line=a%0D%0Ab"],
    [[["empty", ""], ["", "v"]], "empty=&=v"],
    [[["a", "1"], ["a", "2"]], "a=1&a=2"],
    [[], ""],
  ];
  for (const [fields, expected] of cases) {
    await t.step(expected || "(none)", () => assert.equal(urlencoded(fields), expected));
  }
});

Deno.test("urlencoded() takes any iterable, a Map included", () => {
  assert.equal(urlencoded(new Map([["x", "1"], ["y", "2"]])), "x=1&y=2");
});

Deno.test("guessContentType() covers the common extensions", async (t) => {
  const cases: [string, string][] = [
    ["a.json", "application/json"],
    ["a.txt", "text/plain"],
    ["a.html", "text/html"],
    ["a.htm", "text/html"],
    ["a.css", "text/css"],
    ["a.js", "text/javascript"],
    ["a.png", "image/png"],
    ["a.jpg", "image/jpeg"],
    ["a.jpeg", "image/jpeg"],
    ["a.gif", "image/gif"],
    ["a.svg", "image/svg+xml"],
    ["a.pdf", "application/pdf"],
    ["a.zip", "application/zip"],
    ["a.tar.gz", "application/gzip"],
    ["a.csv", "text/csv"],
    ["a.xml", "application/xml"],
    ["a.wasm", "application/wasm"],
    ["a.mp4", "video/mp4"],
    ["a.webp", "image/webp"],
    ["A.PNG", "image/png"],
    ["dir.d/file", "application/octet-stream"],
    ["C:\\dir.json\\file", "application/octet-stream"],
    [".json", "application/octet-stream"],
    ["noext", "application/octet-stream"],
    ["trailing.", "application/octet-stream"],
    ["a.unknownext", "application/octet-stream"],
  ];
  for (const [name, type] of cases) {
    await t.step(name, () => assert.equal(guessContentType(name), type));
  }
});

Deno.test("randomBoundary() differs each time and is a valid boundary", async () => {
  const a = randomBoundary();
  assert.notEqual(a, randomBoundary());
  assert.ok(a.length <= 70);
  await multipart([], a);
});

Deno.test("multipart() writes exact bytes for text and in-memory file parts", async () => {
  const body = await multipart([
    { name: "title", value: "Hello" },
    { name: "doc", filename: "notes.txt", data: new TextEncoder().encode("line1\nline2") },
    {
      name: "raw",
      filename: "blob",
      contentType: "application/x-custom",
      data: new Uint8Array([0, 255]),
    },
  ], "B0UND");
  const bytes = await bytesOf(body.stream());
  const expected = "--B0UND\r\n" +
    'Content-Disposition: form-data; name="title"\r\n\r\n' +
    "Hello\r\n" +
    "--B0UND\r\n" +
    'Content-Disposition: form-data; name="doc"; filename="notes.txt"\r\n' +
    "Content-Type: text/plain\r\n\r\n" +
    "line1\nline2\r\n" +
    "--B0UND\r\n" +
    'Content-Disposition: form-data; name="raw"; filename="blob"\r\n' +
    "Content-Type: application/x-custom\r\n\r\n" +
    "\x00\xff\r\n" +
    "--B0UND--\r\n";
  assert.deepEqual(bytes, Uint8Array.from(expected, (c) => c.charCodeAt(0)));
  assert.equal(body.length, bytes.length);
  assert.equal(body.contentType, "multipart/form-data; boundary=B0UND");
});

Deno.test("multipart() with no parts is just the closing boundary", async () => {
  const body = await multipart([], "x");
  assert.equal(decoder.decode(await bytesOf(body.stream())), "--x--\r\n");
  assert.equal(body.length, 7);
});

Deno.test("multipart() escapes quotes and line breaks in names and keeps UTF-8", async () => {
  const body = await multipart([
    { name: 'a"b\r\nc', value: "v" },
    { name: "naïve", filename: 'my "file"\n.txt', data: new Uint8Array() },
    { name: "back\\slash", value: "" },
  ], "b");
  const text = decoder.decode(await bytesOf(body.stream()));
  assert.match(text, /name="a%22b%0D%0Ac"\r\n/);
  assert.match(text, /name="naïve"; filename="my %22file%22%0A.txt"\r\n/);
  assert.match(text, /name="back\\slash"\r\n/);
  // The length counts bytes, not UTF-16 code units.
  assert.equal(body.length, new TextEncoder().encode(text).length);
});

Deno.test("multipart() bodies parse back with the platform's FormData", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "photo.png");
    const png = new Uint8Array(200_000).map((_, i) => (i * 7919 + (i >> 8)) & 0xff);
    await Deno.writeFile(path, png);
    const body = await multipart([
      { name: "caption", value: "sunset ☀" },
      { name: "photo", filename: "photo.png", path },
      { name: "meta", filename: "m.json", data: new TextEncoder().encode('{"a":1}') },
    ]);
    const form = await new Response(body.stream(), {
      headers: { "content-type": body.contentType },
    })
      .formData();
    assert.equal(form.get("caption"), "sunset ☀");
    const photo = form.get("photo") as File;
    assert.equal(photo.name, "photo.png");
    assert.equal(photo.type, "image/png");
    assert.deepEqual(new Uint8Array(await photo.arrayBuffer()), png);
    const meta = form.get("meta") as File;
    assert.equal(meta.type, "application/json");
    assert.equal(await meta.text(), '{"a":1}');
  });
});

Deno.test("multipart() computes the length of a file part from stat and streams it in chunks", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "big.bin");
    const data = new Uint8Array(1_000_003).map((_, i) => i % 251);
    await Deno.writeFile(path, data);
    const body = await multipart([{ name: "f", filename: "big.bin", path }], "bb");
    const chunks = await collect(body.stream());
    const total = chunks.reduce((n, c) => n + c.length, 0);
    assert.equal(body.length, total);
    assert.ok(chunks.length > 10, `expected many chunks, got ${chunks.length}`);
    assert.ok(chunks.every((c) => c.length <= 64 * 1024));
    const all = await bytesOf(body.stream());
    const head = decoder.decode(all.subarray(0, 200));
    assert.ok(head.includes("Content-Type: application/octet-stream\r\n\r\n"));
    const start = head.indexOf("\r\n\r\n") + 4;
    assert.deepEqual(all.subarray(start, start + data.length), data);
    assert.equal(decoder.decode(all.subarray(start + data.length)), "\r\n--bb--\r\n");
  });
});

Deno.test("multipart() stream() can be called again for a resend", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "a.txt");
    await Deno.writeTextFile(path, "content");
    const body = await multipart([{ name: "f", filename: "a.txt", path }, {
      name: "x",
      value: "y",
    }]);
    const first = await bytesOf(body.stream());
    const second = await bytesOf(body.stream());
    assert.deepEqual(first, second);
    assert.equal(first.length, body.length);
  });
});

Deno.test("multipart() gives no length for a part that is not a regular file", async () => {
  const body = await multipart([{ name: "f", filename: "null", path: "/dev/null" }], "n");
  assert.equal(body.length, null);
  const text = decoder.decode(await bytesOf(body.stream()));
  assert.equal(
    text,
    '--n\r\nContent-Disposition: form-data; name="f"; filename="null"\r\n' +
      "Content-Type: application/octet-stream\r\n\r\n\r\n--n--\r\n",
  );
});

Deno.test("multipart() fails at once on a missing file", async () => {
  await assert.rejects(
    multipart([{ name: "f", filename: "x", path: "/nonexistent/kit/x" }]),
    Deno.errors.NotFound,
  );
});

Deno.test("multipart() rejects invalid boundaries", async () => {
  for (const b of ["", "a".repeat(71), "ends with space ", "semi;colon", 'quo"te', "new\nline"]) {
    await assert.rejects(multipart([], b), RangeError, JSON.stringify(b));
  }
  await multipart([], "a".repeat(70));
  await multipart([], "with space'()+_,-./:=?");
});

Deno.test("multipart() fails the stream when a file shrinks or grows after the stat", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "f.txt");
    await Deno.writeTextFile(path, "0123456789");
    const shrinking = await multipart([{ name: "f", filename: "f.txt", path }]);
    await Deno.writeTextFile(path, "01234");
    await assert.rejects(bytesOf(shrinking.stream()), (e) => {
      assert.ok(e instanceof HttpError);
      assert.equal(e.kind, "invalid-request");
      assert.match(e.message, /has 5 bytes, not 10/);
      return true;
    });
    const growing = await multipart([{ name: "f", filename: "f.txt", path }]);
    await Deno.writeTextFile(path, "0123456789abcdef");
    await assert.rejects(bytesOf(growing.stream()), /grew past 5 bytes/);
  });
});

Deno.test("multipart() closes the file when the reader cancels midway", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "big.bin");
    await Deno.writeFile(path, new Uint8Array(500_000));
    const body = await multipart([{ name: "f", filename: "big.bin", path }]);
    const reader = body.stream().getReader();
    await reader.read(); // the part head
    const chunk = await reader.read(); // the first file chunk: the file is open now
    assert.equal(chunk.value?.length, 64 * 1024);
    await reader.cancel();
    // The resource sanitizer fails this test if the file were left open.
  });
});
