import { jest } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { RecordingLogger, UserError } from '@deploy-actions/action-kit';
import {
  checkRollable,
  composeInvocation,
  rollingUpdate,
  RollingUpdateError,
  type ComposeConfigJson,
  type RollingExec,
} from '@deploy-actions/deploy';
import type { SshConnection } from '@deploy-actions/ssh';
import { cleanUp, connectAsDeploy, prepareRemoteDir, uniqueProject } from '../fixtures/ssh-deploy/helpers.js';
import { CADDYFILE, caddyfile, freeLoopbackPort, startLoad } from '../fixtures/http-load.js';
import { describeWithLab, dockerAsRoot, freshRemoteDir, type Lab } from '../lab/lab.js';

// The zero-downtime engine (packages/deploy/src/rolling.ts) against the lab's real Docker
// and Compose v2, over SSH, with the lab's Caddy proxy in front of the lab app and a steady
// load of ~50 requests/s on loopback while it rolls (Compose v2), and one roll with
// docker-compose v1 (no proxy, no load) to show the same engine drives it.
jest.setTimeout(240_000);

const COMPOSE = `services:
  proxy:
    image: \${PROXY_IMAGE}
    ports:
      - "127.0.0.1:\${PROXY_PORT}:80"
    volumes:
      - ./Caddyfile:/etc/caddy/Caddyfile:ro
  app:
    image: \${APP_IMAGE}
    environment:
      APP_READY: \${APP_READY:-true}
      APP_MESSAGE: \${APP_MESSAGE:-}
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/api/ready"]
      interval: 1s
      timeout: 2s
      retries: 2
    stop_grace_period: 5s
`;

// Two rolled services behind one Caddy (app on :80, api on :81), with different stop grace
// periods: they roll together (one compose call, one wait, one stop of both).
const COMPOSE_TWO = `services:
  proxy:
    image: \${PROXY_IMAGE}
    ports:
      - "127.0.0.1:\${PROXY_PORT}:80"
      - "127.0.0.1:\${API_PORT}:81"
    volumes:
      - ./Caddyfile:/etc/caddy/Caddyfile:ro
  app:
    image: \${APP_IMAGE}
    environment:
      APP_MESSAGE: app
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/api/ready"]
      interval: 1s
      timeout: 2s
      retries: 2
    stop_grace_period: 5s
  api:
    image: \${API_IMAGE}
    environment:
      APP_READY: \${API_READY:-true}
      APP_MESSAGE: api
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/api/ready"]
      interval: 1s
      timeout: 2s
      retries: 2
    stop_grace_period: 3s
`;

