/**
 * RESP2 and RESP3, the Redis serialization protocol: the codec `kit kv serve` and the
 * Redis-compatible server share.
 *
 * Layout: `value.ts` (the value model), `decoder.ts` (every RESP2/RESP3 type from byte
 * chunks, resumable), `command_reader.ts` (client commands, multibulk or inline, Redis's
 * errors), `split_args.ts` (inline quoting), `writer.ts` (replies in RESP2 or RESP3 into one
 * buffer), `limits.ts` (bounds on every declared length), `errors.ts`, `args.ts` (Redis's
 * rules for reading arguments: latin1 keys, words, integers, globs), `accept.ts` (a server's
 * accept loop with `maxclients` and graceful shutdown) and `hello.ts` (HELLO's request and
 * reply).
 *
 * @example
 * ```ts
 * import { CommandReader, RespWriter } from "kit/resp";
 * import assert from "node:assert/strict";
 * const reader = new CommandReader();
 * reader.push(new TextEncoder().encode("*1\r\n$4\r\nPING\r\n"));
 * const out = new RespWriter();
 * for (let args = reader.next(); args; args = reader.next()) out.simple("PONG");
 * assert.equal(new TextDecoder().decode(out.bytes()), "+PONG\r\n");
 * ```
 *
 * @module
 */
export * from "./value.ts";
export * from "./errors.ts";
export * from "./limits.ts";
export * from "./decoder.ts";
export * from "./command_reader.ts";
export * from "./split_args.ts";
export * from "./writer.ts";
export * from "./args.ts";
export * from "./accept.ts";
export * from "./hello.ts";
