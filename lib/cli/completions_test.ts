import assert from "node:assert/strict";
import type { CommandSpec } from "./args.ts";
import { bashCompletion, completionTree, fishCompletion, zshCompletion } from "./completions.ts";

const kit: CommandSpec = {
  name: "kit",
  description: "One CLI, many tools",
  commands: [
    {
      name: "notes",
      description: "Keep notes",
      options: [{ flags: "-d, --dir <dir>", description: "notes folder" }],
      commands: [
        {
          name: "list",
          aliases: ["ls"],
          description: "list notes",
          options: [
            { flags: "-t, --tag <tag>", description: "only with this tag", repeat: true },
            { flags: "--max <max-count>", description: "at most this many" },
          ],
        },
        { name: "add", description: "Don't forget", arguments: [] },
      ],
    },
    { name: "grep", aliases: ["g"], description: "Search files" },
  ],
};

const tree = completionTree(kit);

async function run(
  command: string,
  args: string[],
  stdin: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(command, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { LC_ALL: "C" },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

async function installed(command: string): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(command, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

const hasBash = await installed("bash");
const hasZsh = await installed("zsh");
const hasFish = await installed("fish");

/**
 * Sources the bash script, then calls `_kit` as bash would with the cursor on the last of
 * `words`, and returns the candidates it offers.
 */
async function bashComplete(words: string[]): Promise<string[]> {
  const driver = `source /dev/stdin
COMP_WORDS=("$@")
COMP_CWORD=$((\${#COMP_WORDS[@]} - 1))
_kit
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { code, stdout, stderr } = await run(
    "bash",
    ["--norc", "--noprofile", "-c", driver, "bash", ...words],
    bashCompletion(tree),
  );
  assert.equal(stderr, "");
  assert.equal(code, 0);
  return stdout.split("\n").filter((line) => line !== "");
}

Deno.test("completionTree() reads names, aliases, flags and children", () => {
  assert.equal(tree.name, "kit");
  assert.deepEqual(tree.children.map((c) => [c.name, c.aliases]), [
    ["notes", []],
    ["grep", ["g"]],
  ]);
  assert.deepEqual(tree.flags, [{ names: ["--help", "-h"], description: "show help" }]);
  const list = tree.children[0].children[0];
  assert.deepEqual(list.flags, [
    { names: ["-t", "--tag"], description: "only with this tag" },
    { names: ["--max"], description: "at most this many" },
    { names: ["--help", "-h"], description: "show help" },
  ]);
});

Deno.test("completionTree() adds extra aliases to the root", () => {
  assert.deepEqual(completionTree(kit.commands![1], ["search"]).aliases, ["g", "search"]);
});

Deno.test({
  name: "bashCompletion() writes a script bash can parse",
  ignore: !hasBash,
  async fn() {
    const { code, stderr } = await run("bash", ["-n"], bashCompletion(tree));
    assert.equal(stderr, "");
    assert.equal(code, 0);
  },
});

Deno.test({
  name: "bashCompletion() offers the words that fit where the cursor is",
  ignore: !hasBash,
  async fn(t) {
    const cases: [string[], string[]][] = [
      [["kit", ""], ["notes", "grep", "g", "--help", "-h"]],
      [["kit", "n"], ["notes"]],
      [["kit", "notes", "li"], ["list"]],
      [["kit", "notes", "l"], ["list", "ls"]],
      [["kit", "notes", "--dir", "x", "li"], ["list"]],
      [["kit", "notes", "ls", "--t"], ["--tag"]],
      [["kit", "notes", "list", "-"], ["-t", "--tag", "--max", "--help", "-h"]],
      [["kit", "notes", "list", "extra", "--m"], ["--max"]],
      [["kit", "g", "--h"], ["--help"]],
      [["kit", "nope", ""], []],
    ];
    for (const [words, expected] of cases) {
      await t.step(words.join(" "), async () => {
        assert.deepEqual(await bashComplete(words), expected);
      });
    }
  },
});

Deno.test("bashCompletion() registers _kit for kit", () => {
  const script = bashCompletion(tree);
  assert.ok(script.startsWith("# bash completion for kit"));
  assert.ok(script.endsWith("complete -o default -F _kit kit\n"));
  assert.match(script, /^ {4}'notes ls'\) words='-t --tag --max --help -h' ;;$/m);
});

Deno.test("zshCompletion() wraps the bash script through bashcompinit", () => {
  const script = zshCompletion(tree);
  assert.ok(script.startsWith("#compdef kit\n# zsh completion for kit"));
  assert.match(script, /^autoload -U \+X bashcompinit && bashcompinit$/m);
  assert.doesNotMatch(script, /# bash completion/);
  assert.ok(script.endsWith(bashCompletion(tree).replace(/^# bash completion.*\n/, "")));
});

Deno.test({
  name: "zshCompletion() writes a script zsh can parse",
  ignore: !hasZsh,
  async fn() {
    const { code, stderr } = await run("zsh", ["-n"], zshCompletion(tree));
    assert.equal(stderr, "");
    assert.equal(code, 0);
  },
});

Deno.test("fishCompletion() writes one complete line per subcommand and flag", () => {
  const notes = "'__fish_seen_subcommand_from notes'";
  const list = "'__fish_seen_subcommand_from list'";
  const ls = "'__fish_seen_subcommand_from ls'";
  const add = "'__fish_seen_subcommand_from add'";
  const grep = "'__fish_seen_subcommand_from grep'";
  const g = "'__fish_seen_subcommand_from g'";
  const listFlags = (condition: string) => [
    `complete -c kit -n ${condition} -l tag -s t -d 'only with this tag'`,
    `complete -c kit -n ${condition} -l max -d 'at most this many'`,
    `complete -c kit -n ${condition} -l help -s h -d 'show help'`,
  ];
  assert.deepEqual(fishCompletion(tree).split("\n"), [
    "# fish completion for kit; load with: kit completions fish | source",
    "complete -c kit -f",
    "complete -c kit -n '__fish_use_subcommand' -a 'notes' -d 'Keep notes'",
    "complete -c kit -n '__fish_use_subcommand' -a 'grep' -d 'Search files'",
    "complete -c kit -n '__fish_use_subcommand' -a 'g' -d 'Search files'",
    `complete -c kit -n ${notes} -a 'list' -d 'list notes'`,
    `complete -c kit -n ${notes} -a 'ls' -d 'list notes'`,
    `complete -c kit -n ${notes} -a 'add' -d 'Don'\\''t forget'`,
    `complete -c kit -n ${notes} -l dir -s d -d 'notes folder'`,
    `complete -c kit -n ${notes} -l help -s h -d 'show help'`,
    ...listFlags(list),
    ...listFlags(ls),
    `complete -c kit -n ${add} -l help -s h -d 'show help'`,
    `complete -c kit -n ${grep} -l help -s h -d 'show help'`,
    `complete -c kit -n ${g} -l help -s h -d 'show help'`,
    "",
  ]);
});

Deno.test({
  name: "fishCompletion() writes a script fish can parse",
  ignore: !hasFish,
  async fn() {
    const { code, stderr } = await run("fish", ["--no-execute"], fishCompletion(tree));
    assert.equal(stderr, "");
    assert.equal(code, 0);
  },
});
