import assert from "node:assert/strict";
import {
  AofError,
  encodeCommand,
  formatManifest,
  parseAof,
  parseManifest,
  propagatedForm,
} from "./aof.ts";
import { Database } from "./db.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const b = (s: string) => enc.encode(s);
const words = (cmds: (string | Uint8Array)[][]) =>
  cmds.map((c) => c.map((a) => typeof a === "string" ? a : dec.decode(a)));

Deno.test("parseManifest() reads Redis 7's manifest and formatManifest() writes it back", () => {
  const text = "file appendonly.aof.2.base.rdb seq 2 type b\n" +
    "file appendonly.aof.1.incr.aof seq 1 type h\n" +
    "file appendonly.aof.3.incr.aof seq 3 type i\n";
  const files = parseManifest(text);
  assert.deepEqual(files.map((f) => [f.name, f.seq, f.type]), [
    ["appendonly.aof.2.base.rdb", 2, "b"],
    ["appendonly.aof.1.incr.aof", 1, "h"],
    ["appendonly.aof.3.incr.aof", 3, "i"],
  ]);
  assert.equal(formatManifest(files), text);
  assert.deepEqual(parseManifest('file "a b.aof" seq 1 type i\n')[0].name, "a b.aof");
  assert.equal(
    formatManifest(parseManifest('file "a b.aof" seq 1 type i\n')),
    'file "a b.aof" seq 1 type i\n',
  );
});

Deno.test("parseManifest() rejects malformed lines and two bases", () => {
  assert.throws(() => parseManifest("file x seq one type i\n"), AofError);
  assert.throws(() => parseManifest("file ../x seq 1 type i\n"), AofError);
  assert.throws(
    () => parseManifest("file a seq 1 type b\nfile b seq 2 type b\n"),
    /duplicate base/,
  );
});

Deno.test("parseAof() reads commands, and tells a torn tail from a bad middle", () => {
  const one = encodeCommand(["SET", "k", "v"]);
  const two = encodeCommand(["INCR", "n"]);
  const whole = new Uint8Array([...one, ...two]);
  const parsed = parseAof(whole);
  assert.deepEqual(parsed.commands.map((c) => c.map((a) => dec.decode(a))), [
    ["SET", "k", "v"],
    ["INCR", "n"],
  ]);
  assert.deepEqual(parsed.ends, [one.length, whole.length]);
  assert.equal(parsed.truncated, false);
  for (let cut = one.length + 1; cut < whole.length; cut++) {
    const torn = parseAof(whole.subarray(0, cut));
    assert.equal(torn.commands.length, 1, `cut at ${cut}`);
    assert.equal(torn.validLength, one.length);
    assert.equal(torn.truncated, true);
  }
  const corrupt = whole.slice();
  corrupt[one.length] = 0x21;
  assert.throws(() => parseAof(corrupt), /Bad file format/);
});

Deno.test("propagatedForm() logs relative expiry as absolute, as Redis propagates it", () => {
  const now = 1_000_000;
  const db = new Database(0, () => now);
  const str = (v: string) => ({ type: "string" as const, value: b(v) });
  db.set("k", str("v"));
  db.setExpire("k", now + 10_000);
  assert.deepEqual(words(propagatedForm(["SET", "k", "v", "EX", "10"].map(b), db)), [
    ["SET", "k", "v", "PXAT", String(now + 10_000)],
  ]);
  assert.deepEqual(words(propagatedForm(["SETEX", "k", "10", "v"].map(b), db)), [
    ["SET", "k", "v", "PXAT", String(now + 10_000)],
  ]);
  assert.deepEqual(words(propagatedForm(["EXPIRE", "k", "10"].map(b), db)), [
    ["PEXPIREAT", "k", String(now + 10_000)],
  ]);
  assert.deepEqual(words(propagatedForm(["GETEX", "k", "EX", "10"].map(b), db)), [
    ["PEXPIREAT", "k", String(now + 10_000)],
  ]);
  assert.deepEqual(words(propagatedForm(["EXPIRE", "gone", "-1"].map(b), db)), [["DEL", "gone"]]);
  assert.deepEqual(words(propagatedForm(["GETDEL", "x"].map(b), db)), [["DEL", "x"]]);
  db.set("f", str("3.5"));
  assert.deepEqual(words(propagatedForm(["INCRBYFLOAT", "f", "1"].map(b), db)), [
    ["SET", "f", "3.5", "KEEPTTL"],
  ]);
  assert.deepEqual(words(propagatedForm(["SET", "a", "1"].map(b), db)), [["SET", "a", "1"]]);
});
