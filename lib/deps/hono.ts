/** Hono, the peer kit web is measured against, pinned in deno.json; every import of it goes through this file. */
export { Hono } from "hono";
export { RegExpRouter } from "hono/router/reg-exp-router";
export { TrieRouter } from "hono/router/trie-router";
