import { request, type IncomingHttpHeaders } from 'node:http';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { formatDuration } from '@deploy-actions/action-kit';
import { connectHost, defaultPort, parseProbeUrl } from './probe-url.js';
import type { Dialer, ProbeOnceOptions, ProbeOutcome, ProbeSpec } from './types.js';

/** Enough of a body to find a "ready" marker; a huge page is not read to the end. */
export const MAX_BODY_BYTES = 256 * 1024;
/** How much of a body the report quotes. */
export const SNIPPET_CHARS = 200;
export const MAX_REDIRECTS = 5;
const USER_AGENT = 'deploy-actions-wait-ready';

/**
 * A direct TCP connection. `autoSelectFamily` tries every address a name resolves to
 * (happy eyeballs). `localhost` is tried on 127.0.0.1 and then ::1 whatever /etc/hosts
 * says (it is loopback by definition, RFC 6761): many hosts map it to one family only,
 * and a service may listen on the other.
 */
export const directDial: Dialer = async (host, port) => {
  if (!isLocalhost(host)) return connectTcp(host, port);
  try {
    return await connectTcp('127.0.0.1', port);
  } catch (v4) {
    try {
      return await connectTcp('::1', port);
    } catch (v6) {
      throw new AggregateError([v4, v6], `could not connect to localhost:${port}`);
    }
  }
};

function isLocalhost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

