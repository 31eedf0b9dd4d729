import assert from "node:assert/strict";
import {
  closePayload,
  encodeFrame,
  FrameDecoder,
  isValidCloseCode,
  Opcode,
  unmask,
  WebSocketProtocolError,
} from "./websocket_frame.ts";

const MASK = new Uint8Array([0x37, 0xfa, 0x21, 0x3d]);

Deno.test("encodeFrame() matches RFC 6455 §5.7's masked 'Hello'", () => {
  const bytes = encodeFrame(Opcode.Text, new TextEncoder().encode("Hello"), { mask: MASK });
  assert.deepEqual(
    [...bytes],
    [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58],
  );
});

Deno.test("encodeFrame() uses 16- and 64-bit lengths", () => {
  const mid = encodeFrame(Opcode.Binary, new Uint8Array(256));
  assert.deepEqual([...mid.subarray(0, 4)], [0x82, 126, 1, 0]);
  const big = encodeFrame(Opcode.Binary, new Uint8Array(65536));
  assert.deepEqual([...big.subarray(0, 10)], [0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
  assert.equal(big.length, 65546);
});

Deno.test("FrameDecoder reads frames split anywhere and several per chunk", () => {
  const a = encodeFrame(Opcode.Text, new TextEncoder().encode("first"), { mask: MASK, fin: false });
  const b = encodeFrame(Opcode.Continuation, new Uint8Array(300).fill(7), { mask: MASK });
  const all = new Uint8Array([...a, ...b]);
  for (let cut = 0; cut <= all.length; cut++) {
    const d = new FrameDecoder();
    const frames = [];
    d.push(all.subarray(0, cut));
    let f;
    while ((f = d.next())) frames.push(f);
    d.push(all.subarray(cut));
    while ((f = d.next())) frames.push(f);
    assert.equal(frames.length, 2, `cut at ${cut}`);
    assert.equal(new TextDecoder().decode(frames[0].payload), "first");
    assert.equal(frames[0].fin, false);
    assert.equal(frames[1].opcode, Opcode.Continuation);
    assert.ok(frames[1].payload.every((x) => x === 7));
  }
});

Deno.test("FrameDecoder refuses what a client may not send", async (t) => {
  const cases: [string, Uint8Array, number, FrameDecoderArgs?][] = [
    ["an unmasked frame", encodeFrame(Opcode.Text, new Uint8Array(1)), 1002],
    ["reserved bits", new Uint8Array([0xc1, 0x80, 0, 0, 0, 0]), 1002],
    ["an unknown opcode", new Uint8Array([0x83, 0x80, 0, 0, 0, 0]), 1002],
    ["a fragmented ping", new Uint8Array([0x09, 0x80, 0, 0, 0, 0]), 1002],
    [
      "a control frame over 125 bytes",
      encodeFrame(Opcode.Ping, new Uint8Array(126), { mask: MASK }),
      1002,
    ],
    [
      "a 64-bit length with the top bit set",
      new Uint8Array([0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1]),
      1002,
    ],
    [
      "a frame over the limit",
      encodeFrame(Opcode.Binary, new Uint8Array(11), { mask: MASK }),
      1009,
      {
        maxFrameBytes: 10,
      },
    ],
  ];
  for (const [name, bytes, code, options] of cases) {
    await t.step(name, () => {
      const d = new FrameDecoder(options);
      d.push(bytes);
      assert.throws(() => d.next(), (e) => e instanceof WebSocketProtocolError && e.code === code);
    });
  }
});

type FrameDecoderArgs = ConstructorParameters<typeof FrameDecoder>[0];

Deno.test("a client-side decoder refuses masked frames", () => {
  const d = new FrameDecoder({ requireMask: false });
  d.push(encodeFrame(Opcode.Text, new Uint8Array(1), { mask: MASK }));
  assert.throws(() => d.next(), WebSocketProtocolError);
  const ok = new FrameDecoder({ requireMask: false });
  ok.push(encodeFrame(Opcode.Text, new Uint8Array([65])));
  assert.deepEqual([...ok.next()!.payload], [65]);
});

Deno.test("unmask() is its own inverse; close payloads and codes", () => {
  const data = new Uint8Array([1, 2, 3, 4, 5]);
  unmask(data, MASK);
  unmask(data, MASK);
  assert.deepEqual([...data], [1, 2, 3, 4, 5]);
  assert.deepEqual([...closePayload(1001, "ok")], [0x03, 0xe9, 0x6f, 0x6b]);
  for (const code of [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999]) {
    assert.ok(isValidCloseCode(code), String(code));
  }
  for (const code of [0, 999, 1004, 1005, 1006, 1015, 2999, 5000]) {
    assert.ok(!isValidCloseCode(code), String(code));
  }
});
