import type { ExecResult } from '@deploy-actions/ssh';
import { composeInvocation } from '../src/compose.js';
import {
  checkSwarmStack,
  stackFileFromConfig,
  swarmDeploy,
  swarmSteps,
  SwarmDeployError,
  type SwarmConfigJson,
  type SwarmDeployOptions,
} from '../src/swarm.js';

// The swarm engine's logic against a scripted manager; the real thing is exercised in
// test/e2e/swarm.test.ts against the lab's single-node swarm.

const ok = (stdout = ''): ExecResult => ({ code: 0, stdout, stderr: '' });

interface FakeService {
  ID: string;
  Spec: {
    Name: string;
    Mode: { Replicated: { Replicas: number } };
    TaskTemplate: { ContainerSpec: { Image: string } };
  };
  UpdateStatus?: { State: string; StartedAt: string; Message?: string };
}

/** A scripted manager: `docker info`, compose config, stack deploy and the convergence queries. */
class FakeManager {
  readonly calls: string[][] = [];
  readonly stdins: string[] = [];
  swarmState = 'active true';
  config: SwarmConfigJson = {
    name: 'shop',
    services: {
      app: {
        image: 'reg/app:v2',
        healthcheck: { test: ['CMD', 'true'] },
        deploy: { replicas: 2, update_config: { order: 'start-first', failure_action: 'rollback' } },
      },
    },
  };
  services: FakeService[] = [
    {
      ID: 's1',
      Spec: {
        Name: 'shop_app',
        Mode: { Replicated: { Replicas: 2 } },
        TaskTemplate: { ContainerSpec: { Image: 'reg/app:v1' } },
      },
      UpdateStatus: { State: 'completed', StartedAt: 't0' },
    },
  ];
  /** Called once per convergence poll (after `docker stack deploy`), to move swarm along. */
  onPoll: (poll: number, m: FakeManager) => void = () => undefined;
  running = 2;
  private polls = 0;
  private deployed = false;

  exec = async (argv: readonly string[], o: { stdin?: string } = {}): Promise<ExecResult> => {
    this.calls.push([...argv]);
    if (o.stdin !== undefined) this.stdins.push(o.stdin);
    const line = argv.join(' ');
    if (line.startsWith('docker info')) return ok(`${this.swarmState}\n`);
    if (line.includes('compose') && line.includes(' config ')) return ok(JSON.stringify(this.config));
    if (argv[0] === 'sh') return ok();
    if (line.startsWith('docker stack deploy')) {
      this.deployed = true;
      return ok();
    }
    if (line.startsWith('docker service ls')) {
      if (this.deployed) this.onPoll(this.polls++, this);
      return ok(this.services.map((s) => s.ID).join('\n'));
    }
    if (line.startsWith('docker service inspect')) return ok(JSON.stringify(this.services));
    if (line.startsWith('docker stack ps')) {
      return ok(
        this.services
          .flatMap((s) =>
            Array.from({ length: this.running }, (_, i) =>
              JSON.stringify({
                Name: `${s.Spec.Name}.${i + 1}`,
                DesiredState: 'Running',
                CurrentState: 'Running 1 second ago',
              }),
            ),
          )
          .join('\n'),
      );
    }
    return { code: 1, stdout: '', stderr: `unscripted: ${line}` };
  };

  options(extra: Partial<SwarmDeployOptions> = {}): SwarmDeployOptions {
    return {
      stack: 'shop',
      cwd: '/srv/shop/releases/r2',
      source: {
        compose: composeInvocation({
          flavour: 'v2',
          projectName: 'shop',
          files: ['compose.yml'],
          envFiles: ['.env'],
        }),
      },
      pollIntervalMs: 1,
      timeoutMs: 2000,
      ...extra,
    };
  }
}

