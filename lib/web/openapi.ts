/**
 * An OpenAPI 3.1 document generated from an app's routes, their validators and the `doc()`
 * notes on them. Schemas become JSON Schema through Standard JSON Schema (`~standard.jsonSchema`,
 * which zod 4.2+ and other libraries implement), or through a converter the caller gives.
 *
 * @module
 */

import type { App } from "./app.ts";
import type { Env } from "./context.ts";
import { META, type Middleware, type RouteDoc, type WithMeta } from "./compose.ts";

/** A JSON Schema, as a plain object. */
export type JsonSchema = Record<string, unknown>;

/** Options of {@linkcode openApiDocument}. */
export interface OpenApiOptions {
  /** The document's `info`. */
  info: { title: string; version: string; description?: string };
  /** The `servers`. */
  servers?: { url: string; description?: string }[];
  /** `components.securitySchemes`, referred to by `doc({ security })`. */
  securitySchemes?: Record<string, Record<string, unknown>>;
  /** Turns a schema without Standard JSON Schema support into JSON Schema. */
  toJsonSchema?: (schema: unknown) => JsonSchema | undefined;
}

/**
 * Notes for a route's entry in the OpenAPI document; placed among the route's handlers, it
 * is never run.
 *
 * @example
 * ```ts
 * import { App, doc, openApiDocument } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const app = new App();
 * app.get("/ping", doc({ summary: "Liveness" }), () => "pong");
 * const spec = openApiDocument(app, { info: { title: "t", version: "1" } });
 * assert.equal((spec.paths as any)["/ping"].get.summary, "Liveness");
 * assert.equal(await (await app.request("/ping")).text(), "pong");
 * ```
 *
 * @param notes Summary, tags, responses, security.
 * @returns A middleware that only carries the notes.
 */
export function doc(notes: RouteDoc): Middleware {
  const marker = (_c: unknown, next: () => Promise<Response>) => next();
  (marker as WithMeta)[META] = { doc: notes, skip: true };
  return marker;
}

/**
 * JSON Schema for a schema: a Standard JSON Schema's input schema, a converter's answer, or
 * the object itself when it is plain JSON Schema.
 *
 * @param schema A Standard Schema or JSON Schema.
 * @param convert A fallback converter.
 * @returns The JSON Schema, or `{}` when unknown.
 */
export function toJsonSchema(
  schema: unknown,
  convert?: (schema: unknown) => JsonSchema | undefined,
): JsonSchema {
  if (schema === null || typeof schema !== "object" && typeof schema !== "function") return {};
  const standard =
    (schema as { "~standard"?: { jsonSchema?: { input?: (o: object) => unknown } } })[
      "~standard"
    ];
  if (standard?.jsonSchema?.input) {
    try {
      const { $schema: _, ...rest } = standard.jsonSchema.input({
        target: "draft-2020-12",
      }) as JsonSchema;
      return rest;
    } catch { /* fall through to the converter */ }
  }
  if (standard) return convert?.(schema) ?? {};
  return schema as JsonSchema;
}

/**
 * Builds the OpenAPI 3.1 document of an app.
 *
 * @example
 * ```ts
 * import { App, openApiDocument } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const app = new App();
 * app.get("/users/:id", (c) => ({ id: c.params.id }));
 * const spec = openApiDocument(app, { info: { title: "Users", version: "1.0.0" } });
 * assert.equal(spec.openapi, "3.1.0");
 * const op = (spec.paths as any)["/users/{id}"].get;
 * assert.deepEqual(op.parameters, [{ name: "id", in: "path", required: true, schema: { type: "string" } }]);
 * ```
 *
 * @param app The app.
 * @param options Info, servers, security schemes, a schema converter.
 * @returns The document, ready for `JSON.stringify`.
 */
export function openApiDocument(app: App<Env>, options: OpenApiOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of app.routes()) {
    const notes: RouteDoc = Object.assign({}, ...route.meta.map((m) => m.doc ?? {}));
    if (notes.hidden) continue;
    const methods = route.method === "ALL"
      ? ["get", "post", "put", "patch", "delete"]
      : [route.method.toLowerCase()];
    const parameters: Record<string, unknown>[] = [];
    const path = route.path.split("/").map((segment) => {
      if (segment === "*") {
        parameters.push({
          name: "wildcard",
          in: "path",
          required: true,
          schema: { type: "string" },
        });
        return "{wildcard}";
      }
      if (!segment.startsWith(":")) return segment;
      const name = segment.slice(1).replace(/\?$/, "");
      parameters.push({ name, in: "path", required: true, schema: { type: "string" } });
      return `{${name}}`;
    }).join("/");
    let requestBody: Record<string, unknown> | undefined;
    let validated = false;
    for (const { validate } of route.meta) {
      if (!validate) continue;
      validated = true;
      const schema = toJsonSchema(validate.schema, options.toJsonSchema);
      if (validate.target === "json") {
        requestBody = { required: true, content: { "application/json": { schema } } };
      } else if (validate.target === "form") {
        requestBody = {
          required: true,
          content: {
            "application/x-www-form-urlencoded": { schema },
            "multipart/form-data": { schema },
          },
        };
      } else if (validate.target === "params") {
        const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
        for (const p of parameters) if (props[p.name as string]) p.schema = props[p.name as string];
      } else {
        const where = validate.target === "query"
          ? "query"
          : validate.target === "header"
          ? "header"
          : "cookie";
        const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
        const required = new Set((schema.required ?? []) as string[]);
        for (const [name, s] of Object.entries(props)) {
          parameters.push({ name, in: where, required: required.has(name), schema: s });
        }
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(notes.responses ?? { 200: { description: "OK" } })) {
      responses[status] = r.schema === undefined ? { description: r.description } : {
        description: r.description,
        content: { "application/json": { schema: toJsonSchema(r.schema, options.toJsonSchema) } },
      };
    }
    if (validated && !responses["400"]) {
      responses["400"] = { description: "The request did not validate; the body names the field" };
    }
    const operation: Record<string, unknown> = {
      ...(notes.summary && { summary: notes.summary }),
      ...(notes.description && { description: notes.description }),
      ...(notes.tags && { tags: notes.tags }),
      ...(notes.operationId && { operationId: notes.operationId }),
      ...(parameters.length && { parameters }),
      ...(requestBody && { requestBody }),
      responses,
      ...(notes.security && { security: notes.security.map((name) => ({ [name]: [] })) }),
    };
    const entry = paths[path] ??= {};
    for (const method of methods) entry[method] ??= operation;
  }
  return {
    openapi: "3.1.0",
    info: options.info,
    ...(options.servers && { servers: options.servers }),
    paths,
    ...(options.securitySchemes && { components: { securitySchemes: options.securitySchemes } }),
  };
}
