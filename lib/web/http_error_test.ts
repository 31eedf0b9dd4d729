import assert from "node:assert/strict";
import { HttpError } from "./http_error.ts";

Deno.test("HttpError answers JSON with details and headers, or its own response", async () => {
  const error = new HttpError(401, "Who?", {
    details: { realm: "kit" },
    headers: { "www-authenticate": "Basic" },
  });
  const response = error.toResponse();
  assert.equal(response.status, 401);
  assert.equal(response.headers.get("www-authenticate"), "Basic");
  assert.deepEqual(await response.json(), { error: "Who?", realm: "kit" });
  assert.equal(new HttpError(404).message, "Not Found");
  const own = new Response("x", { status: 402 });
  assert.equal(new HttpError(402, "pay", { response: own }).toResponse(), own);
});
