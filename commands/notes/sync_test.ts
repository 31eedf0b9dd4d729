import assert from "node:assert/strict";
import { join } from "node:path";
import { SyncError, syncFolders, type SyncReport } from "./sync.ts";

const NOW = () => new Date("2025-03-04T05:06:07Z");
const T1 = new Date("2025-01-01T00:00:00Z");
const T2 = new Date("2025-02-01T00:00:00Z");

async function withFolders(fn: (local: string, remote: string) => Promise<void>): Promise<void> {
  const local = await Deno.makeTempDir({ prefix: "kit-sync-local-" });
  const remote = await Deno.makeTempDir({ prefix: "kit-sync-remote-" });
  try {
    await fn(local, remote);
  } finally {
    await Deno.remove(local, { recursive: true });
    await Deno.remove(remote, { recursive: true });
  }
}

async function write(dir: string, name: string, text: string, mtime = T1): Promise<void> {
  await Deno.writeTextFile(join(dir, name), text);
  await Deno.utime(join(dir, name), mtime, mtime);
}

function read(dir: string, name: string): Promise<string> {
  return Deno.readTextFile(join(dir, name));
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Every file in a folder (not recursive, no dot names) with its content. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && !entry.name.startsWith(".")) out[entry.name] = await read(dir, entry.name);
  }
  return out;
}

function changes(report: SyncReport) {
  return report.actions.filter((action) => action.kind !== "unchanged");
}

function sync(local: string, remote: string, dryRun = false): Promise<SyncReport> {
  return syncFolders(local, remote, { now: NOW, dryRun });
}

Deno.test("syncFolders() copies both ways on the first sync, keeping mtimes", async () => {
  await withFolders(async (local, remote) => {
    await write(local, "a.md", "A");
    await write(remote, "b.md", "B", T2);
    await write(remote, "skip.txt", "not a note");
    await write(remote, ".hidden.md", "hidden");
    await Deno.mkdir(join(remote, "sub"));
    await write(join(remote, "sub"), "deep.md", "deep");

    const report = await sync(local, remote);
    assert.deepEqual(report.actions, [
      { name: "a.md", kind: "copy-to-remote" },
      { name: "b.md", kind: "copy-to-local" },
    ]);
    assert.deepEqual(await snapshot(local), { "a.md": "A", "b.md": "B" });
    assert.equal(await read(remote, "a.md"), "A");
    assert.equal((await Deno.stat(join(local, "b.md"))).mtime?.getTime(), T2.getTime());
    assert.equal((await Deno.stat(join(remote, "a.md"))).mtime?.getTime(), T1.getTime());
    assert.ok(!(await exists(join(local, "sub"))));
  });
});

Deno.test("syncFolders() does nothing on a second sync", async () => {
  await withFolders(async (local, remote) => {
    await write(local, "a.md", "A");
    await write(remote, "b.md", "B");
    await sync(local, remote);
    const report = await sync(local, remote);
    assert.deepEqual(report.actions, [
      { name: "a.md", kind: "unchanged" },
      { name: "b.md", kind: "unchanged" },
    ]);
  });
});

Deno.test("syncFolders() records the base in both folders", async () => {
  await withFolders(async (local, remote) => {
    await write(local, "a.md", "A");
    await sync(local, remote);
    for (const dir of [local, remote]) {
      const states = [...Deno.readDirSync(join(dir, ".kit", "sync"))];
      assert.equal(states.length, 1);
      const state = JSON.parse(await Deno.readTextFile(join(dir, ".kit", "sync", states[0].name)));
      assert.deepEqual(Object.keys(state.files), ["a.md"]);
      assert.match(state.files["a.md"], /^[0-9a-f]{64}$/);
    }
  });
});

Deno.test("syncFolders() propagates an edit from either side", async () => {
  await withFolders(async (local, remote) => {
    await write(local, "a.md", "A");
    await write(local, "b.md", "B");
    await sync(local, remote);

    await write(local, "a.md", "A2", T2);
    await write(remote, "b.md", "B2", T2);
    const report = await sync(local, remote);
    assert.deepEqual(changes(report), [
      { name: "a.md", kind: "copy-to-remote" },
      { name: "b.md", kind: "copy-to-local" },
    ]);
    assert.deepEqual(await snapshot(local), { "a.md": "A2", "b.md": "B2" });
    assert.deepEqual(await snapshot(remote), { "a.md": "A2", "b.md": "B2" });
    assert.deepEqual(changes(await sync(local, remote)), []);
  });
});

