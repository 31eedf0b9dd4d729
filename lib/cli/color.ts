/**
 * Terminal colour, decided once: a TTY colours unless NO_COLOR is set; FORCE_COLOR and
 * `--color=always|never` override.
 *
 * @module
 */

/** The values of `--color`. */
export type ColorMode = "auto" | "always" | "never";

/** Options for {@linkcode useColor}. */
export interface UseColorOptions {
  /** The `--color` flag. @default "auto" */
  mode?: ColorMode;
  /** Whether the stream is a terminal. */
  isTerminal: boolean;
  /** Environment lookup. */
  env: (name: string) => string | undefined;
}

/**
 * Decides whether to colour a stream.
 *
 * @example
 * ```ts
 * import { useColor } from "./color.ts";
 * import assert from "node:assert/strict";
 * assert.equal(useColor({ isTerminal: true, env: (n) => n === "NO_COLOR" ? "1" : undefined }), false);
 * assert.equal(useColor({ mode: "always", isTerminal: false, env: () => undefined }), true);
 * ```
 *
 * @param options The flag, terminal state and environment.
 * @returns True when output should carry ANSI colour.
 */
export function useColor(options: UseColorOptions): boolean {
  const mode = options.mode ?? "auto";
  if (mode === "always") return true;
  if (mode === "never") return false;
  const force = options.env("FORCE_COLOR");
  if (force !== undefined && force !== "0" && force !== "false") return true;
  if (options.env("NO_COLOR")) return false;
  if (options.env("TERM") === "dumb") return false;
  return options.isTerminal;
}

/** A palette of styling functions; every one is the identity when colour is off. */
export interface Palette {
  /** Whether this palette colours. */
  enabled: boolean;
  bold: (s: string) => string;
  dim: (s: string) => string;
  italic: (s: string) => string;
  underline: (s: string) => string;
  strike: (s: string) => string;
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  blue: (s: string) => string;
  magenta: (s: string) => string;
  cyan: (s: string) => string;
  gray: (s: string) => string;
}

function style(open: number, close: number): (s: string) => string {
  const start = `\x1b[${open}m`;
  const end = `\x1b[${close}m`;
  return (s) => s === "" ? s : start + s.replaceAll(end, end + start) + end;
}

const identity = (s: string) => s;

/**
 * Returns a palette that colours when `enabled`.
 *
 * @example
 * ```ts
 * import { palette } from "./color.ts";
 * import assert from "node:assert/strict";
 * assert.equal(palette(true).red("x"), "\x1b[31mx\x1b[39m");
 * assert.equal(palette(false).red("x"), "x");
 * ```
 *
 * @param enabled Whether to colour.
 * @returns The palette.
 */
export function palette(enabled: boolean): Palette {
  if (!enabled) {
    return {
      enabled,
      bold: identity,
      dim: identity,
      italic: identity,
      underline: identity,
      strike: identity,
      red: identity,
      green: identity,
      yellow: identity,
      blue: identity,
      magenta: identity,
      cyan: identity,
      gray: identity,
    };
  }
  return {
    enabled,
    bold: style(1, 22),
    dim: style(2, 22),
    italic: style(3, 23),
    underline: style(4, 24),
    strike: style(9, 29),
    red: style(31, 39),
    green: style(32, 39),
    yellow: style(33, 39),
    blue: style(34, 39),
    magenta: style(35, 39),
    cyan: style(36, 39),
    gray: style(90, 39),
  };
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * Removes ANSI colour codes.
 *
 * @param text Text that may hold colour codes.
 * @returns The text without them.
 */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/**
 * The width of text in terminal columns, ignoring colour codes (wide East Asian characters count 2).
 *
 * @param text The text.
 * @returns Its width in columns.
 */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const ch of stripAnsi(text)) {
    const code = ch.codePointAt(0)!;
    if (code < 32 || (code >= 0x300 && code < 0x370) || code === 0x200b) continue;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function isWide(code: number): boolean {
  return (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd);
}
