import { escapeMarkdown, formatDuration, type SummaryBuilder } from '@deploy-actions/action-kit';
import type { ReadinessResult } from '@deploy-actions/probe';

/** How many attempts the summary's timeline shows (the latest). */
const TIMELINE_ROWS = 100;

/** The `status` output: one `url status` a line; `open`/`closed` for tcp://, `none` when no HTTP answer came. */
export function statusLines(result: ReadinessResult): string {
  return result.probes
    .map((p) => {
      if (p.url.startsWith('tcp:')) return `${p.url} ${p.consecutivePasses > 0 ? 'open' : 'closed'}`;
      return `${p.url} ${p.lastStatus ?? 'none'}`;
    })
    .join('\n');
}

/** Per URL the verdict and evidence, then the timeline of attempts. */
export function writeSummary(
  summary: SummaryBuilder,
  result: ReadinessResult,
  context: { timeoutMs: number; from: string },
): void {
  summary.heading(
    result.ready
      ? `wait-ready: ready in ${formatDuration(result.elapsedMs)}`
      : `wait-ready: ${result.gaveUp === 'aborted' ? 'cancelled' : `not ready after ${formatDuration(context.timeoutMs)}`}`,
  );
  summary.paragraph(
    `${result.attempts} attempt(s) in ${result.rounds} round(s), probed from ${context.from}.`,
  );
  summary.table(
    ['URL', 'result', 'passes', 'attempts', 'last status', 'last error', 'body (start)'],
    result.probes.map((p) => [
      p.url,
      p.ready ? 'ready' : 'NOT ready',
      p.passes,
      p.attempts,
      p.lastStatus ?? '-',
      p.lastError ?? '-',
      p.lastBodySnippet ?? '-',
    ]),
  );
  const shown = result.timeline.slice(-TIMELINE_ROWS);
  const hidden = result.timelineDropped + result.timeline.length - shown.length;
  const rows = shown.map((a) => [
    a.round,
    formatDuration(a.atMs),
    a.url,
    a.ok ? 'pass' : 'fail',
    a.status ?? '-',
    a.error ?? '-',
    `${a.durationMs}ms`,
  ]);
  const table = [
    '| round | at | URL | result | status | error | took |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.map((c) => escapeMarkdown(String(c))).join(' | ')} |`),
  ].join('\n');
  summary.details(
    `Timeline of attempts${hidden > 0 ? ` (latest ${shown.length}; ${hidden} earlier not shown)` : ''}`,
    table,
  );
}
