/**
 * `kit web serve` as a subprocess, driven by curl and fetch: listings, MIME types, ETag and
 * Last-Modified revalidation, ranges, traversal attempts, logging and graceful shutdown.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT, type Sandbox, sandbox } from "./_util.ts";

const dec = new TextDecoder();

interface Running {
  base: string;
  port: number;
  /** Sends a signal and waits for the exit: the code and everything written to stderr. */
  stop(signal?: Deno.Signal): Promise<{ code: number; stderr: string }>;
}

/** Starts `kit web serve args...` and waits for its "serving" line to learn the port. */
async function startServe(box: Sandbox, args: string[]): Promise<Running> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--quiet", join(ROOT, "main.ts"), "web", "serve", ...args],
    cwd: box.home,
    env: box.env,
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.getReader();
  let text = "";
  let port = 0;
  while (port === 0) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`kit web serve exited early: ${text}`);
    text += dec.decode(value);
    const m = /serving .* on http:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
    if (m) port = Number(m[1]);
  }
  // Keep draining stderr so the server never blocks on a full pipe.
  const rest = (async () => {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      text += dec.decode(value);
    }
    return text;
  })();
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    async stop(signal = "SIGINT") {
      child.kill(signal);
      const [status, stderr] = await Promise.all([child.status, rest]);
      return { code: status.code, stderr };
    },
  };
}

async function curl(args: string[]): Promise<{ status: number; headers: string; body: string }> {
  const out = await new Deno.Command("curl", {
    args: ["-s", "-i", "--path-as-is", ...args],
  }).output();
  assert.ok(out.success, dec.decode(out.stderr));
  const text = dec.decode(out.stdout);
  const split = text.indexOf("\r\n\r\n");
  const headers = text.slice(0, split);
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)![1]),
    headers,
    body: text.slice(split + 4),
  };
}

function header(headers: string, name: string): string | null {
  const m = new RegExp(`^${name}: (.*)$`, "im").exec(headers);
  return m ? m[1].trim() : null;
}

async function setup(): Promise<Sandbox> {
  const box = await sandbox();
  await box.write({
    "site/index.txt": "not an index",
    "site/hello.txt": "hello world\n",
    "site/page.html": "<h1>hi</h1>",
    "site/style.css": "body{}",
    "site/app.js": "console.log(1)",
    "site/data.json": "{}",
    "site/logo.svg": "<svg/>",
    "site/pixel.png": new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
    "site/blob.bin": new Uint8Array([1, 2, 3]),
    "site/digits.txt": "0123456789",
    "site/a & <b>.txt": "odd name",
    "site/.secret": "hidden",
    "site/docs/index.html": "<p>docs index</p>",
    "site/sub/inner.txt": "inner",
    "outside.txt": "TOP SECRET",
  });
  await Deno.symlink(join(box.home, "outside.txt"), join(box.home, "site/escape.txt"));
  await Deno.symlink(box.home, join(box.home, "site/up"));
  return box;
}

