import assert from "node:assert/strict";
import { CliError, ExitCode } from "../../lib/cli/error.ts";
import { grepColors } from "./color_spec.ts";

const ESC = "\x1b";

Deno.test("grepColors() without specs gives rg's defaults", () => {
  assert.deepEqual(grepColors([]), {
    path: `${ESC}[35m`,
    line: `${ESC}[32m`,
    column: "",
    match: `${ESC}[1m${ESC}[31m`,
  });
});

Deno.test("grepColors() applies --colors specs in order, as rg writes them", async (t) => {
  // The escapes are those rg 13 printed for `rg --color=always --colors SPEC...`, between the
  // "\x1b[0m" it writes before each coloured piece and the text.
  const cases: { specs: string[]; part: "path" | "line" | "column" | "match"; want: string }[] = [
    { specs: ["match:fg:blue"], part: "match", want: `${ESC}[1m${ESC}[34m` },
    { specs: ["match:fg:blue", "match:style:nobold"], part: "match", want: `${ESC}[34m` },
    { specs: ["match:none"], part: "match", want: "" },
    { specs: ["match:none", "match:fg:blue"], part: "match", want: `${ESC}[34m` },
    { specs: ["match:none", "match:style:bold"], part: "match", want: `${ESC}[1m` },
    { specs: ["line:none"], part: "line", want: "" },
    { specs: ["line:style:bold"], part: "line", want: `${ESC}[1m${ESC}[32m` },
    { specs: ["path:bg:blue"], part: "path", want: `${ESC}[35m${ESC}[44m` },
    { specs: ["match:style:underline"], part: "match", want: `${ESC}[1m${ESC}[4m${ESC}[31m` },
    { specs: ["column:fg:red"], part: "column", want: `${ESC}[31m` },
    // 256 colours and RGB, decimal or hex.
    { specs: ["match:fg:200"], part: "match", want: `${ESC}[1m${ESC}[38;5;200m` },
    { specs: ["column:fg:0x10,20,30"], part: "column", want: `${ESC}[38;2;16;20;30m` },
    { specs: ["path:bg:1,2,3"], part: "path", want: `${ESC}[35m${ESC}[48;2;1;2;3m` },
    // Intense basic colours are written as 256-colour numbers 8-15 (termcolor does so).
    { specs: ["match:style:intense"], part: "match", want: `${ESC}[1m${ESC}[38;5;9m` },
    {
      specs: ["match:bg:red", "match:style:intense"],
      part: "match",
      want: `${ESC}[1m${ESC}[38;5;9m${ESC}[48;5;9m`,
    },
    { specs: ["line:style:intense", "line:fg:33"], part: "line", want: `${ESC}[38;5;33m` },
    {
      specs: ["match:style:intense", "match:style:nointense"],
      part: "match",
      want: `${ESC}[1m${ESC}[31m`,
    },
    // rg reads specs case-insensitively.
    { specs: ["match:FG:Red"], part: "match", want: `${ESC}[1m${ESC}[31m` },
  ];
  for (const c of cases) {
    await t.step(c.specs.join(" "), () => {
      assert.equal(grepColors(c.specs)[c.part], c.want);
    });
  }
});

Deno.test("grepColors() rejects a malformed spec with a usage error (exit 2)", async (t) => {
  for (
    const spec of [
      "match:fg",
      "match:fg:red:x",
      "match",
      "bogus:fg:red",
      "toString:fg:red",
      "match:fg:constructor",
      "match:fg:purple",
      "match:fg:256",
      "match:bg:1,2",
      "match:style:blink",
      "match:shape:round",
    ]
  ) {
    await t.step(spec, () => {
      assert.throws(
        () => grepColors([spec]),
        (error: unknown) => error instanceof CliError && error.exitCode === ExitCode.Usage,
      );
    });
  }
});
