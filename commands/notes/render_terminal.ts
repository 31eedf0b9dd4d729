/**
 * Markdown for a terminal: marked's tokens walked into wrapped, optionally coloured lines.
 *
 * @module
 */

import { displayWidth, type Palette, palette } from "../../lib/cli/color.ts";
import { hljs } from "../../lib/deps/highlight.ts";
import { Marked, type Token, type Tokens } from "../../lib/deps/marked.ts";
import { WIKI_LINK_EXTENSION, type WikiLinkToken } from "./wiki_link.ts";

/** Options for {@linkcode renderTerminal}. */
export interface TerminalRenderOptions {
  /**
   * Colour with ANSI codes. Without colour the output holds no escape codes at all, and a few
   * markers keep the structure readable: `#` before headings, backticks around inline code,
   * `~~` around struck text and `[[...]]` around wiki links.
   *
   * @default false
   */
  color: boolean;
  /** Columns to wrap paragraphs at (code blocks and tables are not wrapped). @default 80 */
  width: number;
  /**
   * Whether a wiki-link target names an existing note. When given and it returns false, the
   * link is marked broken: red with a `✗` after it (without colour: `[[Target]]✗`). When absent,
   * every link counts as existing.
   */
  linkExists?: (target: string) => boolean;
}

/** The default {@linkcode TerminalRenderOptions}. */
export const DEFAULTS = { color: false, width: 80 } satisfies TerminalRenderOptions;

/** The marker put after a broken wiki link. */
const BROKEN = "✗";
const BULLETS = ["•", "◦", "▪"];
/** Narrower than this and wrapping stops helping. */
const MIN_WIDTH = 10;

const lexer = new Marked({ gfm: true, extensions: [WIKI_LINK_EXTENSION] });

interface Context {
  p: Palette;
  linkExists?: (target: string) => boolean;
  /** Nesting depth of lists, to pick the bullet. */
  listDepth: number;
}

/**
 * Renders markdown for a terminal: headings, wrapped paragraphs, emphasis, lists (ordered,
 * unordered, tasks, nested), block quotes with a `│ ` gutter, tables with box-drawing borders,
 * links as `text (url)`, images as `[image: alt](url)`, rules, fenced code indented by two
 * columns and syntax-coloured, and wiki links. The output ends with exactly one newline.
 *
 * @example
 * ```ts
 * import { renderTerminal } from "./render_terminal.ts";
 * import assert from "node:assert/strict";
 * const out = renderTerminal("# Title\n\nSee [[Home]] and *this*.\n", { color: false, width: 80 });
 * assert.equal(out, "# Title\n\nSee [[Home]] and this.\n");
 * const broken = renderTerminal("[[Gone]]", { color: false, width: 80, linkExists: () => false });
 * assert.equal(broken, "[[Gone]]✗\n");
 * ```
 *
 * @param markdown The markdown.
 * @param options Colour, width and the wiki-link check.
 * @returns The rendered text.
 */
export function renderTerminal(markdown: string, options: TerminalRenderOptions): string {
  const ctx: Context = { p: palette(options.color), linkExists: options.linkExists, listDepth: 0 };
  const width = Math.max(MIN_WIDTH, Math.floor(options.width) || DEFAULTS.width);
  const lines = renderBlocks(lexer.lexer(markdown), width, ctx, false);
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  return lines.join("\n") + "\n";
}

function renderBlocks(tokens: Token[], width: number, ctx: Context, tight: boolean): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const lines = renderBlock(token, width, ctx);
    if (lines === undefined) continue;
    if (out.length > 0 && !tight) out.push("");
    out.push(...lines);
  }
  return out;
}

