import { jest } from '@jest/globals';
import { runAction, visibleText, type ActionRun } from '../harness/run-action.js';
import { GitHubApiStandIn } from '../fixtures/github-api/server.js';

// The bundle runs as the runner runs it, against the stand-in of GitHub's REST API on
// 127.0.0.1 (GITHUB_API_URL, which @actions/github reads); never the real API.
jest.setTimeout(90_000);

const TOKEN = 'ghs_standInToken0123456789abcdefABCDEF';
const SHA = 'c0ffee0123456789abcdef0123456789abcdef01';
const PREVIOUS_SHA = 'feed0123456789abcdef0123456789abcdef0123';
let api: GitHubApiStandIn;

beforeEach(async () => {
  api = new GitHubApiStandIn(TOKEN);
  await api.start();
});
afterEach(async () => {
  await api.stop();
});

function record(inputs: Record<string, string>, token = TOKEN): Promise<ActionRun> {
  return runAction('record-deployment', {
    inputs: { token, ...inputs },
    env: {
      GITHUB_API_URL: api.url,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_REPOSITORY: 'example/app',
      GITHUB_SHA: SHA,
      GITHUB_RUN_ID: '4242',
    },
    timeoutMs: 60_000,
  });
}

const RUN_URL = 'https://github.example/example/app/actions/runs/4242';

