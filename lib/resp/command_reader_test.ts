import assert from "node:assert/strict";
import { CommandReader } from "./command_reader.ts";
import { RespProtocolError } from "./errors.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (s: string) => enc.encode(s);

function words(args: Uint8Array[] | undefined): string[] | undefined {
  return args?.map((a) => dec.decode(a));
}

function all(reader: CommandReader): string[][] {
  const out: string[][] = [];
  for (let args = reader.next(); args; args = reader.next()) out.push(words(args)!);
  return out;
}

/** The arguments a fresh reader gives for commands sent as one multibulk buffer. */
function readScript(script: string[][]): Uint8Array[][] {
  const resp = (w: string[]) =>
    `*${w.length}\r\n` + w.map((x) => `$${x.length}\r\n${x}\r\n`).join("");
  const reader = new CommandReader();
  reader.push(bytes(script.map(resp).join("")));
  const got: Uint8Array[][] = [];
  for (let args = reader.next(); args; args = reader.next()) got.push(args);
  assert.deepEqual(got.map(words), script);
  return got;
}

function errorOf(input: string, limits = {}): RespProtocolError {
  const reader = new CommandReader(limits);
  reader.push(bytes(input));
  try {
    all(reader);
  } catch (error) {
    assert.ok(error instanceof RespProtocolError);
    return error;
  }
  throw new Error("no error");
}

