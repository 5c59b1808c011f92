import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, runPost, type ActionRun, type RunOptions } from '../harness/run-action.js';
import { describeWithLab, type Lab } from '../lab/lab.js';
import {
  appVersion,
  cleanUp,
  composeFlavourInput,
  containerId,
  freePort,
  makeBundle,
  prepareRemoteDir,
  readRemote,
  uniqueProject,
  type BundleOptions,
} from '../fixtures/ssh-deploy/helpers.js';
import { labConnection } from '../harness/chain.mjs';

jest.setTimeout(240_000);

// Issue 11: the job is cancelled (the runner sends SIGINT, then SIGTERM, to the action's
// process) while the health gate polls a release that was already started. The host must not
// be left on that release with nothing recorded: the release record says `unknown`, the outputs
// say `cancelled`, the lock is released by the main step itself, and nothing more is changed.
describeWithLab('ssh-deploy cancelled during the health gate', (lab: Lab) => {
  const connection = labConnection(lab);
  const projects: string[] = [];
  const dirs: string[] = [];
  afterAll(() => cleanUp(lab, projects, dirs));

  function newStack(prefix: string) {
    const port = freePort();
    const project = uniqueProject(`speed-${prefix}`);
    const dir = prepareRemoteDir(lab, { '.env': `APP_PORT=${port}\n` });
    projects.push(project);
    dirs.push(dir);
    return { port, project, dir };
  }

  function deploy(
    stack: { port: number; project: string; dir: string },
    bundle: BundleOptions,
    extra: Partial<RunOptions> = {},
    inputs: Record<string, string> = {},
  ): Promise<ActionRun> {
    return runAction('ssh-deploy', {
      inputs: {
        ...connection,
        'remote-dir': stack.dir,
        'source-dir': makeBundle(lab, bundle),
        'project-name': stack.project,
        'env-files': '.env\nrelease.env',
        'services-first': 'db',
        'health-url': `http://127.0.0.1:${stack.port}/api/ready`,
        'health-timeout': '90s',
        ...composeFlavourInput(),
        ...inputs,
      },
      timeoutMs: 200_000,
      ...extra,
    });
  }

  const newRelease = (dir: string, not: string): string =>
    readdirSync(join(dir, '.releases')).find((d) => d !== not && /^\d{8}T/.test(d))!;

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    describe(`on ${signal}`, () => {
      let stack: ReturnType<typeof newStack>;
      let good: ActionRun;
      let cancelled: ActionRun;

      beforeAll(async () => {
        stack = newStack(signal.toLowerCase());
        good = await deploy(stack, { app: 'v1' });
        // v2 never turns ready: the gate polls until the signal comes.
        cancelled = await deploy(
          stack,
          { app: 'v2', ready: false },
          { cancel: { when: /health gate: waiting for/, signal } },
        );
      });

      it('ends the step as failed with error-code cancelled, naming what runs', () => {
        expect(good.exitCode).toBe(0);
        expect(cancelled.exitCode).toBe(1);
        expect(cancelled.outputs['error-code']).toBe('cancelled');
        expect(cancelled.outputs['rolled-back']).toBe('false');
        const target = newRelease(stack.dir, good.outputs['release-id']!);
        expect(JSON.parse(cancelled.outputs['hosts']!)[0]).toMatchObject({
          status: 'cancelled',
          errorCode: 'cancelled',
          release: target,
          running: target,
          previousRelease: good.outputs['release-id'],
          rolledBack: false,
        });
        expect(cancelled.summary).toMatch(/cancelled/);
      });

      it('records the release as unknown on the host and leaves current on the verified release', () => {
        const target = newRelease(stack.dir, good.outputs['release-id']!);
        expect(readRemote(stack.dir, `.releases/${target}/status`)).toMatch(
          /^unknown: cancelled during the health gate/,
        );
        expect(readRemote(stack.dir, '.releases/current').trim()).toBe(good.outputs['release-id']);
      });

      it('changes nothing more: the new release keeps running as it was', async () => {
        expect(await appVersion(stack.port)).toBe('v2');
      });

      it('releases the host lock in the main step, so the post step has nothing to do', async () => {
        expect(existsSync(join(stack.dir, '.releases/.lock'))).toBe(false);
        expect(JSON.parse(cancelled.state['held-locks'] ?? '[]')).toEqual([]);
        const post = await runPost('ssh-deploy', cancelled, { timeoutMs: 60_000 });
        expect(post.exitCode).toBe(0);
      });

      it('goes back with rollback: <previous-release-id>, as the error says', async () => {
        expect(cancelled.annotations.find((a) => a.level === 'error')?.message).toContain(
          `rollback: ${good.outputs['release-id']}`,
        );
        const back = await deploy(stack, {}, {}, { rollback: good.outputs['release-id']! });
        expect(back.exitCode).toBe(0);
        expect(await appVersion(stack.port)).toBe('v1');
        expect(readRemote(stack.dir, '.releases/current').trim()).toBe(good.outputs['release-id']);
      });

      it('lets the next deploy take over from the recorded state', async () => {
        const next = await deploy(stack, { app: 'v1', message: 'after-cancel' });
        expect(next.exitCode).toBe(0);
        expect(await appVersion(stack.port)).toBe('v1 after-cancel');
      });
    });
  }
});

