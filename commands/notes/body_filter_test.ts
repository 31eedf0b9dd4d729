import assert from "node:assert/strict";
import { substringFilter } from "./body_filter.ts";

const encoder = new TextEncoder();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Runs the filter over bodies laid end to end, as the notes cache stores them. */
function passed(query: string, caseSensitive: boolean, bodies: string[]): boolean[] | undefined {
  const filter = substringFilter(query, caseSensitive);
  if (!filter) return undefined;
  const parts = bodies.map((b) => encoder.encode(b));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  const result: boolean[] = [];
  for (const part of parts) bytes.set(part, at), at += part.length;
  at = 0;
  for (let i = 0; i < parts.length; i++) {
    result.push(filter(bytes, at, at + parts[i].length));
    at += parts[i].length;
  }
  return result;
}

Deno.test("substringFilter never rejects a body the search regex matches", () => {
  const bodies = [
    "nothing here",
    "Zyzzogeton at the start",
    "ends with zyzzogetoN",
    "zyzzogeto",
    "split zyzzo",
    "geton split",
    "the ſword and the KELVIN Kelvin",
    "a résumé, RÉSUMÉ",
    "tab\there, dots... and [brackets]",
    "ſtraße",
    "",
    "kit KIT Kit",
  ];
  const queries = [
    "zyzzogeton",
    "Zyzzogeton",
    "sword",
    "kelvin",
    "Kelvin",
    "résumé",
    "RÉSUMÉ",
    "[brackets]",
    "dots...",
    "strasse",
    "kit",
    "t\th",
    "e",
  ];
  for (const query of queries) {
    for (const caseSensitive of [true, false]) {
      const re = new RegExp(escapeRegExp(query), caseSensitive ? "u" : "iu");
      const result = passed(query, caseSensitive, bodies);
      if (!result) continue;
      bodies.forEach((body, i) => {
        if (re.test(body)) assert.ok(result[i], `${query} (${caseSensitive}) in ${body}`);
      });
    }
  }
});

Deno.test("substringFilter rejects bodies without the query, across body boundaries", () => {
  assert.deepEqual(
    passed("zyzzogeton", false, ["zyzzo", "geton", "ZYZZOGETON", "x", "zyzzogeto", "nzyzzogeton"]),
    [false, false, true, false, false, true],
  );
  assert.deepEqual(passed("Abc", true, ["abc", "ABC", "xAbcx", "Ab", "c"]), [
    false,
    false,
    true,
    false,
    false,
  ]);
  // Punctuation is compared exactly even when letters are folded.
  assert.deepEqual(passed("a@b", false, ["A`B", "A@B"]), [false, true]);
});

Deno.test("substringFilter looks for the longest run the bytes can find", () => {
  // "sword" folds s to ſ: only "word" is looked for, so the long s still passes.
  assert.deepEqual(passed("sword", false, ["ſword", "sward"]), [true, false]);
  // Nothing but k and s: bytes cannot tell.
  assert.equal(substringFilter("sks", false), undefined);
  assert.equal(substringFilter("ü", false), undefined);
  assert.ok(substringFilter("ü", true));
});

Deno.test("substringFilter finds a second occurrence after a near miss", () => {
  assert.deepEqual(passed("zyx", false, ["zyy zyq zyx", "zy"]), [true, false]);
});
