import { jest } from '@jest/globals';
import { runAction, visibleText, type ActionRun } from '../harness/run-action.js';
import { GitHubApiStandIn } from '../fixtures/github-api/server.js';

// The bundle against the stand-in of GitHub's REST API (GITHUB_API_URL) playing the deploy
// repository: the file it commits is compared byte for byte, and every request is checked.
jest.setTimeout(90_000);

const TOKEN = 'ghs_deployRepoAppToken0123456789abcdefAB';
const digest = (c: string): string => `sha256:${c.repeat(64)}`;
const APP_OLD = `ghcr.io/acme/shop-app@${digest('a')}`;
const APP_NEW = `ghcr.io/acme/shop-app@${digest('b')}`;
const WORKER_OLD = `ghcr.io/acme/shop-worker@${digest('c')}`;
const WORKER_NEW = `ghcr.io/acme/shop-worker@${digest('d')}`;

const ENV_FILE = [
  '# Production settings and image pins. Change by pull request only.',
  '',
  '# The app (signed by acme/shop-app release.yml)',
  `APP_IMAGE=${APP_OLD}   # bumped by deploy-actions`,
  `export WORKER_IMAGE="${WORKER_OLD}"`,
  '',
  "LOG_LEVEL='warning'",
  '# APP_IMAGE=ghcr.io/acme/shop-app:latest   (never: pin a digest)',
  `MIGRATOR_IMAGE=${APP_OLD}`,
  '',
].join('\n');

let api: GitHubApiStandIn;
let mainHead: string;

beforeEach(async () => {
  api = new GitHubApiStandIn(TOKEN, 'acme', 'shop-deploy');
  mainHead = api.seedRepository({ 'env/production.env': ENV_FILE, 'docker-compose.yml': 'services: {}\n' });
  await api.start();
});
afterEach(async () => {
  await api.stop();
});

function bump(inputs: Record<string, string>, token = TOKEN): Promise<ActionRun> {
  return runAction('bump-images', {
    inputs: { token, repository: 'acme/shop-deploy', environment: 'production', ...inputs },
    env: {
      GITHUB_API_URL: api.url,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_REPOSITORY: 'acme/shop-app',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_RUN_ID: '77',
    },
    timeoutMs: 60_000,
  });
}

/** Lines of `after` that differ from `before`, as `-old` / `+new` (same line count here). */
function lineDiff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [`-${line}`, `+${b[i]}`]));
}

const SIGNATURE =
  'Signed by `https://github.com/acme/shop-app/.github/workflows/release.yml@refs/heads/main`, Rekor entry 123456.';
const PLAN = '{"hosts":[{"host":"10.0.0.5","services":{"app":{"from":"sha256:aaa","to":"sha256:bbb"}}}]}';

