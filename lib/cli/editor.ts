/**
 * Running the user's editor and pager, for the tools that hand a file or a long text to them.
 *
 * @module
 */

import { CliError } from "./error.ts";
import type { Io } from "./io.ts";

/**
 * Opens `$VISUAL`, `$EDITOR` or `vi` on a file and waits for it. The variable may hold
 * arguments (`code --wait`), so it runs through `sh -c` as git does.
 *
 * @example
 * ```ts ignore
 * import { openEditor, processIo } from "kit/cli";
 * await openEditor(processIo(), "/tmp/note.md");
 * ```
 *
 * @param io Environment lookup.
 * @param path The file.
 * @param options The exit code of the error thrown when the editor fails. @default 2
 * @throws {CliError} When the editor cannot start or exits with a failure.
 */
export async function openEditor(
  io: Io,
  path: string,
  options: { exitCode?: number } = {},
): Promise<void> {
  const editor = io.env("VISUAL") || io.env("EDITOR") || "vi";
  const command = Deno.build.os === "windows"
    ? new Deno.Command("cmd", { args: ["/c", editor, path] })
    : new Deno.Command("sh", { args: ["-c", `${editor} "$1"`, "sh", path] });
  let status: Deno.CommandStatus;
  try {
    status = await command.spawn().status;
  } catch (error) {
    throw new CliError(`Cannot start the editor "${editor}": ${(error as Error).message}`, {
      hint: "set EDITOR to your editor, e.g. EDITOR=nano",
      exitCode: options.exitCode,
    });
  }
  if (!status.success) {
    throw new CliError(`The editor "${editor}" exited with status ${status.code}`, {
      exitCode: options.exitCode,
    });
  }
}

/**
 * Writes text through `$PAGER` (default `less -R`) when stdout is a terminal and the text is
 * taller than it; otherwise straight to stdout.
 *
 * @example
 * ```ts ignore
 * import { page, processIo } from "kit/cli";
 * await page(processIo(), "a long text\n");
 * ```
 *
 * @param io Streams and terminal size.
 * @param text The text.
 */
export async function page(io: Io, text: string): Promise<void> {
  const lines = text.split("\n").length;
  const pager = io.env("PAGER") ?? "less -R";
  if (!io.isTerminal.stdout || lines < io.rows || pager === "" || pager === "cat") {
    await io.stdout.write(text);
    return;
  }
  try {
    const child = new Deno.Command("sh", {
      args: ["-c", pager],
      stdin: "piped",
      env: { LESS: io.env("LESS") ?? "FRX" },
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(text)).catch(() => {});
    await writer.close().catch(() => {});
    await child.status;
  } catch {
    await io.stdout.write(text);
  }
}
