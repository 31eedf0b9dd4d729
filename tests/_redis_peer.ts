/**
 * The peers the Redis-protocol integration tests drive (kit kv serve, kit redis): redis-cli, a
 * real redis-server to compare replies with, a raw socket, and ioredis.
 *
 * @module
 */

// ioredis is the Redis client library the servers are tested with; imported here only.
export { Redis } from "ioredis";

/** A running redis-server. */
export interface PeerServer {
  /** Its port. */
  port: number;
  /** Sends a signal and waits for the exit: the code and everything it logged. */
  stop(signal?: Deno.Signal): Promise<{ code: number; stderr: string }>;
}

/**
 * Runs redis-cli against a port.
 *
 * @param port The port.
 * @param args redis-cli arguments after `-p PORT`.
 * @param stdin Text for its standard input.
 * @returns Exit code and output.
 */
export async function redisCli(
  port: number,
  args: string[],
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command("redis-cli", {
    args: ["-p", String(port), ...args],
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/**
 * Sends raw bytes on a fresh connection and reads until the server closes it.
 *
 * @param port The port.
 * @param bytes What to send.
 * @returns Everything the server sent before closing.
 */
export async function rawExchange(port: number, bytes: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(bytes));
    let text = "";
    const buf = new Uint8Array(4096);
    while (true) {
      const n = await conn.read(buf);
      if (n === null) break;
      text += new TextDecoder().decode(buf.subarray(0, n));
    }
    return text;
  } finally {
    conn.close();
  }
}

/**
 * Starts a real redis-server (no persistence) on a free port, to compare replies with, and
 * waits for its "Ready to accept connections" line.
 *
 * @param extra More arguments, after the defaults (`--dir`, `--save`, `--appendonly`, ...).
 * @returns The server.
 */
export async function startRedisServer(extra: string[] = []): Promise<PeerServer> {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const child = new Deno.Command("redis-server", {
    args: [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      ...extra,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  while (!log.includes("Ready to accept connections")) {
    const { value, done } = await lines.read();
    if (done) {
      await child.status;
      throw new Error(`redis-server exited:\n${log}`);
    }
    log += value;
  }
  const rest = (async () => {
    while (!(await lines.read()).done) { /* drain */ }
  })();
  const stderr = child.stderr.text();
  return {
    port,
    async stop(signal: Deno.Signal = "SIGTERM") {
      child.kill(signal);
      const status = await child.status;
      await rest;
      return { code: status.code, stderr: log + await stderr };
    },
  };
}