function renderBlock(token: Token, width: number, ctx: Context): string[] | undefined {
  const p = ctx.p;
  switch (token.type) {
    case "space":
    case "def":
    case "checkbox":
      return undefined;
    case "heading":
      return renderHeading(token as Tokens.Heading, width, ctx);
    case "paragraph":
      return wrap(renderInline((token as Tokens.Paragraph).tokens, ctx), width);
    case "text": {
      const text = token as Tokens.Text;
      return wrap(text.tokens ? renderInline(text.tokens, ctx) : decodeEntities(text.text), width);
    }
    case "code":
      return renderCode(token as Tokens.Code, p);
    case "blockquote": {
      const inner = renderBlocks((token as Tokens.Blockquote).tokens, width - 2, ctx, false);
      return inner.map((line) => line === "" ? p.gray("│") : p.gray("│ ") + line);
    }
    case "list":
      return renderList(token as Tokens.List, width, ctx);
    case "table":
      return renderTable(token as Tokens.Table, ctx);
    case "hr":
      return [p.gray("─".repeat(width))];
    case "html": {
      const html = (token as Tokens.HTML).text.trimEnd();
      if (/^<!--[\s\S]*-->$/.test(html)) return undefined; // a comment is meant to be hidden
      return html.split("\n").map((line) => p.dim(line));
    }
    default: {
      const generic = token as Tokens.Generic;
      if (generic.tokens) return renderBlocks(generic.tokens, width, ctx, false);
      return wrap(String(generic.text ?? generic.raw), width);
    }
  }
}

function renderHeading(token: Tokens.Heading, width: number, ctx: Context): string[] {
  const p = ctx.p;
  const text = renderInline(token.tokens, ctx);
  if (!p.enabled) return wrap(`${"#".repeat(token.depth)} ${text}`, width);
  const styled = token.depth === 1
    ? p.bold(p.underline(p.magenta(text)))
    : token.depth === 2
    ? p.bold(p.magenta(text))
    : p.bold(text);
  return wrap(styled, width);
}

function renderList(token: Tokens.List, width: number, ctx: Context): string[] {
  const p = ctx.p;
  const start = typeof token.start === "number" ? token.start : 1;
  const markers = token.items.map((_, i) =>
    token.ordered ? `${start + i}.` : BULLETS[ctx.listDepth % BULLETS.length]
  );
  const markerWidth = Math.max(...markers.map(displayWidth));
  const out: string[] = [];
  ctx.listDepth++;
  token.items.forEach((item, i) => {
    let marker = markers[i].padStart(markerWidth) + " ";
    if (item.task) marker += item.checked ? "[x] " : "[ ] ";
    const indent = displayWidth(marker);
    const styledMarker = item.task && item.checked
      ? p.gray(marker.slice(0, markerWidth + 1)) + p.green(marker.slice(markerWidth + 1))
      : p.gray(marker);
    const body = renderBlocks(item.tokens, width - indent, ctx, !item.loose);
    if (token.loose && i > 0) out.push("");
    out.push(styledMarker + (body[0] ?? ""));
    for (const line of body.slice(1)) out.push(line === "" ? "" : " ".repeat(indent) + line);
  });
  ctx.listDepth--;
  return out;
}

function renderTable(token: Tokens.Table, ctx: Context): string[] {
  const p = ctx.p;
  const cell = (c: Tokens.TableCell) => renderInline(c.tokens, ctx).replaceAll("\n", " ");
  const header = token.header.map(cell);
  const rows = token.rows.map((row) => row.map(cell));
  const widths = header.map((h, i) =>
    Math.max(1, displayWidth(h), ...rows.map((row) => displayWidth(row[i] ?? "")))
  );
  const rule = (left: string, mid: string, right: string) =>
    p.gray(left + widths.map((w) => "─".repeat(w + 2)).join(mid) + right);
  const line = (cells: string[], style: (s: string) => string) =>
    p.gray("│ ") +
    widths.map((w, i) => style(pad(cells[i] ?? "", w, token.align[i]))).join(p.gray(" │ ")) +
    p.gray(" │");
  return [
    rule("┌", "┬", "┐"),
    line(header, p.bold),
    rule("├", "┼", "┤"),
    ...rows.map((row) => line(row, (s) => s)),
    rule("└", "┴", "┘"),
  ];
}

