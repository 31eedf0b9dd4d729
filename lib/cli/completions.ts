/**
 * Shell completion scripts generated from command trees.
 *
 * @module
 */

import type { CommandSpec } from "./args.ts";

/** A command as completions see it. */
export interface CompletionNode {
  /** Name as typed. */
  name: string;
  /** Other names. */
  aliases: string[];
  /** One-line description. */
  description: string;
  /** Long and short flags, e.g. `--dir`, `-d`. */
  flags: { names: string[]; description: string }[];
  /** Subcommands. */
  children: CompletionNode[];
}

/**
 * Reads a completion tree out of a command spec.
 *
 * @param spec The command.
 * @param aliases Extra names for it.
 * @returns The tree.
 */
export function completionTree(spec: CommandSpec, aliases: string[] = []): CompletionNode {
  return {
    name: spec.name,
    aliases: [...(spec.aliases ?? []), ...aliases],
    description: spec.description,
    flags: [
      ...(spec.options ?? []).map((o) => ({
        // Without the `<value>` part, whose name may hold a hyphen (`<max-count>`).
        names: [...o.flags.replace(/<[^>]*>/g, "").matchAll(/--?[\w-]+/g)].map((m) => m[0]),
        description: o.description,
      })),
      { names: ["--help", "-h"], description: "show help" },
    ],
    children: (spec.commands ?? []).map((c) => completionTree(c)),
  };
}

function words(node: CompletionNode): string {
  return [
    ...node.children.flatMap((c) => [c.name, ...c.aliases]),
    ...node.flags.flatMap((f) => f.names),
  ].join(" ");
}

function paths(node: CompletionNode, prefix: string[] = []): [string[], CompletionNode][] {
  const out: [string[], CompletionNode][] = [[prefix, node]];
  for (const child of node.children) {
    for (const name of [child.name, ...child.aliases]) {
      out.push(...paths(child, [...prefix, name]));
    }
  }
  return out;
}

const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * A bash completion script for `kit`.
 *
 * @example
 * ```ts
 * import { bashCompletion } from "./completions.ts";
 * import assert from "node:assert/strict";
 * const script = bashCompletion({ name: "kit", aliases: [], description: "", flags: [], children: [] });
 * assert.match(script, /complete -o default -F _kit kit/);
 * ```
 *
 * @param root The tree whose root is `kit`.
 * @returns The script.
 */
export function bashCompletion(root: CompletionNode): string {
  const cases = paths(root).map(([path, node]) =>
    `    ${q(path.join(" "))}) words=${q(words(node))} ;;`
  ).join("\n");
  return `# bash completion for kit; load with: source <(kit completions bash)
_kit() {
  local cur path="" i words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) path="\${path:+$path }\${COMP_WORDS[i]}" ;; esac
  done
  while :; do
    case "$path" in
${cases}
    *) if [[ "$path" == *" "* ]]; then path="\${path% *}"; continue; else words=""; fi ;;
    esac
    break
  done
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _kit kit
`;
}

/**
 * A zsh completion script for `kit` (bash-style, through bashcompinit).
 *
 * @param root The tree whose root is `kit`.
 * @returns The script.
 */
export function zshCompletion(root: CompletionNode): string {
  return `#compdef kit
# zsh completion for kit; load with: source <(kit completions zsh)
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(root).replace(/^# bash completion.*\n/, "")}`;
}

/**
 * A fish completion script for `kit`.
 *
 * @param root The tree whose root is `kit`.
 * @returns The script.
 */
export function fishCompletion(root: CompletionNode): string {
  const lines = ["# fish completion for kit; load with: kit completions fish | source"];
  lines.push("complete -c kit -f");
  for (const [path, node] of paths(root)) {
    const condition = path.length === 0
      ? "__fish_use_subcommand"
      : `__fish_seen_subcommand_from ${path[path.length - 1]}`;
    for (const child of node.children) {
      for (const name of [child.name, ...child.aliases]) {
        lines.push(`complete -c kit -n ${q(condition)} -a ${q(name)} -d ${q(child.description)}`);
      }
    }
    if (path.length === 0) continue;
    for (const flag of node.flags) {
      const long = flag.names.find((n) => n.startsWith("--"))?.slice(2);
      const short = flag.names.find((n) => /^-[^-]$/.test(n))?.slice(1);
      lines.push(
        `complete -c kit -n ${q(condition)}${long ? ` -l ${long}` : ""}${
          short ? ` -s ${short}` : ""
        } -d ${q(flag.description)}`,
      );
    }
  }
  return lines.join("\n") + "\n";
}
