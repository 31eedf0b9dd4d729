/**
 * `kit grep` with the parallel walker forced on (`KIT_GREP_WALK=parallel` and `-j3`, given to
 * rg too): the workers list folders, apply the ignore rules, search and send each file's output
 * back whole. Output order is free, so stdout is compared with rg's as sorted lines, beside the
 * exit code and whether stderr is empty; one test checks that no file's lines interleave with
 * another's.
 */

import assert from "node:assert/strict";
import {
  type Case,
  compareTable,
  type GrepWorld,
  inWorld,
  jsonWithoutElapsed,
} from "./_grep_util.ts";

/** Forces the walk onto the workers for both programs' environment (rg ignores it). */
const PARALLEL = { env: { KIT_GREP_WALK: "parallel" } };
const J = ["-j3"];

/** Cases compared as sorted lines with the parallel walk forced on. */
function parallelCases(cases: Case[]): Case[] {
  return cases.map((c) => ({ sortLines: true, ...PARALLEL, ...c, args: [...J, ...c.args] }));
}

/** A repository with nested ignore files of every kind, hidden files and several types. */
async function ignoreTree(w: GrepWorld): Promise<void> {
  await w.gitInit("r");
  await w.write({
    "r/.gitignore": "*.log\n/anchored.txt\nbuild/\n!keep.log\n",
    "r/.ignore": "secret*\n",
    "r/.rgignore": "!secret-ok\n",
    "r/.git/info/exclude": "excluded.txt\n",
    "~/.config/git/ignore": "global.txt\n",
    "r/a.txt": "needle a\n",
    "r/anchored.txt": "needle anchored\n",
    "r/keep.log": "needle keep\n",
    "r/drop.log": "needle drop\n",
    "r/secret-1": "needle secret\n",
    "r/secret-ok": "needle secret ok\n",
    "r/excluded.txt": "needle excluded\n",
    "r/global.txt": "needle global\n",
    "r/.hidden.txt": "needle hidden\n",
    "r/.dot/x.txt": "needle in dot folder\n",
    "r/build/out.txt": "needle build\n",
    "r/src/build": "needle: a file named build, not a folder\n",
    "r/src/anchored.txt": "needle not anchored here\n",
    "r/src/.gitignore": "*.ts\n!main.ts\n",
    "r/src/main.ts": "needle main\nneedle two\n",
    "r/src/util.ts": "needle util\n",
    "r/src/lib.rs": "fn needle() {}\n",
    "r/src/deep/er/x.ts": "needle deep ts\n",
    "r/src/deep/er/y.rs": "needle deep rs\n",
    "r/src/deep/.ignore": "y.*\n",
    "r/src/deep/er/big.txt": "needle " + "x".repeat(200) + "\n",
    "r/docs/README.MD": "needle readme\n",
    "r/nested/.gitignore": "!*.log\n",
    "r/nested/drop.log": "needle nested log\n",
    "r/nested/sub/z.log": "needle z\n",
  });
  await w.gitInit("r/nested");
}

Deno.test("grep parallel walk: the ignore rules as rg applies them", async (t) => {
  await inWorld(async (w) => {
    await ignoreTree(w);
    const R = { cwd: "r" };
    const cases: Case[] = [
      { args: ["needle"], ...R },
      { args: ["-n", "needle"], ...R },
      { args: ["--files"], ...R },
      { args: ["--files", "--hidden"], ...R },
      { args: ["-c", "needle"], ...R },
      { args: ["-l", "needle"], ...R },
      { args: ["--files-without-match", "secret"], ...R },
      { args: ["--hidden", "needle"], ...R },
      { args: ["-g", "*.ts", "needle"], ...R },
      { args: ["-g", "!src/**", "needle"], ...R },
      { args: ["-g", "*.log", "--files"], ...R, name: "-g includes past .gitignore" },
      { args: ["--iglob", "*.md", "needle"], ...R },
      { args: ["-t", "ts", "needle"], ...R },
      { args: ["-T", "ts", "-T", "rust", "needle"], ...R },
      { args: ["--type-add", "mine:*.rs", "-t", "mine", "needle"], ...R },
      { args: ["--max-depth", "1", "needle"], ...R },
      { args: ["--max-depth", "3", "--files"], ...R },
      { args: ["--max-filesize", "100", "needle"], ...R },
      { args: ["--no-ignore", "needle"], ...R },
      { args: ["-u", "needle"], ...R },
      { args: ["-uu", "needle"], ...R },
      { args: ["--no-ignore-vcs", "needle"], ...R },
      { args: ["--no-ignore-dot", "needle"], ...R },
      { args: ["--no-ignore-exclude", "--no-ignore-global", "needle"], ...R },
      { args: ["--no-ignore-parent", "needle"], cwd: "r/src" },
      { args: ["needle", "src", "a.txt", "docs"], ...R, name: "folders and a named file" },
      { args: ["needle"], cwd: "r/src/deep", name: "parent folders' ignore files apply" },
      { args: ["--files", "r"], name: "a relative root" },
      { args: ["zzz-no-match"], ...R },
    ];
    await compareTable(t, w, parallelCases(cases));
  });
});

Deno.test("grep parallel walk: --json messages and summary counts", async (t) => {
  await inWorld(async (w) => {
    await ignoreTree(w);
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`many/d${i % 5}/f${i}.txt`] = `a\nneedle ${i}\nb\n`;
    files["many/none.txt"] = "nothing here\n";
    await w.write(files);
    const normalize = jsonWithoutElapsed;
    await compareTable(
      t,
      w,
      parallelCases([
        { args: ["--json", "needle"], cwd: "r", normalize },
        { args: ["--json", "needle"], cwd: "many", normalize },
        { args: ["--json", "zzz"], cwd: "many", normalize },
        { args: ["--stats", "-c", "needle"], cwd: "many", normalize: withoutStatTimes },
      ]),
    );
  });
});

