/**
 * The append-only file as Redis 7 lays it out: a folder (`appenddirname`) holding a manifest,
 * one base file (an RDB with `aof-base` set, or commands) and incremental files of commands in
 * RESP, plus how a command is written to it (the forms Redis propagates) and how a file of
 * commands is read back, tolerating a torn last command.
 *
 * @module
 */

import { bytesOf, latin1, lowerWord } from "./bytes.ts";
import type { Database } from "./db.ts";

/** One line of the manifest. */
export interface AofFileInfo {
  /** File name inside the AOF folder. */
  name: string;
  /** Sequence number. */
  seq: number;
  /** b: base, i: incremental, h: history (left to be deleted). */
  type: "b" | "i" | "h";
}

/** A manifest or AOF file that cannot be used. */
export class AofError extends Error {
  /** @param message What is wrong. */
  constructor(message: string) {
    super(message);
    this.name = "AofError";
  }
}

/**
 * Parses `appendonly.aof.manifest`: lines of `file <name> seq <n> type <b|i|h>`.
 *
 * @example
 * ```ts
 * import { parseManifest } from "./aof.ts";
 * import assert from "node:assert/strict";
 * const m = parseManifest(
 *   "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
 * );
 * assert.deepEqual(m.map((f) => f.type), ["b", "i"]);
 * ```
 *
 * @param text The manifest's text.
 * @returns Its entries, in file order.
 * @throws {AofError} For a malformed line or more than one base.
 */
export function parseManifest(text: string): AofFileInfo[] {
  const out: AofFileInfo[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const words = splitWords(line);
    const fields = new Map<string, string>();
    for (let i = 0; i + 1 < words.length; i += 2) fields.set(words[i], words[i + 1]);
    const name = fields.get("file");
    const seq = Number(fields.get("seq"));
    const type = fields.get("type");
    if (
      words.length % 2 !== 0 || !name || name.includes("/") || !Number.isInteger(seq) ||
      (type !== "b" && type !== "i" && type !== "h")
    ) {
      throw new AofError(`Invalid AOF manifest file format: '${line}'`);
    }
    out.push({ name, seq, type });
  }
  if (out.filter((f) => f.type === "b").length > 1) {
    throw new AofError("Found duplicate base file information in the AOF manifest");
  }
  return out;
}

/** Words as Redis's `sdssplitargs` splits them (names with spaces come quoted). */
function splitWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2]);
  }
  return words;
}

/**
 * Writes a manifest, base first, then the incremental files by sequence.
 *
 * @example
 * ```ts
 * import { formatManifest } from "./aof.ts";
 * console.assert(
 *   formatManifest([{ name: "appendonly.aof.2.incr.aof", seq: 2, type: "i" }]) ===
 *     "file appendonly.aof.2.incr.aof seq 2 type i\n",
 * );
 * ```
 *
 * @param files The entries.
 * @returns The manifest's text.
 */