function pad(text: string, width: number, align: "left" | "right" | "center" | null): string {
  const gap = width - displayWidth(text);
  if (gap <= 0) return text;
  if (align === "right") return " ".repeat(gap) + text;
  if (align === "center") {
    const left = Math.floor(gap / 2);
    return " ".repeat(left) + text + " ".repeat(gap - left);
  }
  return text + " ".repeat(gap);
}

function renderCode(token: Tokens.Code, p: Palette): string[] {
  const lang = (token.lang ?? "").trim().split(/\s+/)[0].toLowerCase();
  const lines = p.enabled && lang !== "" && hljs.getLanguage(lang) !== undefined
    ? highlight(token.text, lang, p)
    : token.text.split("\n");
  return lines.map((line) => line === "" ? "" : "  " + line);
}

function renderInline(tokens: Token[], ctx: Context): string {
  let out = "";
  for (const token of tokens) out += renderInlineToken(token, ctx);
  return out;
}

function renderInlineToken(token: Token, ctx: Context): string {
  const p = ctx.p;
  switch (token.type) {
    case "text": {
      // A newline inside text is a soft break: a space. Hard breaks come as "br" tokens.
      const text = token as Tokens.Text;
      return text.tokens
        ? renderInline(text.tokens, ctx)
        : decodeEntities(text.text).replaceAll("\n", " ");
    }
    case "escape":
      return (token as Tokens.Escape).text;
    case "strong":
      return p.bold(renderInline((token as Tokens.Strong).tokens, ctx));
    case "em":
      return p.italic(renderInline((token as Tokens.Em).tokens, ctx));
    case "del": {
      const text = renderInline((token as Tokens.Del).tokens, ctx);
      return p.enabled ? p.strike(text) : `~~${text}~~`;
    }
    case "codespan": {
      const text = (token as Tokens.Codespan).text;
      return p.enabled ? p.yellow(text) : `\`${text}\``;
    }
    case "br":
      return "\n";
    case "link": {
      const link = token as Tokens.Link;
      const text = renderInline(link.tokens, ctx);
      const plain = link.text;
      if (plain === link.href || `mailto:${plain}` === link.href) return p.underline(text);
      return `${p.underline(text)} ${p.dim(`(${link.href})`)}`;
    }
    case "image": {
      const image = token as Tokens.Image;
      const alt = decodeEntities(image.text);
      return p.dim(alt ? `[image: ${alt}]` : "[image]") + p.dim(`(${image.href})`);
    }
    case "wikilink":
      return renderWikiLink(token as WikiLinkToken, ctx);
    case "checkbox":
      return "";
    case "html":
      return (token as Tokens.Tag).text.replaceAll("\n", " ");
    default: {
      const generic = token as Tokens.Generic;
      return generic.tokens
        ? renderInline(generic.tokens, ctx)
        : String(generic.text ?? generic.raw);
    }
  }
}

function renderWikiLink(token: WikiLinkToken, ctx: Context): string {
  const p = ctx.p;
  const shown = token.label ?? (token.heading ? `${token.target}#${token.heading}` : token.target);
  const broken = ctx.linkExists !== undefined && !ctx.linkExists(token.target);
  if (!p.enabled) return `[[${shown}]]${broken ? BROKEN : ""}`;
  return broken ? p.red(p.underline(shown)) + p.red(BROKEN) : p.cyan(p.underline(shown));
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  copy: "©",
  mdash: "—",
  ndash: "–",
  hellip: "…",
};

function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X"
        ? parseInt(name.slice(2), 16)
        : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
}