// A cancel while ssh-deploy waits for another deploy's host lock ends the wait at once (not
// after lock-timeout), changes nothing, and leaves the other deploy its lock.
describeWithLab('ssh-deploy cancelled while waiting for the host lock', (lab: Lab) => {
  const connection = labConnection(lab);
  const dirs: string[] = [];
  afterAll(() => cleanUp(lab, [], dirs));

  const owner = JSON.stringify({
    token: 'speed2-other-token',
    run: 'speed2/1',
    repository: 'o/other',
    actor: 'someone',
    release: 'other',
    runner: 'elsewhere',
    startedAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`ends the wait on ${signal} with error-code cancelled, the other lock untouched (lock-timeout 30m)`, async () => {
      const dir = prepareRemoteDir(lab, { '.env': 'APP_PORT=1\n' });
      dirs.push(dir);
      const lock = join(dir, '.releases/.lock');
      mkdirSync(lock, { recursive: true });
      writeFileSync(join(lock, 'owner.json'), owner);
      execFileSync('chown', ['-R', `${lab.user}:${lab.user}`, dir]);
      const run = await runAction('ssh-deploy', {
        inputs: {
          ...connection,
          'remote-dir': dir,
          'source-dir': makeBundle(lab),
          strategy: 'script',
          script: 'true',
          'lock-timeout': '30m',
        },
        // Far below lock-timeout: only the cancel can end the run in time.
        timeoutMs: 120_000,
        cancel: { when: /waiting for the host lock/, signal },
      });
      expect(run.exitCode).toBe(1);
      expect(run.outputs['error-code']).toBe('cancelled');
      expect(JSON.parse(run.outputs['hosts']!)[0]).toMatchObject({
        status: 'cancelled',
        errorCode: 'cancelled',
      });
      expect(run.annotations.find((a) => a.level === 'error')?.message).toContain(
        'cancelled while waiting for the host lock',
      );
      expect(readFileSync(join(lock, 'owner.json'), 'utf8')).toBe(owner);
      expect(readdirSync(join(dir, '.releases')).filter((d) => d !== '.lock')).toEqual([]);
      expect(JSON.parse(run.state['held-locks'] ?? '[]')).toEqual([]);
    });
  }
});

