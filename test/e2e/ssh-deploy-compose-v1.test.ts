// The core of the ssh-deploy rollout once more on Compose v1 (docker-compose
// 1.29, forced with compose-version: v1), while the other suites run on the
// default flavour (v2 on the lab). The whole suites run on v1 with LAB_COMPOSE=v1.
import { jest } from '@jest/globals';
import { runAction, type ActionRun } from '../harness/run-action.js';
import { describeWithLab, dockerAsRoot, type Lab } from '../lab/lab.js';
import {
  appVersion,
  cleanUp,
  freePort,
  makeBundle,
  prepareRemoteDir,
  readRemote,
  uniqueProject,
  type BundleOptions,
} from '../fixtures/ssh-deploy/helpers.js';
import { labConnection } from '../harness/chain.mjs';

jest.setTimeout(240_000);

describeWithLab('ssh-deploy on Compose v1', (lab: Lab) => {
  const connection = labConnection(lab);
  const projects: string[] = [];
  const dirs: string[] = [];
  afterAll(() => cleanUp(lab, projects, dirs));

  const port = freePort();
  const project = uniqueProject('v1');
  let dir: string;
  let first: ActionRun;
  let second: ActionRun;
  let bad: ActionRun;

  const deploy = (bundle: BundleOptions, inputs: Record<string, string> = {}): Promise<ActionRun> =>
    runAction('ssh-deploy', {
      inputs: {
        ...connection,
        'remote-dir': dir,
        'source-dir': makeBundle(lab, bundle),
        'project-name': project,
        'env-files': '.env\nrelease.env',
        'services-first': 'db',
        'migrate-service': 'migrator',
        'health-url': `http://127.0.0.1:${port}/api/ready`,
        'health-timeout': '30s',
        'compose-version': 'v1',
        ...inputs,
      },
      timeoutMs: 200_000,
    });

  beforeAll(async () => {
    dir = prepareRemoteDir(lab, { '.env': `APP_PORT=${port}\n` });
    projects.push(project);
    dirs.push(dir);
    first = await deploy({ app: 'v1' });
    second = await deploy({ app: 'v2' });
    bad = await deploy({ app: 'v1', ready: false }, { 'health-timeout': '8s' });
  });

  it('deploys and upgrades with docker-compose, merging the env files', async () => {
    expect([first.exitCode, second.exitCode]).toEqual([0, 0]);
    expect(second.stdout).toContain(`docker-compose -p ${project}`);
    expect(second.stdout).not.toContain('docker compose ');
    expect(readRemote(dir, `.releases/${second.outputs['release-id']}/compose.env`)).toContain(
      `APP_PORT=${port}`,
    );
  });

  it('runs the migrator once per deploy and never as a service', async () => {
    // Three deploys (the last one failed its gate): three runs, none by the rollback.
    expect(readRemote(dir, 'data/migrated').trim().split('\n')).toHaveLength(3);
    const r = await dockerAsRoot([
      'ps',
      '-aq',
      '--filter',
      `label=com.docker.compose.project=${project}`,
      '--filter',
      'label=com.docker.compose.service=migrator',
      '--filter',
      'label=com.docker.compose.oneoff=False',
    ]);
    expect(r.stdout.trim()).toBe('');
  });

  it('rolls a failed health gate back to the previous release without the migrator', async () => {
    expect(bad.outputs['error-code']).toBe('health-gate-failed');
    expect(bad.outputs['rolled-back']).toBe('true');
    expect(await appVersion(port)).toBe('v2');
    expect(readRemote(dir, '.releases/current').trim()).toBe(second.outputs['release-id']);
  });
});
