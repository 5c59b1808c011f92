import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SshConnection } from '@deploy-actions/ssh';
import { collectBundle, type Bundle } from '../src/bundle.js';
import { computeDrift } from '../src/drift.js';
import { newRunKey, type RunKey } from '../src/env-keys.js';
import { computePlan, PLAN_UNKNOWN_VALUE, readBundleSide, type HostPlan } from '../src/plan.js';
import { parseReading, readHost } from '../src/reading.js';
import type { DeploySettings } from '../src/types.js';

// The plan computed from what a host read says (READ_SCRIPT's lines, written here by hand):
// no host needed. The e2e suite (test/e2e/ssh-deploy-plan.test.ts) runs the same against the lab.

const base: DeploySettings = {
  remoteDir: '/srv/app',
  sourceDir: '.',
  files: [],
  preserve: ['.env', 'data/'],
  keepReleases: 5,
  strategy: 'compose',
  composeFiles: [],
  envFiles: ['.env', 'release.env'],
  projectName: 'app',
  servicesFirst: ['db'],
  migrateService: 'migrator',
  services: [],
  pull: true,
  build: false,
  healthTimeoutMs: 60_000,
  lockTimeoutMs: 60_000,
  dryRun: false,
  timeoutMs: 600_000,
  origin: { id: 'r2', commit: 'abc', actor: 'me', repository: 'o/r', run: '1/1' },
};

const COMPOSE = `services:
  db:
    image: reg/db:1
  migrator:
    image: \${MIGRATOR_IMAGE}
    profiles: [tools]
  app:
    image: \${APP_IMAGE}
    environment:
      MESSAGE: \${APP_MESSAGE:-}
`;
const D = (c: string) => `sha256:${c.repeat(64)}`;

let dir: string;
let key: RunKey;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plan-'));
  key = newRunKey();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function bundleOf(files: Record<string, string>): Promise<Bundle> {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return collectBundle(dir, []);
}

/** READ_SCRIPT's output for a host: the lines given, env files' keys with this run's HMACs. */
function hostLines(
  lines: string[],
  env: Record<string, string>[] = [],
  settings: DeploySettings = base,
): string {
  const out = ['compose_v2=yes', 'exists=yes', ...lines];
  settings.envFiles.forEach((_, i) => {
    const e = env[i];
    out.push(`env_file=${i + 1} ${e ? 'present' : 'missing'}`);
    for (const [k, v] of Object.entries(e ?? {})) {
      out.push(`env_key=${i + 1} ${k} ${key.hmac(v)}`);
      if (k.endsWith('_IMAGE')) out.push(`image_var=${i + 1} ${k} ${v}`);
    }
  });
  return out.join('\n');
}

async function plan(
  bundleFiles: Record<string, string>,
  stdout: string,
  settings: DeploySettings = base,
): Promise<HostPlan> {
  const bundle = await bundleOf(bundleFiles);
  const side = readBundleSide(settings, bundle, key);
  return computePlan({
    host: 'h1',
    settings,
    bundle,
    side,
    reading: parseReading(stdout, settings.envFiles.length),
  });
}

const RUNNING_V1 = [
  'current=r1',
  'current_record=ok',
  `container=app|reg/app:v1|${D('a')}|running||0||/app-app-1`,
  `container=db|reg/db:1|${D('d')}|running|healthy|0||/app-db-1`,
  `image=${D('a')}|reg/app:v1,|reg/app@${D('1')},|100000000`,
  `image=${D('d')}|reg/db:1,|reg/db@${D('4')},|50000000`,
  `record_image=reg/app:v1 ${D('a')}`,
  `record_image=reg/db:1 ${D('d')}`,
  'disk_free_kb=10000000',
];
const V1_ENV = { APP_IMAGE: 'reg/app:v1', MIGRATOR_IMAGE: 'reg/mig:1', APP_MESSAGE: 'hi' };

