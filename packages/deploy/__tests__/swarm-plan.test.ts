// strategy: swarm as steps of ssh-deploy's plan (steps.ts + swarm-host.ts): the order, the undo
// of each step, and the compose flavour it needs. The steps themselves run against the lab in
// test/e2e/ssh-deploy-swarm.test.ts.
import { chooseCompose, parseState } from '../src/state.js';
import { describePlan, planRollout } from '../src/steps.js';
import type { DeploySettings } from '../src/types.js';

const settings: DeploySettings = {
  remoteDir: '/opt/shop/prod',
  sourceDir: '.',
  files: [],
  preserve: ['.env'],
  keepReleases: 5,
  strategy: 'swarm',
  composeFiles: [],
  envFiles: ['.env', 'release.env'],
  projectName: 'shop',
  servicesFirst: [],
  migrateService: 'migrate',
  services: [],
  pull: true,
  build: false,
  healthUrl: 'http://127.0.0.1:8080/api/ready',
  preDeploy: 'backup',
  healthTimeoutMs: 60_000,
  lockTimeoutMs: 60_000,
  dryRun: false,
  timeoutMs: 600_000,
  origin: { id: 'r2', commit: 'abc', actor: 'me', repository: 'o/r', run: '1/1' },
};
const state = parseState(
  'compose_v2=yes\ncompose_v1=yes\ncurrent=r1\nhistory=r0\nhistory=r1\nrelease=r0\nrelease=r1\nintact=r0\nintact=r1\n',
);

describe('planRollout with strategy: swarm', () => {
  it('checks the manager before any hook, then ships, renders, migrates, deploys the stack and waits', () => {
    const steps = planRollout({ settings, state, target: 'r2', previous: 'r1' });
    expect(steps.map((s) => s.name)).toEqual([
      'lock',
      'check-manager',
      'pre-deploy',
      'ship',
      'render',
      'migrate',
      'stack-deploy',
      'converge',
      'record-images',
      'health',
      'mark-current',
      'unlock',
    ]);
    const by = new Map(steps.map((s) => [s.name, s]));
    expect(by.get('check-manager')!.undo).toBe('none');
    // Before the stack changes, a failure only puts the files back.
    expect(by.get('render')!.undo).toBe('files');
    expect(by.get('migrate')!.undo).toBe('files');
    expect(by.get('render')!.does).toContain(
      'docker compose -p shop --env-file .env --env-file release.env config --format json',
    );
    expect(by.get('render')!.does).toContain('.releases/r2/stack.json');
    expect(by.get('stack-deploy')!.does).toBe(
      'docker stack deploy --with-registry-auth --prune -c /opt/shop/prod/.releases/r2/stack.json shop',
    );
  });

  it('says a failure after the stack changed redeploys the previous stack file, not compose', () => {
    const lines = describePlan(planRollout({ settings, state, target: 'r2', previous: 'r1' }), 'r1');
    for (const step of ['stack-deploy', 'converge', 'record-images', 'health', 'mark-current']) {
      const line = lines.find((l) => l.startsWith(`${step}: `))!;
      expect(line).toContain('redeploy its stack file /opt/shop/prod/.releases/r1/stack.json (stack-wide)');
      expect(line).not.toMatch(/up -d|re-tag/);
    }
  });

  it("rolls back by redeploying the target release's recorded stack file: no render, migrator or re-tag", () => {
    const steps = planRollout({
      settings: { ...settings, rollback: 'previous' },
      state,
      target: 'r0',
      previous: 'r1',
    });
    expect(steps.map((s) => s.name)).toEqual([
      'lock',
      'check-manager',
      'pre-deploy',
      'activate',
      'stack-deploy',
      'converge',
      'health',
      'mark-current',
      'unlock',
    ]);
    expect(steps[1]!.does).toContain(
      "release r0's stack file /opt/shop/prod/.releases/r0/stack.json is there",
    );
    expect(steps.find((s) => s.name === 'stack-deploy')!.does).toContain('.releases/r0/stack.json shop');
  });

  it('needs Compose v2 on the manager to render the stack file', () => {
    expect(chooseCompose(settings, state, 'h').compose).toBe('v2');
    expect(() => chooseCompose(settings, parseState('compose_v1=yes\n'), 'h')).toThrow(
      expect.objectContaining({
        code: 'compose-missing',
        message: expect.stringMatching(/strategy swarm .*Compose v2/),
      }),
    );
  });
});
