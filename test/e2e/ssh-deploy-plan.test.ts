import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAction, visibleText, type ActionRun } from '../harness/run-action.js';
import { describeWithLab, dockerAsRoot, labExec, type Lab } from '../lab/lab.js';
import {
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

// mode: plan and mode: check against the lab's host, with the bundled action: what a plan
// says, that it changes nothing, and that a check sees each kind of hand-made change.
const sha256 = (data: string): string => createHash('sha256').update(data).digest('hex');

interface PlanJson {
  host: string;
  release: string;
  current?: string;
  strategy: string;
  compose: { flavour?: string };
  steps: string[];
  stepLines: string[];
  services: {
    service: string;
    change: string;
    old?: { image: string; digest?: string };
    new?: { image: string; digest?: string };
    restarts: boolean;
    why?: string;
  }[];
  restarts: string[];
  env: { added: string[]; removed: string[]; changed: string[]; unchanged: number };
  migrations: { runs: boolean; service?: string; imageChanged?: boolean };
  files: {
    shipped: number;
    added: string[];
    changed: string[];
    removed: string[];
    keptChanged: string[];
    preservedSkipped: string[];
  };
  images: { toPull: string[] };
  diskFreeBytes?: number;
  lock?: { by: string; since?: string; stale: boolean };
  problems: string[];
  drift: { clean: boolean; items: { kind: string }[] };
}
interface DriftJson {
  host: string;
  release?: string;
  clean: boolean;
  items: { kind: string; service?: string; path?: string; detail: string }[];
}

describeWithLab('ssh-deploy mode: plan and mode: check', (lab: Lab) => {
  const connection = labConnection(lab);
  const projects: string[] = [];
  const dirs: string[] = [];
  afterAll(() => cleanUp(lab, projects, dirs));

  type Stack = { port: number; project: string; dir: string };
  function newStack(prefix: string, hostFiles: Record<string, string> = {}): Stack {
    const port = freePort();
    const project = uniqueProject(`plan-${prefix}`);
    const dir = prepareRemoteDir(lab, { '.env': `APP_PORT=${port}\n`, ...hostFiles });
    projects.push(project);
    dirs.push(dir);
    return { port, project, dir };
  }

  function run(
    stack: Stack,
    bundle: BundleOptions | string,
    inputs: Record<string, string> = {},
  ): Promise<ActionRun> {
    const source = typeof bundle === 'string' ? bundle : makeBundle(lab, bundle);
    return runAction('ssh-deploy', {
      inputs: {
        ...connection,
        'remote-dir': stack.dir,
        'source-dir': source,
        'project-name': stack.project,
        'env-files': '.env\nrelease.env',
        'services-first': 'db',
        'migrate-service': 'migrator',
        'health-url': `http://127.0.0.1:${stack.port}/api/ready`,
        'health-timeout': '40s',
        'lock-timeout': '30s',
        ...composeFlavourInput(),
        ...inputs,
      },
      timeoutMs: 200_000,
    });
  }
  const plan = (stack: Stack, bundle: BundleOptions | string, inputs: Record<string, string> = {}) =>
    run(stack, bundle, { mode: 'plan', ...inputs });
  const check = (stack: Stack, inputs: Record<string, string> = {}) =>
    run(stack, '/nonexistent', { mode: 'check', ...inputs });
  const planOf = (r: ActionRun): PlanJson => {
    const all = JSON.parse(r.outputs['plan'] ?? '[]') as PlanJson[];
    expect(all).toHaveLength(1);
    return all[0]!;
  };
  const driftOf = (r: ActionRun): DriftJson => (JSON.parse(r.outputs['drift'] ?? '[]') as DriftJson[])[0]!;
  const service = (p: PlanJson, name: string) => p.services.find((s) => s.service === name);
  const releasesOf = (dir: string): string[] =>
    existsSync(join(dir, '.releases')) ? readdirSync(join(dir, '.releases')).sort() : [];
  /** Runs docker compose as root in the stack's dir, as someone fixing a host by hand would. */
  const composeByHand = (stack: Stack, args: string[], env: Record<string, string> = {}) =>
    labExec(
      [
        lab.dockerCli,
        'compose',
        '-p',
        stack.project,
        '--env-file',
        '.env',
        '--env-file',
        'release.env',
        ...args,
      ],
      { cwd: stack.dir, env },
    );

  describe('plan on a first deploy', () => {
    let stack: Stack;
    let r: ActionRun;
    beforeAll(async () => {
      stack = newStack('first');
      r = await plan(stack, { app: 'v1' });
    });

    it('succeeds and reports every service as added, with the image it would run', () => {
      expect(r.exitCode).toBe(0);
      const p = planOf(r);
      expect(p.current).toBeUndefined();
      expect(service(p, 'app')).toMatchObject({
        change: 'added',
        new: { image: lab.images.app_v1 },
        restarts: true,
      });
      expect(service(p, 'db')).toMatchObject({ change: 'added', new: { image: lab.images.db } });
      expect(service(p, 'migrator')).toBeUndefined();
      expect(p.migrations).toMatchObject({ runs: true, service: 'migrator' });
    });

    it('lists the env keys the release adds, and the files it ships', () => {
      const p = planOf(r);
      // APP_PORT is in the host's .env already: unchanged.
      expect(p.env.added).toEqual(['APP_IMAGE', 'APP_MESSAGE', 'APP_READY', 'MIGRATE_FAIL']);
      expect(p.env.unchanged).toBe(1);
      expect(p.env.changed).toEqual([]);
      expect(p.files.added).toEqual(
        expect.arrayContaining(['docker-compose.yml', 'release.env', 'app.conf']),
      );
      expect(p.files.removed).toEqual([]);
    });

    it('is built from the steps the run executes, as dry-run prints them', async () => {
      const p = planOf(r);
      expect(p.steps).toEqual([
        'lock',
        'ship',
        'config',
        'pull',
        'services-first',
        'migrate',
        'up',
        'record-images',
        'health',
        'mark-current',
        'unlock',
      ]);
      const dry = await run(stack, { app: 'v1' }, { 'dry-run': 'true' });
      expect(dry.exitCode).toBe(0);
      // dry-run prints the same list, one `  - <step>: ...` line each (the release id differs per run).
      const dryNames = [...dry.stdout.matchAll(/^\[[^\]]+\] {3}- ([a-z-]+): /gm)].map((m) => m[1]);
      expect(dryNames).toEqual(p.steps);
      expect(p.stepLines.map((l) => l.split(':')[0])).toEqual(p.steps);
    });

    it('changes nothing on the host: no release, no lock, no container', async () => {
      expect(releasesOf(stack.dir)).toEqual([]);
      expect(readdirSync(stack.dir).sort()).toEqual(['.env']);
      expect(await containerId(stack.project, 'app')).toBe('');
    });

    it('writes a summary table per host', () => {
      expect(r.summary).toContain('ssh-deploy plan (nothing changed)');
      expect(r.summary).toMatch(/\| app \| added \(new service\) \|/);
    });
  });

  describe('plan of an upgrade, then check', () => {
    const OVERRIDE = 'services:\n  app:\n    labels:\n      plan.test: "1"\n';
    let stack: Stack;
    let first: ActionRun;
    let r: ActionRun;
    let before: string[];
    beforeAll(async () => {
      // The host's own override (preserved): recorded at deploy, so a check sees it edited.
      stack = newStack('upgrade', { 'docker-compose.override.yml': OVERRIDE });
      first = await run(stack, { app: 'v1', message: 'hello' });
      before = releasesOf(stack.dir);
      r = await plan(stack, { app: 'v2', message: 'hello' });
    });

    it('deployed the first release', () => {
      expect(first.exitCode).toBe(0);
    });

    it('reports the app image old → new with digests, db unchanged, and only the app restarting', () => {
      expect(r.exitCode).toBe(0);
      const p = planOf(r);
      expect(p.current).toBe(first.outputs['release-id']);
      const app = service(p, 'app')!;
      expect(app).toMatchObject({
        change: 'changed',
        old: { image: lab.images.app_v1 },
        new: { image: lab.images.app_v2 },
        restarts: true,
      });
      expect(app.old!.digest).toBe(lab.imageDigests.app_v1.split('@')[1]);
      expect(app.new!.digest).toBe(lab.imageDigests.app_v2.split('@')[1]);
      expect(service(p, 'db')).toMatchObject({ change: 'unchanged', restarts: false });
      expect(p.restarts).toEqual(['app']);
      expect(p.env.changed).toEqual(['APP_IMAGE']);
      expect(p.files.changed).toEqual(['release.env']);
      expect(p.migrations).toMatchObject({ runs: true, imageChanged: false });
      expect(p.problems).toEqual([]);
      expect(p.drift.clean).toBe(true);
    });

    it('changes nothing: same releases, no lock, the app still on v1', async () => {
      expect(releasesOf(stack.dir)).toEqual(before);
      const ref = await dockerAsRoot([
        'inspect',
        '-f',
        '{{.Config.Image}}',
        await containerId(stack.project, 'app'),
      ]);
      expect(ref.stdout.trim()).toBe(lab.images.app_v1);
    });

    it('check: a clean host has no drift', async () => {
      const c = await check(stack);
      expect(c.exitCode).toBe(0);
      expect(c.outputs['drifted']).toBe('false');
      expect(driftOf(c)).toMatchObject({ clean: true, items: [], release: first.outputs['release-id'] });
      expect(c.summary).toContain('no drift');
    });

    it('check: a compose file edited on the host', async () => {
      const original = readRemote(stack.dir, 'docker-compose.yml');
      writeFileSync(join(stack.dir, 'docker-compose.yml'), `${original}# edited by hand\n`);
      const c = await check(stack);
      writeFileSync(join(stack.dir, 'docker-compose.yml'), original);
      expect(c.exitCode).toBe(1);
      expect(c.outputs['error-code']).toBe('drift');
      expect(driftOf(c).items).toEqual([
        expect.objectContaining({ kind: 'file', path: 'docker-compose.yml' }),
      ]);
      expect(c.summary).toContain('1 host(s) drifted');
      expect(c.summary).toMatch(/\| file \| docker-compose\.yml \| docker-compose\.yml, written by release /);
    });

    it("check: the host's own compose override edited", async () => {
      writeFileSync(join(stack.dir, 'docker-compose.override.yml'), `${OVERRIDE}# tuned by hand\n`);
      const c = await check(stack);
      writeFileSync(join(stack.dir, 'docker-compose.override.yml'), OVERRIDE);
      expect(c.exitCode).toBe(1);
      expect(driftOf(c).items).toEqual([
        expect.objectContaining({ kind: 'file', path: 'docker-compose.override.yml' }),
      ]);
    });

    it('check: env files edited on the host, never showing a value', async () => {
      const hostEnv = readRemote(stack.dir, '.env');
      const releaseEnv = readRemote(stack.dir, 'release.env');
      writeFileSync(join(stack.dir, '.env'), `${hostEnv}HAND_SECRET=hand-typed-value\n`);
      writeFileSync(
        join(stack.dir, 'release.env'),
        releaseEnv.replace('APP_MESSAGE=hello', 'APP_MESSAGE=by-hand'),
      );
      const c = await check(stack, { 'fail-on-drift': 'false' });
      writeFileSync(join(stack.dir, '.env'), hostEnv);
      writeFileSync(join(stack.dir, 'release.env'), releaseEnv);
      expect(c.exitCode).toBe(0);
      expect(c.outputs['drifted']).toBe('true');
      expect(
        driftOf(c)
          .items.map((i) => `${i.kind} ${i.path}`)
          .sort(),
      ).toEqual(['env-file .env', 'env-file release.env']);
      expect(visibleText(c)).not.toContain('hand-typed-value');
      expect(visibleText(c)).not.toContain('by-hand');
    });

    it('check: a lock left behind', async () => {
      const lock = join(stack.dir, '.releases/.lock');
      mkdirSync(lock);
      writeFileSync(
        join(lock, 'owner.json'),
        JSON.stringify({
          run: '4242/1',
          repository: 'acme/app',
          actor: 'someone',
          release: 'r',
          runner: 'gone',
          startedAt: '2026-01-01T00:00:00Z',
          expiresAt: '2026-01-01T00:30:00Z',
          token: 'tok',
        }),
      );
      const c = await check(stack);
      execFileSync('rm', ['-r', lock]);
      expect(c.exitCode).toBe(1);
      const items = driftOf(c).items;
      expect(items).toEqual([expect.objectContaining({ kind: 'lock' })]);
      expect(items[0]!.detail).toContain('run 4242/1');
      expect(items[0]!.detail).toContain('stale');
      expect(visibleText(c)).not.toContain('tok"');
    });

    it('check: a container stopped by hand', async () => {
      await dockerAsRoot(['stop', await containerId(stack.project, 'app')]);
      const c = await check(stack);
      await composeByHand(stack, ['start', 'app']);
      expect(c.exitCode).toBe(1);
      expect(driftOf(c).items).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'stopped', service: 'app' })]),
      );
    });

    it('check: an image swapped by hand', async () => {
      const swapped = await composeByHand(stack, ['up', '-d', '--no-deps', 'app'], {
        APP_IMAGE: lab.images.app_v2,
      });
      expect(swapped.code).toBe(0);
      const c = await check(stack);
      expect(c.exitCode).toBe(1);
      expect(driftOf(c).items).toEqual([expect.objectContaining({ kind: 'image', service: 'app' })]);
      expect(driftOf(c).items[0]!.detail).toContain(lab.images.app_v2);
    });

    it('plan: the drifted host is named among the host problems', async () => {
      const p = planOf(await plan(stack, { app: 'v2', message: 'hello' }));
      expect(p.problems.join('\n')).toMatch(/drift: 1 difference/);
      expect(p.drift.items.map((i) => i.kind)).toEqual(['image']);
    });
  });

  describe('plan of an env change', () => {
    const SECRET_OLD = 'old-secret-message-7f3a';
    const SECRET_NEW = 'new-secret-message-91c2';
    let stack: Stack;
    let r: ActionRun;
    beforeAll(async () => {
      stack = newStack('env', { '.env': '' });
      writeFileSync(join(stack.dir, '.env'), `APP_PORT=${stack.port}\nHOST_ONLY=${SECRET_OLD}-host\n`);
      const first = await run(stack, { app: 'v1', message: SECRET_OLD });
      expect(first.exitCode).toBe(0);
      r = await plan(
        stack,
        { app: 'v1', message: SECRET_NEW, files: { 'extra.env': 'X=1\n' } },
        {
          'env-files': '.env\nrelease.env\nextra.env',
        },
      );
    });

    it('names the changed and added keys, and the service that restarts for them', () => {
      expect(r.exitCode).toBe(0);
      const p = planOf(r);
      expect(p.env.changed).toEqual(['APP_MESSAGE']);
      expect(p.env.added).toEqual(['X']);
      expect(p.env.removed).toEqual([]);
      expect(service(p, 'app')).toMatchObject({
        change: 'unchanged',
        restarts: true,
        why: 'env: APP_MESSAGE',
      });
      expect(p.restarts).toEqual(['app']);
    });

    it('shows no value, nor a sha256 of one, anywhere: outputs, logs, summary', () => {
      const text = visibleText(r);
      for (const value of [SECRET_OLD, SECRET_NEW, `${SECRET_OLD}-host`]) {
        expect(text).not.toContain(value);
        for (const form of [value, `APP_MESSAGE=${value}`, `APP_MESSAGE=${value}\n`, `HOST_ONLY=${value}\n`])
          expect(text).not.toContain(sha256(form));
      }
      expect(text).not.toContain(sha256(readRemote(stack.dir, 'release.env')));
      expect(text).not.toContain(sha256(readRemote(stack.dir, '.env')));
    });
  });

  describe('plan of a service removal', () => {
    let stack: Stack;
    let r: ActionRun;
    const withSidecar = (compose: string) =>
      compose.replace(
        'services:\n',
        `services:\n  sidecar:\n    image: ${lab.images.busybox}\n    command: ['sleep', '3600']\n`,
      );
    beforeAll(async () => {
      stack = newStack('removal');
      const bundle = makeBundle(lab, { app: 'v1' });
      writeFileSync(
        join(bundle, 'docker-compose.yml'),
        withSidecar(readFileSync(join(bundle, 'docker-compose.yml'), 'utf8')),
      );
      writeFileSync(join(bundle, 'old-only.txt'), 'shipped once');
      const first = await run(stack, bundle);
      expect(first.exitCode).toBe(0);
      r = await plan(stack, { app: 'v1' });
    });

    it('reports the service removed and the file that goes (only what a release wrote)', async () => {
      expect(r.exitCode).toBe(0);
      const p = planOf(r);
      expect(service(p, 'sidecar')).toMatchObject({ change: 'removed', old: { image: lab.images.busybox } });
      expect(p.files.removed).toEqual(['old-only.txt']);
      expect(p.files.changed).toEqual(['docker-compose.yml']);
      expect(p.restarts).toEqual([]);
    });

    it('is what the deploy then does: the service and the file go, nothing restarts', async () => {
      const ids = {
        app: await containerId(stack.project, 'app'),
        db: await containerId(stack.project, 'db'),
      };
      const deployed = await run(stack, { app: 'v1' });
      expect(deployed.exitCode).toBe(0);
      expect(await containerId(stack.project, 'sidecar')).toBe('');
      expect(existsSync(join(stack.dir, 'old-only.txt'))).toBe(false);
      expect(await containerId(stack.project, 'app')).toBe(ids.app);
      expect(await containerId(stack.project, 'db')).toBe(ids.db);
    });
  });

  describe('input checks', () => {
    it('refuses mode: plan with rollback, naming the input, before connecting', async () => {
      const r = await run(newStack('input'), { app: 'v1' }, { mode: 'plan', rollback: 'previous' });
      expect(r.exitCode).toBe(1);
      expect(r.outputs['error-code']).toBe('invalid-input');
      expect(r.annotations.map((a) => a.message).join('\n')).toContain('mode');
    });

    it('check where nothing was deployed fails: there is nothing to compare with', async () => {
      const r = await check(newStack('never'));
      expect(r.exitCode).toBe(1);
      expect(r.outputs['error-code']).toBe('drift');
      expect(driftOf(r).items).toEqual([expect.objectContaining({ kind: 'record' })]);
    });
  });

  describe('plan while another deploy holds the lock', () => {
    let stack: Stack;
    let r: ActionRun;
    beforeAll(async () => {
      stack = newStack('lock');
      const lock = join(stack.dir, '.releases/.lock');
      mkdirSync(lock, { recursive: true });
      writeFileSync(
        join(lock, 'owner.json'),
        JSON.stringify({
          token: 'secret-token-x',
          run: '777/2',
          repository: 'acme/app',
          actor: 'alice',
          release: 'r1',
          runner: 'runner-9',
          startedAt: new Date().toISOString(),
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        }),
      );
      execFileSync('chown', ['-R', `${lab.user}:${lab.user}`, stack.dir]);
      r = await plan(stack, { app: 'v1' });
    });

    it('reports the holder and since when, without waiting and without touching the lock', () => {
      expect(r.exitCode).toBe(0);
      const p = planOf(r);
      expect(p.lock).toMatchObject({ stale: false });
      expect(p.lock!.by).toContain('run 777/2');
      expect(p.lock!.by).toContain('alice');
      expect(p.lock!.since).toMatch(/^\d{4}-/);
      expect(p.problems.join('\n')).toContain('the host lock is held by run 777/2');
      expect(readFileSync(join(stack.dir, '.releases/.lock/owner.json'), 'utf8')).toContain('777/2');
      expect(visibleText(r)).not.toContain('secret-token-x');
    });
  });
});
