/**
 * kit web with real clients: one app served on Deno.serve and on kit's own engine, driven by
 * fetch, curl and `kit http`; the todo sample through its CLI (when `kit web` is wired into main.ts) and
 * through headless Chromium.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { z } from "../lib/deps/zod.ts";
import {
  App,
  basicAuth,
  compress,
  cors,
  etag,
  sse,
  upgradeWebSocket,
  validate,
  type WebServer,
} from "../lib/web/mod.ts";
import { todoApp } from "../commands/web/todo_app.ts";
import { MemoryTodoStore } from "../commands/web/todo_store.ts";
import { ROOT, sandbox } from "./_util.ts";

const ENGINES = ["deno", "kit"] as const;

async function curl(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await new Deno.Command("curl", {
    args: ["-sS", "--max-time", "20", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code, out: new TextDecoder().decode(stdout), err: new TextDecoder().decode(stderr) };
}

/** The head of a `curl -i` answer: status and lower-cased headers. */
function head(text: string): { status: number; headers: Map<string, string>; body: string } {
  const split = text.indexOf("\r\n\r\n");
  const lines = text.slice(0, split).split("\r\n");
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(lines[0].split(" ")[1]), headers, body: text.slice(split + 4) };
}

function featureApp(): App {
  const app = new App();
  app.use(cors({ origin: ["https://ui.example"] }), compress({ threshold: 100 }), etag());
  app.get("/users/:id", (c) => ({ id: c.params.id, tab: c.query("tab") ?? null }));
  app.get("/files/*", (c) => c.params["*"]);
  app.put("/users/:id", () => "updated");
  app.post(
    "/users",
    validate("json", z.object({ name: z.string().min(2), age: z.number().int().positive() })),
    (c) => c.json({ made: c.valid("json").name }, 201),
  );
  app.post("/upload", async (c) => {
    const form = await c.bodyForm();
    const file = form.doc as File;
    return { name: file.name, size: file.size, note: form.note };
  });
  app.get("/big", () => "all work and no play ".repeat(200));
  app.get("/private", basicAuth({ users: { ada: "lovelace" } }), (c) => `hi ${c.var.user}`);
  app.get("/events", (c) =>
    sse(c, async (stream) => {
      for (let i = 1; i <= 3; i++) await stream.send({ id: String(i), event: "n", data: { i } });
    }));
  return app;
}

