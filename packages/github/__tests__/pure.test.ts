import { gitHubError } from '../src/client.js';
import { branchSlug, bumpBody, parseRepository, runUrl, truncateDescription } from '../src/index.js';

describe('truncateDescription', () => {
  it('keeps a text of up to 140 characters, counting code points, and folds line breaks', () => {
    const emoji = '🚀'.repeat(140);
    expect(truncateDescription(emoji)).toBe(emoji);
    expect(truncateDescription('failed:\n  health gate')).toBe('failed: health gate');
  });

  it('cuts a longer one to 140 characters ending in an ellipsis', () => {
    const cut = truncateDescription('x'.repeat(200));
    expect([...cut]).toHaveLength(140);
    expect(cut.endsWith('x…')).toBe(true);
  });
});

describe('gitHubError', () => {
  const http = (status: number, message?: string) => ({
    status,
    response: { data: message ? { message } : {} },
  });

  it('names the failing request, the status, the API message and the permission to grant', () => {
    const error = gitHubError(
      http(403, 'Resource not accessible by integration'),
      'create a deployment',
      'deployments: write',
    );
    expect(error.code).toBe('github-forbidden');
    expect(error.message).toContain(
      'HTTP 403 to create a deployment: Resource not accessible by integration',
    );
    expect(error.message).toContain('deployments: write');
    expect(gitHubError(http(401, 'Bad credentials'), 'x', 'y').code).toBe('github-unauthorized');
    expect(gitHubError(http(404), 'x', 'y').code).toBe('github-not-found');
    expect(gitHubError(http(422, 'No ref found for: nope'), 'x', 'y').message).toContain(
      'No ref found for: nope',
    );
    expect(gitHubError(new Error('connect ECONNREFUSED 127.0.0.1:9'), 'x', 'y').code).toBe(
      'github-unreachable',
    );
  });
});

describe('names', () => {
  it('reads owner/name and nothing else', () => {
    expect(parseRepository('acme/shop-deploy')).toEqual({ owner: 'acme', repo: 'shop-deploy' });
    expect(parseRepository('acme')).toBeUndefined();
    expect(parseRepository('acme/shop/x')).toBeUndefined();
  });

  it('makes a branch-safe slug of an environment name', () => {
    expect(branchSlug('production')).toBe('production');
    expect(branchSlug('EU prod / blue')).toBe('EU-prod-blue');
    expect(branchSlug('..')).toBe('env');
  });

  it('links the run (and its attempt after a re-run), or nothing outside Actions', () => {
    const env = { GITHUB_SERVER_URL: 'https://ghe.example', GITHUB_REPOSITORY: 'a/b', GITHUB_RUN_ID: '9' };
    expect(runUrl(env)).toBe('https://ghe.example/a/b/actions/runs/9');
    expect(runUrl({ ...env, GITHUB_RUN_ATTEMPT: '2' })).toBe(
      'https://ghe.example/a/b/actions/runs/9/attempts/2',
    );
    expect(runUrl({})).toBeUndefined();
  });
});

describe('bumpBody', () => {
  it('lists each change, then the signature and the plan, JSON shown as code', () => {
    const body = bumpBody({
      environment: 'staging',
      repositoryFile: 'env/staging.env',
      changes: [
        { key: 'APP_IMAGE', from: 'r@sha256:a', to: 'r@sha256:b' },
        { key: 'NEW', from: undefined, to: 'r@sha256:c' },
      ],
      signature: 'signed by release.yml',
      plan: ' {"hosts": []} ',
    });
    expect(body).toContain('| `APP_IMAGE` | `r@sha256:a` | `r@sha256:b` |');
    expect(body).toContain('| `NEW` | (unset) | `r@sha256:c` |');
    expect(body).toContain('### Verified signature\n\nsigned by release.yml');
    expect(body).toContain('### Plan\n\n```json\n{"hosts": []}\n```');
  });

  it('leaves out the sections it was given nothing for', () => {
    const body = bumpBody({ environment: 'e', repositoryFile: 'f', changes: [] });
    expect(body).not.toContain('###');
  });
});
