// The deploy-actions CLI (dist/cli/index.js) against the lab: the same deploy, rollback
// and host-key rules as the action, inputs from a deploy/<env>.yml file, the private key
// from the environment, progress for a person, --json for a script.
import { jest } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  existsSync,
  readdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { quoteShellArg } from '@deploy-actions/ssh';
import { actionNode, repoRoot } from '../harness/run-action.js';
import { cliBundle, runCli, type CliRun } from '../harness/run-cli.js';
import { describeWithLab, type Lab } from '../lab/lab.js';
import {
  appVersion,
  cleanUp,
  composeFlavourInput,
  freePort,
  makeBundle,
  prepareRemoteDir,
  readRemote,
  uniqueProject,
} from '../fixtures/ssh-deploy/helpers.js';

jest.setTimeout(240_000);

const WRONG_FINGERPRINT = `SHA256:${'A'.repeat(43)}`;

describeWithLab('deploy-actions CLI', (lab: Lab) => {
  const privateKey = readFileSync(lab.privateKeyPath, 'utf8');
  const port = freePort();
  const project = uniqueProject('cli');
  const dir = prepareRemoteDir(lab, { '.env': `APP_PORT=${port}\n` });
  const repo = mkdtempSync(join(tmpdir(), 'cli-repo-'));
  const secretEnv = { INPUT_PRIVATE_KEY: privateKey };
  afterAll(async () => {
    await cleanUp(lab, [project], [dir]);
    rmSync(repo, { recursive: true, force: true });
  });

  beforeAll(() => {
    // What a deploy repo holds for one environment: everything but the secrets.
    mkdirSync(join(repo, 'deploy'));
    const flavour = composeFlavourInput()['compose-version'];
    writeFileSync(
      join(repo, 'deploy', 'lab.yml'),
      [
        `host: ${lab.sshHost}:${lab.sshPort}`,
        `username: ${lab.user}`,
        `known-hosts: ${lab.knownHostsPath}`,
        `remote-dir: ${dir}`,
        `project-name: ${project}`,
        'env-files: [.env, release.env]',
        'services-first: db',
        'migrate-service: migrator',
        `health-url: http://127.0.0.1:${port}/api/ready`,
        'health-timeout: 40s',
        ...(flavour ? [`compose-version: ${flavour}`] : []),
        '',
      ].join('\n'),
    );
  });

  const cli = (args: string[], env: Record<string, string> = secretEnv): Promise<CliRun> =>
    runCli(args, { cwd: repo, env });
  const everything = (run: CliRun): string => `${run.stdout}\n${run.stderr}`;

  let first: CliRun;
  let second: CliRun;
  let firstId: string;
  let secondId: string;

  beforeAll(async () => {
    first = await cli(['deploy', '--env', 'lab', '--source-dir', makeBundle(lab, { app: 'v1' }), '--json']);
    second = await cli(['deploy', '--env', 'lab', '--source-dir', makeBundle(lab, { app: 'v2' })]);
    firstId = String((first.json?.['outputs'] as Record<string, string> | undefined)?.['release-id']);
    secondId = readRemote(dir, '.releases/current').trim();
  });

  describe('deploy', () => {
    it('deploys from deploy/<env>.yml with the key from the environment, and prints one JSON document with --json', async () => {
      expect(first.exitCode).toBe(0);
      expect(first.json).toMatchObject({ command: 'deploy', ok: true, exitCode: 0 });
      const hosts = first.json!['hosts'] as Array<Record<string, unknown>>;
      expect(hosts).toEqual([
        expect.objectContaining({
          host: `${lab.sshHost}:${lab.sshPort}`,
          status: 'deployed',
          release: firstId,
        }),
      ]);
      expect(firstId).toMatch(/^\d{8}T\d{6}Z-/);
    });

    it('serves the new release after a second deploy', async () => {
      expect(second.exitCode).toBe(0);
      expect(secondId).not.toBe(firstId);
      expect(await appVersion(port)).toMatch(/^v2/);
    });

    it('shows per-host progress (lock, upload with bytes and rate, pull, migrate, up, health) and a final table', () => {
      const lines = second.stderr.split('\n');
      const host = `${lab.sshHost}:${lab.sshPort}`;
      for (const phase of ['connect', 'lock', 'pull', 'migrate', 'up', 'health'])
        expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${host}  … ${phase}\\b`)));
      expect(lines).toContainEqual(
        expect.stringMatching(/… upload +\d+ file\(s\), [\d.]+ (B|KiB|MiB) in \S+, [\d.]+ (B|KiB|MiB)\/s$/),
      );
      expect(lines).toContainEqual(`${host}  ✓ live     release ${secondId}`);
      expect(second.stdout).toMatch(
        new RegExp(`^${host.replace(/\./g, '\\.')} +deployed +${secondId} +${firstId} `, 'm'),
      );
      expect(second.stdout).toContain('deploy: ok');
    });

    it('writes no workflow commands and no colour when not on a terminal, and never the key', () => {
      for (const run of [first, second]) {
        expect(everything(run)).not.toMatch(/^::/m);
        expect(everything(run)).not.toContain('\x1b[');
        for (const line of privateKey.split('\n').filter((l) => l.length > 8))
          expect(everything(run)).not.toContain(line);
      }
    });
  });

  describe('releases', () => {
    it("lists the host's releases: id, when, by whom, images, status, the current one marked", async () => {
      const run = await cli(['releases', '--env', 'lab', '--json']);
      expect(run.exitCode).toBe(0);
      const [host] = run.json!['releases'] as Array<{
        current: string;
        releases: Array<Record<string, unknown>>;
      }>;
      expect(host!.current).toBe(secondId);
      const ids = host!.releases.map((r) => r['id']);
      expect(ids).toEqual([firstId, secondId]);
      const latest = host!.releases[1]!;
      expect(latest).toMatchObject({ current: true, status: 'active' });
      expect(String(latest['actor'])).toMatch(/\(cli\)$/);
      expect(Date.parse(String(latest['createdAt']))).not.toBeNaN();
      expect(latest['images']).toContainEqual(
        expect.stringMatching(new RegExp(`^${lab.images.app_v2} sha256:`)),
      );
    });

    it('prints them as a table for a person', async () => {
      const run = await cli(['releases', '--env', 'lab']);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^\\* +${secondId} +\\S+ +.*\\(cli\\) +active +.*app:v2`, 'm'));
      expect(run.stdout).toMatch(new RegExp(`^ +${firstId} +.*superseded`, 'm'));
    });
  });

  describe('rollback', () => {
    let run: CliRun;
    beforeAll(async () => {
      run = await cli(['rollback', '--env', 'lab', '--json']);
    });

    it('re-activates the previous release and serves it again', async () => {
      expect(run.exitCode).toBe(0);
      expect(run.json!['outputs']).toMatchObject({ 'release-id': firstId, 'previous-release-id': secondId });
      expect(readRemote(dir, '.releases/current').trim()).toBe(firstId);
      expect(await appVersion(port)).toMatch(/^v1/);
    });

    it('says there is nothing to roll back to when the release named is not on the host', async () => {
      const missing = await cli(['rollback', '20000101T000000Z-nothere-0000', '--env', 'lab', '--json']);
      expect(missing.exitCode).toBe(1);
      expect(missing.json).toMatchObject({ ok: false, errorCode: 'release-not-found' });
      expect(readRemote(dir, '.releases/current').trim()).toBe(firstId);
    });
  });

  describe('lock', () => {
    const lockDir = `${dir}/.releases/.lock`;
    const takeLock = (expiresAt: Date): void => {
      mkdirSync(lockDir);
      const owner = {
        token: 'a1b2c3d4e5f6a1b2c3d4e5f6',
        run: '4242/1',
        repository: 'org/app',
        actor: 'someone',
        commit: 'c0ffee',
        release: 'R',
        runner: 'runner-1',
        startedAt: new Date(Date.now() - 60_000).toISOString(),
        expiresAt: expiresAt.toISOString(),
      };
      writeFileSync(join(lockDir, 'owner.json'), `${JSON.stringify(owner)}\n`);
      // As a deploy by the lab's user would have left it.
      execFileSync('chown', ['-R', `${lab.user}:${lab.user}`, lockDir]);
    };
    afterEach(() => rmSync(lockDir, { recursive: true, force: true }));

    it('says the lock is free', async () => {
      const run = await cli(['lock', 'status', '--env', 'lab', '--json']);
      expect(run.exitCode).toBe(0);
      expect(run.json!['locks']).toEqual([expect.objectContaining({ held: false, stale: false })]);
    });

    it('names who holds a lock, and refuses to release one whose deploy may still run', async () => {
      takeLock(new Date(Date.now() + 3_600_000));
      const status = await cli(['lock', 'status', '--env', 'lab']);
      expect(status.exitCode).toBe(0);
      expect(status.stdout).toMatch(/held +run 4242\/1 of org\/app by someone/);
      const release = await cli(['lock', 'release', '--env', 'lab', '--json']);
      expect(release.exitCode).toBe(1);
      expect(release.json).toMatchObject({ errorCode: 'lock-held' });
      expect(existsSync(lockDir)).toBe(true);
    });

    it('releases a held lock with --force, and a stale one without', async () => {
      takeLock(new Date(Date.now() + 3_600_000));
      const forced = await cli(['lock', 'release', '--force', '--env', 'lab', '--json']);
      expect(forced.exitCode).toBe(0);
      expect(forced.json!['locks']).toEqual([expect.objectContaining({ held: true, released: true })]);
      expect(existsSync(lockDir)).toBe(false);

      takeLock(new Date(Date.now() - 1000));
      const stale = await cli(['lock', 'release', '--env', 'lab', '--json']);
      expect(stale.exitCode).toBe(0);
      expect(stale.json!['locks']).toEqual([expect.objectContaining({ stale: true, released: true })]);
      expect(existsSync(lockDir)).toBe(false);
    });
  });

  describe('host keys', () => {
    it('refuses a host whose key is not the one expected: exit 1, error-code host-key-mismatch, nothing changed', async () => {
      const before = readRemote(dir, '.releases/current');
      const run = await cli([
        'deploy',
        '--env',
        'lab',
        '--source-dir',
        makeBundle(lab, { app: 'v2' }),
        '--known-hosts',
        '',
        '--host-fingerprint',
        WRONG_FINGERPRINT,
        '--json',
      ]);
      expect(run.exitCode).toBe(1);
      expect(run.json).toMatchObject({ ok: false, errorCode: 'host-key-mismatch' });
      expect(String(run.json!['error'])).toMatch(/not trusted/);
      expect(readRemote(dir, '.releases/current')).toBe(before);
    });

    it('says which host key is wrong for lock and releases too', async () => {
      const run = await cli([
        'releases',
        '--env',
        'lab',
        '--known-hosts',
        '',
        '--host-fingerprint',
        WRONG_FINGERPRINT,
      ]);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toMatch(/error-code: host-key-mismatch/);
    });

    it('reports every bad input at once before connecting, as the action does', async () => {
      const run = await cli(['deploy', '--host', `${lab.sshHost}:${lab.sshPort}`, '--json'], {});
      expect(run.exitCode).toBe(1);
      expect(run.json).toMatchObject({ errorCode: 'invalid-input' });
      expect(String(run.json!['error'])).toMatch(/'username': is required/);
      expect(String(run.json!['error'])).toMatch(/'remote-dir': is required/);
    });
  });

  describe('on a terminal', () => {
    // `script` gives the CLI a pseudo-terminal, as a person's shell does.
    const onTerminal = (
      args: string[],
      env: Record<string, string>,
      answer?: { prompt: string; typed: string },
    ): Promise<{ code: number | null; stdout: string }> =>
      new Promise((resolve, reject) => {
        const command = [actionNode().path, cliBundle, ...args].map(quoteShellArg).join(' ');
        const child = spawn('script', ['-qec', command, '/dev/null'], {
          cwd: repo,
          env: { ...process.env, ...env, TERM: 'xterm', COLUMNS: '120' },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let stdout = '';
        let typed = false;
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
          // Typed only once the prompt is up, as a person would (earlier, the terminal would echo it).
          if (answer && !typed && stdout.includes(answer.prompt)) {
            typed = true;
            child.stdin.write(answer.typed);
          }
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout });
        });
        if (!answer) child.stdin.end();
      });

    it('asks for a missing passphrase without echoing it, then runs', async () => {
      const run = await onTerminal(
        ['releases', '--env', 'lab', '--no-color'],
        { INPUT_PRIVATE_KEY: readFileSync(lab.encryptedKeyPath, 'utf8'), SSH_AUTH_SOCK: '' },
        { prompt: 'passphrase: ', typed: `${lab.passphrase}\r` },
      );
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('passphrase: ');
      expect(run.stdout).toMatch(/^\* +\d{8}T\d{6}Z-/m);
      expect(run.stdout).not.toContain(lab.passphrase);
    });

    it('redraws one live line per host in place, with colour, and no workflow commands', async () => {
      const run = await onTerminal(
        ['deploy', '--env', 'lab', '--source-dir', makeBundle(lab, { app: 'v1' })],
        secretEnv,
      );
      expect(run.code).toBe(0);
      // Each step rewrites the host's line: cursor up one line, clear, redraw.
      expect(run.stdout.split('\x1b[1A\x1b[J\x1b[2K').length).toBeGreaterThan(5);
      expect(run.stdout).toContain('\x1b[32m✓ live    \x1b[0m release ');
      expect(run.stdout).toContain('\x1b[32mdeploy: ok\x1b[0m');
      expect(run.stdout).not.toMatch(/^::/m);
    });
  });

  describe('SSH agent', () => {
    it('signs with the agent at SSH_AUTH_SOCK when no key is given', async () => {
      const socket = join(mkdtempSync(join(tmpdir(), 'cli-agent-')), 'agent.sock');
      const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
      try {
        for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
        execFileSync('ssh-add', [lab.privateKeyPath], {
          env: { ...process.env, SSH_AUTH_SOCK: socket },
          stdio: 'pipe',
        });
        const run = await cli(['releases', '--env', 'lab', '--json'], { SSH_AUTH_SOCK: socket });
        expect(run.exitCode).toBe(0);
        expect(run.json).toMatchObject({ ok: true });
        // Without the agent (and without a key) the same command names the missing key before connecting.
        const without = await cli(['releases', '--env', 'lab', '--json'], { SSH_AUTH_SOCK: '' });
        expect(without.json).toMatchObject({ errorCode: 'invalid-input' });
        expect(String(without.json!['error'])).toMatch(/'private-key': is required: there is no SSH agent/);
      } finally {
        agent.kill();
        rmSync(join(socket, '..'), { recursive: true, force: true });
      }
    });
  });

  describe('Ctrl-C', () => {
    it('during the health gate stops the deploy as a cancelled job does: release recorded unknown, lock released, exit 130', async () => {
      const before = readRemote(dir, '.releases/current');
      const source = makeBundle(lab, { app: 'v2', ready: false });
      const child = spawn(
        actionNode().path,
        [cliBundle, 'deploy', '--env', 'lab', '--source-dir', source, '--health-timeout', '90s'],
        {
          cwd: repo,
          env: { ...process.env, ...secretEnv },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      let interrupted = false;
      child.stdout.resume();
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        // Interrupted while the health gate waits: the lock is held, the app changed.
        if (!interrupted && / … health /.test(stderr)) {
          interrupted = true;
          child.kill('SIGINT');
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(interrupted).toBe(true);
      expect(code).toBe(130);
      expect(stderr).toContain('interrupted: stopping and recording where it stopped');
      expect(stderr).toContain('error-code: cancelled');
      expect(existsSync(`${dir}/.releases/.lock`)).toBe(false);
      expect(readRemote(dir, '.releases/current')).toBe(before);
      // The release it was checking is recorded as unknown, not left looking like a good one.
      const statuses = readdirSync(`${dir}/.releases`)
        .filter((id) => existsSync(`${dir}/.releases/${id}/status`))
        .map((id) => readRemote(dir, `.releases/${id}/status`));
      expect(statuses.filter((s) => /^unknown: cancelled/.test(s))).toHaveLength(1);
    });
  });

  describe('--help', () => {
    it('lists every ssh-deploy input of action.yml for deploy', async () => {
      const run = await cli(['deploy', '--help'], {});
      expect(run.exitCode).toBe(0);
      const doc = parse(readFileSync(join(repoRoot, 'ssh-deploy', 'action.yml'), 'utf8')) as {
        inputs: Record<string, unknown>;
      };
      for (const name of Object.keys(doc.inputs)) expect(run.stdout).toMatch(new RegExp(`--${name}\\b`));
    });
  });
});
