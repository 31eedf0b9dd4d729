import assert from "node:assert/strict";
import { BytesFinder, scanBuffer } from "./find_bytes.ts";

/** The reference: every start checked byte by byte. */
function naive(hay: Uint8Array, needle: Uint8Array, from: number, caseless: boolean): number {
  const fold = (
    b: number,
  ) => (caseless && ((b >= 65 && b <= 90) || (b >= 97 && b <= 122)) ? b | 32 : b);
  outer: for (let p = Math.max(0, from); p + needle.length <= hay.length; p++) {
    for (let j = 0; j < needle.length; j++) {
      if (fold(hay[p + j]) !== fold(needle[j])) continue outer;
    }
    return p;
  }
  return -1;
}

/** A deterministic pseudo-random byte source. */
function random(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) & 0x7fffffff) >>> 16;
}

Deno.test("BytesFinder agrees with a naive search: SIMD in place, through the window, and in JavaScript", () => {
  const next = random(7);
  // A small alphabet, so needles occur, straddle the 16-byte blocks and repeat.
  const alphabet = [97, 98, 65, 66, 0x20, 0xc3, 0xa9, 10];
  for (let round = 0; round < 300; round++) {
    const length = next() % 5000;
    const hay = Uint8Array.from({ length }, () => alphabet[next() % alphabet.length]);
    const n = 1 + (next() % 6);
    const start = length > n ? next() % (length - n) : 0;
    const needle = length > n && next() % 4 !== 0
      ? hay.slice(start, start + n)
      : Uint8Array.from({ length: n }, () => alphabet[next() % alphabet.length]);
    const from = next() % 3 === 0 ? next() % (length + 1) : 0;
    const inPlace = scanBuffer(length);
    inPlace.set(hay);
    for (const caseless of [false, true]) {
      const want = naive(hay, needle, from, caseless);
      const simd = new BytesFinder(needle, { caseless });
      const js = new BytesFinder(needle, { caseless, simd: false });
      const where = `round ${round}, caseless ${caseless}`;
      assert.equal(simd.find(hay, from), want, `window: ${where}`);
      assert.equal(simd.find(inPlace, from), want, `in place: ${where}`);
      assert.equal(js.find(hay, from), want, `JavaScript: ${where}`);
    }
  }
});

Deno.test("BytesFinder finds a needle across the copy windows of a large haystack", () => {
  const hay = new Uint8Array(3 * 1024 * 1024).fill(120);
  const needle = new TextEncoder().encode("SIGCHLD");
  for (const at of [0, 4090, 4096 - 3, 1024 * 1024 - 2, hay.length - needle.length]) {
    const copy = hay.slice();
    copy.set(needle, at);
    assert.equal(new BytesFinder(needle).find(copy), at);
    assert.equal(new BytesFinder(needle).find(copy, at + 1), -1);
  }
  assert.equal(new BytesFinder(needle).find(hay), -1);
});

Deno.test("BytesFinder: empty needles, and two finders taking turns", () => {
  const hay = new TextEncoder().encode("abc abc");
  assert.equal(new BytesFinder(new Uint8Array(0)).find(hay, 3), 3);
  const a = new BytesFinder(new TextEncoder().encode("bc"));
  const b = new BytesFinder(new TextEncoder().encode("C A"), { caseless: true });
  assert.equal(a.find(hay), 1);
  assert.equal(b.find(hay), 2);
  assert.equal(a.find(hay, 2), 5);
});
