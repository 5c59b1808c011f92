/**
 * Chain of custody (issue 18 items 4 and 9): what runs is what was verified, and only the
 * secrets the workflow names reach the host. Each attack is shown accepted without the new
 * inputs (today's behaviour, kept for compatibility) and refused with them.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDotenv } from '@deploy-actions/compose-env';
import { repoRoot, runAction, visibleText, type ActionRun } from '../harness/run-action.js';

const DIGEST = (c: string): string => `sha256:${c.repeat(64)}`;
const VERIFIED = `127.0.0.1:5000/lab/app@${DIGEST('a')}`;
const OTHER_DIGEST = `127.0.0.1:5000/lab/app@${DIGEST('b')}`;
const SECRET = 'pg-Secret-Value-1';

function workspace(compose?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'render-env-custody-'));
  cpSync(join(repoRoot, 'test', 'fixtures', 'render-env', 'stack'), dir, { recursive: true });
  if (compose !== undefined) writeFileSync(join(dir, 'c.yml'), compose);
  return dir;
}

// The fixture template declares APP_IMAGE (required) and POSTGRES_PASSWORD.
const base = {
  template: '.env.example',
  vars: `APP_IMAGE=${VERIFIED}`,
  secrets: JSON.stringify({ POSTGRES_PASSWORD: SECRET }),
};
const twoServices =
  'services:\n  app:\n    image: ${APP_IMAGE}\n  cache:\n    image: redis@' + DIGEST('c') + '\n';

async function render(inputs: Record<string, string>, ws = workspace()): Promise<ActionRun> {
  return runAction('render-env', { inputs, workspace: ws, timeoutMs: 30_000 });
}
const errorOf = (run: ActionRun): string => run.annotations.find((a) => a.level === 'error')?.message ?? '';
const rendered = (run: ActionRun): Map<string, string> =>
  parseDotenv(readFileSync(join(run.dirs.workspace, '.env'), 'utf8'));

describe('verified-images and allow-images', () => {
  it('without them, a compose file may name any digest-pinned image (compatibility)', async () => {
    const run = await render(
      { ...base, 'compose-file': 'c.yml' },
      workspace(twoServices.replace('${APP_IMAGE}', OTHER_DIGEST)),
    );
    expect(run.exitCode).toBe(0);
  });

  it('refuses a service whose image is not a verified reference, naming the service and the input', async () => {
    const run = await render(
      { ...base, 'compose-file': 'c.yml', 'verified-images': VERIFIED },
      workspace(twoServices.replace('${APP_IMAGE}', OTHER_DIGEST)),
    );
    expect(run.exitCode).not.toBe(0);
    expect(run.outputs['error-code']).toBe('image-not-verified');
    const message = errorOf(run);
    expect(message).toContain("Input 'verified-images'");
    expect(message).toContain(
      `service app uses '${OTHER_DIGEST}', which is not in verified-images (that repository was verified at another digest)`,
    );
    expect(message).toContain('service cache uses');
    expect(run.outputs['env-file']).toBeUndefined();
  });

  it('accepts every image verified or allowed: an exact digest, or any digest of an allowed repository', async () => {
    const run = await render(
      {
        ...base,
        'compose-file': 'c.yml',
        'verified-images': VERIFIED,
        'allow-images': 'docker.io/library/redis',
      },
      workspace(twoServices),
    );
    expect(errorOf(run)).toBe('');
    expect(run.exitCode).toBe(0);
  });

  it('never lets a repository allow-list entry admit a tag, which can move', async () => {
    const run = await render(
      { ...base, 'compose-file': 'c.yml', 'verified-images': VERIFIED, 'allow-images': 'redis' },
      workspace('services:\n  app:\n    image: ${APP_IMAGE}\n  cache:\n    image: redis:7\n'),
    );
    expect(run.outputs['error-code']).toBe('image-not-verified');
    expect(errorOf(run)).toContain("service cache uses 'redis:7'");
  });

  it('refuses a service built on the host when images must be verified', async () => {
    const run = await render(
      { ...base, 'compose-file': 'c.yml', 'verified-images': VERIFIED },
      workspace('services:\n  app:\n    image: ${APP_IMAGE}\n  worker:\n    build: .\n'),
    );
    expect(errorOf(run)).toContain('service worker has no image: it is built on the host');
  });

  it('rejects a verified-images entry that is not pinned by digest, before anything is written', async () => {
    const run = await render({
      ...base,
      'compose-file': 'compose.yml',
      'verified-images': '127.0.0.1:5000/lab/app:1.0',
    });
    expect(run.outputs['error-code']).toBe('invalid-input');
    expect(errorOf(run)).toContain(
      "Input 'verified-images': '127.0.0.1:5000/lab/app:1.0' is not an image reference pinned by digest",
    );
  });
});

describe('protected-keys', () => {
  const replaced = {
    ...base,
    secrets: JSON.stringify({ POSTGRES_PASSWORD: SECRET, APP_IMAGE: OTHER_DIGEST }),
  };

  it('without it, a secret named like the verified key replaces the verified image (the attack, accepted today)', async () => {
    const run = await render(replaced);
    expect(run.exitCode).toBe(0);
    expect(rendered(run).get('APP_IMAGE')).toBe(OTHER_DIGEST);
  });

  it('refuses a secret that would replace a protected key set by vars', async () => {
    const run = await render({ ...replaced, 'protected-keys': 'APP_IMAGE' });
    expect(run.exitCode).not.toBe(0);
    expect(run.outputs['error-code']).toBe('protected-key');
    expect(errorOf(run)).toBe(
      "Input 'protected-keys': APP_IMAGE is a protected key: its value must come from vars, but secrets has the last word " +
        '(a secret of that name would replace the verified value).',
    );
    expect(visibleText(run)).not.toContain(OTHER_DIGEST);
  });

  it('refuses a protected key that vars does not set (an env file of the deployed ref sets it)', async () => {
    const ws = workspace();
    writeFileSync(join(ws, 'evil.env'), `APP_IMAGE=${OTHER_DIGEST}\n`);
    const run = await render(
      {
        template: '.env.example',
        'env-files': 'evil.env',
        secrets: base.secrets,
        'protected-keys': 'APP_IMAGE',
      },
      ws,
    );
    expect(run.outputs['error-code']).toBe('protected-key');
    expect(errorOf(run)).toContain(
      'APP_IMAGE is a protected key: its value must come from vars, but the env file evil.env has the last word',
    );
  });

  it('accepts a protected key that vars sets over the template and env files', async () => {
    const ws = workspace();
    writeFileSync(join(ws, 'ok.env'), `APP_IMAGE=${OTHER_DIGEST}\n`);
    const run = await render({ ...base, 'env-files': 'ok.env', 'protected-keys': 'APP_IMAGE' }, ws);
    expect(run.exitCode).toBe(0);
    expect(rendered(run).get('APP_IMAGE')).toBe(VERIFIED);
  });
});

describe('secret-keys and forbidden-keys', () => {
  const all = JSON.stringify({
    POSTGRES_PASSWORD: SECRET,
    SSH_PRIVATE_KEY: 'ssh-key-material',
    REGISTRY_PASSWORD: 'reg-pass',
  });

  it('without secret-keys, the template decides which secrets are taken and the others are named (compatibility)', async () => {
    const ws = workspace();
    writeFileSync(
      join(ws, 'greedy.example'),
      `${readFileSync(join(ws, '.env.example'), 'utf8')}SSH_PRIVATE_KEY=\n`,
    );
    const run = await render({ ...base, template: 'greedy.example', secrets: all }, ws);
    expect(run.exitCode).toBe(0);
    // The deployed ref's template took the SSH key: it would reach the host.
    expect(rendered(run).get('SSH_PRIVATE_KEY')).toBe('ssh-key-material');
    expect(visibleText(run)).toContain('REGISTRY_PASSWORD');
  });

  it('with secret-keys, takes only the listed secrets and never names the others', async () => {
    const ws = workspace();
    writeFileSync(
      join(ws, 'greedy.example'),
      `${readFileSync(join(ws, '.env.example'), 'utf8')}SSH_PRIVATE_KEY=""\n`,
    );
    const run = await render(
      { ...base, template: 'greedy.example', secrets: all, 'secret-keys': 'POSTGRES_PASSWORD' },
      ws,
    );
    expect(run.exitCode).toBe(0);
    const env = rendered(run);
    expect(env.get('POSTGRES_PASSWORD')).toBe(SECRET);
    expect(env.get('SSH_PRIVATE_KEY')).toBe('');
    const visible = visibleText(run);
    expect(visible).not.toContain('REGISTRY_PASSWORD');
    expect(visible).not.toContain('ssh-key-material');
    expect(visible).toContain('secrets: 1 taken (the keys secret-keys lists)');
  });

  it('fails when the template declares a forbidden key, before anything is written', async () => {
    const ws = workspace();
    writeFileSync(
      join(ws, 'greedy.example'),
      `${readFileSync(join(ws, '.env.example'), 'utf8')}SSH_PRIVATE_KEY=\n`,
    );
    const run = await render(
      {
        ...base,
        template: 'greedy.example',
        secrets: all,
        'secret-keys': 'POSTGRES_PASSWORD',
        'forbidden-keys': 'SSH_PRIVATE_KEY\nREGISTRY_PASSWORD',
      },
      ws,
    );
    expect(run.outputs['error-code']).toBe('forbidden-key');
    expect(errorOf(run)).toBe(
      "Input 'forbidden-keys': the template greedy.example declares SSH_PRIVATE_KEY, which forbidden-keys says must never reach " +
        'the env file (credentials of the deploy itself). Remove it from there.',
    );
    expect(visibleText(run)).not.toContain('ssh-key-material');
    expect(run.outputs['env-file']).toBeUndefined();
  });

  it('fails when vars or an env file sets a forbidden key', async () => {
    const viaVars = await render({
      ...base,
      vars: `${base.vars}\nGITHUB_TOKEN=x`,
      'forbidden-keys': 'GITHUB_TOKEN',
    });
    expect(errorOf(viaVars)).toContain(
      'vars declares GITHUB_TOKEN, which forbidden-keys says must never reach the env file',
    );
    const ws = workspace();
    writeFileSync(join(ws, 'x.env'), 'GITHUB_TOKEN=\n');
    const viaFile = await render({ ...base, 'env-files': 'x.env', 'forbidden-keys': 'GITHUB_TOKEN' }, ws);
    expect(errorOf(viaFile)).toContain('the env file x.env declares GITHUB_TOKEN');
  });

  it('rejects secret-keys that list a forbidden or a protected key', async () => {
    const run = await render({
      ...base,
      secrets: all,
      'secret-keys': 'POSTGRES_PASSWORD\nSSH_PRIVATE_KEY\nAPP_IMAGE',
      'forbidden-keys': 'SSH_PRIVATE_KEY',
      'protected-keys': 'APP_IMAGE',
    });
    expect(run.outputs['error-code']).toBe('invalid-input');
    expect(errorOf(run)).toContain("'secret-keys': lists SSH_PRIVATE_KEY, which forbidden-keys forbids.");
    expect(errorOf(run)).toContain(
      "'secret-keys': lists APP_IMAGE, which protected-keys says must come from vars.",
    );
  });
});
