import assert from "node:assert/strict";
import { type Io, memoryIo } from "./io.ts";
import { Progress } from "./progress.ts";

/** A clock the test moves by hand. */
function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => t += ms };
}

function ttyIo(columns = 80) {
  const io = memoryIo({ tty: true });
  return Object.assign(io, { columns }) satisfies Io;
}

Deno.test("Progress draws a bar with percentage and counts", async () => {
  const io = ttyIo();
  const clock = fakeClock();
  const progress = new Progress(io, { label: "Indexing", total: 1000, now: clock.now });
  await progress.set(450);
  assert.equal(
    io.stderr.text(),
    "\rIndexing [#############-----------------] 45% 450/1000\x1b[K",
  );
});

Deno.test("Progress throttles redraws by the injected clock", async () => {
  const io = ttyIo();
  const clock = fakeClock();
  const progress = new Progress(io, { label: "Load", total: 10, now: clock.now });
  await progress.tick(); // first draw is immediate
  await progress.tick(); // same instant: skipped
  clock.advance(79);
  await progress.tick(); // 79 ms later: still skipped
  clock.advance(1);
  await progress.tick(); // 80 ms: drawn with the latest count
  assert.equal(progress.value, 4);
  assert.equal(
    io.stderr.text(),
    "\rLoad [###---------------------------] 10% 1/10\x1b[K" +
      "\rLoad [############------------------] 40% 4/10\x1b[K",
  );
});

Deno.test("Progress honours minIntervalMs", async () => {
  const io = ttyIo();
  const clock = fakeClock();
  const progress = new Progress(io, { label: "x", now: clock.now, minIntervalMs: 0 });
  await progress.tick();
  await progress.tick();
  await progress.tick();
  assert.equal(io.stderr.text(), "\r⠋ x 1\x1b[K\r⠙ x 2\x1b[K\r⠹ x 3\x1b[K");
});

Deno.test("Progress spinner advances one frame per draw", async () => {
  const io = ttyIo();
  const clock = fakeClock();
  const progress = new Progress(io, { label: "Crawling", now: clock.now });
  await progress.set(1);
  clock.advance(100);
  await progress.set(123);
  assert.equal(io.stderr.text(), "\r⠋ Crawling 1\x1b[K\r⠙ Crawling 123\x1b[K");
});

Deno.test("Progress narrows the bar, then drops it, to fit the terminal", async (t) => {
  const cases: [number, string][] = [
    [40, "Indexing [######---------] 45% 450/1000"],
    [30, "Indexing [##---] 45% 450/1000"],
    [28, "Indexing 45% 450/1000"],
    [18, "Ind… 45% 450/1000"],
  ];
  for (const [columns, line] of cases) {
    await t.step(`${columns} columns`, async () => {
      const io = ttyIo(columns);
      const progress = new Progress(io, { label: "Indexing", total: 1000, now: () => 0 });
      await progress.set(450);
      assert.equal(io.stderr.text(), `\r${line}\x1b[K`);
      assert.ok(line.length <= columns - 1);
    });
  }
});

Deno.test("Progress truncates a long spinner label", async () => {
  const io = ttyIo(20);
  const progress = new Progress(io, { label: "Downloading layers", now: () => 0 });
  await progress.set(12345);
  assert.equal(io.stderr.text(), "\r⠋ Downloadin… 12345\x1b[K");
});

Deno.test("Progress clamps the bar beyond total and handles total 0", async () => {
  const io = ttyIo();
  const over = new Progress(io, { label: "a", total: 2, now: () => 0 });
  await over.set(3);
  const empty = new Progress(io, { label: "b", total: 0, now: () => 0 });
  await empty.set(0);
  assert.equal(
    io.stderr.text(),
    `\ra [${"#".repeat(30)}] 100% 3/2\x1b[K\rb [${"#".repeat(30)}] 100% 0/0\x1b[K`,
  );
});

Deno.test("Progress.done() clears the line and writes the message", async () => {
  const io = ttyIo();
  const progress = new Progress(io, { label: "Build", total: 2, now: () => 0 });
  await progress.tick();
  await progress.done("Built 2 pages");
  await progress.tick(); // after done: nothing
  await progress.done("again");
  assert.equal(
    io.stderr.text(),
    "\rBuild [###############---------------] 50% 1/2\x1b[K\r\x1b[KBuilt 2 pages\n",
  );
});

Deno.test("Progress.done() without a draw writes only the message", async () => {
  const io = ttyIo();
  await new Progress(io, { label: "x", now: () => 0 }).done("ok");
  const quiet = ttyIo();
  await new Progress(quiet, { label: "x", now: () => 0 }).done();
  assert.equal(io.stderr.text(), "ok\n");
  assert.equal(quiet.stderr.text(), "");
});

Deno.test("Progress writes nothing when stderr is not a terminal", async () => {
  const io = memoryIo({ tty: false });
  const clock = fakeClock();
  const bar = new Progress(io, { label: "a", total: 3, now: clock.now });
  const spinner = new Progress(io, { label: "b", now: clock.now });
  for (let i = 0; i < 3; i++) {
    await bar.tick();
    await spinner.tick();
    clock.advance(1_000);
  }
  await bar.set(3);
  await bar.done("finished");
  await spinner.done();
  assert.equal(bar.value, 3);
  assert.equal(io.stderr.text(), "");
  assert.equal(io.stdout.text(), "");
});

Deno.test("Progress draws only on stderr", async () => {
  const io = ttyIo();
  const progress = new Progress(io, { label: "x", total: 1, now: () => 0 });
  await progress.tick();
  await progress.done("done");
  assert.equal(io.stdout.text(), "");
});
