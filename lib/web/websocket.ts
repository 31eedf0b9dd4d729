/**
 * WebSocket upgrades from a handler, on either engine: kit's own (RFC 6455 in
 * lib/http/websocket.ts) or Deno.serve (`Deno.upgradeWebSocket`).
 *
 * @module
 */

import type { Context } from "./context.ts";
import { HttpError } from "./http_error.ts";
import {
  isEngineRequest,
  upgradeWebSocket as engineUpgrade,
  type UpgradeWebSocketOptions,
} from "../http/websocket.ts";

export type { UpgradeWebSocketOptions };

/**
 * Upgrades the request to a WebSocket. Return the response unchanged from the handler
 * (middleware may add headers to it); the socket opens once the handshake is sent. A request
 * that is not an upgrade answers 426 with `Upgrade: websocket`; a malformed one 400.
 *
 * @example
 * ```ts
 * import { App, upgradeWebSocket } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const app = new App();
 * app.get("/ws", (c) => {
 *   const { socket, response } = upgradeWebSocket(c);
 *   socket.onmessage = (e) => socket.send(`echo ${e.data}`);
 *   return response;
 * });
 * const server = await app.listen({ port: 0, engine: "kit" });
 * const ws = new WebSocket(`ws://127.0.0.1:${server.addr.port}/ws`);
 * const reply = await new Promise((resolve) => {
 *   ws.onopen = () => ws.send("hi");
 *   ws.onmessage = (e) => resolve(e.data);
 * });
 * assert.equal(reply, "echo hi");
 * const closed = new Promise((resolve) => ws.onclose = resolve);
 * ws.close();
 * await closed;
 * await server.shutdown();
 * ```
 *
 * @param c The context.
 * @param options Subprotocol, idle timeout and (on kit's engine) the message size limit.
 * @returns The socket and the response to return.
 * @throws {HttpError} 426 for a request that asks for no upgrade, 400 for a bad handshake.
 */
export function upgradeWebSocket(
  c: Context,
  options: UpgradeWebSocketOptions = {},
): { socket: WebSocket; response: Response } {
  const upgrade = c.req.headers.get("upgrade") ?? "";
  if (!/\bwebsocket\b/i.test(upgrade)) {
    throw new HttpError(426, "This resource speaks WebSocket only", {
      headers: { upgrade: "websocket", connection: "Upgrade" },
    });
  }
  try {
    if (isEngineRequest(c.req)) return engineUpgrade(c.req, options);
    const { maxMessageBytes: _, ...denoOptions } = options;
    return Deno.upgradeWebSocket(c.req, denoOptions);
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, `Bad WebSocket handshake: ${(error as Error).message}`);
  }
}
