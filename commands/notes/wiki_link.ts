/**
 * Wiki links: `[[Target]]`, `[[Target|label]]` and `[[Target#heading]]` in a note's markdown.
 *
 * Finding them is a single linear scan rather than a markdown parse, because the link index scans
 * every note on each run; it skips fenced code blocks and inline code spans, which is where a
 * literal `[[` is common. The renderers see the same syntax through {@linkcode WIKI_LINK_EXTENSION},
 * so marked decides there what counts as code.
 *
 * @module
 */

import type { Tokens } from "../../lib/deps/marked.ts";

/** A wiki link found in markdown. */
export interface WikiLink {
  /** The note the link points at, trimmed, without `#heading` or `|label`. */
  target: string;
  /** The text after `|`, trimmed; absent when there is none. */
  label?: string;
  /** The text after `#`, trimmed; absent when there is none. */
  heading?: string;
  /** Offset of the first `[` of `[[` in the markdown. */
  start: number;
  /** Offset just after the closing `]]`. */
  end: number;
}

/** The marked token that {@linkcode WIKI_LINK_EXTENSION} produces. */
export interface WikiLinkToken extends Tokens.Generic {
  type: "wikilink";
  /** The whole `[[...]]` source. */
  raw: string;
  /** The note the link points at. */
  target: string;
  /** The text after `|`, if any. */
  label?: string;
  /** The text after `#`, if any. */
  heading?: string;
}

interface Parts {
  target: string;
  label?: string;
  heading?: string;
  /** Offsets of the trimmed target inside the inner text. */
  targetStart: number;
  targetEnd: number;
}

/**
 * Splits the text between `[[` and `]]`. A `|` ends the target (`\|` too, as written inside
 * GFM tables); the first `#` before it starts the heading (`[[A#b#c]]` has heading `b#c`).
 */
function parseInner(inner: string): Parts | undefined {
  let bar = inner.indexOf("|");
  let targetPart = bar === -1 ? inner.length : bar;
  if (bar > 0 && inner.charCodeAt(bar - 1) === 92 /* \ */) targetPart = bar - 1;
  if (bar === -1) bar = inner.length;
  let hash = inner.indexOf("#");
  if (hash >= targetPart) hash = -1;
  const nameEnd = hash === -1 ? targetPart : hash;
  let s = 0;
  let e = nameEnd;
  while (s < e && isSpace(inner.charCodeAt(s))) s++;
  while (e > s && isSpace(inner.charCodeAt(e - 1))) e--;
  if (s === e) return undefined;
  const parts: Parts = { target: inner.slice(s, e), targetStart: s, targetEnd: e };
  if (hash !== -1) {
    const heading = inner.slice(hash + 1, targetPart).trim();
    if (heading) parts.heading = heading;
  }
  if (bar < inner.length) {
    const label = inner.slice(bar + 1).trim();
    if (label) parts.label = label;
  }
  return parts;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9;
}

/** Characters that may not appear between `[[` and `]]`. */
function isValidInner(inner: string): boolean {
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charCodeAt(i);
    if (c === 10 || c === 13 || c === 91 /* [ */ || c === 93 /* ] */) return false;
  }
  return true;
}

// A fence opens a line, after indentation, `>` quote markers or a list marker.
const FENCE_PREFIX = /^[ \t]*(?:>[ \t]*)*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?$/;
const closingFences = new Map<string, RegExp>();

function closingFence(char: string, length: number): RegExp {
  const key = char + length;
  let re = closingFences.get(key);
  if (!re) {
    re = new RegExp(`^[ \\t]*(?:>[ \\t]*)*\\${char}{${length},}[ \\t]*$`, "gm");
    closingFences.set(key, re);
  }
  return re;
}

/** Whether the run of fence characters at `at` is the first thing on its line. */
function opensLine(markdown: string, at: number): boolean {
  const lineStart = markdown.lastIndexOf("\n", at - 1) + 1;
  return FENCE_PREFIX.test(markdown.slice(lineStart, at));
}

