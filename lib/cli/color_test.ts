import assert from "node:assert/strict";
import { type ColorMode, displayWidth, palette, stripAnsi, useColor } from "./color.ts";

function envOf(vars: Record<string, string>): (name: string) => string | undefined {
  return (name) => vars[name];
}

Deno.test("useColor() decides from the mode, the environment and the terminal", async (t) => {
  const cases: [string, ColorMode | undefined, boolean, Record<string, string>, boolean][] = [
    ["auto on a terminal", undefined, true, {}, true],
    ["auto off a terminal", "auto", false, {}, false],
    ["NO_COLOR on a terminal", "auto", true, { NO_COLOR: "1" }, false],
    ["empty NO_COLOR is ignored", "auto", true, { NO_COLOR: "" }, true],
    ["TERM=dumb on a terminal", "auto", true, { TERM: "dumb" }, false],
    ["TERM=xterm on a terminal", "auto", true, { TERM: "xterm-256color" }, true],
    ["FORCE_COLOR off a terminal", "auto", false, { FORCE_COLOR: "1" }, true],
    ["empty FORCE_COLOR forces", "auto", false, { FORCE_COLOR: "" }, true],
    ["FORCE_COLOR beats NO_COLOR", "auto", false, { FORCE_COLOR: "1", NO_COLOR: "1" }, true],
    ["FORCE_COLOR beats TERM=dumb", "auto", false, { FORCE_COLOR: "3", TERM: "dumb" }, true],
    ["FORCE_COLOR=0 does not force", "auto", false, { FORCE_COLOR: "0" }, false],
    ["FORCE_COLOR=false does not force", "auto", false, { FORCE_COLOR: "false" }, false],
    ["FORCE_COLOR=0 leaves a terminal coloured", "auto", true, { FORCE_COLOR: "0" }, true],
    ["--color=always off a terminal", "always", false, {}, true],
    ["--color=always beats NO_COLOR", "always", false, { NO_COLOR: "1", TERM: "dumb" }, true],
    ["--color=never on a terminal", "never", true, {}, false],
    ["--color=never beats FORCE_COLOR", "never", true, { FORCE_COLOR: "1" }, false],
  ];
  for (const [name, mode, isTerminal, vars, expected] of cases) {
    await t.step(name, () => {
      assert.equal(useColor({ mode, isTerminal, env: envOf(vars) }), expected);
    });
  }
});

Deno.test("palette() wraps text in SGR open and close codes", async (t) => {
  const p = palette(true);
  const cases: [keyof Omit<typeof p, "enabled">, number, number][] = [
    ["bold", 1, 22],
    ["dim", 2, 22],
    ["italic", 3, 23],
    ["underline", 4, 24],
    ["strike", 9, 29],
    ["red", 31, 39],
    ["green", 32, 39],
    ["yellow", 33, 39],
    ["blue", 34, 39],
    ["magenta", 35, 39],
    ["cyan", 36, 39],
    ["gray", 90, 39],
  ];
  for (const [name, open, close] of cases) {
    await t.step(name, () => assert.equal(p[name]("x"), `\x1b[${open}mx\x1b[${close}m`));
  }
});

Deno.test("palette() reopens the outer colour after a nested one closes", () => {
  const p = palette(true);
  assert.equal(
    p.red(`a${p.green("b")}c`),
    "\x1b[31ma\x1b[32mb\x1b[39m\x1b[31mc\x1b[39m",
  );
  assert.equal(
    p.bold(`a${p.dim("b")}c`),
    "\x1b[1ma\x1b[2mb\x1b[22m\x1b[1mc\x1b[22m",
  );
  // Different close codes do not interfere.
  assert.equal(p.bold(p.red("x")), "\x1b[1m\x1b[31mx\x1b[39m\x1b[22m");
});

Deno.test("palette() leaves empty text empty", () => {
  assert.equal(palette(true).red(""), "");
});

Deno.test("palette(false) returns every style as the identity", () => {
  const p = palette(false);
  assert.equal(p.enabled, false);
  assert.equal(palette(true).enabled, true);
  for (const [name, fn] of Object.entries(p)) {
    if (name === "enabled") continue;
    assert.equal((fn as (s: string) => string)("a b"), "a b", name);
  }
});

Deno.test("stripAnsi() removes colour codes and keeps the text", async (t) => {
  const p = palette(true);
  const cases: [string, string, string][] = [
    ["plain", "hello", "hello"],
    ["one colour", p.red("hi"), "hi"],
    ["nested", p.bold(`a${p.cyan("b")}c`), "abc"],
    ["256 colours and reset", "\x1b[38;5;208mx\x1b[0m", "x"],
    ["bare reset", "\x1b[mx", "x"],
    ["empty", "", ""],
  ];
  for (const [name, input, expected] of cases) {
    await t.step(name, () => assert.equal(stripAnsi(input), expected));
  }
});

Deno.test("displayWidth() counts terminal columns", async (t) => {
  const cases: [string, string, number][] = [
    ["empty", "", 0],
    ["ASCII", "hello world", 11],
    ["CJK", "日本語", 6],
    ["Hangul", "한국", 4],
    ["full-width Latin", "ＡＢ", 4],
    ["mixed ASCII and CJK", "a日b", 4],
    ["combining acute accent", "e\u0301te\u0301", 3],
    ["precomposed accent", "été", 3],
    ["zero-width space", "a\u200bb", 2],
    ["emoji", "🎉", 2],
    ["colour codes", "\x1b[31mred\x1b[39m", 3],
    ["colour codes around CJK", palette(true).bold("漢字"), 4],
    ["control characters", "a\tb\n", 2],
  ];
  for (const [name, text, width] of cases) {
    await t.step(name, () => assert.equal(displayWidth(text), width));
  }
});
