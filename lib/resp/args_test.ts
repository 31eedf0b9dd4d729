import assert from "node:assert/strict";
import {
  bytesOf,
  globMatch,
  globPrefix,
  latin1,
  lowerWord,
  parseBigInt,
  parseInteger,
} from "./args.ts";

const b = (s: string) => new TextEncoder().encode(s);

Deno.test("latin1() and bytesOf() round-trip every byte, long inputs too", () => {
  const all = new Uint8Array(20000).map((_, i) => i % 256);
  assert.deepEqual(bytesOf(latin1(all)), all);
});

Deno.test("parseInteger() follows string2ll", () => {
  for (
    const bad of ["", "-", "+1", " 1", "01", "007", "1.0", "1.5", "9223372036854775808", "abc"]
  ) {
    assert.equal(parseInteger(b(bad)), undefined, bad);
  }
  assert.equal(parseInteger(b("0")), 0);
  assert.equal(parseInteger(b("-42")), -42);
  assert.equal(parseInteger(b("-12")), -12);
  // A range of a buffer, as the keyspace's records hold short counters.
  assert.equal(parseInteger(b("x-120y"), 1, 5), -120);
  assert.equal(parseInteger(b("x-0"), 1, 3), undefined);
  assert.equal(parseInteger(b("x7"), 1, 1), undefined);
  assert.equal(parseInteger(b("[12345678901234567]"), 1, 18), 12345678901234567);
  assert.equal(parseBigInt(b("9223372036854775807")), 9223372036854775807n);
  assert.equal(parseBigInt(b("9223372036854775808")), undefined);
});

Deno.test("lowerWord() folds ASCII letters only", () => {
  assert.equal(lowerWord(b("GeT")), "get");
});

Deno.test("globMatch() matches as Redis's stringmatchlen", async (t) => {
  const cases: [string, string, boolean][] = [
    ["*", "", true],
    ["*", "anything", true],
    ["h?llo", "hello", true],
    ["h?llo", "hllo", false],
    ["h*llo", "heeeello", true],
    ["h[ae]llo", "hallo", true],
    ["h[ae]llo", "hillo", false],
    ["h[^e]llo", "hallo", true],
    ["h[^e]llo", "hello", false],
    ["h[a-b]llo", "hbllo", true],
    ["h[b-a]llo", "hallo", true],
    ["h[a-b]llo", "hcllo", false],
    ["a\\*b", "a*b", true],
    ["a\\*b", "axb", false],
    ["user:*:name", "user:42:name", true],
    ["user:*:name", "user:42:age", false],
    ["*a", "bab", false],
    ["a*", "a", true],
    ["[\\]]", "]", true],
    ["a*b*c", "axxbyyc", true],
    ["a*b*c", "axxbyy", false],
    ["[a-c]x", "bx", true],
    ["[c-a]x", "bx", true],
    ["[^a-c]x", "bx", false],
  ];
  for (const [pattern, subject, expected] of cases) {
    await t.step(`${pattern} ~ ${subject}`, () => {
      assert.equal(globMatch(pattern, subject), expected);
    });
  }
});

Deno.test("globMatch() gives up on pathological patterns instead of hanging", () => {
  assert.equal(globMatch("a*".repeat(30) + "b", "a".repeat(60)), false);
});

Deno.test("globPrefix() returns the literal start of a pattern", () => {
  assert.equal(globPrefix("user:*"), "user:");
  assert.equal(globPrefix("*x"), "");
  assert.equal(globPrefix("ab[c]"), "ab");
  assert.equal(globPrefix("a\\?b?"), "a?b");
});
