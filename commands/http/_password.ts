/**
 * Asking for a password on the terminal without echoing it. Folder-private: terminal plumbing
 * for the CLI, used only when stdin and stderr are terminals.
 */

import { CliError, ExitCode } from "../../lib/cli/error.ts";
import type { Io } from "../../lib/cli/io.ts";

/**
 * Reads a line from the terminal in raw mode, so the typed characters are not shown.
 * Backspace deletes, Enter ends, Ctrl-C cancels.
 *
 * @param io Where the question is written.
 * @param message The question.
 * @returns The password, or undefined when there is no terminal to ask on.
 */
export async function promptPassword(io: Io, message: string): Promise<string | undefined> {
  if (!io.isTerminal.stdin || !io.isTerminal.stderr) return undefined;
  await io.stderr.write(message);
  Deno.stdin.setRaw(true);
  const bytes: number[] = [];
  const buffer = new Uint8Array(64);
  try {
    for (;;) {
      const n = await Deno.stdin.read(buffer);
      if (n === null) break;
      for (const b of buffer.subarray(0, n)) {
        if (b === 3) throw new CliError("Cancelled", { exitCode: ExitCode.Interrupted });
        if (b === 13 || b === 10) return new TextDecoder().decode(new Uint8Array(bytes));
        if (b === 127 || b === 8) bytes.pop();
        else bytes.push(b);
      }
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  } finally {
    Deno.stdin.setRaw(false);
    await io.stderr.write("\n");
  }
}
