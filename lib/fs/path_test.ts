import assert from "node:assert/strict";
import * as node from "node:path";
import { basename, dirname, extname, join, normalize, resolve } from "./path.ts";

const posix = Deno.build.os !== "windows";

Deno.test({
  name: "path functions agree with node:path on POSIX",
  ignore: !posix,
  fn: async (t) => {
    const cases = [
      "/",
      "/a",
      "/a/",
      "a",
      "a/b",
      "./a",
      "../a",
      "/a/../..",
      "a/../..",
      "/a//b/./c/",
      "",
      ".",
      "..",
      "/x.md",
      "notes/x.tar.gz",
      ".hidden",
      "a/.kit/",
      "/a/b/../../c",
    ];
    for (const p of cases) {
      await t.step(JSON.stringify(p), () => {
        assert.equal(normalize(p), node.normalize(p).replace(/(.)\/$/, "$1"), "normalize");
        assert.equal(dirname(p), node.dirname(p), "dirname");
        assert.equal(basename(p), node.basename(p), "basename");
        assert.equal(extname(p), node.extname(p), "extname");
        assert.equal(join(p, "b"), node.join(p, "b"), "join");
        assert.equal(resolve("/base", p), node.resolve("/base", p), "resolve");
      });
    }
    assert.equal(basename("/n/x.md", ".md"), "x");
    assert.equal(resolve("rel"), node.resolve("rel"));
  },
});
