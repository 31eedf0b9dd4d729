import assert from "node:assert/strict";
import { commandAt, type CommandSpec, formatHelp, nearest, parseArgs } from "./args.ts";
import { CliError, ExitCode } from "./error.ts";

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new CliError(`--limit takes a whole number, not "${value}"`);
  }
  return n;
}

const spec: CommandSpec = {
  name: "notes",
  description: "Keep notes",
  options: [
    { flags: "-d, --dir <dir>", description: "notes folder" },
    { flags: "-q, --quiet", description: "say less" },
  ],
  commands: [
    {
      name: "list",
      aliases: ["ls"],
      description: "list notes",
      options: [
        { flags: "-t, --tag <tag>", description: "only with this tag", repeat: true },
        { flags: "-n, --limit <n>", description: "at most n", parse: parseLimit, default: 20 },
        { flags: "-r, --reverse", description: "newest last" },
        { flags: "-l, --long", description: "one note per line" },
        { flags: "--sort <key>", description: "order", choices: ["date", "title"] },
        { flags: "--dry-run", description: "change nothing", default: false },
      ],
      arguments: [{ name: "query", description: "text to match" }],
    },
    {
      name: "add",
      description: "add a note",
      arguments: [
        { name: "title", description: "the title", required: true },
        { name: "body", description: "the text", variadic: true },
      ],
    },
    {
      name: "tag",
      description: "tag notes",
      arguments: [{ name: "files", description: "notes to tag", required: true, variadic: true }],
    },
    {
      name: "remote",
      description: "manage remotes",
      options: [{ flags: "--timeout <s>", description: "seconds" }],
      commands: [{ name: "add", description: "add a remote", arguments: [] }],
      footer: "\nExamples:\n  kit notes remote add\n",
    },
  ],
};

/** Runs `fn`, asserts it throws a usage CliError and returns it. */
function usageError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof CliError, `expected a CliError, got ${error}`);
    assert.equal(error.exitCode, ExitCode.Usage);
    return error;
  }
  assert.fail("expected a CliError");
}

Deno.test("parseArgs() picks a subcommand by name or alias", async (t) => {
  for (const word of ["list", "ls"]) {
    await t.step(word, () => {
      assert.deepEqual(parseArgs(spec, [word]).path, ["list"]);
    });
  }
});

Deno.test("parseArgs() descends into nested subcommands", () => {
  const parsed = parseArgs(spec, ["remote", "--timeout", "5", "add"]);
  assert.deepEqual(parsed.path, ["remote", "add"]);
  assert.deepEqual(parsed.options, { timeout: "5" });
});

Deno.test("parseArgs() returns an empty path and no args for no words", () => {
  assert.deepEqual(parseArgs(spec, []), { path: [], options: {}, args: [], help: false });
});

Deno.test("parseArgs() accepts flags before and after positionals", async (t) => {
  const cases: [string, string[]][] = [
    ["before", ["list", "-r", "--dir", "x", "cats"]],
    ["after", ["list", "cats", "-r", "--dir", "x"]],
    ["around", ["-d", "x", "list", "-r", "cats"]],
  ];
  for (const [name, argv] of cases) {
    await t.step(name, () => {
      const parsed = parseArgs(spec, argv);
      assert.deepEqual(parsed.args, ["cats"]);
      assert.equal(parsed.options.dir, "x");
      assert.equal(parsed.options.reverse, true);
    });
  }
});

Deno.test("parseArgs() reads flag values in every spelling", async (t) => {
  const cases: [string, string[], Record<string, unknown>][] = [
    ["--flag value", ["list", "--limit", "5"], { limit: 5 }],
    ["--flag=value", ["list", "--limit=5"], { limit: 5 }],
    ["--flag= (empty)", ["list", "--dir="], { dir: "" }],
    ["--flag=a=b keeps later =", ["list", "--dir=a=b"], { dir: "a=b" }],
    ["-n 5", ["list", "-n", "5"], { limit: 5 }],
    ["-n5", ["list", "-n5"], { limit: 5 }],
    ["bundled -rl", ["list", "-rl"], { reverse: true, long: true }],
    ["bundled with a value -rn5", ["list", "-rn5"], { reverse: true, limit: 5 }],
    ["bundled, value in next word -rn 5", ["list", "-rn", "5"], { reverse: true, limit: 5 }],
    ["value that looks like a flag", ["list", "--dir", "-x"], { dir: "-x" }],
  ];
  for (const [name, argv, expected] of cases) {
    await t.step(name, () => {
      const { options } = parseArgs(spec, argv);
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(options[key], value);
    });
  }
});

Deno.test("parseArgs() camel-cases long flag names", () => {
  assert.equal(parseArgs(spec, ["list", "--dry-run"]).options.dryRun, true);
});

Deno.test("parseArgs() treats words after -- as positionals", () => {
  const parsed = parseArgs(spec, ["add", "--", "--title", "-r", "--help", "list"]);
  assert.deepEqual(parsed.args, ["--title", ["-r", "--help", "list"]]);
  assert.equal(parsed.help, false);
  assert.deepEqual(parsed.options, {});
});

