// ssh-deploy never loses host data and leaves every failure in a named state
// (issue 11): each describe reproduces one reported defect against the lab.
import { jest } from '@jest/globals';
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAction, type ActionRun } from '../harness/run-action.js';
import { describeWithLab, dockerAsRoot, type Lab } from '../lab/lab.js';
import {
  appVersion,
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

/**
 * A stack whose migrator behaves like Flyway or Alembic: it records the schema
 * version in data/schema and refuses to run against a newer one. It has no
 * profile, so a plain `up -d` would start it as a service.
 */
function schemaStack(lab: Lab, options: { extraService?: boolean } = {}): string {
  return [
    'services:',
    '  db:',
    `    image: ${lab.images.db}`,
    '  migrator:',
    `    image: ${lab.images.busybox}`,
    '    entrypoint:',
    '      - sh',
    '      - -c',
    '      - >-',
    '        have=$$(cat /data/schema 2>/dev/null || echo 0);',
    '        if [ "$$have" -gt "$$SCHEMA" ]; then echo "schema $$have is newer than $$SCHEMA: refusing" >&2; exit 1; fi;',
    '        echo "$$SCHEMA" > /data/schema; echo "migrated to $$SCHEMA" >> /data/migrations',
    '    environment:',
    '      SCHEMA: ${SCHEMA:-1}',
    '    volumes:',
    '      - ./data:/data',
    '  app:',
    '    image: ${APP_IMAGE}',
    '    environment:',
    '      APP_READY: ${APP_READY:-true}',
    '    ports:',
    "      - '127.0.0.1:${APP_PORT}:8080'",
    ...(options.extraService
      ? ['  extra:', `    image: ${lab.images.busybox}`, "    command: ['sleep', '3600']"]
      : []),
    '',
  ].join('\n');
}

describeWithLab('ssh-deploy safety', (lab: Lab) => {
  const connection = labConnection(lab);
  const privateKey = connection['private-key'];
  const projects: string[] = [];
  const dirs: string[] = [];
  afterAll(() => cleanUp(lab, projects, dirs));

  function newStack(prefix: string, hostFiles: Record<string, string> = {}) {
    const port = freePort();
    const project = uniqueProject(prefix);
    const dir = prepareRemoteDir(lab, { '.env': `APP_PORT=${port}\n`, ...hostFiles });
    projects.push(project);
    dirs.push(dir);
    return { port, project, dir };
  }
  type Stack = ReturnType<typeof newStack>;

  function deploy(stack: Stack, bundle: BundleOptions | string, inputs: Record<string, string> = {}) {
    const source = typeof bundle === 'string' ? bundle : makeBundle(lab, bundle);
    return runAction('ssh-deploy', {
      inputs: {
        ...connection,
        'remote-dir': stack.dir,
        'source-dir': source,
        'project-name': stack.project,
        'env-files': '.env\nrelease.env',
        'health-url': `http://127.0.0.1:${stack.port}/api/ready`,
        'health-timeout': '30s',
        'lock-timeout': '2m',
        ...composeFlavourInput(),
        ...inputs,
      },
      timeoutMs: 200_000,
    });
  }
  const current = (dir: string): string => readRemote(dir, '.releases/current').trim();
  const errors = (run: ActionRun): string[] =>
    run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

  /** A bundle of the schema stack: app version, schema version, health. */
  const schemaBundle = (
    app: 'v1' | 'v2',
    schema: number,
    extra: { ready?: boolean; extraService?: boolean; files?: Record<string, string> } = {},
  ): BundleOptions => ({
    app,
    ...(extra.ready === false ? { ready: false } : {}),
    files: {
      'docker-compose.yml': schemaStack(lab, extra),
      'release.env': `APP_IMAGE=${app === 'v2' ? lab.images.app_v2 : lab.images.app_v1}\nAPP_READY=${extra.ready === false ? 'false' : 'true'}\nSCHEMA=${schema}\n`,
      ...extra.files,
    },
  });

  describe('only what a release wrote is removed (item 1)', () => {
    const hostEnv = 'APP_PORT={port}\nREAL_SECRET=from-the-host\n';
    let stack: Stack;
    let a: ActionRun;
    let b: ActionRun;

    beforeAll(async () => {
      stack = newStack('wrote', { 'data/app.db': 'the real database' });
      writeFileSync(join(stack.dir, '.env'), hostEnv.replace('{port}', String(stack.port)));
      // Release A ships a dev .env and database (skipped: the host has its own) and two config files.
      a = await deploy(stack, {
        app: 'v1',
        files: {
          '.env': 'APP_PORT=1\n',
          'data/app.db': 'dev database',
          'old.conf': 'shipped by A',
          'edited.conf': 'shipped by A',
        },
      });
      writeFileSync(join(stack.dir, 'edited.conf'), 'edited on the host');
      // Release B ships none of them, and its own preserve list no longer names .env or data/.
      b = await deploy(stack, { app: 'v2' }, { preserve: 'docker-compose.override.yml' });
    });

    it('deploys both releases', () => {
      expect(a.exitCode).toBe(0);
      expect(b.exitCode).toBe(0);
    });

    it("keeps the host's own .env and database, which no release wrote", () => {
      expect(readRemote(stack.dir, '.env')).toBe(hostEnv.replace('{port}', String(stack.port)));
      expect(readRemote(stack.dir, 'data/app.db')).toBe('the real database');
    });

    it('removes a file the previous release wrote and the new one does not ship', () => {
      expect(existsSync(join(stack.dir, 'old.conf'))).toBe(false);
    });

    it('keeps a file the previous release wrote but the host changed since', () => {
      expect(readRemote(stack.dir, 'edited.conf')).toBe('edited on the host');
    });

    it('records per release which files it wrote and which it skipped', () => {
      const id = a.outputs['release-id']!;
      const written = readRemote(stack.dir, `.releases/${id}/written.sha256`);
      expect(written).toContain('  old.conf');
      expect(written).not.toMatch(/ {2}(\.env|data\/app\.db)$/m);
      expect(readRemote(stack.dir, `.releases/${id}/skipped`).split('\n')).toEqual(
        expect.arrayContaining(['.env', 'data/app.db']),
      );
    });
  });

  describe('a missing release record (item 3)', () => {
    let stack: Stack;
    let good: ActionRun;
    let failed: ActionRun;
    let composeBefore: string;

    beforeAll(async () => {
      stack = newStack('record');
      good = await deploy(stack, { app: 'v1' });
      composeBefore = readRemote(stack.dir, 'docker-compose.yml');
      rmSync(join(stack.dir, '.releases', good.outputs['release-id']!, 'files'));
      failed = await deploy(stack, { app: 'v2', migrateFail: true }, { 'migrate-service': 'migrator' });
    });

    it('refuses before changing anything, naming the broken record', () => {
      expect(good.exitCode).toBe(0);
      expect(failed.exitCode).not.toBe(0);
      expect(failed.outputs['error-code']).toBe('release-record-missing');
      expect(errors(failed)[0]).toContain(good.outputs['release-id']);
    });

    it('deletes nothing and keeps the running release current', async () => {
      expect(readRemote(stack.dir, 'docker-compose.yml')).toBe(composeBefore);
      expect(readRemote(stack.dir, 'release.env')).toContain(lab.images.app_v1);
      expect(current(stack.dir)).toBe(good.outputs['release-id']);
      expect(await appVersion(stack.port)).toBe('v1');
    });

    it('also refuses when current names a release directory that is gone', async () => {
      writeFileSync(join(stack.dir, '.releases/current'), 'gone-release\n');
      const run = await deploy(stack, { app: 'v2' });
      expect(run.outputs['error-code']).toBe('release-record-missing');
      expect(errors(run)[0]).toContain('gone-release');
      expect(readRemote(stack.dir, 'docker-compose.yml')).toBe(composeBefore);
    });
  });

  describe('preserve as users write it (item 2)', () => {
    let stack: Stack;
    let run: ActionRun;

    beforeAll(async () => {
      stack = newStack('preserve', {
        'data/app.db': 'host db',
        'prod.env': 'HOST=1\n',
        'conf/site.conf': 'host conf',
      });
      run = await deploy(
        stack,
        {
          app: 'v1',
          files: {
            '.env': 'APP_PORT=1\n',
            'data/app.db': 'bundle db',
            'prod.env': 'BUNDLE=1\n',
            'conf/site.conf': 'bundle conf',
          },
        },
        { preserve: './.env\ndata//\n*.env\n./conf/*' },
      );
    });

    it('honours ./x, x//, globs and trailing slashes', () => {
      expect(run.exitCode).toBe(0);
      expect(readRemote(stack.dir, '.env')).toBe(`APP_PORT=${stack.port}\n`);
      expect(readRemote(stack.dir, 'data/app.db')).toBe('host db');
      expect(readRemote(stack.dir, 'prod.env')).toBe('HOST=1\n');
      expect(readRemote(stack.dir, 'conf/site.conf')).toBe('host conf');
    });

    it('rejects a form it cannot honour, naming preserve, before touching the host', async () => {
      const bad = await deploy(stack, { app: 'v2' }, { preserve: '!data/**' });
      expect(bad.outputs['error-code']).toBe('invalid-input');
      expect(errors(bad)[0]).toContain("'preserve'");
      expect(current(stack.dir)).toBe(run.outputs['release-id']);
    });
  });

  describe('a rollback after a schema migration (item 9, 14, 18)', () => {
    let stack: Stack;
    let a: ActionRun;
    let b: ActionRun;

    beforeAll(async () => {
      stack = newStack('schema');
      a = await deploy(stack, schemaBundle('v1', 1), { 'migrate-service': 'migrator' });
      // B migrates to schema 2, adds a service and a preserved log file, then fails its gate.
      b = await deploy(
        stack,
        schemaBundle('v2', 2, { ready: false, extraService: true, files: { 'logs/b.log': 'from B' } }),
        { 'migrate-service': 'migrator', 'health-timeout': '8s' },
      );
    });

    it('rolls back without running the migrator against the newer schema', async () => {
      expect(a.exitCode).toBe(0);
      expect(b.outputs['error-code']).toBe('health-gate-failed');
      expect(b.outputs['rolled-back']).toBe('true');
      expect(await appVersion(stack.port)).toBe('v1');
      expect(current(stack.dir)).toBe(a.outputs['release-id']);
      expect(readRemote(stack.dir, 'data/schema').trim()).toBe('2');
      expect(readRemote(stack.dir, 'data/migrations').trim().split('\n')).toEqual([
        'migrated to 1',
        'migrated to 2',
      ]);
    });

    it('never leaves the migrator running as a service', async () => {
      const r = await dockerAsRoot([
        'ps',
        '-aq',
        '--filter',
        `label=com.docker.compose.project=${stack.project}`,
        '--filter',
        'label=com.docker.compose.service=migrator',
        '--filter',
        'label=com.docker.compose.oneoff=False',
      ]);
      expect(r.stdout.trim()).toBe('');
    });

    it('removes the service the failed release added', async () => {
      expect(await containerId(stack.project, 'extra')).toBe('');
    });

    it('removes a preserved file the failed release introduced', () => {
      expect(existsSync(join(stack.dir, 'logs/b.log'))).toBe(false);
    });

    it('rolls back on request without a migrator, after a good upgrade', async () => {
      const c = await deploy(stack, schemaBundle('v2', 3), { 'migrate-service': 'migrator' });
      expect(c.exitCode).toBe(0);
      const back = await deploy(stack, makeBundle(lab), {
        rollback: 'previous',
        'migrate-service': 'migrator',
      });
      expect(back.exitCode).toBe(0);
      expect(await appVersion(stack.port)).toBe('v1');
      expect(readRemote(stack.dir, 'data/schema').trim()).toBe('3');
    });
  });

  describe('a rollback whose recorded image is gone (item 14)', () => {
    it('fails naming the image and keeps the target record', async () => {
      const stack = newStack('imagegone');
      const a = await deploy(stack, { app: 'v1' });
      const b = await deploy(stack, { app: 'v2' });
      expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
      const file = join(stack.dir, '.releases', a.outputs['release-id']!, 'images');
      const missing = `sha256:${'0'.repeat(64)}`;
      const record = readFileSync(file, 'utf8').replace(/sha256:[0-9a-f]{64}/, missing);
      writeFileSync(file, record);
      const back = await deploy(stack, makeBundle(lab), { rollback: 'previous' });
      expect(back.outputs['error-code']).toBe('rollback-image-missing');
      expect(errors(back)[0]).toContain(missing);
      expect(readFileSync(file, 'utf8')).toBe(record);
      expect(current(stack.dir)).toBe(b.outputs['release-id']);
      expect(await appVersion(stack.port)).toBe('v2');
    });
  });

  describe('a failing post-deploy hook (item 13)', () => {
    it('leaves current naming the release that runs, and says so', async () => {
      const stack = newStack('post');
      await deploy(stack, { app: 'v1' });
      const run = await deploy(
        stack,
        { app: 'v2' },
        { 'post-deploy': 'echo cache warm-up broke >&2; exit 3' },
      );
      expect(run.outputs['error-code']).toBe('post-deploy-failed');
      expect(await appVersion(stack.port)).toBe('v2');
      expect(current(stack.dir)).toBe(run.outputs['release-id']);
      expect(errors(run)[0]).toMatch(/is live and current/);
      expect(readdirSync(join(stack.dir, '.releases'))).not.toContain('.lock');
    });
  });

  describe('a timeout during the health gate (item 11)', () => {
    it('rolls back to the previous release and says so', async () => {
      const stack = newStack('timeout');
      const good = await deploy(stack, { app: 'v1' });
      const run = await deploy(
        stack,
        { app: 'v2', ready: false },
        { timeout: '25s', 'health-timeout': '3m' },
      );
      expect(good.exitCode).toBe(0);
      expect(run.outputs['error-code']).toBe('timeout');
      expect(run.outputs['rolled-back']).toBe('true');
      expect(JSON.parse(run.outputs['hosts']!)[0]).toMatchObject({ running: good.outputs['release-id'] });
      expect(errors(run)[0]).toMatch(/during the health gate/);
      expect(await appVersion(stack.port)).toBe('v1');
      expect(current(stack.dir)).toBe(good.outputs['release-id']);
      expect(existsSync(join(stack.dir, '.releases/.lock'))).toBe(false);
    });
  });

  // A timeout that ends the run before anything of ours changed (here: while pre-deploy still
  // runs, before the upload) leaves a state that can be named: not `unknown`.
  describe('a timeout before anything changed', () => {
    const slowHook = { timeout: '2s', 'pre-deploy': 'sleep 6' };

    it('on a first deploy, reports nothing of ours running, not unknown', async () => {
      const stack = newStack('tofirst');
      const run = await deploy(stack, { app: 'v1' }, slowHook);
      expect(run.outputs['error-code']).toBe('timeout');
      const host = JSON.parse(run.outputs['hosts']!)[0];
      expect(host).toMatchObject({ status: 'failed', rolledBack: false });
      expect(host.running).toBeUndefined();
      expect(existsSync(join(stack.dir, '.releases/current'))).toBe(false);
      expect(existsSync(join(stack.dir, 'docker-compose.yml'))).toBe(false);
      expect(existsSync(join(stack.dir, '.releases/.lock'))).toBe(false);
    });

    it('on a later deploy, reports the previous release still running', async () => {
      const stack = newStack('tolater');
      const good = await deploy(stack, { app: 'v1' });
      const run = await deploy(stack, { app: 'v2' }, slowHook);
      expect(run.outputs['error-code']).toBe('timeout');
      expect(JSON.parse(run.outputs['hosts']!)[0]).toMatchObject({
        status: 'failed',
        rolledBack: false,
        running: good.outputs['release-id'],
      });
      expect(await appVersion(stack.port)).toBe('v1');
      expect(current(stack.dir)).toBe(good.outputs['release-id']);
    });
  });

  // On a first deploy, `running` names the release only once one of its containers started:
  // a pull that fails has started nothing (only image tags may have changed).
  describe('a first deploy that fails before the app starts', () => {
    it('reports nothing of ours running after a failed pull', async () => {
      const stack = newStack('pullfirst');
      const bundle = makeBundle(lab, { app: 'v1' });
      writeFileSync(
        join(bundle, 'release.env'),
        `APP_IMAGE=${lab.registry}/lab/app:never-pushed-${stack.project}\nAPP_READY=true\n`,
      );
      const run = await deploy(stack, bundle, { 'services-first': 'db' });
      expect(run.outputs['error-code']).toBe('pull-failed');
      const host = JSON.parse(run.outputs['hosts']!)[0];
      expect(host).toMatchObject({ status: 'failed', rolledBack: false });
      expect(host.running).toBeUndefined();
    });

    it('names the release once its services-first started, when the migration fails', async () => {
      const stack = newStack('migfirst');
      const run = await deploy(
        stack,
        { app: 'v1', migrateFail: true },
        { 'services-first': 'db', 'migrate-service': 'migrator' },
      );
      expect(run.outputs['error-code']).toBe('migration-failed');
      const host = JSON.parse(run.outputs['hosts']!)[0];
      expect(host).toMatchObject({ status: 'failed', rolledBack: false, running: run.outputs['release-id'] });
    });
  });

  describe('fleet-rollback (item 17)', () => {
    const hosts = ['127.0.0.4', '127.0.0.5'];
    let first: ActionRun;
    let second: ActionRun;
    let port: number;
    let base: string;

    beforeAll(async () => {
      port = freePort();
      const project = uniqueProject('fleet');
      base = `${lab.remoteBase}/ssh-deploy-fleet-${project.slice(-6)}`;
      // The lab's "hosts" are one machine: each gets its own dir and project, and binds its own address.
      for (const host of hosts) {
        dirs.push(
          prepareRemoteDir(lab, { '.env': `APP_PORT=${port}\nBIND_IP=${host}\n` }, `${base}-${host}`),
        );
        projects.push(`${project}-${host.replace(/\./g, '-')}`);
      }
      const inputs = {
        host: hosts.join('\n'),
        port: String(lab.sshPort),
        username: lab.user,
        'private-key': privateKey,
        'known-hosts': lab.knownHostsPath,
        'remote-dir': `${base}-{host}`,
        'project-name': `${project}-{host}`,
        // The host's .env wins here, so one host can be made to fail its gate.
        'env-files': 'release.env\n.env',
        'health-url': `http://{host}:${port}/api/ready`,
        'health-timeout': '8s',
        'fleet-rollback': 'true',
        ...composeFlavourInput(),
      };
      first = await runAction('ssh-deploy', {
        inputs: { ...inputs, 'source-dir': makeBundle(lab, { app: 'v1' }) },
        timeoutMs: 200_000,
      });
      appendFileSync(join(`${base}-${hosts[1]}`, '.env'), 'APP_READY=false\n');
      second = await runAction('ssh-deploy', {
        inputs: { ...inputs, 'source-dir': makeBundle(lab, { app: 'v2' }) },
        timeoutMs: 200_000,
      });
    });

    it('rolls back the host already deployed when a later one fails its gate', async () => {
      expect(first.exitCode).toBe(0);
      expect(second.exitCode).not.toBe(0);
      expect(second.outputs['error-code']).toBe('health-gate-failed');
      expect(await appVersion(port, hosts[0])).toBe('v1');
      expect(readRemote(`${base}-${hosts[0]}`, '.releases/current').trim()).toBe(first.outputs['release-id']);
    });

    it('says per host what runs', () => {
      const results = JSON.parse(second.outputs['hosts']!) as {
        host: string;
        status: string;
        running: string;
      }[];
      expect(results.map((r) => [r.host, r.status, r.running])).toEqual(
        hosts.map((h) => [`${h}:${lab.sshPort}`, 'rolled-back', first.outputs['release-id']]),
      );
      expect(second.summary).toContain('running now');
    });
  });

  describe('a services-first failure (item 12)', () => {
    it('puts the previous services-first container back and leaves the app untouched', async () => {
      const stack = newStack('dbfirst');
      const good = await deploy(
        stack,
        { app: 'v1' },
        { 'services-first': 'db', 'migrate-service': 'migrator' },
      );
      const appBefore = await containerId(stack.project, 'app');
      // The new release's database never becomes healthy.
      const compose = readFileSync(
        new URL('../fixtures/ssh-deploy/stack/docker-compose.yml', import.meta.url),
        'utf8',
      ).replace(
        `    image: ${lab.images.db}\n`,
        `    image: ${lab.images.busybox}\n    command: ['sleep', '3600']\n    healthcheck:\n      test: ['CMD', 'false']\n      interval: 1s\n      retries: 1\n`,
      );
      expect(compose).toContain("test: ['CMD', 'false']");
      const bad = await deploy(
        stack,
        { app: 'v2', files: { 'docker-compose.yml': compose } },
        { 'services-first': 'db', 'migrate-service': 'migrator', 'health-timeout': '8s' },
      );
      expect(good.exitCode).toBe(0);
      expect(bad.outputs['error-code']).toMatch(/^services-first-(unhealthy|failed)$/);
      expect(JSON.parse(bad.outputs['hosts']!)[0]).toMatchObject({ running: good.outputs['release-id'] });
      const db = await containerId(stack.project, 'db');
      const image = await dockerAsRoot(['inspect', '-f', '{{.Config.Image}}', db]);
      expect(image.stdout.trim()).toBe(lab.images.db);
      expect(await containerId(stack.project, 'app')).toBe(appBefore);
      expect(await appVersion(stack.port)).toBe('v1');
      expect(current(stack.dir)).toBe(good.outputs['release-id']);
    });
  });
});
