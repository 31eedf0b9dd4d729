/**
 * The route table the web benchmarks share: 100 routes, each with two params, beside a static
 * `/` and `/json`, so every router pays for a realistic table.
 *
 * @module
 */

/** Route patterns in registration order. */
export const ROUTES: string[] = Array.from(
  { length: 100 },
  (_, i) => `/api/v${i % 3}/res${i}/:id/items/:item`,
);

/** The path the "params among 100 routes" case asks for (a route registered late). */
export const PARAM_PATH = "/api/v2/res98/1234/items/abc";