/** swarm moves the service to v2: the spec changes, then (a poll later) its update starts, then completes. */
function updatesTo(state: string, message?: string) {
  return (poll: number, m: FakeManager): void => {
    const s = m.services[0]!;
    if (poll === 0) s.Spec.TaskTemplate.ContainerSpec.Image = 'reg/app:v2@sha256:abc';
    if (poll === 2) s.UpdateStatus = { State: 'updating', StartedAt: 't1' };
    if (poll === 3 && state.startsWith('rollback'))
      s.UpdateStatus = {
        State: 'rollback_started',
        StartedAt: 't1',
        Message: 'update rolled back due to failure or early termination of task tsk9',
      };
    if (poll === 4)
      s.UpdateStatus = { State: state, StartedAt: 't1', ...(message ? { Message: message } : {}) };
  };
}

describe('checkSwarmStack', () => {
  it('errors on a build without image and a relative bind mount; warns on missing healthcheck and update policy', () => {
    const check = checkSwarmStack({
      services: {
        web: { build: { context: '.' } },
        app: { image: 'a', volumes: ['./data:/data', { type: 'bind', source: 'conf', target: '/c' }] },
        ok: {
          image: 'b',
          healthcheck: { test: ['CMD', 'true'] },
          deploy: { update_config: { order: 'start-first', failure_action: 'rollback' } },
        },
        job: { image: 'c', deploy: { mode: 'replicated-job' } },
      },
    });
    expect(check.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^service 'web' has build: but no image/),
      expect.stringMatching(/^service 'app' bind-mounts the relative path '.\/data'/),
      expect.stringMatching(/^service 'app' bind-mounts the relative path 'conf'/),
    ]);
    const warned = check.warnings.map((w) => `${w.service}: ${w.message}`);
    expect(warned.filter((w) => w.startsWith('ok:') || w.startsWith('job:'))).toEqual([]);
    expect(warned).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^app: .*no healthcheck/),
        expect.stringMatching(/^app: .*order: start-first/),
        expect.stringMatching(/^app: .*failure_action: rollback: a failed update pauses half-done/),
      ]),
    );
  });

  it('counts a disabled healthcheck as none', () => {
    const check = checkSwarmStack({
      services: {
        app: {
          image: 'a',
          healthcheck: { disable: true },
          deploy: { update_config: { order: 'start-first', failure_action: 'rollback' } },
        },
      },
    });
    expect(check.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/no healthcheck/)]);
  });
});

describe('stackFileFromConfig', () => {
  it("makes compose's config fit swarm's stack schema and says what it left out", () => {
    const { content, dropped } = stackFileFromConfig({
      name: 'shop',
      services: {
        app: {
          image: 'a',
          command: null,
          entrypoint: null,
          pull_policy: 'always',
          depends_on: { db: { condition: 'service_started', required: true } },
          networks: { default: null },
          ports: [{ mode: 'host', host_ip: '127.0.0.1', target: 80, published: '8080', protocol: 'tcp' }],
          volumes: [{ type: 'bind', source: '/srv/data', target: '/data', bind: { create_host_path: true } }],
          healthcheck: { test: ['CMD', 'true'], start_interval: '1s' },
          develop: { watch: [] },
        },
      },
      networks: { default: { name: 'shop_default' } },
    });
    const file = JSON.parse(content) as Record<string, unknown>;
    expect(file).toEqual({
      version: '3.9',
      networks: { default: { name: 'shop_default' } },
      services: {
        app: {
          image: 'a',
          networks: { default: {} },
          ports: [{ mode: 'host', target: 80, published: 8080, protocol: 'tcp' }],
          volumes: [{ type: 'bind', source: '/srv/data', target: '/data' }],
          healthcheck: { test: ['CMD', 'true'] },
        },
      },
    });
    expect(dropped).toEqual([
      'services.app.develop',
      'services.app.ports.host_ip (127.0.0.1: swarm publishes on every address)',
    ]);
  });
});

