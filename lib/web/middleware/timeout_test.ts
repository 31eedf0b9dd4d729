import assert from "node:assert/strict";
import { App } from "../app.ts";
import { timeout } from "./timeout.ts";

Deno.test("timeout() answers 503 and aborts the handler's signal", async () => {
  let aborted!: () => void;
  const sawAbort = new Promise<void>((r) => aborted = r);
  const app = new App().use(timeout(1));
  app.get("/hang", (c) =>
    new Promise((resolve) => {
      c.var.signal.addEventListener("abort", () => {
        aborted();
        resolve("too late");
      });
    }));
  const response = await app.request("/hang");
  assert.equal(response.status, 503);
  await response.body?.cancel();
  await sawAbort;
});

Deno.test("timeout() lets a quick handler through", async () => {
  const app = new App().use(timeout(60_000));
  app.get("/", () => "quick");
  assert.equal(await (await app.request("/")).text(), "quick");
});
