/**
 * The pub/sub registry: who listens to which channel or pattern, and message delivery.
 *
 * @module
 */

import { RespWriter } from "../../lib/resp/mod.ts";
import { bytesOf, globMatch } from "./bytes.ts";
import type { Session } from "./session.ts";

/**
 * Channels and patterns with their subscribers. Channel names are latin1 strings (one char per
 * byte). Messages go out through each subscriber's {@linkcode Session.send}, as RESP2 arrays or
 * RESP3 pushes depending on the subscriber's protocol.
 *
 * @example
 * ```ts
 * import { PubSub } from "./pubsub.ts";
 * import { Session } from "./session.ts";
 * import assert from "node:assert/strict";
 * const pubsub = new PubSub();
 * const s = new Session(1, "127.0.0.1:1", 0);
 * const got: string[] = [];
 * s.send = (bytes) => got.push(new TextDecoder().decode(bytes));
 * pubsub.subscribe(s, "news");
 * assert.equal(pubsub.publish("news", new TextEncoder().encode("hi")), 1);
 * assert.deepEqual(got, ["*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n"]);
 * ```
 */
export class PubSub {
  /** Channel → subscribers. */
  readonly channels: Map<string, Set<Session>> = new Map();
  /** Pattern → subscribers. */
  readonly patterns: Map<string, Set<Session>> = new Map();

  /**
   * Subscribes a session to a channel.
   *
   * @param session The subscriber.
   * @param channel The channel.
   * @returns Whether it was new.
   */
  subscribe(session: Session, channel: string): boolean {
    if (session.channels.has(channel)) return false;
    session.channels.add(channel);
    add(this.channels, channel, session);
    return true;
  }

  /**
   * Unsubscribes a session from a channel.
   *
   * @param session The subscriber.
   * @param channel The channel.
   * @returns Whether it was subscribed.
   */
  unsubscribe(session: Session, channel: string): boolean {
    if (!session.channels.delete(channel)) return false;
    remove(this.channels, channel, session);
    return true;
  }

  /**
   * Subscribes a session to a pattern.
   *
   * @param session The subscriber.
   * @param pattern The glob.
   * @returns Whether it was new.
   */
  psubscribe(session: Session, pattern: string): boolean {
    if (session.patterns.has(pattern)) return false;
    session.patterns.add(pattern);
    add(this.patterns, pattern, session);
    return true;
  }

  /**
   * Unsubscribes a session from a pattern.
   *
   * @param session The subscriber.
   * @param pattern The glob.
   * @returns Whether it was subscribed.
   */
  punsubscribe(session: Session, pattern: string): boolean {
    if (!session.patterns.delete(pattern)) return false;
    remove(this.patterns, pattern, session);
    return true;
  }

  /**
   * Drops every subscription of a session (it disconnected).
   *
   * @param session The subscriber.
   */
  drop(session: Session): void {
    for (const c of [...session.channels]) this.unsubscribe(session, c);
    for (const p of [...session.patterns]) this.punsubscribe(session, p);
  }

  /**
   * Sends a message to the channel's subscribers and to every matching pattern's.
   *
   * @param channel The channel.
   * @param message The payload.
   * @returns How many deliveries were made (Redis's PUBLISH reply).
   */
  publish(channel: string, message: Uint8Array): number {
    let count = 0;
    const name = bytesOf(channel);
    const subscribers = this.channels.get(channel);
    if (subscribers) {
      for (const s of subscribers) {
        const out = new RespWriter(64 + message.length);
        header(out, s, 3);
        out.bulk("message");
        out.bulk(name);
        out.bulk(message);
        s.send(out.bytes());
        count++;
      }
    }
    for (const [pattern, sessions] of this.patterns) {
      if (!globMatch(pattern, channel)) continue;
      const pat = bytesOf(pattern);
      for (const s of sessions) {
        const out = new RespWriter(64 + message.length);
        header(out, s, 4);
        out.bulk("pmessage");
        out.bulk(pat);
        out.bulk(name);
        out.bulk(message);
        s.send(out.bytes());
        count++;
      }
    }
    return count;
  }
}

/** Writes the header of a pub/sub message: a push in RESP3, an array in RESP2. */
export function header(out: RespWriter, session: Session, n: number): void {
  out.protocol = session.protocol;
  if (session.protocol === 3) out.pushHeader(n);
  else out.arrayHeader(n);
}

function add(map: Map<string, Set<Session>>, name: string, s: Session): void {
  let set = map.get(name);
  if (!set) map.set(name, set = new Set());
  set.add(s);
}

function remove(map: Map<string, Set<Session>>, name: string, s: Session): void {
  const set = map.get(name);
  if (!set) return;
  set.delete(s);
  if (set.size === 0) map.delete(name);
}