/** hljs scope names to colours; scopes not named here take their parent's colour. */
function scopeStyle(scope: string, p: Palette): ((s: string) => string) | undefined {
  switch (scope) {
    case "keyword":
    case "doctag":
      return p.magenta;
    case "built_in":
    case "type":
    case "attr":
    case "attribute":
    case "property":
    case "selector-class":
    case "selector-id":
      return p.cyan;
    case "string":
    case "regexp":
    case "char":
      return p.green;
    case "number":
    case "literal":
    case "symbol":
    case "bullet":
      return p.yellow;
    case "comment":
    case "quote":
    case "meta":
      return p.gray;
    case "title":
    case "function":
    case "section":
    case "name":
    case "selector-tag":
      return p.blue;
    default:
      return undefined;
  }
}

/**
 * Turns hljs's HTML (`<span class="hljs-keyword">`) into coloured lines. Each piece of text is
 * styled on its own, so no colour runs across a line break.
 */
function highlight(code: string, lang: string, p: Palette): string[] {
  const html = hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
  const lines = [""];
  const stack: (((s: string) => string) | undefined)[] = [];
  for (const match of html.matchAll(/<span class="([^"]*)">|<\/span>|([^<]+)/g)) {
    if (match[1] !== undefined) {
      const scope = match[1].split(" ")[0].replace(/^hljs-/, "");
      stack.push(scopeStyle(scope, p) ?? stack[stack.length - 1]);
    } else if (match[2] !== undefined) {
      const style = stack[stack.length - 1] ?? ((s: string) => s);
      decodeEntities(match[2]).split("\n").forEach((piece, i) => {
        if (i > 0) lines.push("");
        if (piece !== "") lines[lines.length - 1] += style(piece);
      });
    } else {
      stack.pop();
    }
  }
  return lines;
}

/** The SGR styles in force at a point of a string, so a wrapped line can close and reopen them. */
class StyleState {
  #active = new Map<string, string>();

  apply(text: string): void {
    if (!text.includes("\x1b")) return;
    // deno-lint-ignore no-control-regex
    for (const match of text.matchAll(/\x1b\[([0-9;]*)m/g)) {
      for (const part of (match[1] || "0").split(";")) this.#code(Number(part));
    }
  }

  #code(code: number): void {
    const active = this.#active;
    if (code === 0) active.clear();
    else if (code === 1 || code === 2) active.set(`w${code}`, String(code));
    else if (code === 22) (active.delete("w1"), active.delete("w2"));
    else if (code === 3 || code === 4 || code === 9) active.set(String(code), String(code));
    else if (code === 23 || code === 24 || code === 29) active.delete(String(code - 20));
    else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) {
      active.set("fg", String(code));
    } else if (code === 39) active.delete("fg");
    else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) {
      active.set("bg", String(code));
    } else if (code === 49) active.delete("bg");
  }

  open(): string {
    let out = "";
    for (const code of this.#active.values()) out += `\x1b[${code}m`;
    return out;
  }

  close(): string {
    return this.#active.size > 0 ? "\x1b[0m" : "";
  }
}

/**
 * Wraps text with ANSI codes at spaces to `width` columns (a word wider than that gets a line of
 * its own). Runs of spaces collapse to one, as in rendered HTML; `\n` is a hard break. Every
 * line closes the styles still open at its end and the next line reopens them, so a prefix
 * added later (a list indent, a quote gutter) is never coloured by accident.
 */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  const state = new StyleState();
  for (const hard of text.split("\n")) {
    let line = "";
    let lineWidth = 0;
    let opened = state.open();
    for (const word of hard.split(/[ \t]+/)) {
      if (word === "") continue;
      const wordWidth = displayWidth(word);
      if (wordWidth > 0 && lineWidth > 0 && lineWidth + 1 + wordWidth > width) {
        lines.push(opened + line + state.close());
        line = "";
        lineWidth = 0;
        opened = state.open();
      }
      if (lineWidth > 0 && wordWidth > 0) {
        line += " ";
        lineWidth++;
      }
      line += word;
      lineWidth += wordWidth;
      state.apply(word);
    }
    lines.push(lineWidth === 0 ? "" : opened + line + state.close());
  }
  return lines;
}
