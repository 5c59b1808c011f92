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
  /** The graces argument of each stop-then-remove exec. */
  readonly stopSpecs: string[] = [];
  private next = 1;
  /** Health a new container reports. */
  newHealth: FakeContainer['health'] | 'none' = 'healthy';
  /** Health a new container of one service reports (overrides newHealth). */
  newHealthOf: Record<string, FakeContainer['health'] | 'none'> = {};
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
      // stop-old and remove-old in one exec, as the script runs them: one stop per grace
      // ("<grace>:<count> ..."), rm of them all only after every stop passed.
      const [spec, ...ids] = argv.slice(4);
      this.stopSpecs.push(spec!);
      let off = 0;
      let stdout = '';
      let failed: ExecResult | undefined;
      for (const gc of spec!.split(' ')) {
        const [grace, count] = gc.split(':');
        const stop = await this.exec([
          'docker',
          'stop',
          '-t',
          grace!,
          ...ids.slice(off, off + Number(count)),
        ]);
        off += Number(count);
        stdout += stop.stdout;
        if (stop.code !== 0) failed ??= stop;
      }
      if (failed) return failed;
      const rm = await this.exec(['docker', 'rm', ...ids]);
      return {
        code: rm.code,
        stdout: `${stdout}${STOP_THEN_REMOVE_MARK}\n${rm.stdout}`,
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
      for (const [i, a] of argv.entries()) {
        if (argv[i - 1] !== '--scale') continue;
        const [service, count] = a.split('=') as [string, string];
        const health = this.newHealthOf[service] ?? this.newHealth;
        for (let n = of(service).length; n < Number(count); n++)
          this.add(service, health === 'none' ? null : health);
      }
      return ok();
    }
    if (argv[1] === 'ps') {
      expect(argv.at(-1)).toBe('{{.ID}} {{.Label "com.docker.compose.service"}}');
      return ok([...this.containers.values()].map((c) => `${c.id} ${c.service}\n`).join(''));
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

  describe('several services, rolled together', () => {
    const api: RollingService = { name: 'api', replicas: 1, stopGraceSeconds: 7, composeHealthcheck: true };
    const two = (docker: FakeDocker): { app: string; api: string } => ({
      app: docker.add('app'),
      api: docker.add('api'),
    });
    /** The calls that change something (no ps / inspect), shortened. */
    const changes = (docker: FakeDocker): string[] =>
      docker.calls
        .filter((c) => c[1] !== 'ps' && c[1] !== 'inspect')
        .map((c) =>
          c[1] === 'compose'
            ? `compose ${c.slice(c.indexOf('--no-recreate') + 1).join(' ')}`
            : c.slice(1).join(' '),
        );

    it('starts the new containers of both in one compose call, waits, stops and removes the old ones of both in one exec', async () => {
      const docker = new FakeDocker();
      const old = two(docker);
      const rolled = await rollingUpdate(docker.exec, opts({ services: [app, api] }));
      expect(rolled.map((r) => r.service)).toEqual(['app', 'api']);
      expect(rolled[0]!.oldContainers).toEqual([old.app]);
      expect(rolled[1]!.oldContainers).toEqual([old.api]);
      expect(new Set([...docker.containers.keys()])).toEqual(
        new Set([...rolled[0]!.newContainers, ...rolled[1]!.newContainers]),
      );
      expect([...docker.containers.values()].map((c) => c.service).sort()).toEqual(['api', 'app']);
      expect(changes(docker)).toEqual([
        'compose --scale app=2 --scale api=2 app api',
        `stop -t 7 ${old.app} ${old.api}`,
        `rm ${old.app} ${old.api}`,
      ]);
      expect(docker.stopSpecs).toEqual(['7:2']);
      // One inspect of the new containers of both services a poll.
      const inspects = docker.calls.filter((c) => c[1] === 'inspect');
      expect(inspects).toHaveLength(1);
      expect(inspects[0]!.slice(2).sort()).toEqual(
        [...rolled[0]!.newContainers, ...rolled[1]!.newContainers].sort(),
      );
    });

    it('runs as many commands on the host for two services as for one', async () => {
      const one = new FakeDocker();
      one.add('app');
      await rollingUpdate(one.exec, opts());
      const both = new FakeDocker();
      two(both);
      await rollingUpdate(both.exec, opts({ services: [app, api] }));
      expect(both.calls.map((c) => c[1])).toEqual(one.calls.map((c) => c[1]));
    });

    it('stops the old containers of services with different stop_grace_periods each with its own, in the same exec', async () => {
      const docker = new FakeDocker();
      const old = two(docker);
      await rollingUpdate(docker.exec, opts({ services: [app, { ...api, stopGraceSeconds: 30 }] }));
      expect(docker.stopSpecs).toEqual(['7:1 30:1']);
      expect(docker.calls.filter((c) => c[1] === 'stop')).toEqual([
        ['docker', 'stop', '-t', '7', old.app],
        ['docker', 'stop', '-t', '30', old.api],
      ]);
    });

    it('when one of the two never gets healthy, removes the new containers of both, names that one, and the old ones of both keep serving', async () => {
      const docker = new FakeDocker();
      const old = two(docker);
      docker.newHealthOf = { api: 'unhealthy' };
      const error = await rollingUpdate(docker.exec, opts({ services: [app, api] })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RollingUpdateError);
      expect(error).toMatchObject({
        code: 'rolling-unhealthy',
        step: 'wait-healthy',
        undone: true,
        service: 'api',
        services: ['api'],
        completed: [],
      });
      const message = (error as Error).message;
      expect(message).toMatch(
        /rolling update of service 'api' failed at step wait-healthy: new container \w+ of api is unhealthy; last check exited 1/,
      );
      expect(message).not.toMatch(/of app is/);
      expect(message).toMatch(
        /The new containers were removed; the old one\(s\) \w+ \(app\), \w+ \(api\) serve as before/,
      );
      expect(message).toMatch(/The 2 services of this roll \(app, api\) roll together: none of them changed/);
      expect(new Set(docker.containers.keys())).toEqual(new Set([old.app, old.api]));
      expect([...docker.containers.values()].every((c) => c.status === 'running')).toBe(true);
      expect(docker.calls.some((c) => c[1] === 'stop')).toBe(false);
    });

    it('names both when both fail, each with its reason', async () => {
      const docker = new FakeDocker();
      two(docker);
      docker.newHealth = 'unhealthy';
      const error = await rollingUpdate(docker.exec, opts({ services: [app, api] })).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'rolling-unhealthy', service: 'app', services: ['app', 'api'] });
      expect((error as Error).message).toMatch(
        /services 'app', 'api' failed at step wait-healthy: new container \w+ of app is unhealthy.*; new container \w+ of api is unhealthy/,
      );
      expect(docker.containers.size).toBe(2);
    });

    it('when stopping the old containers fails, starts the old ones of both again and removes the new ones of both', async () => {
      const docker = new FakeDocker();
      const old = two(docker);
      docker.exec = ((inner) => async (argv: readonly string[]) => {
        if (argv[1] === 'stop' && argv.includes(old.api)) {
          await inner(argv);
          return { code: 1, stdout: '', stderr: 'Error response from daemon: cannot stop' };
        }
        return inner(argv);
      })(docker.exec);
      const error = await rollingUpdate(
        docker.exec,
        opts({ services: [app, { ...api, stopGraceSeconds: 3 }] }),
      ).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'rolling-stop-old-failed',
        undone: true,
        services: ['app', 'api'],
      });
      expect((error as Error).message).toMatch(/cannot stop/);
      expect(new Set(docker.containers.keys())).toEqual(new Set([old.app, old.api]));
      expect(docker.containers.get(old.app)!.status).toBe('running');
      expect(docker.containers.get(old.api)!.status).toBe('running');
    });

    it('a failed compose call at scale-up removes what it started for both and names both', async () => {
      const docker = new FakeDocker();
      const old = two(docker);
      docker.exec = ((inner) => async (argv: readonly string[]) => {
        if (argv[1] === 'compose') {
          await inner(argv); // app's new container got created, then compose failed
          return { code: 1, stdout: '', stderr: 'pull access denied for api' };
        }
        return inner(argv);
      })(docker.exec);
      const error = await rollingUpdate(docker.exec, opts({ services: [app, api] })).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'rolling-scale-up-failed',
        undone: true,
        services: ['app', 'api'],
      });
      expect((error as Error).message).toMatch(
        /services 'app', 'api' failed at step scale-up: .*pull access denied/s,
      );
      expect(new Set(docker.containers.keys())).toEqual(new Set([old.app, old.api]));
    });

    it('names the service whose verify gate failed, and undoes both', async () => {
      const docker = new FakeDocker();
      const old = two(docker);
      const error = await rollingUpdate(
        docker.exec,
        opts({
          services: [app, api],
          verify: (service) =>
            service === 'api' ? Promise.reject(new Error('GET /ready: 503')) : Promise.resolve(),
        }),
      ).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'rolling-wait-healthy-failed', service: 'api', services: ['api'] });
      expect(new Set(docker.containers.keys())).toEqual(new Set([old.app, old.api]));
    });

    it('scales back only the service where more than its new containers are left', async () => {
      const docker = new FakeDocker();
      two(docker);
      // A container of app that rolling did not start and is not an old one (e.g. a second
      // `up` racing): compose is asked to bring app back to its count, api is left alone.
      docker.exec = ((inner) => async (argv: readonly string[]) => {
        if (argv[0] === 'sh') {
          const r = await inner(argv);
          docker.add('app');
          return r;
        }
        return inner(argv);
      })(docker.exec);
      await rollingUpdate(docker.exec, opts({ services: [app, api] }));
      expect(changes(docker).at(-1)).toBe('compose --scale app=1 app');
    });

    it('isolates and admits the new containers of each service under its own alias', async () => {
      const docker = new FakeDocker();
      two(docker);
      const rolled = await rollingUpdate(
        docker.exec,
        opts({ services: [app, api], isolateUntilHealthy: true }),
      );
      expect(docker.containers.get(rolled[0]!.newContainers[0]!)!.networks.p_default).toContain('app');
      expect(docker.containers.get(rolled[0]!.newContainers[0]!)!.networks.p_default).not.toContain('api');
      expect(docker.containers.get(rolled[1]!.newContainers[0]!)!.networks.p_default).toContain('api');
    });
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

  it('lists one command line per step for services rolled together', () => {
    const steps = rollingSteps(compose, [app, { ...app, name: 'api', stopGraceSeconds: 30 }]);
    expect(steps[0]!.does).toBe(
      "docker compose -p p up -d --no-deps --no-recreate --scale 'app=<old>+1' --scale 'api=<old>+1' app api",
    );
    expect(steps[3]!.does).toBe('docker stop -t 7 <old app> & docker stop -t 30 <old api>');
  });
});
