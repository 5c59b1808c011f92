// `deploy-actions plan` and `check` run ssh-deploy with `mode: plan` / `mode: check`.
// These tests need ssh-deploy's `mode` input (another branch adds it); until it is in
// ssh-deploy/action.yml the CLI refuses both commands (error-code unsupported) and these fail.
import { jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from '../harness/run-cli.js';
import { describeWithLab, type Lab } from '../lab/lab.js';
import {
  cleanUp,
  composeFlavourInput,
  freePort,
  makeBundle,
  prepareRemoteDir,
  readRemote,
  uniqueProject,
} from '../fixtures/ssh-deploy/helpers.js';

jest.setTimeout(240_000);

describeWithLab('deploy-actions plan and check', (lab: Lab) => {
  const port = freePort();
  const project = uniqueProject('cli-plan');
  const dir = prepareRemoteDir(lab, { '.env': `APP_PORT=${port}\n` });
  const repo = mkdtempSync(join(tmpdir(), 'cli-plan-'));
  const env = { INPUT_PRIVATE_KEY: '' };
  let current = '';
  const releasesOnHost = (): string[] => readdirSync(join(dir, '.releases')).sort();

  beforeAll(async () => {
    env.INPUT_PRIVATE_KEY = readFileSync(lab.privateKeyPath, 'utf8');
    mkdirSync(join(repo, 'deploy'));
    writeFileSync(
      join(repo, 'deploy', 'lab.yml'),
      [
        `host: ${lab.sshHost}:${lab.sshPort}`,
        `username: ${lab.user}`,
        `known-hosts: ${lab.knownHostsPath}`,
        `remote-dir: ${dir}`,
        `project-name: ${project}`,
        'env-files: [.env, release.env]',
        `health-url: http://127.0.0.1:${port}/api/ready`,
        'health-timeout: 40s',
        ...Object.entries(composeFlavourInput()).map(([k, v]) => `${k}: ${v}`),
        '',
      ].join('\n'),
    );
    const deployed = await runCli(
      ['deploy', '--env', 'lab', '--source-dir', makeBundle(lab, { app: 'v1' })],
      {
        cwd: repo,
        env,
      },
    );
    expect(deployed.exitCode).toBe(0);
    current = readRemote(dir, '.releases/current').trim();
  });
  afterAll(async () => {
    await cleanUp(lab, [project], [dir]);
    rmSync(repo, { recursive: true, force: true });
  });

  const run = (command: string): Promise<CliRun> =>
    runCli([command, '--env', 'lab', '--source-dir', makeBundle(lab, { app: 'v2' }), '--json'], {
      cwd: repo,
      env,
    });

  it('plan reports what a deploy would change on the host and changes nothing there', async () => {
    const before = releasesOnHost();
    const result = await run('plan');
    expect(result.json).toMatchObject({ command: 'plan', ok: true, exitCode: 0 });
    expect(result.exitCode).toBe(0);
    const host = `${lab.sshHost}:${lab.sshPort}`;
    expect(result.json!['hosts']).toEqual([expect.objectContaining({ host, status: 'planned' })]);
    expect(result.json!['plan']).toEqual([expect.objectContaining({ host })]);
    expect(readRemote(dir, '.releases/current').trim()).toBe(current);
    expect(releasesOnHost()).toEqual(before);
  });

  it("plan prints the action's report for a person", async () => {
    const result = await runCli(['plan', '--env', 'lab', '--source-dir', makeBundle(lab, { app: 'v2' })], {
      cwd: repo,
      env,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(lab.images.app_v2);
    expect(result.stdout).toContain('plan: ok');
  });

  it('check finds the host as its release left it, and changes nothing', async () => {
    const before = releasesOnHost();
    const result = await run('check');
    expect(result.json).toMatchObject({ command: 'check', ok: true, exitCode: 0 });
    expect(result.json!['drift']).toEqual([
      expect.objectContaining({ host: `${lab.sshHost}:${lab.sshPort}`, clean: true }),
    ]);
    expect(readRemote(dir, '.releases/current').trim()).toBe(current);
    expect(releasesOnHost()).toEqual(before);
  });
});
