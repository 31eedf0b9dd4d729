import assert from "node:assert/strict";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { ACCEPT_ENCODING, decodeContent } from "./content_coding.ts";
import { HttpError } from "./errors.ts";

const encoder = new TextEncoder();

/** A stream of `bytes` in chunks of `size`, counting how much has been pulled. */
function chunked(bytes: Uint8Array, size: number) {
  const state = { pulled: 0, cancelled: undefined as unknown };
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      const chunk = bytes.slice(offset, offset + size);
      offset += chunk.length;
      state.pulled = offset;
      controller.enqueue(chunk);
    },
    cancel(reason) {
      state.cancelled = reason ?? "cancelled";
    },
  }, { highWaterMark: 0 });
  return { stream, state };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function sample(n: number): Uint8Array {
  // Compressible but not trivial: words with a counter.
  return encoder.encode(
    Array.from({ length: n }, (_, i) => `line ${i} ${i % 7 ? "abc" : "xyz"}\n`).join(""),
  );
}

function isBodyError(e: unknown): boolean {
  assert.ok(e instanceof HttpError, `expected HttpError, got ${e}`);
  assert.equal(e.kind, "body");
  return true;
}

Deno.test("ACCEPT_ENCODING lists the supported codings", () => {
  assert.equal(ACCEPT_ENCODING, "gzip, deflate, br");
});

Deno.test("decodeContent() returns the body itself with no coding or only identity", () => {
  for (const value of [null, "", "identity", " Identity , identity"]) {
    const { stream } = chunked(new Uint8Array(1), 1);
    assert.equal(decodeContent(value, stream), stream);
  }
});

Deno.test("decodeContent() round-trips each coding, in many chunk sizes", async (t) => {
  const data = sample(5000);
  const codings: [string, Uint8Array][] = [
    ["gzip", gzipSync(data)],
    ["x-gzip", gzipSync(data)],
    ["deflate", deflateSync(data)],
    ["deflate", deflateRawSync(data)],
    ["br", brotliCompressSync(data)],
    ["GZip", gzipSync(data)],
  ];
  for (const [coding, compressed] of codings) {
    for (const size of [1, 2, 3, 1000, 1 << 20]) {
      await t.step(
        `${coding} (${compressed[0] === 0x78 ? "zlib " : ""}chunks of ${size})`,
        async () => {
          const { stream } = chunked(compressed, size);
          assert.deepEqual(await readAll(decodeContent(coding, stream)), data);
        },
      );
    }
  }
});

Deno.test("decodeContent() decodes a raw-deflate body whose first bytes could not be zlib", async () => {
  for (const text of ["x", "hello", "", "\x00\x00\x00"]) {
    const raw = deflateRawSync(encoder.encode(text));
    const { stream } = chunked(raw, 1);
    assert.equal(new TextDecoder().decode(await readAll(decodeContent("deflate", stream))), text);
  }
});

Deno.test("decodeContent() undoes a list of codings last-applied first", async () => {
  const data = sample(300);
  // "gzip, br": gzip was applied first, then br.
  const both = brotliCompressSync(gzipSync(data));
  assert.deepEqual(await readAll(decodeContent("gzip, br", chunked(both, 7).stream)), data);
  const three = gzipSync(deflateSync(gzipSync(data)));
  assert.deepEqual(
    await readAll(decodeContent("gzip,deflate , identity, gzip", chunked(three, 64).stream)),
    data,
  );
});

Deno.test("decodeContent() decodes every member of a multi-member gzip", async () => {
  const a = encoder.encode("first member\n");
  const b = encoder.encode("second member\n");
  const body = new Uint8Array([...gzipSync(a), ...gzipSync(b)]);
  const out = await readAll(decodeContent("gzip", chunked(body, 5).stream));
  assert.equal(new TextDecoder().decode(out), "first member\nsecond member\n");
});

Deno.test("decodeContent() gives an empty body for an empty input", async () => {
  for (const coding of ["gzip", "deflate", "br"]) {
    assert.equal(
      (await readAll(decodeContent(coding, chunked(new Uint8Array(), 1).stream))).length,
      0,
    );
  }
});

Deno.test("decodeContent() throws HttpError body on an unknown coding", () => {
  for (const value of ["zstd", "gzip, compress", "bogus , gzip"]) {
    assert.throws(() => decodeContent(value, chunked(new Uint8Array(), 1).stream), (e) => {
      isBodyError(e);
      assert.match((e as Error).message, /^unsupported content encoding: "(zstd|compress|bogus)"$/);
      return true;
    });
  }
});

Deno.test("decodeContent() fails with HttpError body on corrupt data", async (t) => {
  const data = sample(200);
  const flipped = gzipSync(data);
  flipped[flipped.length - 6] ^= 0xff; // the CRC32 trailer
  const cases: [string, Uint8Array][] = [
    ["gzip", encoder.encode("this is not gzip at all")],
    ["gzip", flipped],
    ["deflate", encoder.encode("\xff\xff\xff\xff not deflate")],
    ["deflate", new Uint8Array([0x07])],
    ["br", encoder.encode("not brotli either, not at all")],
  ];
  for (const [coding, body] of cases) {
    await t.step(`${coding}: ${body.length} bytes`, async () => {
      const { stream, state } = chunked(body, 8);
      await assert.rejects(readAll(decodeContent(coding, stream)), (e) => {
        isBodyError(e);
        assert.match((e as Error).message, new RegExp(`^cannot decode ${coding} body: `));
        return true;
      });
      // The input is released once decoding has failed.
      assert.ok(state.cancelled !== undefined || state.pulled === body.length);
    });
  }
});

