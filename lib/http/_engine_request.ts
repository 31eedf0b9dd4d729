/**
 * The Request the server engine hands to handlers, private to lib/http. It differs from a plain
 * Request in one way: its `signal` comes from a {@linkcode LazyAbort}, made only when read.
 * Passing a signal to the Request constructor makes a dependent signal per request, which cost
 * about a third of the engine's own time per small request; most handlers never look at it.
 */

/** An abort whose AbortController exists only once someone asks for the signal. */
export class LazyAbort {
  #controller: AbortController | null = null;
  #aborted = false;
  #reason: unknown = undefined;
  /** Called once when the signal is first asked for (the connection then watches for a close). */
  onDemand: (() => void) | null = null;

  /** Whether abort() was called. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** The signal; already aborted when abort() came first. */
  get signal(): AbortSignal {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
      const onDemand = this.onDemand;
      this.onDemand = null;
      onDemand?.();
    }
    return this.#controller.signal;
  }

  /**
   * Aborts once; later calls do nothing.
   *
   * @param reason The abort reason.
   */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}

const ABORT = Symbol("abort");

/** A Request from the server engine; `signal` aborts when the client goes away. */
export class EngineRequest extends Request {
  [ABORT]: LazyAbort;

  /**
   * @param url The absolute URL.
   * @param init Method, body, duplex.
   * @param abort Where `signal` comes from.
   */
  constructor(url: string, init: RequestInit, abort: LazyAbort) {
    super(url, init);
    this[ABORT] = abort;
  }
}

// An accessor on the subclass prototype shadows Request.prototype.signal (a class field could not,
// and TypeScript does not let an accessor override the declared property).
Object.defineProperty(EngineRequest.prototype, "signal", {
  get(this: EngineRequest): AbortSignal {
    return this[ABORT].signal;
  },
  configurable: true,
  enumerable: true,
});

/** What a handler learns about the connection; `signal` is the request's lazy one. */
export class EngineConnInfo {
  readonly #abort: LazyAbort;

  /**
   * @param remoteAddr The client's address.
   * @param localAddr The server's address.
   * @param secure Whether the connection is TLS.
   * @param abort Where `signal` comes from.
   */
  constructor(
    readonly remoteAddr: Deno.NetAddr,
    readonly localAddr: Deno.NetAddr,
    readonly secure: boolean,
    abort: LazyAbort,
  ) {
    this.#abort = abort;
  }

  /** Aborted when the client goes away or the handler runs out of time. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }
}