/** Drops the timing lines of --stats. */
function withoutStatTimes(stdout: string): string {
  return stdout.split("\n").filter((l) => !/seconds/.test(l)).join("\n");
}

Deno.test({
  name: "grep parallel walk: -L with a symlink loop warns once and lists the rest",
  ignore: Deno.build.os === "windows",
}, async (t) => {
  await inWorld(async (w) => {
    await w.write({
      "t/real/f.txt": "needle\n",
      "t/real/sub/g.txt": "needle\n",
      "t/small.txt": "needle\n",
      "outside/o.txt": "needle\n",
    });
    await Deno.symlink("real/f.txt", w.path("t/link.txt"));
    await Deno.symlink("../outside", w.path("t/outlink"));
    await Deno.symlink("..", w.path("t/real/sub/loop"));
    await Deno.symlink("nowhere", w.path("t/broken"));
    const T = { cwd: "t" };
    await compareTable(
      t,
      w,
      parallelCases([
        { args: ["--files"], ...T },
        { args: ["--files", "-L"], ...T },
        { args: ["-L", "needle"], ...T },
        { args: ["-c", "-L", "needle"], ...T },
      ]),
    );
    const r = await w.kit([...J, "-L", "--files"], { ...T, ...PARALLEL });
    assert.equal(r.stderr.split("\n").filter((l) => l.includes("ancestor")).length, 1, r.stderr);
  });
});

Deno.test({
  name: "grep parallel walk: an unreadable folder warns, the rest is searched, exit 2",
  ignore: Deno.build.os === "windows",
}, async (t) => {
  await inWorld(async (w) => {
    await w.write({
      "u/a.txt": "needle\n",
      "u/locked/b.txt": "needle\n",
      "u/ok/c.txt": "needle\n",
    });
    await Deno.chmod(w.path("u/locked"), 0o000);
    try {
      // The setup holds: the peer cannot read the folder either (exit 2).
      assert.equal((await w.rg(["needle"], { cwd: "u", obeyPermissions: true })).code, 2);
      await compareTable(
        t,
        w,
        parallelCases([
          { args: ["needle"], cwd: "u", obeyPermissions: true },
          { args: ["--files"], cwd: "u", obeyPermissions: true },
        ]),
      );
    } finally {
      await Deno.chmod(w.path("u/locked"), 0o755);
    }
  });
});

Deno.test("grep parallel walk: one file's lines never interleave with another's", async () => {
  await inWorld(async (w) => {
    const files: Record<string, string> = {};
    const lines = (i: number) =>
      Array.from({ length: 400 }, (_, n) => `needle file ${i} line ${n}`).join("\n") + "\n";
    for (let i = 0; i < 60; i++) files[`m/d${i % 7}/e${i % 3}/f${i}.txt`] = lines(i);
    await w.write(files);
    const args = [...J, "--heading", "-n", "needle"];
    const [kit, rg] = await Promise.all([
      w.kit(args, { cwd: "m", ...PARALLEL, env: { KIT_GREP_WALK: "parallel", KIT_DEBUG: "1" } }),
      w.rg(args, { cwd: "m" }),
    ]);
    assert.equal(kit.code, 0, kit.stderr);
    assert.match(kit.stderr, /walk on 3 workers/, "the parallel walk ran");
    const sorted = (s: string) => s.split("\n").sort().join("\n");
    assert.equal(sorted(kit.stdout), sorted(rg.stdout));
    // Under --heading each file is a block: its path, then its lines, then a blank line.
    const blocks = kit.stdout.trimEnd().split("\n\n");
    assert.equal(blocks.length, 60);
    const seen = new Set<string>();
    for (const block of blocks) {
      const [path, ...rest] = block.split("\n");
      const i = Number(path.match(/f(\d+)\.txt$/)![1]);
      assert.ok(!seen.has(path), `${path} printed twice`);
      seen.add(path);
      const want = lines(i).trimEnd().split("\n").map((l, n) => `${n + 1}:${l}`);
      assert.deepEqual(rest, want, `${path}'s block holds its own lines, whole and in order`);
    }
  });
});

Deno.test("grep parallel walk: -j below 3 keeps the walk on the main thread unless forced", async () => {
  await inWorld(async (w) => {
    await w.write({ "a/x.txt": "needle\n" });
    const debug = { cwd: "a", env: { KIT_DEBUG: "1" } };
    const two = await w.kit(["-j2", "needle"], debug);
    assert.match(two.stderr, /walk on the main thread/);
    const three = await w.kit(["-j3", "needle"], debug);
    assert.match(three.stderr, /walk on 3 workers/);
    const sorted = await w.kit(["-j3", "--sort", "path", "needle"], debug);
    assert.match(sorted.stderr, /walk on the main thread/, "--sort path stays sequential");
    const forced = await w.kit(["-j1", "needle"], {
      ...debug,
      env: { KIT_DEBUG: "1", KIT_GREP_WALK: "parallel" },
    });
    assert.match(forced.stderr, /walk on 1 workers/);
    assert.equal(forced.stdout, "x.txt:needle\n");
    const off = await w.kit(["-j4", "needle"], {
      ...debug,
      env: { KIT_DEBUG: "1", KIT_GREP_WALK: "sequential" },
    });
    assert.match(off.stderr, /walk on the main thread/);
  });
});
