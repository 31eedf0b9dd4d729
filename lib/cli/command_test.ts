import assert from "node:assert/strict";
import { ExitSignal, guard } from "./command.ts";
import { CliError } from "./error.ts";
import { BrokenPipeError, memoryIo, type Writer } from "./io.ts";

Deno.test("guard() returns the exit code the work resolves to", async (t) => {
  for (const code of [0, 1, 2]) {
    await t.step(`${code}`, async () => {
      const io = memoryIo();
      assert.equal(await guard("notes", io, () => Promise.resolve(code)), code);
      assert.equal(io.stderr.text(), "");
    });
  }
});

Deno.test("guard() writes a CliError's message and hint and returns its code", async () => {
  const io = memoryIo();
  const code = await guard("notes", io, () => {
    throw new CliError('No note matches "x"', { hint: "try 'kit notes list'", exitCode: 1 });
  });
  assert.equal(code, 1);
  assert.equal(
    io.stderr.text(),
    "kit notes: error: No note matches \"x\"\nhint: try 'kit notes list'\n",
  );
  assert.equal(io.stdout.text(), "");
});

Deno.test("guard() reports a rejected promise like a throw", async () => {
  const io = memoryIo();
  const code = await guard("notes", io, () => Promise.reject(new CliError("bad")));
  assert.equal(code, 2);
  assert.equal(io.stderr.text(), "kit notes: error: bad\n");
});

Deno.test("guard() turns a plain Error into exit 2 and one line", async () => {
  const io = memoryIo();
  const code = await guard("grep", io, async () => {
    await Promise.resolve();
    throw new Error('Cannot open "x": permission denied\nmore detail');
  });
  assert.equal(code, 2);
  assert.equal(io.stderr.text(), 'kit grep: error: Cannot open "x": permission denied\n');
});

Deno.test("guard() turns a thrown non-Error value into exit 2", async () => {
  const io = memoryIo();
  assert.equal(await guard("grep", io, () => Promise.reject("oops")), 2);
  assert.equal(io.stderr.text(), "kit grep: error: oops\n");
});

Deno.test("guard() ends quietly with 0 on a broken pipe", async () => {
  const io = memoryIo();
  const code = await guard("grep", io, async () => {
    await io.stdout.write("partial\n");
    throw new BrokenPipeError();
  });
  assert.equal(code, 0);
  assert.equal(io.stderr.text(), "");
});

Deno.test("guard() returns an ExitSignal's code and writes nothing", async (t) => {
  for (const code of [0, 1, 3]) {
    await t.step(`${code}`, async () => {
      const io = memoryIo();
      assert.equal(await guard("notes", io, () => Promise.reject(new ExitSignal(code))), code);
      assert.equal(io.stderr.text(), "");
    });
  }
});

Deno.test("guard() adds the stack when KIT_DEBUG=1", async (t) => {
  const cases: [string, Record<string, string>, boolean][] = [
    ["KIT_DEBUG=1", { KIT_DEBUG: "1" }, true],
    ["KIT_DEBUG=0", { KIT_DEBUG: "0" }, false],
    ["unset", {}, false],
  ];
  for (const [name, env, withStack] of cases) {
    await t.step(name, async () => {
      const io = memoryIo({ env });
      const error = new CliError("bad", { hint: "h" });
      assert.equal(await guard("notes", io, () => Promise.reject(error)), 2);
      assert.equal(
        io.stderr.text(),
        "kit notes: error: bad\nhint: h\n" + (withStack ? `${error.stack}\n` : ""),
      );
    });
  }
});

Deno.test("guard() still returns the code when stderr cannot be written", async () => {
  const broken: Writer = { write: () => Promise.reject(new BrokenPipeError()) };
  const io = { ...memoryIo(), stderr: broken };
  assert.equal(
    await guard("notes", io, () => Promise.reject(new CliError("x", { exitCode: 1 }))),
    1,
  );
});