function connectTcp(host: string, port: number): Promise<Duplex> {
  return new Promise<Duplex>((resolve, reject) => {
    const socket = netConnect({ host, port, autoSelectFamily: true });
    const onError = (error: Error): void => {
      socket.destroy();
      reject(error);
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

class ProbeTimeout extends Error {}

/**
 * Probes once. Never rejects and always settles within `options.timeoutMs`: a server
 * that accepts and then says nothing (or trickles bytes) is cut off by one timer that
 * covers connect, TLS, headers, body and redirects together.
 */
export async function probeOnce(spec: ProbeSpec, options: ProbeOnceOptions): Promise<ProbeOutcome> {
  const started = performance.now();
  const redact = options.redact ?? ((text: string) => text);
  const elapsed = (): number => Math.round(performance.now() - started);
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(new Error('cancelled'));
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const timer = setTimeout(
    () =>
      controller.abort(new ProbeTimeout(`no complete answer within ${formatDuration(options.timeoutMs)}`)),
    Math.max(0, options.timeoutMs),
  );
  try {
    const url = parseProbeUrl(spec.url);
    const dial = options.dial ?? directDial;
    const partial =
      url.protocol === 'tcp:'
        ? await probeTcp(url, dial, controller.signal)
        : await probeHttp(url, spec, dial, controller.signal, redact);
    return { ...partial, ...(partial.error ? { error: redact(partial.error) } : {}), durationMs: elapsed() };
  } catch (error) {
    const reason = controller.signal.aborted ? controller.signal.reason : error;
    const timedOut = reason instanceof ProbeTimeout;
    return {
      ok: false,
      error: redact(describeError(reason)),
      ...(timedOut ? { timedOut } : {}),
      durationMs: elapsed(),
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

type PartialOutcome = Omit<ProbeOutcome, 'durationMs'>;

async function probeTcp(url: URL, dial: Dialer, signal: AbortSignal): Promise<PartialOutcome> {
  const stream = await abortable(dial(connectHost(url), defaultPort(url)), signal, (late) => late.destroy());
  stream.destroy();
  return { ok: true };
}

async function probeHttp(
  url: URL,
  spec: ProbeSpec,
  dial: Dialer,
  signal: AbortSignal,
  redact: (text: string) => string,
): Promise<PartialOutcome> {
  let current = url;
  let method = spec.method.toUpperCase();
  let headers = withBasicAuth(spec.headers, url);
  for (let hop = 0; ; hop++) {
    const response = await httpRequest(current, method, headers, spec, dial, signal);
    const location = typeof response.headers.location === 'string' ? response.headers.location : undefined;
    const redirect =
      response.status >= 300 && response.status < 400 && response.status !== 304 && location !== undefined;
    if (redirect && spec.followRedirects && hop < MAX_REDIRECTS) {
      const next = new URL(location, current);
      // Credentials go only to the origin they were given for, as curl and browsers do.
      if (next.origin !== current.origin) headers = withoutCredentials(headers);
      if ([301, 302, 303].includes(response.status) && method !== 'GET' && method !== 'HEAD') method = 'GET';
      current = next;
      continue;
    }
    return judge(response, spec, redirect ? redact(new URL(location!, current).href) : undefined, redact);
  }
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function judge(
  response: RawResponse,
  spec: ProbeSpec,
  location: string | undefined,
  redact: (text: string) => string,
): PartialOutcome {
  const text = response.body.toString('utf8');
  const bodySnippet = snippet(redact(text));
  const base = {
    status: response.status,
    ...(bodySnippet !== '' ? { bodySnippet } : {}),
    ...(location ? { location } : {}),
  };
  if (!spec.expectStatus.matches(response.status)) {
    const where = location ? ` (redirect to ${location}; set follow-redirects to follow it)` : '';
    return {
      ...base,
      ok: false,
      error: `status ${response.status}, expected ${spec.expectStatus.text}${where}`,
    };
  }
  if (spec.expectBody) {
    spec.expectBody.lastIndex = 0;
    if (!spec.expectBody.test(text))
      return { ...base, ok: false, error: `body does not match /${spec.expectBody.source}/` };
  }
  return { ...base, ok: true };
}

function httpRequest(
  url: URL,
  method: string,
  headers: Record<string, string>,
  spec: ProbeSpec,
  dial: Dialer,
  signal: AbortSignal,
): Promise<RawResponse> {
  const host = connectHost(url);
  const port = defaultPort(url);
  const secure = url.protocol === 'https:';
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, value?: RawResponse): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      if (error) reject(error);
      else resolve(value!);
    };
    const onAbort = (): void => finish(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    const req = request({
      method,
      host,
      port,
      path: `${url.pathname}${url.search}`,
      // The Host header is set here because the request itself never sees the real hostname
      // when the connection is dialled through a tunnel.
      setHost: false,
      headers: { host: url.host, 'user-agent': USER_AGENT, accept: '*/*', ...headers, connection: 'close' },
      createConnection: ((_options: unknown, done: (error: Error | null, socket?: Duplex) => void) => {
        dial(host, port).then(
          (stream) => {
            if (settled) {
              stream.destroy();
              return;
            }
            done(null, secure ? startTls(stream, host, spec) : stream);
          },
          (error: Error) => done(error),
        );
        return undefined;
      }) as unknown as (options: unknown, done: (error: Error | null, socket: Socket) => void) => Socket,
    });
    req.on('error', (error) => finish(error));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (): void =>
        finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      res.on('data', (chunk: Buffer) => {
        if (size >= MAX_BODY_BYTES) return;
        chunks.push(chunk.subarray(0, MAX_BODY_BYTES - size));
        size += chunk.length;
        if (size >= MAX_BODY_BYTES) done();
      });
      res.on('end', done);
      res.on('error', (error) => finish(error));
      res.on('aborted', () => finish(new Error('the server closed the connection mid-response')));
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    req.end();
  });
}

function startTls(stream: Duplex, host: string, spec: ProbeSpec): Duplex {
  return tlsConnect({
    socket: stream,
    host,
    // SNI carries names only; an IP literal there is against RFC 6066.
    ...(isIP(host) === 0 ? { servername: host } : {}),
    ...(spec.caCert ? { ca: spec.caCert } : {}),
    rejectUnauthorized: !spec.insecureTls,
    ALPNProtocols: ['http/1.1'],
  });
}

function withBasicAuth(headers: Record<string, string>, url: URL): Record<string, string> {
  const has = Object.keys(headers).some((k) => k.toLowerCase() === 'authorization');
  if (has || (url.username === '' && url.password === '')) return headers;
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return { ...headers, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([k]) => !/^(authorization|cookie|proxy-authorization)$/i.test(k)),
  );
}

/** Settles with `promise`, or rejects when `signal` aborts first (then `cleanup` gets a late result). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal, cleanup: (late: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) cleanup(value);
        else resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The start of a body as one line, for reports. */
export function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat;
}

/** A connection error as a person reads it: `connection refused (ECONNREFUSED 127.0.0.1:8080)`. */
export function describeError(error: unknown): string {
  if (error instanceof ProbeTimeout) return `timed out: ${error.message}`;
  // Duck-typed: errors from node's core can come from another realm (jest's VM, ncc's shims).
  if (typeof error !== 'object' || error === null || !('message' in error)) return String(error);
  const e = error as NodeJS.ErrnoException & { address?: string; port?: number; errors?: unknown[] };
  if (Array.isArray(e.errors) && e.errors.length > 0)
    return [...new Set(e.errors.map(describeError))].join('; ');
  const where = e.address
    ? ` ${e.address.includes(':') ? `[${e.address}]` : e.address}${e.port ? `:${e.port}` : ''}`
    : '';
  const plain = e.code ? ERROR_WORDS[e.code] : undefined;
  if (plain) return `${plain} (${e.code}${where})`;
  const certificate = e.code !== undefined && CERTIFICATE_PROBLEM.test(e.code);
  let message = e.message === '' ? e.name : e.message;
  // Node 24 appends advice about its own command line, which an action's user cannot pass;
  // ca-cert is what they can do.
  if (certificate) message = message.replace(NODE_SYSTEM_CA_HINT, '');
  const described = e.code && !message.includes(e.code) ? `${message} (${e.code})` : message;
  return certificate ? `${described}; if the server uses a private CA, pass it with ca-cert` : described;
}

const CERTIFICATE_PROBLEM = /CERT|UNABLE_TO_|SELF_SIGNED|LEAF_SIGNATURE/;
const NODE_SYSTEM_CA_HINT =
  /; if the root CA is installed locally, try running Node\.js with --use-system-ca/;

const ERROR_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed (temporary)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed by the server',
};
