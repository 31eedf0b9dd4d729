/**
 * `kit http` end to end: the real binary against servers started here, compared with curl
 * where curl can make the same request.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { type Sandbox, sandbox } from "./_util.ts";

type Handler = (req: Request) => Response | Promise<Response>;

/** Runs `fn` with a sandbox and a Deno.serve server on 127.0.0.1 (port 0). */
async function withServer(
  handler: Handler,
  fn: (s: Sandbox, base: string) => Promise<void>,
): Promise<void> {
  const s = await sandbox();
  const listening = Promise.withResolvers<number>();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: ({ port }) => listening.resolve(port),
  }, handler);
  try {
    await fn(s, `http://127.0.0.1:${await listening.promise}`);
  } finally {
    await server.shutdown();
    await s.cleanup();
  }
}

/** Echoes the request back as JSON: method, path with query, headers, body text. */
async function echo(req: Request): Promise<Response> {
  const url = new URL(req.url);
  return Response.json({
    method: req.method,
    path: url.pathname + url.search,
    headers: Object.fromEntries(req.headers),
    body: await req.text(),
  });
}

async function curl(args: string[], cwd: string): Promise<{ code: number; stdout: Uint8Array }> {
  const out = await new Deno.Command("curl", { args: ["-s", ...args], cwd, stdout: "piped" })
    .output();
  return { code: out.code, stdout: out.stdout };
}

Deno.test("kit http GET prints the body alone when redirected, byte for byte as curl", async () => {
  const handler = (req: Request) =>
    new URL(req.url).pathname === "/fixed"
      ? new Response('{"b":1}\nline two é\n', { headers: { "content-type": "application/json" } })
      : echo(req);
  await withServer(handler, async (s, base) => {
    const r = await s.kit(["http", `${base}/a?x=1`, "X-Test:yes"]);
    assert.equal(r.code, 0, r.stderr);
    const seen = JSON.parse(r.stdout);
    assert.equal(seen.method, "GET");
    assert.equal(seen.path, "/a?x=1");
    assert.equal(seen.headers["x-test"], "yes");
    assert.equal(seen.headers["user-agent"], "kit-http/0.1.0");
    const viaCurl = await curl([`${base}/fixed`], s.home);
    const kit = await s.kit(["http", `${base}/fixed`]);
    assert.equal(kit.stdout, new TextDecoder().decode(viaCurl.stdout));
    assert.equal(kit.stdout, '{"b":1}\nline two é\n');
  });
});

