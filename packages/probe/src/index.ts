export { parseStatusMatcher, type StatusMatcher } from './status-matcher.js';
export { backoffDelay, type BackoffTiming } from './backoff.js';
export { parseProbeUrl, displayUrl } from './probe-url.js';
export {
  probeOnce,
  directDial,
  describeError,
  snippet,
  MAX_BODY_BYTES,
  SNIPPET_CHARS,
  MAX_REDIRECTS,
} from './probe-once.js';
export { waitUntilReady, describeNotReady } from './wait.js';
export { waitUntilReadyVia, type Vantage, type ViaSsh, type WaitViaHooks } from './vantage.js';
export type {
  ProbeSpec,
  WaitOptions,
  Dialer,
  Clock,
  ProbeOnceOptions,
  ProbeOutcome,
  AttemptRecord,
  ProbeReport,
  ReadinessResult,
} from './types.js';
