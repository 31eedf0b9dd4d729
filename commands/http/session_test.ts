import assert from "node:assert/strict";
import { Session, SessionFileError, sessionPath } from "./session.ts";

Deno.test("sessionPath() keys sessions by host and port; a path is used as it is", () => {
  const opts = { dir: "/d", cwd: "/w" };
  assert.equal(
    sessionPath("s", new URL("http://a.example/"), opts),
    "/d/sessions/a.example/s.json",
  );
  assert.equal(sessionPath("s", new URL("http://[::1]:81/"), opts), "/d/sessions/___1__81/s.json");
  assert.equal(sessionPath("/tmp/x.json", new URL("http://a/"), opts), "/tmp/x.json");
  assert.equal(sessionPath("s.json", new URL("http://a/"), opts), "/w/s.json");
  assert.throws(() => sessionPath("a b", new URL("http://a/"), opts), SessionFileError);
});

Deno.test("Session.requestHeaders(): the command line wins over stored headers", () => {
  const s = new Session({ headers: [["X-Token", "old"], ["Accept", "a/b"], ["X-Keep", "1"]] });
  assert.deepEqual(s.requestHeaders([["x-token", "new"]], ["accept"]), [
    ["X-Keep", "1"],
    ["x-token", "new"],
  ]);
});

Deno.test("Session.updateHeaders() stores all but Content-*, If-* and Cookie; unset removes", () => {
  const s = new Session({ headers: [["X-Old", "1"], ["X-Replace", "a"]] });
  const cookies = s.updateHeaders([
    ["Content-Type", "text/plain"],
    ["If-None-Match", "x"],
    ["x-replace", "b"],
    ["X-Old", null],
    ["Cookie", "a=1; b = 2;bad"],
    ["X-New", "n"],
  ]);
  assert.deepEqual(s.headers, [["x-replace", "b"], ["X-New", "n"]]);
  assert.deepEqual(cookies, [["a", "1"], ["b", "2"]]);
});

Deno.test("Session.save() then load() round-trips headers, cookies and auth, mode 0600", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/deep/s.json`;
    const cookie = {
      name: "sid",
      value: "1",
      domain: "x",
      hostOnly: true,
      path: "/",
      expires: null,
      secure: false,
      httpOnly: true,
      sameSite: null,
      created: 5,
    };
    const s = new Session({
      headers: [["A", "1"]],
      cookies: [cookie],
      auth: { type: "basic", raw: "u:p" },
    });
    await s.save(path);
    const loaded = await Session.load(path);
    assert.deepEqual(loaded.toJSON(), s.toJSON());
    if (Deno.build.os !== "windows") assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.deepEqual((await Session.load(`${dir}/missing.json`)).toJSON(), {
      headers: [],
      cookies: [],
    });
    await Deno.writeTextFile(`${dir}/bad.json`, "{nope");
    await assert.rejects(() => Session.load(`${dir}/bad.json`), SessionFileError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