describeWithLab('rolling update behind a proxy (Compose v2)', (lab: Lab) => {
  const projects: string[] = [];
  const dirs: string[] = [];
  let conn: SshConnection;

  beforeAll(async () => {
    conn = await connectAsDeploy(lab);
  });
  afterAll(async () => {
    await conn?.close();
    await cleanUp(lab, projects, dirs);
  });

  const exec: RollingExec = (argv, o) => conn.exec(argv, o);

  async function remote(argv: string[], cwd: string): Promise<string> {
    const result = await conn.exec(argv, { cwd });
    if (result.code !== 0) throw new Error(`${argv.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  }

  async function writeRemote(dir: string, name: string, content: string): Promise<void> {
    const result = await conn.exec(['sh', '-c', 'cat > "$1"', 'sh', `${dir}/${name}`], { stdin: content });
    if (result.code !== 0) throw new Error(`writing ${name}: ${result.stderr}`);
  }

  /** A stack of its own: the proxy on a free loopback port in front of app v1, running and answering. */
  async function newStack(): Promise<{
    dir: string;
    project: string;
    port: number;
    env: (e: string) => Promise<void>;
  }> {
    const project = uniqueProject('rolling');
    const dir = prepareRemoteDir(lab, {}, freshRemoteDir(lab, 'rolling'));
    projects.push(project);
    dirs.push(dir);
    const port = await freeLoopbackPort();
    // The lab's proxy image (test/lab/up.sh builds it from Debian's caddy package).
    const caddy = lab.images.caddy;
    const env = (extra: string): Promise<void> =>
      writeRemote(dir, '.env', `PROXY_IMAGE=${caddy}\nPROXY_PORT=${port}\n${extra}`);
    await writeRemote(dir, 'compose.yml', COMPOSE);
    await writeRemote(dir, 'Caddyfile', CADDYFILE);
    await env(`APP_IMAGE=${lab.images.app_v1}\n`);
    await remote(['docker', 'compose', '-p', project, 'up', '-d', '--wait'], dir);
    const load = startLoad(port, 20);
    await new Promise((r) => setTimeout(r, 1000));
    const warm = await load.stop();
    expect(warm).toMatchObject({ failed: 0, bodies: { v1: warm.sent } });
    return { dir, project, port, env };
  }

  async function config(dir: string, project: string): Promise<ComposeConfigJson> {
    return JSON.parse(
      await remote(['docker', 'compose', '-p', project, 'config', '--format', 'json'], dir),
    ) as ComposeConfigJson;
  }

  async function appContainers(project: string): Promise<string[]> {
    const result = await dockerAsRoot([
      'ps',
      '-aq',
      '--no-trunc',
      '--filter',
      `label=com.docker.compose.project=${project}`,
      '--filter',
      'label=com.docker.compose.service=app',
    ]);
    return result.stdout.split(/\s+/).filter(Boolean).sort();
  }

  function options(stack: { dir: string; project: string }, cfg: ComposeConfigJson, log: RecordingLogger) {
    const selection = checkRollable(cfg);
    return {
      compose: composeInvocation({
        flavour: 'v2',
        projectName: stack.project,
        files: ['compose.yml'],
        envFiles: [],
      }),
      project: selection.project ?? stack.project,
      cwd: stack.dir,
      services: selection.services,
      healthTimeoutMs: 60_000,
      drainMs: 2000,
      host: lab.sshHost,
      log,
    };
  }

  let shared: { dir: string; project: string; port: number; env: (e: string) => Promise<void> } | undefined;
  let v2Containers: string[] = [];

  it('rolls app v1 to v2 behind Caddy under 50 requests/s without a failed request', async () => {
    const stack = await newStack();
    shared = stack;
    const before = await appContainers(stack.project);
    await stack.env(`APP_IMAGE=${lab.images.app_v2}\n`);
    const cfg = await config(stack.dir, stack.project);
    // The default selection: the app (healthcheck, no host port); the proxy publishes a port.
    const opts = options(stack, cfg, new RecordingLogger());
    expect(opts.services.map((s) => s.name)).toEqual(['app']);

    const load = startLoad(stack.port);
    const rolled = await rollingUpdate(exec, opts);
    const report = await load.stop();

    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.sent).toBeGreaterThan(100);
    expect(report.bodies.v1).toBeGreaterThan(0);
    expect(report.bodies.v2).toBeGreaterThan(0);
    expect(rolled).toHaveLength(1);
    expect(rolled[0]!.oldContainers).toEqual(before);
    v2Containers = await appContainers(stack.project);
    expect(v2Containers).toEqual([...rolled[0]!.newContainers].sort());
    expect(v2Containers.some((id) => before.includes(id))).toBe(false);
    const image = await dockerAsRoot(['inspect', '-f', '{{.Config.Image}}', ...v2Containers]);
    expect(image.stdout.trim()).toBe(lab.images.app_v2);
  });

  it('fails a v3 that never becomes healthy, removes its containers and leaves v2 serving without a failed request', async () => {
    if (!shared) throw new Error('needs the v2 stack of the test before');
    const stack = shared;
    await stack.env(`APP_IMAGE=${lab.images.app_v2}\nAPP_READY=false\nAPP_MESSAGE=v3\n`);
    const cfg = await config(stack.dir, stack.project);
    const log = new RecordingLogger();

    const load = startLoad(stack.port);
    const error = await rollingUpdate(exec, options(stack, cfg, log)).catch((e: unknown) => e);
    const report = await load.stop();

    expect(error).toBeInstanceOf(RollingUpdateError);
    expect(error).toMatchObject({
      code: 'rolling-unhealthy',
      service: 'app',
      step: 'wait-healthy',
      undone: true,
    });
    expect((error as Error).message).toMatch(
      /service 'app' failed at step wait-healthy: new container \w+ is unhealthy/,
    );
    expect((error as Error).message).toMatch(/new containers were removed/);
    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(await appContainers(stack.project)).toEqual(v2Containers);
    const after = startLoad(stack.port, 20);
    await new Promise((r) => setTimeout(r, 1000));
    const served = await after.stop();
    expect(served).toMatchObject({ failed: 0, bodies: { v2: served.sent } });
  });

  it('with isolateUntilHealthy, a v3 that never becomes healthy answers no request at all', async () => {
    if (!shared) throw new Error('needs the v2 stack of the tests before');
    const stack = shared;
    await stack.env(`APP_IMAGE=${lab.images.app_v2}\nAPP_READY=false\nAPP_MESSAGE=v3\n`);
    const cfg = await config(stack.dir, stack.project);

    const load = startLoad(stack.port);
    const error = await rollingUpdate(exec, {
      ...options(stack, cfg, new RecordingLogger()),
      isolateUntilHealthy: true,
    }).catch((e: unknown) => e);
    const report = await load.stop();

    expect(error).toMatchObject({ code: 'rolling-unhealthy', step: 'wait-healthy', undone: true });
    expect(report.failures).toEqual([]);
    // Without isolation Caddy sends the starting v3 its share (see the test before); here none.
    expect(report.bodies).toEqual({ v2: report.sent });
    expect(await appContainers(stack.project)).toEqual(v2Containers);
  });

  it('with isolateUntilHealthy, rolls v2 to a healthy v4 without a failed request', async () => {
    if (!shared) throw new Error('needs the v2 stack of the tests before');
    const stack = shared;
    await stack.env(`APP_IMAGE=${lab.images.app_v2}\nAPP_MESSAGE=v4\n`);
    const cfg = await config(stack.dir, stack.project);

    const load = startLoad(stack.port);
    const [rolled] = await rollingUpdate(exec, {
      ...options(stack, cfg, new RecordingLogger()),
      isolateUntilHealthy: true,
    });
    const report = await load.stop();

    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.bodies['v2 v4']).toBeGreaterThan(0);
    expect(rolled!.oldContainers).toEqual(v2Containers);
    expect(await appContainers(stack.project)).toEqual([...rolled!.newContainers].sort());
    const after = startLoad(stack.port, 20);
    await new Promise((r) => setTimeout(r, 1500));
    const served = await after.stop();
    expect(served).toMatchObject({ failed: 0, bodies: { 'v2 v4': served.sent } });
  });

  it('refuses services with a fixed host port or a container_name, naming each and why, before anything runs', async () => {
    const project = uniqueProject('rolling-refused');
    const dir = prepareRemoteDir(lab, {}, freshRemoteDir(lab, 'rolling'));
    projects.push(project);
    dirs.push(dir);
    await writeRemote(
      dir,
      'compose.yml',
      `services:
  web:
    image: ${lab.images.app_v1}
    ports: ["127.0.0.1:18080:8080"]
  worker:
    image: ${lab.images.app_v1}
    container_name: ${project}-the-worker
  app:
    image: ${lab.images.app_v1}
`,
    );
    const cfg = await config(dir, project);
    const error = (() => {
      try {
        checkRollable(cfg, ['web', 'worker', 'app']);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('not-rollable');
    expect((error as Error).message).toMatch(/service 'web' cannot be rolled: it publishes host port 18080/);
    expect((error as Error).message).toMatch(/service 'worker' cannot be rolled: it sets container_name/);
    expect((error as Error).message).not.toMatch(/'app'/);
    // By default those two are left out, with the reason.
    const selection = checkRollable(cfg);
    expect(selection.services).toEqual([]);
    expect(selection.skipped.map((s) => s.service).sort()).toEqual(['app', 'web', 'worker']);
    expect(await appContainers(project)).toEqual([]);
  });

  it('refuses a service with no healthcheck in the compose file or its image before starting anything', async () => {
    const project = uniqueProject('rolling-nohc');
    const dir = prepareRemoteDir(lab, {}, freshRemoteDir(lab, 'rolling'));
    projects.push(project);
    dirs.push(dir);
    await writeRemote(
      dir,
      'compose.yml',
      `services:
  app:
    image: ${lab.images.busybox}
    command: ["sleep", "600"]
`,
    );
    await remote(['docker', 'compose', '-p', project, 'up', '-d'], dir);
    const before = await appContainers(project);
    const cfg = await config(dir, project);
    const selection = checkRollable(cfg, ['app']);
    const error = await rollingUpdate(exec, {
      ...options({ dir, project }, cfg, new RecordingLogger()),
      services: selection.services,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'not-rollable', service: 'app' });
    expect((error as Error).message).toMatch(/no healthcheck, neither in the compose file nor in its image/);
    expect((error as Error).message).toMatch(/Nothing was changed/);
    expect(await appContainers(project)).toEqual(before);
  });

  async function containersOf(project: string, service: string): Promise<string[]> {
    const result = await dockerAsRoot([
      'ps',
      '-aq',
      '--no-trunc',
      '--filter',
      `label=com.docker.compose.project=${project}`,
      '--filter',
      `label=com.docker.compose.service=${service}`,
    ]);
    return result.stdout.split(/\s+/).filter(Boolean).sort();
  }

  let two:
    | { dir: string; project: string; appPort: number; apiPort: number; env: (e: string) => Promise<void> }
    | undefined;
  const twoV2: { app: string[]; api: string[] } = { app: [], api: [] };

  /** Loads on both services through the proxy at once. */
  function loadBoth(stack: { appPort: number; apiPort: number }, rate = 50) {
    const app = startLoad(stack.appPort, rate);
    const api = startLoad(stack.apiPort, rate);
    return { stop: async () => ({ app: await app.stop(), api: await api.stop() }) };
  }

  it('rolls two services together, v1 to v2 behind Caddy, without a failed request on either', async () => {
    const project = uniqueProject('rollmulti');
    const dir = prepareRemoteDir(lab, {}, freshRemoteDir(lab, 'rollmulti'));
    projects.push(project);
    dirs.push(dir);
    const appPort = await freeLoopbackPort();
    const apiPort = await freeLoopbackPort();
    const env = (extra: string): Promise<void> =>
      writeRemote(
        dir,
        '.env',
        `PROXY_IMAGE=${lab.images.caddy}\nPROXY_PORT=${appPort}\nAPI_PORT=${apiPort}\n${extra}`,
      );
    await writeRemote(dir, 'compose.yml', COMPOSE_TWO);
    await writeRemote(dir, 'Caddyfile', caddyfile({ 80: 'app', 81: 'api' }));
    await env(`APP_IMAGE=${lab.images.app_v1}\nAPI_IMAGE=${lab.images.app_v1}\n`);
    await remote(['docker', 'compose', '-p', project, 'up', '-d', '--wait'], dir);
    const stack = { dir, project, appPort, apiPort, env };
    two = stack;
    const warm = loadBoth(stack, 20);
    await new Promise((r) => setTimeout(r, 1000));
    const warmed = await warm.stop();
    expect(warmed.app).toMatchObject({ failed: 0, bodies: { 'v1 app': warmed.app.sent } });
    expect(warmed.api).toMatchObject({ failed: 0, bodies: { 'v1 api': warmed.api.sent } });
    const before = { app: await containersOf(project, 'app'), api: await containersOf(project, 'api') };

    await env(`APP_IMAGE=${lab.images.app_v2}\nAPI_IMAGE=${lab.images.app_v2}\n`);
    const log = new RecordingLogger();
    const opts = options(stack, await config(dir, project), log);
    expect(opts.services.map((s) => s.name).sort()).toEqual(['api', 'app']);

    const load = loadBoth(stack);
    const rolled = await rollingUpdate(exec, opts);
    const report = await load.stop();

    for (const [service, r] of Object.entries(report)) {
      expect({ service, failures: r.failures, failed: r.failed }).toEqual({
        service,
        failures: [],
        failed: 0,
      });
      expect(r.sent).toBeGreaterThan(100);
      expect(r.bodies[`v1 ${service}`]).toBeGreaterThan(0);
      expect(r.bodies[`v2 ${service}`]).toBeGreaterThan(0);
    }
    expect(rolled.map((r) => r.service).sort()).toEqual(['api', 'app']);
    // One compose call started the new containers of both; one exec stopped the old ones of both.
    const ups = log.lines.filter((l) => / up -d /.test(l));
    expect(ups).toHaveLength(1);
    expect(ups[0]).toMatch(/--scale app=2/);
    expect(ups[0]).toMatch(/--scale api=2/);
    expect(log.lines.filter((l) => /\$ docker stop -t 5 /.test(l))).toHaveLength(1);
    expect(log.lines.filter((l) => /\$ docker stop -t 3 /.test(l))).toHaveLength(1);
    for (const service of ['app', 'api'] as const) {
      const r = rolled.find((x) => x.service === service)!;
      expect(r.oldContainers).toEqual(before[service]);
      const now = await containersOf(project, service);
      expect(now).toEqual([...r.newContainers].sort());
      expect(now.some((id) => before[service].includes(id))).toBe(false);
      const image = await dockerAsRoot(['inspect', '-f', '{{.Config.Image}}', ...now]);
      expect(image.stdout.trim()).toBe(lab.images.app_v2);
      expect(log.lines.some((l) => l.includes(`rolling ${service}: done in`))).toBe(true);
      twoV2[service] = now;
    }
  });

  it('when one of two services never becomes healthy, removes the new containers of both and both keep serving v2', async () => {
    if (!two) throw new Error('needs the two-service stack of the test before');
    const stack = two;
    // app would roll fine (v1 is healthy); api's new container never gets ready.
    await stack.env(`APP_IMAGE=${lab.images.app_v1}\nAPI_IMAGE=${lab.images.app_v2}\nAPI_READY=false\n`);
    const cfg = await config(stack.dir, stack.project);

    const load = loadBoth(stack);
    const error = await rollingUpdate(exec, options(stack, cfg, new RecordingLogger())).catch(
      (e: unknown) => e,
    );
    const report = await load.stop();

    expect(error).toBeInstanceOf(RollingUpdateError);
    expect(error).toMatchObject({
      code: 'rolling-unhealthy',
      service: 'api',
      services: ['api'],
      step: 'wait-healthy',
      undone: true,
    });
    expect((error as Error).message).toMatch(
      /service 'api' failed at step wait-healthy: new container \w+ of api is unhealthy/,
    );
    expect((error as Error).message).toMatch(/new containers were removed/);
    for (const [service, r] of Object.entries(report)) {
      expect({ service, failures: r.failures, failed: r.failed }).toEqual({
        service,
        failures: [],
        failed: 0,
      });
    }
    expect(await containersOf(stack.project, 'app')).toEqual(twoV2.app);
    expect(await containersOf(stack.project, 'api')).toEqual(twoV2.api);
    const after = loadBoth(stack, 20);
    await new Promise((r) => setTimeout(r, 1500));
    const served = await after.stop();
    expect(served.app).toMatchObject({ failed: 0, bodies: { 'v2 app': served.app.sent } });
    expect(served.api).toMatchObject({ failed: 0, bodies: { 'v2 api': served.api.sent } });
  });

  it('rolls with docker-compose v1 (1.29) too, two services together, reading its YAML config', async () => {
    const project = uniqueProject('rolling-v1');
    const dir = prepareRemoteDir(lab, {}, freshRemoteDir(lab, 'rolling'));
    projects.push(project);
    dirs.push(dir);
    await writeRemote(
      dir,
      'docker-compose.yml',
      `version: "2.4"
services:
  app:
    image: \${APP_IMAGE}
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/api/ready"]
      interval: 1s
      retries: 2
    stop_grace_period: 3s
  api:
    image: \${APP_IMAGE}
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/api/ready"]
      interval: 1s
      retries: 2
    stop_grace_period: 2s
`,
    );
    await writeRemote(dir, '.env', `APP_IMAGE=${lab.images.app_v1}\n`);
    await remote(['docker-compose', '-p', project, 'up', '-d'], dir);
    const before = await appContainers(project);
    const apiBefore = await containersOf(project, 'api');
    await writeRemote(dir, '.env', `APP_IMAGE=${lab.images.app_v2}\n`);
    const cfg = parseYaml(
      await remote(['docker-compose', '-p', project, 'config'], dir),
    ) as ComposeConfigJson;
    const selection = checkRollable(cfg);
    expect(selection.services).toEqual([
      // docker-compose v1 prints the services sorted
      { name: 'api', replicas: 1, stopGraceSeconds: 2, image: lab.images.app_v2, composeHealthcheck: true },
      { name: 'app', replicas: 1, stopGraceSeconds: 3, image: lab.images.app_v2, composeHealthcheck: true },
    ]);
    const [apiRolled, rolled] = await rollingUpdate(exec, {
      compose: composeInvocation({ flavour: 'v1', projectName: project, files: [], envFiles: [] }),
      project,
      cwd: dir,
      services: selection.services,
      drainMs: 500,
      healthTimeoutMs: 60_000,
    });
    expect(rolled!.oldContainers).toEqual(before);
    const after = await appContainers(project);
    expect(after).toEqual(rolled!.newContainers);
    const image = await dockerAsRoot(['inspect', '-f', '{{.Config.Image}}', ...after]);
    expect(image.stdout.trim()).toBe(lab.images.app_v2);
    expect(apiRolled!.oldContainers).toEqual(apiBefore);
    const apiAfter = await containersOf(project, 'api');
    expect(apiAfter).toEqual(apiRolled!.newContainers);
    expect(apiAfter).not.toEqual(apiBefore);
    // compose v1 itself sees one container of each, and a later plain `up -d` leaves them as they are.
    await remote(['docker-compose', '-p', project, 'up', '-d'], dir);
    expect(await appContainers(project)).toEqual(after);
    expect(await containersOf(project, 'api')).toEqual(apiAfter);
  });
});
