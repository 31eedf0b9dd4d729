/**
 * Rate limiting by token bucket, one bucket per key (the client address by default).
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { Middleware, Next } from "../compose.ts";
import { HttpError } from "../http_error.ts";

/** Options of {@linkcode rateLimit}. */
export interface RateLimitOptions {
  /** Tokens a bucket holds: the burst allowed. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
  /** The bucket a request draws from. @default the client's IP address */
  key?: (c: Context) => string;
  /** The clock, in milliseconds. @default Date.now */
  now?: () => number;
  /** Buckets kept; the least recently used go first beyond it. @default 10000 */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Lets each key make `capacity` requests at once and `refillPerSecond` a second after that;
 * beyond, 429 with `Retry-After`. Every answer carries `RateLimit-Limit` and
 * `RateLimit-Remaining`.
 *
 * @example
 * ```ts
 * import { App } from "../app.ts";
 * import { rateLimit } from "./rate_limit.ts";
 * import assert from "node:assert/strict";
 * let now = 0;
 * const app = new App().use(rateLimit({ capacity: 2, refillPerSecond: 1, key: () => "k", now: () => now }));
 * app.get("/", () => "ok");
 * assert.equal((await app.request("/")).status, 200);
 * assert.equal((await app.request("/")).status, 200);
 * const limited = await app.request("/");
 * assert.equal(limited.status, 429);
 * assert.equal(limited.headers.get("retry-after"), "1");
 * now += 1000;
 * assert.equal((await app.request("/")).status, 200);
 * ```
 *
 * @param options Capacity, refill rate, key and clock.
 * @returns The middleware.
 */
export function rateLimit(options: RateLimitOptions): Middleware {
  const { capacity, refillPerSecond } = options;
  const key = options.key ?? ((c: Context) => c.info.remoteAddr.hostname);
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 10000;
  const buckets = new Map<string, Bucket>();
  return async function rateLimit(c: Context, next: Next) {
    const id = key(c);
    const t = now();
    let bucket = buckets.get(id);
    if (bucket === undefined) {
      bucket = { tokens: capacity, at: t };
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
    } else {
      buckets.delete(id);
      bucket.tokens = Math.min(
        capacity,
        bucket.tokens + ((t - bucket.at) / 1000) * refillPerSecond,
      );
      bucket.at = t;
    }
    // Re-inserted on each use so the map's order is least recently used first.
    buckets.set(id, bucket);
    if (bucket.tokens < 1) {
      const wait = Math.ceil((1 - bucket.tokens) / refillPerSecond);
      throw new HttpError(429, "Too many requests", {
        headers: {
          "retry-after": String(wait),
          "ratelimit-limit": String(capacity),
          "ratelimit-remaining": "0",
        },
      });
    }
    bucket.tokens -= 1;
    const response = await next();
    response.headers.set("ratelimit-limit", String(capacity));
    response.headers.set("ratelimit-remaining", String(Math.floor(bucket.tokens)));
  };
}