Deno.test("kit http sends JSON items as httpie does: strings, raw JSON, nesting, query", async () => {
  await withServer(echo, async (s, base) => {
    const r = await s.kit([
      "http",
      `${base}/users`,
      "name=ann",
      "age:=29",
      'tags:=["a"]',
      "address[city]=Oslo",
      "q==a b",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const seen = JSON.parse(r.stdout);
    assert.equal(seen.method, "POST");
    assert.equal(seen.path, "/users?q=a+b");
    assert.equal(seen.headers["content-type"], "application/json");
    assert.equal(seen.headers.accept, "application/json, */*;q=0.5");
    assert.deepEqual(JSON.parse(seen.body), {
      name: "ann",
      age: 29,
      tags: ["a"],
      address: { city: "Oslo" },
    });
  });
});

Deno.test("kit http --form sends urlencoded fields; a file item makes a multipart form", async () => {
  const handler = async (req: Request) => {
    const type = req.headers.get("content-type") ?? "";
    if (type.startsWith("multipart/form-data")) {
      const form = await req.formData();
      const file = form.get("doc") as File;
      return Response.json({
        type: "multipart",
        title: form.get("title"),
        file: { name: file.name, type: file.type, text: await file.text() },
      });
    }
    return Response.json({ type, body: await req.text() });
  };
  await withServer(handler, async (s, base) => {
    const form = await s.kit(["http", "-f", "POST", `${base}/f`, "a=1 2", "b=é"]);
    assert.equal(form.code, 0, form.stderr);
    assert.deepEqual(JSON.parse(form.stdout), {
      type: "application/x-www-form-urlencoded; charset=utf-8",
      body: "a=1+2&b=%C3%A9",
    });
    await s.write({ "notes.txt": "hello\nfile\n" });
    const multi = await s.kit([
      "http",
      "-f",
      `${base}/up`,
      "title=T",
      "doc@notes.txt;type=text/plain",
    ]);
    assert.equal(multi.code, 0, multi.stderr);
    assert.deepEqual(JSON.parse(multi.stdout), {
      type: "multipart",
      title: "T",
      file: { name: "notes.txt", type: "text/plain", text: "hello\nfile\n" },
    });
    // --print=B shows the multipart body as it was sent, file content included.
    const shown = await s.kit([
      "http",
      "--print=B",
      "-f",
      `${base}/up`,
      "title=T",
      "doc@notes.txt;type=text/plain",
    ]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /Content-Disposition: form-data; name="title"\r\n\r\nT\r\n/);
    assert.match(
      shown.stdout,
      /Content-Disposition: form-data; name="doc"; filename="notes.txt"\r\nContent-Type: text\/plain\r\n\r\nhello\nfile\n\r\n--/,
    );
  });
});

Deno.test("kit http reads a body from stdin, and --raw; -I ignores stdin", async () => {
  await withServer(echo, async (s, base) => {
    const piped = await s.kit(["http", "PUT", `${base}/p`], { stdin: '{"x": 1}' });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(JSON.parse(piped.stdout).body, '{"x": 1}');
    assert.equal(JSON.parse(piped.stdout).method, "PUT");
    const raw = await s.kit(["http", `${base}/r`, "--raw", "plain text"]);
    assert.equal(JSON.parse(raw.stdout).body, "plain text");
    assert.equal(JSON.parse(raw.stdout).method, "POST");
    const ignored = await s.kit(["http", "-I", `${base}/i`], { stdin: "ignored" });
    assert.equal(JSON.parse(ignored.stdout).method, "GET");
  });
});

Deno.test("kit http --offline prints the exact request and sends nothing", async () => {
  const s = await sandbox();
  try {
    const r = await s.kit(["http", "--offline", "POST", "http://127.0.0.1:9/p", "a=1", "X-A:b"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      "POST /p HTTP/1.1\r\n" +
        "Host: 127.0.0.1:9\r\n" +
        "User-Agent: kit-http/0.1.0\r\n" +
        "Accept-Encoding: gzip, deflate, br\r\n" +
        "Accept: application/json, */*;q=0.5\r\n" +
        "Connection: keep-alive\r\n" +
        "X-A: b\r\n" +
        "Content-Type: application/json\r\n" +
        "Content-Length: 9\r\n" +
        "\r\n" +
        '{"a":"1"}',
    );
    const unset = await s.kit(["http", "--offline", "--print=H", ":9/", "User-Agent:", "E;"]);
    assert.doesNotMatch(unset.stdout, /User-Agent/);
    assert.match(unset.stdout, /\r\nE: \r\n/);
    assert.match(unset.stdout, /^GET \/ HTTP\/1\.1\r\nHost: localhost:9\r\n/);
  } finally {
    await s.cleanup();
  }
});

Deno.test("kit http --print, -h, -b and -v choose what is printed", async () => {
  const handler = () =>
    new Response('{"ok":true}', {
      headers: { "content-type": "application/json", "x-srv": "1", "date": "D" },
    });
  await withServer(handler, async (s, base) => {
    const head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-srv: 1\r\n" +
      "content-length: 11\r\ndate: D\r\n\r\n";
    const h = await s.kit(["http", "-h", `${base}/`]);
    assert.equal(h.stdout, head);
    const b = await s.kit(["http", "-b", `${base}/`]);
    assert.equal(b.stdout, '{"ok":true}');
    const hb = await s.kit(["http", "--print=hb", `${base}/`]);
    assert.equal(hb.stdout, head + '{"ok":true}');
    const formatted = await s.kit(["http", "--print=b", "--pretty=format", `${base}/`]);
    assert.equal(formatted.stdout, '{\n    "ok": true\n}');
    const colored = await s.kit(["http", "--print=b", "--pretty=all", `${base}/`], {
      env: { NO_COLOR: "", FORCE_COLOR: "1" },
    });
    assert.equal(colored.stdout, '{\n    \x1b[34m"ok"\x1b[39m: \x1b[35mtrue\x1b[39m\n}');
    const v = await s.kit(["http", "-v", `${base}/v`]);
    assert.match(v.stdout, /^GET \/v HTTP\/1\.1\r\nHost: 127\.0\.0\.1:\d+\r\n/);
    assert.ok(v.stdout.endsWith("\r\n\r\n\n\n" + head + '{"ok":true}'), JSON.stringify(v.stdout));
    const meta = await s.kit(["http", "--print=m", `${base}/`]);
    assert.match(meta.stdout, /^Elapsed time: \d+(\.\d+)?s\n$/);
  });
});

Deno.test("kit http -v shows redirect hops with -F", async () => {
  const handler = (req: Request) =>
    new URL(req.url).pathname === "/old"
      ? new Response(null, { status: 301, headers: { location: "/new" } })
      : new Response("arrived");
  await withServer(handler, async (s, base) => {
    const r = await s.kit(["http", "-v", "-F", `${base}/old`]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split("\r\n").map((l) => l.replace(/\n/g, ""))
      .filter((l) => /^(GET|HTTP)/.test(l));
    assert.deepEqual(lines, [
      "GET /old HTTP/1.1",
      "HTTP/1.1 301 Moved Permanently",
      "GET /new HTTP/1.1",
      "HTTP/1.1 200 OK",
    ]);
    assert.ok(r.stdout.endsWith("arrived"));
  });
});

Deno.test("kit http --check-status exits 3, 4 or 5 with a warning; without it 0", async () => {
  const handler = (req: Request) => {
    const status = Number(new URL(req.url).pathname.slice(1));
    return new Response(status === 302 ? null : "x", {
      status,
      headers: status === 302 ? { location: "/200" } : {},
    });
  };
  await withServer(handler, async (s, base) => {
    for (const [status, code] of [[200, 0], [302, 3], [404, 4], [500, 5]]) {
      const r = await s.kit(["http", "--check-status", `${base}/${status}`]);
      assert.equal(r.code, code, `${status}: ${r.stderr}`);
      if (code !== 0) assert.match(r.stderr, new RegExp(`^kit http: warning: HTTP ${status} `));
    }
    assert.equal((await s.kit(["http", `${base}/500`])).code, 0);
    assert.equal((await s.kit(["http", "-F", "--check-status", `${base}/302`])).code, 0);
  });
});

Deno.test("kit http exits 6 on too many redirects and 1 when the connection is refused", async () => {
  const handler = () => new Response(null, { status: 302, headers: { location: "/again" } });
  await withServer(handler, async (s, base) => {
    const loop = await s.kit(["http", "-F", "--max-redirects", "2", `${base}/`]);
    assert.equal(loop.code, 6, loop.stderr);
    assert.match(loop.stderr, /^kit http: error: /);
  });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const s = await sandbox();
  try {
    const refused = await s.kit(["http", `127.0.0.1:${port}/`]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^kit http: error: .*refused/);
  } finally {
    await s.cleanup();
  }
});

Deno.test("kit http exits 2 on a timeout when the server never answers", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const accepted: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) accepted.push(conn);
  })();
  const s = await sandbox();
  try {
    const r = await s.kit(["http", "--timeout", "0.3", `127.0.0.1:${port}/`]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^kit http: error: .*timed out/);
  } finally {
    listener.close();
    await accepting.catch(() => {});
    for (const conn of accepted) conn.close();
    await s.cleanup();
  }
});

