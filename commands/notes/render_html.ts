/**
 * Markdown to an HTML fragment, with wiki links turned into links between pages.
 *
 * @module
 */

import { Marked } from "../../lib/deps/marked.ts";
import { WIKI_LINK_EXTENSION, type WikiLinkToken } from "./wiki_link.ts";

/** Options for {@linkcode renderHtml}. */
export interface HtmlRenderOptions {
  /**
   * The href for a wiki-link target, or undefined when no note has that name (the link is then
   * rendered as a broken-link `<span>`). Gets the bare target, without `#heading` or `|label`.
   */
  linkHref: (target: string) => string | undefined;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for HTML content and quoted attribute values.
 *
 * @param text The text.
 * @returns The escaped text.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

// The href lookup of the renderHtml call in progress. Marked renders synchronously, so a module
// variable, saved and restored around each call, is safe; it spares a walk over every token
// (which cost more than the rest of rendering) and lets one Marked instance serve every call.
let currentLinkHref: HtmlRenderOptions["linkHref"] = () => undefined;

const markdown = new Marked({
  gfm: true,
  extensions: [{
    ...WIKI_LINK_EXTENSION,
    renderer(token) {
      const link = token as WikiLinkToken;
      const label = escapeHtml(
        link.label ?? (link.heading ? `${link.target}#${link.heading}` : link.target),
      );
      const href = currentLinkHref(link.target);
      if (href === undefined) {
        const title = escapeHtml(`No note named "${link.target}"`);
        return `<span class="wikilink broken" title="${title}">${label}</span>`;
      }
      return `<a class="wikilink" href="${escapeHtml(href)}">${label}</a>`;
    },
  }],
});

/**
 * Renders markdown (GitHub-flavoured) to an HTML fragment. Wiki links become
 * `<a class="wikilink" href="...">label</a>`, or `<span class="wikilink broken" title="No note
 * named ...">label</span>` when `linkHref` knows no such note; inside code they stay literal.
 * Labels, titles and hrefs are escaped. Raw HTML in the markdown passes through, as markdown
 * allows: the notes are the user's own.
 *
 * @example
 * ```ts
 * import { renderHtml } from "./render_html.ts";
 * import assert from "node:assert/strict";
 * const html = renderHtml("See [[Home|home]] and [[Nowhere]].", {
 *   linkHref: (target) => target === "Home" ? "home.html" : undefined,
 * });
 * assert.equal(
 *   html,
 *   '<p>See <a class="wikilink" href="home.html">home</a> and ' +
 *     '<span class="wikilink broken" title="No note named &quot;Nowhere&quot;">Nowhere</span>.</p>\n',
 * );
 * ```
 *
 * @param source The markdown.
 * @param options How to turn a wiki-link target into an href.
 * @returns The HTML fragment.
 */
export function renderHtml(source: string, options: HtmlRenderOptions): string {
  const outer = currentLinkHref;
  currentLinkHref = options.linkHref;
  try {
    return markdown.parse(source, { async: false });
  } finally {
    currentLinkHref = outer;
  }
}
