/**
 * The request history: one JSON line per request sent, in a file that keeps only the last
 * entries, so it never grows without bound.
 *
 * Each entry holds what went over the wire (request line and headers, a bounded preview of the
 * body, status, timing) and a {@linkcode RequestSpec} that `kit http replay` sends again. Ids
 * only grow, so a number seen in `kit http history` keeps naming the same request after older
 * ones are dropped.
 *
 * @module
 */

import { atomicWrite } from "../../lib/fs/atomic_write.ts";
import { dirname } from "../../lib/fs/path.ts";
import type { BodySpec, RequestSpec } from "./request_spec.ts";

/** One recorded request. */
export interface HistoryEntry {
  /** Grows by one per entry. */
  id: number;
  /** ISO time the request was sent. */
  time: string;
  method: string;
  url: string;
  /** Request headers as written. */
  headers: [string, string][];
  /** The start of the request body as text, at most {@linkcode HistoryOptions.bodyLimit} bytes. */
  body?: string;
  /** The body was longer than what is kept. */
  bodyTruncated?: boolean;
  status?: number;
  reason?: string;
  /** What went wrong when no response came. */
  error?: string;
  /** Milliseconds: total and first byte. */
  timing?: { total: number; firstByte: number };
  /** What replay sends; without a body when the body was too large to keep. */
  replay: RequestSpec;
  /** The body could not be kept, so replay cannot send it. */
  replayBodyOmitted?: boolean;
}

/** An entry before it has an id. */
export type NewHistoryEntry = Omit<HistoryEntry, "id">;

/** Options for {@linkcode History}. */
export interface HistoryOptions {
  /** How many entries are kept. @default 1000 */
  max?: number;
  /** Bytes of body text kept for display. @default 4096 */
  bodyLimit?: number;
  /** Bytes of a replayable body kept. @default 65536 */
  replayLimit?: number;
}

/** Defaults of {@linkcode HistoryOptions}. */
export const HISTORY_DEFAULTS = {
  max: 1000,
  bodyLimit: 4096,
  replayLimit: 65536,
} satisfies HistoryOptions;

/** No history entry has the id asked for. */
export class HistoryEntryNotFoundError extends Error {
  override name = "HistoryEntryNotFoundError";
}

/** Request headers that replay leaves for the client to write again. */
const WIRE_HEADERS = /^(host|content-length|transfer-encoding|connection)$/i;

