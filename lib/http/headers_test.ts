import assert from "node:assert/strict";
import { assertHeader, hasCtlBreak, HttpHeaders, isToken, isValidHeaderValue } from "./headers.ts";
import { HttpError } from "./errors.ts";

Deno.test("HttpHeaders keeps order, spelling and repeats, and looks up without case", () => {
  const h = new HttpHeaders([["X-A", "1"], ["x-a", "2"], ["Set-Cookie", "a=1, b"], [
    "set-cookie",
    "c=2",
  ]]);
  assert.equal(h.get("x-A"), "1, 2");
  assert.equal(h.get("Set-Cookie"), "a=1, b");
  assert.deepEqual(h.getAll("SET-COOKIE"), ["a=1, b", "c=2"]);
  assert.ok(h.has("set-cookie"));
  assert.ok(!h.has("nope"));
  assert.equal(h.get("nope"), null);
  assert.deepEqual([...h].map(([n]) => n), ["X-A", "x-a", "Set-Cookie", "set-cookie"]);
  assert.equal(h.size, 4);
});

Deno.test("HttpHeaders set, append and delete", () => {
  const h = new HttpHeaders([["A", "1"], ["B", "2"], ["a", "3"]]);
  h.set("a", "9");
  assert.deepEqual(h.entries(), [["a", "9"], ["B", "2"]]);
  h.append("C", "3");
  h.delete("b");
  assert.deepEqual(h.entries(), [["a", "9"], ["C", "3"]]);
  const copy = h.entries();
  copy[0][1] = "changed";
  assert.equal(h.get("a"), "9");
});

Deno.test("isToken, isValidHeaderValue, hasCtlBreak and assertHeader", () => {
  assert.ok(isToken("!#$%&'*+-.^_`|~09azAZ"));
  for (const bad of ["", "a b", "a:b", "é", "a\r", "(x)"]) assert.ok(!isToken(bad), bad);
  assert.ok(isValidHeaderValue("a\tb é"));
  for (const bad of ["a\rb", "a\nb", "a\0b", "a\x7fb", "\x01"]) assert.ok(!isValidHeaderValue(bad));
  assert.ok(hasCtlBreak("a\0"));
  const e = assert.throws(() => assertHeader("A", "b\r\nC: d"), HttpError);
  void e;
  try {
    assertHeader("A B", "x");
  } catch (error) {
    assert.equal((error as HttpError).kind, "invalid-request");
  }
});
