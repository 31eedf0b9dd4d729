/**
 * ripgrep's `--colors` specs and its default colours, as the escape sequences rg writes.
 *
 * @module
 */

import { CliError, ExitCode } from "../../lib/cli/error.ts";

/** Escape sequences for each part of the output; empty string means plain. */
export interface GrepColors {
  path: string;
  line: string;
  column: string;
  match: string;
}

interface Style {
  fg?: string;
  bg?: string;
  bold?: boolean;
  underline?: boolean;
  intense?: boolean;
}

const NAMES: Record<string, number> = {
  black: 0,
  red: 1,
  green: 2,
  yellow: 3,
  blue: 4,
  magenta: 5,
  cyan: 6,
  white: 7,
};

function colorCode(value: string, background: boolean, intense: boolean): string {
  const base = background ? 40 : 30;
  // termcolor writes an intense basic colour as its 256-colour number (red: 38;5;9).
  if (Object.hasOwn(NAMES, value)) {
    return intense ? `\x1b[${base + 8};5;${NAMES[value] + 8}m` : `\x1b[${base + NAMES[value]}m`;
  }
  if (/^\d+$/.test(value) && Number(value) < 256) return `\x1b[${base + 8};5;${value}m`;
  const rgb = /^(0x[0-9a-f]+|\d+),(0x[0-9a-f]+|\d+),(0x[0-9a-f]+|\d+)$/i.exec(value);
  if (rgb) return `\x1b[${base + 8};2;${rgb.slice(1).map(Number).join(";")}m`;
  throw new CliError(`unrecognized color name "${value}"`, {
    hint: "use black, blue, green, red, cyan, magenta, yellow, white, 0-255 or r,g,b",
    exitCode: ExitCode.Usage,
  });
}

function encode(style: Style): string {
  let out = "";
  if (style.bold) out += "\x1b[1m";
  if (style.underline) out += "\x1b[4m";
  if (style.fg) out += colorCode(style.fg, false, style.intense ?? false);
  if (style.bg) out += colorCode(style.bg, true, style.intense ?? false);
  return out;
}

/**
 * The colours after applying `--colors` specs (`type:fg|bg|style:value` or `type:none`) on
 * top of rg's defaults: magenta paths, green line numbers, bold red matches.
 *
 * @example
 * ```ts
 * import { grepColors } from "./color_spec.ts";
 * import assert from "node:assert/strict";
 * assert.equal(grepColors([]).match, "\x1b[1m\x1b[31m");
 * assert.equal(grepColors(["match:none", "match:fg:blue"]).match, "\x1b[34m");
 * ```
 *
 * @param specs The `--colors` values in order.
 * @returns Escape sequences per part.
 * @throws {CliError} For a malformed spec.
 */
export function grepColors(specs: readonly string[]): GrepColors {
  const styles: Record<keyof GrepColors, Style> = {
    path: { fg: "magenta" },
    line: { fg: "green" },
    column: {},
    match: { fg: "red", bold: true },
  };
  for (const spec of specs) {
    // rg reads specs case-insensitively: `match:FG:Red` is `match:fg:red`.
    const parts = spec.toLowerCase().split(":");
    const [type, attr, value] = parts;
    if (!Object.hasOwn(styles, type)) {
      throw new CliError(`unrecognized output type "${type}" in --colors "${spec}"`, {
        hint: "types are path, line, column and match",
        exitCode: ExitCode.Usage,
      });
    }
    if (parts.length !== (attr === "none" ? 2 : 3)) {
      throw new CliError(`malformed --colors "${spec}"`, {
        hint: "expected TYPE:fg|bg|style:VALUE or TYPE:none",
        exitCode: ExitCode.Usage,
      });
    }
    const style = styles[type as keyof GrepColors];
    if (attr === "none") styles[type as keyof GrepColors] = {};
    else if (attr === "fg" || attr === "bg") {
      colorCode(value ?? "", false, false);
      style[attr] = value;
    } else if (attr === "style") {
      if (value === "bold") style.bold = true;
      else if (value === "nobold") style.bold = false;
      else if (value === "underline") style.underline = true;
      else if (value === "nounderline") style.underline = false;
      else if (value === "intense") style.intense = true;
      else if (value === "nointense") style.intense = false;
      else {
        throw new CliError(`unrecognized style "${value}" in --colors "${spec}"`, {
          exitCode: ExitCode.Usage,
        });
      }
    } else {
      throw new CliError(`malformed --colors "${spec}"`, {
        hint: "expected TYPE:fg|bg|style:VALUE or TYPE:none",
        exitCode: ExitCode.Usage,
      });
    }
  }
  return {
    path: encode(styles.path),
    line: encode(styles.line),
    column: encode(styles.column),
    match: encode(styles.match),
  };
}
