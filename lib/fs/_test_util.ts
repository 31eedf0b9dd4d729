/**
 * Fixtures for lib/fs's tests (folder-private).
 *
 * @module
 */

/**
 * Makes a temporary folder holding `files` (a path ending in `/` is an empty folder).
 *
 * @param files File paths and their text.
 * @param prefix The temporary folder's name prefix.
 * @returns The folder's real path.
 */
export async function tree(files: Record<string, string>, prefix = "kit_walk_"): Promise<string> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix }));
  for (const [path, text] of Object.entries(files)) {
    const full = `${dir}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    if (path.endsWith("/")) await Deno.mkdir(full, { recursive: true });
    else await Deno.writeTextFile(full, text);
  }
  return dir;
}

/**
 * Runs `body` on a temporary folder holding `files` (see {@linkcode tree}), then removes it.
 *
 * @param files File paths and their text.
 * @param body The test.
 */
export async function withTree(
  files: Record<string, string>,
  body: (dir: string) => void | Promise<void>,
): Promise<void> {
  const dir = await tree(files);
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
