import assert from "node:assert/strict";
import { type Kv, openKv } from "../../lib/kv/mod.ts";
import { RespDecoder, type RespValue } from "../../lib/resp/mod.ts";
import { serve, type ServeOptions } from "./server.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

interface Running extends AsyncDisposable {
  kv: Kv;
  port: number;
  logs: string[];
  stop(): Promise<void>;
}

async function start(
  options: Partial<ServeOptions> = {},
  kvOptions: Parameters<typeof openKv>[1] = {},
): Promise<Running> {
  const dir = await Deno.makeTempDir({ prefix: "kit-kv-srv-" });
  const kv = await openKv(dir, { fsync: "never", sweepIntervalMs: 0, ...kvOptions });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const controller = new AbortController();
  const logs: string[] = [];
  const done = serve(listener, {
    kv,
    signal: controller.signal,
    log: (line) => logs.push(line),
    ...options,
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    controller.abort();
    await done;
    await kv.close();
    await Deno.remove(dir, { recursive: true });
  };
  return {
    kv,
    port: (listener.addr as Deno.NetAddr).port,
    logs,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** A raw client: writes bytes, reads whole replies. */
class Client {
  conn: Deno.TcpConn;
  #decoder = new RespDecoder();
  #buf = new Uint8Array(64 * 1024);

  constructor(conn: Deno.TcpConn) {
    this.conn = conn;
  }

  static async connect(port: number): Promise<Client> {
    return new Client(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  async send(data: string | Uint8Array): Promise<void> {
    let bytes = typeof data === "string" ? enc.encode(data) : data;
    while (bytes.length > 0) bytes = bytes.subarray(await this.conn.write(bytes));
  }

  /** Reads `n` replies; fewer when the server closes first. */
  async replies(n: number): Promise<RespValue[]> {
    const out: RespValue[] = [];
    while (out.length < n) {
      const value = this.#decoder.next();
      if (value !== undefined) {
        out.push(value);
        continue;
      }
      const read = await this.conn.read(this.#buf);
      if (read === null) break;
      this.#decoder.push(this.#buf.subarray(0, read));
    }
    return out;
  }

  /** Whether the server closed the connection (reads until EOF). */
  async closedByServer(): Promise<boolean> {
    try {
      while ((await this.conn.read(this.#buf)) !== null) { /* drain */ }
      return true;
    } catch {
      return true;
    }
  }

  close(): void {
    try {
      this.conn.close();
    } catch { /* closed */ }
  }
}

function command(...args: string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${enc.encode(a).length}\r\n${a}\r\n`).join("");
}

const text = (v: RespValue) => v.type === "bulk" ? dec.decode(v.value) : JSON.stringify(v);

Deno.test("serve() answers pipelined commands in order, in one pass", async () => {
  await using server = await start();
  const client = await Client.connect(server.port);
  let batch = "";
  for (let i = 0; i < 1000; i++) {
    batch += command("SET", `k${i}`, `v${i}`) + command("GET", `k${i}`);
  }
  await client.send(batch);
  const replies = await client.replies(2000);
  assert.equal(replies.length, 2000);
  for (let i = 0; i < 1000; i++) {
    assert.deepEqual(replies[2 * i], { type: "simple", value: "OK" });
    assert.equal(text(replies[2 * i + 1]), `v${i}`);
  }
  assert.equal(server.kv.count(), 1000);
  client.close();
});

Deno.test("serve() answers a command split across many writes", async () => {
  await using server = await start();
  const client = await Client.connect(server.port);
  const bytes = enc.encode(command("SET", "key", "x".repeat(100_000)) + command("STRLEN", "key"));
  for (let i = 0; i < bytes.length; i += 7919) await client.send(bytes.subarray(i, i + 7919));
  const [ok, unknown] = await client.replies(2);
  assert.deepEqual(ok, { type: "simple", value: "OK" });
  assert.equal(unknown.type, "error");
  assert.equal(server.kv.get("key")?.length, 100_000);
  client.close();
});

Deno.test("a protocol error closes only that connection, after answering what came before", async () => {
  await using server = await start();
  const good = await Client.connect(server.port);
  const bad = await Client.connect(server.port);
  await bad.send("PING\r\n*1\r\n$99999999999\r\n");
  const replies = await bad.replies(3);
  assert.deepEqual(replies, [
    { type: "simple", value: "PONG" },
    { type: "error", value: "ERR Protocol error: invalid bulk length" },
  ]);
  assert.ok(await bad.closedByServer());
  await good.send(command("SET", "a", "1") + command("GET", "a"));
  const [ok, value] = await good.replies(2);
  assert.deepEqual(ok, { type: "simple", value: "OK" });
  assert.equal(text(value), "1");
  assert.match(server.logs.join("\n"), /invalid bulk length/);
  good.close();
  bad.close();
});

Deno.test("garbage and oversized declarations never crash the server", async (t) => {
  await using server = await start({ limits: { maxBulkLength: 1024 } });
  const inputs = [
    "*1\r\n$2000\r\n",
    "*-5x\r\n",
    "*2\r\n+OK\r\n",
    '"unbalanced\r\n',
    "x".repeat(70_000),
    new Uint8Array(4096).map((_, i) => (i * 7919) % 256),
  ];
  for (const input of inputs) {
    await t.step(
      typeof input === "string" ? JSON.stringify(input.slice(0, 16)) : "random bytes",
      async () => {
        const client = await Client.connect(server.port);
        await client.send(input);
        const replies = await client.replies(1000);
        assert.ok(replies.length >= 1, "at least one reply");
        assert.ok(await client.closedByServer());
        client.close();
      },
    );
  }
  const client = await Client.connect(server.port);
  await client.send(command("PING"));
  assert.deepEqual(await client.replies(1), [{ type: "simple", value: "PONG" }]);
  client.close();
});

Deno.test("a client closing in the middle of a command leaves the server and store intact", async () => {
  await using server = await start();
  for (let i = 0; i < 5; i++) {
    const client = await Client.connect(server.port);
    await client.send(
      command("SET", "ok", String(i)) + "*3\r\n$3\r\nSET\r\n$4\r\nhalf\r\n$100\r\nabc",
    );
    await client.replies(1);
    client.close();
  }
  const client = await Client.connect(server.port);
  await client.send(command("GET", "ok") + command("EXISTS", "half"));
  const [value, exists] = await client.replies(2);
  assert.equal(text(value), "4");
  assert.deepEqual(exists, { type: "integer", value: 0 });
  client.close();
});

Deno.test("QUIT answers OK and closes", async () => {
  await using server = await start();
  const client = await Client.connect(server.port);
  await client.send(command("QUIT") + command("PING"));
  assert.deepEqual(await client.replies(2), [{ type: "simple", value: "OK" }]);
  assert.ok(await client.closedByServer());
  client.close();
});

Deno.test("a write the engine refuses is answered with an error, not OK", async () => {
  await using server = await start({}, { maxValueSize: 10 });
  const client = await Client.connect(server.port);
  await client.send(
    command("SET", "a", "small") + command("SET", "b", "x".repeat(100)) + command("GET", "a"),
  );
  const [first, second, third] = await client.replies(3);
  assert.deepEqual(first, { type: "simple", value: "OK" });
  assert.equal(second.type, "error");
  assert.match((second as { value: string }).value, /^ERR /);
  assert.equal(text(third), "small");
  assert.equal(server.kv.has("b"), false);
  client.close();
});

Deno.test("connections past maxConnections are refused with Redis's error", async () => {
  await using server = await start({ maxConnections: 1 });
  const first = await Client.connect(server.port);
  await first.send(command("PING"));
  await first.replies(1);
  const second = await Client.connect(server.port);
  assert.deepEqual(await second.replies(1), [
    { type: "error", value: "ERR max number of clients reached" },
  ]);
  first.close();
  second.close();
});

Deno.test("shutdown stops accepting, answers what was read, closes idle clients", async () => {
  const server = await start();
  const idle = await Client.connect(server.port);
  await idle.send(command("PING"));
  await idle.replies(1);
  const busy = await Client.connect(server.port);
  await busy.send(command("SET", "last", "v"));
  assert.equal((await busy.replies(1))[0].type, "simple");
  await server.stop();
  assert.ok(await idle.closedByServer());
  assert.ok(await busy.closedByServer());
  await assert.rejects(Deno.connect({ hostname: "127.0.0.1", port: server.port }));
  idle.close();
  busy.close();
});

Deno.test("RESP3 after HELLO 3: nulls and maps in the new protocol", async () => {
  await using server = await start();
  const client = await Client.connect(server.port);
  await client.send(command("HELLO", "3") + command("GET", "missing") + command("CLIENT", "ID"));
  const [hello, missing, id] = await client.replies(3);
  assert.equal(hello.type, "map");
  assert.deepEqual(missing, { type: "null" });
  assert.equal(id.type, "integer");
  client.close();
});

Deno.test("replies larger than the output batch go out in order", async () => {
  await using server = await start();
  const client = await Client.connect(server.port);
  const big = "b".repeat(700_000);
  await client.send(command("SET", "big", big));
  await client.replies(1);
  await client.send(command("GET", "big") + command("GET", "big") + command("ECHO", "end"));
  const replies = await client.replies(3);
  assert.equal(text(replies[0]).length, 700_000);
  assert.equal(text(replies[1]).length, 700_000);
  assert.equal(text(replies[2]), "end");
  client.close();
});
