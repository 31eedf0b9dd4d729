/**
 * Running the user's editor and pager. Folder-private: terminal plumbing for the CLI.
 */

import { CliError } from "../../lib/cli/error.ts";
import type { Io } from "../../lib/cli/io.ts";

/**
 * Opens `$VISUAL`, `$EDITOR` or `vi` on a file and waits for it. The variable may hold
 * arguments (`code --wait`), so it runs through `sh -c` as git does.
 *
 * @param io Environment lookup.
 * @param path The file.
 */
export async function openEditor(io: Io, path: string): Promise<void> {
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
    });
  }
  if (!status.success) {
    throw new CliError(`The editor "${editor}" exited with status ${status.code}`);
  }
}

/**
 * Writes text through `$PAGER` (default `less -R`) when stdout is a terminal and the text is
 * taller than it; otherwise straight to stdout.
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