export function formatManifest(files: AofFileInfo[]): string {
  const order = { b: 0, h: 1, i: 2 };
  return [...files].sort((a, b) => order[a.type] - order[b.type] || a.seq - b.seq)
    .map((f) => {
      const name = /[\s"\\]/.test(f.name) ? `"${f.name.replace(/["\\]/g, "\\$&")}"` : f.name;
      return `file ${name} seq ${f.seq} type ${f.type}\n`;
    }).join("");
}

/**
 * One command as the AOF stores it: a RESP array of bulk strings.
 *
 * @example
 * ```ts
 * import { encodeCommand } from "./aof.ts";
 * const bytes = encodeCommand(["SET", "k", new Uint8Array([118])]);
 * console.assert(new TextDecoder().decode(bytes) === "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
 * ```
 *
 * @param args The command and its arguments (strings are latin1).
 * @returns The bytes.
 */
export function encodeCommand(args: (string | Uint8Array)[]): Uint8Array {
  const parts = args.map((a) => typeof a === "string" ? bytesOf(a) : a);
  let size = 16;
  for (const p of parts) size += p.length + 16;
  const out = new Uint8Array(size);
  let n = 0;
  const ascii = (s: string) => {
    for (let i = 0; i < s.length; i++) out[n++] = s.charCodeAt(i);
  };
  ascii(`*${parts.length}\r\n`);
  for (const p of parts) {
    ascii(`$${p.length}\r\n`);
    out.set(p, n);
    n += p.length;
    ascii("\r\n");
  }
  return out.subarray(0, n);
}

/** What {@linkcode parseAof} found. */
export interface ParsedAof {
  /** The commands, in order. */
  commands: Uint8Array[][];
  /** Byte offset after each command. */
  ends: number[];
  /** Byte offset after the last whole command. */
  validLength: number;
  /** The file ends inside a command: the tail from validLength on is torn. */
  truncated: boolean;
}

/**
 * Reads a file of RESP commands. A command cut short by the end of the file sets `truncated`
 * (Redis's "short read"); anything else that is not a command is a format error.
 *
 * @example
 * ```ts
 * import { parseAof } from "./aof.ts";
 * import assert from "node:assert/strict";
 * const text = "*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1";
 * const parsed = parseAof(new TextEncoder().encode(text));
 * assert.equal(parsed.commands.length, 1);
 * assert.equal(parsed.validLength, 14);
 * assert.equal(parsed.truncated, true);
 * ```
 *
 * @param bytes The file.
 * @returns The commands and where the whole ones end.
 * @throws {AofError} For bytes that are not commands, with their offset.
 */
export function parseAof(bytes: Uint8Array): ParsedAof {
  const commands: Uint8Array[][] = [];
  const ends: number[] = [];
  let p = 0;
  let valid = 0;
  /** A `<prefix><number>\r\n` line; undefined when the file ends first. */
  const line = (prefix: number): number | undefined => {
    if (p >= bytes.length) return undefined;
    if (bytes[p] !== prefix) {
      throw new AofError(`Bad file format reading the append only file (at byte ${p})`);
    }
    let end = p + 1;
    while (end < bytes.length && bytes[end] !== 13) end++;
    if (end + 1 >= bytes.length) return undefined;
    const text = latin1(bytes.subarray(p + 1, end));
    if (bytes[end + 1] !== 10 || !/^\d+$/.test(text)) {
      throw new AofError(`Bad file format reading the append only file (at byte ${p})`);
    }
    p = end + 2;
    return Number(text);
  };
  outer: while (p < bytes.length) {
    const count = line(42); // '*'
    if (count === undefined) break;
    if (count < 1) {
      throw new AofError(`Bad file format reading the append only file (at byte ${valid})`);
    }
    const args: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const len = line(36); // '$'
      if (len === undefined || p + len + 2 > bytes.length) break outer;
      if (bytes[p + len] !== 13 || bytes[p + len + 1] !== 10) {
        throw new AofError(`Bad file format reading the append only file (at byte ${p + len})`);
      }
      args.push(bytes.slice(p, p + len));
      p += len + 2;
    }
    commands.push(args);
    ends.push(p);
    valid = p;
  }
  return { commands, ends, validLength: valid, truncated: valid < bytes.length };
}

const EXPIRE_OPTIONS = new Set(["ex", "px", "exat", "pxat"]);

/**
 * The commands Redis would propagate for a write command that changed the dataset, read
 * after it ran: relative expiry becomes absolute (PEXPIREAT, SET ... PXAT), INCRBYFLOAT
 * becomes SET ... KEEPTTL, GETEX becomes PEXPIREAT or PERSIST, GETDEL becomes DEL. Commands
 * that know better (SPOP, blocking pops) say what they did through the context instead.
 *
 * @example
 * ```ts
 * import { propagatedForm } from "./aof.ts";
 * import { Database } from "./db.ts";
 * import assert from "node:assert/strict";
 * const db = new Database(0, () => 1000);
 * db.set("k", { type: "string", value: new Uint8Array([49]) });
 * db.setExpire("k", 6000);
 * const b = (s: string) => new TextEncoder().encode(s);
 * const [cmd] = propagatedForm([b("EXPIRE"), b("k"), b("5")], db);
 * assert.deepEqual(cmd, ["PEXPIREAT", "k", "6000"]);
 * ```
 *
 * @param args The command as the client sent it.
 * @param db The database it ran on, as it is now.
 * @returns The commands to log.
 */
export function propagatedForm(
  args: Uint8Array[],
  db: Database,
): (string | Uint8Array)[][] {
  const name = lowerWord(args[0]);
  switch (name) {
    case "expire":
    case "pexpire":
    case "expireat":
    case "pexpireat": {
      const key = latin1(args[1]);
      const at = db.expireAt(key);
      if (!db.has(key)) return [["DEL", key]];
      return at === undefined ? [["PERSIST", key]] : [["PEXPIREAT", key, String(at)]];
    }
    case "setex":
    case "psetex":
      return withExpiry(latin1(args[1]), args[3], db);
    case "set": {
      const expiring = args.slice(3).some((a) => EXPIRE_OPTIONS.has(lowerWord(a)));
      return expiring ? withExpiry(latin1(args[1]), args[2], db) : [args];
    }
    case "getex": {
      const key = latin1(args[1]);
      if (!db.has(key)) return [["DEL", key]];
      const at = db.expireAt(key);
      return at === undefined ? [["PERSIST", key]] : [["PEXPIREAT", key, String(at)]];
    }
    case "getdel":
      return [["DEL", args[1]]];
    case "incrbyfloat": {
      const key = latin1(args[1]);
      const v = db.get(key);
      return v?.type === "string" ? [["SET", key, v.value, "KEEPTTL"]] : [args];
    }
    default:
      return [args];
  }
}

function withExpiry(key: string, value: Uint8Array, db: Database): (string | Uint8Array)[][] {
  const at = db.expireAt(key);
  if (!db.has(key)) return [["DEL", key]];
  return [at === undefined ? ["SET", key, value] : ["SET", key, value, "PXAT", String(at)]];
}
