/**
 * The writer the crash test kills: opens the store with fsync=always and writes forever,
 * printing each write on stdout only after the engine acknowledged it as durable.
 *
 * Lines: `ready`; `S <key>` (a set); `I <key>` then `D <key>` (a delete announced, then
 * acknowledged); `B <id> <n>` (a batch of n sets `<id>/<n>/<j>`); `M` (a merge finished).
 * Keys are `<round>-s<n>` and `<round>-b<n>/<size>/<j>`; every value is `valueFor(key)`.
 *
 * Usage: deno run -A tests/_kv_crash_writer.ts DIR ROUND SEED
 */
import { openKv } from "../lib/kv/mod.ts";

const [dir, round, seedArg] = Deno.args;
let seed = Number(seedArg) || 1;
const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const out = Deno.stdout;
const enc = new TextEncoder();
const say = (line: string) => out.writeSync(enc.encode(line + "\n"));

/** The value stored under a key: derived from it, so any mix-up shows. */
export function valueFor(key: string): string {
  return `${key}:`.repeat(Math.ceil(120 / (key.length + 1))).slice(0, 100 + (key.length % 50));
}

if (import.meta.main) {
  const kv = await openKv(dir, { fsync: "always", segmentSize: 16 * 1024, mergeRatio: 0 });
  say("ready");
  const sets: string[] = [];
  let n = 0;
  for (;;) {
    const r = random();
    n++;
    if (r < 0.6) {
      const key = `${round}-s${n}`;
      const pending = kv.set(key, valueFor(key));
      await pending;
      sets.push(key);
      say(`S ${key}`);
    } else if (r < 0.8) {
      const size = 2 + Math.floor(random() * 4);
      const keys = Array.from({ length: size }, (_, j) => `${round}-b${n}/${size}/${j}`);
      await kv.batch(keys.map((key) => ({ type: "set", key, value: valueFor(key) })));
      say(`B ${round}-b${n} ${size}`);
    } else if (r < 0.95 && sets.length > 0) {
      const key = sets.splice(Math.floor(random() * sets.length), 1)[0];
      say(`I ${key}`);
      await kv.delete(key);
      say(`D ${key}`);
    } else if (r >= 0.99) {
      // Not awaited: the merge runs while the writes above go on, and the kill may land inside it.
      kv.merge().then(() => say("M"));
    }
  }
}