Deno.test("kit http reports bad item syntax with exit 2 and a hint", async () => {
  const s = await sandbox();
  try {
    const r = await s.kit(["http", ":9/", "oops"]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      "kit http: error: 'oops' is not a valid request item\n" +
        "hint: items are Header:Value, name=value, name:=json, name==query or field@file\n",
    );
    const json = await s.kit(["http", ":9/", "a:={"]);
    assert.equal(json.code, 2);
    assert.match(json.stderr, /^kit http: error: 'a:=\{'/);
  } finally {
    await s.cleanup();
  }
});

const PAYLOAD = new Uint8Array(300_000).map((_, i) => (i * 7 + (i >> 8)) & 0xff);

/** Serves PAYLOAD with Range support, as a file server does; records the Range headers seen. */
function rangeServer(ranges: (string | null)[]): Handler {
  return (req) => {
    const range = req.headers.get("range");
    ranges.push(range);
    const match = range ? /^bytes=(\d+)-$/.exec(range) : null;
    if (!match) {
      return new Response(PAYLOAD, {
        headers: { "content-type": "application/octet-stream", "accept-ranges": "bytes" },
      });
    }
    const from = Number(match[1]);
    if (from >= PAYLOAD.length) {
      return new Response(null, {
        status: 416,
        headers: { "content-range": `bytes */${PAYLOAD.length}` },
      });
    }
    return new Response(PAYLOAD.slice(from), {
      status: 206,
      headers: {
        "content-type": "application/octet-stream",
        "content-range": `bytes ${from}-${PAYLOAD.length - 1}/${PAYLOAD.length}`,
      },
    });
  };
}

