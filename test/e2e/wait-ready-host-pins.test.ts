import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { runAction, type ActionRun } from '../harness/run-action.js';
import { describeWithLab, type Lab } from '../lab/lab.js';
import { closeAllServers, readyAfter, startServer } from '../fixtures/wait-ready/servers.js';

jest.setTimeout(90_000);

// wait-ready's via-ssh reads host keys through the same SSH package as ssh-deploy:
// host=SHA256 pins and insecure-ignore-host-key's limits hold there too (issue 11 item 6).
describeWithLab('wait-ready via-ssh host key pins', (lab: Lab) => {
  const privateKey = readFileSync(lab.privateKeyPath, 'utf8');
  const base = {
    'via-ssh': 'true',
    port: String(lab.sshPort),
    username: lab.user,
    'private-key': privateKey,
    'connect-timeout': '20s',
    interval: '100ms',
    timeout: '20s',
  };
  const wait = (inputs: Record<string, string>): Promise<ActionRun> =>
    runAction('wait-ready', { inputs: { ...base, ...inputs }, timeoutMs: 90_000 });
  afterEach(closeAllServers);

  it('probes through hosts whose keys are pinned per host', async () => {
    const service = await startServer(readyAfter(0));
    const second = lab.extraHosts[0]!;
    const run = await wait({
      host: `${lab.sshHost}\n${second}`,
      'host-fingerprint': [lab.sshHost, `${second}:${lab.sshPort}`]
        .flatMap((h) => lab.hostFingerprints.map((f) => `${h}=${f}`))
        .join('\n'),
      url: service.url,
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['ready']).toBe('true');
  });

  it('refuses a host whose pinned key differs, even with insecure-ignore-host-key', async () => {
    const service = await startServer(readyAfter(0));
    const run = await wait({
      host: lab.sshHost,
      'host-fingerprint': `${lab.sshHost}=${lab.bastion.hostFingerprints[0]!}`,
      'insecure-ignore-host-key': 'true',
      url: service.url,
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.outputs['error-code']).toBe('host-key-mismatch');
    expect(service.requests).toHaveLength(0);
  });
});
