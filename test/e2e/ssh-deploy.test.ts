import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runAction, visibleText, type ActionRun } from '../harness/run-action.js';
import { describeWithLab, freshRemoteDir, type Lab } from '../lab/lab.js';
import {
  appVersion,
  cleanUp,
  composeFlavour,
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

// A compose rollout takes several seconds. LAB_COMPOSE=v1 runs the suite on docker-compose 1.29
// (see composeFlavourInput); by default the action picks Compose v2.
jest.setTimeout(240_000);

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

describeWithLab('ssh-deploy', (lab: Lab) => {
  const connection = labConnection(lab);
  const privateKey = connection['private-key'];
  const projects: string[] = [];
  const dirs: string[] = [];
  afterAll(() => cleanUp(lab, projects, dirs));

  /** A stack of its own: remote dir with the host's .env and data, project name, port. */
  function newStack(prefix: string, hostFiles: Record<string, string | Buffer> = {}) {
    const port = freePort();
    const project = uniqueProject(prefix);
    const dir = prepareRemoteDir(lab, { '.env': `APP_PORT=${port}\n`, ...hostFiles });
    projects.push(project);
    dirs.push(dir);
    return { port, project, dir };
  }

  function deploy(
    stack: { port: number; project: string; dir: string },
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
        'lock-timeout': '2m',
        ...composeFlavourInput(),
        ...inputs,
      },
      timeoutMs: 200_000,
    });
  }

  const errors = (run: ActionRun): string[] =>
    run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  const current = (dir: string): string => readRemote(dir, '.releases/current').trim();

  describe('a first deploy, then an upgrade', () => {
    const hostData = Buffer.from([0, 1, 2, 3, 255, 254, 10, 13]);
    const OVERRIDE = 'services:\n  app:\n    environment:\n      APP_MESSAGE: host-override\n';
    const hostEnvExtra = '# host-owned, never overwritten\nSECRET_ON_HOST=kept\n';
    let stack: ReturnType<typeof newStack>;
    let first: ActionRun;
    let second: ActionRun;
    let hostEnvBefore: string;
    const encryptedKey = readFileSync(lab.encryptedKeyPath, 'utf8');

    beforeAll(async () => {
      stack = newStack('upgrade', { 'data/db.bin': hostData, 'docker-compose.override.yml': OVERRIDE });
      hostEnvBefore = readRemote(stack.dir, '.env') + hostEnvExtra;
      appendFileSync(join(stack.dir, '.env'), hostEnvExtra);
      const bundleFiles = {
        '.env': 'APP_PORT=1\n',
        'data/db.bin': 'from the bundle',
        'logs/new.log': 'bundle log',
      };
      first = await deploy(
        stack,
        { app: 'v1', files: bundleFiles },
        { 'private-key': encryptedKey, passphrase: lab.passphrase },
      );
      second = await deploy(stack, { app: 'v2', files: bundleFiles });
    });

    it('deploys the first release and reports it', async () => {
      expect(first.exitCode).toBe(0);
      expect(first.outputs['release-id']).toMatch(/^\d{8}T\d{6}Z-0123456-[0-9a-f]{4}$/);
      expect(first.outputs['previous-release-id']).toBe('');
      expect(first.outputs['rolled-back']).toBe('false');
    });

    it('serves the new version after the upgrade', async () => {
      expect(second.exitCode).toBe(0);
      expect(await appVersion(stack.port)).toBe('v2 host-override');
      expect(second.outputs['previous-release-id']).toBe(first.outputs['release-id']);
    });

    it('keeps the host .env, override file and data byte-identical', () => {
      expect(readRemote(stack.dir, '.env')).toBe(hostEnvBefore);
      expect(readRemote(stack.dir, 'docker-compose.override.yml')).toBe(OVERRIDE);
      expect(sha256(readFileSync(join(stack.dir, 'data/db.bin')))).toBe(sha256(hostData));
    });

    it('writes a preserved file the bundle carries when the host has none', () => {
      expect(readRemote(stack.dir, 'logs/new.log')).toBe('bundle log');
    });

    it('records both releases under remote-dir with commit and file checksums', () => {
      const releases = readdirSync(join(stack.dir, '.releases')).filter((d) => /^\d{8}T/.test(d));
      expect(releases.sort()).toEqual([first.outputs['release-id'], second.outputs['release-id']].sort());
      const record = JSON.parse(
        readRemote(stack.dir, `.releases/${second.outputs['release-id']}/release.json`),
      );
      expect(record).toMatchObject({ commit: '0123456789abcdef0123456789abcdef01234567', actor: 'tester' });
      const checksums = readRemote(stack.dir, `.releases/${second.outputs['release-id']}/files.sha256`);
      expect(checksums).toContain(
        `${sha256(readFileSync(join(stack.dir, 'docker-compose.yml')))}  docker-compose.yml`,
      );
      expect(current(stack.dir)).toBe(second.outputs['release-id']);
    });

    it('records the image each service ran, for rollback', () => {
      expect(readRemote(stack.dir, `.releases/${second.outputs['release-id']}/images`)).toContain(
        `${lab.images.app_v2} sha256:`,
      );
    });

    it('runs the migrator once per deploy', () => {
      expect(readRemote(stack.dir, 'data/migrated').trim().split('\n')).toHaveLength(2);
    });

    it('releases the host lock when done', () => {
      expect(existsSync(join(stack.dir, '.releases/.lock'))).toBe(false);
    });

    it('never shows the private key or its passphrase', () => {
      const keyLine = encryptedKey.split('\n')[2]!;
      for (const run of [first, second]) expect(visibleText(run)).not.toContain(keyLine);
      expect(visibleText(first)).not.toContain(lab.passphrase);
      expect(first.masked).toContain(lab.passphrase);
    });

    it('writes a summary with one row per host', () => {
      expect(second.summary).toMatch(/\| 127\.0\.0\.1:2222 \| deployed \|/);
    });

    it('rolls back to the previous release on request', async () => {
      const run = await deploy(stack, makeBundle(lab), {
        rollback: 'previous',
        'source-dir': '/nonexistent',
      });
      expect(run.exitCode).toBe(0);
      expect(run.outputs['release-id']).toBe(first.outputs['release-id']);
      expect(await appVersion(stack.port)).toBe('v1 host-override');
      expect(current(stack.dir)).toBe(first.outputs['release-id']);
      // The log names what it goes back to, never a release id that exists nowhere.
      expect(run.stdout).toContain('Rolling back to the previous release on 127.0.0.1:2222');
      expect(run.stdout).not.toMatch(/Deploying release/);
    });

    it('rolls forward again to a release named by id', async () => {
      const run = await deploy(stack, makeBundle(lab), { rollback: second.outputs['release-id']! });
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain(
        `Rolling back to release ${second.outputs['release-id']!} on 127.0.0.1:2222`,
      );
      expect(await appVersion(stack.port)).toBe('v2 host-override');
    });
  });

  describe('a failing migration', () => {
    let stack: ReturnType<typeof newStack>;
    let good: ActionRun;
    let appBefore: string;
    let failed: ActionRun;

    beforeAll(async () => {
      stack = newStack('migfail');
      good = await deploy(stack, { app: 'v1' });
      appBefore = await containerId(stack.project, 'app');
      failed = await deploy(stack, { app: 'v2', migrateFail: true });
    });

    it('fails the step naming the host, the command and its output', () => {
      expect(good.exitCode).toBe(0);
      expect(failed.exitCode).not.toBe(0);
      expect(failed.outputs['error-code']).toBe('migration-failed');
      const [message] = errors(failed);
      expect(message).toContain('127.0.0.1:2222');
      expect(message).toContain('run --rm -T migrator');
      expect(message).toContain('exited with 1');
      expect(message).toContain('MIGRATE_FAIL=true');
    });

    it('leaves the app container untouched', async () => {
      expect(await containerId(stack.project, 'app')).toBe(appBefore);
      expect(await appVersion(stack.port)).toBe('v1');
    });

    it('keeps the previous release current and its files live', () => {
      expect(current(stack.dir)).toBe(good.outputs['release-id']);
      expect(readRemote(stack.dir, 'release.env')).toContain(lab.images.app_v1);
    });

    it('releases the host lock after the failure', () => {
      expect(existsSync(join(stack.dir, '.releases/.lock'))).toBe(false);
    });
  });

  describe('a release that fails its health gate', () => {
    let stack: ReturnType<typeof newStack>;
    let good: ActionRun;
    let bad: ActionRun;

    beforeAll(async () => {
      stack = newStack('health');
      good = await deploy(stack, { app: 'v1' });
      bad = await deploy(stack, { app: 'v2', ready: false }, { 'health-timeout': '8s' });
    });

    it('fails the step with rolled-back=true', () => {
      expect(good.exitCode).toBe(0);
      expect(bad.exitCode).not.toBe(0);
      expect(bad.outputs['rolled-back']).toBe('true');
      expect(bad.outputs['error-code']).toBe('health-gate-failed');
      expect(errors(bad)[0]).toMatch(/rolled back to/);
    });

    it('puts the previous release back in service', async () => {
      expect(await appVersion(stack.port)).toBe('v1');
      expect(current(stack.dir)).toBe(good.outputs['release-id']);
      expect(JSON.parse(bad.outputs['hosts']!)[0]).toMatchObject({
        status: 'rolled-back',
        release: good.outputs['release-id'],
      });
    });

    it('marks the failed release as failed on the host', () => {
      const failedId = readdirSync(join(stack.dir, '.releases')).find(
        (d) => d !== good.outputs['release-id'] && /^\d{8}T/.test(d),
      )!;
      expect(readRemote(stack.dir, `.releases/${failedId}/status`)).toMatch(/^failed: health gate/);
    });
  });

  describe('a host whose key is not the expected one', () => {
    it('fails before sending anything, naming the key the host presented', async () => {
      const dir = freshRemoteDir(lab, 'ssh-deploy-wrongkey');
      const run = await runAction('ssh-deploy', {
        inputs: {
          host: `${lab.sshHost}:${lab.sshPort}`,
          username: lab.user,
          'private-key': privateKey,
          'host-fingerprint': 'SHA256:' + 'Q'.repeat(43),
          'remote-dir': dir,
          'source-dir': makeBundle(lab),
        },
        timeoutMs: 60_000,
      });
      expect(run.exitCode).not.toBe(0);
      expect(run.outputs['error-code']).toBe('host-key-mismatch');
      expect(lab.hostFingerprints.some((fp) => errors(run)[0]!.includes(fp))).toBe(true);
      expect(existsSync(dir)).toBe(false);
    });
  });

  describe('a wrong passphrase', () => {
    it('is reported as a passphrase problem before connecting', async () => {
      const dir = freshRemoteDir(lab, 'ssh-deploy-passphrase');
      const run = await runAction('ssh-deploy', {
        inputs: {
          host: `${lab.sshHost}:${lab.sshPort}`,
          username: lab.user,
          'private-key': readFileSync(lab.encryptedKeyPath, 'utf8'),
          passphrase: 'not-the-passphrase',
          'known-hosts': lab.knownHostsPath,
          'remote-dir': dir,
          'source-dir': makeBundle(lab),
        },
        timeoutMs: 60_000,
      });
      expect(run.outputs['error-code']).toBe('invalid-input');
      expect(errors(run)).toEqual([expect.stringMatching(/'passphrase'.*does not decrypt the private key/)]);
      expect(existsSync(dir)).toBe(false);
      expect(visibleText(run)).not.toContain('not-the-passphrase');
    });
  });

  describe('hostile inputs', () => {
    const marker = `/tmp/ssh-deploy-pwned-${process.pid}`;
    let stack: ReturnType<typeof newStack>;
    let run: ActionRun;

    beforeAll(async () => {
      const port = freePort();
      const project = uniqueProject('hostile');
      const dir = prepareRemoteDir(
        lab,
        { '.env': `APP_PORT=${port}\n` },
        `${freshRemoteDir(lab, 'evil')} $(touch ${marker}); 'q' \`id\``,
      );
      stack = { port, project, dir };
      projects.push(project);
      dirs.push(dir);
      run = await deploy(
        stack,
        { app: 'v1' },
        { 'pre-deploy': 'printf %s "$DEPLOY_REMOTE_DIR" > hook-saw-dir' },
      );
    });

    it('deploys into a remote-dir full of shell syntax, taken literally', async () => {
      expect(run.exitCode).toBe(0);
      expect(existsSync(marker)).toBe(false);
      expect(await appVersion(stack.port)).toBe('v1');
    });

    it('hands hooks the remote-dir exactly as given', () => {
      expect(readRemote(stack.dir, 'hook-saw-dir')).toBe(stack.dir);
    });

    it('rejects a project-name carrying shell syntax before touching the host', async () => {
      const dir = freshRemoteDir(lab, 'ssh-deploy-badname');
      const bad = await deploy({ ...stack, dir, project: `x;touch ${marker}` }, { app: 'v1' });
      expect(bad.exitCode).not.toBe(0);
      expect(bad.outputs['error-code']).toBe('invalid-input');
      expect(errors(bad)).toHaveLength(1);
      expect(errors(bad)[0]).toContain("'project-name'");
      expect(bad.summary).toContain('nothing deployed');
      expect(existsSync(dir)).toBe(false);
      expect(existsSync(marker)).toBe(false);
    });
  });

  describe('dry-run', () => {
    it('prints the plan and changes nothing', async () => {
      const stack = newStack('dry');
      const before = readdirSync(stack.dir).sort();
      const run = await deploy(stack, { app: 'v1' }, { 'dry-run': 'true' });
      expect(run.exitCode).toBe(0);
      expect(readdirSync(stack.dir).sort()).toEqual(before);
      const compose = composeFlavour() === 'v1' ? 'docker-compose' : 'docker compose';
      expect(run.summary).toContain(`${compose} -p ${stack.project}`);
      expect(run.summary).toContain('run --rm -T migrator');
      expect(run.summary).toMatch(/up -d --remove-orphans/);
      expect(JSON.parse(run.outputs['hosts']!)[0].status).toBe('planned');
    });
  });

  describe('strategy: script', () => {
    it('runs the team script in remote-dir with the env files and release exported', async () => {
      const stack = newStack('script');
      const run = await deploy(
        stack,
        { app: 'v1' },
        {
          strategy: 'script',
          script: 'printf "%s %s" "$DEPLOY_RELEASE_ID" "$APP_PORT" > script-ran',
          'health-url': '',
        },
      );
      expect(run.exitCode).toBe(0);
      expect(readRemote(stack.dir, 'script-ran')).toBe(`${run.outputs['release-id']} ${stack.port}`);
    });
  });
});
