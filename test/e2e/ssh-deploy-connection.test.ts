import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { jest } from '@jest/globals';
import { Readable } from 'node:stream';
import { RecordingLogger, UserError } from '@deploy-actions/action-kit';
import {
  connectSsh,
  quoteShellArg,
  type SshConnectionSettings,
  type SshConnection,
} from '@deploy-actions/ssh';
import { describeWithLab, type Lab } from '../lab/lab.js';

// The SSH layer against the lab's real sshd (and bastion): what ssh-deploy and
// wait-ready's via-ssh rely on.
describeWithLab('ssh connections to the lab host', (lab: Lab) => {
  const key = (): string => readFileSync(lab.privateKeyPath, 'utf8');
  const target = { host: lab.sshHost, port: lab.sshPort };
  const settings = (overrides: Partial<SshConnectionSettings> = {}): SshConnectionSettings => ({
    username: lab.user,
    privateKey: key(),
    hostKey: { fingerprints: lab.hostFingerprints, insecureIgnore: false },
    connectTimeoutMs: 10_000,
    ...overrides,
  });
  let open: SshConnection[] = [];
  afterEach(async () => {
    await Promise.all(open.map((c) => c.close()));
    open = [];
  });
  const connect = async (s: SshConnectionSettings, log = new RecordingLogger()): Promise<SshConnection> => {
    const conn = await connectSsh(target, s, log);
    open.push(conn);
    return conn;
  };

  it('passes a hostile argv to the remote program word for word', async () => {
    const conn = await connect(settings());
    const words = ["it's", '$(id)', '`id`', 'a b', '; echo pwned', '*', ''];
    const result = await conn.exec(['printf', '%s\\0', ...words]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(words);
  });

  it("turns Nagle's algorithm off on the connection (TCP_NODELAY), so small writes are not held", async () => {
    // Each remote command is a few small packets each way; with Nagle's algorithm on, each
    // waited for the host's delayed ACK (~40 ms a command on the lab).
    const spy = jest.spyOn(Socket.prototype, 'setNoDelay');
    try {
      const conn = await connect(settings());
      expect((await conn.exec(['true'])).code).toBe(0);
      const calls = spy.mock.contexts
        .map((socket, i) => ({ socket: socket as Socket, on: spy.mock.calls[i]![0] }))
        .filter(({ socket }) => socket.remotePort === lab.sshPort);
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.every(({ on }) => on === true)).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it('returns the exit code and output of a failed command', async () => {
    const conn = await connect(settings());
    const result = await conn.exec('echo broken >&2; exit 7');
    expect(result).toMatchObject({ code: 7, stderr: 'broken\n' });
  });

  it('returns multi-byte output whole, whatever the packet boundaries (stdout, stderr, onOutput lines)', async () => {
    const conn = await connect(settings());
    // One ASCII byte, then 200,000 two-byte characters: the channel's packets (32 KiB and less)
    // split characters between chunks at many places.
    const text = `x${'é'.repeat(200_000)}\n`;
    const lines: string[] = [];
    const result = await conn.exec(
      ['sh', '-c', 't=$(mktemp); cat >"$t"; cat "$t"; cat "$t" >&2; rm -f "$t"'],
      {
        stdin: text,
        onOutput: (line: string) => lines.push(line),
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(text);
    expect(result.stderr).toBe(text);
    expect(result.stdout).not.toContain('\uFFFD');
    expect(lines.join('')).not.toContain('\uFFFD');
  });

  it('streams stdin to the remote command', async () => {
    const conn = await connect(settings());
    const result = await conn.exec(['wc', '-c'], { stdin: 'x'.repeat(100_000) });
    expect(result.stdout.trim()).toBe('100000');
  });

  it('returns the exit code of a command that stops reading a large stdin early', async () => {
    const conn = await connect(settings());
    let sent = 0;
    const endless = new Readable({
      read() {
        sent += 1 << 20;
        this.push(sent > 64 << 20 ? null : Buffer.alloc(1 << 20));
      },
    });
    const result = await conn.exec('head -c 10 >/dev/null; exit 3', { stdin: endless });
    expect(result.code).toBe(3);
    // The connection is still usable afterwards.
    expect((await conn.exec(['true'])).code).toBe(0);
  });

  it('runs in cwd with env values exported exactly', async () => {
    const conn = await connect(settings());
    const value = 'a\'b "c" $(id) `id`';
    const result = await conn.exec('pwd; printf %s "$WEIRD"', { cwd: '/tmp', env: { WEIRD: value } });
    expect(result.stdout).toBe(`/tmp\n${value}`);
  });

  it('opens a TCP stream from the host side with forwardOut', async () => {
    const conn = await connect(settings());
    const stream = await conn.forwardOut('127.0.0.1', lab.sshPort);
    const banner = await new Promise<string>((resolve) =>
      stream.once('data', (d: Buffer) => resolve(d.toString())),
    );
    stream.destroy();
    expect(banner).toMatch(/^SSH-2\.0-/);
  });

  it('accepts the host through a known_hosts file', async () => {
    const conn = await connect(
      settings({
        hostKey: {
          fingerprints: [],
          knownHosts: readFileSync(lab.knownHostsPath, 'utf8'),
          insecureIgnore: false,
        },
      }),
    );
    expect((await conn.exec(['true'])).code).toBe(0);
  });

  it('refuses a host whose key is not the expected one, naming the key it presented', async () => {
    const wrong = 'SHA256:' + 'A'.repeat(43);
    const error = await connectSsh(
      target,
      settings({ hostKey: { fingerprints: [wrong], insecureIgnore: false } }),
      new RecordingLogger(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('host-key-mismatch');
    expect(lab.hostFingerprints.some((fp) => (error as Error).message.includes(fp))).toBe(true);
  });

  it('warns loudly when host key checking is switched off', async () => {
    const log = new RecordingLogger();
    await connect(settings({ hostKey: { fingerprints: [], insecureIgnore: true } }), log);
    expect(log.text).toMatch(/warning: NOT verifying the host key/);
  });

  it('logs in with an encrypted key and its passphrase', async () => {
    const conn = await connect(
      settings({ privateKey: readFileSync(lab.encryptedKeyPath, 'utf8'), passphrase: lab.passphrase }),
    );
    expect((await conn.exec(['whoami'])).stdout.trim()).toBe(lab.user);
  });

  it('logs in with an RSA key', async () => {
    const conn = await connect(settings({ privateKey: readFileSync(lab.rsaKeyPath, 'utf8') }));
    expect((await conn.exec(['whoami'])).stdout.trim()).toBe(lab.user);
  });

  it('reports a key the host does not accept as an authentication problem', async () => {
    const error = await connectSsh(
      target,
      settings({ privateKey: readFileSync(lab.bastion.privateKeyPath, 'utf8') }),
      new RecordingLogger(),
    ).catch((e: unknown) => e);
    expect((error as UserError).code).toBe('ssh-auth');
  });

  it('reaches the host through the bastion, verifying both keys', async () => {
    const conn = await connect(
      settings({
        proxy: {
          target: { host: lab.bastion.host, port: lab.bastion.port },
          username: lab.bastion.user,
          privateKey: readFileSync(lab.bastion.privateKeyPath, 'utf8'),
          hostKey: { fingerprints: lab.bastion.hostFingerprints, insecureIgnore: false },
        },
      }),
    );
    expect((await conn.exec(['whoami'])).stdout.trim()).toBe(lab.user);
  });

  it('refuses a bastion whose key is not the expected one', async () => {
    const error = await connectSsh(
      target,
      settings({
        proxy: {
          target: { host: lab.bastion.host, port: lab.bastion.port },
          username: lab.bastion.user,
          privateKey: readFileSync(lab.bastion.privateKeyPath, 'utf8'),
          hostKey: { fingerprints: lab.hostFingerprints, insecureIgnore: false },
        },
      }),
      new RecordingLogger(),
    ).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/bastion .* not trusted/);
  });

  it('retries a refused connection until connect-timeout, then says how often it tried', async () => {
    const log = new RecordingLogger();
    const error = await connectSsh(
      { host: '127.0.0.1', port: 9 },
      settings({ connectTimeoutMs: 1500 }),
      log,
    ).catch((e: unknown) => e);
    expect((error as UserError).code).toBe('ssh-connect');
    expect((error as Error).message).toMatch(/\d+ attempts/);
    expect(log.text).toMatch(/retrying/);
  });

  it('quotes a remote path the way the remote shell reads it back', async () => {
    const conn = await connect(settings());
    const path = "/tmp/ssh deploy $(id) 'q'";
    const result = await conn.exec(`printf %s ${quoteShellArg(path)}`);
    expect(result.stdout).toBe(path);
  });
});
