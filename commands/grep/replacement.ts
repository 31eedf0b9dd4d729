/**
 * ripgrep's replacement syntax for `--replace`: `$1`, `${1}`, `$name`, `${name}` and `$$`.
 *
 * @module
 */

/** Makes the replacement text for one match. */
export type Replacer = (match: RegExpExecArray) => string;

/**
 * Compiles a replacement template. As in ripgrep (Rust's regex crate), `$` takes the longest
 * run of letters, digits and underscores as a group name, so `$1a` names group "1a" (empty
 * when there is none) and `${1}a` is group 1 then "a".
 *
 * @example
 * ```ts
 * import { compileReplacement } from "./replacement.ts";
 * import assert from "node:assert/strict";
 * const replace = compileReplacement("${y}-$1 $$");
 * const m = /(?<y>\d+)/.exec("2024")!;
 * assert.equal(replace(m), "2024-2024 $");
 * ```
 *
 * @param template The `--replace` text.
 * @returns A function from a match to its replacement.
 */
export function compileReplacement(template: string): Replacer {
  const pieces: (string | { group: string })[] = [];
  let literal = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== "$") {
      literal += c;
      continue;
    }
    if (template[i + 1] === "$") {
      literal += "$";
      i++;
      continue;
    }
    let name: string | undefined;
    let next = i + 1;
    if (template[i + 1] === "{") {
      const close = template.indexOf("}", i + 2);
      if (close > i + 2) [name, next] = [template.slice(i + 2, close), close + 1];
    } else {
      const run = /^[_0-9A-Za-z]+/.exec(template.slice(i + 1));
      if (run) [name, next] = [run[0], i + 1 + run[0].length];
    }
    if (name === undefined) {
      literal += "$";
      continue;
    }
    if (literal) pieces.push(literal);
    literal = "";
    pieces.push({ group: name });
    i = next - 1;
  }
  if (literal) pieces.push(literal);
  return (m) => {
    let out = "";
    for (const p of pieces) {
      if (typeof p === "string") out += p;
      else if (/^\d+$/.test(p.group)) out += m[Number(p.group)] ?? "";
      else out += m.groups?.[p.group] ?? "";
    }
    return out;
  };
}