describe('swarmDeploy (scripted manager)', () => {
  it('refuses a node that is not a swarm manager, naming why, before anything else runs', async () => {
    for (const [state, why] of [
      ['inactive false', /its swarm state is 'inactive' \(run `docker swarm init`/],
      ['active false', /it is a worker, not a manager/],
    ] as const) {
      const m = new FakeManager();
      m.swarmState = state;
      const error = await swarmDeploy(m.exec, { ...m.options(), host: 'h1' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SwarmDeployError);
      expect(error).toMatchObject({ code: 'swarm-not-manager', step: 'check-manager' });
      expect((error as Error).message).toMatch(why);
      expect((error as Error).message).toMatch(/^h1: .*Nothing was changed\.$/);
      expect(m.calls).toHaveLength(1);
    }
  });

  it('waits for the update that a changed spec starts, not the previous one that completed', async () => {
    const m = new FakeManager();
    m.onPoll = updatesTo('completed', 'update completed');
    const result = await swarmDeploy(m.exec, m.options());
    expect(result.services).toEqual([
      expect.objectContaining({
        service: 'app',
        swarmService: 'shop_app',
        updateState: 'completed',
        running: 2,
        replicas: 2,
      }),
    ]);
    // Polled through 'completed' (t0, before the deploy), the spec change and 'updating'.
    expect(m.calls.filter((c) => c.join(' ').startsWith('docker stack ps')).length).toBeGreaterThanOrEqual(5);
    expect(m.calls.find((c) => c[1] === 'stack' && c[2] === 'deploy')).toEqual([
      'docker',
      'stack',
      'deploy',
      '--with-registry-auth',
      '--prune',
      '-c',
      '/srv/shop/releases/r2/stack.swarm.json',
      'shop',
    ]);
    expect(m.stdins[0]).toContain('"reg/app:v2"');
    expect(result.stackFile).toBe('/srv/shop/releases/r2/stack.swarm.json');
  });

  it("fails with swarm's reason once swarm rolled the service back", async () => {
    const m = new FakeManager();
    m.onPoll = updatesTo('rollback_completed', 'rollback completed');
    const base = m.exec;
    m.exec = async (argv, o = {}) => {
      const line = argv.join(' ');
      if (line.startsWith('docker inspect') && argv.at(-1) === 'tsk9') return ok('shutdown||c0ffee\n');
      if (line.startsWith('docker inspect') && argv.at(-1) === 'c0ffee')
        return ok(
          JSON.stringify([{ ExitCode: 1, Output: 'wget: server returned error: HTTP/1.0 404 Not Found\n' }]),
        );
      return base(argv, o);
    };
    const error = await swarmDeploy(m.exec, m.options()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'swarm-rolled-back', step: 'converge', service: 'app' });
    expect((error as Error).message).toMatch(
      /service 'app' \(shop_app\): update rollback_completed: rollback completed; update rolled back due to failure or early termination of task tsk9; task tsk9 shutdown, its healthcheck exited 1: wget: server returned error: HTTP\/1.0 404 Not Found/,
    );
  });

  it('fails on a paused update, saying it is half-done', async () => {
    const m = new FakeManager();
    m.onPoll = updatesTo('paused', 'update paused due to failure');
    const error = await swarmDeploy(m.exec, m.options()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'swarm-update-paused', service: 'app' });
    expect((error as Error).message).toMatch(/paused half-done/);
  });

  it('times out, naming the service that has not converged', async () => {
    const m = new FakeManager();
    m.onPoll = (poll, mm) => {
      if (poll === 0) mm.services[0]!.Spec.TaskTemplate.ContainerSpec.Image = 'reg/app:v2';
    };
    const error = await swarmDeploy(m.exec, m.options({ timeoutMs: 50 })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'swarm-timeout', step: 'converge', service: 'app' });
    expect((error as Error).message).toMatch(/service 'app' update-pending, 2\/2 running/);
  });

  it('a failed stack deploy is reported with its output; a failed job creation as a failed migration', async () => {
    const m = new FakeManager();
    const base = m.exec;
    m.exec = async (argv, o = {}) =>
      argv.join(' ').startsWith('docker stack deploy')
        ? {
            code: 1,
            stdout: '',
            stderr: 'failed to update config shop_caddyfile: only updates to Labels are allowed',
          }
        : base(argv, o);
    const error = await swarmDeploy(m.exec, m.options()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'swarm-deploy-failed', step: 'deploy' });
    expect((error as Error).message).toMatch(/only updates to Labels are allowed/);

    const j = new FakeManager();
    j.config.services!.migrate = { image: 'reg/migrate:v2' };
    const jbase = j.exec;
    j.exec = async (argv, o = {}) => {
      const line = argv.join(' ');
      if (line.startsWith('docker network inspect')) return ok('swarm');
      if (line.startsWith('docker service create')) return { code: 1, stdout: '', stderr: 'no such image' };
      if (line.startsWith('docker service rm')) return ok();
      return jbase(argv, o);
    };
    const jerror = await swarmDeploy(j.exec, j.options({ migrateService: 'migrate' })).catch(
      (e: unknown) => e,
    );
    expect(jerror).toMatchObject({ code: 'swarm-migration-failed', step: 'migrate', service: 'migrate' });
    expect((jerror as Error).message).toMatch(/no such image.*The stack was not changed\./s);
    expect(j.calls.some((c) => c.join(' ').startsWith('docker stack deploy'))).toBe(false);
  });

  it('refuses an invalid stack before writing or deploying anything', async () => {
    const m = new FakeManager();
    m.config = { services: { web: { build: '.' } } };
    const error = await swarmDeploy(m.exec, m.options()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'swarm-stack-invalid', step: 'render', service: 'web' });
    expect(m.calls.map((c) => c.slice(0, 3).join(' '))).toEqual([
      'docker info --format',
      'docker compose -p',
    ]);
  });

  it("passes the migrator's environment in a 0600 file, never on a command line", async () => {
    const m = new FakeManager();
    m.config.services!.migrate = {
      image: 'reg/migrate:v2',
      environment: { DATABASE_PASSWORD: 's3cr3t-value' },
    };
    const base = m.exec;
    m.exec = async (argv, o = {}) => {
      const line = argv.join(' ');
      if (line.startsWith('docker network inspect')) return ok('swarm');
      if (line.startsWith('docker service create')) return ok('job1');
      if (line.startsWith('docker service ps')) return ok('task1');
      if (line.startsWith('docker inspect')) {
        m.calls.push([...argv]);
        return ok('complete|0|\n');
      }
      if (line.startsWith('docker service logs')) return ok('migrated\n');
      if (line.startsWith('docker service rm') || argv[0] === 'rm') {
        m.calls.push([...argv]);
        return ok();
      }
      return base(argv, o);
    };
    m.onPoll = updatesTo('completed');
    const result = await swarmDeploy(m.exec, m.options({ migrateService: 'migrate' }));
    expect(result.migration).toMatchObject({
      service: 'migrate',
      image: 'reg/migrate:v2',
      output: 'migrated',
    });
    expect(m.calls.some((c) => c.join(' ').includes('s3cr3t-value'))).toBe(false);
    const envFile = m.stdins.find((s) => s.includes('DATABASE_PASSWORD'));
    expect(envFile).toBe('DATABASE_PASSWORD=s3cr3t-value\n');
    expect(m.calls.filter((c) => c[0] === 'sh').every((c) => c[2]!.startsWith('umask 077'))).toBe(true);
    // The migrator is not a service of the stack file.
    expect(m.stdins.find((s) => s.includes('"services"'))).not.toContain('migrate');
    expect(m.calls.some((c) => c.join(' ').startsWith('docker service rm shop_migrate-'))).toBe(true);
    expect(m.calls.some((c) => c[0] === 'rm' && c[2]!.endsWith('.env'))).toBe(true);
  });
});

describe('swarmSteps', () => {
  it('lists the steps with their command lines', () => {
    const steps = swarmSteps({
      stack: 'shop',
      source: { renderedFile: '/srv/shop/config.json' },
      migrateService: 'migrate',
    });
    expect(steps.map((s) => s.name)).toEqual(['check-manager', 'render', 'migrate', 'deploy', 'converge']);
    expect(steps[3]!.does).toBe('docker stack deploy --with-registry-auth --prune -c stack.swarm.json shop');
  });
});
