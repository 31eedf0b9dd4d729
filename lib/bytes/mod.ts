/**
 * Byte-array helpers two or more tools use.
 *
 * @module
 */
export * from "./concat.ts";