for (const engine of ENGINES) {
  Deno.test(`kit web on the ${engine} engine answers fetch and curl`, async (t) => {
    const server = await featureApp().listen({ engine, port: 0 });
    const base = `http://127.0.0.1:${server.addr.port}`;
    try {
      await t.step("params and query through fetch", async () => {
        const response = await fetch(`${base}/users/42?tab=posts`);
        assert.deepEqual(await response.json(), { id: "42", tab: "posts" });
        const wild = await fetch(`${base}/files/a/b%20c.txt`);
        assert.equal(await wild.text(), "a/b c.txt");
      });
      await t.step("405 with Allow, 404, and HEAD from GET with its length", async () => {
        const wrong = head((await curl("-i", "-X", "DELETE", `${base}/users/1`)).out);
        assert.equal(wrong.status, 405);
        assert.equal(wrong.headers.get("allow"), "GET, PUT, HEAD");
        const missing = head((await curl("-i", `${base}/nothing`)).out);
        assert.equal(missing.status, 404);
        const headOnly = head((await curl("-I", `${base}/users/7`)).out);
        assert.equal(headOnly.status, 200);
        assert.equal(
          headOnly.headers.get("content-length"),
          String('{"id":"7","tab":null}'.length),
        );
      });
      await t.step("validation names the failing field", async () => {
        const bad = await curl(
          "-i",
          "-H",
          "content-type: application/json",
          "-d",
          '{"name":"x","age":-1}',
          `${base}/users`,
        );
        const answer = head(bad.out);
        assert.equal(answer.status, 400);
        const body = JSON.parse(answer.body);
        assert.deepEqual(body.issues.map((i: { path: string }) => i.path), ["name", "age"]);
        const good = await fetch(`${base}/users`, {
          method: "POST",
          body: JSON.stringify({ name: "Ada", age: 36 }),
        });
        assert.equal(good.status, 201);
        assert.deepEqual(await good.json(), { made: "Ada" });
      });
      await t.step("multipart upload from curl -F", async () => {
        const dir = await Deno.makeTempDir();
        try {
          await Deno.writeTextFile(join(dir, "doc.txt"), "x".repeat(1234));
          const { out } = await curl(
            "-F",
            `doc=@${join(dir, "doc.txt")}`,
            "-F",
            "note=hello",
            `${base}/upload`,
          );
          assert.deepEqual(JSON.parse(out), { name: "doc.txt", size: 1234, note: "hello" });
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      });
      await t.step("gzip and brotli by Accept-Encoding, decoded by curl", async () => {
        for (const encoding of ["gzip", "br"]) {
          const { out } = await curl(
            "-i",
            "--compressed",
            "-H",
            `accept-encoding: ${encoding}`,
            `${base}/big`,
          );
          const answer = head(out);
          assert.equal(answer.headers.get("content-encoding"), encoding);
          assert.equal(answer.body, "all work and no play ".repeat(200));
        }
      });
      await t.step("ETag and a 304 for If-None-Match", async () => {
        const first = head((await curl("-i", `${base}/users/1`)).out);
        const tag = first.headers.get("etag")!;
        assert.ok(tag);
        const again = head(
          (await curl("-i", "-H", `if-none-match: ${tag}`, `${base}/users/1`)).out,
        );
        assert.equal(again.status, 304);
        assert.equal(again.body, "");
      });
      await t.step("CORS preflight and Basic auth with curl -u", async () => {
        const preflight = head(
          (await curl(
            "-i",
            "-X",
            "OPTIONS",
            "-H",
            "origin: https://ui.example",
            "-H",
            "access-control-request-method: PUT",
            `${base}/users/1`,
          )).out,
        );
        assert.equal(preflight.status, 204);
        assert.equal(preflight.headers.get("access-control-allow-origin"), "https://ui.example");
        assert.equal(head((await curl("-i", `${base}/private`)).out).status, 401);
        assert.equal((await curl("-u", "ada:lovelace", `${base}/private`)).out, "hi ada");
      });
      await t.step("kit http as the client: JSON items, status and a 400", async () => {
        const box = await sandbox();
        try {
          const made = await box.kit([
            "http",
            "--no-history",
            "POST",
            `${base}/users`,
            "name=Ada",
            "age:=36",
          ]);
          assert.equal(made.code, 0, made.stderr);
          assert.deepEqual(JSON.parse(made.stdout), { made: "Ada" });
          const bad = await box.kit([
            "http",
            "--no-history",
            "--check-status",
            "POST",
            `${base}/users`,
            "name=A",
            "age:=1",
          ]);
          assert.equal(bad.code, 4);
          assert.equal(JSON.parse(bad.stdout).issues[0].path, "name");
        } finally {
          await box.cleanup();
        }
      });
      await t.step("Server-Sent Events arrive in order", async () => {
        const response = await fetch(`${base}/events`);
        assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
        const text = await response.text();
        assert.equal(
          text,
          [1, 2, 3].map((i) => `event: n\nid: ${i}\ndata: {"i":${i}}\n\n`).join(""),
        );
      });
    } finally {
      await server.shutdown();
    }
  });
}

const mainKnowsWeb = (await Deno.readTextFile(join(ROOT, "main.ts"))).includes(
  "commands/web/cli.ts",
);

Deno.test({
  name: "kit web todo keeps its todos in the kv store across restarts",
  ignore: !mainKnowsWeb,
  async fn() {
    const data = await Deno.makeTempDir();
    const start = async () => {
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-all",
          join(ROOT, "main.ts"),
          "web",
          "todo",
          "--port",
          "0",
          "--token",
          "t0k",
          "--data-dir",
          data,
        ],
        stdout: "null",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).spawn();
      const lines = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
      let seen = "";
      let match: RegExpMatchArray | null = null;
      while (!(match = seen.match(/http:\/\/127\.0\.0\.1:(\d+)\//))) {
        const { value, done } = await lines.read();
        if (done) throw new Error(`kit web todo ended: ${seen}`);
        seen += value;
      }
      // Keep draining stderr (the access log) so the child never blocks on a full pipe.
      const drained = (async () => {
        while (!(await lines.read()).done) { /* access log */ }
      })();
      return { child, base: `http://127.0.0.1:${match[1]}`, drained };
    };
    try {
      const first = await start();
      const made = await curl(
        "-H",
        "authorization: Bearer t0k",
        "-H",
        "content-type: application/json",
        "-d",
        '{"title":"buy milk"}',
        `${first.base}/api/todos`,
      );
      assert.equal(JSON.parse(made.out).title, "buy milk");
      const refused = head(
        (await curl("-i", "-d", '{"title":"x"}', `${first.base}/api/todos`)).out,
      );
      assert.equal(refused.status, 401);
      first.child.kill("SIGTERM");
      assert.equal((await first.child.status).code, 0);
      await first.drained;
      const second = await start();
      const list = JSON.parse((await curl(`${second.base}/api/todos`)).out);
      assert.deepEqual(list.map((t: { title: string }) => t.title), ["buy milk"]);
      second.child.kill("SIGTERM");
      assert.equal((await second.child.status).code, 0);
      await second.drained;
    } finally {
      await Deno.remove(data, { recursive: true });
    }
  },
});

const chromiumPath = "/usr/bin/chromium";
const haveChromium = await Deno.stat(chromiumPath).then(() => true, () => false);

Deno.test({
  name: "Chromium drives the todo page and a WebSocket echo on the kit engine",
  ignore: !haveChromium,
  // playwright-core keeps its own pipes and timers alive between calls; all are closed by
  // browser.close() and server.shutdown() below.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const { chromium } = await import("../lib/deps/playwright.ts");
    const server: WebServer = await todoApp({ store: new MemoryTodoStore(), token: "secret" })
      .listen({ engine: "kit", port: 0 });
    const echo = new App();
    echo.get("/ws", (c) => {
      const { socket, response } = upgradeWebSocket(c);
      socket.onmessage = (e) => socket.send(`echo ${e.data}`);
      return response;
    });
    const echoServer = await echo.listen({ engine: "kit", port: 0 });
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ["--headless", "--no-sandbox", "--disable-gpu"],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`http://127.0.0.1:${server.addr.port}/`);
      await page.waitForSelector("body[data-count='0']");
      await page.fill("#title", "water the plants");
      await page.click("#add");
      await page.waitForSelector("#error:has-text('Authentication required')");
      await page.fill("#token", "secret");
      await page.dispatchEvent("#token", "change");
      await page.click("#add");
      await page.waitForSelector("body[data-count='1']");
      assert.equal(await page.textContent("#todos li .title"), "water the plants");
      await page.fill("#title", "   ");
      await page.click("#add");
      await page.waitForSelector("#error:has-text('title: must not be empty')");
      await page.check("#todos li input[type=checkbox]");
      await page.waitForSelector("#todos li.done");
      await page.click("#todos li .delete");
      await page.waitForSelector("body[data-count='0']");
      // A page of its own: the todo page's Content-Security-Policy (default-src 'self') rightly
      // forbids connecting to another port.
      const blank = await browser.newPage();
      const replies = await blank.evaluate(
        (url: string) =>
          new Promise<string[]>((resolve, reject) => {
            const ws = new WebSocket(url);
            const got: string[] = [];
            ws.onopen = () => ["a", "é".repeat(70000)].forEach((m) => ws.send(m));
            ws.onmessage = (e) => {
              got.push(e.data.length > 20 ? `${e.data.slice(0, 6)}…${e.data.length}` : e.data);
              if (got.length === 2) ws.close(1000);
            };
            ws.onclose = (
              e,
            ) => (e.code === 1000 ? resolve(got) : reject(new Error(`close ${e.code}`)));
            ws.onerror = () => reject(new Error("websocket error"));
          }),
        `ws://127.0.0.1:${echoServer.addr.port}/ws`,
      );
      assert.deepEqual(replies, ["echo a", `echo é…${5 + 70000}`]);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.shutdown();
      await echoServer.shutdown();
    }
  },
});