Deno.test("decodeContent() fails with HttpError body on a truncated gzip or brotli", async () => {
  const data = sample(2000);
  for (
    const [coding, full] of [["gzip", gzipSync(data)], ["br", brotliCompressSync(data)]] as const
  ) {
    for (const cut of [1, 10, full.length / 2, full.length - 1]) {
      const body = full.subarray(0, Math.floor(cut));
      await assert.rejects(readAll(decodeContent(coding, chunked(body, 100).stream)), isBodyError);
    }
  }
});

Deno.test("decodeContent() passes errors of the underlying body through", async () => {
  const failure = new HttpError("timeout", "timed out", { phase: "body" });
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(gzipSync(sample(10)).subarray(0, 20));
      } else controller.error(failure);
    },
  });
  await assert.rejects(readAll(decodeContent("gzip", body)), (e) => e === failure);
});

Deno.test("decodeContent() cancels the underlying body when the reader cancels", async () => {
  const { stream, state } = chunked(gzipSync(new Uint8Array(1 << 20)), 1024);
  const reader = decodeContent("gzip", stream).getReader();
  const first = await reader.read();
  assert.equal(first.done, false);
  await reader.cancel("enough");
  assert.equal(state.cancelled, "enough");
});

Deno.test("decodeContent() streams 50 MB of zeros chunk by chunk, reading input as needed", async () => {
  const size = 50 * 1024 * 1024;
  const zeros = new Uint8Array(size);
  for (
    const [coding, compressed] of [["gzip", gzipSync(zeros)], [
      "br",
      brotliCompressSync(zeros),
    ]] as const
  ) {
    const { stream, state } = chunked(compressed, 512);
    const reader = decodeContent(coding, stream).getReader();
    let total = 0;
    let chunks = 0;
    let biggest = 0;
    let pulledAtFirst = -1;
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      if (pulledAtFirst === -1) pulledAtFirst = state.pulled;
      chunks++;
      total += value.length;
      biggest = Math.max(biggest, value.length);
      // Never more than a few input chunks ahead of what the consumer has taken.
      const expectedInput = (total / size) * compressed.length;
      assert.ok(
        state.pulled <= expectedInput + 4 * 512 + 1024,
        `${coding}: pulled ${state.pulled} of ${compressed.length} input bytes after ${total} output bytes`,
      );
      for (let i = 0; i < value.length; i += 4096) assert.equal(value[i], 0);
    }
    assert.equal(total, size, coding);
    assert.ok(chunks > 100, `${coding}: ${chunks} chunks`);
    assert.ok(biggest <= 1024 * 1024, `${coding}: a chunk of ${biggest} bytes`);
    // (Brotli turns the 50 MB into under a hundred bytes, all of which are read at once.)
    if (compressed.length > 8 * 512) {
      assert.ok(pulledAtFirst < compressed.length / 4, `${coding}: ${pulledAtFirst} pulled first`);
    }
  }
});

Deno.test("decodeContent() passes errors of the underlying body through for br too", async () => {
  const failure = new HttpError("connect", "connection reset");
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(brotliCompressSync(sample(1000)).subarray(0, 30));
      } else controller.error(failure);
    },
  });
  await assert.rejects(readAll(decodeContent("br", body)), (e) => e === failure);
});

Deno.test("decodeContent() cancels the underlying body for br too", async () => {
  // Bytes that do not compress, so that the body is still being read when the reader cancels.
  const data = new Uint8Array(300_000).map((_, i) => (i * 2654435761) >>> 24);
  const { stream, state } = chunked(brotliCompressSync(data), 1024);
  const reader = decodeContent("br", stream).getReader();
  assert.equal((await reader.read()).done, false);
  await reader.cancel("enough");
  assert.equal(state.cancelled, "enough");
});

Deno.test("decodeContent() reads chunks that are views into a larger buffer", async () => {
  const data = sample(3000);
  for (
    const [coding, compressed] of [["gzip", gzipSync(data)], ["br", brotliCompressSync(data)], [
      "deflate",
      deflateRawSync(data),
    ]] as const
  ) {
    // Junk around each view: a decoder reading the whole ArrayBuffer would see it.
    const big = new Uint8Array(compressed.length + 64).fill(0xee);
    big.set(compressed, 32);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < compressed.length; i += 37) {
          controller.enqueue(big.subarray(32 + i, 32 + Math.min(i + 37, compressed.length)));
        }
        controller.close();
      },
    });
    assert.deepEqual(await readAll(decodeContent(coding, body)), data, coding);
  }
});

Deno.test("decodeContent() hands out chunks the consumer may keep", async () => {
  const data = sample(20_000);
  const chunks: Uint8Array[] = [];
  for await (const chunk of decodeContent("gzip", chunked(gzipSync(data), 4096).stream)) {
    chunks.push(chunk);
  }
  const joined = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    joined.set(c, offset);
    offset += c.length;
  }
  assert.deepEqual(joined, data);
});

Deno.test("decodeContent() rejects bytes after a gzip member that are not another member", async () => {
  const body = new Uint8Array([...gzipSync(sample(10)), ...encoder.encode("TRAILING GARBAGE")]);
  await assert.rejects(readAll(decodeContent("gzip", chunked(body, 64).stream)), isBodyError);
});

Deno.test("decodeContent() rejects a gzip body that was not compressed at all", async () => {
  const plain = encoder.encode('{"message": "not compressed"}');
  await assert.rejects(readAll(decodeContent("gzip", chunked(plain, 64).stream)), isBodyError);
});
