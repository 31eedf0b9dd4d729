import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT, sandbox } from "./_util.ts";

const s = await sandbox();

Deno.test("kit --version prints the version", async () => {
  const r = await s.kit(["--version"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^kit \d+\.\d+\.\d+\n$/);
});

Deno.test("main.ts imports tools only lazily, so --version loads none", async () => {
  const source = await Deno.readTextFile(join(ROOT, "main.ts"));
  assert.doesNotMatch(source, /^import [^;]*["']\.\/commands\//m);
  assert.match(source, /import\("\.\/commands\/notes\/cli\.ts"\)/);
});

Deno.test("kit help lists the tools; kit with no arguments prints usage with exit 2", async () => {
  const help = await s.kit(["help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^ {2}notes +markdown notes/m);
  const bare = await s.kit([]);
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /Usage: kit <tool>/);
});

Deno.test("kit help notes and kit notes --help print the tool's help", async () => {
  const a = await s.kit(["help", "notes"]);
  const b = await s.kit(["notes", "--help"]);
  assert.equal(a.code, 0);
  assert.equal(a.stdout, b.stdout);
  assert.match(a.stdout, /Usage: kit notes \[options\] <command>/);
  const sub = await s.kit(["notes", "search", "--help"]);
  assert.match(sub.stdout, /-f, --fuzzy/);
  assert.match(sub.stdout, /Global options:\n {2}--dir <dir>/);
});

Deno.test("kit rumble is an alias of kit notes", async () => {
  const r = await s.kit(["rumble", "list", "--dir", join(s.home, "empty")]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "");
});

Deno.test("an unknown tool suggests the nearest one", async () => {
  const r = await s.kit(["nots"]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'kit: error: unknown tool "nots"\nhint: did you mean "notes"?\n');
  const far = await s.kit(["zzzzzz"]);
  assert.equal(
    far.stderr,
    "kit: error: unknown tool \"zzzzzz\"\nhint: run 'kit help' for the list\n",
  );
});

Deno.test("kit completions bash is valid bash that completes tools and subcommands", async () => {
  const r = await s.kit(["completions", "bash"]);
  assert.equal(r.code, 0, r.stderr);
  const run = (line: string) =>
    new Deno.Command("bash", {
      args: [
        "-c",
        `source /dev/stdin; COMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _kit; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      stdin: "piped",
      stdout: "piped",
    });
  for (
    const [line, expected] of [["kit no", "notes"], ["kit notes se", "search"], [
      "kit notes list --so",
      "--sort",
    ]]
  ) {
    const child = run(line).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(r.stdout));
    await writer.close();
    const out = new TextDecoder().decode((await child.output()).stdout);
    assert.ok(out.split("\n").includes(expected), `${line} → ${out}`);
  }
});

Deno.test("kit completions zsh and fish name every notes subcommand", async () => {
  const zsh = await s.kit(["completions", "zsh"]);
  assert.match(zsh.stdout, /^#compdef kit\n/);
  const fish = await s.kit(["completions", "fish"]);
  assert.equal(fish.code, 0);
  for (const sub of ["new", "list", "search", "show", "backlinks", "export", "sync", "import"]) {
    assert.match(fish.stdout, new RegExp(`-a '${sub}'`));
  }
  const bad = await s.kit(["completions", "tcsh"]);
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /^kit: error: Cannot make completions for "tcsh": use bash, zsh or fish\n$/,
  );
});

Deno.test("KIT_DEBUG=1 adds the stack trace to an error", async () => {
  const plain = await s.kit(["notes", "show", "nothing", "--dir", join(s.home, "empty")]);
  assert.equal(plain.stderr.split("\n").length, 3);
  const debug = await s.kit(["notes", "show", "nothing", "--dir", join(s.home, "empty")], {
    env: { KIT_DEBUG: "1" },
  });
  assert.match(debug.stderr, /\n {4}at /);
});

globalThis.addEventListener("unload", () => {
  Deno.removeSync(s.home, { recursive: true });
});
