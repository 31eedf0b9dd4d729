import assert from "node:assert/strict";
import { CliError, ExitCode } from "../../lib/cli/error.ts";
import { defaultArgs, FLAGS, type GrepArgs, grepHelp, parseGrepArgs, parseSize } from "./flags.ts";

/** Asserts that parsing fails with a usage error (exit 2) whose message matches. */
function assertUsage(argv: string[], message: RegExp, hint?: RegExp): CliError {
  let caught: unknown;
  try {
    parseGrepArgs(argv);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof CliError, `expected a CliError for ${JSON.stringify(argv)}`);
  assert.equal(caught.exitCode, ExitCode.Usage);
  assert.match(caught.message, message);
  if (hint) assert.match(caught.hint ?? "", hint);
  return caught;
}

Deno.test("parseGrepArgs() takes the first word as the pattern and the rest as paths", () => {
  const args = parseGrepArgs(["todo", "src", "lib"]);
  assert.deepEqual(args.patterns, ["todo"]);
  assert.deepEqual(args.paths, ["src", "lib"]);
  assert.deepEqual({ ...args, patterns: [], paths: [] }, defaultArgs());
});

Deno.test("parseGrepArgs() reads flags anywhere among the words", () => {
  const args = parseGrepArgs(["-i", "todo", "src", "--count", "lib", "-w"]);
  assert.deepEqual(args.patterns, ["todo"]);
  assert.deepEqual(args.paths, ["src", "lib"]);
  assert.equal(args.caseMode, "insensitive");
  assert.equal(args.mode, "count");
  assert.equal(args.wordRegexp, true);
});

Deno.test("parseGrepArgs() reads bundles of short flags", async (t) => {
  const cases: [argv: string[], check: (a: GrepArgs) => void][] = [
    [["-inH", "x"], (a) => {
      assert.equal(a.caseMode, "insensitive");
      assert.equal(a.lineNumber, true);
      assert.equal(a.withFilename, true);
    }],
    // A flag with a value ends the bundle: the rest of the word is its value.
    [["-C3", "x"], (a) => assert.equal(a.context, 3)],
    [["-nC3", "x"], (a) => assert.deepEqual([a.lineNumber, a.context], [true, 3])],
    [["-C=3", "x"], (a) => assert.equal(a.context, 3)],
    [["-A", "2", "x"], (a) => assert.equal(a.afterContext, 2)],
    [["-B2", "-A", "0", "x"], (a) => assert.deepEqual([a.beforeContext, a.afterContext], [2, 0])],
    [["-m1", "x"], (a) => assert.equal(a.maxCount, 1)],
    [["-efoo", "-e", "bar"], (a) => assert.deepEqual(a.patterns, ["foo", "bar"])],
    [["-ie", "x", "path"], (a) => {
      assert.equal(a.caseMode, "insensitive");
      assert.deepEqual(a.patterns, ["x"]);
      assert.deepEqual(a.paths, ["path"]);
    }],
    [["-tts", "x"], (a) => assert.deepEqual(a.types, ["ts"])],
    [["-0c", "x"], (a) => assert.deepEqual([a.nullSeparator, a.mode], [true, "count"])],
  ];
  for (const [argv, check] of cases) {
    await t.step(argv.join(" "), () => check(parseGrepArgs(argv)));
  }
});

Deno.test("parseGrepArgs() reads --flag=value and --flag value", () => {
  const a = parseGrepArgs(["--max-count=2", "--context", "4", "--regexp=-x", "--glob", "*.ts"]);
  assert.equal(a.maxCount, 2);
  assert.equal(a.context, 4);
  assert.deepEqual(a.patterns, ["-x"]);
  assert.deepEqual(a.globs, [{ glob: "*.ts", caseInsensitive: false }]);
  // A value may start with a dash or be empty.
  assert.deepEqual(parseGrepArgs(["--regexp", "-v"]).patterns, ["-v"]);
  assert.deepEqual(parseGrepArgs(["--replace=", "x"]).replace, "");
  assert.equal(parseGrepArgs(["--color=always", "x"]).color, "always");
});

