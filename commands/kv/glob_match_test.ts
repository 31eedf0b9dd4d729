import assert from "node:assert/strict";
import { globMatch, globPrefix } from "./glob_match.ts";

const b = (s: string) => new TextEncoder().encode(s);

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
  ];
  for (const [pattern, subject, expected] of cases) {
    await t.step(`${pattern} ~ ${subject}`, () => {
      assert.equal(globMatch(b(pattern), b(subject)), expected);
    });
  }
});

Deno.test("globMatch() gives up on pathological patterns instead of hanging", () => {
  const pattern = b("a*".repeat(30) + "b");
  const subject = b("a".repeat(60));
  assert.equal(globMatch(pattern, subject), false);
});

Deno.test("globPrefix() returns the literal start of a pattern", () => {
  assert.deepEqual(globPrefix(b("user:*")), b("user:"));
  assert.deepEqual(globPrefix(b("*x")), b(""));
  assert.deepEqual(globPrefix(b("ab[c]")), b("ab"));
  assert.deepEqual(globPrefix(b("a\\?b?")), b("a?b"));
});
