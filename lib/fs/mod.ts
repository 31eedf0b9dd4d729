/**
 * File-system helpers every kit tool uses.
 *
 * Layout: `atomic_write.ts` replaces files crash-safely; `dirs.ts` finds the XDG data and
 * config folders with per-tool overrides.
 *
 * @module
 */
export * from "./atomic_write.ts";
export * from "./dirs.ts";
export * from "./read_file.ts";
export * from "./path.ts";
