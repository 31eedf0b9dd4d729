import assert from "node:assert/strict";
import { parseRequestHeadFast } from "./_fast_head.ts";
import { HEAD_LIMITS, HeadParser } from "./head_parser.ts";

const enc = new TextEncoder();
const LIMITS = { maxLineLength: 64, maxHeadSize: 256, maxHeaders: 4 };

/** What the reference parser makes of `text` in one chunk: the head's fields, or the error. */
function reference(bytes: Uint8Array, limits = LIMITS) {
  try {
    const out = HeadParser.request(limits).push(bytes);
    if (!out) return "incomplete";
    const h = out.head;
    return {
      method: h.method,
      target: h.target,
      version: h.version,
      headers: h.headers.entries(),
      rest: [...out.rest],
    };
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

const CORPUS = [
  "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
  "GET / HTTP/1.1\r\n\r\n",
  "POST /a?b=c&d=%20 HTTP/1.0\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET",
  "GET / HTTP/1.1\r\nX-Pad:   spaced \t \r\nHost: x\r\n\r\n",
  "GET / HTTP/1.1\r\nX-Empty:\r\n\r\n",
  "GET / HTTP/1.1\r\nHost: x\r\n",
  "GET / HTTP/1.1\r\nHost: x\r\n\r",
  "\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n",
  "\ufeffGET / HTTP/1.1\r\nHost: x\r\n\r\n",
  "GET / HTTP/1.1\r\nHost: x\r\n\r\n\xff\ufeffbody",
  "GET /\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n",
  "GET / HTTP/1.1\nHost: x\n\n",
  "GET / HTTP/1.1\r\nHost: x\nY: 1\r\n\r\n",
  "GET / HTTP/1.1\r\nX: 1\r\n folded\r\n\r\n",
  "GET / HTTP/1.1\r\nBad Name: 1\r\n\r\n",
  "GET / HTTP/1.1\r\nName : 1\r\n\r\n",
  "GET / HTTP/1.1\r\n: novalue\r\n\r\n",
  "GET / HTTP/1.1\r\nnocolon\r\n\r\n",
  "GET / HTTP/2.0\r\nHost: x\r\n\r\n",
  "GET  / HTTP/1.1\r\nHost: x\r\n\r\n",
  "G@T / HTTP/1.1\r\nHost: x\r\n\r\n",
  "GET /\x7f HTTP/1.1\r\nHost: x\r\n\r\n",
  "GET / HTTP/1.1\r\nX: a\0b\r\n\r\n",
  "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",
  "GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n",
  "GET / HTTP/1.1\r\nX: caf\u00e9\r\n\r\n",
  `GET /${"a".repeat(60)} HTTP/1.1\r\n\r\n`,
  `GET / HTTP/1.1\r\nX: ${"b".repeat(57)}\r\n\r\n`,
  `GET / HTTP/1.1\r\nX: ${"b".repeat(58)}\r\n\r\n`,
  "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n",
  "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n",
  `GET / HTTP/1.1\r\n${"X: 0123456789012345678901234567890123456789\r\n".repeat(4)}\r\n`,
  `GET / HTTP/1.1\r\n${"Y: 01234567890123456789012345678901234567890123456789\r\n".repeat(4)}\r\n`,
];

Deno.test("parseRequestHeadFast() agrees with HeadParser or leaves the verdict to it", async (t) => {
  for (const text of CORPUS) {
    await t.step(JSON.stringify(text.slice(0, 50)), () => {
      const bytes = enc.encode(text);
      const expected = reference(bytes);
      const fast = parseRequestHeadFast(bytes, LIMITS);
      if (fast === undefined) return; // the reference parser decides
      assert.equal(
        typeof expected,
        "object",
        `fast path accepted what the reference refuses: ${expected}`,
      );
      const h = fast.head;
      assert.deepEqual(
        {
          method: h.method,
          target: h.target,
          version: h.version,
          headers: h.headers.entries(),
          rest: [...fast.rest],
        },
        expected,
      );
      assert.deepEqual([...h.raw, ...fast.rest], [...bytes]);
    });
  }
});

Deno.test("parseRequestHeadFast() takes the common heads", () => {
  for (const text of CORPUS.slice(0, 5)) {
    assert.ok(parseRequestHeadFast(enc.encode(text), HEAD_LIMITS), text);
  }
});
