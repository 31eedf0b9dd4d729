import assert from "node:assert/strict";
import { PubSub } from "./pubsub.ts";
import { Session } from "./session.ts";

function listener(id: number, protocol: 2 | 3 = 2): { s: Session; got: string[] } {
  const s = new Session(id, "127.0.0.1:1", 0);
  s.protocol = protocol;
  const got: string[] = [];
  s.send = (bytes) => got.push(new TextDecoder().decode(bytes));
  return { s, got };
}

Deno.test("PubSub.publish() reaches channel and pattern subscribers", () => {
  const ps = new PubSub();
  const a = listener(1);
  const b = listener(2, 3);
  ps.subscribe(a.s, "news.tech");
  ps.psubscribe(b.s, "news.*");
  const n = ps.publish("news.tech", new TextEncoder().encode("x"));
  assert.equal(n, 2);
  assert.deepEqual(a.got, ["*3\r\n$7\r\nmessage\r\n$9\r\nnews.tech\r\n$1\r\nx\r\n"]);
  assert.deepEqual(b.got, [
    ">4\r\n$8\r\npmessage\r\n$6\r\nnews.*\r\n$9\r\nnews.tech\r\n$1\r\nx\r\n",
  ]);
  assert.equal(ps.publish("sport", new Uint8Array()), 0);
});

Deno.test("PubSub.drop() removes every subscription and empty channels", () => {
  const ps = new PubSub();
  const a = listener(1);
  ps.subscribe(a.s, "c");
  ps.psubscribe(a.s, "p*");
  ps.drop(a.s);
  assert.equal(ps.channels.size, 0);
  assert.equal(ps.patterns.size, 0);
  assert.equal(a.s.subscriptionCount, 0);
});