// A cancel that comes before any host started (here while the bundle is still being read)
// deploys nowhere and fails the step with cancelled: a skipped host is never a green step.
describeWithLab('ssh-deploy cancelled before any host started', (lab: Lab) => {
  const privateKey = readFileSync(lab.privateKeyPath, 'utf8');
  const dirs: string[] = [];
  let source: string;
  beforeAll(() => {
    source = mkdtempSync(join(tmpdir(), 'speed2-big-bundle-'));
    writeFileSync(join(source, 'compose.yaml'), 'services: {}\n');
    // A large sparse file: reading and hashing it keeps the run in its bundle step for seconds.
    execFileSync('truncate', ['-s', '3G', join(source, 'big.bin')]);
  });
  afterAll(async () => {
    rmSync(source, { recursive: true, force: true });
    await cleanUp(lab, [], dirs);
  });

  it('connects to no host, skips them all and ends with error-code cancelled', async () => {
    const dir = prepareRemoteDir(lab, {});
    dirs.push(dir);
    const run = await runAction('ssh-deploy', {
      inputs: {
        host: `${lab.sshHost}:${lab.sshPort}\n127.0.0.2:${lab.sshPort}`,
        username: lab.user,
        'private-key': privateKey,
        'known-hosts': lab.knownHostsPath,
        'remote-dir': dir,
        'source-dir': source,
        strategy: 'script',
        script: 'true',
      },
      timeoutMs: 120_000,
      // The first line the step prints (the key's mask), long before the bundle is read.
      cancel: { when: /::add-mask::/, signal: 'SIGTERM' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('cancelled');
    expect(JSON.parse(run.outputs['hosts']!).map((h: { status: string }) => h.status)).toEqual([
      'skipped',
      'skipped',
    ]);
    expect(run.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /cancelled; not deployed: 127\.0\.0\.1/,
    );
    expect(run.stdout).not.toMatch(/lock taken/);
    expect(existsSync(join(dir, '.releases'))).toBe(false);
  });
});

// Issue 11: the steps from pull on run in one exec, each behind a gate the runner opens
// (chain.ts). A cancel during the migration, or a runner killed outright, must never let the
// host go on to change the app: the gate stays closed.
describeWithLab('ssh-deploy cancelled during the migration', (lab: Lab) => {
  const privateKey = readFileSync(lab.privateKeyPath, 'utf8');
  const projects: string[] = [];
  const dirs: string[] = [];
  afterAll(() => cleanUp(lab, projects, dirs));

  // The fixture stack, with a migrator that takes a while and says when it is done.
  const slowMigrator = (app: 'v1' | 'v2'): BundleOptions => ({
    app,
    files: {
      'docker-compose.yml': readFileSync(
        new URL('../fixtures/ssh-deploy/stack/docker-compose.yml', import.meta.url),
        'utf8',
      ).replace(
        `    image: 127.0.0.1:5000/lab/migrator:v1\n`,
        `    image: ${lab.images.busybox}\n    command: ['sh', '-c', 'sleep 3; echo ${app} >> /data/migrated']\n`,
      ),
    },
  });

  function deploy(
    stack: { port: number; project: string; dir: string },
    bundle: BundleOptions,
    extra: Partial<RunOptions> = {},
  ) {
    return runAction('ssh-deploy', {
      inputs: {
        host: `${lab.sshHost}:${lab.sshPort}`,
        username: lab.user,
        'private-key': privateKey,
        'known-hosts': lab.knownHostsPath,
        'remote-dir': stack.dir,
        'source-dir': makeBundle(lab, bundle),
        'project-name': stack.project,
        'env-files': '.env\nrelease.env',
        'services-first': 'db',
        'migrate-service': 'migrator',
        'health-url': `http://127.0.0.1:${stack.port}/api/ready`,
        ...composeFlavourInput(),
      },
      timeoutMs: 200_000,
      ...extra,
    });
  }

  function newStack(prefix: string) {
    const port = freePort();
    const project = uniqueProject(`deployspeed-${prefix}`);
    const dir = prepareRemoteDir(lab, { '.env': `APP_PORT=${port}\n` });
    projects.push(project);
    dirs.push(dir);
    return { port, project, dir };
  }

  /** Waits until no process on the lab host runs a chained exec in `dir` (bounded). */
  async function chainGone(dir: string): Promise<boolean> {
    for (let i = 0; i < 120; i++) {
      const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
      if (!ps.split('\n').some((l) => l.includes('@@deploy-actions-chain') && l.includes(dir))) return true;
      await new Promise((r) => setTimeout(r, 250));
    }
    return false;
  }

  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    it(`on ${signal}, the migration may finish but the app is never changed`, async () => {
      const stack = newStack(signal.toLowerCase());
      const good = await deploy(stack, slowMigrator('v1'));
      expect(good.exitCode).toBe(0);
      const app = await containerId(stack.project, 'app');
      const run = await deploy(stack, slowMigrator('v2'), {
        cancel: { when: /\] \$ docker[^\n]* run --rm -T migrator\n/, signal },
      });
      expect(run.exitCode).not.toBe(0);
      if (signal === 'SIGINT') {
        expect(run.outputs['error-code']).toBe('cancelled');
        expect(JSON.parse(run.outputs['hosts']!)[0]).toMatchObject({
          status: 'cancelled',
          running: good.outputs['release-id'],
        });
      }
      // Whatever was still running on the host for this run has ended by now.
      expect(await chainGone(stack.dir)).toBe(true);
      expect(await containerId(stack.project, 'app')).toBe(app);
      expect(await appVersion(stack.port)).toBe('v1');
      expect(readRemote(stack.dir, '.releases/current').trim()).toBe(good.outputs['release-id']);
    });
  }
});
