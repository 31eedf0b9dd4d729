import assert from "node:assert/strict";
import { CliError, ExitCode, exitCodeOf, formatError } from "./error.ts";

Deno.test("CliError defaults to the usage exit code and keeps hint and cause", () => {
  const cause = new Error("inner");
  const error = new CliError("bad", { hint: "try again", cause });
  assert.equal(error.name, "CliError");
  assert.equal(error.exitCode, ExitCode.Usage);
  assert.equal(error.hint, "try again");
  assert.equal(error.cause, cause);
  assert.equal(new CliError("x", { exitCode: 1 }).exitCode, 1);
  assert.ok(error instanceof Error);
});

Deno.test("formatError() writes one line prefixed with the tool", async (t) => {
  const cases: [string, string, unknown, string][] = [
    [
      "a tool",
      "notes",
      new CliError('No note matches "x"'),
      'kit notes: error: No note matches "x"\n',
    ],
    ["kit itself", "", new CliError("bad"), "kit: error: bad\n"],
    ["a plain Error", "grep", new TypeError("nope"), "kit grep: error: nope\n"],
    ["only the first line", "grep", new Error("one\ntwo\nthree"), "kit grep: error: one\n"],
    ["a string", "x", "just text", "kit x: error: just text\n"],
    ["a number", "x", 42, "kit x: error: 42\n"],
    ["undefined", "x", undefined, "kit x: error: undefined\n"],
    ["null", "x", null, "kit x: error: null\n"],
    ["an object", "x", { code: 1 }, "kit x: error: [object Object]\n"],
  ];
  for (const [name, tool, error, expected] of cases) {
    await t.step(name, () => assert.equal(formatError(tool, error, false), expected));
  }
});

Deno.test("formatError() adds the hint line of a CliError", () => {
  assert.equal(
    formatError("notes", new CliError("bad", { hint: "try --help" }), false),
    "kit notes: error: bad\nhint: try --help\n",
  );
});

Deno.test("formatError() adds no hint line for an empty hint", () => {
  assert.equal(
    formatError("notes", new CliError("bad", { hint: "" }), false),
    "kit notes: error: bad\n",
  );
});

Deno.test("formatError() adds the stack only when debug", () => {
  const error = new CliError("bad", { hint: "h" });
  const text = formatError("notes", error, true);
  assert.ok(text.startsWith("kit notes: error: bad\nhint: h\n"));
  assert.ok(text.endsWith(`${error.stack}\n`));
  assert.match(text, /error_test\.ts/);
  assert.doesNotMatch(formatError("notes", error, false), /error_test\.ts/);
});

Deno.test("formatError() has no stack to add for a non-Error value", () => {
  assert.equal(formatError("x", "text", true), "kit x: error: text\n");
});

Deno.test("exitCodeOf() returns a CliError's code and 2 for anything else", async (t) => {
  const cases: [string, unknown, number][] = [
    ["CliError with code 1", new CliError("x", { exitCode: 1 }), 1],
    ["CliError with code 130", new CliError("x", { exitCode: ExitCode.Interrupted }), 130],
    ["CliError default", new CliError("x"), 2],
    ["plain Error", new Error("x"), 2],
    ["string", "x", 2],
    ["undefined", undefined, 2],
  ];
  for (const [name, error, code] of cases) {
    await t.step(name, () => assert.equal(exitCodeOf(error), code));
  }
});

Deno.test("formatError() rewrites Deno's file-system errors in kit's style", async (t) => {
  const cases: [string, string][] = [
    [
      "Permission denied (os error 13): open '/root/x.md'",
      'Cannot open "/root/x.md": permission denied',
    ],
    [
      "Not a directory (os error 20): readdir '/etc/passwd'",
      'Cannot list the folder "/etc/passwd": not a directory',
    ],
    ["No space left on device (os error 28)", "No space left on device"],
    ["plain message", "plain message"],
  ];
  for (const [input, expected] of cases) {
    await t.step(input, () => {
      assert.equal(
        formatError("notes", new Error(input), false),
        `kit notes: error: ${expected}\n`,
      );
    });
  }
});