function runLength(markdown: string, at: number, code: number): number {
  let end = at + 1;
  while (markdown.charCodeAt(end) === code) end++;
  return end - at;
}

/** A position that is never found. */
const NONE = Number.MAX_SAFE_INTEGER;

function find(markdown: string, needle: string, from: number): number {
  const at = markdown.indexOf(needle, from);
  return at === -1 ? NONE : at;
}

/**
 * Finds the wiki links in markdown, skipping fenced code blocks, inline code spans and `\[[`.
 * Links with an empty target (`[[#heading]]`, `[[ ]]`) are not reported.
 *
 * The scan follows three cursors found with `indexOf` (the next `[[`, backtick and `~~~`) and
 * handles whichever comes first, so text between them is never looked at character by
 * character. Fences follow CommonMark closely (a closing fence is at least as long as the opening
 * one, a backtick fence's info string has no backtick); indented code blocks are not recognised.
 *
 * @example
 * ```ts
 * import { findWikiLinks } from "./wiki_link.ts";
 * import assert from "node:assert/strict";
 * const links = findWikiLinks("See [[Alpha]] and [[Beta#Usage|the beta]], not `[[Code]]`.");
 * assert.deepEqual(links.map((l) => [l.target, l.label]), [["Alpha", undefined], ["Beta", "the beta"]]);
 * assert.equal(links[0].start, 4);
 * assert.equal(links[0].end, 13);
 * ```
 *
 * @param markdown The note's markdown.
 * @returns The links in source order.
 */
export function findWikiLinks(markdown: string): WikiLink[] {
  const links: WikiLink[] = [];
  let link = find(markdown, "[[", 0);
  let tick = -1;
  let tilde = -1;
  let close = -1; // the next "]]"
  let paragraphEnd = -1; // the next "\n\n"; an inline code span never crosses it
  let pos = 0;
  while (link !== NONE) {
    if (link < pos) link = find(markdown, "[[", pos);
    if (link === NONE) break;
    if (tick < pos) tick = find(markdown, "`", pos);
    if (tilde < pos) tilde = find(markdown, "~~~", pos);

    if (link < tick && link < tilde) {
      pos = link + 1; // "[[[x]]" still holds the link "[[x]]"
      if (link > 0 && markdown.charCodeAt(link - 1) === 92 /* \ */) continue;
      if (close < link + 2) close = find(markdown, "]]", link + 2);
      if (close === NONE) break; // no "]]" anywhere after: no more links
      const inner = markdown.slice(link + 2, close);
      const parts = isValidInner(inner) ? parseInner(inner) : undefined;
      if (parts === undefined) continue;
      const found: WikiLink = { target: parts.target, start: link, end: close + 2 };
      if (parts.label !== undefined) found.label = parts.label;
      if (parts.heading !== undefined) found.heading = parts.heading;
      links.push(found);
      pos = close + 2;
      continue;
    }

    const at = Math.min(tick, tilde);
    const char = at === tick ? "`" : "~";
    const length = runLength(markdown, at, char.charCodeAt(0));
    pos = at + length;
    if (length >= 3 && opensLine(markdown, at)) {
      const lineEnd = endOfLine(markdown, pos);
      const infoHasTick = char === "`" && markdown.lastIndexOf("`", lineEnd - 1) >= pos;
      if (!infoHasTick) {
        const closing = closingFence(char, length);
        closing.lastIndex = lineEnd;
        const fenceEnd = closing.exec(markdown);
        if (fenceEnd === null) break; // an unclosed fence runs to the end
        pos = fenceEnd.index + fenceEnd[0].length;
        continue;
      }
    }
    if (char === "~") continue; // tildes mid-line are text
    // An inline code span closes at the next run of exactly as many backticks.
    if (paragraphEnd < pos) paragraphEnd = find(markdown, "\n\n", pos);
    const fence = markdown.slice(at, pos);
    let from = pos;
    while (true) {
      const end = markdown.indexOf(fence, from);
      if (end === -1 || end >= paragraphEnd) break; // unclosed: the backticks are literal
      const endLength = runLength(markdown, end, 96);
      if (endLength === length) {
        pos = end + length;
        break;
      }
      from = end + endLength;
    }
  }
  return links;
}

