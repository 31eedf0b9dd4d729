import assert from "node:assert/strict";
import { abortError, guard, Watchdog } from "./deadline.ts";
import { HttpError } from "./errors.ts";

Deno.test("guard() passes a value through and fails at the deadline", async () => {
  assert.equal(await guard(Promise.resolve(1), { ms: 1000 }), 1);
  let late: number | null = null;
  let resolveSlow!: (n: number) => void;
  const slow = new Promise<number>((r) => resolveSlow = r);
  await assert.rejects(
    guard(slow, {
      ms: 5,
      onTimeout: () => new HttpError("timeout", "slow"),
      late: (v) => late = v,
    }),
    /slow/,
  );
  resolveSlow(7);
  await slow;
  await Promise.resolve();
  assert.equal(late, 7);
});

Deno.test("guard() fails on abort with the signal's HttpError reason", async () => {
  const controller = new AbortController();
  const never = new Promise<void>(() => {});
  const waiting = guard(never, { signal: controller.signal });
  controller.abort(new HttpError("timeout", "total", { phase: "total" }));
  await assert.rejects(waiting, (e: unknown) => e instanceof HttpError && e.phase === "total");
  const aborted = new AbortController();
  aborted.abort();
  assert.equal(abortError(aborted.signal).kind, "aborted");
  await assert.rejects(guard(Promise.resolve(1), { signal: aborted.signal }), /request aborted/);
});

Deno.test("Watchdog fires once after its deadline and keeps the error", async () => {
  let fired = 0;
  const { promise, resolve } = Promise.withResolvers<void>();
  const watch = new Watchdog(() => {
    fired++;
    resolve();
  });
  watch.arm(5, () => new HttpError("timeout", "late", { phase: "headers" }));
  // The watchdog's timer does not keep the event loop alive (a pending read does, in use).
  const keep = setTimeout(() => {}, 60000);
  await promise;
  clearTimeout(keep);
  assert.equal(fired, 1);
  assert.equal(watch.error?.message, "late");
  watch.arm(5, () => new Error("ignored once expired"));
  watch.stop();
});

Deno.test("Watchdog does not fire when disarmed, and re-arming moves the deadline", async () => {
  let fired = 0;
  const watch = new Watchdog(() => fired++);
  watch.arm(1, () => new Error("x"));
  watch.disarm();
  watch.arm(60000, () => new Error("x"));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(fired, 0);
  assert.equal(watch.error, null);
  watch.stop();
});
