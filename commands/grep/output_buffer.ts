/**
 * Collecting one file's output before it is written, so parallel searches never interleave.
 *
 * @module
 */

import { concat } from "../../lib/bytes/mod.ts";

const encoder = new TextEncoder();

/** Text and raw bytes in order; raw bytes carry lines of files that are not UTF-8 unchanged. */
export class OutputBuffer {
  #parts: (string | Uint8Array)[] = [];
  #text = "";

  /** Appends text (encoded as UTF-8). */
  text(s: string): void {
    this.#text += s;
  }

  /** Appends bytes as they are. */
  bytes(b: Uint8Array): void {
    if (this.#text !== "") {
      this.#parts.push(this.#text);
      this.#text = "";
    }
    // A copy: the bytes may be a view of a read buffer that the next chunk overwrites.
    this.#parts.push(b.slice());
  }

  /**
   * Encodes the text appended so far. Text cut from a chunk keeps the whole chunk alive (V8
   * slices point into their parent string), so a long file's search compacts after each chunk.
   */
  compact(): void {
    if (this.#text === "") return;
    this.#parts.push(encoder.encode(this.#text));
    this.#text = "";
  }

  /** Bytes held, roughly (text counted in UTF-16 units). */
  get size(): number {
    let n = this.#text.length;
    for (const p of this.#parts) n += p.length;
    return n;
  }

  /** Whether nothing was appended. */
  get empty(): boolean {
    return this.#text === "" && this.#parts.length === 0;
  }

  /**
   * Everything appended, as bytes; the buffer is empty afterwards.
   *
   * @example
   * ```ts
   * import { OutputBuffer } from "./output_buffer.ts";
   * import assert from "node:assert/strict";
   * const out = new OutputBuffer();
   * out.text("a:");
   * out.bytes(new Uint8Array([0xff]));
   * out.text("\n");
   * assert.deepEqual([...out.take()], [0x61, 0x3a, 0xff, 0x0a]);
   * ```
   *
   * @returns The bytes.
   */
  take(): Uint8Array {
    if (this.#parts.length === 0) {
      const only = encoder.encode(this.#text);
      this.#text = "";
      return only;
    }
    if (this.#text !== "") this.#parts.push(this.#text);
    const chunks = this.#parts.map((p) => typeof p === "string" ? encoder.encode(p) : p);
    this.#parts = [];
    this.#text = "";
    return concat(chunks);
  }
}
