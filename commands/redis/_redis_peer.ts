/**
 * A real redis-server for differential tests: started on a free port when Debian's
 * redis-server is installed, spoken to over raw RESP so replies compare byte for byte.
 *
 * @module
 */

import { latin1 } from "./bytes.ts";

/** A running redis-server and one connection to it. */
export interface RedisPeer extends AsyncDisposable {
  /** Sends one command and returns its raw reply, one char per byte. */
  run(...args: string[]): Promise<string>;
}

function encodeCommand(args: string[]): Uint8Array {
  let s = `*${args.length}\r\n`;
  for (const a of args) {
    const bytes = new TextEncoder().encode(a);
    s += `$${bytes.length}\r\n${latin1(bytes)}\r\n`;
  }
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Length of the first complete RESP reply in `s`, or -1 when incomplete. */
function replyEnd(s: string, at = 0): number {
  const line = s.indexOf("\r\n", at);
  if (line < 0) return -1;
  const type = s[at];
  const n = Number(s.slice(at + 1, line));
  if (type === "$" || type === "=" || type === "!") {
    if (n < 0) return line + 2;
    return s.length >= line + 2 + n + 2 ? line + 2 + n + 2 : -1;
  }
  if (type === "*" || type === "~" || type === ">" || type === "%") {
    let pos = line + 2;
    const count = type === "%" ? n * 2 : n;
    for (let i = 0; i < count; i++) {
      pos = replyEnd(s, pos);
      if (pos < 0) return -1;
    }
    return pos;
  }
  return line + 2;
}

/**
 * Whether a redis-server is installed here: tests that compare with it are ignored (and
 * reported so) without one.
 */
export const HAS_REDIS_SERVER: boolean = (() => {
  try {
    return new Deno.Command("redis-server", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
})();

/** Starts a redis-server on a free port, or returns undefined when it is not installed. */
export async function startRedisPeer(): Promise<RedisPeer | undefined> {
  if (!HAS_REDIS_SERVER) return undefined;
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const child = new Deno.Command("redis-server", {
    args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  // Wait until it says it is ready, reading its log rather than sleeping.
  const reader = child.stdout.getReader();
  let log = "";
  while (!log.includes("Ready to accept connections")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`redis-server exited: ${log}`);
    log += new TextDecoder().decode(value);
  }
  const drain = (async () => {
    while (!(await reader.read()).done) { /* keep the pipe flowing */ }
  })();
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  let buffered = "";
  const chunk = new Uint8Array(65536);
  return {
    async run(...args: string[]): Promise<string> {
      await conn.write(encodeCommand(args));
      for (;;) {
        const end = replyEnd(buffered);
        if (end >= 0 && buffered.length > 0) {
          const reply = buffered.slice(0, end);
          buffered = buffered.slice(end);
          return reply;
        }
        const n = await conn.read(chunk);
        if (n === null) throw new Error("redis-server closed the connection");
        buffered += latin1(chunk.subarray(0, n));
      }
    },
    async [Symbol.asyncDispose]() {
      conn.close();
      child.kill("SIGTERM");
      await child.status;
      await drain;
    },
  };
}