describe('computePlan', () => {
  it('on a first deploy: every service added, every key added, every file new', async () => {
    const p = await plan(
      { 'compose.yaml': COMPOSE, 'release.env': 'APP_IMAGE=reg/app:v1\nMIGRATOR_IMAGE=reg/mig:1\n' },
      hostLines(['bundle=new compose.yaml', 'bundle=new release.env'], [{ PORT: '1' }]),
    );
    expect(p.current).toBeUndefined();
    expect(p.services.map((s) => [s.service, s.change, s.new?.image])).toEqual([
      ['app', 'added', 'reg/app:v1'],
      ['db', 'added', 'reg/db:1'],
    ]);
    expect(p.env).toMatchObject({
      added: ['APP_IMAGE', 'MIGRATOR_IMAGE'],
      removed: [],
      changed: [],
      unchanged: 1,
    });
    expect(p.files).toMatchObject({ shipped: 2, added: ['compose.yaml', 'release.env'], removed: [] });
    expect(p.migrations).toEqual({ runs: true, service: 'migrator' });
    expect(p.images.toPull).toEqual(['reg/app:v1', 'reg/db:1', 'reg/mig:1']);
    expect(p.restarts).toEqual(['app', 'db']);
  });

  it('on an upgrade: the app image old → new by digest, db unchanged, only the app restarts', async () => {
    const p = await plan(
      {
        'compose.yaml': COMPOSE,
        'release.env': `APP_IMAGE=reg/app@${D('2')}\nMIGRATOR_IMAGE=reg/mig:1\nAPP_MESSAGE=hi\n`,
      },
      hostLines([...RUNNING_V1, 'bundle=same compose.yaml', 'bundle=changed release.env'], [{}, V1_ENV]),
    );
    const app = p.services.find((s) => s.service === 'app')!;
    expect(app).toMatchObject({
      change: 'changed',
      old: { image: 'reg/app:v1', digest: D('1') },
      new: { image: `reg/app@${D('2')}`, digest: D('2') },
      restarts: true,
    });
    expect(p.services.find((s) => s.service === 'db')).toMatchObject({
      change: 'unchanged',
      restarts: false,
    });
    expect(p.env).toMatchObject({ changed: ['APP_IMAGE'], added: [], removed: [] });
    expect(p.migrations).toEqual({ runs: true, service: 'migrator', imageChanged: false });
    expect(p.files).toMatchObject({ changed: ['release.env'], unchanged: 1 });
    expect(p.drift.clean).toBe(true);
    expect(p.problems).toEqual([]);
  });

  it('an env value change restarts the services that read it, and says which key', async () => {
    const p = await plan(
      {
        'compose.yaml': COMPOSE,
        'release.env': 'APP_IMAGE=reg/app:v1\nMIGRATOR_IMAGE=reg/mig:2\nAPP_MESSAGE=bye\n',
      },
      hostLines(RUNNING_V1, [{}, V1_ENV]),
    );
    expect(p.env.changed).toEqual(['APP_MESSAGE', 'MIGRATOR_IMAGE']);
    expect(p.services.find((s) => s.service === 'app')).toMatchObject({
      change: 'unchanged',
      restarts: true,
      why: 'env: APP_MESSAGE',
    });
    expect(p.restarts).toEqual(['app']);
    expect(p.migrations.imageChanged).toBe(true);
    // Names only: no value and no HMAC in the plan.
    const text = JSON.stringify(p);
    for (const v of ['bye', 'hi', key.hmac('bye'), key.hmac('hi')]) expect(text).not.toContain(`"${v}"`);
    expect(text).not.toContain(key.hmac('bye'));
  });

  it('a value the planner cannot see is reported unknown, not changed', async () => {
    const p = await plan(
      {
        'compose.yaml': COMPOSE,
        'release.env': `APP_IMAGE=reg/app:v1\nMIGRATOR_IMAGE=reg/mig:1\nAPP_MESSAGE=${PLAN_UNKNOWN_VALUE}\nNEW_SECRET='${PLAN_UNKNOWN_VALUE}'\n`,
      },
      hostLines(RUNNING_V1, [{}, V1_ENV]),
    );
    expect(p.env).toMatchObject({
      added: [],
      changed: [],
      removed: [],
      unknown: ['APP_MESSAGE', 'NEW_SECRET'],
    });
    // deploy.yml's plan job writes exactly this for a secret it cannot see.
    expect(PLAN_UNKNOWN_VALUE).toBe('deploy-actions:unknown-to-the-plan');
    expect(p.restarts).toEqual([]);
  });

  it('a preserved env file the host has stays the host’s: the bundle’s copy changes nothing', async () => {
    const p = await plan(
      {
        'compose.yaml': COMPOSE,
        '.env': 'PORT=2\n',
        'release.env': 'APP_IMAGE=reg/app:v1\nMIGRATOR_IMAGE=reg/mig:1\nAPP_MESSAGE=hi\n',
      },
      hostLines(
        [...RUNNING_V1, 'bundle=changed .env', 'bundle=same compose.yaml', 'bundle=same release.env'],
        [{ PORT: '1' }, V1_ENV],
      ),
    );
    expect(p.env).toMatchObject({ added: [], removed: [], changed: [] });
    expect(p.env.files).toEqual([
      { path: '.env', from: 'host' },
      { path: 'release.env', from: 'bundle' },
    ]);
    expect(p.files.preservedSkipped).toEqual(['.env']);
    expect(p.restarts).toEqual([]);
  });

  it('removes what the previous release wrote only when unchanged and not preserved, as activate does', async () => {
    const p = await plan(
      {
        'compose.yaml': COMPOSE,
        'release.env': 'APP_IMAGE=reg/app:v1\nMIGRATOR_IMAGE=reg/mig:1\nAPP_MESSAGE=hi\n',
      },
      hostLines(
        [
          ...RUNNING_V1,
          'written=same compose.yaml',
          'written=same old.conf',
          'written=changed tuned.conf',
          'written=missing gone.conf',
          'written=same data/seed.sql',
        ],
        [{}, V1_ENV],
      ),
    );
    expect(p.files.removed).toEqual(['old.conf']);
    expect(p.files.keptChanged).toEqual(['tuned.conf']);
  });

  it('a service no longer in the compose files is removed by up --remove-orphans; with strategy script nothing is claimed', async () => {
    const lines = [...RUNNING_V1, `container=worker|reg/w:1|${D('e')}|running||0||/app-worker-1`];
    const files = {
      'compose.yaml': COMPOSE,
      'release.env': 'APP_IMAGE=reg/app:v1\nMIGRATOR_IMAGE=reg/mig:1\nAPP_MESSAGE=hi\n',
    };
    const p = await plan(files, hostLines(lines, [{}, V1_ENV]));
    expect(p.services.find((s) => s.service === 'worker')).toMatchObject({
      change: 'removed',
      old: { image: 'reg/w:1' },
    });
    const script = { ...base, strategy: 'script' as const, script: 'true' };
    const q = await plan(files, hostLines(lines, [{}, V1_ENV], script), script);
    expect(q.steps).not.toContain('up');
    expect(q.services.find((s) => s.service === 'worker')?.change).toBe('unchanged');
    expect(q.restarts).toEqual([]);
    expect(q.migrations.runs).toBe(false);
  });

  it('follows the run’s steps: no pull step, no images to pull; no migrate-service, no migration', async () => {
    const settings = {
      ...base,
      pull: false,
      build: true,
      migrateService: undefined,
    } as unknown as DeploySettings;
    delete (settings as { migrateService?: string }).migrateService;
    const p = await plan(
      { 'compose.yaml': COMPOSE, 'release.env': 'APP_IMAGE=reg/app:v9\n' },
      hostLines(RUNNING_V1, [{}, V1_ENV], settings),
      settings,
    );
    expect(p.steps).toEqual(expect.arrayContaining(['build']));
    expect(p.steps).not.toContain('pull');
    expect(p.steps).not.toContain('migrate');
    expect(p.images.toPull).toEqual([]);
    expect(p.migrations).toEqual({ runs: false });
  });

  it('names host problems: a held lock (who, since when), low disk, no compose, drift', async () => {
    const owner = {
      token: 'tok',
      run: '9/1',
      repository: 'o/r',
      actor: 'bob',
      release: 'r',
      runner: 'x',
      startedAt: '2026-01-01T00:00:00Z',
      expiresAt: '2999-01-01T00:00:00Z',
    };
    const lines = [
      'current=r1',
      'current_record=ok',
      'lock=held',
      'lock_age=30',
      `lock_owner=${JSON.stringify(owner)}`,
      'disk_free_kb=1000',
      `record_image=reg/app:v1 ${D('a')}`,
      `container=app|reg/app:v1|${D('b')}|running||0||/app-app-1`,
    ];
    const p = await plan(
      { 'compose.yaml': COMPOSE, 'release.env': 'APP_IMAGE=reg/app:v2\n' },
      hostLines(lines, [{}, V1_ENV]).replace('compose_v2=yes\n', ''),
    );
    expect(p.lock).toEqual({
      by: expect.stringContaining('run 9/1'),
      ageSeconds: 30,
      since: '2026-01-01T00:00:00Z',
      stale: false,
    });
    const problems = p.problems.join('\n');
    expect(problems).toContain('the host lock is held by run 9/1');
    expect(problems).toContain('free disk under /srv/app: 1 MiB');
    expect(problems).toContain('neither `docker compose` nor `docker-compose` works');
    expect(problems).toContain('drift: 1 difference');
    expect(JSON.stringify(p)).not.toContain('tok');
    expect(p.steps[0]).toBe('lock');
  });
});

