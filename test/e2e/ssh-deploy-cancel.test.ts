import { jest } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAction, runPost, type ActionRun, type RunOptions } from '../harness/run-action.js';
import { describeWithLab, type Lab } from '../lab/lab.js';
import {
  appVersion,
  cleanUp,
  composeFlavourInput,
  freePort,
  makeBundle,
  prepareRemoteDir,
  readRemote,
  uniqueProject,
  type BundleOptions,
} from '../fixtures/ssh-deploy/helpers.js';

jest.setTimeout(240_000);

// Issue 11: the job is cancelled (the runner sends SIGINT, then SIGTERM, to the action's
// process) while the health gate polls a release that was already started. The host must not
// be left on that release with nothing recorded: the release record says `unknown`, the outputs
// say `cancelled`, the lock is released by the main step itself, and nothing more is changed.
describeWithLab('ssh-deploy cancelled during the health gate', (lab: Lab) => {
  const privateKey = readFileSync(lab.privateKeyPath, 'utf8');
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
        host: `${lab.sshHost}:${lab.sshPort}`,
        username: lab.user,
        'private-key': privateKey,
        'known-hosts': lab.knownHostsPath,
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