Deno.test("parseGrepArgs() lets the later of two opposing flags win, as rg does", async (t) => {
  const cases: [argv: string[], check: (a: GrepArgs) => void][] = [
    [["-n", "-N", "x"], (a) => assert.equal(a.lineNumber, false)],
    [["-N", "-n", "x"], (a) => assert.equal(a.lineNumber, true)],
    [["-i", "-s", "x"], (a) => assert.equal(a.caseMode, "sensitive")],
    [["-s", "-S", "x"], (a) => assert.equal(a.caseMode, "smart")],
    [["-S", "-i", "x"], (a) => assert.equal(a.caseMode, "insensitive")],
    [["-H", "-I", "x"], (a) => assert.equal(a.withFilename, false)],
    [["--heading", "--no-heading", "x"], (a) => assert.equal(a.heading, false)],
    [["-F", "--no-fixed-strings", "x"], (a) => assert.equal(a.fixedStrings, false)],
    [["--column", "--no-column", "x"], (a) => assert.equal(a.column, false)],
    [["-w", "-x", "y"], (a) => assert.deepEqual([a.wordRegexp, a.lineRegexp], [false, true])],
    [["-x", "-w", "y"], (a) => assert.deepEqual([a.wordRegexp, a.lineRegexp], [true, false])],
    [["-c", "-l", "x"], (a) => assert.equal(a.mode, "files-with-matches")],
    [["--hidden", "--no-hidden", "x"], (a) => assert.equal(a.hidden, false)],
    [["--sort", "path", "--sort", "none", "x"], (a) => assert.equal(a.sort, undefined)],
    [["--sortr=modified", "x"], (a) => assert.deepEqual(a.sort, { by: "modified", reverse: true })],
    [["--context-separator=x", "--no-context-separator", "y"], (a) => {
      assert.equal(a.contextSeparator, null);
    }],
  ];
  for (const [argv, check] of cases) {
    await t.step(argv.join(" "), () => check(parseGrepArgs(argv)));
  }
});

Deno.test("parseGrepArgs() counts -u: no ignore files, then hidden files, then binary", async (t) => {
  const ignoreOff = (a: GrepArgs) =>
    a.noIgnoreVcs && a.noIgnoreDot && a.noIgnoreParent && a.noIgnoreExclude &&
    a.noIgnoreGlobal && a.noIgnoreFiles;
  const cases: [argv: string[], noIgnore: boolean, hidden: boolean, binary: boolean][] = [
    [["x"], false, false, false],
    [["-u", "x"], true, false, false],
    [["-uu", "x"], true, true, false],
    [["-uuu", "x"], true, true, true],
    [["-u", "-u", "x"], true, true, false],
    [["--unrestricted", "-uu", "x"], true, true, true],
    // Other flags do not count as a -u.
    [["--no-ignore", "-u", "x"], true, false, false],
    [["--hidden", "-uu", "x"], true, true, false],
  ];
  for (const [argv, noIgnore, hidden, binary] of cases) {
    await t.step(argv.join(" "), () => {
      const a = parseGrepArgs(argv);
      assert.deepEqual([ignoreOff(a), a.hidden, a.binary], [noIgnore, hidden, binary]);
    });
  }
});

Deno.test("parseGrepArgs() collects -e and -f; then every word is a path", () => {
  const a = parseGrepArgs(["-e", "foo", "-e", "bar", "src", "-f", "pats.txt", "-f", "more.txt"]);
  assert.deepEqual(a.patterns, ["foo", "bar"]);
  assert.deepEqual(a.patternFiles, ["pats.txt", "more.txt"]);
  assert.deepEqual(a.paths, ["src"]);
  const f = parseGrepArgs(["-f", "pats.txt", "src"]);
  assert.deepEqual(f.patterns, []);
  assert.deepEqual(f.paths, ["src"]);
  assert.deepEqual(parseGrepArgs(["-e", "", "src"]).patterns, [""]);
});

Deno.test("parseGrepArgs() treats every word after -- as positional", () => {
  const a = parseGrepArgs(["-n", "--", "-v", "--count", "-"]);
  assert.deepEqual(a.patterns, ["-v"]);
  assert.deepEqual(a.paths, ["--count", "-"]);
  assert.equal(a.invertMatch, false);
  assert.equal(a.mode, "lines");
  // A lone "-" is a path (stdin) anywhere.
  assert.deepEqual(parseGrepArgs(["x", "-"]).paths, ["-"]);
});

Deno.test("parseGrepArgs() needs no pattern for --files, --type-list, --help, --version", () => {
  assert.deepEqual(parseGrepArgs(["--files", "src"]).paths, ["src"]);
  assert.equal(parseGrepArgs(["--type-list"]).mode, "type-list");
  assert.equal(parseGrepArgs(["-h"]).help, true);
  assert.equal(parseGrepArgs(["--version"]).version, true);
});

Deno.test("parseGrepArgs() accepts rg's engine-tuning flags and ignores them", () => {
  const a = parseGrepArgs([
    "--mmap",
    "--no-config",
    "--engine",
    "auto",
    "--dfa-size-limit=1G",
    "x",
  ]);
  assert.deepEqual(a.patterns, ["x"]);
  assert.deepEqual(a.paths, []);
});

