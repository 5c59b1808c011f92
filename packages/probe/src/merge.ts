import type { Logger } from '@deploy-actions/action-kit';
import type { ProbeSpec, ReadinessResult, WaitOptions } from './types.js';
import type { Vantage } from './vantage.js';
import { waitUntilReady } from './wait.js';

/** A logger that names the host on every line, so interleaved progress stays readable. */
export function labelledLogger(log: Logger, label: string | undefined): Logger {
  if (label === undefined) return log;
  return { ...log, info: (m) => log.info(`[${label}] ${m}`), debug: (m) => log.debug(`[${label}] ${m}`) };
}

/**
 * One result for all hosts: ready when every host saw every URL ready. With several hosts,
 * each URL is named `host url` (in the status output, the summary and the error).
 */
export function mergeResults(parts: readonly { label?: string; result: ReadinessResult }[]): ReadinessResult {
  if (parts.length === 1) return parts[0]!.result;
  const name = (label: string | undefined, url: string): string =>
    label === undefined ? url : `${label} ${url}`;
  const gaveUp = parts.some((p) => p.result.gaveUp === 'aborted')
    ? 'aborted'
    : parts.some((p) => p.result.gaveUp)
      ? 'timeout'
      : undefined;
  return {
    ready: parts.every((p) => p.result.ready),
    attempts: parts.reduce((sum, p) => sum + p.result.attempts, 0),
    rounds: Math.max(...parts.map((p) => p.result.rounds)),
    elapsedMs: Math.max(...parts.map((p) => p.result.elapsedMs)),
    ...(gaveUp ? { gaveUp } : {}),
    probes: parts.flatMap((p) => p.result.probes.map((r) => ({ ...r, url: name(p.label, r.url) }))),
    timeline: parts
      .flatMap((p) => p.result.timeline.map((a) => ({ ...a, url: name(p.label, a.url) })))
      .sort((a, b) => a.atMs - b.atMs),
    timelineDropped: parts.reduce((sum, p) => sum + p.result.timelineDropped, 0),
  };
}

/**
 * Runs `waitUntilReady` from every vantage at once (each gets its own dialer and a logger that
 * names its host) and merges the results: ready when every host saw every URL ready.
 */
export async function waitUntilReadyFrom(
  vantages: readonly Vantage[],
  probes: ProbeSpec[],
  options: Omit<WaitOptions, 'dial'>,
  log: Logger,
): Promise<ReadinessResult> {
  const several = vantages.length > 1;
  const parts = await Promise.all(
    vantages.map(async (vantage) => ({
      ...(vantage.label !== undefined && several ? { label: vantage.label } : {}),
      result: await waitUntilReady(
        probes,
        { ...options, ...(vantage.dial ? { dial: vantage.dial } : {}) },
        labelledLogger(log, several ? vantage.label : undefined),
      ),
    })),
  );
  return mergeResults(parts);
}
