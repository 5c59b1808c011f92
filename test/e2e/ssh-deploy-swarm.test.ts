// ssh-deploy with strategy: swarm, through the bundled action, against the lab's engine as a
// single-node swarm (opt-in, as test/e2e/swarm.test.ts: `docker swarm init --advertise-addr
// 127.0.0.1` when it is not one; the swarm stays active). The kernel has no IPVS, so the lab's
// Caddy is published in `mode: host` and the app runs with `endpoint_mode: dnsrr`.
// Under ~50 requests/s: v1 -> v2, a v3 the health gate refuses (rolled back to v2), a v4 whose
// image does not exist (swarm rolls it back at convergence), `rollback: previous`; and a held
// lock and a bad input, each refused before anything changes.
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, visibleText, type ActionRun } from '../harness/run-action.js';
import { describeWithLab, dockerAsRoot, type Lab } from '../lab/lab.js';
import { CADDYFILE, freeLoopbackPort, startLoad } from '../fixtures/http-load.js';
import { cleanUp, prepareRemoteDir, readRemote } from '../fixtures/ssh-deploy/helpers.js';
import { ensureSwarmManager, removeStacks, swarmStackCompose, uniqueStack } from '../fixtures/swarm.js';
import { labConnection } from '../harness/chain.mjs';

jest.setTimeout(300_000);

/** A value of the host's .env: interpolated into the stack file, never shown. */
const TOKEN = 'swarm-wt-token-6c1f0a';

// The container's healthcheck is liveness (/version); readiness (/api/ready, APP_READY) is what
// the health gate asks through the proxy: a v3 with APP_READY=false converges, then fails the gate.
const COMPOSE = swarmStackCompose({ healthPath: '/version', env: ['API_TOKEN'] });

