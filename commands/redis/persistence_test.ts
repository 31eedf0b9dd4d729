import assert from "node:assert/strict";
import { join } from "node:path";
import { RespWriter } from "../../lib/resp/mod.ts";
import { latin1 } from "./bytes.ts";
import type { CommandContext } from "./command.ts";
import { commandTable } from "./command_table.ts";
import { Config } from "./config.ts";
import { execute } from "./dispatch.ts";
import { Persistence, PersistenceError } from "./persistence.ts";
import { ServerState } from "./server_state.ts";
import { Session } from "./session.ts";

const enc = new TextEncoder();

/** A server with persistence in `dir`, and a client that runs commands through the dispatcher. */
function server(dir: string, directives: Record<string, string> = {}) {
  const config = new Config();
  config.set("dir", dir);
  config.set("save", "");
  for (const [k, v] of Object.entries(directives)) config.set(k, v);
  const state = new ServerState({ config });
  state.commands = commandTable();
  const log: string[] = [];
  const persistence = new Persistence(state, { log: (l) => log.push(l), sliceMs: 0 });
  const out = new RespWriter();
  const session = new Session(1, "test", Date.now());
  const ctx: CommandContext = { db: state.dbs[0], server: state, session, out, now: 0 };
  const run = (...args: string[]): string => {
    out.reset();
    execute(ctx, args.map((a) => enc.encode(a)));
    persistence.beforeReply();
    return latin1(out.bytes());
  };
  return { state, persistence, run, log };
}

function dump(state: ServerState): string[] {
  const out: string[] = [];
  for (const db of state.dbs) {
    for (const key of [...db.keys()].sort()) {
      const v = db.get(key)!;
      const text = v.type === "string" ? latin1(v.value) : v.type;
      out.push(`${db.index}:${key}=${text}`);
    }
  }
  return out;
}

