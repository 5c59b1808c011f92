import type { Logger } from '@deploy-actions/action-kit';
import { formatDuration } from '@deploy-actions/action-kit';
import { backoffDelay } from './backoff.js';
import { probeOnce } from './probe-once.js';
import { displayUrl } from './probe-url.js';
import type {
  AttemptRecord,
  Clock,
  ProbeOutcome,
  ProbeReport,
  ProbeSpec,
  ReadinessResult,
  WaitOptions,
} from './types.js';

const MIN_ROUND_MS = 5;

const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted || ms <= 0) {
        resolve();
        return;
      }
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/**
 * Probes every URL in rounds until each has passed `successThreshold` times in a row,
 * or the overall timeout (which includes `initialDelayMs`) runs out. A URL that has
 * reached its threshold is not probed again. All pending URLs of a round are probed
 * together; each request is cut off at the request timeout or at the deadline,
 * whichever is nearer, so nothing can hold the gate past `timeoutMs`.
 * Between rounds the wait is `intervalMs`; after `backoffGraceRounds` (10) failing rounds in a
 * row it backs off (×1.2 a round, ±20% jitter, capped at `maxIntervalMs`); a round in which every pending URL passes
 * resets it, so a threshold of passes is collected at the base interval.
 */
export async function waitUntilReady(
  probes: ProbeSpec[],
  options: WaitOptions,
  log: Logger,
): Promise<ReadinessResult> {
  const clock = options.clock ?? realClock;
  const probe = options.probe ?? probeOnce;
  const maxTimeline = options.maxTimeline ?? 500;
  const threshold = Math.max(1, options.successThreshold);
  const start = clock.now();
  const deadline = start + options.timeoutMs;
  const remaining = (): number => deadline - clock.now();
  const sinceStart = (): number => Math.round(clock.now() - start);

  const reports: ProbeReport[] = probes.map((p) => ({
    url: displayUrl(p.url),
    ready: false,
    attempts: 0,
    passes: 0,
    consecutivePasses: 0,
  }));
  const timeline: AttemptRecord[] = [];
  let timelineDropped = 0;
  let attempts = 0;
  let rounds = 0;
  let failures = 0;

  const finish = (ready: boolean, gaveUp?: 'timeout' | 'aborted'): ReadinessResult => ({
    ready,
    attempts,
    rounds,
    elapsedMs: sinceStart(),
    ...(gaveUp ? { gaveUp } : {}),
    probes: reports,
    timeline,
    timelineDropped,
  });

  if (options.initialDelayMs > 0) {
    log.info(`Waiting ${formatDuration(options.initialDelayMs)} before the first probe (initial-delay).`);
    await clock.sleep(Math.min(options.initialDelayMs, remaining()), options.signal);
  }

  for (;;) {
    if (options.signal?.aborted) return finish(false, 'aborted');
    // A round started in the last few milliseconds could only time out.
    if (remaining() < MIN_ROUND_MS) return finish(false, 'timeout');
    rounds++;
    const pending = probes
      .map((spec, index) => ({ spec, index }))
      .filter(({ index }) => !reports[index]!.ready);
    const outcomes = await Promise.all(
      pending.map(async ({ spec, index }) => {
        const atMs = sinceStart();
        const timeoutMs = Math.max(1, Math.round(Math.min(spec.requestTimeoutMs, remaining())));
        const outcome = await probe(spec, {
          timeoutMs,
          ...(options.dial ? { dial: options.dial } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.redact ? { redact: options.redact } : {}),
        });
        return { index, atMs, outcome, cutShort: timeoutMs < spec.requestTimeoutMs };
      }),
    );

    let roundPassed = true;
    for (const { index, atMs, outcome: seen, cutShort } of outcomes) {
      attempts++;
      const report = reports[index]!;
      report.attempts++;
      // A request the overall deadline cut short says nothing about the service; the evidence
      // of the attempts before it (a refused connection, a 503) is what explains the failure.
      const deadlineCut = !seen.ok && seen.timedOut === true && cutShort && report.attempts > 1;
      const outcome = deadlineCut ? { ...seen, error: 'cut off by the overall timeout' } : seen;
      if (!outcome.ok) {
        roundPassed = false;
        report.consecutivePasses = 0;
      }
      // A cut-short attempt is counted and shown on the timeline, but leaves the evidence as it was.
      if (!deadlineCut) recordEvidence(report, outcome, threshold);
      timeline.push({
        round: rounds,
        url: report.url,
        atMs,
        ok: outcome.ok,
        ...(outcome.status !== undefined ? { status: outcome.status } : {}),
        ...(outcome.error !== undefined ? { error: outcome.error } : {}),
        durationMs: outcome.durationMs,
      });
      if (timeline.length > maxTimeline) {
        timeline.shift();
        timelineDropped++;
      }
      log.info(`${formatDuration(atMs).padStart(6)}  ${describeAttempt(report, outcome, threshold)}`);
    }

    if (reports.every((r) => r.ready)) return finish(true);
    if (options.signal?.aborted) return finish(false, 'aborted');
    failures = roundPassed ? 0 : failures + 1;
    const delay = backoffDelay(
      failures,
      {
        intervalMs: options.intervalMs,
        maxIntervalMs: options.maxIntervalMs,
        ...(options.backoffGraceRounds !== undefined ? { graceRounds: options.backoffGraceRounds } : {}),
      },
      options.random,
    );
    if (remaining() < MIN_ROUND_MS) return finish(false, 'timeout');
    await clock.sleep(Math.min(delay, remaining()), options.signal);
  }
}

