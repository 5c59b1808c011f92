import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { MAX_BODY_BYTES, describeError, directDial, probeOnce } from '../src/probe-once.js';
import { parseStatusMatcher } from '../src/status-matcher.js';
import type { ProbeSpec } from '../src/types.js';
import { makePrivateCa } from '../../../test/fixtures/wait-ready/servers.js';

const servers: Server[] = [];

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  host = '127.0.0.1',
): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

function spec(url: string, extra: Partial<ProbeSpec> = {}): ProbeSpec {
  return {
    url,
    method: 'GET',
    headers: {},
    expectStatus: parseStatusMatcher('200-299'),
    requestTimeoutMs: 2000,
    insecureTls: false,
    ...extra,
  };
}

describe('probeOnce', () => {
  it('reaches localhost when the service listens on IPv6 only', async () => {
    const port = await serve((_req, res) => res.end('ok'), '::1');
    const outcome = await probeOnce(spec(`http://localhost:${port}/`), { timeoutMs: 2000 });
    expect(outcome).toMatchObject({ ok: true, status: 200 });
  });

  it('reaches localhost when the service listens on IPv4 only', async () => {
    const port = await serve((_req, res) => res.end('ok'), '127.0.0.1');
    expect(await probeOnce(spec(`tcp://localhost:${port}`), { timeoutMs: 2000 })).toMatchObject({ ok: true });
  });

  it('cuts off a server that accepts the request and never answers', async () => {
    const port = await serve(() => undefined);
    const outcome = await probeOnce(spec(`http://127.0.0.1:${port}/`), { timeoutMs: 300 });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/^timed out/);
  });

  it('fails a status outside expect-status and quotes the body', async () => {
    const port = await serve((_req, res) => {
      res.statusCode = 503;
      res.end('  still\n migrating  ');
    });
    const outcome = await probeOnce(spec(`http://127.0.0.1:${port}/`), { timeoutMs: 2000 });
    expect(outcome).toMatchObject({
      ok: false,
      status: 503,
      bodySnippet: 'still migrating',
      error: 'status 503, expected 200-299',
    });
  });

  it('fails a 200 whose body does not match expect-body', async () => {
    const port = await serve((_req, res) => res.end('{"status":"migrating"}'));
    const outcome = await probeOnce(spec(`http://127.0.0.1:${port}/`, { expectBody: /"status":"ready"/ }), {
      timeoutMs: 2000,
    });
    expect(outcome).toMatchObject({
      ok: false,
      status: 200,
      error: 'body does not match /"status":"ready"/',
    });
  });

  it('reads no more than MAX_BODY_BYTES of a huge body', async () => {
    const port = await serve((_req, res) => {
      res.write('x'.repeat(MAX_BODY_BYTES));
      // Never ends: the probe must not wait for the rest.
      res.write('ready');
    });
    const outcome = await probeOnce(spec(`http://127.0.0.1:${port}/`, { expectBody: /ready/ }), {
      timeoutMs: 2000,
    });
    expect(outcome.error).toMatch(/body does not match/);
  });

  it('reports a redirect without following it unless asked', async () => {
    const port = await serve((req, res) => {
      if (req.url === '/health') res.writeHead(302, { location: '/login' }).end();
      else res.end('login page');
    });
    const kept = await probeOnce(spec(`http://127.0.0.1:${port}/health`), { timeoutMs: 2000 });
    expect(kept).toMatchObject({ ok: false, status: 302, location: `http://127.0.0.1:${port}/login` });
    const followed = await probeOnce(spec(`http://127.0.0.1:${port}/health`, { followRedirects: true }), {
      timeoutMs: 2000,
    });
    expect(followed).toMatchObject({ ok: true, status: 200, bodySnippet: 'login page' });
  });

  it('sends the method and headers it was given, and Basic auth from the URL', async () => {
    const seen: IncomingMessage[] = [];
    const port = await serve((req, res) => {
      seen.push(req);
      res.end();
    });
    await probeOnce(
      spec(`http://u:p%40ss@127.0.0.1:${port}/`, { method: 'post', headers: { 'X-Token': 'abc' } }),
      { timeoutMs: 2000 },
    );
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.headers['x-token']).toBe('abc');
    expect(seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from('u:p@ss').toString('base64')}`);
  });

  it('opens its connection through the dialer it is given', async () => {
    const port = await serve((_req, res) => res.end('via dialer'));
    const dialled: string[] = [];
    const outcome = await probeOnce(spec('http://service.internal:8080/'), {
      timeoutMs: 2000,
      dial: async (host, p) => {
        dialled.push(`${host}:${p}`);
        return directDial('127.0.0.1', port);
      },
    });
    expect(dialled).toEqual(['service.internal:8080']);
    expect(outcome).toMatchObject({ ok: true, bodySnippet: 'via dialer' });
  });

  it('reaches an IPv6 literal URL', async () => {
    const port = await serve((_req, res) => res.end('ok'), '::1');
    expect(await probeOnce(spec(`http://[::1]:${port}/`), { timeoutMs: 2000 })).toMatchObject({
      ok: true,
      status: 200,
    });
  });

  it('cuts off a server that trickles its body and never finishes', async () => {
    const port = await serve((_req, res) => {
      res.write('still ');
      const timer = setInterval(() => res.write('.'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const outcome = await probeOnce(spec(`http://127.0.0.1:${port}/`), { timeoutMs: 300 });
    expect(outcome.error).toMatch(/^timed out/);
  });

  it('speaks TLS with a private CA over the stream a dialer returns', async () => {
    const ca = makePrivateCa();
    const server = createHttpsServer({ key: ca.serverKey, cert: ca.serverCert }, (_req, res) =>
      res.end('tls ok'),
    );
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    // The name in the URL is what the certificate is checked against, wherever the stream leads.
    const outcome = await probeOnce(spec(`https://localhost:${port}/`, { caCert: ca.caPem }), {
      timeoutMs: 2000,
      dial: (_host, p) => directDial('127.0.0.1', p),
    });
    expect(outcome).toMatchObject({ ok: true, bodySnippet: 'tls ok' });
  });

  it('hides secrets in the body before quoting it', async () => {
    const port = await serve((_req, res) => {
      res.statusCode = 401;
      res.end(`${'x'.repeat(185)} token=supersecret-value`);
    });
    const outcome = await probeOnce(spec(`http://127.0.0.1:${port}/`), {
      timeoutMs: 2000,
      redact: (text) => text.split('supersecret-value').join('***'),
    });
    // The secret straddles the 200-character cut: redacting first leaves no prefix of it behind.
    expect(outcome.bodySnippet).toBe(`${'x'.repeat(185)} token=***`);
  });

  it('passes a tcp:// probe once the port accepts connections', async () => {
    const port = await serve(() => undefined);
    expect(await probeOnce(spec(`tcp://127.0.0.1:${port}`), { timeoutMs: 2000 })).toMatchObject({ ok: true });
    const closed = await probeOnce(spec('tcp://127.0.0.1:1'), { timeoutMs: 2000 });
    expect(closed.error).toMatch(/connection refused \(ECONNREFUSED 127\.0\.0\.1:1\)/);
  });

  it('destroys a connection the dialer delivers after the timeout', async () => {
    const port = await serve(() => undefined);
    let late: ReturnType<typeof connect> | undefined;
    const outcome = await probeOnce(spec(`tcp://127.0.0.1:${port}`), {
      timeoutMs: 50,
      dial: () =>
        new Promise((resolve) =>
          setTimeout(() => {
            late = connect(port, '127.0.0.1');
            resolve(late);
          }, 150),
        ),
    });
    expect(outcome.error).toMatch(/^timed out/);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(late!.destroyed).toBe(true);
  });
});

describe('describeError on a certificate problem', () => {
  /** A TLS error as node's core raises it. */
  function tlsError(message: string, code: string): NodeJS.ErrnoException {
    return Object.assign(new Error(message), { code });
  }

  it("points at ca-cert, not at Node 24's own --use-system-ca hint, which a workflow user cannot act on", () => {
    // Node 24 appends that advice to the message (Node 20 does not); the action's runtime is Node 24.
    const node24 = tlsError(
      'unable to verify the first certificate; if the root CA is installed locally, try running Node.js with --use-system-ca',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
    const node20 = tlsError('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const expected =
      'unable to verify the first certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE); if the server uses a private CA, pass it with ca-cert';
    expect(describeError(node24)).toBe(expected);
    expect(describeError(node20)).toBe(expected);
  });
});
