import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { runAction, visibleText, type ActionRun } from '../harness/run-action.js';
import { describeWithLab, type Lab } from '../lab/lab.js';
import { closeAllServers, readyAfter, startServer, type TestServer } from '../fixtures/wait-ready/servers.js';

// Each test runs the bundle in a child process; on a busy machine that outlasts jest's 5s default.
jest.setTimeout(90_000);

// The lab's deploy host is this same machine, so any port the host can reach, the runner
// could reach too. To make a service that only the host reaches, the test server accepts a
// connection only when the kernel says the connecting socket belongs to the deploy user:
// sshd opens forwarded connections from the session process, which runs as that user,
// while the runner (this test and the bundle it spawns) runs as root.

/** The uid owning the local end of a TCP connection from 127.0.0.1:peerPort to 127.0.0.1:serverPort. */
function connectionOwner(peerPort: number, serverPort: number): number | undefined {
  const hex = (port: number): string => port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 8) continue;
      const [local, remote] = [fields[1]!, fields[2]!];
      if (local.endsWith(`:${hex(peerPort)}`) && remote.endsWith(`:${hex(serverPort)}`))
        return Number(fields[7]);
    }
  }
  return undefined;
}

interface HostOnlyService extends TestServer {
  /** The owner uid of every connection that arrived, accepted or not. */
  connectionUids: (number | undefined)[];
}

async function startHostOnlyService(deployUid: number, answer = readyAfter(0)): Promise<HostOnlyService> {
  const connectionUids: (number | undefined)[] = [];
  const server = await startServer(answer, {
    acceptConnection: (socket: Socket) => {
      const uid = connectionOwner(socket.remotePort!, socket.localPort!);
      connectionUids.push(uid);
      return uid === deployUid;
    },
  });
  return Object.assign(server, { connectionUids });
}

describeWithLab('wait-ready via-ssh', (lab: Lab) => {
  const deployUid = Number(execFileSync('id', ['-u', lab.user], { encoding: 'utf8' }).trim());
  const privateKey = readFileSync(lab.privateKeyPath, 'utf8');
  const sshInputs = {
    'via-ssh': 'true',
    host: lab.sshHost,
    port: String(lab.sshPort),
    username: lab.user,
    'private-key': privateKey,
    'host-fingerprint': lab.hostFingerprints.join('\n'),
    'connect-timeout': '20s',
  };
  const fast = { interval: '100ms', 'max-interval': '200ms', timeout: '30s', 'request-timeout': '5s' };

  function wait(inputs: Record<string, string>): Promise<ActionRun> {
    return runAction('wait-ready', { inputs: { ...fast, ...inputs }, timeoutMs: 90_000 });
  }

  afterEach(closeAllServers);

  it('probes a service that only the deploy host can reach, through SSH', async () => {
    const service = await startHostOnlyService(deployUid, readyAfter(2));
    const run = await wait({ ...sshInputs, url: `${service.url}/api/ready` });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      ready: 'true',
      attempts: '3',
      status: `${service.url}/api/ready 200`,
    });
    expect(service.requests).toHaveLength(3);
    expect(service.connectionUids.every((uid) => uid === deployUid)).toBe(true);
    expect(run.summary).toContain(`probed from ${lab.user}@${lab.sshHost}:${lab.sshPort} through SSH`);
  });

  it('cannot reach that service from the runner without via-ssh', async () => {
    const service = await startHostOnlyService(deployUid);
    const run = await wait({ url: service.url, timeout: '1s' });
    expect(run.exitCode).not.toBe(0);
    expect(service.requests).toHaveLength(0);
    expect(service.connectionUids.length).toBeGreaterThan(0);
    expect(service.connectionUids).not.toContain(deployUid);
  });

  it('never shows the private key', async () => {
    const service = await startHostOnlyService(deployUid);
    const run = await wait({ ...sshInputs, url: service.url });
    expect(run.exitCode).toBe(0);
    const keyLines = privateKey.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
    const shown = visibleText(run);
    for (const line of keyLines) expect(shown).not.toContain(line);
  });

  it('probes from every host listed, and names the host in the status output', async () => {
    const service = await startHostOnlyService(deployUid);
    const second = lab.extraHosts[0]!;
    const run = await wait({ ...sshInputs, host: `${lab.sshHost}\n${second}`, url: service.url });
    expect(run.exitCode).toBe(0);
    expect(service.requests).toHaveLength(2);
    expect(run.outputs['status']).toBe(
      [
        `${lab.sshHost}:${lab.sshPort} ${service.url} 200`,
        `${second}:${lab.sshPort} ${service.url} 200`,
      ].join('\n'),
    );
  });

  it('reaches the service through the bastion when proxy-host is set', async () => {
    const service = await startHostOnlyService(deployUid);
    const run = await wait({
      ...sshInputs,
      url: service.url,
      'proxy-host': `${lab.bastion.host}:${lab.bastion.port}`,
      'proxy-username': lab.bastion.user,
      'proxy-private-key': readFileSync(lab.bastion.privateKeyPath, 'utf8'),
      'proxy-host-fingerprint': lab.bastion.hostFingerprints.join('\n'),
    });
    expect(run.exitCode).toBe(0);
    expect(service.requests).toHaveLength(1);
  });

  it('says the host could not open the port when nothing listens there', async () => {
    const service = await startHostOnlyService(deployUid);
    const port = service.port;
    await service.close();
    const run = await wait({ ...sshInputs, url: `http://127.0.0.1:${port}/`, timeout: '5s' });
    expect(run.exitCode).not.toBe(0);
    expect(run.annotations.find((a) => a.level === 'error')!.message).toContain(
      `could not open 127.0.0.1:${port}`,
    );
  });

  it('refuses a host whose key is not the pinned one, before probing', async () => {
    const service = await startHostOnlyService(deployUid);
    const run = await wait({
      ...sshInputs,
      url: service.url,
      'host-fingerprint': lab.bastion.hostFingerprints[0]!,
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.outputs['error-code']).toBe('host-key-mismatch');
    expect(service.connectionUids).toHaveLength(0);
  });
});
