import type { Duplex } from 'node:stream';
import type { StatusMatcher } from './status-matcher.js';

/** One endpoint to probe: `http(s)://...` or `tcp://host:port`. */
export interface ProbeSpec {
  url: string;
  /** HTTP method; ignored for tcp://. */
  method: string;
  headers: Record<string, string>;
  expectStatus: StatusMatcher;
  /** Tested against the start of the body (the first `MAX_BODY_BYTES`). */
  expectBody?: RegExp;
  requestTimeoutMs: number;
  /** PEM certificate(s) to trust instead of the system's CAs. */
  caCert?: string;
  insecureTls: boolean;
  /** Follow up to `MAX_REDIRECTS` redirects; off by default, so a 302 to a login page is not "ready". */
  followRedirects?: boolean;
}

/** Opens a TCP connection to host:port; resolves once it is connected. */
export type Dialer = (host: string, port: number) => Promise<Duplex>;

export interface WaitOptions {
  /** Hard overall limit, initial delay included. */
  timeoutMs: number;
  /** Wait between rounds, stretched by backoff while probes fail. */
  intervalMs: number;
  maxIntervalMs: number;
  /** Failing rounds at the base interval before backoff starts; 10 by default. */
  backoffGraceRounds?: number;
  /** Consecutive passes each URL needs. */
  successThreshold: number;
  initialDelayMs: number;
  signal?: AbortSignal;
  /** Opens the TCP connection for a probe; default: a direct connection. ssh-deploy and via-ssh pass one that tunnels through SSH. */
  dial?: Dialer;
  /** Time source and sleep; real ones by default. Tests pass a fake to run fast and deterministically. */
  clock?: Clock;
  /** Jitter source in [0, 1); Math.random by default. */
  random?: () => number;
  /** Performs one probe; `probeOnce` by default. Tests pass a scripted one. */
  probe?: (spec: ProbeSpec, options: ProbeOnceOptions) => Promise<ProbeOutcome>;
  /** Hides secrets in what servers send back (bodies, redirect targets, errors) before anything keeps or logs it. */
  redact?: (text: string) => string;
  /** How many attempts the timeline keeps (the latest ones); 500 by default. */
  maxTimeline?: number;
}

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface ProbeOnceOptions {
  /** This request's limit (the request timeout, or less when the overall deadline is nearer). */
  timeoutMs: number;
  dial?: Dialer;
  signal?: AbortSignal;
  /** Applied to the whole body before the snippet is cut, so no part of a secret survives at the cut. */
  redact?: (text: string) => string;
}

/** What one probe saw. */
export interface ProbeOutcome {
  ok: boolean;
  /** HTTP status of the final response; undefined for tcp:// and when no response came. */
  status?: number;
  /** Why it did not pass: a connection error, a timeout, an unexpected status or body. */
  error?: string;
  /** The start of the body, whitespace collapsed, at most `SNIPPET_CHARS` characters. */
  bodySnippet?: string;
  /** Where a redirect pointed, when it was not followed. */
  location?: string;
  /** The probe ran out of its time (rather than being refused, answered wrongly, or cancelled). */
  timedOut?: boolean;
  durationMs: number;
}

/** One attempt on the timeline. */
export interface AttemptRecord {
  /** Round number, from 1. */
  round: number;
  url: string;
  /** Milliseconds since the gate started. */
  atMs: number;
  ok: boolean;
  status?: number;
  error?: string;
  durationMs: number;
}

/** Per-URL evidence at the end. */
export interface ProbeReport {
  url: string;
  /** Reached `successThreshold` consecutive passes. */
  ready: boolean;
  attempts: number;
  passes: number;
  consecutivePasses: number;
  lastStatus?: number;
  /** The error of the last failed attempt (kept even when later attempts passed). */
  lastError?: string;
  lastBodySnippet?: string;
  lastLocation?: string;
}

export interface ReadinessResult {
  ready: boolean;
  /** Probes made, all URLs together. */
  attempts: number;
  rounds: number;
  /** From the start (initial delay included) until ready or giving up. */
  elapsedMs: number;
  /** Why the gate gave up: the overall timeout, or the caller's abort signal. */
  gaveUp?: 'timeout' | 'aborted';
  probes: ProbeReport[];
  /** The latest attempts, oldest first (at most `maxTimeline`). */
  timeline: AttemptRecord[];
  /** Attempts dropped from the start of the timeline to keep it bounded. */
  timelineDropped: number;
}