Deno.test("parseGrepArgs() unescapes separators and reads sizes", () => {
  const a = parseGrepArgs([
    "--context-separator",
    "\\x7F\\t",
    "--field-match-separator=\\0",
    "--max-filesize",
    "2K",
    "x",
  ]);
  assert.equal(a.contextSeparator, "\x7f\t");
  assert.equal(a.fieldMatchSeparator, "\0");
  assert.equal(a.maxFilesize, 2048);
  assert.equal(parseSize("10"), 10);
  assert.equal(parseSize("1m"), 1 << 20);
  assert.equal(parseSize("3G"), 3 * (1 << 30));
  assert.throws(() => parseSize("1T"), CliError);
  // -M 0 means no limit, as in rg.
  assert.equal(parseGrepArgs(["-M", "0", "x"]).maxColumns, undefined);
});

Deno.test("parseGrepArgs() sets rg's modes and --pretty", () => {
  assert.equal(parseGrepArgs(["--count-matches", "x"]).mode, "count-matches");
  assert.equal(parseGrepArgs(["--files-without-match", "x"]).mode, "files-without-match");
  const p = parseGrepArgs(["-p", "x"]);
  assert.deepEqual([p.color, p.heading, p.lineNumber], ["always", true, true]);
});

Deno.test("parseGrepArgs() rejects an unknown flag with exit 2 and a suggestion", async (t) => {
  await t.step("--ignore-cas suggests --ignore-case", () => {
    assertUsage(["--ignore-cas", "x"], /unknown flag --ignore-cas/, /did you mean --ignore-case\?/);
  });
  await t.step("--conut suggests --count", () => {
    assertUsage(["x", "--conut"], /unknown flag --conut/, /--count/);
  });
  await t.step("a word far from every flag gets the usual hint", () => {
    const error = assertUsage(["--zzzzzzzzzz", "x"], /unknown flag --zzzzzzzzzz/);
    assert.doesNotMatch(error.hint ?? "", /did you mean/);
  });
  await t.step("an unknown short flag, also inside a bundle", () => {
    assertUsage(["-ny", "x"], /unknown flag -y/);
  });
});

Deno.test("parseGrepArgs() rejects bad values with exit 2", async (t) => {
  const cases: [argv: string[], message: RegExp][] = [
    [["-A", "x", "y"], /--after-context expects a whole number, not "x"/],
    [["-m", "-1", "x"], /--max-count expects a whole number/],
    [["--color=sometimes", "x"], /--color takes auto, always, never or ansi/],
    [["--sort", "size", "x"], /--sort takes none, path, modified, accessed, created/],
    [["--max-filesize", "big", "x"], /--max-filesize expects a number/],
    [["x", "-A"], /-A needs a value/],
    [["x", "--context"], /--context needs a value/],
    [["--count=yes", "x"], /--count takes no value/],
    [[], /no pattern given/],
    [["-n"], /no pattern given/],
  ];
  for (const [argv, message] of cases) {
    await t.step(argv.join(" ") || "(nothing)", () => void assertUsage(argv, message));
  }
});

Deno.test("parseGrepArgs() needs --replace for --write and --dry-run", async (t) => {
  await t.step(
    "--write alone",
    () => void assertUsage(["x", "--write"], /--write needs --replace/),
  );
  await t.step("--dry-run alone", () => {
    assertUsage(["x", "--dry-run"], /--dry-run needs --replace/);
  });
  await t.step("--dry-run implies --write", () => {
    const a = parseGrepArgs(["colou?r", "-r", "color", "--dry-run"]);
    assert.deepEqual([a.write, a.dryRun, a.replace], [true, true, "color"]);
  });
  await t.step("--replace without --write only prints", () => {
    assert.equal(parseGrepArgs(["x", "-r", "y"]).write, false);
  });
});

Deno.test("grepHelp() lists every flag once, with its short letter and value name", () => {
  const help = grepHelp();
  for (const flag of FLAGS) {
    const names = `${flag.short ? `-${flag.short}, ` : ""}--${flag.long}${
      flag.value ? ` <${flag.value}>` : ""
    }`;
    assert.ok(help.includes(names), `help lacks "${names}"`);
    const rows = help.split("\n").filter((line) =>
      new RegExp(`^  (-., |    )--${flag.long}( |$)`).test(line)
    );
    assert.equal(rows.length, 1, `--${flag.long} has one row`);
  }
  assert.match(help, /^Usage: kit grep \[OPTIONS\] PATTERN \[PATH\.\.\.\]$/m);
  assert.ok(help.endsWith("\n"));
});

Deno.test("FLAGS has no two flags with the same long name or short letter", () => {
  const longs = FLAGS.map((f) => f.long);
  const shorts = FLAGS.flatMap((f) => f.short ? [f.short] : []);
  assert.equal(new Set(longs).size, longs.length);
  assert.equal(new Set(shorts).size, shorts.length);
});