Deno.test("kit web serve: files, listings, caching, ranges and traversal", async (t) => {
  const box = await setup();
  const server = await startServe(box, ["site", "--port", "0"]);
  try {
    await t.step("the root is an HTML listing, folders first, hidden files left out", async () => {
      const res = await fetch(`${server.base}/`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
      const html = await res.text();
      assert.ok(html.indexOf('href="docs/"') < html.indexOf('href="hello.txt"'));
      assert.match(html, /href="sub\/">sub\/<\/a>/);
      assert.match(html, /href="a%20%26%20%3Cb%3E.txt">a &#38; &#60;b&#62;.txt<\/a>/);
      assert.doesNotMatch(html, /secret/);
    });

    await t.step("a folder with index.html serves it; without a slash it redirects", async () => {
      const redirect = await curl([`${server.base}/docs?x=1`]);
      assert.equal(redirect.status, 301);
      assert.equal(header(redirect.headers, "location"), "/docs/?x=1");
      const res = await fetch(`${server.base}/docs/`);
      assert.equal(await res.text(), "<p>docs index</p>");
    });

    await t.step("MIME types follow the extension", async () => {
      const expected: Record<string, string> = {
        "hello.txt": "text/plain; charset=utf-8",
        "page.html": "text/html; charset=utf-8",
        "style.css": "text/css; charset=utf-8",
        "app.js": "text/javascript; charset=utf-8",
        "data.json": "application/json; charset=utf-8",
        "logo.svg": "image/svg+xml; charset=utf-8",
        "pixel.png": "image/png",
        "blob.bin": "application/octet-stream",
      };
      for (const [name, type] of Object.entries(expected)) {
        const res = await curl(["-I", `${server.base}/${name}`]);
        assert.equal(res.status, 200, name);
        assert.equal(header(res.headers, "content-type"), type, name);
      }
    });

    await t.step("HEAD gives the length and no body", async () => {
      const res = await curl(["-I", `${server.base}/hello.txt`]);
      assert.equal(header(res.headers, "content-length"), "12");
      assert.equal(res.body, "");
    });

    await t.step("ETag and Last-Modified revalidate to 304", async () => {
      const first = await curl([`${server.base}/hello.txt`]);
      assert.equal(first.body, "hello world\n");
      const etag = header(first.headers, "etag")!;
      const modified = header(first.headers, "last-modified")!;
      assert.match(etag, /^"[0-9a-f]+-[0-9a-f]+"$/);
      const byTag = await curl(["-H", `If-None-Match: ${etag}`, `${server.base}/hello.txt`]);
      assert.equal(byTag.status, 304);
      assert.equal(byTag.body, "");
      const byDate = await curl([
        "-H",
        `If-Modified-Since: ${modified}`,
        `${server.base}/hello.txt`,
      ]);
      assert.equal(byDate.status, 304);
      const stale = await curl(["-H", 'If-None-Match: "other"', `${server.base}/hello.txt`]);
      assert.equal(stale.status, 200);
      const old = await curl([
        "-H",
        "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT",
        `${server.base}/hello.txt`,
      ]);
      assert.equal(old.status, 200);
    });

    await t.step("Range gives 206, several ranges multipart, a bad one 416", async () => {
      const one = await curl(["-r", "2-5", `${server.base}/digits.txt`]);
      assert.equal(one.status, 206);
      assert.equal(header(one.headers, "content-range"), "bytes 2-5/10");
      assert.equal(one.body, "2345");
      const suffix = await curl(["-r", "-3", `${server.base}/digits.txt`]);
      assert.equal(suffix.body, "789");
      const many = await curl(["-r", "0-1,8-", `${server.base}/digits.txt`]);
      assert.equal(many.status, 206);
      assert.match(header(many.headers, "content-type")!, /^multipart\/byteranges; boundary=/);
      assert.match(many.body, /content-range: bytes 0-1\/10\r\n\r\n01\r\n/);
      assert.match(many.body, /content-range: bytes 8-9\/10\r\n\r\n89\r\n/);
      assert.equal(
        Number(header(many.headers, "content-length")),
        new TextEncoder().encode(many.body).length,
      );
      const none = await curl(["-r", "50-60", `${server.base}/digits.txt`]);
      assert.equal(none.status, 416);
      assert.equal(header(none.headers, "content-range"), "bytes */10");
      const etag = header((await curl(["-I", `${server.base}/digits.txt`])).headers, "etag")!;
      const ifRange = await curl([
        "-r",
        "0-0",
        "-H",
        `If-Range: ${etag}`,
        `${server.base}/digits.txt`,
      ]);
      assert.equal(ifRange.status, 206);
      const changed = await curl([
        "-r",
        "0-0",
        "-H",
        'If-Range: "old"',
        `${server.base}/digits.txt`,
      ]);
      assert.equal(changed.status, 200);
      assert.equal(changed.body, "0123456789");
    });

    await t.step("no request path leaves the root", async () => {
      const attempts: [string, number][] = [
        ["/../outside.txt", 404],
        ["/sub/../../outside.txt", 404],
        ["/%2e%2e/outside.txt", 404],
        ["/sub/%2e%2e%2f%2e%2e%2foutside.txt", 404],
        ["/..%2foutside.txt", 404],
        ["/..%5coutside.txt", 404],
        ["/sub\\..\\..\\outside.txt", 404],
        ["/hello.txt%00.png", 400],
        ["/%zz", 400],
        ["/escape.txt", 404],
        ["/up/outside.txt", 404],
        ["/.secret", 404],
        ["/missing.txt", 404],
      ];
      for (const [path, status] of attempts) {
        const res = await curl([`${server.base}${path}`]);
        assert.equal(res.status, status, path);
        assert.doesNotMatch(res.body, /TOP SECRET/, path);
      }
      // A raw socket, for shapes curl would tidy up.
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      await conn.write(
        new TextEncoder().encode(
          "GET /../../outside.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        ),
      );
      const text = dec.decode(await new Response(conn.readable).arrayBuffer());
      assert.match(text, /^HTTP\/1\.1 404 /);
      assert.doesNotMatch(text, /TOP SECRET/);
    });

    await t.step("other methods get 405 with Allow", async () => {
      const res = await curl(["-X", "POST", `${server.base}/hello.txt`]);
      assert.equal(res.status, 405);
      assert.equal(header(res.headers, "allow"), "GET, HEAD");
    });
  } finally {
    const { code, stderr } = await server.stop("SIGINT");
    await box.cleanup();
    assert.equal(code, 0);
    // One line per request, on stderr.
    assert.match(stderr, /127\.0\.0\.1 "GET \/hello\.txt" 200 12 [\d.]+ms\n/);
    assert.match(stderr, /"GET \/digits\.txt" 206 4 /);
    assert.match(stderr, /kit web: stopped\n$/);
  }
});

Deno.test("kit web serve: --no-listing, SIGTERM, and usage errors", async () => {
  const box = await setup();
  try {
    const server = await startServe(box, ["site", "--port", "0", "--no-listing"]);
    const res = await fetch(`${server.base}/sub/`);
    assert.equal(res.status, 404);
    await res.body?.cancel();
    const { code } = await server.stop("SIGTERM");
    assert.equal(code, 0);

    const missing = await box.kit(["web", "serve", "nowhere"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^kit web: error: Cannot serve ".*nowhere": no such folder/);
    const badPort = await box.kit(["web", "serve", "--port", "99999"]);
    assert.equal(badPort.code, 2);
    assert.match(badPort.stderr, /--port takes a number/);
  } finally {
    await box.cleanup();
  }
});