Deno.test("syncFolders() keeps both versions of a file edited on both sides", async () => {
  await withFolders(async (local, remote) => {
    await write(local, "idea.md", "base");
    await sync(local, remote);

    await write(local, "idea.md", "local edit", T1);
    await write(remote, "idea.md", "remote edit", T2);
    // A file already holding the first conflict name pushes the new one to "-2".
    await write(local, "idea.conflict-2025-03-04.md", "older conflict");
    const report = await sync(local, remote);
    assert.deepEqual(changes(report), [
      { name: "idea.conflict-2025-03-04.md", kind: "copy-to-remote" },
      { name: "idea.md", kind: "conflict", conflictName: "idea.conflict-2025-03-04-2.md" },
    ]);
    const expected = {
      "idea.md": "remote edit",
      "idea.conflict-2025-03-04.md": "older conflict",
      "idea.conflict-2025-03-04-2.md": "local edit",
    };
    assert.deepEqual(await snapshot(local), expected);
    assert.deepEqual(await snapshot(remote), expected);
    assert.deepEqual(changes(await sync(local, remote)), []);
  });
});

Deno.test("syncFolders() treats differing files without a base as a conflict", async () => {
  await withFolders(async (local, remote) => {
    await write(local, "a.md", "newer", T2);
    await write(remote, "a.md", "older", T1);
    const report = await sync(local, remote);
    assert.deepEqual(changes(report), [
      { name: "a.md", kind: "conflict", conflictName: "a.conflict-2025-03-04.md" },
    ]);
    const expected = { "a.md": "newer", "a.conflict-2025-03-04.md": "older" };
    assert.deepEqual(await snapshot(local), expected);
    assert.deepEqual(await snapshot(remote), expected);
  });
});

Deno.test("syncFolders() moves a file deleted on one side to the other side's trash", async () => {
  await withFolders(async (local, remote) => {
    await write(local, "a.md", "A");
    await write(local, "b.md", "B");
    await sync(local, remote);

    await Deno.remove(join(remote, "a.md"));
    await Deno.remove(join(local, "b.md"));
    const report = await sync(local, remote);
    assert.deepEqual(changes(report), [
      { name: "a.md", kind: "delete-local" },
      { name: "b.md", kind: "delete-remote" },
    ]);
    assert.deepEqual(await snapshot(local), {});
    assert.deepEqual(await snapshot(remote), {});
    assert.equal(await read(join(local, ".trash"), "a.md"), "A");
    assert.equal(await read(join(remote, ".trash"), "b.md"), "B");
    assert.deepEqual(changes(await sync(local, remote)), []);
  });
});

Deno.test("syncFolders() keeps an older trashed file when trashing the same name", async () => {
  await withFolders(async (local, remote) => {
    await write(local, "a.md", "A");
    await sync(local, remote);
    await Deno.mkdir(join(local, ".trash"));
    await write(join(local, ".trash"), "a.md", "old A");
    await Deno.remove(join(remote, "a.md"));
    await sync(local, remote);
    assert.deepEqual(await snapshot(join(local, ".trash")), { "a.md": "old A", "a-2.md": "A" });
  });
});

Deno.test("syncFolders() lets an edit beat a delete", async () => {
  await withFolders(async (local, remote) => {
    await write(local, "a.md", "A");
    await sync(local, remote);

    await Deno.remove(join(remote, "a.md"));
    await write(local, "a.md", "A edited", T2);
    const report = await sync(local, remote);
    assert.deepEqual(changes(report), [{ name: "a.md", kind: "copy-to-remote" }]);
    assert.equal(await read(remote, "a.md"), "A edited");
    assert.ok(!(await exists(join(local, ".trash"))));
  });
});

Deno.test("syncFolders() with dryRun reports the actions and changes nothing", async () => {
  await withFolders(async (local, remote) => {
    await write(local, "a.md", "A");
    await write(remote, "b.md", "B");
    const report = await sync(local, remote, true);
    assert.deepEqual(changes(report), [
      { name: "a.md", kind: "copy-to-remote" },
      { name: "b.md", kind: "copy-to-local" },
    ]);
    assert.deepEqual([...Deno.readDirSync(local)].map((e) => e.name), ["a.md"]);
    assert.deepEqual([...Deno.readDirSync(remote)].map((e) => e.name), ["b.md"]);
  });
});

Deno.test("syncFolders() refuses the same folder twice and a missing folder", async () => {
  await withFolders(async (local, remote) => {
    await assert.rejects(syncFolders(local, join(local, ".")), (error: Error) => {
      assert.ok(error instanceof SyncError);
      assert.equal(error.name, "SyncError");
      assert.match(error.message, /^Cannot sync: ".*" and ".*" are the same folder$/);
      return true;
    });
    const link = join(remote, "link");
    await Deno.symlink(local, link);
    await assert.rejects(syncFolders(link, local), /are the same folder/);
    const missing = join(remote, "missing");
    await assert.rejects(syncFolders(local, missing), {
      name: "SyncError",
      message: `Cannot sync: "${missing}" is not a folder`,
    });
    await write(remote, "file.md", "x");
    await assert.rejects(syncFolders(join(remote, "file.md"), local), SyncError);
  });
});

Deno.test("syncFolders() refuses to copy over a folder named like a note", async () => {
  await withFolders(async (local, remote) => {
    await write(local, "a.md", "A");
    await Deno.mkdir(join(remote, "a.md"));
    await assert.rejects(sync(local, remote), SyncError);
    assert.equal(await read(local, "a.md"), "A");
  });
});
