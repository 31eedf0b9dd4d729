import assert from "node:assert/strict";
import { BufferedConn, type Transport } from "./buffered_conn.ts";

const enc = new TextEncoder();

/** A transport that returns `chunks` one per read and records writes. */
function fake(chunks: Uint8Array[], maxWrite = Infinity) {
  const writes: Uint8Array[] = [];
  let closed = 0;
  const t: Transport = {
    read(p) {
      const c = chunks.shift();
      if (!c) return Promise.resolve(null);
      p.set(c);
      return Promise.resolve(c.length);
    },
    write(p) {
      const n = Math.min(p.length, maxWrite);
      writes.push(p.slice(0, n));
      return Promise.resolve(n);
    },
    close() {
      closed++;
    },
  };
  return { t, writes, closed: () => closed };
}

Deno.test("BufferedConn hands out views that later reads do not overwrite", async () => {
  const { t } = fake([enc.encode("aaaa"), enc.encode("bbbb"), enc.encode("cccc")]);
  const conn = new BufferedConn(t, { bufferSize: 10, minFree: 4 });
  const a = await conn.read();
  const b = await conn.read();
  const c = await conn.read();
  assert.deepEqual([a, b, c].map((x) => new TextDecoder().decode(x!)), ["aaaa", "bbbb", "cccc"]);
  assert.equal(a!.buffer, b!.buffer); // same slab while it had room
  assert.notEqual(b!.buffer, c!.buffer); // a fresh slab once it had not
  assert.equal(conn.bytesRead, 12);
  assert.equal(await conn.read(), null);
  assert.equal(await conn.read(), null);
});

Deno.test("BufferedConn unread() puts bytes in front, readAhead() keeps a read for the next read()", async () => {
  const { t } = fake([enc.encode("xyz"), enc.encode("next")]);
  const conn = new BufferedConn(t);
  const first = await conn.read();
  conn.unread(first!.subarray(1));
  assert.ok(conn.hasPending);
  assert.equal(new TextDecoder().decode((await conn.readAhead())!), "yz");
  assert.equal(new TextDecoder().decode((await conn.read())!), "yz");
  const ahead = await conn.readAhead();
  assert.equal(new TextDecoder().decode(ahead!), "next");
  assert.equal(await conn.read(), ahead);
});

Deno.test("BufferedConn writeAll() loops over short writes; close() closes once", async () => {
  const f = fake([], 3);
  const conn = new BufferedConn(f.t);
  await conn.writeAll(enc.encode("0123456789"));
  assert.equal(f.writes.map((w) => new TextDecoder().decode(w)).join(""), "0123456789");
  assert.equal(f.writes.length, 4);
  conn.close();
  conn.close();
  assert.equal(f.closed(), 1);
  assert.ok(conn.closed);
});

Deno.test("BufferedConn readScratch() reuses one buffer; unread() copies views of it", async () => {
  const { t } = fake([enc.encode("first"), enc.encode("second")]);
  const conn = new BufferedConn(t, { bufferSize: 64 });
  const a = await conn.readScratch();
  assert.equal(new TextDecoder().decode(a!), "first");
  conn.unread(a!.subarray(2));
  const back = await conn.readScratch();
  assert.equal(new TextDecoder().decode(back!), "rst");
  const b = await conn.readScratch();
  assert.equal(b!.buffer, a!.buffer);
  assert.equal(new TextDecoder().decode(b!), "second");
  assert.equal(new TextDecoder().decode(back!), "rst"); // the copy survived the reuse
  assert.equal(await conn.readScratch(), null);
});
