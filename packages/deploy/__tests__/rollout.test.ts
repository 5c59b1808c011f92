import { composeInvocation } from '../src/compose.js';
import { settingsForHost } from '../src/hosts.js';
import { parseState, planSteps, resolveRollbackTarget } from '../src/rollout.js';
import type { DeploySettings } from '../src/types.js';

const settings: DeploySettings = {
  remoteDir: '/opt/app/{host}',
  sourceDir: '.',
  files: [],
  preserve: ['.env'],
  keepReleases: 5,
  strategy: 'compose',
  composeFiles: [],
  envFiles: ['.env', 'prod.env'],
  projectName: 'app-{host}',
  servicesFirst: ['db'],
  migrateService: 'migrator',
  services: [],
  pull: true,
  build: false,
  healthUrl: 'http://{host}:8080/api/ready',
  healthTimeoutMs: 60_000,
  lockTimeoutMs: 60_000,
  dryRun: true,
  timeoutMs: 600_000,
  origin: { id: 'r9', commit: 'abc', actor: 'me', repository: 'o/r', run: '1/1' },
};

describe('composeInvocation', () => {
  it('passes every env file to compose v2, in order', () => {
    const c = composeInvocation({
      flavour: 'v2',
      projectName: 'p',
      files: [],
      envFiles: ['.env', 'prod.env'],
    });
    expect(c.argv('up', '-d')).toEqual([
      'docker',
      'compose',
      '-p',
      'p',
      '--env-file',
      '.env',
      '--env-file',
      'prod.env',
      'up',
      '-d',
    ]);
  });

  it('calls docker-compose for v1 with the files given', () => {
    const c = composeInvocation({ flavour: 'v1', files: ['a.yml', 'b.yml'], envFiles: ['merged.env'] });
    expect(c.argv('config', '-q')).toEqual([
      'docker-compose',
      '-f',
      'a.yml',
      '-f',
      'b.yml',
      '--env-file',
      'merged.env',
      'config',
      '-q',
    ]);
  });
});

describe('settingsForHost', () => {
  it('fills {host} in remote-dir, project-name and health-url', () => {
    const s = settingsForHost(settings, '127.0.0.2:2222');
    expect([s.remoteDir, s.projectName, s.healthUrl]).toEqual([
      '/opt/app/127.0.0.2',
      'app-127-0-0-2',
      'http://127.0.0.2:8080/api/ready',
    ]);
  });

  it('brackets an IPv6 address in the health URL', () => {
    expect(settingsForHost(settings, '[::1]:22').healthUrl).toBe('http://[::1]:8080/api/ready');
  });
});

describe('resolveRollbackTarget', () => {
  const state = parseState(
    'compose=v1\ncurrent=r3\nhistory=r1\nhistory=r2\nhistory=r3\nrelease=r1\nrelease=r2\nrelease=r3\nintact=r1\nintact=r2\nintact=r3\n',
  );

  it('takes previous as the release current before the current one', () => {
    expect(resolveRollbackTarget(state, 'previous', 'h')).toBe('r2');
  });

  it('names the kept releases when an id is not on the host', () => {
    expect(() => resolveRollbackTarget(state, 'r0', 'h')).toThrow(/Kept releases: r1, r2, r3/);
  });

  it('refuses a previous release whose record is gone', () => {
    const broken = parseState('current=r2\nhistory=r1\nhistory=r2\nrelease=r1\nrelease=r2\nintact=r2\n');
    expect(() => resolveRollbackTarget(broken, 'previous', 'h')).toThrow(/files list or bundle is gone/);
  });

  it('says so when there is no previous release', () => {
    expect(() =>
      resolveRollbackTarget(parseState('current=r1\nhistory=r1\nrelease=r1\n'), 'previous', 'h'),
    ).toThrow(/no previous release/);
  });
});

describe('planSteps', () => {
  it('merges env files for compose v1 and shows the real command lines', () => {
    const plan = planSteps(settingsForHost(settings, 'h'), parseState('compose=v1\n'), undefined, 'r9');
    const text = plan.join('\n');
    expect(text).toContain(
      'merge env-files .env, prod.env into /opt/app/h/.releases/r9/compose.env (compose v1 reads one)',
    );
    expect(text).toContain(
      'migrate: docker-compose -p app-h --env-file /opt/app/h/.releases/r9/compose.env run --rm -T migrator',
    );
  });

  it('passes several env files straight to compose v2', () => {
    const plan = planSteps(settingsForHost(settings, 'h'), parseState('compose=v2\n'), undefined, 'r9');
    expect(plan.join('\n')).toContain(
      'config: docker compose -p app-h --env-file .env --env-file prod.env config --services',
    );
  });
});
