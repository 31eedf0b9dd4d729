import assert from "node:assert/strict";
import { withTree } from "./_test_util.ts";
import { Overrides } from "./ignore.ts";
import { type WalkError, type WalkOptions, walkSync } from "./walk.ts";
import {
  coordinateWalk,
  type DirTask,
  DirWalker,
  rootTask,
  walkParallel,
  type WalkReply,
  type WalkSpec,
  WalkWorker,
} from "./walk_parallel.ts";

/** walkSync's files and error messages, both sorted: the reference. */
function reference(root: string, spec: WalkSpec): { files: string[]; errors: string[] } {
  const errors: string[] = [];
  const { overrides, ...rest } = spec;
  const options: WalkOptions = {
    ...rest,
    overrides: overrides && new Overrides(overrides.globs, overrides.options),
    onError: (e) => errors.push(e.message),
  };
  const files = [...walkSync(root, options)].map((e) => e.path).sort();
  return { files, errors: errors.sort() };
}

/**
 * Walks the tree task by task, each task on a fresh DirWalker (as if every folder went to
 * another worker, so nothing is cached), taking tasks from the queue's front or back.
 */
function byTasks(root: string, spec: WalkSpec, lifo: boolean) {
  const errors: string[] = [];
  const files: string[] = [];
  // The walk-wide files are reported by the coordinator; the walkers read them quietly.
  new DirWalker([root], spec, { onError: (e) => errors.push(e.message) });
  const queue: DirTask[] = [rootTask(0, root, spec.followLinks)];
  while (queue.length) {
    const task = lifo ? queue.pop()! : queue.shift()!;
    const walker = new DirWalker([root], spec, { onError: (e) => errors.push(e.message) });
    const visit = walker.visit(task);
    files.push(...visit.files.map((f) => f.path));
    queue.push(...visit.dirs);
  }
  return { files: files.sort(), errors: errors.sort() };
}

const TREE = {
  ".git/": "",
  ".gitignore": "*.log\n/anchored.txt\nbuild/\n!keep.log\n",
  ".ignore": "secret*\n",
  ".rgignore": "!secret-ok\n",
  "a.txt": "",
  "anchored.txt": "",
  "keep.log": "",
  "drop.log": "",
  "secret-1": "",
  "secret-ok": "",
  ".hidden": "",
  ".dotdir/x.txt": "",
  "build/out.txt": "",
  "src/build": "a file named build: dir-only rule leaves it",
  "src/anchored.txt": "",
  "src/.gitignore": "*.ts\n!main.ts\n",
  "src/main.ts": "",
  "src/util.ts": "",
  "src/deep/er/x.ts": "",
  "src/deep/er/y.rs": "",
  "src/deep/.ignore": "y.*\n",
  "src/deep/er/big.txt": "0123456789",
  "nested/.git/": "",
  "nested/drop.log": "",
  "nested/.gitignore": "!*.log\n",
  "nested/sub/z.log": "",
};

const SPECS: [string, WalkSpec][] = [
  ["defaults", {}],
  ["hidden", { hidden: true }],
  ["no git rules", { gitIgnore: false, gitExclude: false }],
  ["no .ignore", { dotIgnore: false, ignoreFileNames: [".rgignore"], customIgnore: true }],
  ["custom names", { ignoreFileNames: [".rgignore"] }],
  ["maxDepth 2", { maxDepth: 2 }],
  ["maxFilesize", { maxFilesize: 5 }],
  ["no requireGit", { requireGit: false }],
  ["globs", { overrides: { globs: ["*.ts", "!util.ts", "*.log"] } }],
  ["iglob", { overrides: { globs: [{ glob: "*.TXT", caseInsensitive: true }] } }],
];

Deno.test("DirWalker gives walkSync's files and errors whichever walker takes each folder", async (t) => {
  await withTree(TREE, async (dir) => {
    for (const [name, spec] of SPECS) {
      const full: WalkSpec = { gitGlobal: false, ...spec };
      await t.step(name, () => {
        const want = reference(dir, full);
        assert.deepEqual(byTasks(dir, full, true), want);
        assert.deepEqual(byTasks(dir, full, false), want);
      });
    }
  });
});

Deno.test("DirWalker reports a bad ignore line once: only the walker that lists its folder", async () => {
  await withTree({ "a/.ignore": "[x\n*.tmp\n", "a/b/c.tmp": "", "a/b/d": "" }, (dir) => {
    const spec = { gitGlobal: false };
    assert.deepEqual(byTasks(dir, spec, false), reference(dir, spec));
    assert.equal(byTasks(dir, spec, false).errors.length, 1);
    assert.deepEqual(byTasks(dir, spec, false).files, [`${dir}/a/b/d`]);
  });
});

Deno.test({
  name: "DirWalker follows links with -L and reports loops and broken links as walkSync does",
  ignore: Deno.build.os === "windows",
}, async () => {
  await withTree({ "real/f": "", "file": "", "real/deeper/g": "" }, async (dir) => {
    await Deno.symlink(`${dir}/real`, `${dir}/dirlink`);
    await Deno.symlink(`${dir}/file`, `${dir}/filelink`);
    await Deno.symlink(`${dir}/nowhere`, `${dir}/broken`);
    await Deno.symlink(dir, `${dir}/real/up`);
    await Deno.symlink(`${dir}/real`, `${dir}/real/deeper/back`);
    for (const followLinks of [false, true]) {
      const spec = { gitGlobal: false, followLinks };
      const want = reference(dir, spec);
      assert.deepEqual(byTasks(dir, spec, true), want);
      assert.deepEqual(byTasks(dir, spec, false), want);
    }
    assert.ok(reference(dir, { followLinks: true }).errors.some((e) => e.includes("ancestor")));
  });
});