Deno.test("parseArgs() does not pick a subcommand after --", () => {
  const error = usageError(() => parseArgs(spec, ["--", "list"]));
  assert.equal(error.message, "unexpected argument 'list'");
});

Deno.test("parseArgs() takes - as a positional", () => {
  assert.deepEqual(parseArgs(spec, ["add", "-", "-"]).args, ["-", ["-"]]);
});

Deno.test("parseArgs() collects a repeat flag into an array", () => {
  const parsed = parseArgs(spec, ["list", "-t", "a", "--tag=b", "--tag", "c"]);
  assert.deepEqual(parsed.options.tag, ["a", "b", "c"]);
});

Deno.test("parseArgs() lets the last use of a plain flag win", () => {
  assert.equal(parseArgs(spec, ["list", "--dir", "a", "-d", "b"]).options.dir, "b");
});

Deno.test("parseArgs() fills defaults and empty repeat arrays", () => {
  const parsed = parseArgs(spec, ["list"]);
  assert.deepEqual(parsed.options, { limit: 20, tag: [], dryRun: false });
  assert.deepEqual(parsed.args, [undefined]);
});

Deno.test("parseArgs() does not pass a default through parse", () => {
  const parsed = parseArgs({
    name: "x",
    description: "",
    options: [{ flags: "--n <n>", description: "", default: "7", parse: Number }],
  }, []);
  assert.equal(parsed.options.n, "7");
});

Deno.test("parseArgs() accepts a value among the choices", () => {
  assert.equal(parseArgs(spec, ["list", "--sort", "title"]).options.sort, "title");
});

Deno.test("parseArgs() rejects a value outside the choices and lists them", () => {
  const error = usageError(() => parseArgs(spec, ["list", "--sort=size"]));
  assert.equal(error.message, '--sort takes date, title, not "size"');
  assert.equal(error.hint, "see 'kit notes list --help'");
});

Deno.test("parseArgs() passes on the error a parse function throws", () => {
  const error = usageError(() => parseArgs(spec, ["list", "-n", "many"]));
  assert.equal(error.message, '--limit takes a whole number, not "many"');
});

Deno.test("parseArgs() fills a variadic argument with the rest of the words", async (t) => {
  const cases: [string[], (string | string[] | undefined)[]][] = [
    [["add", "t"], ["t", []]],
    [["add", "t", "a"], ["t", ["a"]]],
    [["add", "t", "a", "b", "c"], ["t", ["a", "b", "c"]]],
  ];
  for (const [argv, expected] of cases) {
    await t.step(argv.join(" "), () => assert.deepEqual(parseArgs(spec, argv).args, expected));
  }
});

Deno.test("parseArgs() rejects a missing required argument", () => {
  const error = usageError(() => parseArgs(spec, ["add"]));
  assert.equal(error.message, "missing argument <title>");
  assert.equal(error.hint, "see 'kit notes add --help'");
});

Deno.test("parseArgs() rejects a required variadic argument given no words", () => {
  const error = usageError(() => parseArgs(spec, ["tag"]));
  assert.equal(error.message, "missing argument <files>");
});

Deno.test("parseArgs() rejects an unexpected extra argument", () => {
  const error = usageError(() => parseArgs(spec, ["list", "a", "b"]));
  assert.equal(error.message, "unexpected argument 'b'");
  assert.equal(error.hint, "see 'kit notes list --help'");
});

Deno.test("parseArgs() rejects an unknown command with a did-you-mean hint", () => {
  const error = usageError(() => parseArgs(spec, ["lst"]));
  assert.equal(error.message, "unknown command 'lst'");
  assert.equal(error.hint, "did you mean 'list'?");
});

Deno.test("parseArgs() rejects an unknown nested command with a hint", () => {
  const error = usageError(() => parseArgs(spec, ["remote", "ad"]));
  assert.equal(error.message, "unknown command 'ad'");
  assert.equal(error.hint, "did you mean 'add'?");
});

Deno.test("parseArgs() points to help for an unknown command far from any", () => {
  const error = usageError(() => parseArgs(spec, ["zzzzzz"]));
  assert.equal(error.hint, "see 'kit notes --help'");
});

Deno.test("parseArgs() rejects an unknown option with a did-you-mean hint", () => {
  const error = usageError(() => parseArgs(spec, ["list", "--revers"]));
  assert.equal(error.message, "unknown option '--revers'");
  assert.equal(error.hint, "did you mean '--reverse'?");
});

Deno.test("parseArgs() suggests an inherited option inside a subcommand", () => {
  const error = usageError(() => parseArgs(spec, ["list", "--dri=x"]));
  assert.equal(error.message, "unknown option '--dri'");
  assert.equal(error.hint, "did you mean '--dir'?");
});

Deno.test("parseArgs() does not know a subcommand's option before the subcommand", () => {
  const error = usageError(() => parseArgs(spec, ["--reverse", "list"]));
  assert.equal(error.message, "unknown option '--reverse'");
});

