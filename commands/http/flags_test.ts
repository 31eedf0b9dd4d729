import assert from "node:assert/strict";
import { CliError } from "../../lib/cli/error.ts";
import { defaultArgs, parseFlags, parseHttpArgs, printWhat } from "./flags.ts";

Deno.test("parseHttpArgs() tells a method from a URL", () => {
  assert.equal(parseHttpArgs(["example.org"]).method, undefined);
  assert.equal(parseHttpArgs(["example.org"]).url, "example.org");
  assert.equal(parseHttpArgs(["localhost", "a=1"]).method, undefined);
  assert.equal(parseHttpArgs(["localhost", "a=1"]).url, "localhost");
  assert.equal(parseHttpArgs(["put", "x", "a=1"]).method, "PUT");
  assert.equal(parseHttpArgs(["PURGE", "x"]).method, "PURGE");
  const args = parseHttpArgs(["POST", ":8080/x", "a=1", "X:y"]);
  assert.deepEqual(args.items.map((i) => i.kind), ["data", "header"]);
});

Deno.test("parseHttpArgs() takes flags anywhere, bundles and values", () => {
  const args = parseHttpArgs([
    "-vfb",
    "x",
    "--timeout=1.5",
    "-a",
    "u:p",
    "--print",
    "Hh",
    "--pretty",
    "none",
    "--",
    "-odd=1",
  ]);
  assert.equal(args.verbose, 1);
  assert.equal(args.mode, "form");
  assert.equal(args.bodyOnly, true);
  assert.equal(args.timeout, 1.5);
  assert.equal(args.auth, "u:p");
  assert.equal(args.print, "Hh");
  assert.equal(args.pretty, "none");
  assert.equal(args.items[0].key, "-odd");
});

Deno.test("parseHttpArgs() reports bad input with exit code 2 and a hint", () => {
  const expectUsage = (argv: string[], message: RegExp) =>
    assert.throws(() => parseHttpArgs(argv), (e: unknown) => {
      assert.ok(e instanceof CliError);
      assert.equal(e.exitCode, 2);
      assert.match(e.message, message);
      return true;
    });
  expectUsage([], /missing the URL/);
  expectUsage(["x", "foo"], /'foo' is not a valid request item/);
  expectUsage(["--folow", "x"], /unknown option '--folow'/);
  expectUsage(["--print=Z", "x"], /--print takes letters/);
  expectUsage(["--pretty=pink", "x"], /--pretty takes all, colors, format, none/);
  expectUsage(["-c", "x"], /--continue needs --download and --output/);
  expectUsage(["--timeout", "soon", "x"], /--timeout expects a number/);
  assert.throws(() => parseHttpArgs(["--folow", "x"]), /unknown option/);
  try {
    parseHttpArgs(["--folow", "x"]);
  } catch (e) {
    assert.equal((e as CliError).hint, "did you mean '--follow'?");
  }
});

Deno.test("parseFlags() returns positional words for the subcommands", () => {
  const { args, words } = parseFlags(["3", "--edit", "-v"], [{
    long: "edit",
    section: "save",
    help: "",
    apply: (a) => void (a.edit = true),
  }]);
  assert.deepEqual(words, ["3"]);
  assert.equal(args.edit, true);
});

Deno.test("printWhat() follows httpie: headers+body on a terminal, body when redirected", () => {
  const d = defaultArgs();
  const letters = (args: typeof d, tty: boolean) => {
    const w = printWhat(args, tty);
    return (w.requestHeaders ? "H" : "") + (w.requestBody ? "B" : "") +
      (w.responseHeaders ? "h" : "") + (w.responseBody ? "b" : "") + (w.meta ? "m" : "");
  };
  assert.equal(letters(d, true), "hb");
  assert.equal(letters(d, false), "b");
  assert.equal(letters({ ...d, verbose: 1 }, false), "HBhb");
  assert.equal(letters({ ...d, verbose: 2 }, false), "HBhbm");
  assert.equal(letters({ ...d, headersOnly: true }, false), "h");
  assert.equal(letters({ ...d, offline: true }, true), "HB");
  assert.equal(letters({ ...d, print: "Hb", verbose: 1 }, true), "Hb");
  assert.equal(letters({ ...d, quiet: 1 }, true), "");
  assert.equal(letters({ ...d, output: "f" }, true), "b");
});