Deno.test("WalkWorker gives the bottom half of its stack to a hungry worker, once", async () => {
  const files: Record<string, string> = {};
  for (const d of ["a", "b", "c", "d"]) files[`${d}/x/f`] = "";
  await withTree(files, async (dir) => {
    const posted: WalkReply[] = [];
    const found: string[] = [];
    const hungry = new SharedArrayBuffer(4);
    new Int32Array(hungry)[0] = 1;
    const worker = new WalkWorker({
      file: (entry) => void found.push(entry.path),
      flush: () => {},
    }, { post: (m) => posted.push(m) });
    await worker.receive({ type: "walk-start", roots: [dir], spec: { gitGlobal: false }, hungry });
    await worker.receive({ type: "walk-tasks", tasks: [rootTask(0, dir)] });
    const shares = posted.filter((m) => m.type === "walk-share");
    assert.equal(shares.length, 1, "one hungry worker draws one share");
    assert.equal(new Int32Array(hungry)[0], 0);
    const shared = shares[0].type === "walk-share" ? shares[0].tasks : [];
    // After the root: four folders stacked; the two nearest the bottom went.
    assert.equal(shared.length, 2);
    assert.ok(shared.every((task) => task.depth === 2));
    assert.equal(posted.at(-1)?.type, "walk-idle");
    // What was shared plus what was kept is the whole tree.
    const rest = byTasksFrom(dir, shared);
    assert.deepEqual(
      [...found, ...rest].sort(),
      Object.keys(files).map((f) => `${dir}/${f}`).sort(),
    );
  });
});

function byTasksFrom(root: string, tasks: DirTask[]): string[] {
  const walker = new DirWalker([root], { gitGlobal: false });
  const out: string[] = [];
  const queue = [...tasks];
  while (queue.length) {
    const visit = walker.visit(queue.pop()!);
    out.push(...visit.files.map((f) => f.path));
    queue.push(...visit.dirs);
  }
  return out;
}

Deno.test("walkParallel() yields walkSync's files on several threads, and named files as is", async (t) => {
  await withTree(TREE, async (dir) => {
    for (const [name, spec] of SPECS) {
      await t.step(name, async () => {
        const full: WalkSpec = { gitGlobal: false, ...spec };
        const errors: WalkError[] = [];
        const found: string[] = [];
        for await (
          const e of walkParallel([dir], {
            ...full,
            threads: 3,
            onError: (e) => errors.push(e),
          })
        ) {
          found.push(e.path);
        }
        assert.deepEqual(
          { files: found.sort(), errors: errors.map((e) => e.message).sort() },
          reference(dir, full),
        );
      });
    }
    const found: string[] = [];
    for await (
      const e of walkParallel([`${dir}/a.txt`, `${dir}/src`], { threads: 2, gitGlobal: false })
    ) {
      found.push(e.path);
    }
    const src = reference(`${dir}/src`, { gitGlobal: false }).files;
    assert.deepEqual(found.sort(), [`${dir}/a.txt`, ...src]);
    assert.ok(src.includes(`${dir}/src/main.ts`) && !src.includes(`${dir}/src/util.ts`));
  });
});

Deno.test("walkParallel() reports a missing root and an unreadable folder, and goes on", async () => {
  await withTree({ "ok/a": "", "locked/b": "" }, async (dir) => {
    const locked = Deno.build.os !== "windows" && Deno.uid() !== 0;
    if (locked) await Deno.chmod(`${dir}/locked`, 0o000);
    try {
      const errors: string[] = [];
      const found: string[] = [];
      const walk = walkParallel([`${dir}/missing`, dir], {
        threads: 2,
        gitGlobal: false,
        onError: (e) => errors.push(e.message),
      });
      for await (const e of walk) found.push(e.path);
      assert.deepEqual(found.sort(), locked ? [`${dir}/ok/a`] : [`${dir}/locked/b`, `${dir}/ok/a`]);
      assert.equal(errors[0], `Cannot read "${dir}/missing": no such file or directory`);
      if (locked) {
        assert.deepEqual(errors.slice(1), [
          `Cannot list the folder "${dir}/locked": permission denied`,
        ]);
      }
    } finally {
      await Deno.chmod(`${dir}/locked`, 0o755);
    }
  });
});

Deno.test("coordinateWalk() finishes at once with nothing to walk", async () => {
  const worker = new Worker(new URL("./walk_worker.ts", import.meta.url).href, { type: "module" });
  try {
    const got: unknown[] = [];
    for await (const m of coordinateWalk(worker ? [worker] : [], [], {})) got.push(m);
    for await (const m of coordinateWalk([worker], ["."], { maxDepth: 0 })) got.push(m);
    assert.deepEqual(got, []);
    await assert.rejects(
      async () => {
        for await (const _ of coordinateWalk([], ["."], {})) { /* none */ }
      },
      RangeError,
    );
  } finally {
    worker.terminate();
  }
});
