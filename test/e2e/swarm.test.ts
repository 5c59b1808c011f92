import { jest } from '@jest/globals';
import { request } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { RecordingLogger } from '@deploy-actions/action-kit';
import {
  composeInvocation,
  swarmDeploy,
  swarmRollback,
  SwarmDeployError,
  stackFileFromConfig,
  type SwarmConfigJson,
  type SwarmDeployOptions,
  type SwarmExec,
} from '@deploy-actions/deploy';
import type { SshConnection } from '@deploy-actions/ssh';
import { cleanUp, connectAsDeploy, prepareRemoteDir, uniqueProject } from '../fixtures/ssh-deploy/helpers.js';
import { CADDYFILE, freeLoopbackPort, startLoad } from '../fixtures/http-load.js';
import { ensureSwarmManager, removeStacks, swarmStackCompose } from '../fixtures/swarm.js';
import { describeWithLab, dockerAsRoot, freshRemoteDir, type Lab } from '../lab/lab.js';

// The swarm engine (packages/deploy/src/swarm.ts) against the lab's real Docker engine as a
// single-node swarm, over SSH as the deploy user. Opt-in: this file makes the engine a swarm
// manager when it is not one (`docker swarm init --advertise-addr 127.0.0.1`) and leaves the
// swarm active (Compose suites are unaffected). The kernel has no IPVS, so the routing mesh
// and VIPs carry no traffic: the lab's Caddy is published in `mode: host` and the app runs
// with `endpoint_mode: dnsrr` (Caddy follows Docker's DNS for `app`).
jest.setTimeout(300_000);

const COMPOSE = swarmStackCompose({ healthPath: '/api/ready' });

/** Until GET /version answers `body` three times in a row (at most 30 s). */
async function waitServing(port: number, body: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let inARow = 0;
  let last = '';
  while (Date.now() < deadline) {
    last = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/version', agent: false }, (res) => {
        let b = '';
        res.setEncoding('utf8').on('data', (d: string) => (b += d));
        res.on('end', () => resolve(`${res.statusCode} ${b}`));
      });
      req.setTimeout(2000, () => req.destroy(new Error('timeout')));
      req.on('error', (e) => resolve(e.message));
      req.end();
    });
    inARow = last === `200 ${body}` ? inARow + 1 : 0;
    if (inARow >= 3) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`127.0.0.1:${port} did not serve '${body}' within 30 s (last: ${last})`);
}

