/**
 * Text helpers two or more tools use: byte rarity for literal scans.
 *
 * @module
 */
export * from "./byte_rank.ts";
