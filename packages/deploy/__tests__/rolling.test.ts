import { UserError } from '@deploy-actions/action-kit';
import type { ExecResult } from '@deploy-actions/ssh';
import { composeInvocation } from '../src/compose.js';
import {
  checkRollable,
  parseGoDuration,
  rollingSteps,
  rollingUpdate,
  RollingUpdateError,
  STOP_THEN_REMOVE_MARK,
  STOP_THEN_REMOVE_SCRIPT,
  type ComposeConfigJson,
  type RollingOptions,
  type RollingService,
} from '../src/rolling.js';

// The engine's logic against a small scripted Docker (containers, networks, health); the real
// thing is exercised in test/e2e/rolling.test.ts against the lab.

interface FakeContainer {
  id: string;
  service: string;
  status: 'running' | 'exited';
  health?: 'starting' | 'healthy' | 'unhealthy';
  networks: Record<string, string[]>;
}

class FakeDocker {
  readonly containers = new Map<string, FakeContainer>();
  readonly calls: string[][] = [];
  private next = 1;
  /** Health a new container reports (per service). */
  newHealth: FakeContainer['health'] | 'none' = 'healthy';
  /** argv (joined by spaces) matching this fails with exit 1. */
  failOn?: RegExp;

  add(service: string, health: FakeContainer['health'] | null = 'healthy'): string {
    const id = `${String(this.next++).padStart(2, '0')}${'a'.repeat(62)}`;
    this.containers.set(id, {
      id,
      service,
      status: 'running',
      ...(health ? { health } : {}),
      networks: { p_default: [`p-${service}-${this.next}`, service, id.slice(0, 12)] },
    });
    return id;
  }

  exec = async (argv: readonly string[]): Promise<ExecResult> => {
    if (argv[0] === 'sh' && argv[2] === STOP_THEN_REMOVE_SCRIPT) {
      // stop-old and remove-old in one exec, as the script runs them: rm only after the stop passed.
      const [grace, ...ids] = argv.slice(4);
      const stop = await this.exec(['docker', 'stop', '-t', grace!, ...ids]);
      if (stop.code !== 0) return stop;
      const rm = await this.exec(['docker', 'rm', ...ids]);
      return {
        code: rm.code,
        stdout: `${stop.stdout}${STOP_THEN_REMOVE_MARK}\n${rm.stdout}`,
        stderr: rm.stderr,
      };
    }
    this.calls.push([...argv]);
    const line = argv.join(' ');
    const ok = (stdout = ''): ExecResult => ({ code: 0, stdout, stderr: '' });
    if (this.failOn?.test(line)) return { code: 1, stdout: '', stderr: `scripted failure of ${argv[1]}` };
    const of = (service: string): FakeContainer[] =>
      [...this.containers.values()].filter((c) => c.service === service);
    if (argv[0] === 'docker' && argv[1] === 'compose') {
      const scale = argv[argv.indexOf('--scale') + 1]!;
      const [service, count] = scale.split('=') as [string, string];
      const have = of(service);
      for (let i = have.length; i < Number(count); i++) {
        this.add(service, this.newHealth === 'none' ? null : this.newHealth);
      }
      return ok();
    }
    if (argv[1] === 'ps') {
      const service = argv.find((a) => a.startsWith('label=com.docker.compose.service='))!.split('=')[2]!;
      return ok(
        of(service)
          .map((c) => `${c.id}\n`)
          .join(''),
      );
    }
    if (argv[1] === 'image') return ok('["CMD","true"]');
    if (argv[1] === 'inspect') {
      const out = argv.slice(2).map((id) => {
        const c = this.containers.get(id)!;
        return {
          Id: c.id,
          State: {
            Status: c.status,
            ...(c.health
              ? { Health: { Status: c.health, Log: [{ ExitCode: 1, Output: 'wget: server returned 404' }] } }
              : {}),
          },
          NetworkSettings: {
            Networks: Object.fromEntries(
              Object.entries(c.networks).map(([n, aliases]) => [n, { Aliases: aliases }]),
            ),
          },
        };
      });
      return ok(JSON.stringify(out));
    }
    if (argv[1] === 'network' && argv[2] === 'disconnect') {
      delete this.containers.get(argv[4]!)!.networks[argv[3]!];
      return ok();
    }
    if (argv[1] === 'network' && argv[2] === 'connect') {
      const aliases = argv.flatMap((a, i) => (argv[i - 1] === '--alias' ? [a] : []));
      const id = argv.at(-1)!;
      this.containers.get(id)!.networks[argv.at(-2)!] = [...aliases, id.slice(0, 12)];
      return ok();
    }
    if (argv[1] === 'stop') {
      for (const id of argv.slice(4)) this.containers.get(id)!.status = 'exited';
      return ok();
    }
    if (argv[1] === 'start') {
      for (const id of argv.slice(2)) this.containers.get(id)!.status = 'running';
      return ok();
    }
    if (argv[1] === 'rm') {
      for (const id of argv.slice(2).filter((a) => a !== '-f')) this.containers.delete(id);
      return ok();
    }
    throw new Error(`unscripted: ${line}`);
  };
}

