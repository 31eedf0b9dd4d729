/**
 * The engine behind `kit http`: httpie's request items, the request spec they become, the
 * printer, sessions, history, collections and download helpers. The HTTP client itself is
 * `kit/http` (lib/http).
 *
 * Layout: `items.ts` parses request items (`Header:Value`, `a=b`, `a:=1`, `q==v`, `f@file`);
 * `flags.ts` is stage one of the arguments; `request_spec.ts` turns them into a plain
 * {@linkcode RequestSpec} and applies one to a client request; `printer.ts` formats heads,
 * bodies, metadata and timing; `session.ts`, `history.ts` and `collections.ts` keep state in
 * the data folder; `download.ts` names and resumes downloads. `cli.ts` is the command line on
 * top.
 *
 * @example
 * ```ts
 * import { buildRequestSpec, defaultArgs, parseItem, resolveItems } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const items = await resolveItems(["name=ann", "X-A:1"].map(parseItem));
 * const spec = buildRequestSpec({ ...defaultArgs(), url: ":8080/users" }, items);
 * assert.equal(spec.method, "POST");
 * assert.equal(spec.url, "http://localhost:8080/users");
 * assert.deepEqual(spec.body, { json: { name: "ann" } });
 * ```
 *
 * @module
 */
export * from "./items.ts";
export {
  defaultArgs,
  type FlagDef,
  FLAGS,
  type HttpArgs,
  parseFlags,
  parseHttpArgs,
  type Pretty,
  type PrintWhat,
  printWhat,
} from "./flags.ts";
export * from "./request_spec.ts";
export * from "./printer.ts";
export * from "./session.ts";
export * from "./history.ts";
export * from "./collections.ts";
export * from "./download.ts";
