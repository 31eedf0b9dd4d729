/**
 * `kit <tool> <args>`: reads the first word and loads only that tool.
 *
 * Tools are imported with literal `import()` paths so `deno compile` bundles them, and only
 * when run, so `kit --version` loads none.
 *
 * @module
 */

import { processIo } from "./lib/cli/io.ts";
import { formatError } from "./lib/cli/error.ts";
import type { ToolCli } from "./lib/cli/command.ts";

/** kit's version. */
export const VERSION = "0.1.0";

interface ToolEntry {
  name: string;
  aliases: string[];
  summary: string;
  load: () => Promise<ToolCli>;
}

const TOOLS: ToolEntry[] = [
  {
    name: "notes",
    aliases: ["rumble"],
    summary: "markdown notes: new, list, search, show, links, export, sync",
    load: () => import("./commands/notes/cli.ts"),
  },
  {
    name: "grep",
    aliases: ["rgrep"],
    summary: "recursive regex search honouring .gitignore, with ripgrep's flags and output",
    load: () => import("./commands/grep/cli.ts"),
  },
  {
    name: "http",
    aliases: ["hurl"],
    summary: "HTTP client with httpie's syntax and output, sessions, history and collections",
    load: () => import("./commands/http/cli.ts"),
  },
  {
    name: "kv",
    aliases: ["cask"],
    summary: "Bitcask key-value store: get, set, scan, compact, and a Redis-protocol server",
    load: () => import("./commands/kv/cli.ts"),
  },
  {
    name: "redis",
    aliases: ["prism"],
    summary: "Redis-compatible server: RESP2/3, core types, expiry, pub/sub, transactions",
    load: () => import("./commands/redis/cli.ts"),
  },
  {
    name: "web",
    aliases: ["rapid"],
    summary: "static file server and web framework on kit's own HTTP/1.1 engine",
    load: () => import("./commands/web/cli.ts"),
  },
];

function findTool(name: string): ToolEntry | undefined {
  return TOOLS.find((t) => t.name === name || t.aliases.includes(name));
}

function usage(): string {
  const width = Math.max(...TOOLS.map((t) => t.name.length));
  const rows = TOOLS.map((t) =>
    `  ${t.name.padEnd(width)}  ${t.summary}${
      t.aliases.length ? ` (alias: ${t.aliases.join(", ")})` : ""
    }`
  );
  return `kit ${VERSION}: systems tools in one program

Usage: kit <tool> [args...]

Tools:
${rows.join("\n")}

Other commands:
  help [tool]                    show this help, or a tool's help
  completions bash|zsh|fish      print a shell completion script
  --version                      print kit's version

Run 'kit <tool> --help' for a tool's commands.
`;
}

async function completions(shell: string | undefined): Promise<string> {
  const { bashCompletion, completionTree, fishCompletion, zshCompletion } = await import(
    "./lib/cli/completions.ts"
  );
  const generate = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion }[shell ?? ""];
  if (!generate) {
    throw new Error(`Cannot make completions for "${shell ?? ""}": use bash, zsh or fish`);
  }
  const children = [];
  for (const tool of TOOLS) {
    children.push(completionTree((await tool.load()).spec, tool.aliases));
  }
  children.push({
    name: "help",
    aliases: [],
    description: "show help",
    flags: [],
    children: TOOLS.map((t) => ({
      name: t.name,
      aliases: [],
      description: t.summary,
      flags: [],
      children: [],
    })),
  }, {
    name: "completions",
    aliases: [],
    description: "print a shell completion script",
    flags: [],
    children: ["bash", "zsh", "fish"].map((name) => ({
      name,
      aliases: [],
      description: `${name} script`,
      flags: [],
      children: [],
    })),
  });
  return generate({
    name: "kit",
    aliases: [],
    description: "kit",
    flags: [{ names: ["--version", "-V"], description: "print version" }, {
      names: ["--help", "-h"],
      description: "show help",
    }],
    children,
  });
}

async function run(args: string[]): Promise<number> {
  const io = processIo();
  const [first, ...rest] = args;
  try {
    if (first === "--version" || first === "-V" || first === "version") {
      await io.stdout.write(`kit ${VERSION}\n`);
      return 0;
    }
    if (first === undefined || first === "--help" || first === "-h") {
      await (first === undefined ? io.stderr : io.stdout).write(usage());
      return first === undefined ? 2 : 0;
    }
    if (first === "help") {
      if (rest.length === 0) {
        await io.stdout.write(usage());
        return 0;
      }
      const tool = findTool(rest[0]);
      if (tool) return await (await tool.load()).main(["--help"], io);
      return await unknown(rest[0]);
    }
    if (first === "completions") {
      await io.stdout.write(await completions(rest[0]));
      return 0;
    }
    const tool = findTool(first);
    if (!tool) return await unknown(first);
    return await (await tool.load()).main(rest, io);
  } catch (error) {
    await io.stderr.write(formatError("", error, io.env("KIT_DEBUG") === "1"));
    return 2;
  }

  async function unknown(name: string): Promise<number> {
    const { nearest } = await import("./lib/cli/args.ts");
    const suggestion = nearest(name, [
      ...TOOLS.flatMap((t) => [t.name, ...t.aliases]),
      "help",
      "completions",
    ]);
    await io.stderr.write(
      `kit: error: unknown tool "${name}"\n` +
        (suggestion
          ? `hint: did you mean "${suggestion}"?\n`
          : "hint: run 'kit help' for the list\n"),
    );
    return 2;
  }
}

if (import.meta.main) {
  Deno.exit(await run(Deno.args));
}
