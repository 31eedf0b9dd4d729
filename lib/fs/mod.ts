/**
 * File-system helpers every kit tool uses.
 *
 * Layout: `atomic_write.ts` replaces files crash-safely; `dirs.ts` finds the XDG data and
 * config folders with per-tool overrides; `walk.ts` walks a tree depth-first with ripgrep's
 * ignore rules, read by `ignore.ts` (`.gitignore` files, `-g` overrides) from globs that
 * `glob.ts` compiles; `read_file.ts` and `read_into.ts` read whole files fast (the latter
 * through the C library where FFI is available).
 *
 * @module
 */
export * from "./atomic_write.ts";
export * from "./dirs.ts";
export * from "./read_file.ts";
export * from "./read_into.ts";
export * from "./decode_text.ts";
export * from "./path.ts";
export * from "./glob.ts";
export * from "./ignore.ts";
export * from "./walk.ts";
