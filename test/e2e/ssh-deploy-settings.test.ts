import { jest } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionRun } from '../harness/run-action.js';
import { describeWithLab, type Lab } from '../lab/lab.js';
import { cleanUp, makeBundle, prepareRemoteDir } from '../fixtures/ssh-deploy/helpers.js';
import { labConnection } from '../harness/chain.mjs';

jest.setTimeout(120_000);

// Inputs ssh-deploy must refuse (or honour exactly) before it changes anything on a host:
// remote-dir in every spelling (issue 11 item 4), host keys (item 6). Every run here is a
// dry-run, so a check that wrongly passes shows as a plan, never as a change to the host.
describeWithLab('ssh-deploy settings', (lab: Lab) => {
  const connection = labConnection(lab);
  const dirs: string[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'ssh-deploy-settings-'));
  afterAll(async () => {
    await cleanUp(lab, [], dirs);
    rmSync(tmp, { recursive: true, force: true });
  });

  const errors = (run: ActionRun): string[] =>
    run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  const planned = (run: ActionRun): boolean => run.stdout.includes('dry-run: would deploy');

  function dryRun(inputs: Record<string, string>, files?: Record<string, string>): Promise<ActionRun> {
    return runAction('ssh-deploy', {
      inputs: {
        ...connection,
        'source-dir': makeBundle(lab, files ? { files } : {}),
        'env-files': '.env\nrelease.env',
        'dry-run': 'true',
        'connect-timeout': '10s',
        ...inputs,
      },
      timeoutMs: 100_000,
    });
  }

  describe('remote-dir', () => {
    it.each([
      ['/.'],
      ['/./'],
      ['//.'],
      ['/..'],
      ['/etc'],
      ['/etc/myapp'],
      ['/usr/lib/myapp'],
      ['/var'],
      ['/var/lib/docker/volumes'],
      ['/home'],
      ['/home/'],
      ['/root'],
      ['/tmp'],
      ['/opt/.'],
      ['/srv//'],
      ['/proc/self'],
      ['/boot'],
    ])('refuses %s with an input error naming remote-dir, before connecting', async (remoteDir) => {
      const run = await dryRun({ 'remote-dir': remoteDir });
      expect(run.exitCode).toBe(1);
      expect(run.outputs['error-code']).toBe('invalid-input');
      expect(errors(run).join('\n')).toMatch(/Input 'remote-dir': /);
      expect(planned(run)).toBe(false);
      // Refused before any connection: no host key was checked, no lock taken.
      expect(run.stdout).not.toMatch(/connected to|lock taken|matches known-hosts/);
    });

    it('deploys into the normalised directory when the spelling has //, /./ and a trailing /', async () => {
      const dir = prepareRemoteDir(lab, { '.env': 'APP_PORT=1\n' });
      dirs.push(dir);
      const run = await dryRun({ 'remote-dir': `${dir.replace(/\/([^/]+)$/, '//./$1')}//` });
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain(`take the host lock ${dir}/.releases/.lock`);
    });

    it('refuses a {host} remote-dir that names a system directory for one of the hosts', async () => {
      // A host called `etc` makes /{host} the system's /etc (the check runs before any connection).
      const run = await dryRun({ 'remote-dir': '/{host}', host: `etc:${lab.sshPort}` });
      expect(run.exitCode).toBe(1);
      expect(run.outputs['error-code']).toBe('invalid-input');
      expect(errors(run).join('\n')).toMatch(
        /Input 'remote-dir': for host etc: '\/etc' is the system directory \/etc/,
      );
    });
  });

  describe('host keys', () => {
    const dir = (): string => {
      const d = prepareRemoteDir(lab, { '.env': 'APP_PORT=1\n' });
      dirs.push(d);
      return d;
    };
    // A real key, but another host's: what an impersonator presents.
    const otherFingerprint = lab.bastion.hostFingerprints[0]!;

    it('never lets insecure-ignore-host-key override a pinned host-fingerprint that differs', async () => {
      const run = await dryRun({
        'remote-dir': dir(),
        'known-hosts': '',
        'host-fingerprint': otherFingerprint,
        'insecure-ignore-host-key': 'true',
      });
      expect(run.exitCode).toBe(1);
      expect(run.outputs['error-code']).toBe('host-key-mismatch');
      expect(errors(run).join('\n')).toContain('insecure-ignore-host-key never overrides');
      expect(planned(run)).toBe(false);
    });

    it('never lets insecure-ignore-host-key override known-hosts keys for the host that differ', async () => {
      const knownHosts = join(tmp, 'wrong_known_hosts');
      writeFileSync(
        knownHosts,
        lab.bastion.hostKeys.map((k) => `[${lab.sshHost}]:${lab.sshPort} ${k.publicKey}\n`).join(''),
      );
      const run = await dryRun({
        'remote-dir': dir(),
        'known-hosts': knownHosts,
        'insecure-ignore-host-key': 'true',
      });
      expect(run.exitCode).toBe(1);
      expect(run.outputs['error-code']).toBe('host-key-mismatch');
      expect(planned(run)).toBe(false);
    });

    it('still accepts an unknown host with insecure-ignore-host-key when nothing is pinned for it, warning', async () => {
      const run = await dryRun({
        'remote-dir': dir(),
        'known-hosts': '',
        'insecure-ignore-host-key': 'true',
      });
      expect(run.exitCode).toBe(0);
      expect(run.annotations.some((a) => a.level === 'warning' && /NOT verifying/.test(a.message))).toBe(
        true,
      );
    });

    it('accepts a host=SHA256 fingerprint only for the host it names', async () => {
      const [good, bad] = [lab.extraHosts[0]!, lab.extraHosts[1]!];
      const run = await dryRun({
        'remote-dir': `${dir()}-{host}`,
        'known-hosts': '',
        host: `${good}:${lab.sshPort}\n${bad}:${lab.sshPort}`,
        'host-fingerprint': [
          ...lab.hostFingerprints.map((f) => `${good}:${lab.sshPort}=${f}`),
          `${bad}=${otherFingerprint}`,
        ].join('\n'),
        'fail-fast': 'false',
      });
      expect(run.exitCode).toBe(1);
      const hosts = JSON.parse(run.outputs['hosts'] ?? '[]') as {
        host: string;
        status: string;
        errorCode?: string;
      }[];
      expect(hosts.map((h) => [h.host, h.status])).toEqual([
        [`${good}:${lab.sshPort}`, 'planned'],
        [`${bad}:${lab.sshPort}`, 'failed'],
      ]);
      expect(errors(run).join('\n')).toContain(`${bad}:${lab.sshPort} presented`);
    });

    it('refuses a host=SHA256 line naming no host of the step, and a host left without a key', async () => {
      const run = await dryRun({
        'remote-dir': dir(),
        'known-hosts': '',
        'host-fingerprint': `deploy.example.com=${lab.hostFingerprints[0]}`,
      });
      expect(run.exitCode).toBe(1);
      expect(run.outputs['error-code']).toBe('invalid-input');
      const text = errors(run).join('\n');
      expect(text).toContain('deploy.example.com, which is not a host this step connects to');
      expect(text).toContain(`has no fingerprint for ${lab.sshHost}:${lab.sshPort}`);
    });
  });

  describe('build contexts and .releases (release records, env file copies)', () => {
    const building = (build: string): string =>
      `services:\n  app:\n    image: ${lab.images.app_v1}\n    build: ${build}\n`;
    const newDir = (): string => {
      const d = prepareRemoteDir(lab, { '.env': 'APP_PORT=1\n' });
      dirs.push(d);
      return d;
    };

    it('refuses a build from remote-dir itself whose .dockerignore does not exclude .releases, before connecting', async () => {
      const dir = newDir();
      const run = await dryRun(
        { 'remote-dir': dir },
        { 'docker-compose.yml': building('.'), '.dockerignore': '.git\n*.md\n' },
      );
      expect(run.exitCode).toBe(1);
      expect(run.outputs['error-code']).toBe('build-context-exposes-releases');
      expect(errors(run).join('\n')).toContain(
        "service 'app' (docker-compose.yml) builds from '.', remote-dir itself: add the line '.releases' to .dockerignore",
      );
      expect(planned(run)).toBe(false);
      expect(run.stdout).not.toMatch(/connected to|lock taken/);
    });

    it('refuses a build context above remote-dir', async () => {
      const run = await dryRun(
        { 'remote-dir': newDir() },
        { 'docker-compose.yml': building('{ context: .., dockerfile: app/Dockerfile }') },
      );
      expect(run.outputs['error-code']).toBe('build-context-exposes-releases');
    });

    it('accepts a build from remote-dir when .dockerignore excludes .releases', async () => {
      const run = await dryRun(
        { 'remote-dir': newDir() },
        { 'docker-compose.yml': building('.'), '.dockerignore': '.git\n/.releases/\n' },
      );
      expect(run.exitCode).toBe(0);
      expect(planned(run)).toBe(true);
    });

    it('accepts a build from a subdirectory of remote-dir', async () => {
      const run = await dryRun({ 'remote-dir': newDir() }, { 'docker-compose.yml': building('./app') });
      expect(run.exitCode).toBe(0);
    });
  });
});