Deno.test("parseArgs() rejects an unknown short option", () => {
  const error = usageError(() => parseArgs(spec, ["list", "-rx"]));
  assert.equal(error.message, "unknown option '-x'");
  assert.equal(error.hint, "see 'kit notes list --help'");
});

Deno.test("parseArgs() rejects a flag that needs a value at the end", async (t) => {
  const cases: [string[], string][] = [
    [["list", "--limit"], "--limit needs a value <n>"],
    [["list", "-n"], "-n needs a value <n>"],
    [["list", "-rn"], "-n needs a value <n>"],
  ];
  for (const [argv, message] of cases) {
    await t.step(argv.join(" "), () => {
      assert.equal(usageError(() => parseArgs(spec, argv)).message, message);
    });
  }
});

Deno.test("parseArgs() rejects a value given to a flag that takes none", () => {
  const error = usageError(() => parseArgs(spec, ["list", "--reverse=yes"]));
  assert.equal(error.message, "--reverse takes no value");
});

Deno.test("parseArgs() sees --help and -h anywhere", async (t) => {
  const cases: [string[], string[]][] = [
    [["--help"], []],
    [["-h", "list"], ["list"]],
    [["list", "--help"], ["list"]],
    [["list", "cats", "-h"], ["list"]],
    [["list", "-rh"], ["list"]],
    [["remote", "add", "--help"], ["remote", "add"]],
  ];
  for (const [argv, path] of cases) {
    await t.step(argv.join(" "), () => {
      const parsed = parseArgs(spec, argv);
      assert.equal(parsed.help, true);
      assert.deepEqual(parsed.path, path);
    });
  }
});

Deno.test("parseArgs() skips argument checks when help is asked", () => {
  assert.equal(parseArgs(spec, ["add", "--help"]).help, true);
  assert.equal(parseArgs(spec, ["list", "a", "b", "c", "--help"]).help, true);
});

Deno.test("parseArgs() rejects a bad flag spec with a TypeError", () => {
  assert.throws(
    () =>
      parseArgs({ name: "x", description: "", options: [{ flags: "tag", description: "" }] }, []),
    TypeError,
  );
});

Deno.test("nearest() returns the closest candidate within the typo distance", async (t) => {
  const cases: [string, string[], string | undefined][] = [
    ["lst", ["list", "show"], "list"],
    ["shwo", ["list", "show"], "show"],
    ["list", ["list", "lists"], "list"],
    ["x", ["y"], "y"],
    ["xy", ["ab"], undefined],
    ["zzzz", ["list", "show"], undefined],
    ["anything", [], undefined],
  ];
  for (const [word, candidates, expected] of cases) {
    await t.step(`${word} in [${candidates}]`, () => {
      assert.equal(nearest(word, candidates), expected);
    });
  }
});

Deno.test("commandAt() finds a nested command", () => {
  assert.equal(commandAt(spec, []).name, "notes");
  assert.equal(commandAt(spec, ["remote", "add"]).description, "add a remote");
});

Deno.test("formatHelp() lists commands, options and the run hint for the root", () => {
  assert.equal(
    formatHelp(spec, []),
    `Keep notes

Usage: kit notes [options] <command>

Commands:
  list [query]           list notes
  add <title> [body...]  add a note
  tag <files...>         tag notes
  remote                 manage remotes

Options:
  -d, --dir <dir>  notes folder
  -q, --quiet      say less
  -h, --help       show this help

Run 'kit notes <command> --help' for a command's options.
`,
  );
});

Deno.test("formatHelp() shows aliases, arguments, defaults and inherited global options", () => {
  const help = formatHelp(spec, ["list"]);
  assert.match(help, /^list notes\n\nUsage: kit notes list \[options\] \[query\]\n/);
  assert.match(help, /\nAliases: ls\n/);
  assert.match(help, /\nArguments:\n {2}\[query\] {2}text to match\n/);
  assert.match(help, /-n, --limit <n> +at most n \(default: 20\)\n/);
  // A false default says nothing.
  assert.match(help, /--dry-run +change nothing\n/);
  assert.match(
    help,
    /\n\nGlobal options:\n {2}-d, --dir <dir> {2}notes folder\n {2}-q, --quiet {6}say less\n$/,
  );
  assert.doesNotMatch(help, /Run '/);
});

Deno.test("formatHelp() inherits options from every level and ends with the footer", () => {
  const help = formatHelp(spec, ["remote", "add"]);
  assert.match(help, /^add a remote\n\nUsage: kit notes remote add \[options\]\n/);
  assert.match(help, /Global options:\n.*--dir.*\n.*--quiet.*\n.*--timeout <s> +seconds\n/);
  assert.doesNotMatch(help, /Examples/);
  assert.ok(formatHelp(spec, ["remote"]).endsWith("Examples:\n  kit notes remote add\n"));
});

Deno.test("formatHelp() puts a long flag's description on its own line", () => {
  const help = formatHelp({
    name: "x",
    description: "X",
    options: [{ flags: "--a-very-long-option-name <value>", description: "long one" }],
  }, []);
  assert.match(help, /\n {2}--a-very-long-option-name <value>\n {32}long one\n/);
});
