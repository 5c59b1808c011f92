import { RecordingLogger } from '@deploy-actions/action-kit';
import { parseStatusMatcher } from '../src/status-matcher.js';
import type { Clock, ProbeOnceOptions, ProbeOutcome, ProbeSpec, WaitOptions } from '../src/types.js';
import { describeNotReady, waitUntilReady } from '../src/wait.js';

/** A clock that only moves when the gate sleeps or a scripted probe takes time. */
function fakeClock(): Clock & { sleeps: number[]; advance(ms: number): void } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance: (ms) => (now += ms),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

function spec(url: string, requestTimeoutMs = 1000): ProbeSpec {
  return {
    url,
    method: 'GET',
    headers: {},
    expectStatus: parseStatusMatcher('200-299'),
    requestTimeoutMs,
    insecureTls: false,
  };
}

const pass: ProbeOutcome = { ok: true, status: 200, durationMs: 5 };
const fail: ProbeOutcome = {
  ok: false,
  status: 503,
  error: 'status 503, expected 200-299',
  bodySnippet: 'migrating',
  durationMs: 5,
};

/** Answers each URL from its script in turn; the last answer repeats. */
function scripted(clock: ReturnType<typeof fakeClock>, scripts: Record<string, ProbeOutcome[]>) {
  const calls: { url: string; options: ProbeOnceOptions; at: number }[] = [];
  const probe = async (s: ProbeSpec, options: ProbeOnceOptions): Promise<ProbeOutcome> => {
    calls.push({ url: s.url, options, at: clock.now() });
    const script = scripts[s.url]!;
    const outcome = script.length > 1 ? script.shift()! : script[0]!;
    clock.advance(Math.min(outcome.durationMs, options.timeoutMs));
    return outcome;
  };
  return { probe, calls };
}

function options(clock: Clock, probe: WaitOptions['probe'], extra: Partial<WaitOptions> = {}): WaitOptions {
  return {
    timeoutMs: 60_000,
    intervalMs: 1000,
    maxIntervalMs: 8000,
    successThreshold: 1,
    initialDelayMs: 0,
    clock,
    probe,
    random: () => 0.5,
    ...extra,
  };
}

