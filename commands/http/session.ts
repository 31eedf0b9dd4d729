/**
 * Sessions: cookies, credentials and headers kept between calls, as httpie keeps them.
 *
 * A session named `api` used against `localhost:8080` lives in
 * `<data>/sessions/localhost_8080/api.json`, so one name can mean different sessions on
 * different hosts; a name with a slash (or ending in `.json`) is a path instead.
 *
 * Merge rules (httpie's): headers given on the command line win over the session's, and are
 * then stored in it, except `Content-*` and `If-*` headers, which describe one request, and
 * `Cookie`, whose cookies go into the cookie jar instead. `Header:` (unset) removes a stored
 * header. Credentials given with `--auth` replace the stored ones.
 *
 * @module
 */

import type { Cookie } from "../../lib/http/cookies.ts";
import { atomicWrite } from "../../lib/fs/atomic_write.ts";
import { dirname, join, resolve } from "../../lib/fs/path.ts";

/** Stored credentials. */
export interface SessionAuth {
  /** `basic`, `bearer` or `digest`. */
  type: string;
  /** What followed `--auth`: `user:pass`, or a token. */
  raw: string;
}

/** A session file's content. */
export interface SessionData {
  headers: [string, string][];
  cookies: Cookie[];
  auth?: SessionAuth;
}

/** A session file that cannot be read as one. */
export class SessionFileError extends Error {
  override name = "SessionFileError";
}

/**
 * Where a session is kept.
 *
 * @example
 * ```ts
 * import { sessionPath } from "./session.ts";
 * import assert from "node:assert/strict";
 * assert.equal(sessionPath("api", new URL("http://localhost:8080/x"), { dir: "/d", cwd: "/w" }), "/d/sessions/localhost_8080/api.json");
 * assert.equal(sessionPath("./s.json", new URL("http://a/"), { dir: "/d", cwd: "/w" }), "/w/s.json");
 * ```
 *
 * @param name The `--session` value.
 * @param url The request URL (the host picks the folder).
 * @param options The data folder and the working folder.
 * @returns The file path.
 */
export function sessionPath(name: string, url: URL, options: { dir: string; cwd: string }): string {
  if (/[\\/]/.test(name) || name.endsWith(".json")) return resolve(options.cwd, name);
  if (!/^[\w.-]+$/.test(name)) {
    throw new SessionFileError(
      `"${name}" is not a session name (letters, digits, '.', '_' and '-')`,
    );
  }
  const host = url.port ? `${url.hostname}_${url.port}` : url.hostname;
  return join(options.dir, "sessions", host.replace(/[^\w.-]/g, "_"), `${name}.json`);
}

const EXCLUDED = /^(content-|if-)/i;

/** A session in memory. */
export class Session {
  /** The stored headers, in order. */
  headers: [string, string][];
  /** The stored cookies. */
  cookies: Cookie[];
  /** The stored credentials. */
  auth?: SessionAuth;

  /** @param data The stored content. */
  constructor(data: Partial<SessionData> = {}) {
    this.headers = data.headers ?? [];
    this.cookies = data.cookies ?? [];
    this.auth = data.auth;
  }

  /**
   * Reads a session file; a missing file is an empty session.
   *
   * @param path The file.
   * @returns The session.
   * @throws {SessionFileError} When the file is not a session.
   */
  static async load(path: string): Promise<Session> {
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return new Session();
      throw error;
    }
    try {
      const data = JSON.parse(text) as Partial<SessionData>;
      if (typeof data !== "object" || data === null) throw new Error("not an object");
      const headers = Array.isArray(data.headers)
        ? data.headers
        : Object.entries((data.headers ?? {}) as Record<string, string>);
      return new Session({ headers, cookies: data.cookies ?? [], auth: data.auth });
    } catch (error) {
      throw new SessionFileError(
        `Cannot read the session "${path}": ${(error as Error).message}`,
      );
    }
  }

  /**
   * The headers to send: the session's, with those given on the command line replacing the
   * ones of the same name.
   *
   * @example
   * ```ts
   * import { Session } from "./session.ts";
   * import assert from "node:assert/strict";
   * const s = new Session({ headers: [["X-A", "old"], ["X-B", "b"]] });
   * assert.deepEqual(s.requestHeaders([["x-a", "new"]]), [["X-B", "b"], ["x-a", "new"]]);
   * ```
   *
   * @param given Headers from the command line.
   * @param unset Names the command line unsets.
   * @returns The merged headers.
   */
  requestHeaders(given: [string, string][], unset: string[] = []): [string, string][] {
    const names = new Set([...given, ...unset.map((n) => [n])].map(([n]) => n.toLowerCase()));
    return [...this.headers.filter(([n]) => !names.has(n.toLowerCase())), ...given];
  }

  /**
   * Stores the command line's headers by httpie's rules (see the module doc). Returns the
   * cookies a `Cookie` header carried, for the jar.
   *
   * @example
   * ```ts
   * import { Session } from "./session.ts";
   * import assert from "node:assert/strict";
   * const s = new Session({ headers: [["X-Old", "1"]] });
   * const cookies = s.updateHeaders([["X-Old", null], ["Content-Type", "a/b"], ["X-New", "2"], ["Cookie", "a=1; b=2"]]);
   * assert.deepEqual(s.headers, [["X-New", "2"]]);
   * assert.deepEqual(cookies, [["a", "1"], ["b", "2"]]);
   * ```
   *
   * @param given Headers from the command line; `null` unsets.
   * @returns Name/value pairs from `Cookie` headers.
   */
  updateHeaders(given: [string, string | null][]): [string, string][] {
    const cookies: [string, string][] = [];
    for (const [name, value] of given) {
      const lower = name.toLowerCase();
      if (lower === "cookie") {
        for (const pair of (value ?? "").split(";")) {
          const eq = pair.indexOf("=");
          if (eq > 0) cookies.push([pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()]);
        }
        continue;
      }
      if (EXCLUDED.test(name)) continue;
      this.headers = this.headers.filter(([n]) => n.toLowerCase() !== lower);
      if (value !== null) this.headers.push([name, value]);
    }
    return cookies;
  }

  /** The content to store. */
  toJSON(): SessionData {
    const data: SessionData = { headers: this.headers, cookies: this.cookies };
    if (this.auth) data.auth = this.auth;
    return data;
  }

  /**
   * Writes the session atomically, creating its folder; mode 0600 since it may hold secrets.
   *
   * @param path The file.
   */
  async save(path: string): Promise<void> {
    await Deno.mkdir(dirname(path), { recursive: true });
    await atomicWrite(path, JSON.stringify(this.toJSON(), null, 4) + "\n", { mode: 0o600 });
  }
}
