import assert from "node:assert/strict";
import { join } from "node:path";
import { contentType, serveDir, serveFile } from "./static_files.ts";

async function tree(): Promise<{ root: string; top: string; cleanup: () => Promise<void> }> {
  const top = await Deno.makeTempDir();
  const root = join(top, "root");
  await Deno.mkdir(join(root, "dir"), { recursive: true });
  await Deno.writeTextFile(join(root, "a.txt"), "abcdefghij");
  await Deno.writeTextFile(join(root, "dir", "b.css"), "b{}");
  await Deno.writeTextFile(join(top, "secret.txt"), "secret");
  await Deno.symlink(join(top, "secret.txt"), join(root, "link.txt"));
  await Deno.symlink(join(root, "a.txt"), join(root, "inside.txt"));
  return { root, top, cleanup: () => Deno.remove(top, { recursive: true }) };
}

async function get(path: string, root: string, headers: HeadersInit = {}, method = "GET") {
  const res = await serveDir(new Request(`http://x${path}`, { headers, method }), {
    root,
    listing: true,
  });
  return { res, text: await res.text() };
}

Deno.test("contentType() by extension, with a charset for text", () => {
  assert.equal(contentType("x.JS"), "text/javascript; charset=utf-8");
  assert.equal(contentType("x.woff2"), "font/woff2");
  assert.equal(contentType("Makefile"), "application/octet-stream");
});

Deno.test("serveDir() serves files with validators", async () => {
  const t = await tree();
  try {
    const { res, text } = await get("/a.txt", t.root);
    assert.equal(res.status, 200);
    assert.equal(text, "abcdefghij");
    assert.equal(res.headers.get("content-length"), "10");
    assert.equal(res.headers.get("accept-ranges"), "bytes");
    assert.ok(res.headers.get("etag"));
    assert.ok(res.headers.get("last-modified"));
    const again = await get("/a.txt", t.root, {
      "if-none-match": `W/${res.headers.get("etag")}, "x"`,
    });
    assert.equal(again.res.status, 304);
    const head = await get("/a.txt", t.root, {}, "HEAD");
    assert.equal(head.text, "");
    assert.equal(head.res.headers.get("content-length"), "10");
  } finally {
    await t.cleanup();
  }
});

Deno.test("serveDir() keeps requests inside the root", async (t) => {
  const tr = await tree();
  try {
    const cases: [string, number][] = [
      ["/link.txt", 404], // symlink to a file outside
      ["/%2e%2e/secret.txt", 404],
      ["/dir/%2e%2e%2f%2e%2e%2fsecret.txt", 404],
      ["/..%5csecret.txt", 404],
      ["/a.txt%00", 400],
      ["/%E0%A4%A", 400],
      ["/nope", 404],
    ];
    for (const [path, status] of cases) {
      await t.step(path, async () => {
        const { res, text } = await get(path, tr.root);
        assert.equal(res.status, status);
        assert.doesNotMatch(text, /secret/);
      });
    }
    await t.step("a symlink that stays inside is served", async () => {
      assert.equal((await get("/inside.txt", tr.root)).text, "abcdefghij");
    });
  } finally {
    await tr.cleanup();
  }
});

Deno.test("serveDir() ranges", async (t) => {
  const tr = await tree();
  try {
    await t.step("open-ended", async () => {
      const { res, text } = await get("/a.txt", tr.root, { range: "bytes=7-" });
      assert.equal(res.status, 206);
      assert.equal(text, "hij");
      assert.equal(res.headers.get("content-range"), "bytes 7-9/10");
    });
    await t.step("an end past the file is clipped", async () => {
      const { text } = await get("/a.txt", tr.root, { range: "bytes=8-100" });
      assert.equal(text, "ij");
    });
    await t.step("unsatisfiable", async () => {
      const { res } = await get("/a.txt", tr.root, { range: "bytes=10-" });
      assert.equal(res.status, 416);
    });
    await t.step("syntactically invalid or overlapping ranges are ignored", async () => {
      for (const range of ["bytes=5-2", "items=0-1", "bytes=0-5,3-8", "bytes=abc"]) {
        const { res, text } = await get("/a.txt", tr.root, { range });
        assert.equal(res.status, 200, range);
        assert.equal(text, "abcdefghij");
      }
    });
  } finally {
    await tr.cleanup();
  }
});

Deno.test("serveDir() folders: redirect, listing, urlRoot", async () => {
  const tr = await tree();
  try {
    const redirect = await get("/dir", tr.root);
    assert.equal(redirect.res.status, 301);
    assert.equal(redirect.res.headers.get("location"), "/dir/");
    const listing = await get("/dir/", tr.root);
    assert.match(listing.text, /<a href="b.css">b.css<\/a>/);
    assert.match(listing.text, /<a href="..\/">/);
    const prefixed = await serveDir(new Request("http://x/static/a.txt"), {
      root: tr.root,
      urlRoot: "static",
    });
    assert.equal(await prefixed.text(), "abcdefghij");
    const outside = await serveDir(new Request("http://x/a.txt"), {
      root: tr.root,
      urlRoot: "static",
    });
    assert.equal(outside.status, 404);
    await outside.body?.cancel();
    const noListing = await serveDir(new Request("http://x/dir/"), { root: tr.root });
    assert.equal(noListing.status, 404);
    await noListing.body?.cancel();
  } finally {
    await tr.cleanup();
  }
});

Deno.test("serveFile() honours If-Modified-Since and If-Range by date", async () => {
  const tr = await tree();
  try {
    const path = join(tr.root, "a.txt");
    const first = await serveFile(new Request("http://x/"), path);
    const modified = first.headers.get("last-modified")!;
    await first.body?.cancel();
    const notModified = await serveFile(
      new Request("http://x/", { headers: { "if-modified-since": modified } }),
      path,
    );
    assert.equal(notModified.status, 304);
    const ranged = await serveFile(
      new Request("http://x/", { headers: { range: "bytes=0-0", "if-range": modified } }),
      path,
    );
    assert.equal(ranged.status, 206);
    assert.equal(await ranged.text(), "a");
  } finally {
    await tr.cleanup();
  }
});
