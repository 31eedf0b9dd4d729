import assert from "node:assert/strict";
import { type HttpServer, serve } from "./server.ts";
import { acceptKey, isEngineRequest, upgradeWebSocket } from "./websocket.ts";
import {
  closePayload,
  encodeFrame,
  FrameDecoder,
  Opcode,
  type WebSocketFrame,
} from "./websocket_frame.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const MASK = new Uint8Array([1, 2, 3, 4]);

/** An echo server; the sockets' close events are collected. */
function echoServer(options: { maxMessageBytes?: number } = {}): {
  server: HttpServer;
  closes: CloseEvent[];
  closed: Promise<CloseEvent>;
} {
  const closes: CloseEvent[] = [];
  let onClose!: (e: CloseEvent) => void;
  const closed = new Promise<CloseEvent>((r) => onClose = r);
  const server = serve((req) => {
    const { socket, response } = upgradeWebSocket(req, {
      ...options,
      protocol: req.headers.get("sec-websocket-protocol") ? "chat" : undefined,
    });
    socket.binaryType = "arraybuffer";
    socket.onmessage = (e) => socket.send(e.data);
    socket.onclose = (e) => {
      closes.push(e as CloseEvent);
      onClose(e as CloseEvent);
    };
    return response;
  }, { port: 0 });
  return { server, closes, closed };
}