describe('waitUntilReady', () => {
  it('returns ready as soon as every URL has passed', async () => {
    const clock = fakeClock();
    const { probe, calls } = scripted(clock, { 'http://a/': [fail, fail, pass], 'http://b/': [pass] });
    const result = await waitUntilReady(
      [spec('http://a/'), spec('http://b/')],
      options(clock, probe),
      new RecordingLogger(),
    );
    expect(result.ready).toBe(true);
    expect(calls.filter((c) => c.url === 'http://a/')).toHaveLength(3);
    // b passed in the first round and is not probed again.
    expect(calls.filter((c) => c.url === 'http://b/')).toHaveLength(1);
    expect(result.attempts).toBe(4);
  });

  it('needs success-threshold consecutive passes, starting over after a failure', async () => {
    const clock = fakeClock();
    const { probe, calls } = scripted(clock, {
      'http://flap/': [pass, fail, pass, pass, fail, pass, pass, pass],
    });
    const result = await waitUntilReady(
      [spec('http://flap/')],
      options(clock, probe, { successThreshold: 3 }),
      new RecordingLogger(),
    );
    expect(result.ready).toBe(true);
    expect(calls).toHaveLength(8);
    expect(result.probes[0]).toMatchObject({ passes: 6, consecutivePasses: 3, lastError: fail.error });
  });

  it('backs off while rounds fail and returns to the interval after a passing round', async () => {
    const clock = fakeClock();
    const { probe } = scripted(clock, { 'http://a/': [fail, fail, fail, pass, pass] });
    await waitUntilReady(
      [spec('http://a/')],
      options(clock, probe, { successThreshold: 2, backoffGraceRounds: 1 }),
      new RecordingLogger(),
    );
    expect(clock.sleeps).toEqual([1000, 1200, 1440, 1000]);
  });

  it('caps the wait between rounds at max-interval', async () => {
    const clock = fakeClock();
    const { probe } = scripted(clock, { 'http://a/': [fail] });
    await waitUntilReady(
      [spec('http://a/')],
      options(clock, probe, { timeoutMs: 60_000, maxIntervalMs: 4000 }),
      new RecordingLogger(),
    );
    expect(Math.max(...clock.sleeps)).toBe(4000);
  });

  it('gives up at the overall timeout with the last evidence per URL', async () => {
    const clock = fakeClock();
    const { probe } = scripted(clock, { 'http://a/': [fail], 'http://b/': [pass] });
    const result = await waitUntilReady(
      [spec('http://a/'), spec('http://b/')],
      options(clock, probe, { timeoutMs: 10_000 }),
      new RecordingLogger(),
    );
    expect(result).toMatchObject({ ready: false, gaveUp: 'timeout' });
    expect(result.elapsedMs).toBeLessThanOrEqual(10_000);
    expect(result.probes[0]).toMatchObject({ ready: false, lastStatus: 503, lastBodySnippet: 'migrating' });
    const message = describeNotReady(result, 10_000);
    expect(message).toContain('http://a/: last status 503; last error: status 503, expected 200-299');
    expect(message).toContain('body: "migrating"');
    expect(message).toContain('http://b/: ready');
  });

  it('never lets a request run past the overall deadline', async () => {
    const clock = fakeClock();
    const { probe, calls } = scripted(clock, {
      'http://slow/': [{ ok: false, error: 'timed out', durationMs: 10_000 }],
    });
    const result = await waitUntilReady(
      [spec('http://slow/', 10_000)],
      options(clock, probe, { timeoutMs: 12_000 }),
      new RecordingLogger(),
    );
    expect(result.ready).toBe(false);
    expect(calls[1]!.options.timeoutMs).toBe(12_000 - calls[1]!.at);
    expect(result.elapsedMs).toBe(12_000);
  });

  it('keeps the evidence of earlier attempts when the deadline cuts the last one short', async () => {
    const clock = fakeClock();
    const cut: ProbeOutcome = {
      ok: false,
      timedOut: true,
      error: 'timed out: no complete answer within 9.5s',
      durationMs: 60_000,
    };
    const { probe } = scripted(clock, { 'http://a/': [fail, cut] });
    const result = await waitUntilReady(
      [spec('http://a/', 10_000)],
      options(clock, probe, { timeoutMs: 10_500 }),
      new RecordingLogger(),
    );
    expect(result.attempts).toBe(2);
    expect(result.probes[0]).toMatchObject({
      lastStatus: 503,
      lastError: fail.error,
      lastBodySnippet: 'migrating',
    });
    expect(result.timeline[1]!.error).toBe('cut off by the overall timeout');
  });

  it('reports a timeout as the evidence when the request timed out on its own', async () => {
    const clock = fakeClock();
    const hang: ProbeOutcome = {
      ok: false,
      timedOut: true,
      error: 'timed out: no complete answer within 1.0s',
      durationMs: 1000,
    };
    const { probe } = scripted(clock, { 'http://a/': [fail, hang] });
    const result = await waitUntilReady(
      [spec('http://a/', 1000)],
      options(clock, probe, { timeoutMs: 2500 }),
      new RecordingLogger(),
    );
    expect(result.probes[0]!.lastError).toBe(hang.error);
    expect(result.probes[0]!.lastStatus).toBeUndefined();
  });

  it('waits initial-delay before the first probe, within the timeout', async () => {
    const clock = fakeClock();
    const { probe, calls } = scripted(clock, { 'http://a/': [pass] });
    const result = await waitUntilReady(
      [spec('http://a/')],
      options(clock, probe, { initialDelayMs: 7000 }),
      new RecordingLogger(),
    );
    expect(calls[0]!.at).toBe(7000);
    expect(result.elapsedMs).toBe(7005);
  });

  it('keeps only the latest attempts on the timeline', async () => {
    const clock = fakeClock();
    const { probe } = scripted(clock, { 'http://a/': [fail] });
    const result = await waitUntilReady(
      [spec('http://a/')],
      options(clock, probe, { maxIntervalMs: 1000, maxTimeline: 10 }),
      new RecordingLogger(),
    );
    expect(result.timeline).toHaveLength(10);
    expect(result.timelineDropped).toBe(result.attempts - 10);
    expect(result.timeline.at(-1)!.round).toBe(result.rounds);
  });

  it('stops when the caller aborts', async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    const { probe } = scripted(clock, { 'http://a/': [fail] });
    const aborting: WaitOptions['probe'] = async (s, o) => {
      controller.abort();
      return probe!(s, o);
    };
    const result = await waitUntilReady(
      [spec('http://a/')],
      options(clock, aborting, { signal: controller.signal }),
      new RecordingLogger(),
    );
    expect(result).toMatchObject({ ready: false, gaveUp: 'aborted', attempts: 1 });
  });
});
