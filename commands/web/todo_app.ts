/**
 * The sample app behind `kit web todo`: a REST API over todos with validation, bearer-token
 * auth on changes, an OpenAPI document and a small HTML page, built on kit's web framework.
 *
 * @module
 */

import { z } from "../../lib/deps/zod.ts";
import {
  App,
  bearerAuth,
  bodyLimit,
  compress,
  doc,
  errorHandler,
  etag,
  HttpError,
  logger,
  notFound,
  openApiDocument,
  requestId,
  secureHeaders,
  validate,
} from "../../lib/web/mod.ts";
import { TODO_CSS, TODO_HTML, TODO_JS } from "./todo_page.ts";
import type { TodoStore } from "./todo_store.ts";

/** Options of {@linkcode todoApp}. */
export interface TodoAppOptions {
  /** Where todos live. */
  store: TodoStore;
  /** The token that changes need (`Authorization: Bearer <token>`). */
  token: string;
  /** Receives one access-log line per request. */
  log?: (line: string) => void;
}

/** A todo as clients send it. */
export const TodoInputSchema = z.object({
  title: z.string().trim().min(1, "must not be empty").max(200),
  done: z.boolean().optional(),
});

/** A change to a todo. */
export const TodoPatchSchema = TodoInputSchema.partial().refine(
  (patch) => patch.title !== undefined || patch.done !== undefined,
  "give title or done",
);

const TodoSchema = z.object({
  id: z.string(),
  title: z.string(),
  done: z.boolean(),
  createdAt: z.string(),
});

const ListQuery = z.object({ done: z.enum(["true", "false"]).optional() });

/**
 * Builds the todo app.
 *
 * @example
 * ```ts
 * import { todoApp } from "./todo_app.ts";
 * import { MemoryTodoStore } from "./todo_store.ts";
 * import assert from "node:assert/strict";
 * const app = todoApp({ store: new MemoryTodoStore(), token: "t" });
 * const made = await app.request("/api/todos", {
 *   method: "POST",
 *   headers: { authorization: "Bearer t", "content-type": "application/json" },
 *   body: JSON.stringify({ title: "milk" }),
 * });
 * assert.equal(made.status, 201);
 * assert.equal((await (await app.request("/api/todos")).json())[0].title, "milk");
 * ```
 *
 * @param options The store, the token and a log sink.
 * @returns The app.
 */
export function todoApp(options: TodoAppOptions): App {
  const { store } = options;
  const app = new App();
  if (options.log) app.use(logger(options.log));
  app.use(
    requestId(),
    secureHeaders({
      "content-security-policy": "default-src 'self'",
      "strict-transport-security": false,
    }),
    errorHandler(),
    compress(),
    etag(),
  );
  app.notFound(notFound());

  app.get("/", doc({ hidden: true }), (c) => c.html(TODO_HTML));
  app.get(
    "/app.js",
    doc({ hidden: true }),
    (c) => c.body(TODO_JS, 200, { "content-type": "text/javascript; charset=utf-8" }),
  );
  app.get(
    "/app.css",
    doc({ hidden: true }),
    (c) => c.body(TODO_CSS, 200, { "content-type": "text/css; charset=utf-8" }),
  );
  app.get("/openapi.json", doc({ hidden: true }), (c) =>
    c.json(openApiDocument(app, {
      info: { title: "kit web todo", version: "1.0.0", description: "A sample REST API" },
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    })));

  const api = new App();
  // A todo is a line of text: 64 KiB is generous, and refuses a flood before it is buffered.
  api.use(bodyLimit(64 * 1024));
  const auth = bearerAuth({ tokens: [options.token] });
  const tags = ["todos"];
  const notFoundTodo = (id: string) => new HttpError(404, `No todo ${id}`);

  api.get(
    "/",
    doc({
      summary: "List todos",
      tags,
      responses: { 200: { description: "The todos", schema: z.array(TodoSchema) } },
    }),
    validate("query", ListQuery),
    async (c) => {
      const done = c.valid("query").done;
      const todos = await store.list();
      return done === undefined ? todos : todos.filter((t) => t.done === (done === "true"));
    },
  );
  api.get(
    "/:id",
    doc({
      summary: "One todo",
      tags,
      responses: {
        200: { description: "The todo", schema: TodoSchema },
        404: { description: "No such todo" },
      },
    }),
    async (c) => (await store.get(c.params.id)) ?? notFoundTodo(c.params.id).toResponse(),
  );
  api.post(
    "/",
    doc({
      summary: "Create a todo",
      tags,
      security: ["bearer"],
      responses: {
        201: { description: "Created", schema: TodoSchema },
        401: { description: "No or wrong token" },
      },
    }),
    auth,
    validate("json", TodoInputSchema),
    async (c) => {
      const todo = await store.create(c.valid("json"));
      return c.json(todo, 201, { location: `/api/todos/${todo.id}` });
    },
  );
  api.patch(
    "/:id",
    doc({
      summary: "Change a todo",
      tags,
      security: ["bearer"],
      responses: {
        200: { description: "Changed", schema: TodoSchema },
        404: { description: "No such todo" },
      },
    }),
    auth,
    validate("json", TodoPatchSchema),
    async (c) =>
      (await store.update(c.params.id, c.valid("json"))) ?? notFoundTodo(c.params.id).toResponse(),
  );
  api.delete(
    "/:id",
    doc({
      summary: "Delete a todo",
      tags,
      security: ["bearer"],
      responses: { 204: { description: "Deleted" }, 404: { description: "No such todo" } },
    }),
    auth,
    async (c) => {
      if (!(await store.delete(c.params.id))) throw notFoundTodo(c.params.id);
      return null;
    },
  );
  app.route("/api/todos", api);
  return app;
}
