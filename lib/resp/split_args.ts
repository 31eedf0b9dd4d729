/**
 * Splitting an inline command line into arguments, with Redis's quoting rules.
 *
 * @module
 */

/**
 * Splits an inline command (`SET "a b" 'c'`) into arguments the way Redis's `sdssplitargs`
 * does: whitespace separates words; `"..."` understands `\n`, `\r`, `\t`, `\b`, `\a`, `\xHH`
 * and `\<any>`; `'...'` understands `\'`; a closing quote must be followed by a space or the
 * end. Returns undefined for unbalanced quotes.
 *
 * @example
 * ```ts
 * import { splitArgs } from "./split_args.ts";
 * import assert from "node:assert/strict";
 * const text = (s: string) => new TextEncoder().encode(s);
 * const words = splitArgs(text(`set "a b\\x41" 'it\\'s'`))!.map((w) => new TextDecoder().decode(w));
 * assert.deepEqual(words, ["set", "a bA", "it's"]);
 * assert.equal(splitArgs(text(`get "open`)), undefined);
 * ```
 *
 * @param line The line without its line ending.
 * @returns The arguments, or undefined when the quotes do not balance.
 */
export function splitArgs(line: Uint8Array): Uint8Array[] | undefined {
  const args: Uint8Array[] = [];
  const n = line.length;
  let i = 0;
  while (true) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) return args;
    // A word without quotes is a view; only quoted words are copied out byte by byte.
    const start = i;
    while (i < n && !isSpace(line[i]) && line[i] !== 34 && line[i] !== 39) i++;
    if (i >= n || isSpace(line[i])) {
      args.push(line.subarray(start, i));
      continue;
    }
    const word: number[] = Array.from(line.subarray(start, i));
    let done = false;
    while (!done) {
      if (i >= n) break;
      const c = line[i];
      if (c === 34) {
        i++;
        while (true) {
          if (i >= n) return undefined;
          const q = line[i];
          if (
            q === 92 && i + 3 < n && line[i + 1] === 120 && isHex(line[i + 2]) && isHex(line[i + 3])
          ) {
            word.push(hex(line[i + 2]) * 16 + hex(line[i + 3]));
            i += 4;
          } else if (q === 92 && i + 1 < n) {
            const e = line[i + 1];
            word.push(
              e === 110 ? 10 : e === 114 ? 13 : e === 116 ? 9 : e === 98 ? 8 : e === 97 ? 7 : e,
            );
            i += 2;
          } else if (q === 34) {
            i++;
            if (i < n && !isSpace(line[i])) return undefined;
            done = true;
            break;
          } else {
            word.push(q);
            i++;
          }
        }
      } else if (c === 39) {
        i++;
        while (true) {
          if (i >= n) return undefined;
          const q = line[i];
          if (q === 92 && i + 1 < n && line[i + 1] === 39) {
            word.push(39);
            i += 2;
          } else if (q === 39) {
            i++;
            if (i < n && !isSpace(line[i])) return undefined;
            done = true;
            break;
          } else {
            word.push(q);
            i++;
          }
        }
      } else if (isSpace(c)) {
        done = true;
      } else {
        word.push(c);
        i++;
      }
    }
    args.push(Uint8Array.from(word));
  }
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function hex(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}