function recordEvidence(report: ProbeReport, outcome: ProbeOutcome, threshold: number): void {
  if (outcome.status !== undefined) report.lastStatus = outcome.status;
  else delete report.lastStatus;
  if (outcome.bodySnippet !== undefined) report.lastBodySnippet = outcome.bodySnippet;
  if (outcome.location !== undefined) report.lastLocation = outcome.location;
  if (outcome.ok) {
    report.passes++;
    report.consecutivePasses++;
    if (report.consecutivePasses >= threshold) report.ready = true;
  } else {
    report.lastError = outcome.error ?? 'failed';
  }
}

function describeAttempt(
  report: ProbeReport,
  outcome: { ok: boolean; status?: number; error?: string; durationMs: number },
  threshold: number,
): string {
  const status = outcome.status !== undefined ? `${outcome.status} ` : '';
  const verdict = outcome.ok
    ? `pass${threshold > 1 ? ` ${report.consecutivePasses}/${threshold}` : ''}`
    : `fail: ${outcome.error ?? 'failed'}`;
  return `${report.url}  ${status}${verdict} (${outcome.durationMs}ms)`;
}

/**
 * The failure as one message: per URL the last status, the last error and the start of the body.
 */
export function describeNotReady(result: ReadinessResult, timeoutMs: number): string {
  const why = result.gaveUp === 'aborted' ? 'Cancelled' : `Not ready after ${formatDuration(timeoutMs)}`;
  const lines = result.probes.map((p) => {
    if (p.ready) return `  - ${p.url}: ready (${p.passes} pass(es) in ${p.attempts} attempt(s))`;
    const parts = [
      p.lastStatus !== undefined ? `last status ${p.lastStatus}` : 'no HTTP answer',
      p.lastError !== undefined ? `last error: ${p.lastError}` : undefined,
      p.consecutivePasses > 0 ? `${p.consecutivePasses} consecutive pass(es) at the end` : undefined,
      p.lastBodySnippet !== undefined ? `body: "${p.lastBodySnippet}"` : undefined,
    ].filter((s): s is string => s !== undefined);
    return `  - ${p.url}: ${parts.join('; ')} (${p.attempts} attempt(s))`;
  });
  return `${why} (${result.attempts} attempt(s) over ${formatDuration(result.elapsedMs)}):\n${lines.join('\n')}`;
}
