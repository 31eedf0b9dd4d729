import assert from "node:assert/strict";
import { serve } from "./server.ts";
import { ServerState } from "./server_state.ts";

/** Sends `text`, then reads until `complete` says the reply is whole or the server closes. */
async function exchange(
  conn: Deno.Conn,
  text: string,
  complete: (got: string) => boolean,
): Promise<string> {
  await conn.write(new TextEncoder().encode(text));
  let got = "";
  const buf = new Uint8Array(4096);
  while (!complete(got)) {
    const n = await conn.read(buf);
    if (n === null) break;
    got += new TextDecoder().decode(buf.subarray(0, n));
  }
  return got;
}

Deno.test("serve() answers a pipelined batch and stops on abort", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const state = new ServerState();
  const controller = new AbortController();
  const done = serve(listener, state, { signal: controller.signal });
  const conn = await Deno.connect({
    hostname: "127.0.0.1",
    port: (listener.addr as Deno.NetAddr).port,
  });
  try {
    const want = "+OK\r\n$1\r\nv\r\n:1\r\n";
    assert.equal(
      await exchange(
        conn,
        "SET k v\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nDEL k\r\n",
        (got) => got.length >= want.length,
      ),
      want,
    );
    assert.equal(state.clients.size, 1);
  } finally {
    controller.abort();
    await done;
    conn.close();
  }
  assert.equal(state.clients.size, 0);
});

Deno.test("serve() ends on SHUTDOWN and closes blocked clients", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const state = new ServerState();
  const done = serve(listener, state);
  const port = (listener.addr as Deno.NetAddr).port;
  const blocked = await Deno.connect({ hostname: "127.0.0.1", port });
  const admin = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await blocked.write(new TextEncoder().encode("BLPOP q 0\r\n"));
    // INFO's blocked_clients says when the BLPOP is registered.
    while (
      !(await exchange(admin, "INFO clients\r\n", (got) => got.endsWith("\r\n\r\n"))).includes(
        "blocked_clients:1",
      )
    ) {
      /* ask again */
    }
    await admin.write(new TextEncoder().encode("SHUTDOWN\r\n"));
    await done;
    assert.equal(await exchange(blocked, "", () => false), "");
  } finally {
    blocked.close();
    admin.close();
  }
});