/** A raw client: the handshake by hand, then frames. */
async function rawClient(server: HttpServer) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  await conn.write(enc.encode(
    "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  ));
  const decoder = new FrameDecoder({ requireMask: false });
  let head = "";
  const buf = new Uint8Array(65536);
  while (!head.includes("\r\n\r\n")) {
    const n = await conn.read(buf);
    if (n === null) throw new Error("closed during the handshake");
    head += dec.decode(buf.subarray(0, n));
    const end = head.indexOf("\r\n\r\n");
    if (end !== -1) {
      const rest = enc.encode(head.slice(end + 4));
      if (rest.length) decoder.push(rest);
      head = head.slice(0, end + 4);
    }
  }
  return {
    head,
    send: (opcode: number, payload: Uint8Array, fin = true) =>
      conn.write(encodeFrame(opcode, payload, { mask: MASK, fin })),
    sendRaw: (bytes: Uint8Array) => conn.write(bytes),
    async frame(): Promise<WebSocketFrame | null> {
      while (true) {
        const f = decoder.next();
        if (f) return f;
        const n = await conn.read(buf);
        if (n === null) return null;
        decoder.push(buf.slice(0, n));
      }
    },
    close: () => conn.close(),
  };
}

function closeCode(frame: WebSocketFrame | null): number {
  assert.ok(frame);
  assert.equal(frame.opcode, Opcode.Close);
  return (frame.payload[0] << 8) | frame.payload[1];
}

Deno.test("acceptKey() gives RFC 6455's example answer", () => {
  assert.equal(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
});

Deno.test("upgradeWebSocket() refuses requests that are not upgrades", () => {
  assert.throws(() => upgradeWebSocket(new Request("http://x/")), TypeError);
  const fromElsewhere = new Request("http://x/", {
    headers: {
      upgrade: "websocket",
      connection: "Upgrade",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      "sec-websocket-version": "13",
    },
  });
  assert.ok(!isEngineRequest(fromElsewhere));
  assert.throws(() => upgradeWebSocket(fromElsewhere), /Deno.upgradeWebSocket/);
});

Deno.test("WebSocket echo with Deno's client: text, binary, subprotocol, clean close", async () => {
  const { server, closed } = echoServer();
  const ws = new WebSocket(`ws://127.0.0.1:${server.addr.port}/`, ["chat"]);
  ws.binaryType = "arraybuffer";
  const messages: unknown[] = [];
  const got = new Promise<void>((resolve) => {
    ws.onmessage = (e) => {
      messages.push(e.data);
      if (messages.length === 3) resolve();
    };
  });
  await new Promise((r) => ws.onopen = r);
  assert.equal(ws.protocol, "chat");
  ws.send("héllo");
  ws.send(new Uint8Array([1, 2, 3]));
  ws.send("x".repeat(70000));
  await got;
  assert.equal(messages[0], "héllo");
  assert.deepEqual([...new Uint8Array(messages[1] as ArrayBuffer)], [1, 2, 3]);
  assert.equal((messages[2] as string).length, 70000);
  const clientClosed = new Promise<CloseEvent>((r) => ws.onclose = r);
  ws.close(4000, "bye");
  const [client, serverSide] = await Promise.all([clientClosed, closed]);
  assert.equal(client.code, 4000);
  assert.ok(client.wasClean);
  assert.equal(serverSide.code, 4000);
  assert.equal(serverSide.reason, "bye");
  await server.shutdown();
});

Deno.test("WebSocket on the raw wire: handshake, fragments, ping, close echo", async () => {
  const { server, closed } = echoServer();
  const c = await rawClient(server);
  assert.match(c.head, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
  assert.match(c.head, /sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=/);
  // A message in three fragments with a ping in between.
  await c.send(Opcode.Text, enc.encode("frag"), false);
  await c.send(Opcode.Ping, enc.encode("p!"));
  await c.send(Opcode.Continuation, enc.encode("men"), false);
  await c.send(Opcode.Continuation, enc.encode("ted"));
  const pong = await c.frame();
  assert.equal(pong!.opcode, Opcode.Pong);
  assert.equal(dec.decode(pong!.payload), "p!");
  const msg = await c.frame();
  assert.equal(dec.decode(msg!.payload), "fragmented");
  await c.send(Opcode.Close, closePayload(1000, "done"));
  assert.equal(closeCode(await c.frame()), 1000);
  assert.equal(await c.frame(), null);
  assert.equal((await closed).code, 1000);
  c.close();
  await server.shutdown();
});

Deno.test("WebSocket protocol violations close with the right code", async (t) => {
  const cases: [string, (c: Awaited<ReturnType<typeof rawClient>>) => Promise<unknown>, number][] =
    [
      [
        "an unmasked frame: 1002",
        (c) => c.sendRaw(encodeFrame(Opcode.Text, enc.encode("x"))),
        1002,
      ],
      [
        "a continuation without a message: 1002",
        (c) => c.send(Opcode.Continuation, enc.encode("x")),
        1002,
      ],
      ["a new message inside a fragmented one: 1002", async (c) => {
        await c.send(Opcode.Text, enc.encode("a"), false);
        await c.send(Opcode.Text, enc.encode("b"));
      }, 1002],
      ["invalid UTF-8 text: 1007", (c) => c.send(Opcode.Text, new Uint8Array([0xc3, 0x28])), 1007],
      ["a message over the limit: 1009", (c) => c.send(Opcode.Binary, new Uint8Array(2000)), 1009],
      ["fragments over the limit together: 1009", async (c) => {
        await c.send(Opcode.Binary, new Uint8Array(600), false);
        await c.send(Opcode.Continuation, new Uint8Array(600));
      }, 1009],
      ["an invalid close code: 1002", (c) => c.send(Opcode.Close, closePayload(1005, "")), 1002],
    ];
  for (const [name, act, code] of cases) {
    await t.step(name, async () => {
      const { server, closed } = echoServer({ maxMessageBytes: 1000 });
      const c = await rawClient(server);
      await act(c);
      assert.equal(closeCode(await c.frame()), code);
      assert.equal(await c.frame(), null);
      const event = await closed;
      assert.equal(event.code, code);
      assert.equal(event.wasClean, false);
      c.close();
      await server.shutdown();
    });
  }
});

Deno.test("server shutdown closes WebSockets with 1001", async () => {
  const { server } = echoServer();
  const ws = new WebSocket(`ws://127.0.0.1:${server.addr.port}/`);
  await new Promise((r) => ws.onopen = r);
  const closed = new Promise<CloseEvent>((r) => ws.onclose = r);
  const stopped = server.shutdown(2000);
  const event = await closed;
  assert.equal(event.code, 1001);
  await stopped;
});

Deno.test("a client that drops the TCP connection gives 1006", async () => {
  const { server, closed } = echoServer();
  const c = await rawClient(server);
  c.close();
  const event = await closed;
  assert.equal(event.code, 1006);
  assert.equal(event.wasClean, false);
  await server.shutdown();
});