Deno.test("BGSAVE writes the dataset as it was when it started, while writes go on", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = server(dir);
    a.persistence.load();
    for (let i = 0; i < 5000; i++) a.run("SET", `k${i}`, `v${i}`);
    a.run("SELECT", "3");
    a.run("RPUSH", "list", "x", "y");
    a.run("SELECT", "0");
    const before = dump(a.state);
    assert.equal(a.persistence.bgsave(), "Background saving started");
    assert.match(a.run("BGSAVE"), /already in progress/);
    // Writes while it runs: overwrites, deletes, new keys, a key of another database.
    let turns = 0;
    while (a.persistence.snapshotting) {
      const i = turns++ * 7 % 5000;
      a.run("SET", `k${i}`, "changed");
      a.run("DEL", `k${(i + 1) % 5000}`);
      a.run("SET", `new${turns}`, "n");
      a.run("SELECT", "3");
      a.run("LPUSH", "list", "z");
      a.run("SELECT", "0");
      await new Promise((r) => setTimeout(r, 0));
    }
    await a.persistence.idle();
    assert.ok(turns > 1, "the snapshot took more than one turn");
    assert.match(a.run("INFO", "persistence"), /rdb_last_bgsave_status:ok/);
    const b = server(dir);
    b.persistence.load();
    assert.deepEqual(dump(b.state), before);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("FLUSHALL during BGSAVE completes the snapshot first", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = server(dir);
    a.persistence.load();
    for (let i = 0; i < 3000; i++) a.run("SET", `k${i}`, "v");
    a.persistence.bgsave();
    assert.equal(a.persistence.snapshotting, true);
    a.run("FLUSHALL");
    assert.equal(a.persistence.snapshotting, false);
    await a.persistence.idle();
    const b = server(dir);
    b.persistence.load();
    assert.equal(b.state.dbs[0].size(), 3000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the AOF replays writes, SELECTs and transactions, and logs absolute expiry", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = server(dir, { appendonly: "yes", appendfsync: "always" });
    assert.match(a.persistence.load()!, /Creating AOF base file/);
    a.run("SET", "s", "v", "EX", "100");
    a.run("INCR", "n");
    a.run("GET", "s"); // reads are not logged
    a.run("SETNX", "s", "other"); // changes nothing: not logged
    a.run("MULTI");
    a.run("INCR", "n");
    a.run("SELECT", "2");
    a.run("SADD", "set", "a", "b");
    a.run("EXEC");
    a.run("SPOP", "set");
    const before = dump(a.state);
    await a.persistence.close();
    const incr = await Deno.readTextFile(join(dir, "appendonlydir", "appendonly.aof.1.incr.aof"));
    assert.match(incr, /\$4\r\nPXAT\r\n\$13\r\n\d{13}\r\n/);
    assert.match(incr, /MULTI[\s\S]*SELECT[\s\S]*SADD[\s\S]*EXEC[\s\S]*SREM/);
    assert.doesNotMatch(incr, /GET|SETNX/);
    const b = server(dir, { appendonly: "yes" });
    assert.match(b.persistence.load()!, /DB loaded from append only file/);
    assert.deepEqual(dump(b.state), before);
    assert.equal(b.state.dbs[0].expireAt("s"), a.state.dbs[0].expireAt("s"));
    await b.persistence.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a torn last AOF command is cut off; a corrupt middle stops the load", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = server(dir, { appendonly: "yes" });
    a.persistence.load();
    a.run("SET", "a", "1");
    a.run("SET", "b", "2");
    await a.persistence.close();
    const path = join(dir, "appendonlydir", "appendonly.aof.1.incr.aof");
    const whole = await Deno.readFile(path);
    await Deno.writeFile(path, whole.subarray(0, whole.length - 3));
    const b = server(dir, { appendonly: "yes" });
    b.persistence.load();
    assert.deepEqual(dump(b.state), ["0:a=1"]);
    assert.ok(b.log.some((l) => /short read/.test(l)), b.log.join("\n"));
    await b.persistence.close();
    // Repaired: the file ends after the last whole command, and the next load is clean.
    const c = server(dir, { appendonly: "yes" });
    c.persistence.load();
    assert.equal(c.log.length, 0);
    await c.persistence.close();
    const good = await Deno.readFile(path);
    await Deno.writeFile(path, new Uint8Array([...good, ...enc.encode("garbage\r\n"), ...good]));
    const d = server(dir, { appendonly: "yes" });
    assert.throws(
      () => d.persistence.load(),
      (e) =>
        e instanceof PersistenceError &&
        /Bad file format reading the append only file/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("BGREWRITEAOF leaves a new base and incr that load to the same data", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = server(dir, { appendonly: "yes" });
    a.persistence.load();
    for (let i = 0; i < 2000; i++) a.run("INCR", `c${i % 10}`);
    assert.equal(a.persistence.bgrewriteaof(), "Background append only file rewriting started");
    a.run("SET", "during", "x");
    await a.persistence.idle();
    a.run("SET", "after", "y");
    const before = dump(a.state);
    await a.persistence.close();
    const files = [...Deno.readDirSync(join(dir, "appendonlydir"))].map((e) => e.name).sort();
    assert.deepEqual(files, [
      "appendonly.aof.2.base.rdb",
      "appendonly.aof.2.incr.aof",
      "appendonly.aof.manifest",
    ]);
    const b = server(dir, { appendonly: "yes" });
    b.persistence.load();
    assert.deepEqual(dump(b.state), before);
    await b.persistence.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("shutdown() saves with save points or SAVE, refuses when the save fails", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = server(dir);
    a.persistence.load();
    a.run("SET", "k", "v");
    assert.equal(a.persistence.shutdown("default"), true);
    assert.throws(() => Deno.statSync(join(dir, "dump.rdb")), Deno.errors.NotFound);
    assert.equal(a.persistence.shutdown("save"), true);
    Deno.statSync(join(dir, "dump.rdb"));
    const b = server(dir, { save: "3600 1" });
    b.persistence.load();
    b.state.config.set("dir", join(dir, "missing"));
    assert.equal(b.persistence.shutdown("default"), false);
    assert.equal(b.persistence.shutdown("nosave"), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a corrupt dump.rdb is an error and stays untouched", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "dump.rdb"), "REDIS0010garbage");
    const a = server(dir);
    assert.throws(() => a.persistence.load(), PersistenceError);
    assert.equal(await Deno.readTextFile(join(dir, "dump.rdb")), "REDIS0010garbage");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("FLUSHALL with save points writes the empty dataset, so a restart does not bring keys back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = server(dir, { save: "3600 1" });
    a.persistence.load();
    a.run("SET", "k", "v");
    assert.equal(a.run("SAVE"), "+OK\r\n");
    assert.equal(a.run("FLUSHALL"), "+OK\r\n");
    const b = server(dir, { save: "3600 1" });
    b.persistence.load();
    assert.deepEqual(dump(b.state), []);
    // Without save points FLUSHALL leaves the last dump alone, as Redis does.
    b.run("SET", "k", "v");
    assert.equal(b.run("SAVE"), "+OK\r\n");
    const c = server(dir);
    c.persistence.load();
    assert.equal(c.run("FLUSHALL"), "+OK\r\n");
    const d = server(dir);
    d.persistence.load();
    assert.deepEqual(dump(d.state), ["0:k=v"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CONFIG SET appendonly yes starts an AOF from the dataset; no stops it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = server(dir);
    a.persistence.load();
    a.run("SET", "before", "1");
    assert.equal(a.run("CONFIG", "SET", "appendonly", "yes"), "+OK\r\n");
    a.run("SET", "after", "2");
    a.run("INCR", "after");
    const b = server(dir, { appendonly: "yes" });
    b.persistence.load();
    assert.deepEqual(dump(b.state), ["0:after=3", "0:before=1"]);
    assert.equal(a.run("CONFIG", "SET", "appendonly", "no"), "+OK\r\n");
    a.run("SET", "unlogged", "x");
    const c = server(dir, { appendonly: "yes" });
    c.persistence.load();
    assert.deepEqual(dump(c.state), ["0:after=3", "0:before=1"]);
    // On again: a new base replaces the old files, and the later keys are in it.
    assert.equal(a.run("CONFIG", "SET", "appendonly", "yes"), "+OK\r\n");
    const d = server(dir, { appendonly: "yes" });
    d.persistence.load();
    assert.deepEqual(dump(d.state), ["0:after=3", "0:before=1", "0:unlogged=x"]);
    const files = [...Deno.readDirSync(join(dir, "appendonlydir"))].map((e) => e.name).sort();
    assert.deepEqual(files, [
      "appendonly.aof.2.base.rdb",
      "appendonly.aof.2.incr.aof",
      "appendonly.aof.manifest",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("BGREWRITEAOF with the AOF off writes a base that a start with appendonly yes loads", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = server(dir);
    a.persistence.load();
    a.run("SET", "k", "v");
    assert.equal(a.run("BGREWRITEAOF"), "+Background append only file rewriting started\r\n");
    const b = server(dir, { appendonly: "yes" });
    b.persistence.load();
    assert.deepEqual(dump(b.state), ["0:k=v"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
