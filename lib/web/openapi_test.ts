import assert from "node:assert/strict";
import { z } from "../deps/zod.ts";
import { App } from "./app.ts";
import { doc, openApiDocument, toJsonSchema } from "./openapi.ts";
import { validate } from "./validate.ts";

Deno.test("openApiDocument() describes params, query, bodies, responses and security", () => {
  const Todo = z.object({ title: z.string(), done: z.boolean().optional() });
  const app = new App();
  app.get(
    "/todos",
    doc({ summary: "List todos", tags: ["todos"] }),
    validate("query", z.object({ done: z.enum(["true", "false"]).optional() })),
    () => [],
  );
  app.post(
    "/todos",
    doc({
      summary: "Create",
      security: ["bearer"],
      responses: { 201: { description: "Made", schema: Todo } },
    }),
    validate("json", Todo),
    () => null,
  );
  app.get("/todos/:id", () => ({}));
  app.get("/hidden", doc({ hidden: true }), () => "");
  const spec = openApiDocument(app, {
    info: { title: "Todos", version: "1.0.0" },
    securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
  }) as {
    openapi: string;
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: unknown;
  };
  assert.equal(spec.openapi, "3.1.0");
  assert.deepEqual(Object.keys(spec.paths), ["/todos", "/todos/{id}"]);
  const list = spec.paths["/todos"].get;
  assert.equal(list.summary, "List todos");
  assert.deepEqual(list.parameters, [{
    name: "done",
    in: "query",
    required: false,
    schema: { type: "string", enum: ["true", "false"] },
  }]);
  const create = spec.paths["/todos"].post;
  assert.deepEqual(create.security, [{ bearer: [] }]);
  assert.deepEqual(
    (create.requestBody as { content: Record<string, { schema: unknown }> })
      .content["application/json"]
      .schema,
    {
      type: "object",
      properties: { title: { type: "string" }, done: { type: "boolean" } },
      required: ["title"],
    },
  );
  assert.deepEqual(Object.keys(create.responses as object), ["201", "400"]);
  assert.deepEqual(spec.components, {
    securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
  });
});

Deno.test("toJsonSchema() takes plain JSON Schema as is and asks the converter for the rest", () => {
  assert.deepEqual(toJsonSchema({ type: "string" }), { type: "string" });
  const opaque = { "~standard": { version: 1, vendor: "x", validate: () => ({ value: 1 }) } };
  assert.deepEqual(toJsonSchema(opaque), {});
  assert.deepEqual(toJsonSchema(opaque, () => ({ type: "integer" })), { type: "integer" });
});
