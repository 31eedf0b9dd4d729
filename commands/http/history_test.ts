import assert from "node:assert/strict";
import { formatHistoryLine, History, historyEntry, HistoryEntryNotFoundError } from "./history.ts";

function entry(n: number) {
  return {
    time: "2026-01-01T00:00:00.000Z",
    method: "GET",
    url: `http://x/${n}`,
    headers: [] as [string, string][],
    replay: { method: "GET", url: `http://x/${n}`, headers: [] as [string, string][] },
  };
}

Deno.test("History keeps only the last entries and ids keep growing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const history = new History(`${dir}/sub/history.jsonl`, { max: 3 });
    assert.deepEqual(await history.list(), []);
    for (let n = 1; n <= 5; n++) assert.equal((await history.append(entry(n))).id, n);
    const list = await history.list();
    assert.deepEqual(list.map((e) => e.id), [3, 4, 5]);
    assert.equal((await Deno.readTextFile(history.path)).trim().split("\n").length, 3);
    assert.equal((await history.get()).url, "http://x/5");
    assert.equal((await history.get(4)).url, "http://x/4");
    await assert.rejects(() => history.get(1), HistoryEntryNotFoundError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("History.list() skips a torn line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const history = new History(`${dir}/h.jsonl`);
    await history.append(entry(1));
    await Deno.writeTextFile(history.path, '{"id":2,"tim', { append: true });
    assert.deepEqual((await history.list()).map((e) => e.id), [1]);
    assert.equal((await history.append(entry(3))).id, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("historyEntry() bounds the body and drops a replay body that is too large", () => {
  const body = new TextEncoder().encode("x".repeat(100));
  const made = historyEntry({
    time: new Date(0),
    sent: {
      method: "POST",
      url: new URL("http://x/"),
      headers: [["Host", "x"], ["Content-Type", "application/json"], ["Content-Length", "100"]],
      body,
      bodyLength: 100,
    },
    spec: { method: "POST", url: "http://x/", headers: [], body: { json: "x".repeat(100) } },
    response: { status: 201, reason: "Created" },
    timing: { total: 3, firstByte: 1 },
  }, { bodyLimit: 10, replayLimit: 50 });
  assert.equal(made.body, "xxxxxxxxxx");
  assert.equal(made.bodyTruncated, true);
  assert.equal(made.replayBodyOmitted, true);
  assert.equal(made.replay.body, undefined);
  // A JSON body's Content-Type and the framing headers are the client's to write again.
  assert.deepEqual(made.replay.headers, []);
  assert.equal(made.status, 201);
});

Deno.test("historyEntry() keeps a raw body's Content-Type for replay", () => {
  const made = historyEntry({
    time: new Date(0),
    sent: {
      method: "POST",
      url: new URL("http://x/"),
      headers: [["Content-Type", "text/csv"]],
      body: null,
      bodyLength: null,
    },
    spec: { method: "POST", url: "http://x/", headers: [], body: { text: "a,b" } },
    error: "connection refused",
  });
  assert.deepEqual(made.replay, {
    method: "POST",
    url: "http://x/",
    headers: [["Content-Type", "text/csv"]],
    body: { text: "a,b" },
  });
  assert.match(formatHistoryLine({ id: 1, ...made }), /error: connection refused$/);
});
