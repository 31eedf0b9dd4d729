/**
 * Opens connections to an origin: name resolution, TCP, an optional CONNECT tunnel through a
 * proxy, TLS (system roots plus extra CAs, SNI, client certificates, or no checks at all), each
 * step timed and bounded by its own timeout.
 *
 * @module
 */
import { lookup } from "node:dns/promises";
import * as net from "node:net";
import * as tls from "node:tls";
import { HttpError } from "./errors.ts";
import { BufferedConn, type Transport } from "./buffered_conn.ts";
import { openTunnel, proxyAuthorization } from "./proxy_tunnel.ts";
import { guard, Watchdog } from "./deadline.ts";
import { NodeSocketTransport } from "./_node_transport.ts";
import type { Stopwatch } from "./timing.ts";

/** TLS settings. */
export interface TlsOptions {
  /** Extra trusted root certificates, PEM. */
  caCerts?: string[];
  /** Skip certificate and host name checks. @default false */
  insecure?: boolean;
  /** Client certificate chain, PEM. */
  cert?: string;
  /** Client private key, PEM. */
  key?: string;
}

/** Where a request goes. */
export interface Origin {
  /** "http" or "https". */
  scheme: "http" | "https";
  /** The host name or IP address (IPv6 without brackets). */
  hostname: string;
  /** The port. */
  port: number;
}

/** Options for {@linkcode openConnection}. */
export interface OpenOptions {
  /** TLS settings for https origins. */
  tls?: TlsOptions;
  /** Milliseconds for resolution plus TCP connect. */
  connectTimeout?: number;
  /** Milliseconds for the TLS handshake (and a CONNECT tunnel). */
  tlsTimeout?: number;
  /** The proxy to go through, or null. */
  proxy?: URL | null;
  /** Aborts the attempt. */
  signal?: AbortSignal;
  /** The request's clock, for the timing record. */
  clock: Stopwatch;
}

/** When each connection phase ended, in ms on the request's clock. */
export interface ConnectTiming {
  /** Name resolution done (0 for an IP literal). */
  dns: number;
  /** TCP connected. */
  connect: number;
  /** TLS done (0 without TLS). */
  tls: number;
}

/** An open connection and what a request needs to know about it. */
export class HttpConnection {
  /** The buffered connection. */
  readonly io: BufferedConn;
  /** The pool key: origin plus proxy. */
  readonly key: string;
  /** Whether requests use the absolute-form target (plain HTTP through a proxy). */
  readonly absoluteForm: boolean;
  /** The Proxy-Authorization to send on each request in absolute form, or null. */
  readonly proxyAuthorization: string | null;
  /** How many requests this connection has carried. */
  requests = 0;
  /** When it was last put back in the pool (performance.now()). */
  idleSince = 0;
  /** The one timer of this connection's reads and writes; it closes the connection on expiry. */
  readonly watch: Watchdog;

  /**
   * Wraps an open connection.
   *
   * @param io The buffered connection.
   * @param key The pool key.
   * @param absoluteForm Whether requests use the absolute-form target.
   * @param proxyAuth The Proxy-Authorization for absolute-form requests.
   */
  constructor(
    io: BufferedConn,
    key: string,
    absoluteForm = false,
    proxyAuth: string | null = null,
  ) {
    this.io = io;
    this.key = key;
    this.absoluteForm = absoluteForm;
    this.proxyAuthorization = proxyAuth;
    this.watch = new Watchdog(() => this.close());
  }

  /** Closes the connection and stops its timer. */
  close(): void {
    this.watch.stop();
    this.io.close();
  }
}

/**
 * The pool key of an origin reached through `proxy`.
 *
 * @example
 * ```ts
 * import { poolKey } from "./connection.ts";
 * import assert from "node:assert/strict";
 * assert.equal(poolKey({ scheme: "http", hostname: "a", port: 80 }, null), "http://a:80");
 * ```
 *
 * @param origin The origin.
 * @param proxy The proxy, or null.
 * @returns The key.
 */
export function poolKey(origin: Origin, proxy: URL | null | undefined): string {
  const base = `${origin.scheme}://${origin.hostname}:${origin.port}`;
  return proxy ? `${base} via ${proxy.href}` : base;
}

/**
 * The origin of a URL.
 *
 * @example
 * ```ts
 * import { originOf } from "./connection.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(originOf(new URL("https://[::1]/x")), { scheme: "https", hostname: "::1", port: 443 });
 * ```
 *
 * @param url An http: or https: URL.
 * @returns Scheme, bare host name and port.
 */
export function originOf(url: URL): Origin {
  const scheme = url.protocol === "https:" ? "https" : "http";
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url.port ? Number(url.port) : scheme === "https" ? 443 : 80;
  return { scheme, hostname, port };
}

