import assert from "node:assert/strict";
import { type Io, memoryIo, readAllText } from "./io.ts";
import { promptConfirm, promptText } from "./prompt.ts";

function ioWith(stdin: boolean, stderr: boolean) {
  const io = memoryIo({ stdin: "typed ahead\n" });
  return Object.assign(io, { isTerminal: { stdin, stdout: true, stderr } }) satisfies Io;
}

Deno.test("promptText() and promptConfirm() return undefined without a terminal", async (t) => {
  const cases: [string, boolean, boolean][] = [
    ["neither is a terminal", false, false],
    ["stdin is piped", false, true],
    ["stderr is redirected", true, false],
  ];
  for (const [name, stdin, stderr] of cases) {
    await t.step(name, async () => {
      const io = ioWith(stdin, stderr);
      assert.equal(await promptText(io, "Title?", { default: "x" }), undefined);
      assert.equal(await promptText(io, "Title?"), undefined);
      assert.equal(await promptConfirm(io, "Sure?", { default: true }), undefined);
      assert.equal(await promptConfirm(io, "Sure?"), undefined);
      // Nothing was drawn and stdin was left untouched for the caller.
      assert.equal(io.stdout.text(), "");
      assert.equal(io.stderr.text(), "");
      assert.equal(io.stdin.locked, false);
      assert.equal(await readAllText(io.stdin), "typed ahead\n");
    });
  }
});
