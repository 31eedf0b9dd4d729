/**
 * HELLO, as every RESP server here answers it: the request parsed with Redis's errors, and
 * the reply map clients read (redis-cli, ioredis and node-redis look at `proto` and
 * `version`). Client names follow Redis's rule for CLIENT SETNAME too.
 *
 * @module
 */

import { latin1, lowerWord, parseInteger } from "./args.ts";
import type { RespWriter } from "./writer.ts";

/** A HELLO request: the protocol to switch to, and the AUTH and SETNAME options. */
export interface HelloRequest {
  /** The protocol asked for, or undefined to keep the current one. */
  protocol?: 2 | 3;
  /** AUTH's user name and password. */
  auth?: [user: string, password: string];
  /** SETNAME's name, checked ("" clears it). */
  name?: string;
}

/**
 * Parses HELLO's arguments (`args[0]` is HELLO itself).
 *
 * @example
 * ```ts
 * import { parseHello } from "./hello.ts";
 * import assert from "node:assert/strict";
 * const b = (s: string) => new TextEncoder().encode(s);
 * assert.deepEqual(parseHello(["HELLO", "3", "SETNAME", "app"].map(b)), { protocol: 3, name: "app" });
 * assert.deepEqual(parseHello(["HELLO", "4"].map(b)), { error: "NOPROTO unsupported protocol version" });
 * ```
 *
 * @param args The command.
 * @returns The request, or the error Redis replies with.
 */
export function parseHello(args: Uint8Array[]): HelloRequest | { error: string } {
  const request: HelloRequest = {};
  let i = 1;
  if (args.length > 1) {
    const version = parseInteger(args[1]);
    if (version === undefined) {
      return { error: "ERR Protocol version is not an integer or out of range" };
    }
    if (version !== 2 && version !== 3) return { error: "NOPROTO unsupported protocol version" };
    request.protocol = version;
    i = 2;
  }
  for (; i < args.length; i++) {
    const option = lowerWord(args[i]);
    if (option === "auth" && i + 2 < args.length) {
      request.auth = [latin1(args[i + 1]), latin1(args[i + 2])];
      i += 2;
    } else if (option === "setname" && i + 1 < args.length) {
      const name = clientName(args[++i]);
      if (typeof name !== "string") return name;
      request.name = name;
    } else return { error: `ERR Syntax error in HELLO option '${latin1(args[i])}'` };
  }
  return request;
}

/**
 * A client name as CLIENT SETNAME and HELLO SETNAME accept it: printable ASCII without spaces.
 *
 * @example
 * ```ts
 * import { clientName } from "./hello.ts";
 * import assert from "node:assert/strict";
 * assert.equal(clientName(new TextEncoder().encode("worker-1")), "worker-1");
 * assert.equal(typeof clientName(new TextEncoder().encode("a b")), "object");
 * ```
 *
 * @param bytes The name.
 * @returns The name, or the error Redis replies with.
 */
export function clientName(bytes: Uint8Array): string | { error: string } {
  for (const c of bytes) {
    if (c <= 32 || c > 126) {
      return { error: "ERR Client names cannot contain spaces, newlines or special characters." };
    }
  }
  return latin1(bytes);
}

/**
 * Writes HELLO's reply: a map in the protocol just chosen (set `out.protocol` first).
 *
 * @param out Where the reply goes.
 * @param fields The Redis version reported, the protocol, and the client's id.
 */
export function writeHelloReply(
  out: RespWriter,
  fields: { version: string; protocol: 2 | 3; id: number },
): void {
  out.mapHeader(7);
  out.bulk("server");
  out.bulk("redis");
  out.bulk("version");
  out.bulk(fields.version);
  out.bulk("proto");
  out.integer(fields.protocol);
  out.bulk("id");
  out.integer(fields.id);
  out.bulk("mode");
  out.bulk("standalone");
  out.bulk("role");
  out.bulk("master");
  out.bulk("modules");
  out.arrayHeader(0);
}
