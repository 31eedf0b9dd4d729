/** The markdown parser, pinned in deno.json; every import of it goes through this file. */
export { Lexer, Marked, marked, Parser, Renderer } from "marked";
export type { MarkedExtension, Token, Tokens, TokensList } from "marked";