describe('record-deployment', () => {
  it('starts a deployment in progress: auto_merge off, no required contexts, the run as its log', async () => {
    const run = await record({
      step: 'start',
      environment: 'production',
      payload: '{"images": {"APP_IMAGE": "ghcr.io/acme/app@sha256:abc"}}',
    });
    expect(run.exitCode).toBe(0);
    const id = Number(run.outputs['deployment-id']);
    expect(api.problems).toEqual([]);
    expect(api.writes()).toEqual([
      'POST /repos/example/app/deployments',
      `POST /repos/example/app/deployments/${id}/statuses`,
    ]);
    const [create, status] = api.requests;
    expect(create!.headers.authorization).toBe(`token ${TOKEN}`);
    expect(create!.headers.accept).toMatch(/^application\/vnd\.github/);
    expect(create!.body).toEqual({
      ref: SHA,
      environment: 'production',
      task: 'deploy',
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      payload: { images: { APP_IMAGE: 'ghcr.io/acme/app@sha256:abc' } },
    });
    expect(status!.body).toEqual({ state: 'in_progress', log_url: RUN_URL });
    expect(api.stateOf(id)).toBe('in_progress');
  });

  it('finishes with success and the environment URL, and marks the previous production deployment inactive', async () => {
    const previous = api.seedDeployment({ environment: 'production', sha: PREVIOUS_SHA });
    const older = api.seedDeployment({ environment: 'production' }, ['success', 'inactive']);
    const staging = api.seedDeployment({ environment: 'staging' });
    const start = await record({ step: 'start', environment: 'production' });
    const id = start.outputs['deployment-id']!;
    api.requests.length = 0;

    const run = await record({
      step: 'finish',
      environment: 'production',
      'deployment-id': id,
      status: 'success',
      'environment-url': 'https://shop.example.com',
    });
    expect(run.exitCode).toBe(0);
    expect(api.problems).toEqual([]);
    expect(api.requests[0]!.body).toEqual({
      state: 'success',
      environment_url: 'https://shop.example.com',
      log_url: RUN_URL,
      auto_inactive: true,
    });
    expect(api.requests.find((r) => r.method === 'GET' && r.path.endsWith('/deployments'))!.query).toEqual({
      environment: 'production',
      per_page: '20',
    });
    // GitHub's auto_inactive leaves production deployments alone; the explicit pass does it.
    expect(api.stateOf(previous.id)).toBe('inactive');
    expect(api.statuses.get(previous.id)!.at(-1)!.description).toBe(`Superseded by deployment ${id}.`);
    expect(api.stateOf(older.id)).toBe('inactive');
    expect(api.statuses.get(older.id)).toHaveLength(2);
    expect(api.stateOf(staging.id)).toBe('success');
    expect(api.stateOf(Number(id))).toBe('success');
    expect(run.outputs).toMatchObject({ 'deployment-id': id, inactive: String(previous.id) });
    expect(run.summary).toContain('production success');
  });

  it('finishes with failure and the reason cut to the 140 characters GitHub accepts, leaving the live deployment active', async () => {
    const live = api.seedDeployment({ environment: 'staging', sha: PREVIOUS_SHA });
    const start = await record({ step: 'start', environment: 'staging' });
    const id = start.outputs['deployment-id']!;
    api.requests.length = 0;
    const reason = `ssh-deploy failed (health-check-failed) on 10.0.0.5: ${'the app answered 503 at /api/ready; '.repeat(8)}`;

    const run = await record({
      step: 'finish',
      environment: 'staging',
      'deployment-id': id,
      status: 'failure',
      description: reason,
    });
    expect(run.exitCode).toBe(0);
    expect(api.problems).toEqual([]);
    expect(api.writes()).toEqual([`POST /repos/example/app/deployments/${id}/statuses`]);
    const sent = (api.requests[0]!.body as { description: string }).description;
    expect([...sent]).toHaveLength(140);
    expect(sent).toBe(`${reason.slice(0, 139)}…`);
    expect(api.requests[0]!.body).toMatchObject({ state: 'failure', log_url: RUN_URL });
    expect(api.stateOf(Number(id))).toBe('failure');
    expect(api.stateOf(live.id)).toBe('success');
    expect(run.outputs['inactive']).toBe('');
  });

  it('records a rolled-back deploy as failed and a deploy:rollback deployment of the restored ref as the active one', async () => {
    const live = api.seedDeployment({ environment: 'production', sha: PREVIOUS_SHA });
    const start = await record({ step: 'start', environment: 'production' });
    const failed = Number(start.outputs['deployment-id']);
    api.requests.length = 0;

    const run = await record({
      step: 'finish',
      environment: 'production',
      'deployment-id': String(failed),
      status: 'failure',
      description: 'not ready from outside (wait-ready); previous release restored',
      rollback: 'true',
      'restored-release': '20261129-220000-feed012',
      'environment-url': 'https://shop.example.com',
    });
    expect(run.exitCode).toBe(0);
    expect(api.problems).toEqual([]);
    const rollbackId = Number(run.outputs['rollback-deployment-id']);
    expect(api.stateOf(failed)).toBe('failure');
    const rollback = api.deployments.find((d) => d.id === rollbackId)!;
    expect(rollback).toMatchObject({
      sha: PREVIOUS_SHA,
      task: 'deploy:rollback',
      environment: 'production',
      payload: { rollback_of: failed, restores: live.id, release: '20261129-220000-feed012' },
    });
    expect(api.statuses.get(rollbackId)!.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(api.statuses.get(rollbackId)!.at(-1)!).toMatchObject({
      environment_url: 'https://shop.example.com',
      description: `Rollback: deployment ${failed} failed; release 20261129-220000-feed012 restored.`,
    });
    // The restored ref now runs under the rollback deployment; the one it restores is retired.
    expect(api.stateOf(live.id)).toBe('inactive');
    expect(run.summary).toContain('rolled back');
  });

  it('marks a deploy that puts an earlier release back with task deploy:rollback, with the environment flags given', async () => {
    const run = await record({
      step: 'start',
      environment: 'pr-42',
      rollback: 'true',
      ref: PREVIOUS_SHA,
      'transient-environment': 'true',
      'production-environment': 'false',
      description: 'rollback by hand',
    });
    expect(run.exitCode).toBe(0);
    expect(api.problems).toEqual([]);
    expect(api.requests[0]!.body).toEqual({
      ref: PREVIOUS_SHA,
      environment: 'pr-42',
      task: 'deploy:rollback',
      auto_merge: false,
      required_contexts: [],
      transient_environment: true,
      production_environment: false,
      description: 'rollback by hand',
    });
  });

  it('fails a bad token with a clear error and never shows the token', async () => {
    const bad = 'ghp_wrongTokenValue0123456789abcdefABCD';
    const run = await record({ step: 'start', environment: 'production' }, bad);
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('github-unauthorized');
    const error = run.annotations.find((a) => a.level === 'error')!.message;
    expect(error).toContain('GitHub refused the token to create a deployment');
    expect(error).toContain('HTTP 401: Bad credentials');
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]!.headers.authorization).toBe(`token ${bad}`);
    expect(run.masked).toContain(bad);
    expect(visibleText(run)).not.toContain(bad);
    expect(run.stdout.replace(`::add-mask::${bad}`, '')).not.toContain(bad);
    expect(run.stderr).not.toContain(bad);
  });

  it('refuses finish without a deployment id or status before making any request', async () => {
    const run = await record({ step: 'finish', environment: 'production', rollback: 'true' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('invalid-input');
    const error = run.annotations.find((a) => a.level === 'error')!.message;
    expect(error).toContain("'deployment-id': is required");
    expect(error).toContain("'status': is required");
    expect(api.requests).toEqual([]);
    expect(run.summary).toContain('No deployment was recorded.');
  });
});
