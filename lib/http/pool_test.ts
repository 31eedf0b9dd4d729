import assert from "node:assert/strict";
import { ConnectionPool } from "./pool.ts";
import { HttpConnection } from "./connection.ts";
import { BufferedConn, type Transport } from "./buffered_conn.ts";

/** A connection whose reads wait until the test ends them (EOF) or it is closed. */
function connection(key: string) {
  let endRead: ((n: number | null) => void) | null = null;
  let closed = false;
  const t: Transport = {
    read: () => new Promise((resolve) => endRead = resolve),
    write: (p) => Promise.resolve(p.length),
    close() {
      closed = true;
      endRead?.(null);
    },
  };
  return {
    conn: new HttpConnection(new BufferedConn(t), key),
    peerCloses: () => endRead?.(null),
    closed: () => closed,
  };
}

const KEY = "http://a:80";

Deno.test("ConnectionPool reuses a released connection, newest first", async () => {
  const pool = new ConnectionPool();
  const one = connection(KEY);
  const two = connection(KEY);
  assert.equal((await pool.acquire(KEY)).reused, false);
  assert.equal((await pool.acquire(KEY)).reused, false);
  pool.release(one.conn);
  pool.release(two.conn);
  assert.equal(pool.idleCount(KEY), 2);
  const lease = await pool.acquire(KEY);
  assert.ok(lease.reused);
  assert.equal(lease.connection, two.conn);
  pool.close();
  assert.ok(one.closed());
  two.conn.close();
});

Deno.test("ConnectionPool makes callers wait at the per-host cap", async () => {
  const pool = new ConnectionPool({ maxPerHost: 1 });
  await pool.acquire(KEY);
  let got = false;
  const waiting = pool.acquire(KEY).then((lease) => {
    got = true;
    return lease;
  });
  await Promise.resolve();
  assert.equal(got, false);
  const c = connection(KEY);
  pool.release(c.conn);
  const lease = await waiting;
  assert.ok(lease.reused);
  // Other hosts are not held up.
  assert.equal((await pool.acquire("http://b:80")).reused, false);
  pool.discard("http://b:80");
  c.conn.close();
  pool.discard(KEY);
  pool.close();
});

Deno.test("ConnectionPool stops a waiter on abort", async () => {
  const pool = new ConnectionPool({ maxPerHost: 1 });
  await pool.acquire(KEY);
  const controller = new AbortController();
  const waiting = pool.acquire(KEY, controller.signal);
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, /stop/);
  pool.close();
});

Deno.test("ConnectionPool drops an idle connection the server closed", async () => {
  const pool = new ConnectionPool();
  await pool.acquire(KEY);
  const c = connection(KEY);
  pool.release(c.conn);
  assert.equal(pool.idleCount(KEY), 1);
  c.peerCloses();
  await c.conn.io.readAhead();
  await Promise.resolve();
  assert.equal(pool.idleCount(KEY), 0);
  assert.ok(c.closed());
  assert.equal((await pool.acquire(KEY)).reused, false);
  pool.close();
});

Deno.test("ConnectionPool evicts connections idle past the timeout (injected clock)", async () => {
  let now = 0;
  const pool = new ConnectionPool({ idleTimeout: 1000, now: () => now });
  await pool.acquire(KEY);
  const c = connection(KEY);
  pool.release(c.conn);
  now = 999;
  const lease = await pool.acquire(KEY);
  assert.ok(lease.reused);
  pool.release(c.conn);
  now = 2000;
  assert.equal((await pool.acquire(KEY)).reused, false);
  assert.ok(c.closed());
  pool.close();
});

Deno.test("ConnectionPool closes a connection released with unread bytes or after close()", async () => {
  const pool = new ConnectionPool();
  await pool.acquire(KEY);
  const c = connection(KEY);
  c.conn.io.unread(new Uint8Array([1]));
  pool.release(c.conn);
  assert.ok(c.closed());
  assert.equal(pool.idleCount(), 0);
  pool.close();
  await pool.acquire(KEY);
  const d = connection(KEY);
  pool.release(d.conn);
  assert.ok(d.closed());
});