describe('computeDrift', () => {
  const lines = (...extra: string[]) =>
    parseReading(['current=r1', 'current_record=ok', ...extra].join('\n'), 0);

  it('finds nothing on a host that runs its recorded release', () => {
    const d = computeDrift('h', lines(...RUNNING_V1.slice(2)), ['app', 'db']);
    expect(d).toEqual({ host: 'h', release: 'r1', clean: true, items: [] });
  });

  it('is not clean where no release is recorded (never deployed, or the wrong remote-dir)', () => {
    const d = computeDrift('h', parseReading('exists=yes', 0), []);
    expect(d.clean).toBe(false);
    expect(d.items).toEqual([expect.objectContaining({ kind: 'record' })]);
  });

  it('reports each kind of difference', () => {
    const d = computeDrift(
      'h',
      lines(
        `record_image=reg/app:v1 ${D('a')}`,
        `record_image=reg/db:1 ${D('d')}`,
        `container=app|reg/app:v1|${D('f')}|running|unhealthy|0||/app-app-1`,
        `container=db|reg/db:1|${D('d')}|exited||0||/app-db-1`,
        `container=cache|reg/c:1|${D('d')}|restarting||5||/app-cache-1`,
        `container=migrator|reg/m:1|${D('m')}|running||0|True|/app-migrator-run-1`,
        'written=changed compose.yaml',
        'host_file=changed docker-compose.override.yml',
        'written=same release.env',
        'env_record=changed release.env',
        'lock=held',
        'lock_age=4000',
      ),
      ['app', 'db', 'worker'],
    );
    expect(d.clean).toBe(false);
    expect(d.items.map((i) => `${i.kind} ${i.service ?? i.path ?? ''}`.trim()).sort()).toEqual(
      [
        'lock',
        'image app',
        'unhealthy app',
        'stopped db',
        'restarting cache',
        'missing worker',
        'extra cache',
        'file compose.yaml',
        'file docker-compose.override.yml',
        'env-file release.env',
      ].sort(),
    );
    expect(d.items.find((i) => i.kind === 'image')!.detail).toContain('the tag was moved');
  });
});

