import { InputReader, RecordingLogger } from '@deploy-actions/action-kit';
import { readWaitReadySettings } from '../src/settings.js';

function read(inputs: Record<string, string>) {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const reader = new InputReader({ env });
  const log = new RecordingLogger();
  const settings = readWaitReadySettings(reader, log, '/nonexistent-workspace');
  return { settings, problems: reader.errors, log };
}

describe('readWaitReadySettings', () => {
  it('applies the documented defaults', () => {
    const { settings, problems } = read({ url: 'http://127.0.0.1:8080/api/ready' });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      timeoutMs: 300_000,
      intervalMs: 2000,
      maxIntervalMs: 15_000,
      successThreshold: 1,
      initialDelayMs: 0,
    });
    expect(settings.probes[0]).toMatchObject({
      method: 'GET',
      requestTimeoutMs: 10_000,
      insecureTls: false,
      followRedirects: false,
    });
    expect(settings.probes[0]!.expectStatus.text).toBe('200-299');
  });

  it('keeps each URL as written, for outputs the user can match', () => {
    const { settings } = read({ url: 'HTTP://Example.test:80\ntcp://db:5432' });
    expect(settings.probes.map((p) => p.url)).toEqual(['HTTP://Example.test:80', 'tcp://db:5432']);
  });

  it('masks credential headers and the bare bearer token, but not ordinary headers', () => {
    const { settings, log } = read({
      url: 'http://a.test/',
      headers: 'Authorization: Bearer abc123def\nAccept: application/json',
    });
    expect(settings.probes[0]!.headers).toEqual({
      Authorization: 'Bearer abc123def',
      Accept: 'application/json',
    });
    expect(log.masked).toEqual(['Bearer abc123def', 'abc123def']);
  });

  it('masks a password given in a URL', () => {
    const { log } = read({ url: 'https://probe:s3cr%40t@a.test/' });
    expect(log.masked).toContain('s3cr@t');
  });

  it('refuses expect-body with method HEAD, which gets no body', () => {
    const { problems } = read({ url: 'http://a.test/', method: 'HEAD', 'expect-body': 'ready' });
    expect(problems.map((p) => p.input)).toEqual(['expect-body']);
  });

  it('refuses an initial-delay that leaves no time to probe', () => {
    const { problems } = read({ url: 'http://a.test/', timeout: '30s', 'initial-delay': '30s' });
    expect(problems.map((p) => p.input)).toEqual(['initial-delay']);
  });

  it('treats a max-interval below the interval as the interval', () => {
    const { settings, problems } = read({ url: 'http://a.test/', interval: '30s' });
    expect(problems).toEqual([]);
    expect(settings.maxIntervalMs).toBe(30_000);
  });
});
