/**
 * The command contract every kit tool implements.
 *
 * Layout: `io.ts` (streams and environment a CLI talks through), `error.ts` (CliError, exit
 * codes, the one place errors are formatted), `args.ts` (one command tree gives parsing, help and completions), `command.ts` (the tool contract and `guard`),
 * `color.ts` (NO_COLOR / FORCE_COLOR / `--color` and a palette), `json.ts` (`--json` output),
 * `progress.ts` (bar and spinner on a TTY), `prompt.ts` (prompts that never run without a
 * TTY), `completions.ts` (bash, zsh and fish scripts from a command tree) and `editor.ts`
 * (`$EDITOR` on a file, `$PAGER` for a long text).
 *
 * @module
 */
export * from "./io.ts";
export * from "./error.ts";
export * from "./command.ts";
export * from "./args.ts";
export * from "./color.ts";
export * from "./json.ts";
export * from "./progress.ts";
export * from "./prompt.ts";
export * from "./completions.ts";
export * from "./editor.ts";
