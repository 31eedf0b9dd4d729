/**
 * Validation of params, query, headers, cookies and bodies through Standard Schema v1, the
 * interface zod (3.24+ and 4), valibot and arktype implement, so no schema library is tied in.
 *
 * @module
 */

import type { Context } from "./context.ts";
import { HttpError } from "./http_error.ts";
import { META, type Middleware, type WithMeta } from "./compose.ts";

/** The Standard Schema v1 interface (https://standardschema.dev), inlined as its spec asks. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The standard properties. */
  readonly "~standard": {
    /** Always 1. */
    readonly version: 1;
    /** The library (`zod`, `valibot`, ...). */
    readonly vendor: string;
    /** Validates a value. */
    readonly validate: (
      value: unknown,
    ) => StandardResult<Output> | Promise<StandardResult<Output>>;
    /** The types, for inference only. */
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** A Standard Schema result: the value, or the issues. */
export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardIssue> };

/** One Standard Schema issue. */
export interface StandardIssue {
  /** What is wrong. */
  readonly message: string;
  /** Where: keys, or `{ key }` segments. */
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** The output type of a Standard Schema. */
export type InferOutput<S extends StandardSchemaV1> = NonNullable<
  S["~standard"]["types"]
>["output"];

/** What a validator reads: a body, the query, the path params, headers or cookies. */
export type ValidationTarget = "json" | "form" | "query" | "params" | "header" | "cookie";

/** One failing field in a 400 answer. */
export interface ValidationIssue {
  /** The field, dotted (`items.0.title`); `""` for the whole value. */
  path: string;
  /** What is wrong with it. */
  message: string;
}

/**
 * A middleware that validates one part of the request against a schema and stores the
 * schema's output for `c.valid(target)`; a failure answers 400 with a JSON body naming each
 * failing field: `{ "error": "Invalid json: title: Required", "target": "json", "issues":
 * [{ "path": "title", "message": "Required" }] }`.
 *
 * @example
 * ```ts
 * import { App, validate, type StandardSchemaV1 } from "./mod.ts";
 * import assert from "node:assert/strict";
 * // Any Standard Schema works (zod, valibot); a hand-written one here:
 * const Name: StandardSchemaV1<unknown, { name: string }> = {
 *   "~standard": {
 *     version: 1,
 *     vendor: "example",
 *     validate: (v) =>
 *       typeof (v as { name?: unknown }).name === "string"
 *         ? { value: v as { name: string } }
 *         : { issues: [{ message: "Required", path: ["name"] }] },
 *   },
 * };
 * const app = new App();
 * app.post("/hi", validate("json", Name), (c) => `hi ${c.valid("json").name}`);
 * const ok = await app.request("/hi", { method: "POST", body: '{"name":"kit"}' });
 * assert.equal(await ok.text(), "hi kit");
 * const bad = await app.request("/hi", { method: "POST", body: "{}" });
 * assert.equal(bad.status, 400);
 * assert.deepEqual((await bad.json()).issues, [{ path: "name", message: "Required" }]);
 * ```
 *
 * @param target What to validate.
 * @param schema A Standard Schema.
 * @returns The middleware.
 */
export function validate<T extends ValidationTarget, S extends StandardSchemaV1>(
  target: T,
  schema: S,
): Middleware<{ Valid: { [K in T]: InferOutput<S> } }> {
  const check = async function validator(c: Context, next: () => Promise<Response>) {
    const input = await read(c, target);
    let result = schema["~standard"].validate(input);
    if (result instanceof Promise) result = await result;
    if (result.issues) {
      const issues = result.issues.map((issue): ValidationIssue => ({
        path: (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join("."),
        message: issue.message,
      }));
      const first = issues[0];
      throw new HttpError(
        400,
        `Invalid ${target}: ${first ? (first.path ? `${first.path}: ` : "") + first.message : ""}`,
        { details: { target, issues } },
      );
    }
    c.setValid(target, result.value);
    await next();
  };
  (check as WithMeta)[META] = { validate: { target, schema } };
  return check;
}

function read(c: Context, target: ValidationTarget): unknown {
  switch (target) {
    case "json":
      return c.bodyJson();
    case "form":
      return c.bodyForm();
    case "query":
      return c.queries();
    case "params":
      return c.params;
    case "header":
      return Object.fromEntries(c.req.headers);
    case "cookie":
      return Object.fromEntries(c.cookies);
  }
}