const app: RollingService = { name: 'app', replicas: 1, stopGraceSeconds: 7, composeHealthcheck: true };
const compose = composeInvocation({ flavour: 'v2', projectName: 'p', files: [], envFiles: [] });
const opts = (over: Partial<RollingOptions> = {}): RollingOptions => ({
  compose,
  project: 'p',
  cwd: '/srv/app',
  services: [app],
  drainMs: 0,
  pollIntervalMs: 0,
  healthTimeoutMs: 1000,
  ...over,
});

describe('rollingUpdate', () => {
  it('starts the new container beside the old, stops and removes the old, in that order (no scale-back when only the new are left)', async () => {
    const docker = new FakeDocker();
    const old = docker.add('app');
    const [rolled] = await rollingUpdate(docker.exec, opts());
    expect(rolled!.oldContainers).toEqual([old]);
    expect(rolled!.newContainers).toHaveLength(1);
    expect([...docker.containers.keys()]).toEqual(rolled!.newContainers);
    const verbs = docker.calls
      .map((c) => (c[1] === 'compose' ? `compose ${c.slice(-3).join(' ')}` : c.slice(1, 3).join(' ')))
      .filter((v) => !/^(ps|inspect)/.test(v));
    expect(verbs).toEqual(['compose --scale app=2 app', `stop -t`, `rm ${old}`]);
    expect(docker.calls.find((c) => c[1] === 'stop')).toEqual(['docker', 'stop', '-t', '7', old]);
    expect(docker.calls[docker.calls.findIndex((c) => c[1] === 'compose')]).toEqual([
      'docker',
      'compose',
      '-p',
      'p',
      'up',
      '-d',
      '--no-deps',
      '--no-recreate',
      '--scale',
      'app=2',
      'app',
    ]);
  });

  it('doubles N replicas to 2N and keeps N', async () => {
    const docker = new FakeDocker();
    docker.add('app');
    docker.add('app');
    const [rolled] = await rollingUpdate(docker.exec, opts({ services: [{ ...app, replicas: 2 }] }));
    expect(docker.calls.some((c) => c.includes('app=4'))).toBe(true);
    expect(rolled!.newContainers).toHaveLength(2);
    expect(docker.containers.size).toBe(2);
  });

  it('removes the new container and keeps the old one when the new one turns unhealthy', async () => {
    const docker = new FakeDocker();
    const old = docker.add('app');
    docker.newHealth = 'unhealthy';
    const error = await rollingUpdate(docker.exec, opts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RollingUpdateError);
    expect(error).toMatchObject({
      code: 'rolling-unhealthy',
      step: 'wait-healthy',
      undone: true,
      service: 'app',
    });
    expect((error as Error).message).toMatch(/is unhealthy; last check exited 1: wget: server returned 404/);
    expect([...docker.containers.keys()]).toEqual([old]);
    expect(docker.calls.some((c) => c[2] === 'disconnect')).toBe(false);
  });

  it('gives up on a new container still starting at health-timeout, naming the step', async () => {
    const docker = new FakeDocker();
    const old = docker.add('app');
    docker.newHealth = 'starting';
    const error = await rollingUpdate(docker.exec, opts({ healthTimeoutMs: 20, pollIntervalMs: 5 })).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(
      /failed at step wait-healthy: new container \w+ is still starting/,
    );
    expect([...docker.containers.keys()]).toEqual([old]);
  });

  it('undoes a failed scale-up, removing what it had started', async () => {
    const docker = new FakeDocker();
    const old = docker.add('app');
    docker.failOn = /--scale app=2/;
    const error = await rollingUpdate(docker.exec, opts()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rolling-scale-up-failed', step: 'scale-up', undone: true });
    expect((error as Error).message).toMatch(/scripted failure/);
    expect([...docker.containers.keys()]).toEqual([old]);
  });

  it('leaves the old container on its networks until it stops (taking it off would cut requests in flight)', async () => {
    const docker = new FakeDocker();
    const old = docker.add('app');
    docker.containers.get(old)!.networks.p_back = ['app', 'api'];
    const before = structuredClone(docker.containers.get(old)!.networks);
    let atStop: Record<string, string[]> | undefined;
    docker.exec = ((inner) => async (argv: readonly string[]) => {
      if (argv[1] === 'stop') atStop = structuredClone(docker.containers.get(old)!.networks);
      return inner(argv);
    })(docker.exec);
    await rollingUpdate(docker.exec, opts({ drainMs: 5 }));
    expect(atStop).toEqual(before);
    expect(docker.calls.some((c) => c[1] === 'network')).toBe(false);
    expect(docker.containers.has(old)).toBe(false);
  });

  it('starts the old container again when stopping it fails', async () => {
    const docker = new FakeDocker();
    const old = docker.add('app');
    docker.exec = ((inner) => async (argv: readonly string[]) => {
      if (argv[1] === 'stop') {
        // The stop takes effect, then the command reports an error.
        await inner(argv);
        return { code: 1, stdout: '', stderr: 'Error response from daemon: cannot stop' };
      }
      return inner(argv);
    })(docker.exec);
    const error = await rollingUpdate(docker.exec, opts()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rolling-stop-old-failed', undone: true });
    const c = docker.containers.get(old)!;
    expect([...docker.containers.keys()]).toEqual([old]);
    expect(c.status).toBe('running');
    expect(c.networks.p_default).toContain('app');
  });

  it('keeps the new containers once the old ones are stopped and says what is left when removing fails', async () => {
    const docker = new FakeDocker();
    docker.add('app');
    docker.failOn = /^docker rm [^-]/;
    const error = await rollingUpdate(docker.exec, opts()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rolling-remove-old-failed', undone: false });
    expect((error as Error).message).toMatch(/healthy and serving/);
    expect(docker.containers.size).toBe(2);
  });

  it('refuses a new container without a healthcheck and removes it', async () => {
    const docker = new FakeDocker();
    const old = docker.add('app');
    docker.newHealth = 'none';
    const error = await rollingUpdate(docker.exec, opts()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'not-rollable', undone: true });
    expect([...docker.containers.keys()]).toEqual([old]);
  });

  it('runs the verify gate on the new containers once healthy, and undoes the rollout when it throws', async () => {
    const docker = new FakeDocker();
    const old = docker.add('app');
    const seen: string[][] = [];
    const error = await rollingUpdate(
      docker.exec,
      opts({
        verify: (service, ids) => {
          seen.push([service, ...ids]);
          return Promise.reject(new Error('GET /api/ready on the new container: 503'));
        },
      }),
    ).catch((e: unknown) => e);
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe('app');
    expect(error).toMatchObject({ code: 'rolling-wait-healthy-failed', step: 'wait-healthy', undone: true });
    expect((error as Error).message).toMatch(/503/);
    expect([...docker.containers.keys()]).toEqual([old]);
  });

  it('with isolateUntilHealthy, keeps the new container out of the service name until it is healthy', async () => {
    const docker = new FakeDocker();
    const old = docker.add('app');
    const aliasesWhenHealthy: string[][] = [];
    const [rolled] = await rollingUpdate(
      docker.exec,
      opts({
        isolateUntilHealthy: true,
        verify: (_service, ids) => {
          aliasesWhenHealthy.push(docker.containers.get(ids[0]!)!.networks.p_default!);
          return Promise.resolve();
        },
      }),
    );
    expect(docker.calls.find((c) => c[1] === 'compose')).toContain('--no-start');
    expect(aliasesWhenHealthy[0]).not.toContain('app');
    const admitted = docker.containers.get(rolled!.newContainers[0]!)!;
    expect(admitted.networks.p_default).toContain('app');
    expect(docker.containers.has(old)).toBe(false);
    expect(rolled!.durations.admit).toBeGreaterThanOrEqual(0);
  });

  it('names the services already rolled when a later one fails', async () => {
    const docker = new FakeDocker();
    docker.add('api');
    docker.add('app');
    docker.failOn = /--scale app=2/;
    const error = await rollingUpdate(docker.exec, opts({ services: [{ ...app, name: 'api' }, app] })).catch(
      (e: unknown) => e,
    );
    expect((error as RollingUpdateError).completed.map((c) => c.service)).toEqual(['api']);
    expect((error as Error).message).toMatch(/Already rolled \(running the new release\): api/);
  });

  it('starts a service with no old container and has nothing to drain', async () => {
    const docker = new FakeDocker();
    const [rolled] = await rollingUpdate(docker.exec, opts());
    expect(rolled!.oldContainers).toEqual([]);
    expect(docker.calls.some((c) => c[1] === 'stop' || c[2] === 'disconnect')).toBe(false);
  });
});

describe('checkRollable', () => {
  const config = (services: ComposeConfigJson['services']): ComposeConfigJson => ({ name: 'p', services });
  const hc = { test: ['CMD', 'true'] };

  it('selects by default every service with a healthcheck that can run twice, and says why others are left out', () => {
    const selection = checkRollable(
      config({
        app: { image: 'a', healthcheck: hc, stop_grace_period: '1m30s', deploy: { replicas: 3 } },
        proxy: { image: 'caddy', ports: [{ target: 80, published: '8080', host_ip: '127.0.0.1' } as never] },
        db: { image: 'pg' },
        eph: { image: 'e', healthcheck: hc, ports: [{ target: 80, published: '0' } as never] },
      }),
    );
    expect(selection.project).toBe('p');
    expect(selection.services).toEqual([
      { name: 'app', replicas: 3, stopGraceSeconds: 90, image: 'a', composeHealthcheck: true },
      { name: 'eph', replicas: 1, stopGraceSeconds: 10, image: 'e', composeHealthcheck: true },
    ]);
    expect(selection.skipped).toEqual([
      { service: 'proxy', reason: expect.stringMatching(/publishes host port 8080/) },
      { service: 'db', reason: 'it has no healthcheck in the compose file' },
    ]);
  });

  it('refuses named services that cannot be doubled, all of them in one error, before anything runs', () => {
    let error: unknown;
    try {
      checkRollable(
        config({
          web: { ports: ['127.0.0.1:8080:80'] },
          worker: { container_name: 'w' },
          host: { network_mode: 'host' },
          ip: { networks: { default: { ipv4_address: '172.30.0.9' } } },
          off: { healthcheck: { disable: true } },
          ok: { ports: ['80'] },
        }),
        ['web', 'worker', 'host', 'ip', 'off', 'ok', 'nope'],
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('not-rollable');
    const message = (error as Error).message;
    expect(message).toMatch(/'web' cannot be rolled: it publishes host port 8080/);
    expect(message).toMatch(/'worker' cannot be rolled: it sets container_name 'w'/);
    expect(message).toMatch(/'host' cannot be rolled: it uses network_mode 'host'/);
    expect(message).toMatch(/'ip' cannot be rolled: it has the fixed address 172.30.0.9/);
    expect(message).toMatch(/'off' cannot be rolled: its healthcheck is disabled/);
    expect(message).toMatch(/'nope' is not a service of this compose project/);
    expect(message).not.toMatch(/'ok'/);
    expect(message).toMatch(/Nothing was changed/);
  });

  it.each([
    ['127.0.0.1:8080:80/tcp', '8080'],
    ['8080:80', '8080'],
    ['[::1]:8443:443', '8443'],
    ['127.0.0.1::80', undefined],
    ['80', undefined],
  ])('reads the host port of the short syntax %s (compose v1 prints it)', (port, fixed) => {
    const selection = checkRollable(config({ app: { healthcheck: hc, ports: [port] } }));
    if (fixed) expect(selection.skipped[0]!.reason).toMatch(`publishes host port ${fixed}:`);
    else expect(selection.services.map((s) => s.name)).toEqual(['app']);
  });

  it('accepts a named service whose healthcheck comes from its image', () => {
    expect(checkRollable(config({ app: { image: 'a' } }), ['app']).services).toEqual([
      { name: 'app', replicas: 1, stopGraceSeconds: 10, image: 'a', composeHealthcheck: false },
    ]);
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['15', 15_000],
  ])('reads %s', (text, ms) => expect(parseGoDuration(text)).toBe(ms));

  it('returns undefined for what it cannot read', () => expect(parseGoDuration('soon')).toBeUndefined());
});

describe('rollingSteps', () => {
  it('lists the six steps with their command lines and how each is undone', () => {
    const steps = rollingSteps(compose, app);
    expect(steps.map((s) => s.name)).toEqual([
      'scale-up',
      'wait-healthy',
      'drain',
      'stop-old',
      'remove-old',
      'scale-down',
    ]);
    expect(steps[0]!.does).toBe(
      "docker compose -p p up -d --no-deps --no-recreate --scale 'app=<old>+1' app",
    );
    expect(steps[3]!.does).toBe('docker stop -t 7 <old containers>');
    expect(steps[4]!.undo).toMatch(/^none/);
  });

  it('adds the admit step and --no-start when the new containers are isolated until healthy', () => {
    const steps = rollingSteps(compose, app, { isolateUntilHealthy: true });
    expect(steps.map((s) => s.name)).toEqual([
      'scale-up',
      'wait-healthy',
      'admit',
      'drain',
      'stop-old',
      'remove-old',
      'scale-down',
    ]);
    expect(steps[0]!.does).toMatch(/--no-recreate --no-start --scale/);
  });
});
