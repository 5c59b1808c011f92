import { jest } from '@jest/globals';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { runAction, visibleText, type ActionRun } from '../harness/run-action.js';
import {
  closeAllServers,
  makePrivateCa,
  readyAfter,
  startServer,
  type PrivateCa,
} from '../fixtures/wait-ready/servers.js';

// Each test runs the bundle in a child process; on a busy machine that outlasts jest's 5s default.
jest.setTimeout(90_000);

// Fast settings so a test takes a second or two; the gate's logic is the same at any pace.
const fast = { interval: '100ms', 'max-interval': '200ms', timeout: '20s', 'request-timeout': '2s' };

function wait(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction('wait-ready', { inputs: { ...fast, ...inputs }, timeoutMs: 60_000 });
}

function errors(run: ActionRun): string[] {
  return run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
}

afterEach(closeAllServers);

describe('wait-ready', () => {
  it('passes once a service that starts late answers 200', async () => {
    const server = await startServer(readyAfter(3));
    const run = await wait({ url: `${server.url}/api/ready` });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      ready: 'true',
      attempts: '4',
      status: `${server.url}/api/ready 200`,
    });
    expect(Number(run.outputs['elapsed-ms'])).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(4);
  });

  it('probes with GET unless told otherwise', async () => {
    const server = await startServer(readyAfter(0));
    await wait({ url: server.url });
    expect(server.requests[0]!.method).toBe('GET');
  });

  it('fails a service that never gets ready, naming the last status, error and body', async () => {
    const server = await startServer(
      readyAfter(Infinity, { status: 503, body: 'database migration 12 of 40 running' }),
    );
    const run = await wait({ url: `${server.url}/api/ready`, timeout: '1s' });
    expect(run.exitCode).not.toBe(0);
    expect(run.outputs).toMatchObject({
      ready: 'false',
      'error-code': 'not-ready',
      status: `${server.url}/api/ready 503`,
    });
    expect(Number(run.outputs['attempts'])).toBe(server.requests.length);
    const [error, ...others] = errors(run);
    expect(others).toEqual([]);
    expect(error).toContain(
      `${server.url}/api/ready: last status 503; last error: status 503, expected 200-299`,
    );
    expect(error).toContain('body: "database migration 12 of 40 running"');
  });

  it('shows a timeline of attempts in the job summary', async () => {
    const server = await startServer(readyAfter(2));
    const run = await wait({ url: server.url });
    expect(run.summary).toContain('wait-ready: ready in');
    expect(run.summary).toContain('Timeline of attempts');
    const timelineRows = run.summary.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(timelineRows.map((r) => r.split(' | ')[3])).toEqual(['fail', 'fail', 'pass']);
  });

  it('waits for success-threshold consecutive passes from a flapping service', async () => {
    const flaps = [200, 503, 200, 200, 503, 200, 200, 200];
    const server = await startServer((_req, res, n) => {
      res.statusCode = flaps[n - 1] ?? 200;
      res.end();
    });
    const run = await wait({ url: server.url, 'success-threshold': '3' });
    expect(run.exitCode).toBe(0);
    expect(server.requests).toHaveLength(8);
    expect(run.outputs['attempts']).toBe('8');
  });

  it('cuts off a request that hangs and keeps probing', async () => {
    const server = await startServer((_req, res, n) => {
      if (n > 1) res.end('ok');
      // The first request is never answered.
    });
    const run = await wait({ url: server.url, 'request-timeout': '300ms' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['attempts']).toBe('2');
    expect(run.stdout).toMatch(/fail: timed out: no complete answer within 300ms/);
  });

  it('fails by the timeout when the server never answers at all', async () => {
    const server = await startServer(() => undefined);
    const run = await wait({ url: server.url, timeout: '1s', 'request-timeout': '10s' });
    expect(run.exitCode).not.toBe(0);
    expect(errors(run)[0]).toMatch(/Not ready after 1\.0s .*\n.*no HTTP answer; last error: timed out/);
    expect(run.outputs['status']).toBe(`${server.url} none`);
  });

  it('keeps waiting while the app answers 200 but its body says it is still migrating', async () => {
    const server = await startServer(
      readyAfter(3, { status: 200, body: '{"status":"migrating"}', readyBody: '{"status":"ready"}' }),
    );
    const run = await wait({ url: server.url, 'expect-body': '"status":\\s*"ready"' });
    expect(run.exitCode).toBe(0);
    expect(server.requests).toHaveLength(4);
    expect(run.stdout).toContain('fail: body does not match /"status":\\s*"ready"/');
  });

  it('accepts expect-body in /pattern/flags form', async () => {
    const server = await startServer(readyAfter(0, { readyBody: 'STATUS: READY' }));
    const run = await wait({ url: server.url, 'expect-body': '/status: ready/i' });
    expect(run.exitCode).toBe(0);
  });

  it('does not take a redirect (to a login page, say) as ready', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/health') res.writeHead(302, { location: '/login' }).end();
      else res.end('please log in');
    });
    const run = await wait({ url: `${server.url}/health`, timeout: '1s' });
    expect(run.exitCode).not.toBe(0);
    expect(errors(run)[0]).toContain(`status 302, expected 200-299 (redirect to ${server.url}/login`);
    expect(server.requests.every((r) => r.url === '/health')).toBe(true);
  });

  it('follows redirects when follow-redirects is set', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/health') res.writeHead(301, { location: '/api/ready' }).end();
      else res.end('ready');
    });
    const run = await wait({ url: `${server.url}/health`, 'follow-redirects': 'true' });
    expect(run.exitCode).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/health', '/api/ready']);
  });

  it('accepts a redirect listed in expect-status', async () => {
    const server = await startServer((_req, res) => res.writeHead(301, { location: '/elsewhere' }).end());
    const run = await wait({ url: server.url, 'expect-status': '200-299,301' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['status']).toBe(`${server.url} 301`);
  });

  it('sends headers such as Authorization, and never shows the token', async () => {
    const token = 'wr-token-9f8e7d6c5b4a';
    const server = await startServer((req, res) => {
      res.statusCode = req.headers.authorization === `Bearer ${token}` ? 200 : 401;
      res.end(req.headers['x-request-source'] === 'deploy' ? 'ok' : 'missing header');
    });
    const run = await wait({
      url: server.url,
      headers: `Authorization: Bearer ${token}\nX-Request-Source: deploy`,
    });
    expect(run.exitCode).toBe(0);
    expect(server.requests[0]!.headers['x-request-source']).toBe('deploy');
    expect(run.masked).toContain(token);
    expect(visibleText(run)).not.toContain(token);
  });

  it('does not show the token when the server rejects it', async () => {
    const token = 'wr-token-0a1b2c3d4e5f';
    const server = await startServer((_req, res) => {
      res.statusCode = 401;
      res.end(`invalid token ${token}`);
    });
    const run = await wait({ url: server.url, headers: `Authorization: Bearer ${token}`, timeout: '1s' });
    expect(run.exitCode).not.toBe(0);
    expect(errors(run)[0]).toContain('last status 401');
    expect(visibleText(run)).not.toContain(token);
  });

  it('reaches localhost when the service listens on IPv6 only', async () => {
    const server = await startServer(readyAfter(0), { host: '::1' });
    const run = await wait({ url: `http://localhost:${server.port}/` });
    expect(run.exitCode).toBe(0);
    expect(server.requests).toHaveLength(1);
  });

  it('requires every URL to pass and names the ones that did not', async () => {
    const good = await startServer(readyAfter(0));
    const bad = await startServer(readyAfter(Infinity, { status: 500, body: 'redis unreachable' }));
    const run = await wait({ url: `${good.url}/a\n${bad.url}/b`, timeout: '1s' });
    expect(run.exitCode).not.toBe(0);
    expect(good.requests).toHaveLength(1);
    const error = errors(run)[0]!;
    expect(error).toContain(`${good.url}/a: ready`);
    expect(error).toContain(`${bad.url}/b: last status 500`);
    expect(run.outputs['status']).toBe(`${good.url}/a 200\n${bad.url}/b 500`);
  });

  describe('with tcp://', () => {
    let tcp: TcpServer;
    afterEach(() => new Promise<void>((resolve) => (tcp ? tcp.close(() => resolve()) : resolve())));

    it('passes once the port accepts connections', async () => {
      tcp = createTcpServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
      const url = `tcp://127.0.0.1:${(tcp.address() as AddressInfo).port}`;
      const run = await wait({ url });
      expect(run.exitCode).toBe(0);
      expect(run.outputs['status']).toBe(`${url} open`);
    });

    it('fails with "connection refused" while nothing listens', async () => {
      tcp = createTcpServer();
      await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
      const port = (tcp.address() as AddressInfo).port;
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      const run = await wait({ url: `tcp://127.0.0.1:${port}`, timeout: '500ms' });
      expect(run.exitCode).not.toBe(0);
      expect(errors(run)[0]).toContain(`last error: connection refused (ECONNREFUSED 127.0.0.1:${port})`);
      expect(run.outputs['status']).toBe(`tcp://127.0.0.1:${port} closed`);
    });
  });

  describe('with a private CA', () => {
    let ca: PrivateCa;
    beforeAll(() => {
      ca = makePrivateCa();
    });

    it('trusts a server whose certificate the ca-cert signed', async () => {
      const server = await startServer(readyAfter(0), { tls: { key: ca.serverKey, cert: ca.serverCert } });
      const run = await wait({ url: server.url, 'ca-cert': ca.caPem });
      expect(run.exitCode).toBe(0);
      expect(server.requests).toHaveLength(1);
    });

    it('reads ca-cert from a file path', async () => {
      const server = await startServer(readyAfter(0), { tls: { key: ca.serverKey, cert: ca.serverCert } });
      const run = await wait({ url: `https://localhost:${server.port}/`, 'ca-cert': ca.caPath });
      expect(run.exitCode).toBe(0);
    });

    it('rejects the server without ca-cert, saying why', async () => {
      const server = await startServer(readyAfter(0), { tls: { key: ca.serverKey, cert: ca.serverCert } });
      const run = await wait({ url: server.url, timeout: '500ms' });
      expect(run.exitCode).not.toBe(0);
      expect(errors(run)[0]).toMatch(
        /last error: unable to verify the first certificate .*; if the server uses a private CA, pass it with ca-cert/,
      );
      expect(server.requests).toHaveLength(0);
    });

    it('skips verification only with insecure-tls, and warns about it', async () => {
      const server = await startServer(readyAfter(0), { tls: { key: ca.serverKey, cert: ca.serverCert } });
      const run = await wait({ url: server.url, 'insecure-tls': 'true' });
      expect(run.exitCode).toBe(0);
      const warnings = run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
      expect(warnings.some((w) => w.includes('insecure-tls is set: TLS certificates are NOT verified'))).toBe(
        true,
      );
    });
  });

  describe('with bad inputs', () => {
    it('names every bad input in one error and probes nothing', async () => {
      const server = await startServer(readyAfter(0));
      const run = await wait({
        url: `${server.url}\nftp://example.test/\nnot a url`,
        'expect-status': '2xx',
        'expect-body': '([unclosed',
        timeout: 'soon',
        interval: 'often',
        'success-threshold': '0',
        headers: 'Authorization Bearer abc',
        'insecure-tls': 'maybe',
      });
      expect(run.exitCode).not.toBe(0);
      const all = errors(run);
      expect(all).toHaveLength(1);
      for (const name of [
        'url',
        'expect-status',
        'expect-body',
        'timeout',
        'interval',
        'success-threshold',
        'headers',
        'insecure-tls',
      ]) {
        expect(all[0]).toContain(`'${name}'`);
      }
      expect(all[0]).toContain('uses ftp; use http, https or tcp');
      expect(run.outputs['error-code']).toBe('invalid-input');
      expect(server.requests).toHaveLength(0);
      expect(run.summary).toContain('wait-ready: invalid input');
    });

    it('does not quote a malformed header line, which may hold a credential', async () => {
      const run = await wait({
        url: 'http://127.0.0.1:9/',
        headers: 'Authorization=Bearer wr-secret-1234567',
      });
      expect(errors(run)[0]).toContain("'headers': line 1 is not 'Name: value'");
      expect(visibleText(run)).not.toContain('wr-secret-1234567');
    });

    it('rejects a ca-cert that is neither PEM nor a file', async () => {
      const run = await wait({ url: 'https://127.0.0.1:9/', 'ca-cert': 'no-such-ca.pem' });
      expect(errors(run)[0]).toContain(
        "'ca-cert': 'no-such-ca.pem' is neither PEM text nor an existing file.",
      );
    });

    it('asks for the SSH connection inputs when via-ssh is set', async () => {
      const run = await wait({ url: 'http://127.0.0.1:9/', 'via-ssh': 'true' });
      expect(run.exitCode).not.toBe(0);
      for (const name of ['host', 'username', 'host-fingerprint'])
        expect(errors(run)[0]).toContain(`'${name}'`);
    });
  });
});
