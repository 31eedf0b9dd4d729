import assert from "node:assert/strict";
import { EngineConnInfo, EngineRequest, LazyAbort } from "./_engine_request.ts";
import { isEngineRequest } from "./_upgrade.ts";

Deno.test("LazyAbort makes its controller only when the signal is read", () => {
  const early = new LazyAbort();
  let demanded = 0;
  early.onDemand = () => demanded++;
  early.abort(new Error("gone"));
  assert.ok(early.aborted);
  assert.equal(demanded, 0);
  assert.ok(early.signal.aborted);
  assert.equal((early.signal.reason as Error).message, "gone");
  assert.equal(demanded, 1);
  early.signal;
  assert.equal(demanded, 1);

  const late = new LazyAbort();
  const signal = late.signal;
  assert.ok(!signal.aborted);
  late.abort("why");
  assert.ok(signal.aborted);
  assert.equal(signal.reason, "why");
});

Deno.test("EngineRequest and EngineConnInfo share the lazy signal", () => {
  const abort = new LazyAbort();
  const req = new EngineRequest("http://x/a", { method: "POST", body: "b" }, abort);
  const info = new EngineConnInfo(
    { transport: "tcp", hostname: "127.0.0.1", port: 1 },
    { transport: "tcp", hostname: "127.0.0.1", port: 2 },
    false,
    abort,
  );
  assert.equal(req.signal, info.signal);
  assert.ok(isEngineRequest(req));
  assert.ok(!isEngineRequest(new Request("http://x/")));
  abort.abort("bye");
  assert.ok(req.signal.aborted);
  assert.equal(req.method, "POST");
  assert.equal(info.remoteAddr.port, 1);
});
