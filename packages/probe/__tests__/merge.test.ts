import { RecordingLogger } from '@deploy-actions/action-kit';
import { labelledLogger, mergeResults } from '../src/merge.js';
import type { ReadinessResult } from '../src/types.js';

function result(ready: boolean, url: string, extra: Partial<ReadinessResult> = {}): ReadinessResult {
  return {
    ready,
    attempts: 3,
    rounds: 3,
    elapsedMs: 1000,
    probes: [
      {
        url,
        ready,
        attempts: 3,
        passes: ready ? 1 : 0,
        consecutivePasses: ready ? 1 : 0,
        lastStatus: ready ? 200 : 503,
      },
    ],
    timeline: [{ round: 1, url, atMs: 10, ok: ready, durationMs: 2 }],
    timelineDropped: 0,
    ...extra,
  };
}

describe('mergeResults', () => {
  it('returns a single result unchanged', () => {
    const only = result(true, 'http://a/');
    expect(mergeResults([{ result: only }])).toBe(only);
  });

  it('is ready only when every host saw every URL ready, and names the host with each URL', () => {
    const merged = mergeResults([
      { label: 'web1:22', result: result(true, 'http://127.0.0.1:8080/') },
      {
        label: 'web2:22',
        result: result(false, 'http://127.0.0.1:8080/', { gaveUp: 'timeout', elapsedMs: 5000 }),
      },
    ]);
    expect(merged).toMatchObject({ ready: false, attempts: 6, elapsedMs: 5000, gaveUp: 'timeout' });
    expect(merged.probes.map((p) => `${p.url} ${p.lastStatus}`)).toEqual([
      'web1:22 http://127.0.0.1:8080/ 200',
      'web2:22 http://127.0.0.1:8080/ 503',
    ]);
    expect(merged.timeline.map((a) => a.url)).toEqual([
      'web1:22 http://127.0.0.1:8080/',
      'web2:22 http://127.0.0.1:8080/',
    ]);
  });
});

describe('labelledLogger', () => {
  it('prefixes progress lines with the host', () => {
    const log = new RecordingLogger();
    labelledLogger(log, 'web1:22').info('pass');
    expect(log.lines).toEqual(['[web1:22] pass']);
  });
});