Deno.test("kit http --download with stdout redirected and no -o writes the body to stdout", async () => {
  const handler = () =>
    new Response("report body\n", { headers: { "content-type": "text/plain" } });
  await withServer(handler, async (s, base) => {
    const r = await s.kit(["http", "-d", `${base}/files/report.txt`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "report body\n");
    assert.match(r.stderr, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(r.stderr, /Downloading 12 bytes to "<stdout>"/);
  });
});

Deno.test("kit http --download --continue resumes with Range and the file equals the served bytes", async () => {
  const ranges: (string | null)[] = [];
  await withServer(rangeServer(ranges), async (s, base) => {
    await s.write({ "part.bin": PAYLOAD.slice(0, 123_456) });
    const r = await s.kit(["http", "-d", "-c", "-o", "part.bin", `${base}/data.bin`]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(ranges, ["bytes=123456-"]);
    assert.deepEqual(await Deno.readFile(join(s.home, "part.bin")), PAYLOAD);
    assert.match(r.stderr, /resuming at byte 123456/);
    // Once complete, a further --continue asks for nothing more and leaves the file alone.
    const again = await s.kit(["http", "-d", "-c", "-o", "part.bin", `${base}/data.bin`]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await Deno.readFile(join(s.home, "part.bin")), PAYLOAD);
    // A fresh download with -o writes the whole file.
    const fresh = await s.kit(["http", "-d", "-o", "fresh.bin", `${base}/data.bin`]);
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.deepEqual(await Deno.readFile(join(s.home, "fresh.bin")), PAYLOAD);
  });
});

Deno.test("kit http -o FILE writes the same bytes as curl -o FILE", async () => {
  await withServer(rangeServer([]), async (s, base) => {
    const r = await s.kit(["http", "-o", "kit.bin", `${base}/x`]);
    assert.equal(r.code, 0, r.stderr);
    const c = await curl(["-o", "curl.bin", `${base}/x`], s.home);
    assert.equal(c.code, 0);
    const kitBytes = await Deno.readFile(join(s.home, "kit.bin"));
    assert.deepEqual(kitBytes, await Deno.readFile(join(s.home, "curl.bin")));
    assert.deepEqual(kitBytes, PAYLOAD);
  });
});

Deno.test("kit http --session keeps a cookie and headers across two calls", async () => {
  const handler = (req: Request) => {
    const url = new URL(req.url);
    if (url.pathname === "/login") {
      return new Response("in", { headers: { "set-cookie": "sid=abc123; Path=/" } });
    }
    return Response.json({
      cookie: req.headers.get("cookie"),
      token: req.headers.get("x-token"),
      auth: req.headers.get("authorization"),
    });
  };
  await withServer(handler, async (s, base) => {
    const login = await s.kit([
      "http",
      "--session",
      "me",
      `${base}/login`,
      "X-Token:t1",
      "-a",
      "u:p",
    ]);
    assert.equal(login.code, 0, login.stderr);
    const who = await s.kit(["http", "--session", "me", `${base}/whoami`]);
    assert.deepEqual(JSON.parse(who.stdout), {
      cookie: "sid=abc123",
      token: "t1",
      auth: "Basic dTpw",
    });
    const without = await s.kit(["http", `${base}/whoami`]);
    assert.deepEqual(JSON.parse(without.stdout), { cookie: null, token: null, auth: null });
    const port = new URL(base).port;
    const file = join(s.home, ".local/share/kit/http/sessions", `127.0.0.1_${port}`, "me.json");
    const stored = JSON.parse(await Deno.readTextFile(file));
    assert.equal(stored.cookies[0].name, "sid");
    // Read-only: the session is used but a new header is not stored.
    await s.kit(["http", "--session-read-only", "me", `${base}/x`, "X-Token:t2"]);
    const after = await s.kit(["http", "--session", "me", `${base}/whoami`]);
    assert.equal(JSON.parse(after.stdout).token, "t1");
  });
});

Deno.test("kit http history records requests and replay sends one again", async () => {
  let hits = 0;
  const handler = async (req: Request) => {
    hits++;
    return Response.json({ n: hits, method: req.method, body: await req.text() });
  };
  await withServer(handler, async (s, base) => {
    await s.kit(["http", `${base}/one`]);
    await s.kit(["http", "PATCH", `${base}/two`, "k=v"]);
    await s.kit(["http", "--no-history", `${base}/three`]);
    const list = await s.kit(["http", "history"]);
    assert.equal(list.code, 0, list.stderr);
    const lines = list.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 2);
    assert.match(
      lines[0],
      /^ {3}1 {2}\S+ \S+ {2}GET http:\/\/127\.0\.0\.1:\d+\/one {2}200 OK {2}\d+ ms$/,
    );
    const json = await s.kit(["http", "history", "--json", "--limit", "1"]);
    const entry = JSON.parse(json.stdout);
    assert.equal(entry.id, 2);
    assert.equal(entry.method, "PATCH");
    assert.equal(entry.body, '{"k":"v"}');
    const replay = await s.kit(["http", "replay", "2"]);
    assert.equal(replay.code, 0, replay.stderr);
    assert.deepEqual(JSON.parse(replay.stdout), { n: 4, method: "PATCH", body: '{"k":"v"}' });
    const missing = await s.kit(["http", "replay", "99"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No request #99 in the history/);
  });
});

Deno.test("kit http replay --edit sends the request as edited in $EDITOR", async () => {
  await withServer(echo, async (s, base) => {
    await s.kit(["http", `${base}/before`]);
    await s.write({ "edit.sh": "#!/bin/sh\nsed -i 's#/before#/after#' \"$1\"\n" });
    await Deno.chmod(join(s.home, "edit.sh"), 0o755);
    const r = await s.kit(["http", "replay", "--edit"], {
      env: { EDITOR: join(s.home, "edit.sh") },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).path, "/after");
  });
});

Deno.test("kit http save and run check expectations, pass and fail", async () => {
  const handler = (req: Request) =>
    Response.json({ user: { name: "ann" }, path: new URL(req.url).pathname });
  await withServer(handler, async (s, base) => {
    const port = new URL(base).port;
    await s.write({
      "api.yaml": `environments:\n  local:\n    base: "http://127.0.0.1:${port}"\nrequests: {}\n`,
    });
    const save = await s.kit([
      "http",
      "save",
      "user",
      "--collection",
      "api.yaml",
      "{{base}}/users/1",
      "--expect-status",
      "200",
      "--expect-json",
      "$.user.name=ann",
    ]);
    assert.equal(save.code, 0, save.stderr);
    await s.kit([
      "http",
      "save",
      "wrong",
      "--collection",
      "api.yaml",
      "{{base}}/users/2",
      "--expect-status=201",
      "--expect-json=$.user.name=bob",
    ]);
    const list = await s.kit(["http", "run", "--list", "api.yaml"]);
    assert.equal(
      list.stdout,
      "user   GET {{base}}/users/1\nwrong  GET {{base}}/users/2\n\nenvironments: local\n",
    );
    const one = await s.kit(["http", "run", "user", "--collection", "api.yaml", "--env", "local"]);
    assert.equal(one.code, 0, one.stdout + one.stderr);
    assert.match(one.stdout, /^PASS user {2}200 OK {2}\d+ ms\n\n1 passed, 0 failed\n$/);
    const all = await s.kit(["http", "run", "api.yaml", "--env", "local"]);
    assert.equal(all.code, 1);
    assert.match(all.stdout, /^PASS user /m);
    assert.match(
      all.stdout,
      /^FAIL wrong {2}200 OK {2}\d+ ms\n {5}expected status 201, got 200\n {5}\$\.user\.name: expected "bob", got "ann"\n/m,
    );
    assert.match(all.stdout, /\n1 passed, 1 failed\n$/);
    const noEnv = await s.kit(["http", "run", "user", "--collection", "api.yaml"]);
    assert.equal(noEnv.code, 1);
    assert.match(noEnv.stdout, /No value for \{\{base\}\}/);
  });
});

Deno.test("kit http save uses the default collection in the data folder", async () => {
  await withServer(echo, async (s, base) => {
    const save = await s.kit(["http", "save", "ping", `${base}/ping`, "--expect-status", "200"]);
    assert.equal(save.code, 0, save.stderr);
    const yaml = await s.read(".local/share/kit/http/collections.yaml");
    assert.match(yaml, /ping:\n {4}method: GET\n/);
    const listed = await s.kit(["http", "collections"]);
    assert.match(listed.stdout, /^ping {2}GET http:\/\/127\.0\.0\.1:\d+\/ping\n$/);
    const run = await s.kit(["http", "run"]);
    assert.equal(run.code, 0, run.stdout);
  });
});

Deno.test("kit http --help and kit help http print the help; hurl is an alias", async () => {
  const s = await sandbox();
  try {
    const a = await s.kit(["http", "--help"]);
    const b = await s.kit(["help", "http"]);
    assert.equal(a.code, 0);
    assert.equal(a.stdout, b.stdout);
    assert.match(a.stdout, /Usage: kit http \[options\] \[METHOD\] URL \[ITEM\.\.\.\]/);
    const alias = await s.kit(["hurl", "--offline", ":9/"]);
    assert.equal(alias.code, 0, alias.stderr);
    const completions = await s.kit(["completions", "bash"]);
    assert.match(completions.stdout, /--check-status/);
  } finally {
    await s.cleanup();
  }
});

const HAS_OPENSSL = await new Deno.Command("openssl", { args: ["version"], stdout: "null" })
  .output().then((o) => o.success, () => false);

Deno.test({
  name: "kit http over TLS: an unknown CA fails with a hint; --verify=CA_FILE and --verify=no pass",
  ignore: !HAS_OPENSSL,
  fn: async () => {
    const s = await sandbox();
    // A CA and a leaf it signs: rustls rejects a self-signed certificate used as a server's.
    const script = [
      "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2" +
      " -subj /CN=kit-test-ca -addext basicConstraints=critical,CA:TRUE" +
      " -addext keyUsage=critical,keyCertSign",
      "openssl req -newkey rsa:2048 -nodes -keyout key.pem -out leaf.csr -subj /CN=localhost",
      "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\n' > ext.cnf",
      "openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out cert.pem" +
      " -days 2 -extfile ext.cnf",
    ].join(" && ");
    const made = await new Deno.Command("sh", {
      args: ["-c", script],
      cwd: s.home,
      stdout: "null",
      stderr: "null",
    }).output();
    assert.ok(made.success);
    const cert = await s.read("cert.pem");
    const key = await s.read("key.pem");
    const listening = Promise.withResolvers<number>();
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      cert,
      key,
      onListen: ({ port }) => listening.resolve(port),
    }, () => new Response("secure\n"));
    try {
      const url = `https://localhost:${await listening.promise}/`;
      const untrusted = await s.kit(["http", url]);
      assert.equal(untrusted.code, 1);
      assert.match(untrusted.stderr, /^kit http: error: .*\nhint: --verify=CA_FILE/);
      const trusted = await s.kit(["http", "--verify", "ca.pem", url]);
      assert.equal(trusted.code, 0, trusted.stderr);
      assert.equal(trusted.stdout, "secure\n");
      const insecure = await s.kit(["http", "--verify=no", url]);
      assert.equal(insecure.stdout, "secure\n");
    } finally {
      await server.shutdown();
      await s.cleanup();
    }
  },
});

Deno.test("kit http sends bearer tokens and credentials from the URL", async () => {
  const handler = (req: Request) => new Response(req.headers.get("authorization") ?? "none");
  await withServer(handler, async (s, base) => {
    const bearer = await s.kit(["http", "-A", "bearer", "-a", "tok123", `${base}/`]);
    assert.equal(bearer.stdout, "Bearer tok123");
    const inUrl = await s.kit(["http", base.replace("http://", "http://ann:s%20cret@") + "/"]);
    assert.equal(inUrl.stdout, `Basic ${btoa("ann:s cret")}`);
  });
});

Deno.test({
  name: "kit http --cert/--cert-key presents a client certificate to a server that requires one",
  ignore: !HAS_OPENSSL,
  fn: async () => {
    const s = await sandbox();
    const script = [
      "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2" +
      " -subj /CN=kit-test-ca -addext basicConstraints=critical,CA:TRUE" +
      " -addext keyUsage=critical,keyCertSign,digitalSignature",
      "openssl req -newkey rsa:2048 -nodes -keyout key.pem -out leaf.csr -subj /CN=localhost",
      "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\n' > ext.cnf",
      "openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out cert.pem" +
      " -days 2 -extfile ext.cnf",
      "openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj /CN=kit-client",
      "printf 'basicConstraints=CA:FALSE\\nextendedKeyUsage=clientAuth\\n' > client.cnf",
      "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial" +
      " -out client.pem -days 2 -extfile client.cnf",
    ].join(" && ");
    const made = await new Deno.Command("sh", {
      args: ["-c", script],
      cwd: s.home,
      stdout: "null",
      stderr: "null",
    }).output();
    assert.ok(made.success);
    // A free port for openssl's server, which says ACCEPT once it listens.
    const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = probe.addr.port;
    probe.close();
    const server = new Deno.Command("openssl", {
      args: [
        "s_server",
        "-accept",
        `127.0.0.1:${port}`,
        "-cert",
        "cert.pem",
        "-key",
        "key.pem",
        "-CAfile",
        "ca.pem",
        "-Verify",
        "1",
        "-www",
      ],
      cwd: s.home,
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
    try {
      let said = "";
      while (!said.includes("ACCEPT")) {
        const { value, done } = await reader.read();
        if (done) throw new Error("openssl s_server ended before it listened");
        said += value;
      }
      const url = `https://localhost:${port}/`;
      const without = await s.kit(["http", "--verify", "ca.pem", url]);
      assert.equal(without.code, 1, "the server refuses a client without a certificate");
      const withCert = await s.kit([
        "http",
        "--verify",
        "ca.pem",
        "--cert",
        "client.pem",
        "--cert-key",
        "client.key",
        url,
      ]);
      assert.equal(withCert.code, 0, withCert.stderr);
      // s_server's status page describes the client certificate it received.
      assert.match(withCert.stdout, /CN\s*=\s*kit-client/);
    } finally {
      server.kill();
      await reader.cancel().catch(() => {});
      await server.status;
      await s.cleanup();
    }
  },
});
