import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { errorMessage, type InputReader, type Logger } from '@deploy-actions/action-kit';
import { parseProbeUrl, parseStatusMatcher, type ProbeSpec, type StatusMatcher } from '@deploy-actions/probe';

export interface WaitReadySettings {
  probes: ProbeSpec[];
  timeoutMs: number;
  intervalMs: number;
  maxIntervalMs: number;
  successThreshold: number;
  initialDelayMs: number;
  insecureTls: boolean;
  /** Credentials from the inputs (header values, URL passwords), hidden in whatever servers send back. */
  secrets: string[];
}

const METHOD = /^[A-Za-z]+$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Header values under these names are credentials: masked before anything is logged. */
const SECRET_HEADER = /auth|token|key|secret|cookie|session|password|signature|credential/i;

/**
 * Reads every input into typed settings, recording each problem on the reader; the caller's
 * `inputs.finish()` reports them all at once. Secret-bearing parts (header credentials,
 * passwords in URLs, the SSH key) are masked here, before anything can print them.
 */
export function readWaitReadySettings(
  inputs: InputReader,
  log: Logger,
  workspace: string,
): WaitReadySettings {
  const secrets: string[] = [];
  const keepSecret = (value: string): void => {
    log.mask(value);
    secrets.push(value);
  };
  const urls: string[] = [];
  for (const line of inputs.multiline('url', { required: true })) {
    try {
      const url = parseProbeUrl(line);
      if (url.password !== '') {
        keepSecret(url.password);
        keepSecret(decodeURIComponent(url.password));
      }
      urls.push(line);
    } catch (error) {
      inputs.problem('url', `${errorMessage(error)}.`);
    }
  }

  const method = (inputs.string('method') ?? 'GET').toUpperCase();
  inputs.check(
    METHOD.test(method),
    'method',
    `'${method}' is not an HTTP method; use e.g. GET, HEAD or POST.`,
  );
  const headers = readHeaders(inputs, keepSecret);
  const expectStatus = readStatusMatcher(inputs);
  const expectBody = readBodyPattern(inputs);
  if (expectBody && method === 'HEAD')
    inputs.problem('expect-body', 'cannot be checked with method HEAD, which gets no body; use GET.');

  const timeoutMs = inputs.duration('timeout', { default: '5m', min: 1 });
  const intervalMs = inputs.duration('interval', { default: '2s', min: 100 });
  const maxIntervalMs = Math.max(intervalMs, inputs.duration('max-interval', { default: '15s', min: 100 }));
  const requestTimeoutMs = inputs.duration('request-timeout', { default: '10s', min: 10 });
  const successThreshold = inputs.integer('success-threshold', { default: 1, min: 1, max: 1000 });
  const initialDelayMs = inputs.duration('initial-delay', { default: '0s' });
  if (initialDelayMs >= timeoutMs && inputs.raw('initial-delay') !== '') {
    inputs.problem(
      'initial-delay',
      `must be shorter than 'timeout' (${inputs.raw('timeout') || '5m'}), which it counts against.`,
    );
  }
  const caCert = readCaCert(inputs, workspace);
  const insecureTls = inputs.boolean('insecure-tls', { default: false });
  const followRedirects = inputs.boolean('follow-redirects', { default: false });

  const probes = urls.map((url): ProbeSpec => ({
    url,
    method,
    headers,
    expectStatus,
    ...(expectBody ? { expectBody } : {}),
    requestTimeoutMs,
    ...(caCert ? { caCert } : {}),
    insecureTls,
    followRedirects,
  }));
  return {
    probes,
    timeoutMs,
    intervalMs,
    maxIntervalMs,
    successThreshold,
    initialDelayMs,
    insecureTls,
    secrets,
  };
}

function readHeaders(inputs: InputReader, keepSecret: (value: string) => void): Record<string, string> {
  const headers: Record<string, string> = {};
  const lines = inputs.raw('headers').split(/\r?\n/);
  lines.forEach((line, index) => {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) return;
    const colon = text.indexOf(':');
    const name = colon > 0 ? text.slice(0, colon).trim() : '';
    // The line itself is never quoted back: it may hold a credential.
    if (!HEADER_NAME.test(name)) {
      inputs.problem('headers', `line ${index + 1} is not 'Name: value' (e.g. 'Authorization: Bearer ...').`);
      return;
    }
    const value = text.slice(colon + 1).trim();
    if (SECRET_HEADER.test(name) && value !== '') {
      keepSecret(value);
      // "Bearer <token>": the token alone must be hidden too, wherever it turns up.
      const credential = value.split(/\s+/).at(-1)!;
      if (credential.length >= 6) keepSecret(credential);
    }
    headers[name] = value;
  });
  return headers;
}

function readStatusMatcher(inputs: InputReader): StatusMatcher {
  const text = inputs.string('expect-status') ?? '200-299';
  try {
    return parseStatusMatcher(text);
  } catch (error) {
    inputs.problem('expect-status', `${errorMessage(error)}.`);
    return parseStatusMatcher('200-299');
  }
}

/** A plain pattern, or `/pattern/flags` for flags such as `i`. */
function readBodyPattern(inputs: InputReader): RegExp | undefined {
  const text = inputs.string('expect-body');
  if (text === undefined) return undefined;
  const literal = /^\/(.*)\/([dimsuv]*)$/s.exec(text);
  try {
    return literal ? new RegExp(literal[1]!, literal[2]) : new RegExp(text);
  } catch (error) {
    inputs.problem('expect-body', `is not a valid regular expression (${errorMessage(error)}).`);
    return undefined;
  }
}

/** Inline PEM, or the path of a PEM file (relative to the workspace). */
function readCaCert(inputs: InputReader, workspace: string): string | undefined {
  const value = inputs.string('ca-cert');
  if (value === undefined) return undefined;
  let pem = value;
  if (!value.includes('-----BEGIN')) {
    const path = isAbsolute(value) ? value : resolve(workspace, value);
    if (!existsSync(path)) {
      inputs.problem('ca-cert', `'${value}' is neither PEM text nor an existing file.`);
      return undefined;
    }
    pem = readFileSync(path, 'utf8');
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    inputs.problem(
      'ca-cert',
      'holds no PEM certificate (-----BEGIN CERTIFICATE-----). Pass the CA certificate, not a key.',
    );
    return undefined;
  }
  try {
    createSecureContext({ ca: pem });
  } catch (error) {
    inputs.problem('ca-cert', `could not be loaded as a CA certificate (${errorMessage(error)}).`);
    return undefined;
  }
  return pem;
}
