/**
 * Text helpers two or more tools use: byte rarity for literal scans, and finding byte
 * strings at SIMD speed.
 *
 * @module
 */
export * from "./byte_rank.ts";
export { BytesFinder, type BytesFinderOptions, scanBuffer } from "./find_bytes.ts";