describeWithLab('swarm deploy on a single-node swarm (over SSH, behind Caddy)', (lab: Lab) => {
  const stacks: string[] = [];
  const dirs: string[] = [];
  let conn: SshConnection;

  beforeAll(async () => {
    await ensureSwarmManager('swarm.test');
    conn = await connectAsDeploy(lab);
  });

  afterAll(async () => {
    await removeStacks(stacks);
    await conn?.close();
    await cleanUp(lab, [], dirs);
  });

  const exec: SwarmExec = (argv, o) => conn.exec(argv, o);

  async function writeRemote(dir: string, name: string, content: string): Promise<void> {
    const result = await conn.exec(['sh', '-c', 'cat > "$1"', 'sh', `${dir}/${name}`], { stdin: content });
    if (result.code !== 0) throw new Error(`writing ${name}: ${result.stderr}`);
  }

  async function serviceImage(name: string): Promise<string> {
    const r = await dockerAsRoot([
      'service',
      'inspect',
      '--format',
      '{{.Spec.TaskTemplate.ContainerSpec.Image}}',
      name,
    ]);
    return r.stdout.trim();
  }

  async function serviceEnv(name: string): Promise<string> {
    const r = await dockerAsRoot([
      'service',
      'inspect',
      '--format',
      '{{json .Spec.TaskTemplate.ContainerSpec.Env}}',
      name,
    ]);
    return r.stdout.trim();
  }

  interface Stack {
    name: string;
    dir: string;
    port: number;
    env(extra: string): Promise<void>;
    options(file: string, extra?: Partial<SwarmDeployOptions>): SwarmDeployOptions;
  }

  async function newStack(): Promise<Stack> {
    const name = uniqueProject('swarm');
    const dir = prepareRemoteDir(lab, {}, freshRemoteDir(lab, 'swarm'));
    stacks.push(name);
    dirs.push(dir);
    const port = await freeLoopbackPort();
    await writeRemote(dir, 'compose.yml', COMPOSE);
    await writeRemote(dir, 'Caddyfile', CADDYFILE);
    const env = (extra: string): Promise<void> =>
      writeRemote(
        dir,
        '.env',
        `PROXY_IMAGE=${lab.images.caddy}\nPROXY_PORT=${port}\nMIGRATOR_IMAGE=${lab.images.migrator}\n${extra}`,
      );
    const options = (file: string, extra: Partial<SwarmDeployOptions> = {}): SwarmDeployOptions => ({
      stack: name,
      cwd: dir,
      source: {
        compose: composeInvocation({
          flavour: 'v2',
          projectName: name,
          files: ['compose.yml'],
          envFiles: ['.env'],
        }),
      },
      stackFileName: file,
      timeoutMs: 120_000,
      migrateTimeoutMs: 60_000,
      pollIntervalMs: 500,
      host: lab.sshHost,
      log: new RecordingLogger(),
      ...extra,
    });
    return { name, dir, port, env, options };
  }

  let shared: Stack | undefined;

  it('deploys v1, then rolls to v2 start-first under 50 requests/s without a failed request', async () => {
    const stack = await newStack();
    shared = stack;
    await stack.env(`APP_IMAGE=${lab.images.app_v1}\n`);
    const first = await swarmDeploy(exec, stack.options('stack-v1.json'));
    expect(first.services.map((s) => [s.service, s.updateState]).sort()).toEqual([
      ['app', 'created'],
      ['proxy', 'created'],
    ]);
    // The proxy has no healthcheck and does not update start-first: checkSwarmStack says so.
    expect(first.warnings.join('\n')).toMatch(/service 'proxy' has no healthcheck/);
    expect(first.warnings.join('\n')).not.toMatch(/service 'app'/);
    await waitServing(stack.port, 'v1');

    await stack.env(`APP_IMAGE=${lab.images.app_v2}\n`);
    const load = startLoad(stack.port);
    const second = await swarmDeploy(exec, stack.options('stack-v2.json'));
    const report = await load.stop();

    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.sent).toBeGreaterThan(100);
    expect(report.bodies.v1).toBeGreaterThan(0);
    expect(report.bodies.v2).toBeGreaterThan(0);
    const app = second.services.find((s) => s.service === 'app')!;
    expect(app).toMatchObject({
      swarmService: `${stack.name}_app`,
      replicas: 3,
      running: 3,
      updateState: 'completed',
    });
    expect(app.image).toContain(lab.images.app_v2);
    expect(second.services.find((s) => s.service === 'proxy')).toMatchObject({
      updateState: 'unchanged',
      running: 1,
    });
    expect(second.stackFile).toBe(`${stack.dir}/stack-v2.json`);
    expect(await serviceImage(`${stack.name}_app`)).toContain(lab.images.app_v2);
    // The stack file holds the interpolated values: only the deploy user may read it.
    const mode = await conn.exec(['stat', '-c', '%a', second.stackFile]);
    expect(mode.stdout.trim()).toBe('600');
  });

  it('a v3 that never becomes healthy is rolled back by swarm; swarmDeploy names the service and the reason; v2 serves', async () => {
    if (!shared) throw new Error('needs the stack of the test before');
    const stack = shared;
    await stack.env(`APP_IMAGE=${lab.images.app_v2}\nAPP_READY=false\nAPP_MESSAGE=v3\n`);
    const load = startLoad(stack.port);
    const error = await swarmDeploy(exec, stack.options('stack-v3.json')).catch((e: unknown) => e);
    const report = await load.stop();

    expect(error).toBeInstanceOf(SwarmDeployError);
    expect(error).toMatchObject({ code: 'swarm-rolled-back', step: 'converge', service: 'app' });
    expect((error as Error).message).toMatch(
      new RegExp(`service 'app' \\(${stack.name}_app\\): update rollback_completed: .*(rollback|failure)`),
    );
    expect((error as Error).message).toMatch(/rolled the service\(s\) back/);
    // The reason swarm replaces by 'rollback completed': the failed task and its last healthcheck.
    expect((error as Error).message).toMatch(
      /failure or early termination of task \w+; task \w+ .*its healthcheck exited 1: .*404/,
    );
    expect((error as SwarmDeployError).services.find((s) => s.service === 'app')).toMatchObject({
      updateState: 'rollback_completed',
    });
    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    // Swarm put the v2 spec back (APP_READY=true, no message) and v2 answers again.
    expect(await serviceEnv(`${stack.name}_app`)).toMatch(/APP_READY=true/);
    await waitServing(stack.port, 'v2');
    const after = startLoad(stack.port, 20);
    await new Promise((r) => setTimeout(r, 1000));
    const served = await after.stop();
    expect(served).toMatchObject({ failed: 0, bodies: { v2: served.sent } });
  });

  it('swarmRollback redeploys the recorded v1 stack file, stack-wide, without a failed request', async () => {
    if (!shared) throw new Error('needs the stack of the tests before');
    const stack = shared;
    const load = startLoad(stack.port);
    const result = await swarmRollback(exec, {
      stack: stack.name,
      stackFile: `${stack.dir}/stack-v1.json`,
      cwd: stack.dir,
      timeoutMs: 120_000,
      pollIntervalMs: 500,
      host: lab.sshHost,
    });
    const report = await load.stop();
    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(result.services.find((s) => s.service === 'app')).toMatchObject({
      updateState: 'completed',
      running: 3,
    });
    expect(await serviceImage(`${stack.name}_app`)).toContain(lab.images.app_v1);
    await waitServing(stack.port, 'v1');
  });

  it('runs the migration as a one-off job on the stack network before the update, and removes the job', async () => {
    if (!shared) throw new Error('needs the stack of the tests before');
    const stack = shared;
    await stack.env(`APP_IMAGE=${lab.images.app_v2}\nAPP_MESSAGE=migrated\n`);
    const result = await swarmDeploy(exec, stack.options('stack-v4.json', { migrateService: 'migrate' }));
    expect(result.migration).toMatchObject({ service: 'migrate', image: lab.images.migrator });
    expect(result.migration!.output).toMatch(/migrated/);
    expect(result.migration!.jobService).toMatch(new RegExp(`^${stack.name}_migrate-[0-9a-f]{8}$`));
    expect(result.services.find((s) => s.service === 'app')).toMatchObject({
      updateState: 'completed',
      running: 3,
    });
    // The job is gone, and the migrator never became a service of the stack.
    const services = await dockerAsRoot([
      'service',
      'ls',
      '--format',
      '{{.Name}}',
      '--filter',
      `name=${stack.name}_`,
    ]);
    expect(services.stdout.split('\n').filter(Boolean).sort()).toEqual([
      `${stack.name}_app`,
      `${stack.name}_proxy`,
    ]);
    await waitServing(stack.port, 'v2 migrated');
  });

  it('a failed migration stops the deploy with its output; the stack is not updated', async () => {
    if (!shared) throw new Error('needs the stack of the tests before');
    const stack = shared;
    const before = await dockerAsRoot([
      'service',
      'inspect',
      '--format',
      '{{json .Spec}}',
      `${stack.name}_app`,
    ]);
    await stack.env(`APP_IMAGE=${lab.images.app_v1}\nMIGRATE_FAIL=true\n`);
    const error = await swarmDeploy(
      exec,
      stack.options('stack-v5.json', { migrateService: 'migrate' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwarmDeployError);
    expect(error).toMatchObject({ code: 'swarm-migration-failed', step: 'migrate', service: 'migrate' });
    expect((error as Error).message).toMatch(/migration \(migrate\) failed: task failed with exit code 1/);
    expect((error as Error).message).toMatch(/migration failed \(MIGRATE_FAIL=true\)/);
    expect((error as Error).message).toMatch(/The stack was not changed/);
    const after = await dockerAsRoot([
      'service',
      'inspect',
      '--format',
      '{{json .Spec}}',
      `${stack.name}_app`,
    ]);
    expect(after.stdout).toBe(before.stdout);
    const jobs = await dockerAsRoot(['service', 'ls', '-q', '--filter', `name=${stack.name}_migrate`]);
    expect(jobs.stdout.trim()).toBe('');
    await waitServing(stack.port, 'v2 migrated');
  });

  it("makes compose's config of a stack with compose-only keys into a file docker stack config accepts", async () => {
    const name = uniqueProject('swarm-schema');
    const dir = prepareRemoteDir(lab, {}, freshRemoteDir(lab, 'swarm'));
    dirs.push(dir);
    await writeRemote(
      dir,
      'compose.yml',
      `services:
  db:
    image: ${lab.images.db}
  app:
    image: ${lab.images.app_v1}
    pull_policy: always
    depends_on:
      db:
        condition: service_healthy
    ports:
      - "127.0.0.1:18089:8080"
    volumes:
      - ./data:/data
    healthcheck:
      test: ["CMD", "true"]
      start_interval: 1s
      start_period: 5s
`,
    );
    const compose = composeInvocation({
      flavour: 'v2',
      projectName: name,
      files: ['compose.yml'],
      envFiles: [],
    });
    const rendered = await conn.exec(compose.argv('config', '--format', 'json'), { cwd: dir });
    expect(rendered.code).toBe(0);
    // Compose's own output is refused by swarm's schema ...
    await writeRemote(dir, 'raw.json', rendered.stdout);
    const raw = await conn.exec(['docker', 'stack', 'config', '-c', 'raw.json'], { cwd: dir });
    expect(raw.code).not.toBe(0);
    // ... the stack file is accepted, with the same image, ports and mounts.
    const { content, dropped } = stackFileFromConfig(JSON.parse(rendered.stdout) as SwarmConfigJson);
    await writeRemote(dir, 'stack.json', content);
    const checked = await conn.exec(['docker', 'stack', 'config', '-c', 'stack.json'], { cwd: dir });
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(0);
    const parsed = parseYaml(checked.stdout) as { services: Record<string, Record<string, unknown>> };
    expect(parsed.services.app).toMatchObject({
      image: lab.images.app_v1,
      ports: [{ target: 8080, published: 18089, mode: 'ingress' }],
      volumes: [{ type: 'bind', source: `${dir}/data`, target: '/data' }],
    });
    expect(dropped).toEqual(['services.app.ports.host_ip (127.0.0.1: swarm publishes on every address)']);
  });

  it('refuses a rendered stack with a build-only service or a relative bind mount before anything changes', async () => {
    const name = uniqueProject('swarm-bad');
    const dir = prepareRemoteDir(lab, {}, freshRemoteDir(lab, 'swarm'));
    dirs.push(dir);
    await writeRemote(
      dir,
      'rendered.yml',
      `services:
  web:
    build: .
  app:
    image: ${lab.images.app_v1}
    volumes:
      - ./data:/data
`,
    );
    const error = await swarmDeploy(exec, {
      stack: name,
      cwd: dir,
      source: { renderedFile: `${dir}/rendered.yml` },
      host: lab.sshHost,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'swarm-stack-invalid', step: 'render', service: 'web' });
    expect((error as Error).message).toMatch(/service 'web' has build: but no image/);
    expect((error as Error).message).toMatch(/service 'app' bind-mounts the relative path '.\/data'/);
    const services = await dockerAsRoot([
      'service',
      'ls',
      '-q',
      '--filter',
      `label=com.docker.stack.namespace=${name}`,
    ]);
    expect(services.stdout.trim()).toBe('');
    const file = await conn.exec(['test', '-e', `${dir}/stack.swarm.json`]);
    expect(file.code).not.toBe(0);
  });
});
