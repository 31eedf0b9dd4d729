import assert from "node:assert/strict";
import { App } from "../app.ts";
import { HttpError } from "../http_error.ts";
import { logger } from "./logger.ts";

Deno.test("logger() logs status and time, also for thrown errors and 404s", async () => {
  const lines: string[] = [];
  let t = 0;
  const app = new App().use(logger((l) => lines.push(l), { now: () => (t += 1.5) }));
  app.get("/ok", () => "ok");
  app.get("/teapot", () => {
    throw new HttpError(418);
  });
  app.get("/boom", () => {
    throw new Error("x");
  });
  await app.request("/ok");
  await (await app.request("/teapot")).body?.cancel();
  await (await app.request("/boom")).body?.cancel();
  await (await app.request("/none?q=1")).body?.cancel();
  assert.deepEqual(lines, [
    "GET /ok 200 1.5ms",
    "GET /teapot 418 1.5ms",
    "GET /boom 500 1.5ms",
    "GET /none 404 1.5ms",
  ]);
});
