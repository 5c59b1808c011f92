// render-env's policy with `target: swarm`, through the bundle: the swarm rules ssh-deploy's
// strategy: swarm checks (checkSwarmStack) become policy findings in CI, before anything ships.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runAction, type ActionRun } from '../harness/run-action.js';

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'render-env-swarm-ws-'));
  cpSync(join(repoRoot, 'test', 'fixtures', 'render-env', 'stack'), dir, { recursive: true });
  // The fixture's app, hardened, ready for a start-first update; and a worker without an update policy.
  writeFileSync(
    join(dir, 'stack.yml'),
    `services:
  app:
    image: \${APP_IMAGE}
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://127.0.0.1:8080/api/ready"]
    security_opt: ["no-new-privileges:true"]
    cap_drop: [ALL]
    logging: { driver: local }
    deploy:
      replicas: 3
      resources: { limits: { memory: 512M, cpus: "1.0" } }
      update_config: { order: start-first, failure_action: rollback }
  worker:
    image: \${APP_IMAGE}
    healthcheck:
      test: ["CMD", "true"]
    security_opt: ["no-new-privileges:true"]
    cap_drop: [ALL]
    logging: { driver: local }
    deploy:
      resources: { limits: { memory: 256M, cpus: "0.5" } }
`,
  );
  return dir;
}

const base = {
  template: '.env.example',
  'env-files': 'env/prod.env',
  secrets: JSON.stringify({ POSTGRES_PASSWORD: 'pw' }),
  'compose-file': 'stack.yml',
};
const render = (inputs: Record<string, string>): Promise<ActionRun> =>
  runAction('render-env', { inputs: { ...base, ...inputs }, workspace: workspace(), timeoutMs: 30_000 });
const titles = (run: ActionRun): string[] =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.properties['title'] ?? '');

describe('render-env target: swarm', () => {
  it('warns about a service that would not update start-first or roll back, and not about restart policies', async () => {
    const run = await render({ policy: 'recommended', target: 'swarm' });
    expect(run.exitCode).toBe(0);
    expect(titles(run).sort()).toEqual(['policy swarm-update-failure-action', 'policy swarm-update-order']);
    expect(run.summary).toContain('| worker | swarm-update-order |');
    expect(run.summary).not.toContain('| app |');
  });

  it('does not apply the swarm rules to a compose stack, which gets the restart-policy rule instead', async () => {
    const run = await render({ policy: 'recommended' });
    expect(run.exitCode).toBe(0);
    expect(titles(run)).toEqual(['policy no-restart-policy']);
  });

  it('fails with policy: strict, naming the rule, the service and the fix', async () => {
    const run = await render({ policy: 'strict', target: 'swarm' });
    expect(run.exitCode).not.toBe(0);
    expect(run.outputs['error-code']).toBe('policy-failed');
    const error = run.annotations.find((a) => a.level === 'error')!.message;
    expect(error).toContain(
      '[swarm-update-order] worker: does not set deploy.update_config.order: start-first',
    );
    expect(error).toContain('Fix: Add `deploy: {update_config: {order: start-first}}`');
  });

  it('refuses target without a policy, naming the input', async () => {
    const run = await render({ target: 'swarm' });
    expect(run.exitCode).not.toBe(0);
    expect(run.outputs['error-code']).toBe('invalid-input');
    expect(run.annotations.find((a) => a.level === 'error')!.message).toContain(
      "'target': only matters with policy 'recommended' or 'strict'.",
    );
  });
});
