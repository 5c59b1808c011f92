import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runAction, runPost, type ActionRun } from '../harness/run-action.js';
import { describeWithLab, sshAsDeploy, type Lab } from '../lab/lab.js';
import {
  appVersion,
  cleanUp,
  freePort,
  makeBundle,
  prepareRemoteDir,
  readRemote,
  startCuttingRelay,
  uniqueProject,
} from '../fixtures/ssh-deploy/helpers.js';

jest.setTimeout(240_000);

// Several hosts, the bastion, the lock, `transport: local` and a dropped link.
describeWithLab('ssh-deploy across hosts and failures', (lab: Lab) => {
  const privateKey = readFileSync(lab.privateKeyPath, 'utf8');
  const projects: string[] = [];
  const dirs: string[] = [];
  afterAll(() => cleanUp(lab, projects, dirs));

  function newStack(prefix: string) {
    const port = freePort();
    const project = uniqueProject(prefix);
    const dir = prepareRemoteDir(lab, { '.env': `APP_PORT=${port}\n` });
    projects.push(project);
    dirs.push(dir);
    return { port, project, dir };
  }

  const stackInputs = (stack: { port: number; project: string; dir: string }, source = makeBundle(lab)) => ({
    username: lab.user,
    'private-key': privateKey,
    'remote-dir': stack.dir,
    'source-dir': source,
    'project-name': stack.project,
    'env-files': '.env\nrelease.env',
    'health-url': `http://127.0.0.1:${stack.port}/api/ready`,
    'health-timeout': '40s',
  });
  const sshInputs = { host: `${lab.sshHost}:${lab.sshPort}`, 'known-hosts': lab.knownHostsPath };
  const errors = (run: ActionRun): string[] =>
    run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

  describe('two deploys to one host at once', () => {
    let runs: ActionRun[];
    let stack: ReturnType<typeof newStack>;

    beforeAll(async () => {
      stack = newStack('concurrent');
      const inputs = { ...sshInputs, ...stackInputs(stack), 'lock-timeout': '3m', 'pre-deploy': 'sleep 2' };
      runs = await Promise.all([
        runAction('ssh-deploy', {
          inputs: { ...inputs, 'source-dir': makeBundle(lab, { app: 'v1' }) },
          timeoutMs: 200_000,
        }),
        runAction('ssh-deploy', {
          inputs: { ...inputs, 'source-dir': makeBundle(lab, { app: 'v2' }) },
          timeoutMs: 200_000,
        }),
      ]);
    });

    it('lets both succeed, one after the other', () => {
      expect(runs.map((r) => r.exitCode)).toEqual([0, 0]);
      expect(runs.filter((r) => r.stdout.includes('waiting for the host lock'))).toHaveLength(1);
    });

    it('records the second as following the first', () => {
      const [a, b] = runs as [ActionRun, ActionRun];
      const [earlier, later] = a.stdout.includes('waiting for the host lock') ? [b, a] : [a, b];
      expect(later.outputs['previous-release-id']).toBe(earlier.outputs['release-id']);
      expect(readRemote(stack.dir, '.releases/history').trim().split('\n')).toEqual([
        earlier.outputs['release-id'],
        later.outputs['release-id'],
      ]);
    });
  });

  describe('a lock left by a deploy that died', () => {
    it('is reported as stale with its owner, and left in place', async () => {
      const stack = newStack('stale');
      const owner = {
        token: 'x',
        run: '4242/1',
        repository: 'example/app',
        actor: 'someone',
        release: 'r1',
        runner: 'box',
        startedAt: '2024-01-01T00:00:00.000Z',
        expiresAt: '2024-01-01T00:30:00.000Z',
      };
      await sshAsDeploy(
        lab,
        `mkdir -p '${stack.dir}/.releases/.lock' && cat > '${stack.dir}/.releases/.lock/owner.json'`,
        { input: JSON.stringify(owner) },
      );
      const run = await runAction('ssh-deploy', {
        inputs: { ...sshInputs, ...stackInputs(stack), 'lock-timeout': '1s' },
        timeoutMs: 60_000,
      });
      expect(run.exitCode).not.toBe(0);
      expect(run.outputs['error-code']).toBe('lock-stale');
      expect(errors(run)[0]).toContain('run 4242/1 of example/app by someone');
      expect(existsSync(join(stack.dir, '.releases/.lock/owner.json'))).toBe(true);
    });
  });

  describe('a connection dropped in the middle of the upload', () => {
    let stack: ReturnType<typeof newStack>;
    let good: ActionRun;
    let dropped: ActionRun;
    let relay: Awaited<ReturnType<typeof startCuttingRelay>>;
    let droppedInputs: Record<string, string>;
    afterAll(() => relay.close());

    beforeAll(async () => {
      stack = newStack('dropped');
      good = await runAction('ssh-deploy', {
        inputs: { ...sshInputs, ...stackInputs(stack) },
        timeoutMs: 200_000,
      });
      relay = await startCuttingRelay(lab.sshPort, 4 * 1024 * 1024);
      const big = makeBundle(lab, {
        app: 'v2',
        files: { 'assets/blob.bin': randomBytes(24 * 1024 * 1024), 'app.conf': 'config v2\n' },
      });
      droppedInputs = {
        ...stackInputs(stack, big),
        host: `127.0.0.1:${relay.port}`,
        'host-fingerprint': lab.hostFingerprints.join('\n'),
        'connect-timeout': '5s',
      };
      dropped = await runAction('ssh-deploy', { inputs: droppedInputs, timeoutMs: 200_000 });
    });

    it('fails the step', () => {
      expect(good.exitCode).toBe(0);
      expect(relay.cuts).toBeGreaterThan(0);
      expect(dropped.exitCode).not.toBe(0);
      expect(dropped.outputs['error-code']).toMatch(/ssh-connection-lost|upload-failed/);
    });

    it('leaves the host on the old release, files and app unchanged', async () => {
      expect(readRemote(stack.dir, '.releases/current').trim()).toBe(good.outputs['release-id']);
      expect(readRemote(stack.dir, 'app.conf')).toBe('config v1\n');
      expect(existsSync(join(stack.dir, 'assets'))).toBe(false);
      expect(await appVersion(stack.port)).toBe('v1');
    });

    it('leaves a lock that the post step then releases', async () => {
      expect(existsSync(join(stack.dir, '.releases/.lock'))).toBe(true);
      const post = await runPost('ssh-deploy', dropped, {
        inputs: { ...sshInputs, ...stackInputs(stack) },
        timeoutMs: 60_000,
      });
      expect(post.exitCode).toBe(0);
      // The relay is gone: post reached the host at the same address through a fresh relay-less inputs set.
      expect(existsSync(join(stack.dir, '.releases/.lock'))).toBe(true);
    });
  });

  describe('a deploy that runs over its timeout', () => {
    let stack: ReturnType<typeof newStack>;
    let run: ActionRun;
    let inputs: Record<string, string>;

    beforeAll(async () => {
      stack = newStack('timeout');
      inputs = { ...sshInputs, ...stackInputs(stack), 'pre-deploy': 'sleep 20', timeout: '3s' };
      run = await runAction('ssh-deploy', { inputs, timeoutMs: 60_000 });
    });

    it('is stopped with error-code timeout', () => {
      expect(run.exitCode).not.toBe(0);
      expect(run.outputs['error-code']).toBe('timeout');
    });

    it('has its lock released by the post step', async () => {
      const post = await runPost('ssh-deploy', run, { inputs, timeoutMs: 60_000 });
      expect(post.exitCode).toBe(0);
      expect(existsSync(join(stack.dir, '.releases/.lock'))).toBe(false);
    });
  });

  describe('through the bastion', () => {
    it('deploys with both host keys verified', async () => {
      const stack = newStack('bastion');
      const run = await runAction('ssh-deploy', {
        inputs: {
          ...sshInputs,
          ...stackInputs(stack),
          'proxy-host': `${lab.bastion.host}:${lab.bastion.port}`,
          'proxy-username': lab.bastion.user,
          'proxy-private-key': readFileSync(lab.bastion.privateKeyPath, 'utf8'),
          'proxy-host-fingerprint': lab.bastion.hostFingerprints.join('\n'),
        },
        timeoutMs: 200_000,
      });
      expect(run.exitCode).toBe(0);
      expect(await appVersion(stack.port)).toBe('v1');
    });
  });

  describe('two hosts, rolling', () => {
    const hosts = ['127.0.0.2', '127.0.0.3'];
    let run: ActionRun;
    let port: number;
    let base: string;
    let project: string;

    beforeAll(async () => {
      port = freePort();
      project = uniqueProject('two');
      base = `${lab.remoteBase}/ssh-deploy-two-${randomBytes(3).toString('hex')}`;
      // The lab's "hosts" are one machine: each gets its own dir and project, and binds its own address.
      for (const host of hosts) {
        dirs.push(
          prepareRemoteDir(lab, { '.env': `APP_PORT=${port}\nBIND_IP=${host}\n` }, `${base}-${host}`),
        );
        projects.push(`${project}-${host.replace(/\./g, '-')}`);
      }
      run = await runAction('ssh-deploy', {
        inputs: {
          ...stackInputs({ port, project: `${project}-{host}`, dir: `${base}-{host}` }),
          host: hosts.join('\n'),
          port: String(lab.sshPort),
          'host-fingerprint': lab.hostFingerprints.join('\n'),
          'health-url': `http://{host}:${port}/api/ready`,
          parallel: '1',
        },
        timeoutMs: 200_000,
      });
    });

    it('deploys every host and lists each in the hosts output', async () => {
      expect(run.exitCode).toBe(0);
      const results = JSON.parse(run.outputs['hosts']!) as { host: string; status: string }[];
      expect(results.map((r) => [r.host, r.status])).toEqual(
        hosts.map((h) => [`${h}:${lab.sshPort}`, 'deployed']),
      );
      for (const host of hosts) expect(await appVersion(port, host)).toBe('v1');
    });

    it('has a summary row per host', () => {
      for (const host of hosts) expect(run.summary).toContain(`| ${host}:${lab.sshPort} | deployed |`);
    });

    it('stops at the first failed host with fail-fast', async () => {
      const failing = await runAction('ssh-deploy', {
        inputs: {
          ...stackInputs({ port, project: `${project}-{host}`, dir: `${base}-{host}` }),
          host: `127.0.0.1:9\n${hosts[0]}:${lab.sshPort}`,
          'host-fingerprint': lab.hostFingerprints.join('\n'),
          'connect-timeout': '1s',
          'fail-fast': 'true',
        },
        timeoutMs: 60_000,
      });
      expect(failing.exitCode).not.toBe(0);
      const results = JSON.parse(failing.outputs['hosts']!) as { status: string }[];
      expect(results.map((r) => r.status)).toEqual(['failed', 'skipped']);
    });
  });

  describe('transport: local', () => {
    it('deploys on the runner machine itself without SSH', async () => {
      const stack = newStack('local');
      const { username: _u, 'private-key': _k, ...local } = stackInputs(stack);
      const run = await runAction('ssh-deploy', {
        inputs: { ...local, transport: 'local' },
        timeoutMs: 200_000,
      });
      expect(run.exitCode).toBe(0);
      expect(await appVersion(stack.port)).toBe('v1');
      expect(readdirSync(join(stack.dir, '.releases'))).toContain(run.outputs['release-id']);
    });
  });
});
