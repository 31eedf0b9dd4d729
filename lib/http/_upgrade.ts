/**
 * The hand-over between the server engine and an upgraded protocol (WebSocket), private to
 * lib/http. A Response cannot carry status 101, so the handler returns an ordinary Response
 * that is registered here, and the connection writes the 101 itself when it sees one.
 */
import type { BufferedConn } from "./buffered_conn.ts";
import { EngineRequest } from "./_engine_request.ts";

/** The socket an upgraded protocol takes over. */
export interface UpgradedSocket {
  /** The raw connection (for close). */
  conn: Deno.Conn;
  /** The buffered reader, holding any bytes that arrived after the request head. */
  bc: BufferedConn;
}

/** What an upgraded protocol gives back: when it ends, and how the server asks it to stop. */
export interface UpgradeSession {
  /** Resolves when the protocol has closed the socket. */
  done: Promise<void>;
  /** Graceful server shutdown: close politely (WebSocket 1001). */
  shutdown(): void;
  /** Close at once. */
  forceClose(): void;
}

/** A pending upgrade: the 101's headers, and who takes the socket after it is written. */
export interface UpgradeHook {
  /** Headers of the 101 response. */
  headers: [string, string][];
  /** Takes the socket once the 101 is written. */
  accept(socket: UpgradedSocket): UpgradeSession;
  /** Called when the 101 could not be written. */
  fail(error: unknown): void;
}

const hooks = new WeakMap<Response, UpgradeHook>();

/** Marks `response` as the one that upgrades its connection. */
export function registerUpgrade(response: Response, hook: UpgradeHook): void {
  hooks.set(response, hook);
}

/** The upgrade `response` stands for, if any (taken once). */
export function takeUpgrade(response: Response): UpgradeHook | undefined {
  const hook = hooks.get(response);
  if (hook) hooks.delete(response);
  return hook;
}

/** Whether `request` came through kit's engine (so it can be upgraded there). */
export function isEngineRequest(request: Request): boolean {
  return request instanceof EngineRequest;
}