function endOfLine(text: string, from: number): number {
  const end = text.indexOf("\n", from);
  return end === -1 ? text.length : end;
}

/**
 * Rewrites the targets of wiki links, keeping `#heading`, `|label` and the spacing inside the
 * brackets; every other byte stays as it was. Links in code are left alone.
 *
 * @example
 * ```ts
 * import { rewriteWikiLinks } from "./wiki_link.ts";
 * import assert from "node:assert/strict";
 * const out = rewriteWikiLinks(
 *   "[[Old]], [[Old#Intro|intro]] and [[Other]]",
 *   (target) => target === "Old" ? "New" : undefined,
 * );
 * assert.equal(out, "[[New]], [[New#Intro|intro]] and [[Other]]");
 * ```
 *
 * @param markdown The note's markdown.
 * @param rename Returns the new target for a link, or undefined to keep it.
 * @returns The markdown with the links rewritten.
 */
export function rewriteWikiLinks(
  markdown: string,
  rename: (target: string) => string | undefined,
): string {
  let out = "";
  let copied = 0;
  for (const link of findWikiLinks(markdown)) {
    const next = rename(link.target);
    if (next === undefined || next === link.target) continue;
    const parts = parseInner(markdown.slice(link.start + 2, link.end - 2))!;
    const targetStart = link.start + 2 + parts.targetStart;
    out += markdown.slice(copied, targetStart) + next;
    copied = link.start + 2 + parts.targetEnd;
  }
  return copied === 0 ? markdown : out + markdown.slice(copied);
}

/** The shape of {@linkcode WIKI_LINK_EXTENSION}: a marked inline tokenizer extension. */
export interface WikiLinkExtension {
  /** The token type it produces. */
  name: "wikilink";
  /** Marked runs it among the inline tokenizers. */
  level: "inline";
  /**
   * Where the next link may start, so marked's text tokenizer stops there.
   *
   * @param src The rest of the inline source.
   * @returns The offset of the next `[[`, or undefined.
   */
  start(src: string): number | undefined;
  /**
   * Reads one link at the start of `src`.
   *
   * @param src The rest of the inline source.
   * @returns The token, or undefined when `src` does not start with a link.
   */
  tokenizer(src: string): WikiLinkToken | undefined;
}

const INLINE = /^\[\[([^\[\]\n\r]+)\]\]/;

/**
 * A marked inline extension that turns `[[...]]` into {@linkcode WikiLinkToken}s. It has no
 * renderer: each renderer supplies its own (HTML, terminal). Code spans and fenced code are
 * tokenised by marked first, so links there stay literal; `\[[` is an escaped bracket.
 *
 * @example
 * ```ts
 * import { WIKI_LINK_EXTENSION } from "./wiki_link.ts";
 * import { Marked } from "../../lib/deps/marked.ts";
 * import assert from "node:assert/strict";
 * const tokens = new Marked({ extensions: [WIKI_LINK_EXTENSION] }).lexer("go [[Home|home]]");
 * const paragraph = tokens[0] as { tokens: { type: string; target?: string }[] };
 * assert.equal(paragraph.tokens[1].type, "wikilink");
 * assert.equal(paragraph.tokens[1].target, "Home");
 * ```
 */
export const WIKI_LINK_EXTENSION: WikiLinkExtension = {
  name: "wikilink",
  level: "inline",
  start(src: string): number | undefined {
    const at = src.indexOf("[[");
    return at === -1 ? undefined : at;
  },
  tokenizer(src: string): WikiLinkToken | undefined {
    const match = INLINE.exec(src);
    if (match === null) return undefined;
    const parts = parseInner(match[1]);
    if (parts === undefined) return undefined;
    const token: WikiLinkToken = { type: "wikilink", raw: match[0], target: parts.target };
    if (parts.label !== undefined) token.label = parts.label;
    if (parts.heading !== undefined) token.heading = parts.heading;
    return token;
  },
};