// Where distributions keep the system's trusted roots, as one PEM bundle.
const SYSTEM_BUNDLES = [
  "/etc/ssl/certs/ca-certificates.crt",
  "/etc/pki/tls/certs/ca-bundle.crt",
  "/etc/ssl/ca-bundle.pem",
  "/etc/ssl/cert.pem",
];
let systemRootsLoaded: Promise<string[]> | null = null;

/**
 * The system's trusted root certificates (SSL_CERT_FILE, else the distribution's bundle), read
 * once per process. Deno's TLS trusts Mozilla's roots built in; adding these makes a CA that an
 * administrator installed work as it does with curl. Empty when Deno already uses the system
 * store (DENO_TLS_CA_STORE=system), or when no bundle can be read.
 *
 * @example
 * ```ts
 * import { systemRoots } from "./connection.ts";
 * import assert from "node:assert/strict";
 * assert.ok(Array.isArray(await systemRoots()));
 * ```
 *
 * @returns The bundle's text as a one-element list, or an empty list.
 */
export function systemRoots(): Promise<string[]> {
  systemRootsLoaded ??= (async () => {
    let env: string | undefined;
    let store: string | undefined;
    try {
      env = Deno.env.get("SSL_CERT_FILE");
      store = Deno.env.get("DENO_TLS_CA_STORE");
    } catch {
      // No env permission: fall back to the well-known paths.
    }
    if (store?.split(",").includes("system")) return [];
    for (const path of env ? [env, ...SYSTEM_BUNDLES] : SYSTEM_BUNDLES) {
      try {
        const text = await Deno.readTextFile(path);
        if (text.includes("-----BEGIN CERTIFICATE-----")) return [text];
      } catch {
        // Not there, or not readable: try the next one.
      }
    }
    return [];
  })();
  return systemRootsLoaded;
}

function isIp(host: string): boolean {
  return net.isIP(host) !== 0;
}

function describeHost(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** Resolves a name through the system resolver (getaddrinfo reads /etc/hosts too). */
async function resolve(host: string, options: OpenOptions): Promise<string[]> {
  if (isIp(host)) return [host];
  try {
    const found = await guard(lookup(host, { all: true }), {
      ms: options.connectTimeout,
      signal: options.signal,
      onTimeout: () =>
        new HttpError("timeout", `timed out after ${options.connectTimeout} ms resolving ${host}`, {
          phase: "connect",
        }),
    });
    if (found.length === 0) throw new Error("no address");
    return found.map((a) => a.address);
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError("dns", `could not resolve host: ${host}`, { cause: error });
  }
}

/** Maps a failed TCP connect to an HttpError. */
function connectError(error: unknown, host: string, port: number): HttpError {
  if (error instanceof HttpError) return error;
  const where = describeHost(host, port);
  if (error instanceof Deno.errors.ConnectionRefused || /ECONNREFUSED/.test(String(error))) {
    return new HttpError("connect", `connection refused: ${where}`, { cause: error });
  }
  const text = error instanceof Error ? error.message : String(error);
  return new HttpError("connect", `cannot connect to ${where}: ${text.split("\n")[0]}`, {
    cause: error,
  });
}

/** Maps a failed TLS handshake to an HttpError, "certificate" when the peer was not trusted. */
export function tlsError(error: unknown, host: string): HttpError {
  if (error instanceof HttpError) return error;
  const text = (error instanceof Error ? error.message : String(error)).split("\n")[0];
  if (
    /certificate|UnknownIssuer|NotValidForName|CaUsedAsEndEntity|Expired|BadSignature/i.test(text)
  ) {
    return new HttpError("certificate", `certificate of ${host} not trusted: ${text}`, {
      cause: error,
    });
  }
  return new HttpError("tls", `TLS handshake with ${host} failed: ${text}`, { cause: error });
}

/**
 * Tries each address in turn (a name may resolve to ::1 and 127.0.0.1 while the server listens
 * on one of them), failing with the first address's error when none connects.
 */
async function firstConnecting<T>(
  addresses: string[],
  connect: (address: string) => Promise<T>,
): Promise<T> {
  let first: unknown = null;
  for (const address of addresses) {
    try {
      return await connect(address);
    } catch (error) {
      if (error instanceof HttpError && error.kind !== "connect") throw error;
      first ??= error;
    }
  }
  throw first;
}

async function tcpConnect(host: string, port: number, options: OpenOptions): Promise<Deno.TcpConn> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const conn = await guard(Deno.connect({ hostname: host, port, signal: controller.signal }), {
      ms: options.connectTimeout,
      signal: options.signal,
      onTimeout: () => {
        controller.abort();
        return new HttpError(
          "timeout",
          `timed out after ${options.connectTimeout} ms connecting to ${describeHost(host, port)}`,
          { phase: "connect" },
        );
      },
      late: (c) => c.close(),
    });
    conn.setNoDelay(true);
    return conn;
  } catch (error) {
    throw connectError(error, host, port);
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
}

