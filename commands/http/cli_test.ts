import assert from "node:assert/strict";
import { memoryIo } from "../../lib/cli/io.ts";
import { main } from "./cli.ts";

/** Runs `fn` against a Deno.serve server on port 0 and a temporary data folder. */
async function withServer(
  handler: (req: Request) => Response | Promise<Response>,
  fn: (base: string, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  const listening = Promise.withResolvers<number>();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: ({ port }) => listening.resolve(port),
  }, handler);
  try {
    await fn(`http://127.0.0.1:${await listening.promise}`, dir);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

const json = () =>
  new Response('{"a":[1]}', { headers: { "content-type": "application/json", "date": "D" } });

Deno.test("main() on a terminal prints headers and formatted JSON, then a blank line", async () => {
  await withServer(json, async (base, dir) => {
    const io = memoryIo({ tty: true, env: { KIT_HTTP_DIR: dir, NO_COLOR: "1" } });
    assert.equal(await main([`${base}/`], io), 0);
    assert.equal(
      io.stdout.text(),
      "HTTP/1.1 200 OK\ncontent-type: application/json\ncontent-length: 9\ndate: D\n\n" +
        '{\n    "a": [\n        1\n    ]\n}\n\n',
    );
  });
});

Deno.test("main() on a terminal colours headers and JSON unless NO_COLOR", async () => {
  await withServer(json, async (base, dir) => {
    const io = memoryIo({ tty: true, env: { KIT_HTTP_DIR: dir } });
    assert.equal(await main(["-b", `${base}/`], io), 0);
    assert.equal(
      io.stdout.text(),
      '{\n    \x1b[34m"a"\x1b[39m: [\n        \x1b[36m1\x1b[39m\n    ]\n}\n\n',
    );
    const never = memoryIo({ tty: true, env: { KIT_HTTP_DIR: dir } });
    assert.equal(await main(["-b", "--color=never", `${base}/`], never), 0);
    assert.equal(never.stdout.text(), '{\n    "a": [\n        1\n    ]\n}\n\n');
  });
});

Deno.test("main() on a terminal shows a notice instead of binary data", async () => {
  const binary = () => new Response(new Uint8Array([1, 0, 2]));
  await withServer(binary, async (base, dir) => {
    const io = memoryIo({ tty: true, env: { KIT_HTTP_DIR: dir, NO_COLOR: "1" } });
    assert.equal(await main(["-b", `${base}/`], io), 0);
    assert.match(io.stdout.text(), /NOTE: binary data not shown in terminal/);
    const piped = memoryIo({ env: { KIT_HTTP_DIR: dir } });
    assert.equal(await main([`${base}/`], piped), 0);
    assert.equal(piped.stdout.text(), "\x01\x00\x02");
  });
});

Deno.test("main() --check-status on a terminal exits 4 without the warning line", async () => {
  await withServer(() => new Response("no", { status: 404 }), async (base, dir) => {
    const io = memoryIo({ tty: true, env: { KIT_HTTP_DIR: dir, NO_COLOR: "1" } });
    assert.equal(await main(["--check-status", `${base}/`], io), 4);
    assert.equal(io.stderr.text(), "");
  });
});

Deno.test("main() with -a USER and no terminal fails with a hint", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const io = memoryIo({ env: { KIT_HTTP_DIR: dir } });
    assert.equal(await main(["-a", "ann", "http://127.0.0.1:9/"], io), 2);
    assert.equal(
      io.stderr.text(),
      'kit http: error: --auth "ann" has no password and there is no terminal to ask on\n' +
        "hint: give it as --auth USER:PASSWORD\n",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