describe('readHost', () => {
  it('sends the HMAC key and the bundle checksums over stdin, never on the command line', async () => {
    const calls: { argv: readonly string[] | string; stdin: unknown }[] = [];
    const conn = {
      exec: async (argv: readonly string[] | string, options: { stdin?: unknown } = {}) => {
        calls.push({ argv, stdin: options.stdin });
        return { code: 0, stdout: '', stderr: '' };
      },
    } as unknown as SshConnection;
    const runKey = newRunKey();
    await readHost(conn, {
      remoteDir: '/srv/app',
      envFiles: ['.env'],
      imageVars: [],
      imageRefs: [],
      bundleSums: [`${'a'.repeat(64)}  compose.yaml`],
      key: runKey,
    });
    expect(calls).toHaveLength(1);
    const argv = JSON.stringify(calls[0]!.argv);
    const stdin = String(calls[0]!.stdin);
    const [ipad, opad] = runKey.stdinLines().split('\n');
    expect(stdin.startsWith(runKey.stdinLines())).toBe(true);
    expect(stdin).toContain('compose.yaml');
    expect(argv).not.toContain(ipad!.slice(0, 40));
    expect(argv).not.toContain(opad!.slice(0, 40));
    expect(argv).not.toContain('a'.repeat(64));
  });
});
