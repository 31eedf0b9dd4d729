import assert from "node:assert/strict";
import { addLongDouble } from "./long_double.ts";
import { HAS_REDIS_SERVER, startRedisPeer } from "./_redis_peer.ts";

Deno.test("addLongDouble() computes in the 80-bit format and prints as %.17Lf", () => {
  const cases: [string, string, string][] = [
    ["0.1", "0.2", "0.3"],
    ["10.5", "0.1", "10.6"],
    ["10.6", "0.1", "10.7"],
    ["3.0e3", "1.0e-3", "3000.00099999999999989"],
    ["1", "1e17", "100000000000000001"],
    ["100000000000000001", "0.3", "100000000000000001.296875"],
    ["5.0e3", "2.0e2", "5200"],
    ["1.1", "2.2", "3.3"],
    ["0", "3.0e-10", "0.0000000003"],
    ["0", "-2.5", "-2.5"],
    ["0", "5e20", "500000000000000000000"],
    ["1", "-1", "0"],
    ["-0.00000000000000000001", "0", "0"],
    [".5", "5.", "5.5"],
    ["+1", "-3", "-2"],
  ];
  for (const [a, b, want] of cases) assert.equal(addLongDouble(a, b), want, `${a} + ${b}`);
  assert.equal(addLongDouble("1e5000", "1e5000"), undefined);
  assert.equal(addLongDouble("abc", "1"), undefined);
});

Deno.test({
  name: "addLongDouble() agrees with redis-server's INCRBYFLOAT on random sums",
  ignore: !HAS_REDIS_SERVER,
}, async () => {
  await using peer = await startRedisPeer();
  if (!peer) throw new Error("redis-server did not start");
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const number = () => {
    const digits = String(Math.floor(random() * 10 ** (1 + Math.floor(random() * 12))));
    const point = Math.floor(random() * (digits.length + 1));
    const text = `${digits.slice(0, point)}.${digits.slice(point)}`.replace(/^\./, "0.");
    const exponent = random() < 0.3 ? `e${Math.floor(random() * 20) - 10}` : "";
    return `${random() < 0.3 ? "-" : ""}${text}${exponent}`;
  };
  for (let i = 0; i < 300; i++) {
    const a = number();
    const b = number();
    await peer.run("SET", "k", a);
    const redis: string = await peer.run("INCRBYFLOAT", "k", b);
    assert.equal(
      `$${addLongDouble(a, b)!.length}\r\n${addLongDouble(a, b)}\r\n`,
      redis,
      `${a} + ${b}`,
    );
  }
});
