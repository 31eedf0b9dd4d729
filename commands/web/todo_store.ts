/**
 * Where `kit web todo` keeps its todos: in memory, or in kit's Bitcask store (lib/kv).
 *
 * @module
 */

import type { Kv } from "../../lib/kv/mod.ts";

/** A todo. */
export interface Todo {
  /** Decimal id, assigned in creation order. */
  id: string;
  /** What to do. */
  title: string;
  /** Whether it is done. */
  done: boolean;
  /** When it was made, ISO 8601. */
  createdAt: string;
}

/** The fields a client may set. */
export interface TodoInput {
  /** What to do. */
  title: string;
  /** Whether it is done. @default false */
  done?: boolean;
}

/** Storage for todos. */
export interface TodoStore {
  /** Every todo, oldest first. */
  list(): Promise<Todo[]>;
  /** One todo. */
  get(id: string): Promise<Todo | undefined>;
  /** Makes a todo. */
  create(input: TodoInput): Promise<Todo>;
  /** Changes a todo; `undefined` when there is none. */
  update(id: string, patch: Partial<TodoInput>): Promise<Todo | undefined>;
  /** Removes a todo; false when there was none. */
  delete(id: string): Promise<boolean>;
}

/**
 * Todos in a map; gone when the process ends.
 *
 * @example
 * ```ts
 * import { MemoryTodoStore } from "./todo_store.ts";
 * import assert from "node:assert/strict";
 * const store = new MemoryTodoStore(() => new Date(0));
 * const todo = await store.create({ title: "milk" });
 * assert.deepEqual(await store.list(), [todo]);
 * ```
 */
export class MemoryTodoStore implements TodoStore {
  #todos = new Map<string, Todo>();
  #next = 1;
  #now: () => Date;

  /** @param now The clock. */
  constructor(now: () => Date = () => new Date()) {
    this.#now = now;
  }

  list(): Promise<Todo[]> {
    return Promise.resolve([...this.#todos.values()]);
  }

  get(id: string): Promise<Todo | undefined> {
    return Promise.resolve(this.#todos.get(id));
  }

  create(input: TodoInput): Promise<Todo> {
    const todo: Todo = {
      id: String(this.#next++),
      title: input.title,
      done: input.done ?? false,
      createdAt: this.#now().toISOString(),
    };
    this.#todos.set(todo.id, todo);
    return Promise.resolve(todo);
  }

  update(id: string, patch: Partial<TodoInput>): Promise<Todo | undefined> {
    const todo = this.#todos.get(id);
    if (!todo) return Promise.resolve(undefined);
    const next = { ...todo, ...definedOnly(patch) };
    this.#todos.set(id, next);
    return Promise.resolve(next);
  }

  delete(id: string): Promise<boolean> {
    return Promise.resolve(this.#todos.delete(id));
  }
}

/** Keys sort as numbers when the ids are zero-padded, so a prefix scan lists oldest first. */
function key(id: string): string {
  return `todo:${id.padStart(12, "0")}`;
}

const NEXT_ID = "meta:next-id";

/**
 * Todos in a kit kv store (msgpack values under `todo:<padded id>`), so they outlive the
 * process.
 *
 * @example
 * ```ts
 * import { openKv } from "../../lib/kv/mod.ts";
 * import { KvTodoStore } from "./todo_store.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const kv = await openKv(dir, { fsync: "always" });
 * const store = new KvTodoStore(kv);
 * await store.create({ title: "milk" });
 * assert.equal((await store.list())[0].title, "milk");
 * await kv.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class KvTodoStore implements TodoStore {
  #kv: Kv;
  #now: () => Date;
  /** Writes go one at a time, so two creates never take the same id. */
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * @param kv An open store.
   * @param now The clock.
   */
  constructor(kv: Kv, now: () => Date = () => new Date()) {
    this.#kv = kv;
    this.#now = now;
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => {});
    return run;
  }

  list(): Promise<Todo[]> {
    return Promise.resolve([...this.#kv.typed().prefix<Todo>("todo:")].map((e) => e.value));
  }

  get(id: string): Promise<Todo | undefined> {
    if (!/^\d{1,12}$/.test(id)) return Promise.resolve(undefined);
    return Promise.resolve(this.#kv.typed().get<Todo>(key(id)));
  }

  create(input: TodoInput): Promise<Todo> {
    return this.#serial(async () => {
      const typed = this.#kv.typed();
      const id = typed.get<number>(NEXT_ID) ?? 1;
      const todo: Todo = {
        id: String(id),
        title: input.title,
        done: input.done ?? false,
        createdAt: this.#now().toISOString(),
      };
      await typed.batch([
        { type: "set", key: NEXT_ID, value: id + 1 },
        { type: "set", key: key(todo.id), value: todo },
      ]);
      return todo;
    });
  }

  update(id: string, patch: Partial<TodoInput>): Promise<Todo | undefined> {
    return this.#serial(async () => {
      const todo = await this.get(id);
      if (!todo) return undefined;
      const next = { ...todo, ...definedOnly(patch) };
      await this.#kv.typed().set(key(id), next);
      return next;
    });
  }

  delete(id: string): Promise<boolean> {
    return this.#serial(async () => {
      if (!(await this.get(id))) return false;
      return await this.#kv.typed().delete(key(id));
    });
  }
}

function definedOnly(patch: Partial<TodoInput>): Partial<TodoInput> {
  const out: Partial<TodoInput> = {};
  if (patch.title !== undefined) out.title = patch.title;
  if (patch.done !== undefined) out.done = patch.done;
  return out;
}
