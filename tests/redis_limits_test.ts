/**
 * Limits of `kit redis` that tests/redis_server_test.ts does not cover yet (maxclients,
 * timeout and client-query-buffer-limit are there): proto-max-bulk-len.
 */

import assert from "node:assert/strict";
import { startRedis } from "./_redis_util.ts";
import { rawExchange } from "./_redis_peer.ts";

/** Starts kit redis (in a folder of its own) with persistence off. */
function start(args: string[] = []) {
  return startRedis(["--save", "", "--appendonly", "no", ...args]);
}

Deno.test("a bulk string longer than proto-max-bulk-len is a protocol error that closes", async () => {
  const server = await start(["--proto-max-bulk-len", "1mb"]);
  try {
    const text = await rawExchange(
      server.port,
      `PING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${1024 * 1024 + 1}\r\n`,
    );
    assert.equal(text, "+PONG\r\n-ERR Protocol error: invalid bulk length\r\n");
    // At the limit itself the value is accepted, and the server goes on serving.
    const value = "x".repeat(1024 * 1024);
    assert.equal(
      await rawExchange(
        server.port,
        `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${value.length}\r\n${value}\r\nSTRLEN k\r\nQUIT\r\n`,
      ),
      `+OK\r\n:${value.length}\r\n+OK\r\n`,
    );
  } finally {
    await server.stop();
  }
});

Deno.test("CONFIG SET proto-max-bulk-len applies to new connections", async () => {
  const server = await start();
  try {
    assert.equal(
      await rawExchange(server.port, "CONFIG SET proto-max-bulk-len 1kb\r\nQUIT\r\n"),
      "+OK\r\n+OK\r\n",
    );
    assert.equal(
      await rawExchange(server.port, "*2\r\n$3\r\nGET\r\n$1025\r\n"),
      "-ERR Protocol error: invalid bulk length\r\n",
    );
  } finally {
    await server.stop();
  }
});