describeWithLab('ssh-deploy strategy: swarm', (lab: Lab) => {
  const connection = labConnection(lab);
  const stacks: string[] = [];
  const dirs: string[] = [];
  const sources: string[] = [];

  beforeAll(async () => {
    await ensureSwarmManager('ssh-deploy-swarm.test');
  });

  afterAll(async () => {
    await removeStacks(stacks);
    await cleanUp(lab, [], dirs);
    for (const d of sources) rmSync(d, { recursive: true, force: true });
  });

  /** A source-dir: the proxy + app stack, and release.env picking the app image and behaviour. */
  const bundle = (app: string, extra = ''): string => {
    const dir = mkdtempSync(join(tmpdir(), 'ssh-deploy-swarm-'));
    sources.push(dir);
    writeFileSync(join(dir, 'compose.yml'), COMPOSE);
    writeFileSync(join(dir, 'Caddyfile'), CADDYFILE);
    writeFileSync(join(dir, 'release.env'), `APP_IMAGE=${app}\n${extra}`);
    return dir;
  };

  const deploy = (dir: string, stack: string, inputs: Record<string, string> = {}): Promise<ActionRun> =>
    runAction('ssh-deploy', {
      inputs: {
        ...connection,
        'remote-dir': dir,
        'project-name': stack,
        'env-files': '.env\nrelease.env',
        strategy: 'swarm',
        'health-timeout': '30s',
        ...inputs,
      },
      timeoutMs: 280_000,
    });

  const service = async (name: string, format: string): Promise<string> =>
    (await dockerAsRoot(['service', 'inspect', '--format', format, name])).stdout.trim();

  describe('one stack, release after release, under load', () => {
    const stack = uniqueStack();
    let dir: string;
    let port: number;
    let v1: ActionRun;
    let v2: ActionRun;

    beforeAll(async () => {
      port = await freeLoopbackPort();
      dir = prepareRemoteDir(lab, {
        '.env': `PROXY_IMAGE=${lab.images.caddy}\nPROXY_PORT=${port}\nMIGRATOR_IMAGE=${lab.images.migrator}\nAPI_TOKEN=${TOKEN}\n`,
      });
      stacks.push(stack);
      dirs.push(dir);
    });

    it('plans the swarm steps in dry-run and changes nothing', async () => {
      const run = await deploy(dir, stack, { 'source-dir': bundle(lab.images.app_v1), 'dry-run': 'true' });
      expect(run.exitCode).toBe(0);
      expect(JSON.parse(run.outputs['hosts']!)[0].status).toBe('planned');
      const order = [
        'lock',
        'check-manager',
        'ship',
        'render',
        'stack-deploy',
        'converge',
        'record-images',
        'mark-current',
      ];
      const at = order.map((step) => run.summary.indexOf(`${step}: `));
      expect(at.every((i) => i > -1)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      expect(run.summary).toContain(`docker stack deploy --with-registry-auth --prune -c ${dir}/.releases/`);
      expect(run.summary).not.toMatch(/up -d|re-tag/);
      expect(
        await dockerAsRoot(['service', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`]),
      ).toMatchObject({ stdout: '' });
      expect(existsSync(join(dir, '.releases'))).toBe(false);
    });

    it('deploys v1, then v2 under ~50 requests/s without a failed request, and records the release', async () => {
      v1 = await deploy(dir, stack, { 'source-dir': bundle(lab.images.app_v1) });
      expect(v1.exitCode).toBe(0);
      const load = startLoad(port);
      v2 = await deploy(dir, stack, {
        'source-dir': bundle(lab.images.app_v2),
        'health-url': `http://127.0.0.1:${port}/api/ready`,
      });
      const report = await load.stop();
      expect(v2.exitCode).toBe(0);
      expect(report.failures).toEqual([]);
      expect(report.sent).toBeGreaterThan(100);
      expect(report.bodies['v1'] ?? 0).toBeGreaterThan(0);
      expect(report.bodies['v2'] ?? 0).toBeGreaterThan(0);

      const id = v2.outputs['release-id']!;
      expect(v2.outputs['previous-release-id']).toBe(v1.outputs['release-id']);
      expect(v2.outputs['rolled-back']).toBe('false');
      expect(JSON.parse(v2.outputs['hosts']!)[0]).toMatchObject({
        status: 'deployed',
        release: id,
        running: id,
      });
      expect(readRemote(dir, '.releases/current').trim()).toBe(id);
      // The release record: the interpolated stack file it deployed (0600), swarm's pinned images, status.
      const stackFile = join(dir, '.releases', id, 'stack.json');
      expect(statSync(stackFile).mode & 0o777).toBe(0o600);
      const deployed = JSON.parse(readFileSync(stackFile, 'utf8')) as {
        services: Record<string, { image: string }>;
      };
      expect(deployed.services['app']!.image).toBe(lab.images.app_v2);
      // Interpolated into the 0600 stack file (a stack deploy reads no .env), shown nowhere.
      expect(readFileSync(stackFile, 'utf8')).toContain(TOKEN);
      expect(visibleText(v1) + visibleText(v2)).not.toContain(TOKEN);
      expect(readRemote(dir, `.releases/${id}/images`)).toMatch(
        new RegExp(`${lab.images.app_v2}@sha256:[0-9a-f]{64}`),
      );
      expect(readRemote(dir, `.releases/${id}/status`).trim()).toBe('active');
      expect(await service(`${stack}_app`, '{{.Spec.TaskTemplate.ContainerSpec.Image}}')).toContain(
        lab.images.app_v2,
      );
      expect(v2.stdout).toMatch(/swarm: converged: .*app completed 3\/3/);
      expect(v2.summary).toContain(id);
    });

    it('rolls a v3 the health gate refuses back to v2, stack-wide, without a failed request', async () => {
      const current = readRemote(dir, '.releases/current').trim();
      const load = startLoad(port);
      const v3 = await deploy(dir, stack, {
        'source-dir': bundle(lab.images.app_v2, 'APP_READY=false\nAPP_MESSAGE=v3\n'),
        'health-url': `http://127.0.0.1:${port}/api/ready`,
        'health-timeout': '8s',
      });
      const report = await load.stop();
      expect(v3.exitCode).toBe(1);
      expect(v3.outputs['error-code']).toBe('health-gate-failed');
      expect(v3.outputs['rolled-back']).toBe('true');
      expect(report.failures).toEqual([]);
      expect(report.bodies['v2 v3'] ?? 0).toBeGreaterThan(0);
      expect(JSON.parse(v3.outputs['hosts']!)[0]).toMatchObject({ status: 'rolled-back', running: current });
      expect(readRemote(dir, '.releases/current').trim()).toBe(current);
      expect(v3.stdout).toContain(`redeploying release ${current}'s stack file`);
      expect(visibleText(v3)).not.toContain(TOKEN);
      expect(await service(`${stack}_app`, '{{json .Spec.TaskTemplate.ContainerSpec.Env}}')).toMatch(
        /APP_READY=true/,
      );
      expect(await service(`${stack}_app`, '{{json .Spec.TaskTemplate.ContainerSpec.Env}}')).not.toMatch(
        /v3/,
      );
    });

    it("fails a v4 whose image does not exist at convergence with swarm's reason; v2 keeps serving", async () => {
      const current = readRemote(dir, '.releases/current').trim();
      const load = startLoad(port);
      const v4 = await deploy(dir, stack, {
        'source-dir': bundle(`${lab.registry}/lab/app:swarm-wt-missing`),
      });
      const report = await load.stop();
      expect(v4.exitCode).toBe(1);
      expect(v4.outputs['error-code']).toBe('swarm-rolled-back');
      expect(v4.stderr + v4.stdout).toMatch(
        new RegExp(`service 'app' \\(${stack}_app\\): update rollback_completed`),
      );
      expect(report.failures).toEqual([]);
      expect(report.bodies['v2'] ?? 0).toBeGreaterThan(0);
      expect(JSON.parse(v4.outputs['hosts']!)[0]).toMatchObject({ running: current, rolledBack: true });
      expect(readRemote(dir, '.releases/current').trim()).toBe(current);
      expect(await service(`${stack}_app`, '{{.Spec.TaskTemplate.ContainerSpec.Image}}')).toContain(
        lab.images.app_v2,
      );
    });

    it("rollback: previous redeploys v1's recorded stack file without a failed request", async () => {
      const load = startLoad(port);
      const back = await deploy(dir, stack, {
        'source-dir': bundle(lab.images.app_v2),
        rollback: 'previous',
      });
      const report = await load.stop();
      expect(back.exitCode).toBe(0);
      expect(back.outputs['release-id']).toBe(v1.outputs['release-id']);
      expect(back.outputs['previous-release-id']).toBe(v2.outputs['release-id']);
      expect(report.failures).toEqual([]);
      expect(report.bodies['v1'] ?? 0).toBeGreaterThan(0);
      expect(await service(`${stack}_app`, '{{.Spec.TaskTemplate.ContainerSpec.Image}}')).toContain(
        lab.images.app_v1,
      );
      expect(readRemote(dir, '.releases/current').trim()).toBe(v1.outputs['release-id']);
    });

    it('runs migrate-service once as a job before the update; it never becomes a service of the stack', async () => {
      const run = await deploy(dir, stack, {
        'source-dir': bundle(lab.images.app_v2, 'APP_MESSAGE=migrated\n'),
        'migrate-service': 'migrate',
      });
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(
        new RegExp(
          `migration: running migrate \\(${lab.images.migrator}\\) once as ${stack}_migrate-[0-9a-f]{8}`,
        ),
      );
      expect(run.stdout.indexOf('migration migrate done')).toBeLessThan(
        run.stdout.indexOf('$ docker stack deploy'),
      );
      const services = await dockerAsRoot([
        'service',
        'ls',
        '--format',
        '{{.Name}}',
        '--filter',
        `label=com.docker.stack.namespace=${stack}`,
      ]);
      expect(services.stdout.split('\n').filter(Boolean).sort()).toEqual([`${stack}_app`, `${stack}_proxy`]);
      expect(await service(`${stack}_app`, '{{json .Spec.TaskTemplate.ContainerSpec.Env}}')).toMatch(
        /APP_MESSAGE=migrated/,
      );
    });

    it('stops at a failed migration with its output; the stack and the current release are unchanged', async () => {
      const current = readRemote(dir, '.releases/current').trim();
      const spec = await service(`${stack}_app`, '{{json .Spec}}');
      const run = await deploy(dir, stack, {
        'source-dir': bundle(lab.images.app_v1, 'MIGRATE_FAIL=true\n'),
        'migrate-service': 'migrate',
      });
      expect(run.exitCode).toBe(1);
      expect(run.outputs['error-code']).toBe('swarm-migration-failed');
      expect(run.stderr + run.stdout).toMatch(/migration failed \(MIGRATE_FAIL=true\)/);
      expect(run.outputs['rolled-back']).toBe('false');
      expect(JSON.parse(run.outputs['hosts']!)[0]).toMatchObject({ status: 'failed', running: current });
      expect(await service(`${stack}_app`, '{{json .Spec}}')).toBe(spec);
      expect(readRemote(dir, '.releases/current').trim()).toBe(current);
      // The files are the current release's again: its release.env, not the failed one's.
      expect(readRemote(dir, 'release.env')).not.toContain('MIGRATE_FAIL=true');
      const jobs = await dockerAsRoot(['service', 'ls', '-q', '--filter', `name=${stack}_migrate`]);
      expect(jobs.stdout.trim()).toBe('');
    });

    it('refuses to deploy while another run holds the lock; the stack is unchanged', async () => {
      const lock = join(dir, '.releases/.lock');
      mkdirSync(lock);
      writeFileSync(join(lock, 'owner.json'), JSON.stringify({ id: 'other', run: '42/1', actor: 'someone' }));
      execFileSync('chown', ['-R', `${lab.user}:${lab.user}`, lock]);
      const spec = await service(`${stack}_app`, '{{json .Spec}}');
      const run = await deploy(dir, stack, { 'source-dir': bundle(lab.images.app_v2), 'lock-timeout': '1s' });
      expect(run.exitCode).toBe(1);
      expect(run.outputs['error-code']).toBe('lock-timeout');
      expect(await service(`${stack}_app`, '{{json .Spec}}')).toBe(spec);
      expect(existsSync(join(lock, 'owner.json'))).toBe(true);
      rmSync(lock, { recursive: true });
    });
  });

  it('refuses inputs that do not apply to a stack deploy, naming each, before connecting', async () => {
    const dir = prepareRemoteDir(lab, {});
    dirs.push(dir);
    const run = await runAction('ssh-deploy', {
      inputs: {
        ...connection,
        'remote-dir': dir,
        'source-dir': bundle(lab.images.app_v1),
        strategy: 'swarm',
        'services-first': 'db',
        'rolling-services': 'app',
      },
      timeoutMs: 60_000,
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('invalid-input');
    const text = run.stderr + run.stdout;
    expect(text).toMatch(/services-first.*does not apply with strategy: swarm/);
    expect(text).toMatch(/rolling-services.*applies only with strategy: rolling/);
    expect(text).toMatch(/project-name.*is required with strategy: swarm/);
    expect(existsSync(join(dir, '.releases'))).toBe(false);
  });
});