/**
 * The history file.
 *
 * @example
 * ```ts
 * import { History } from "./history.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const history = new History(`${dir}/history.jsonl`, { max: 2 });
 * for (const n of [1, 2, 3]) {
 *   await history.append({ time: "t", method: "GET", url: `http://x/${n}`, headers: [],
 *     replay: { method: "GET", url: `http://x/${n}`, headers: [] } });
 * }
 * assert.deepEqual((await history.list()).map((e) => e.id), [2, 3]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class History {
  readonly #path: string;
  readonly #max: number;

  /**
   * @param path The JSON lines file.
   * @param options How much is kept.
   */
  constructor(path: string, options: HistoryOptions = {}) {
    this.#path = path;
    this.#max = Math.max(1, options.max ?? HISTORY_DEFAULTS.max);
  }

  /** The file path. */
  get path(): string {
    return this.#path;
  }

  /**
   * All entries, oldest first. Lines that do not parse (a crash mid-write, a hand edit) are
   * skipped.
   *
   * @returns The entries.
   */
  async list(): Promise<HistoryEntry[]> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.#path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw error;
    }
    const entries: HistoryEntry[] = [];
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      try {
        const entry = JSON.parse(line) as HistoryEntry;
        if (typeof entry.id === "number" && entry.replay) entries.push(entry);
      } catch { /* a torn line */ }
    }
    return entries;
  }

  /**
   * Adds an entry, dropping the oldest beyond the limit, and returns it with its id. The file
   * is replaced atomically and is readable by its owner only: it holds request headers.
   *
   * @param entry The entry.
   * @returns The stored entry.
   */
  async append(entry: NewHistoryEntry): Promise<HistoryEntry> {
    const entries = await this.list();
    const id = (entries.at(-1)?.id ?? 0) + 1;
    const stored: HistoryEntry = { id, ...entry };
    const kept = [...entries.slice(Math.max(0, entries.length - this.#max + 1)), stored];
    await Deno.mkdir(dirname(this.#path), { recursive: true });
    await atomicWrite(this.#path, kept.map((e) => JSON.stringify(e) + "\n").join(""), {
      mode: 0o600,
    });
    return stored;
  }

  /**
   * The entry with an id; without one, the latest.
   *
   * @param id The id shown by `kit http history`.
   * @returns The entry.
   * @throws {HistoryEntryNotFoundError} When there is none.
   */
  async get(id?: number): Promise<HistoryEntry> {
    const entries = await this.list();
    const entry = id === undefined ? entries.at(-1) : entries.find((e) => e.id === id);
    if (!entry) {
      throw new HistoryEntryNotFoundError(
        id === undefined ? "The history is empty" : `No request #${id} in the history`,
      );
    }
    return entry;
  }
}

const decoder = new TextDecoder();

/** Options for {@linkcode historyEntry}. */
export interface HistoryEntryInput {
  /** When it was sent. */
  time: Date;
  /** The first request written (its line, headers and body). */
  sent: {
    method: string;
    url: URL;
    headers: [string, string][];
    body: Uint8Array | null;
    bodyLength: number | null;
  };
  /** What was asked for; its body is what replay sends. */
  spec: RequestSpec;
  /** The final response, when one came. */
  response?: { status: number; reason: string };
  /** The error, when none came. */
  error?: string;
  /** Timing in milliseconds. */
  timing?: { total: number; firstByte: number };
}

function bodySize(body: BodySpec | undefined): number {
  return body === undefined ? 0 : JSON.stringify(body).length;
}

/**
 * Builds a history entry from what was sent: headers as written, a bounded body preview,
 * and a replayable request whose body is dropped when it is larger than `replayLimit`.
 *
 * @example
 * ```ts
 * import { historyEntry } from "./history.ts";
 * import assert from "node:assert/strict";
 * const entry = historyEntry({
 *   time: new Date(0),
 *   sent: { method: "GET", url: new URL("http://x/"), headers: [["Host", "x"], ["X-A", "1"]], body: null, bodyLength: 0 },
 *   spec: { method: "GET", url: "http://x/", headers: [] },
 *   response: { status: 200, reason: "OK" },
 * });
 * assert.deepEqual(entry.replay.headers, [["X-A", "1"]]);
 * ```
 *
 * @param input What happened.
 * @param options Limits.
 * @returns The entry to append.
 */
export function historyEntry(
  input: HistoryEntryInput,
  options: HistoryOptions = {},
): NewHistoryEntry {
  const bodyLimit = options.bodyLimit ?? HISTORY_DEFAULTS.bodyLimit;
  const replayLimit = options.replayLimit ?? HISTORY_DEFAULTS.replayLimit;
  const { sent, spec } = input;
  // The client writes framing headers and, for a structured body, its Content-Type (a
  // multipart boundary is new each time) again.
  const structured = spec.body !== undefined &&
    !("text" in spec.body) && !("base64" in spec.body);
  const replayHeaders = sent.headers.filter(([n]) =>
    !WIRE_HEADERS.test(n) && !(structured && /^content-type$/i.test(n))
  );
  const replay: RequestSpec = { method: sent.method, url: sent.url.href, headers: replayHeaders };
  let omitted = false;
  if (spec.body !== undefined) {
    if (bodySize(spec.body) <= replayLimit) replay.body = spec.body;
    else omitted = true;
  }
  const entry: NewHistoryEntry = {
    time: input.time.toISOString(),
    method: sent.method,
    url: sent.url.href,
    headers: sent.headers,
    replay,
  };
  if (sent.body && sent.body.length > 0) {
    entry.body = decoder.decode(sent.body.subarray(0, bodyLimit));
    if (sent.body.length > bodyLimit) entry.bodyTruncated = true;
  }
  if (omitted) entry.replayBodyOmitted = true;
  if (input.response) {
    entry.status = input.response.status;
    entry.reason = input.response.reason;
  }
  if (input.error) entry.error = input.error;
  if (input.timing) entry.timing = input.timing;
  return entry;
}

/**
 * One line of `kit http history`.
 *
 * @example
 * ```ts
 * import { formatHistoryLine } from "./history.ts";
 * import assert from "node:assert/strict";
 * const line = formatHistoryLine({ id: 7, time: "2026-01-02T03:04:05.000Z", method: "GET", url: "http://x/",
 *   headers: [], status: 200, reason: "OK", timing: { total: 12.4, firstByte: 3 },
 *   replay: { method: "GET", url: "http://x/", headers: [] } });
 * assert.equal(line, "   7  2026-01-02 03:04:05  GET http://x/  200 OK  12 ms");
 * ```
 *
 * @param entry The entry.
 * @returns The line, without its newline.
 */
export function formatHistoryLine(entry: HistoryEntry): string {
  const time = entry.time.replace("T", " ").replace(/\.\d+Z$/, "").replace(/Z$/, "");
  const outcome = entry.status !== undefined
    ? `${entry.status} ${entry.reason ?? ""}`.trimEnd()
    : `error: ${entry.error ?? "unknown"}`;
  const timing = entry.timing ? `  ${Math.round(entry.timing.total)} ms` : "";
  return `${
    String(entry.id).padStart(4)
  }  ${time}  ${entry.method} ${entry.url}  ${outcome}${timing}`;
}
