import assert from "node:assert/strict";
import { App } from "../app.ts";
import { HttpError } from "../http_error.ts";
import { errorHandler, notFound } from "./error_handler.ts";

Deno.test("errorHandler() answers JSON for HttpErrors and hides or exposes other errors", async () => {
  const hidden = new App().use(errorHandler());
  hidden.get("/gone", () => {
    throw new HttpError(410, "Gone for good");
  });
  hidden.get("/boom", () => {
    throw new Error("db password is hunter2");
  });
  const gone = await hidden.request("/gone");
  assert.equal(gone.status, 410);
  assert.deepEqual(await gone.json(), { error: "Gone for good" });
  assert.deepEqual(await (await hidden.request("/boom")).json(), {
    error: "Internal Server Error",
  });
  const exposed = new App().use(errorHandler({ expose: true }));
  exposed.get("/boom", () => {
    throw new Error("detail");
  });
  assert.deepEqual(await (await exposed.request("/boom")).json(), { error: "detail" });
});

Deno.test("notFound() answers JSON 404s", async () => {
  const app = new App().notFound(notFound());
  const response = await app.request("/x", { method: "POST" });
  assert.equal(response.status, 404);
  assert.deepEqual(await response.json(), { error: "No route for POST /x" });
});