Deno.test("CommandReader reads a pipelined buffer in one pass", () => {
  const reader = new CommandReader();
  reader.push(bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"));
  assert.deepEqual(all(reader), [["SET", "k", "hello"], ["GET", "k"]]);
  assert.equal(reader.buffered, 0);
});

Deno.test("CommandReader gives commands with a recent name that name's array", () => {
  const long = "X".repeat(40);
  const script = [
    ["GET", "a"],
    ["GET", "b"],
    ["SET", "a", "1"],
    ["GET", "c"],
    ["GET", "d"],
    [
      long,
    ],
    [long],
    ["GEX", "e"],
  ];
  const got = readScript(script);
  // The first GET brings the name in; later ones share it, across the SET between them.
  assert.equal(got[3][0], got[1][0]);
  assert.equal(got[4][0], got[1][0]);
  assert.notEqual(got[2][0], got[1][0]);
  assert.notEqual(got[6][0], got[5][0], "long names are views");
  assert.equal(dec.decode(got[0][0]), "GET", "a shared name is never written over");
});

Deno.test("CommandReader shares an argument repeated at the same position by the command before", () => {
  const long = "v".repeat(33);
  const script = [
    ["LPUSH", "list", "x"],
    ["LPUSH", "list", "x"], // 1: both shared with 0
    ["LPUSH", "list", "y"], // 2: the key shared, the value not
    ["RPUSH", "list", "y"], // 3: another name, the same arguments: shared with 2
    ["SET", "y", "list"], // 4: the same bytes at other positions: not shared
    ["SET", "y", long], // 5: the key shared
    ["SET", "y", long], // 6: a value over 32 bytes is never shared
    ["SET", "z", "list"], // 7: "list" again, but the command before had another value there
    ["SET", "z", "mist"], // 8: the key shared; the value differs in its first byte only
  ];
  const got = readScript(script);
  assert.equal(got[1][1], got[0][1]);
  assert.equal(got[1][2], got[0][2]);
  assert.equal(got[2][1], got[0][1]);
  assert.notEqual(got[2][2], got[1][2]);
  assert.equal(got[3][1], got[0][1]);
  assert.equal(got[3][2], got[2][2]);
  assert.notEqual(got[4][1], got[3][1]);
  assert.notEqual(got[4][2], got[3][1]);
  assert.equal(got[5][1], got[4][1]);
  assert.notEqual(got[6][2], got[5][2]);
  assert.notEqual(got[7][2], got[4][2]);
  assert.equal(got[8][1], got[7][1]);
  assert.notEqual(got[8][2], got[7][2]);
  assert.equal(dec.decode(got[0][2]), "x", "a shared argument is never written over");
});

Deno.test("CommandReader shares no view of a buffer it has moved on from", () => {
  const reader = new CommandReader();
  const command = bytes("*3\r\n$5\r\nLPUSH\r\n$4\r\nlist\r\n$1\r\nx\r\n");
  // Commands pushed until the reader's buffer is full and it moves to a new one.
  const got: Uint8Array[][] = [];
  while (got.length < 2 || got.at(-1)![1].buffer === got[0][1].buffer) {
    reader.push(command);
    got.push(reader.next()!);
  }
  const last = got.at(-1)!;
  const before = got.at(-2)!;
  assert.notEqual(last[1].buffer, before[1].buffer, "the buffer moved");
  assert.notEqual(last[1], before[1]);
  assert.deepEqual(words(last), ["LPUSH", "list", "x"]);
  // Commands after the move share views of the new buffer.
  reader.push(command);
  assert.equal(reader.next()![1], last[1]);
});

Deno.test("CommandReader resumes a command cut at every byte", () => {
  const text = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$10\r\n0123456789\r\nPING\r\n";
  for (let cut = 0; cut <= text.length; cut++) {
    const reader = new CommandReader();
    reader.push(bytes(text.slice(0, cut)));
    const first = all(reader);
    reader.push(bytes(text.slice(cut)));
    assert.deepEqual(
      [...first, ...all(reader)],
      [["SET", "key", "0123456789"], ["PING"]],
      `cut ${cut}`,
    );
  }
});

Deno.test("CommandReader fed one byte at a time", () => {
  const text = "*2\r\n$4\r\nECHO\r\n$3\r\na\r\n\r\n";
  const reader = new CommandReader();
  const got: string[][] = [];
  for (const b of bytes(text)) {
    reader.push(Uint8Array.of(b));
    got.push(...all(reader));
  }
  assert.deepEqual(got, [["ECHO", "a\r\n"]]);
});

Deno.test("CommandReader keeps binary arguments intact", () => {
  const reader = new CommandReader();
  const value = Uint8Array.from({ length: 256 }, (_, i) => i);
  reader.push(bytes("*2\r\n$3\r\nSET\r\n$256\r\n"));
  reader.push(value);
  reader.push(bytes("\r\n"));
  const args = reader.next()!;
  assert.deepEqual(args[1], value);
});

Deno.test("CommandReader arguments stay valid after more input arrives", () => {
  const reader = new CommandReader();
  reader.push(bytes("*1\r\n$5\r\nfirst\r\n"));
  const first = reader.next()!;
  for (let i = 0; i < 100; i++) reader.push(bytes("*1\r\n$1000\r\n" + "x".repeat(1000) + "\r\n"));
  all(reader);
  assert.equal(dec.decode(first[0]), "first");
});

Deno.test("CommandReader reads into reserve() without a copy", () => {
  const reader = new CommandReader();
  const region = reader.reserve(64);
  const n = enc.encodeInto("*1\r\n$4\r\nPING\r\n", region).written;
  reader.commit(n);
  assert.deepEqual(words(reader.next()), ["PING"]);
});

Deno.test("CommandReader reads inline commands with quotes, LF or CRLF, and skips blank lines", () => {
  const reader = new CommandReader();
  reader.push(bytes('SET k "a b"\r\n\r\n  \nGET k\nPING'));
  assert.deepEqual(all(reader), [["SET", "k", "a b"], ["GET", "k"]]);
  reader.push(bytes("\r\n"));
  assert.deepEqual(all(reader), [["PING"]]);
});

Deno.test("CommandReader skips empty multibulk commands as Redis does", () => {
  const reader = new CommandReader();
  reader.push(bytes("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n"));
  assert.deepEqual(all(reader), [["PING"]]);
});

Deno.test("CommandReader returns the good commands before a protocol error", () => {
  const reader = new CommandReader();
  reader.push(bytes("PING\r\n*1\r\n$x\r\n"));
  assert.deepEqual(words(reader.next()), ["PING"]);
  assert.throws(() => reader.next(), RespProtocolError);
});

Deno.test("CommandReader rejects bad input with Redis's messages", async (t) => {
  const cases: [string, string, Record<string, number>?][] = [
    ["*x\r\n", "Protocol error: invalid multibulk length"],
    ["*3000000000\r\n", "Protocol error: invalid multibulk length"],
    ["*01\r\n", "Protocol error: invalid multibulk length"],
    ["*1\r\n:1\r\n", "Protocol error: expected '$', got ':'"],
    ["*1\r\n$-1\r\n", "Protocol error: invalid bulk length"],
    ["*1\r\n$abc\r\n", "Protocol error: invalid bulk length"],
    ["*1\r\n$536870913\r\n", "Protocol error: invalid bulk length"],
    ["*1\r\n$11\r\n", "Protocol error: invalid bulk length", { maxBulkLength: 10 }],
    ["*3\r\n", "Protocol error: invalid multibulk length", { maxAggregateLength: 2 }],
    ['SET "a\r\n', "Protocol error: unbalanced quotes in request"],
    ["x".repeat(70_000), "Protocol error: too big inline request"],
    ["*" + "1".repeat(70_000), "Protocol error: too big mbulk count string"],
    ["*1\r\n$" + "1".repeat(70_000), "Protocol error: too big bulk count string"],
    ["*2\r\n$5\r\nhello\r\n$5\r\n", "Protocol error: query buffer limit reached", {
      maxQueryLength: 8,
    }],
  ];
  for (const [input, message, limits] of cases) {
    await t.step(message + " " + JSON.stringify(input.slice(0, 20)), () => {
      assert.equal(errorOf(input, limits).message, message);
    });
  }
});

Deno.test("CommandReader accepts a bulk exactly at the limit and sizes the buffer once", () => {
  const reader = new CommandReader({ maxBulkLength: 200_000 });
  reader.push(bytes("*1\r\n$200000\r\n"));
  assert.equal(reader.next(), undefined);
  reader.push(new Uint8Array(200_000).fill(97));
  reader.push(bytes("\r\n"));
  assert.equal(reader.next()![0].length, 200_000);
});

Deno.test("CommandReader error offsets count from the start of the stream", () => {
  const reader = new CommandReader();
  reader.push(bytes("PING\r\n"));
  reader.next();
  reader.push(bytes("*z\r\n"));
  try {
    reader.next();
    assert.fail("no error");
  } catch (error) {
    assert.equal((error as RespProtocolError).offset, 6);
  }
});

Deno.test("CommandReader does not allocate a declared 512 MB before the data comes", () => {
  const reader = new CommandReader();
  reader.push(bytes("*1\r\n$536870912\r\n"));
  assert.equal(reader.next(), undefined);
  assert.ok(reader.reserve(1).length < 2 * 1024 * 1024);
});

Deno.test("CommandReader reads a 5 MB argument pushed in 64 KB chunks", () => {
  const reader = new CommandReader();
  const size = 5 * 1024 * 1024;
  reader.push(bytes(`*1\r\n$${size}\r\n`));
  const chunk = new Uint8Array(64 * 1024).fill(120);
  for (let sent = 0; sent < size; sent += chunk.length) {
    reader.push(chunk.subarray(0, Math.min(chunk.length, size - sent)));
    assert.equal(reader.next(), undefined);
  }
  reader.push(bytes("\r\n"));
  assert.equal(reader.next()![0].length, size);
});

Deno.test("CommandReader reads empty, long and many arguments the same whole or byte by byte", () => {
  const many = Array.from({ length: 120 }, (_, i) => `a${i}`);
  const commands = [["SET", "", "x".repeat(300)], ["DEL", ...many.slice(0, 12)], ["MSET", ...many]];
  const text = commands.map((c) =>
    `*${c.length}\r\n` + c.map((a) => `$${a.length}\r\n${a}\r\n`).join("")
  )
    .join("");
  const whole = new CommandReader();
  whole.push(bytes(text));
  assert.deepEqual(all(whole), commands);
  const cut = new CommandReader();
  const got: string[][] = [];
  for (const b of bytes(text)) {
    cut.push(Uint8Array.of(b));
    got.push(...all(cut));
  }
  assert.deepEqual(got, commands);
  assert.equal(errorOf("*1\r\n$01\r\nx\r\n").message, "Protocol error: invalid bulk length");
});

Deno.test("CommandReader model: random pipelines with repeated arguments, cut anywhere, over many buffers", () => {
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >>> 16) % n;
  const pool = [
    "k",
    "key:1",
    "key:2",
    "list",
    "mist",
    "",
    "v".repeat(32),
    "v".repeat(33),
    "\r\n$3",
  ];
  const word = () => random(4) === 0 ? `r${random(1000)}` : pool[random(pool.length)];
  // Half the arguments repeat the command before's at their position, as pipelines do.
  const script: string[][] = [];
  for (let i = 0; i < 12_000; i++) {
    const before = script.at(-1) ?? [];
    const args = Array.from(
      { length: 1 + random(4) },
      (_, k) => random(2) === 0 && before[k + 1] !== undefined ? before[k + 1] : word(),
    );
    script.push([["LPUSH", "SET", "HSET"][random(3)], ...args]);
  }
  const text = bytes(
    script.map((c) => `*${c.length}\r\n` + c.map((a) => `$${a.length}\r\n${a}\r\n`).join(""))
      .join(""),
  );
  const reader = new CommandReader();
  const got: Uint8Array[][] = [];
  for (let at = 0; at < text.length;) {
    const end = Math.min(text.length, at + 1 + random(3000));
    reader.push(text.subarray(at, end));
    at = end;
    for (let args = reader.next(); args; args = reader.next()) {
      // An argument shared with the command before views the reader's current buffer.
      const before = got.at(-1) ?? [];
      const current = reader.reserve(0).buffer;
      for (let k = 1; k < args.length; k++) {
        if (args[k] === before[k]) assert.equal(args[k].buffer, current, `command ${got.length}`);
      }
      got.push(args);
    }
  }
  const buffers = new Set(got.map((args) => args[1].buffer));
  assert.ok(buffers.size >= 3, `the reader moved to new buffers on the way (${buffers.size})`);
  // Checked at the end: no argument handed out was written over since.
  assert.deepEqual(got.map(words), script);
  const shared = got.filter((args, i) =>
    i > 0 && args.some((a, k) => k > 0 && a === got[i - 1][k])
  );
  assert.ok(shared.length > 3000, `${shared.length} commands shared an argument`);
});
