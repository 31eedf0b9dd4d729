/**
 * File-system helpers every kit tool uses.
 *
 * Layout: `atomic_write.ts` replaces files crash-safely; `dirs.ts` finds the XDG data and
 * config folders with per-tool overrides; `walk.ts` walks a tree depth-first with ripgrep's
 * ignore rules, read by `ignore.ts` (`.gitignore` files, `-g` overrides) from globs that
 * `glob.ts` compiles, and `walk_parallel.ts` walks it on workers (`walk_worker.ts`) with the
 * same rules (`walk_rules.ts`, shared by both walkers); `read_file.ts` and `read_into.ts` read whole files fast, `read_dir.ts`
 * lists folders, `stat_stamp.ts` stats a file for a cache and `map_file.ts` maps a large
 * file instead of copying it (the last four through the C library where FFI is available,
 * `_libc.ts`).
 *
 * @module
 */
export * from "./atomic_write.ts";
export * from "./dirs.ts";
export * from "./read_file.ts";
export * from "./read_into.ts";
export * from "./read_dir.ts";
export * from "./stat_stamp.ts";
export * from "./map_file.ts";
export * from "./decode_text.ts";
export * from "./path.ts";
export * from "./glob.ts";
export * from "./ignore.ts";
export * from "./walk.ts";
export * from "./walk_parallel.ts";