function nodeConnect(host: string, port: number, options: OpenOptions): Promise<net.Socket> {
  const socket = net.connect({ host, port, noDelay: true });
  const ready = new Promise<net.Socket>((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
  return guard(ready, {
    ms: options.connectTimeout,
    signal: options.signal,
    onTimeout: () =>
      new HttpError(
        "timeout",
        `timed out after ${options.connectTimeout} ms connecting to ${describeHost(host, port)}`,
        {
          phase: "connect",
        },
      ),
  }).catch((error) => {
    socket.destroy();
    throw connectError(error, host, port);
  });
}

function tlsTimeout(options: OpenOptions, host: string): () => HttpError {
  return () =>
    new HttpError(
      "timeout",
      `timed out after ${options.tlsTimeout} ms in the TLS handshake with ${host}`,
      {
        phase: "tls",
      },
    );
}

/** TLS through node:tls, the one path that can skip certificate checks per connection. */
async function nodeTlsSocket(
  socket: net.Socket,
  servername: string,
  options: OpenOptions,
): Promise<tls.TLSSocket> {
  const t = options.tls ?? {};
  const extra = [...await systemRoots(), ...t.caCerts ?? []];
  const secure = tls.connect({
    socket,
    servername: isIp(servername) ? undefined : servername,
    rejectUnauthorized: !t.insecure,
    ca: extra.length > 0 ? [...tls.rootCertificates, ...extra] : undefined,
    cert: t.cert,
    key: t.key,
  });
  const ready = new Promise<tls.TLSSocket>((resolve, reject) => {
    secure.once("secureConnect", () => resolve(secure));
    secure.once("error", reject);
  });
  return guard(ready, {
    ms: options.tlsTimeout,
    signal: options.signal,
    onTimeout: tlsTimeout(options, servername),
  })
    .catch((error) => {
      secure.destroy();
      throw tlsError(error, servername);
    });
}

async function nodeTls(
  socket: net.Socket,
  servername: string,
  options: OpenOptions,
): Promise<Transport> {
  return new NodeSocketTransport(await nodeTlsSocket(socket, servername, options));
}

async function denoTls(
  tcp: Deno.TcpConn,
  servername: string,
  options: OpenOptions,
): Promise<Transport> {
  const t = options.tls ?? {};
  try {
    const caCerts = [...await systemRoots(), ...t.caCerts ?? []];
    const conn = await Deno.startTls(tcp, { hostname: servername, caCerts });
    await guard(conn.handshake(), {
      ms: options.tlsTimeout,
      signal: options.signal,
      onTimeout: tlsTimeout(options, servername),
    }).catch((error) => {
      try {
        conn.close();
      } catch { /* already closed */ }
      throw error;
    });
    return conn;
  } catch (error) {
    throw tlsError(error, servername);
  }
}

async function clientCertTls(
  host: string,
  port: number,
  options: OpenOptions,
): Promise<Deno.TlsConn> {
  const t = options.tls ?? {};
  let conn: Deno.TlsConn;
  const caCerts = [...await systemRoots(), ...t.caCerts ?? []];
  try {
    conn = await guard(
      Deno.connectTls({ hostname: host, port, caCerts, cert: t.cert!, key: t.key! }),
      {
        ms: options.connectTimeout,
        signal: options.signal,
        onTimeout: () =>
          new HttpError(
            "timeout",
            `timed out after ${options.connectTimeout} ms connecting to ${
              describeHost(host, port)
            }`,
            {
              phase: "connect",
            },
          ),
        late: (c) => c.close(),
      },
    );
  } catch (error) {
    throw connectError(error, host, port);
  }
  try {
    await guard(conn.handshake(), {
      ms: options.tlsTimeout,
      signal: options.signal,
      onTimeout: tlsTimeout(options, host),
    });
    return conn;
  } catch (error) {
    try {
      conn.close();
    } catch { /* already closed */ }
    throw tlsError(error, host);
  }
}

/**
 * Opens a connection to `origin`, directly or through `options.proxy`.
 *
 * Paths: plain TCP (Deno.connect to the resolved address); TLS over it with Deno.startTls
 * (SNI from the host name; Mozilla's roots, the system's roots and `caCerts`); with a client certificate,
 * Deno.connectTls (startTls takes none); with `insecure`, node:tls and rejectUnauthorized
 * false, since Deno's TLS has no per-connection switch to skip checks. Through a proxy,
 * https targets get a CONNECT tunnel and http targets use the absolute-form target.
 *
 * @example
 * ```ts ignore
 * const { connection } = await openConnection(originOf(new URL("http://127.0.0.1:8080/")), { clock: new Stopwatch() });
 * ```
 *
 * @param origin Where to connect.
 * @param options TLS, timeouts, proxy, signal and clock.
 * @returns The connection and when each phase ended.
 */
export async function openConnection(
  origin: Origin,
  options: OpenOptions,
): Promise<{ connection: HttpConnection; timing: ConnectTiming }> {
  const timing: ConnectTiming = { dns: 0, connect: 0, tls: 0 };
  const proxy = options.proxy ?? null;
  const key = poolKey(origin, proxy);
  const t = options.tls ?? {};
  const target = proxy
    ? {
      host: proxy.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: proxy.port ? Number(proxy.port) : proxy.protocol === "https:" ? 443 : 80,
    }
    : { host: origin.hostname, port: origin.port };
  const proxyAuth = proxy ? proxyAuthorization(proxy) : null;
  const addresses = await resolve(target.host, options);
  if (!isIp(target.host)) timing.dns = options.clock.elapsed();
  const useNode = t.insecure === true;
  const proxyTls = proxy?.protocol === "https:";

  if (proxy && origin.scheme === "https") {
    // A tunnel: TCP to the proxy, CONNECT, then TLS to the origin through it. Through an
    // https:// proxy that is TLS inside TLS, which only node:tls can layer.
    if (useNode || (t.cert && t.key) || proxyTls) {
      let socket: net.Socket = await firstConnecting(
        addresses,
        (a) => nodeConnect(a, target.port, options),
      );
      timing.connect = options.clock.elapsed();
      if (proxyTls) socket = await nodeTlsSocket(socket, target.host, options);
      const plain = new NodeSocketTransport(socket);
      const io = new BufferedConn(plain);
      await guard(openTunnel(io, origin.hostname, origin.port, proxyAuth), {
        ms: options.tlsTimeout,
        signal: options.signal,
        onTimeout: tlsTimeout(options, origin.hostname),
      }).catch((e) => {
        socket.destroy();
        throw e;
      });
      if (plain.detach().length > 0 || io.hasPending) {
        socket.destroy();
        throw new HttpError("protocol", "proxy sent data before the TLS handshake");
      }
      const secure = await nodeTls(socket, origin.hostname, options);
      timing.tls = options.clock.elapsed();
      return { connection: new HttpConnection(new BufferedConn(secure), key), timing };
    }
    const tcp = await firstConnecting(addresses, (a) => tcpConnect(a, target.port, options));
    timing.connect = options.clock.elapsed();
    const io = new BufferedConn(tcp);
    try {
      await guard(openTunnel(io, origin.hostname, origin.port, proxyAuth), {
        ms: options.tlsTimeout,
        signal: options.signal,
        onTimeout: tlsTimeout(options, origin.hostname),
      });
      if (io.hasPending) {
        throw new HttpError("protocol", "proxy sent data before the TLS handshake");
      }
    } catch (error) {
      io.close();
      throw error;
    }
    const secure = await denoTls(tcp, origin.hostname, options);
    timing.tls = options.clock.elapsed();
    return { connection: new HttpConnection(new BufferedConn(secure), key), timing };
  }

  const needTls = proxy ? proxyTls : origin.scheme === "https";
  const servername = target.host;
  let transport: Transport;
  if (!needTls) {
    transport = await firstConnecting(addresses, (a) => tcpConnect(a, target.port, options));
    timing.connect = options.clock.elapsed();
  } else if (useNode) {
    const socket = await firstConnecting(addresses, (a) => nodeConnect(a, target.port, options));
    timing.connect = options.clock.elapsed();
    transport = await nodeTls(socket, servername, options);
    timing.tls = options.clock.elapsed();
  } else if (t.cert && t.key) {
    // Deno.startTls takes no client certificate, so connect and handshake in one call; the
    // name is resolved again there, which keeps SNI and the certificate check on the name.
    transport = await clientCertTls(servername, target.port, options);
    timing.connect = timing.tls = options.clock.elapsed();
  } else {
    const tcp = await firstConnecting(addresses, (a) => tcpConnect(a, target.port, options));
    timing.connect = options.clock.elapsed();
    transport = await denoTls(tcp, servername, options);
    timing.tls = options.clock.elapsed();
  }
  const absolute = proxy !== null;
  return {
    connection: new HttpConnection(
      new BufferedConn(transport),
      key,
      absolute,
      absolute ? proxyAuth : null,
    ),
    timing,
  };
}