describe('bump-images', () => {
  it('opens one pull request whose only change is the given keys in the env file, comments and order untouched', async () => {
    const run = await bump({
      images: `APP_IMAGE=${APP_NEW}\nWORKER_IMAGE=${WORKER_NEW}`,
      signature: SIGNATURE,
      plan: PLAN,
    });
    expect(run.exitCode).toBe(0);
    expect(api.problems).toEqual([]);

    const branch = 'deploy-actions/bump-production';
    const after = api.fileAt(branch, 'env/production.env')!;
    expect(lineDiff(ENV_FILE, after)).toEqual([
      `-APP_IMAGE=${APP_OLD}   # bumped by deploy-actions`,
      `+APP_IMAGE=${APP_NEW}   # bumped by deploy-actions`,
      `-export WORKER_IMAGE="${WORKER_OLD}"`,
      `+export WORKER_IMAGE="${WORKER_NEW}"`,
    ]);
    // Nothing else in the repository changed, and the base branch did not move.
    expect(api.fileAt(branch, 'docker-compose.yml')).toBe('services: {}\n');
    expect(api.headOf('main')).toBe(mainHead);
    expect(api.fileAt('main', 'env/production.env')).toBe(ENV_FILE);
    expect(api.commit(api.headOf(branch)!)!.parents).toEqual([mainHead]);

    expect(api.writes()).toEqual([
      'POST /repos/acme/shop-deploy/git/trees',
      'POST /repos/acme/shop-deploy/git/commits',
      'POST /repos/acme/shop-deploy/git/refs',
      'POST /repos/acme/shop-deploy/pulls',
    ]);
    expect(api.pulls).toHaveLength(1);
    const pull = api.pulls[0]!;
    expect(pull).toMatchObject({
      head: branch,
      base: 'main',
      title: 'Deploy production: APP_IMAGE, WORKER_IMAGE',
    });
    expect(pull.body).toContain(`| \`APP_IMAGE\` | \`${APP_OLD}\` | \`${APP_NEW}\` |`);
    expect(pull.body).toContain(`### Verified signature\n\n${SIGNATURE}`);
    expect(pull.body).toContain(`### Plan\n\n\`\`\`json\n${PLAN}\n\`\`\``);
    expect(pull.body).toContain('from acme/shop-app@0123456789abcdef0123456789abcdef01234567');
    expect(run.outputs).toMatchObject({
      outcome: 'created',
      'pull-request-number': '1',
      'pull-request-url': 'https://github.com/acme/shop-deploy/pull/1',
      branch,
      changed: 'APP_IMAGE,WORKER_IMAGE',
      commit: api.headOf(branch),
    });
  });

  it('updates the same pull request on the next bump, its branch reset onto the base with one commit', async () => {
    await bump({ images: `APP_IMAGE=${APP_NEW}` });
    const first = api.headOf('deploy-actions/bump-production');
    api.requests.length = 0;
    const newest = `ghcr.io/acme/shop-app@${digest('e')}`;

    const run = await bump({ images: `APP_IMAGE=${newest}`, plan: 'second plan' });
    expect(run.exitCode).toBe(0);
    expect(api.problems).toEqual([]);
    expect(run.outputs).toMatchObject({ outcome: 'updated', 'pull-request-number': '1' });
    expect(api.pulls).toHaveLength(1);
    expect(api.pulls[0]!.body).toContain('second plan');
    const head = api.headOf('deploy-actions/bump-production')!;
    expect(head).not.toBe(first);
    expect(api.commit(head)!.parents).toEqual([mainHead]);
    const patch = api.requests.find((r) => r.method === 'PATCH' && r.path.includes('/git/refs/'))!;
    expect(patch.body).toEqual({ sha: head, force: true });
    expect(lineDiff(ENV_FILE, api.fileAt('deploy-actions/bump-production', 'env/production.env')!)).toEqual([
      `-APP_IMAGE=${APP_OLD}   # bumped by deploy-actions`,
      `+APP_IMAGE=${newest}   # bumped by deploy-actions`,
    ]);
  });

  it('pushes nothing when the base already pins those images', async () => {
    const run = await bump({ images: `APP_IMAGE=${APP_OLD}` });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ outcome: 'unchanged', changed: '', 'pull-request-number': '' });
    expect(api.writes()).toEqual([]);
    expect(api.problems).toEqual([]);
  });

  it('refuses a key the env file does not set, before writing anything', async () => {
    const run = await bump({ images: `APP_IMGE=${APP_NEW}` });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('key-not-in-file');
    expect(run.annotations.find((a) => a.level === 'error')!.message).toContain(
      'env/production.env in acme/shop-deploy does not set APP_IMGE',
    );
    expect(api.writes()).toEqual([]);
  });

  it('refuses a tag instead of a digest before any request', async () => {
    const run = await bump({ images: 'APP_IMAGE=ghcr.io/acme/shop-app:latest' });
    expect(run.outputs['error-code']).toBe('invalid-input');
    expect(run.annotations.find((a) => a.level === 'error')!.message).toContain('is not pinned by digest');
    expect(api.requests).toEqual([]);
  });

  it('fails a bad token with a clear error and never shows the token', async () => {
    const bad = 'ghs_notTheRightToken0123456789abcdefABCD';
    const run = await bump({ images: `APP_IMAGE=${APP_NEW}` }, bad);
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('github-unauthorized');
    expect(run.annotations.find((a) => a.level === 'error')!.message).toContain(
      'GitHub refused the token to read acme/shop-deploy',
    );
    expect(visibleText(run)).not.toContain(bad);
    expect(run.stderr).not.toContain(bad);
    expect(api.writes()).toEqual([]);
  });
});
