import assert from "node:assert/strict";
import { App } from "./app.ts";
import { upgradeWebSocket } from "./websocket.ts";
import { requestId } from "./middleware/request_id.ts";

function echoApp(): App {
  const app = new App().use(requestId());
  app.get("/ws", (c) => {
    const { socket, response } = upgradeWebSocket(c);
    socket.onmessage = (e) => socket.send(`echo ${e.data}`);
    return response;
  });
  return app;
}

for (const engine of ["deno", "kit"] as const) {
  Deno.test(`upgradeWebSocket() echoes through middleware on the ${engine} engine`, async () => {
    const server = await echoApp().listen({ engine, port: 0 });
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${server.addr.port}/ws`);
      const replies: string[] = [];
      const done = new Promise<void>((resolve) => {
        ws.onopen = () => {
          ws.send("one");
          ws.send("two");
        };
        ws.onmessage = (e) => {
          replies.push(e.data);
          if (replies.length === 2) resolve();
        };
      });
      await done;
      assert.deepEqual(replies, ["echo one", "echo two"]);
      const closed = new Promise((resolve) => ws.onclose = resolve);
      ws.close();
      await closed;
      const plain = await fetch(`http://127.0.0.1:${server.addr.port}/ws`);
      assert.equal(plain.status, 426);
      assert.equal(plain.headers.get("upgrade"), "websocket");
      await plain.body?.cancel();
    } finally {
      await server.shutdown();
    }
  });
}
